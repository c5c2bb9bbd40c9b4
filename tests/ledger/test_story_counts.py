"""How a report's own counts are read from its title or lead (newsledger.ledger.story_figures), on titles and
leads of gva-local reports: killed, injured, and shot = killed + injured as the Gun Violence Archive counts."""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.ledger.story_figures import Report, best_estimates, report_counts, stated_counts
from newsledger.store.queries import StoredFigure


@pytest.mark.parametrize(("text", "killed", "injured", "shot"), [
    ("Teenager dies, 3 others hurt in Stockton shooting", 1, 3, None),
    ("UPDATE: Four people shot, two dead, in west Jackson attempted robbery", 2, None, 4),
    ("2 dead, 3 hospitalized following Brookhaven shooting", 2, 3, None),
    ("7 Shot, One Dead in Chelsea, Massachusetts", 1, None, 7),
    ("Man shot and killed in north Houston", 1, None, None),
    ("In D.C., weekend gunfire kills 1, wounds 12", 1, 12, None),
    ("Lynn teen pleads not guilty in fatal Chelsea shooting", None, None, None),
    ("Police: 12-year-old boy shot in the leg", None, None, 1),
    ("17-Year-Old Accidentally Shot and Killed Last Night", 1, None, None),
    ("The one-year-old girl shot in Chapel Hill Dec. 25 has died Monday", None, None, 1),  # a date, no count
    ("Police: Man kills woman, her son, himself in south Las Vegas", 3, None, None),  # victims in a list
    ("Father, two children died from gunshot wounds", 3, None, None),
    ("Mother, 8-Year-Old Son Shot & Killed In New Stanton", 2, None, None),
    ("1 child, 4 adults shot in Boynton Beach", None, None, 5),
    ("East Harlem gunplay leaves 3 men, 1 woman wounded", None, 4, 1),
    ("Man Shoots Girlfriend And Her Son In Gloucester Co.", None, None, 2),
])
def test_a_title_states_its_counts(text, killed, injured, shot):
    got = {k: v.value for k, v in stated_counts(text).items()}
    assert (got.get("killed"), got.get("injured"), got.get("shot")) == (killed, injured, shot)


def test_injured_are_the_shot_less_the_dead_and_the_title_comes_first():
    report = Report(1, "7 Shot, One Dead in Chelsea - WBZ", "Two people were killed and 15 wounded in 2014.",
                    date(2016, 3, 7))
    counts = report_counts(report)
    assert (counts["killed"].value, counts["injured"].value) == (1, 6)


def test_most_reports_win_and_ties_go_to_the_latest():
    early = Report(1, "Four people shot, two dead, in west Jackson", "", date(2017, 2, 10))
    later = Report(2, "3 killed in shootout at Jackson apartment complex", "", date(2017, 2, 11))
    latest = Report(3, "Four killed in Jackson shootout", "", date(2017, 2, 12))
    best = best_estimates([], [early, later, latest])
    assert best["killed"].value == 4 and best["killed"].article_id == 3
    assert best["injured"].value == 2  # only the first report counts the injured (4 shot, 2 dead)
    again = Report(4, "Two dead after Jackson shooting", "", date(2017, 2, 13))
    assert best_estimates([], [early, later, latest, again, again])["killed"].value == 2


def test_a_title_that_says_someone_died_counts_one_over_the_numbers_of_its_text():
    text = ("The sheriff's department says an 18 year old has been charged with involuntary manslaughter in the "
            "death of another teen, who was shot in the head with a 20 gauge shotgun.")
    report = Report(1, "Teen charged with involuntary manslaughter in shooting death", text, date(2016, 12, 2))
    gauge = StoredFigure(1, 1, text.index("20"), text.index("20") + 2, "20", 20.0, None, "exact", None, "killed",
                         None, None, None, "killed", None, None, date(2016, 12, 2), None, None, report.title, None)
    best = best_estimates([gauge], [report])
    assert best["killed"].value == 1 and best["killed"].qualifier == "implied" and "injured" not in best
