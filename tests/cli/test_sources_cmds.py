"""`sources`, `merge-sources`, `regroup`, `reference add/list` and the conflict evidence in `conflicts`, through
the real entry point on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Article, Entity, Extraction, Figure

SENTENCES = [
    ("2024-02-28", "The health ministry in Gaza said 29,954 people have been killed since the war began.", "29,954",
     "health ministry in Gaza", "exact"),
    ("2024-02-29", "Fewer than 29,000 Palestinians have been killed in Gaza, the Hamas-run health ministry said.",
     "29,000", "Hamas-run health ministry", "less_than"),
    ("2024-02-29", "At least 30,035 people have been killed in Gaza, the civil defence said.", "30,035",
     "civil defence", "at_least"),
]


@pytest.fixture
def gaza_db(db_url):
    exs = []
    for n, (day, text, number, source, qualifier) in enumerate(SENTENCES):
        start, gaza = text.index(number), text.index("Gaza")
        fig = Figure(start, start + len(number), number, float(number.replace(",", "")), None, qualifier,  # type: ignore[arg-type]
                     "people", "killed", source, day)
        exs.append(Extraction(article=Article(text=text, id=f"in-{n}", url=f"https://c.example/{n}",
                                              published=date.fromisoformat(day)),
                              figures=[fig], entities=[Entity(gaza, gaza + 4, "Gaza", "GPE", "Gaza")]))
    with Ledger(db_url) as ledger:
        assert ledger.add_extractions(exs).added == 3
    return db_url


def test_sources_lists_one_source_with_its_aliases(run_cli, gaza_db):
    rows = json.loads(run_cli("sources", "--db", gaza_db, "-f", "json").stdout)
    ministry = next(r for r in rows if r["source"] == "health ministry")
    assert ministry["figures"] == 2 and sorted(ministry["aliases"]) == ["Hamas-run health ministry",
                                                                        "health ministry in Gaza"]
    table = run_cli("sources", "ministry", "--db", gaza_db)
    assert table.exit_code == 0 and "Hamas-run health ministry" in table.stdout and "civil defence" not in table.stdout
    figs = json.loads(run_cli("figures", "--db", gaza_db, "--source", "health ministry", "-f", "json").stdout)
    assert len(figs) == 2
    assert run_cli("merge-sources", "civil defence", "health ministry", "--db", gaza_db).exit_code == 0
    assert [r["source"] for r in json.loads(run_cli("sources", "--db", gaza_db, "-f", "json").stdout)] == \
        ["health ministry"]
    missing = run_cli("merge-sources", "nobody at all", "health ministry", "--db", gaza_db)
    assert missing.exit_code != 0 and "no source matches" in missing.stderr


def test_conflicts_give_reason_ids_and_sentences(run_cli, gaza_db):
    rows = json.loads(run_cli("conflicts", "--db", gaza_db, "-f", "json").stdout)
    qual = [r for r in rows if r["kind"] == "qualifiers"]
    assert len(qual) == 1 and isinstance(qual[0]["figures"], list) and isinstance(qual[0]["articles"], list)
    assert len(qual[0]["sentences"]) == 2 and "fewer than 29,000" in qual[0]["reason"]
    table = run_cli("conflicts", "--db", gaza_db)
    assert table.exit_code == 0 and "qualifiers" in table.stdout


def test_reference_add_list_and_outliers_in_series(run_cli, gaza_db, tmp_path):
    ref = tmp_path / "gaza-casualties-daily.json"
    ref.write_text(json.dumps([{"report_date": "2024-02-28", "killed_cum": 29954},
                               {"report_date": "2024-02-29", "killed_cum": 30035}]))
    added = run_cli("reference", "add", str(ref), "--db", gaza_db)
    assert added.exit_code == 0 and "2 values" in added.stdout
    [listed] = json.loads(run_cli("reference", "list", "--db", gaza_db, "-f", "json").stdout)
    assert listed["name"] == "gaza-casualties-daily" and listed["first"] == "2024-02-28"
    rows = json.loads(run_cli("series", "killed in Gaza", "--db", gaza_db, "-f", "json").stdout)
    assert [r["reference"] for r in rows] == [29954, 30035, 30035]
    assert [bool(r["outlier"]) for r in rows] == [False, True, False]
    assert [r["figure_id"] for r in rows if r["best_estimate"]] == [rows[2]["figure_id"]]
    table = run_cli("series", "killed in Gaza", "--db", gaza_db)
    assert "best estimate: at least 30,035 as of 2024-02-29 (civil defence" in table.stdout
    conflicts = json.loads(run_cli("conflicts", "--db", gaza_db, "-f", "json").stdout)
    assert any(c["kind"] == "reference" for c in conflicts)
    bad = tmp_path / "nowhere.json"
    bad.write_text("[]")
    out = run_cli("reference", "add", str(bad), "--db", gaza_db)
    assert out.exit_code == 2 and len(out.stderr.strip().splitlines()) == 1


def test_regroup_and_measures_with_best_estimates(run_cli, gaza_db):
    out = run_cli("regroup", "--db", gaza_db)
    assert out.exit_code == 0 and "regrouped 3 figures" in out.stderr
    [m] = json.loads(run_cli("measures", "killed in Gaza", "--db", gaza_db, "-f", "json").stdout)
    assert m["figures"] == 3 and m["best_estimate"].startswith("at least 30,035 as of 2024-02-29")


def test_conflicts_by_kind_and_day_and_rebuilt_from_scratch(run_cli, gaza_db):
    every = json.loads(run_cli("conflicts", "--db", gaza_db, "-f", "json").stdout)
    qual = json.loads(run_cli("conflicts", "--db", gaza_db, "--kind", "qualifiers", "-f", "json").stdout)
    assert qual and len(qual) < len(every) and {r["kind"] for r in qual} == {"qualifiers"}
    later = json.loads(run_cli("conflicts", "--db", gaza_db, "--since", "2024-03-01", "-f", "json").stdout)
    assert later == []
    # A ledger whose kept conflicts are to be found again (as after the migration on an older ledger): a
    # read-only listing finds them from the figures, --rebuild keeps them again; the same rows either way.
    with Ledger(gaza_db) as ledger:
        ledger.mark_all_conflicts()
    assert json.loads(run_cli("conflicts", "--db", gaza_db, "-f", "json").stdout) == every
    assert run_cli("conflicts", "--db", gaza_db, "--rebuild", "-f", "json").exit_code == 0
    with Ledger(gaza_db, read_only=True) as ledger:
        assert ledger.kept_conflicts()
    assert json.loads(run_cli("conflicts", "--db", gaza_db, "-f", "json").stdout) == every
    bad = run_cli("conflicts", "--db", gaza_db, "--kind", "nonsense")
    assert bad.exit_code != 0 and "unknown conflict kind" in bad.stderr
