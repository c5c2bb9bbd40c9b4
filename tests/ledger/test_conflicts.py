"""Conflicts on a real reported series (Gaza daily casualties) and on hand-made reports."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from newsledger.ledger.conflicts import Point, detail_cue, find_conflicts, own_cues, part_inside
from newsledger.ledger.estimates import best_estimate
from newsledger.ledger.measures import measure_for, measure_scope
from newsledger.ledger.reference import RefValue, outliers
from newsledger.model import Figure

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "gaza-casualties-daily.json"
TEXT = "At least 48,446 people have been killed and 111,852 injured in the Gaza Strip, the health ministry said."


def _key(category: str, counted: str = "people") -> str:
    number = "48,446" if category == "killed" else "111,852"
    start = TEXT.index(number)
    fig = Figure(start, start + len(number), number, 1, counted=counted, category=category)  # type: ignore[arg-type]
    return measure_for(fig, (), TEXT).key


KILLED, INJURED = _key("killed"), _key("injured")


@pytest.fixture(scope="module")
def reference() -> list[dict]:
    if not REFERENCE.is_file():
        pytest.skip("../shared/reference is not beside the checkout")
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def reference_points(rows: list[dict], source: str = "health ministry") -> list[Point]:
    """Cumulative killed and injured of each report as figures a source gave on the report date."""
    out: list[Point] = []
    for i, row in enumerate(rows):
        for field, key, category in (("killed_cum", KILLED, "killed"), ("injured_cum", INJURED, "injured")):
            if field in row:
                out.append(Point(len(out) + 1, i + 1, key, category, float(row[field]), None, "exact",
                                 row["report_date"], source, "Reference"))
    return out


def point(fid: int, value: float, day: str, source: str | None = "health ministry", qualifier: str = "exact",
          key: str = KILLED, **kw) -> Point:
    return Point(fid, fid, key, key.split("|")[0], value, kw.pop("value_max", None), qualifier, day, source,
                 "Outlet", **kw)


def test_killed_and_injured_are_different_measures():
    assert KILLED != INJURED
    assert KILLED.startswith("killed|") and INJURED.startswith("injured|")
    assert "gaza" in KILLED and "gaza" in INJURED


def test_reference_series_of_one_source_has_no_conflicts(reference):
    points = reference_points(reference)
    assert len(points) > 2000
    assert find_conflicts(points) == []


def test_injected_lower_later_value_is_a_decrease(reference):
    points = reference_points(reference)
    killed = [p for p in points if p.measure_key == KILLED]
    base = killed[len(killed) // 2]
    replaced = killed[len(killed) // 2 + 1]
    bad = point(10**6, round(base.value * 0.9), replaced.as_of)
    found = find_conflicts([*(p for p in points if p is not replaced), bad])
    assert [c.kind for c in found] == ["decrease"]
    assert found[0].points[0].figure_id == base.figure_id
    assert bad in found[0].points
    assert base.as_of in found[0].reason and bad.as_of in found[0].reason
    # Beside the day's own report, the lower one is also a same-day disagreement.
    assert sorted(c.kind for c in find_conflicts([*points, bad])) == ["decrease", "disagreement"]


def test_second_source_ten_percent_off_on_the_same_day_is_flagged(reference):
    points = reference_points(reference)
    day = next(p for p in points if p.measure_key == KILLED and p.as_of == "2025-03-07")
    un = point(10**6, round(day.value * 0.9), day.as_of, source="UN")
    found = find_conflicts([*points, un])
    assert [c.kind for c in found] == ["disagreement"]
    assert "UN" in found[0].reason and "2025-03-07" in found[0].reason and "10.0% apart" in found[0].reason
    # Within the tolerance there is nothing to report.
    near = point(10**6, round(day.value * 0.99), day.as_of, source="UN")
    assert find_conflicts([*points, near]) == []


def test_a_lower_bound_and_a_higher_value_do_not_conflict():
    assert find_conflicts([point(1, 50, "2025-01-01", qualifier="at_least"), point(2, 60, "2025-01-01", "AP")]) == []


def test_bounds_that_cannot_both_hold_are_flagged():
    found = find_conflicts([point(1, 50, "2025-01-01", qualifier="at_least"),
                            point(2, 40, "2025-01-01", "AP", qualifier="less_than")])
    assert [c.kind for c in found] == ["qualifiers"]
    assert "at least 50" in found[0].reason and "fewer than 40" in found[0].reason


def test_an_about_value_covers_its_rounding():
    assert find_conflicts([point(1, 48446, "2025-03-07"), point(2, 50000, "2025-03-07", "AP", "approx")]) == []
    found = find_conflicts([point(1, 48446, "2025-03-07"), point(2, 40000, "2025-03-07", "AP", "approx")])
    assert [c.kind for c in found] == ["disagreement"]


def test_a_later_lower_bound_below_an_earlier_exact_value_is_a_decrease():
    found = find_conflicts([point(1, 48446, "2025-03-07"), point(2, 45000, "2025-03-09", qualifier="at_least")])
    assert [c.kind for c in found] == ["decrease"]
    assert "at least 45,000" in found[0].reason
    assert find_conflicts([point(1, 48446, "2025-03-07"), point(2, 48500, "2025-03-09", qualifier="at_least")]) == []


def test_a_decrease_is_judged_within_one_source():
    # The UN counting fewer than the ministry did a day before is two counts, not a total going down.
    assert find_conflicts([point(1, 48446, "2025-03-07"), point(2, 40000, "2025-03-08", "UN")]) == []


def test_one_early_outlier_gives_one_conflict_not_thousands():
    pts = [point(i, 1000 + i, f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}") for i in range(300)]
    pts.append(point(999, 100000, "2023-12-31"))
    found = find_conflicts(pts)
    assert [c.kind for c in found] == ["decrease"]
    assert found[0].points[0].figure_id == 999 and len(found[0].points) > 250


def test_values_that_may_go_down_are_not_checked_for_decreases():
    held = "held||hostages|gaza"
    assert find_conflicts([point(1, 59, "2025-03-01", key=held), point(2, 24, "2025-10-01", key=held)]) == []


def test_two_incidents_on_one_day_are_not_a_disagreement():
    text = "An Israeli strike killed 12 people in Gaza City on Tuesday."
    start = text.index("12")
    key = measure_for(Figure(start, start + 2, "12", 12, counted="people", category="killed"), (), text).key
    assert find_conflicts([point(1, 12, "2025-03-07", key=key), point(2, 30, "2025-03-07", "AP", key=key)]) == []


def test_a_part_larger_than_its_whole_is_flagged():
    found = find_conflicts([point(1, 58, "2025-01-02", whole_value=34, whole_figure_id=7)])
    assert [c.kind for c in found] == ["part_exceeds_whole"]
    assert "58" in found[0].reason and "34" in found[0].reason
    assert find_conflicts([point(1, 34, "2025-01-02", whole_value=58, whole_figure_id=7)]) == []


def test_many_points_and_sources_per_measure(reference):
    # Tens of thousands of reports: several sources repeating the reference series, one of them wrong once.
    points: list[Point] = []
    for n, src in enumerate(("health ministry", "Reuters tally", "AP tally", "OCHA", "WHO",
                             "government media office", "Al Jazeera tally", "BBC tally", "UN", "AFP tally")):
        for p in reference_points(reference, src):
            p.figure_id += n * 10**5
            points.append(p)
    points = points * 3
    assert len(points) > 60000
    wrong = point(10**7, 1000, "2025-03-07", source="OCHA")
    found = find_conflicts([*points, wrong])
    assert {c.kind for c in found} == {"decrease", "disagreement"}
    assert all(wrong in c.points for c in found)


def test_two_values_in_one_article_are_not_a_disagreement():
    # One article giving 20 and 15 for one measure on one day is two things the grouping merged.
    same = [point(1, 20, "2025-01-01"), Point(2, 1, KILLED, "killed", 15, None, "exact", "2025-01-01", "AP", None)]
    assert find_conflicts(same) == []
    # A third report from another article still disagrees with the farther of the two.
    found = find_conflicts([*same, point(3, 30, "2025-01-01", "UN")])
    assert len(found) == 1 and {p.value for p in found[0].points} == {30, 15}


def test_measures_that_name_no_counted_thing_are_not_compared():
    headless = "other|||united states"
    assert find_conflicts([point(1, 20, "2025-01-01", key=headless), point(2, 5, "2025-01-01", "AP", key=headless)]) == []


def test_figures_without_a_number_are_left_out():
    assert find_conflicts([point(1, 48446, "2025-03-07"), point(2, float("nan"), "2025-03-07", "AP")]) == []


def test_measures_without_a_place_or_of_anything_people_do_are_not_compared():
    nowhere = "killed||people|"
    assert find_conflicts([point(1, 23, "2025-01-01", key=nowhere), point(2, 1, "2025-01-01", "AP", key=nowhere),
                           point(3, 0, "2025-01-02", key=nowhere)]) == []
    anything = "other||people|brooklyn"
    assert find_conflicts([point(1, 100, "2025-01-01", key=anything), point(2, 4, "2025-01-01", "AP", key=anything)]) == []
    jobs = "other||jobs|united states"
    assert find_conflicts([point(1, 200000, "2025-01-01", key=jobs), point(2, 150000, "2025-01-01", "AP", key=jobs)]) == []
    freed = "released||prisoners|gaza"
    assert len(find_conflicts([point(1, 1900, "2025-01-01", key=freed), point(2, 600, "2025-01-01", "AP", key=freed)])) == 1


def test_one_source_written_several_ways_is_followed_as_one():
    found = find_conflicts([point(1, 48446, "2025-03-07", "the health ministry"),
                            point(2, 48100, "2025-03-09", "The health ministry in Gaza"),
                            point(3, 46000, "2025-03-10", "Gaza's Ministry of Health")])
    assert [c.kind for c in found] == ["decrease"]
    assert [p.figure_id for p in found[0].points] == [1, 3]
    # 48,100 is within the tolerance below 48,446: a lagging repeat, not a fall.
    assert "46,000" in found[0].reason
    # Another body's lower count is no fall of the ministry's total.
    assert find_conflicts([point(1, 48446, "2025-03-07", "the health ministry"),
                           point(2, 46000, "2025-03-10", "Israeli health ministry")]) == []


# -- comparable figures only: qualifiers, periods, stories, parts inside their whole ------------------------
def _sentence_point(fid: int, text: str, number: str, counted: str, category: str, day: str,
                    source: str | None, qualifier: str = "exact", value: float | None = None,
                    article: int | None = None) -> Point:
    start = text.index(number)
    fig = Figure(start, start + len(number), number, 1, counted=counted, category=category)  # type: ignore[arg-type]
    m = measure_for(fig, (), text, published=date.fromisoformat(day))
    v = float(number.replace(",", "")) if value is None else value
    return Point(fid, article if article is not None else fid, m.key, m.category, v, None, qualifier, day, source,
                 "Outlet", period=m.period)


def test_gaza_fewer_than_against_a_higher_count_the_same_day_is_found_at_the_default_tolerance():
    low = _sentence_point(1, "Fewer than 30,000 Palestinians have been killed in Gaza, officials said.", "30,000",
                          "Palestinians", "killed", "2024-02-29", "officials", qualifier="less_than")
    high = _sentence_point(2, "The health ministry in Gaza said 30,320 people have been killed since October 7.",
                           "30,320", "people", "killed", "2024-02-29", "health ministry")
    assert low.measure_key == high.measure_key == KILLED
    found = find_conflicts([low, high])  # 1.1% apart: within the 2% tolerance, but a bound is a bound
    assert [c.kind for c in found] == ["qualifiers"]
    assert "fewer than 30,000" in found[0].reason and "30,320" in found[0].reason
    # On another day the two are no conflict: the count went up between them.
    assert find_conflicts([low, dataclasses.replace(high, as_of="2024-03-05")]) == []


def test_at_least_twenty_against_twenty_five_is_no_conflict_but_against_eighteen_is():
    text = "At least 20 people were killed in Gaza, the civil defence said."
    bound = _sentence_point(1, text, "20", "people", "killed", "2024-05-01", "civil defence", qualifier="at_least")
    assert find_conflicts([bound, point(2, 25, "2024-05-01", "AP", key=bound.measure_key)]) == []
    found = find_conflicts([bound, point(3, 18, "2024-05-01", "AP", key=bound.measure_key)])
    assert [c.kind for c in found] == ["qualifiers"]


def test_weekend_tallies_of_different_weekends_never_conflict_and_one_weekend_told_twice_does():
    text = "Five people were killed and 17 wounded in weekend shootings across Khan Younis, police said."
    first = _sentence_point(1, text, "Five", "people", "killed", "2016-08-08", "police", value=5)
    later = _sentence_point(2, text, "Five", "people", "killed", "2017-03-13", "police", value=2)
    assert first.measure_key.endswith("|weekend") and first.period != later.period
    assert find_conflicts([first, later]) == []  # no "decrease": a weekend count is no running total
    same = _sentence_point(3, text, "Five", "people", "killed", "2016-08-09", "police", value=9)
    assert same.period == first.period
    found = find_conflicts([first, same])
    assert [c.kind for c in found] == ["disagreement"] and "weekend 2016-08-06/2016-08-07" in found[0].reason


def test_one_incident_is_compared_only_within_its_story():
    text = "A gunman opened fire at a bar in Gaza City, killing three people."
    a = _sentence_point(1, text, "three", "people", "killed", "2016-08-08", "police", value=3, article=10)
    b = _sentence_point(2, text, "three", "people", "killed", "2016-08-08", "police", value=5, article=11)
    assert measure_scope(a.measure_key) == "incident"
    assert find_conflicts([a, b]) == []  # without stories: maybe two shootings
    found = find_conflicts([a, b], stories={10: "s1", 11: "s1"})
    assert [c.kind for c in found] == ["disagreement"] and found[0].story == "s1"
    assert find_conflicts([a, b], stories={10: "s1", 11: "s2"}) == []


def test_a_running_total_is_compared_across_stories_but_one_incident_is_not():
    # A war's daily reports may fall into many stories; its running total is one count whatever the story.
    a, b = point(1, 48446, "2025-03-07"), point(2, 40000, "2025-03-07", "UN")
    assert len(find_conflicts([a, b])) == 1
    assert len(find_conflicts([a, b], stories={1: "war", 2: "other war"})) == 1


def test_a_running_total_not_reported_for_months_starts_again():
    old_war = point(1, 2104, "2014-08-26")
    assert find_conflicts([old_war, point(2, 900, "2023-10-10")]) == []  # a new war, not a fall
    found = find_conflicts([old_war, point(3, 1900, "2014-09-20")])
    assert [c.kind for c in found] == ["decrease"]


def test_counts_of_victims_of_one_incident_mixing_dead_and_hurt_are_not_compared():
    text = "Police said four people were shot at a bar in Gaza City on Saturday."
    a = _sentence_point(1, text, "four", "people", "casualties", "2016-08-08", "police", value=4, article=10)
    b = _sentence_point(2, text, "four", "people", "casualties", "2016-08-08", "police", value=2, article=11)
    assert measure_scope(a.measure_key) == "incident" and a.measure_key.startswith("casualties|")
    assert find_conflicts([a, b], stories={10: "s", 11: "s"}) == []


def test_a_part_of_no_counted_category_is_never_flagged():
    found = find_conflicts([point(1, 8, "2016-07-07", key="other||buildings|dallas", whole_value=2,
                                  whole_figure_id=7)])
    assert found == []


@pytest.mark.parametrize(("sentence", "number", "cue"), [
    ("Two victims were airlifted to other hospitals.", "Two", "airlifted"),
    ("When officers arrived, they found one person shot in the head in the parking lot.", "one", "in the head"),
    ("Police said 11 victims had non-life threatening injuries to the lower extremities.", "11", "extremities"),
    ("Officials announced the arrests of two men charged with murder in the shooting.", "two", "charged"),
    ("Pictured: The two male victims of the shooting spree.", "two", "pictured"),
    ("One person died and seven were injured in a July 2016 shooting at a Hamilton bar.", "seven", "2016"),
    ("New Orleans police are investigating a shooting that left 16 people injured Sunday night.", "16", None),
    ("So five people were injured by gunshots, not life-threatening.", "five", None),
    ("Up to 16 were injured in the early-morning gunfire at Club Blu Bar and Grill.", "16", None),
    # The clause of the five ends at ", but": the cause is the two's.
    ("Police announced that two people had been killed and five wounded, but two more people have since died "
     "from their wounds.", "five", None),
])
def test_a_count_of_a_part_or_of_someone_else_is_told_by_its_clause(sentence, number, cue):
    start = sentence.index(number)
    assert detail_cue(sentence, start, start + len(number), year="2017") == cue


def test_a_cue_the_measure_itself_says_marks_no_part_of_it():
    sentence = "The four injured were taken to area hospitals for treatment."
    start = sentence.index("four")
    assert detail_cue(sentence, start, start + 4, year="2017") == "were taken"
    own = own_cues("injured|in hospital|people|tampa|incident")
    assert detail_cue(sentence, start, start + 4, year="2017", own=own) is None
    assert own_cues("injured||people|tampa|incident") == frozenset()
    critical = "Two victims were taken to hospital in critical condition."
    assert detail_cue(critical, 0, 3, year="2017", own=own) == "in critical"


def test_a_part_is_inside_its_whole_only_after_a_part_cue():
    text = "At least 48,446 people have been killed, including 17,492 children, the ministry said."
    whole = (text.index("48,446"), text.index("48,446") + 6, "killed")
    part = (text.index("17,492"), text.index("17,492") + 6, "killed")
    assert part_inside(text, part, whole)
    assert not part_inside(text, whole, part)  # the reversed pair is no part and whole
    both = "Sixteen people were hurt or killed; one man was killed and 15 were wounded."
    assert not part_inside(both, (both.index("15"), both.index("15") + 2, "injured"),
                           (0, 7, "casualties"))


def test_a_reference_series_flags_a_figure_far_from_it(reference):
    values = [RefValue("gaza-daily", KILLED, "killed_cum", date.fromisoformat(r["report_date"]), float(r["killed_cum"]))
              for r in reference if "killed_cum" in r]
    day = next(v for v in values if v.as_of.isoformat() == "2025-03-07")
    near = point(1, day.value + 50, "2025-03-08", "AP")  # a day later and a little higher: the count grew
    far = point(2, round(day.value * 0.7), "2025-03-07", "AP")
    bound = point(3, 40000, "2025-03-07", "AP", qualifier="more_than")
    found = outliers([near, far, bound], values)
    assert [c.points[0].figure_id for c in found] == [2]
    assert found[0].kind == "reference" and "gaza-daily" in found[0].reason and "below" in found[0].reason


def test_best_estimate_is_the_latest_figure_of_the_most_specific_source():
    pts = [point(1, 48000, "2025-03-06"), point(2, 48500, "2025-03-07", None, qualifier="more_than"),
           point(3, 48446, "2025-03-07", "health ministry"), point(4, 48440, "2025-03-07", "officials"),
           point(5, 30000, "2025-03-07", "a UN agency", qualifier="at_least")]
    est = best_estimate(pts)
    assert est is not None and est.figure_id == 3 and est.as_of == "2025-03-07" and est.qualifier == "exact"
    # It rests on the day's figures that agree with it: not 48,440 (exact, lower) nor "more than 48,500".
    assert est.rests_on == [3, 5]
    assert "48,446 as of 2025-03-07 (health ministry; 2 figures)" == est.text


def test_within_a_story_an_article_reports_its_first_count_of_an_incident():
    text = "A gunman opened fire at a bar in Gaza City, killing three people."
    lead = _sentence_point(1, text, "three", "people", "killed", "2016-08-08", "police", value=4, article=10)
    detail = _sentence_point(2, text, "three", "people", "killed", "2016-08-08", "police", value=1, article=10)
    other = _sentence_point(3, text, "three", "people", "killed", "2016-08-08", "AP", value=4, article=11)
    # "one was shot in the head" later in article 10 is a detail, not its count of the incident.
    assert find_conflicts([lead, detail, other], stories={10: "s", 11: "s"}) == []


_TAMPA = [
    ("Four wounded in Tampa park shooting", "Four people were wounded in a shooting at a park in Tampa on Saturday "
     "night, police said. Two victims were airlifted to Tampa General Hospital."),
    ("Tampa park shooting", "Police found one person shot in the head at a park in Tampa on Saturday night."),
    ("Three hurt in Tampa shooting", "Three people were wounded in a shooting at a park in Tampa on Saturday "
     "night, police said."),
]


def test_reports_of_one_shooting_disagree_only_on_their_own_counts(db_url, pipeline):
    from newsledger.ledger import Ledger
    from newsledger.model import Article

    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add_extractions([pipeline.extract(Article(text=text, id=f"tampa-{i}", title=title,
                                                         published=date(2016, 8, 13), outlet="Tampa Daily"))
                                for i, (title, text) in enumerate(_TAMPA)])
        ids = sorted(a.id for a in ledger.articles())
        # Stories decide what is one incident: apart, the three reports are compared with nothing.
        if len({s.id for s in ledger.stories()}) > 1:
            assert [c for c in ledger.conflicts() if c.kind == "disagreement"] == []
            story = ledger.merge_stories(*sorted({s.id for s in ledger.stories()})[:2])
            for other in sorted({s.id for s in ledger.stories()} - {story}):
                story = ledger.merge_stories(story, other)
        [found] = ledger.conflicts()
        # "one person shot in the head" is a detail, not that report's count: the conflict is four against three.
        assert found.kind == "disagreement" and {p.value for p in found.points} == {4, 3}
        assert {p.article_id for p in found.points} == {ids[0], ids[2]}
        assert any("Three people were wounded" in s for s in found.sentences)
        assert ledger.conflicts(story=int(found.story or 0))[0].reason == found.reason
