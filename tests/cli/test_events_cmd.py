"""`newsledger events` on SQLite and PostgreSQL: a dated timeline of stored events, filtered, in every format,
and PLOVER's field names beside ours."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date

TRUCE = ("Hamas on Friday urged US president Donald Trump to meet with Palestinian prisoners. "
         "On Thursday, Trump met in the Oval Office with eight former Israeli hostages. "
         "Israeli troops killed 12 people in Gaza on Monday, officials said. "
         "Hamas has insisted on a transition to the deal's second phase.")


@pytest.fixture
def stored(db_url, pipeline):
    """A ledger holding one extracted article (published Friday 2025-03-07)."""
    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add([Article(text=TRUCE, id="truce", published=parse_iso_date("2025-03-07"))])
    return db_url


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_actor_timeline_is_dated_and_sorted(run_cli, stored):
    result = run_cli("events", "--db", stored, "--actor", "Hamas", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = _csv(result.stdout)
    assert [(r["date"], r["type"], r["trigger"]) for r in rows] == [("2025-03-07", "request", "urged")]
    everything = _csv(run_cli("events", "--db", stored, "--format", "csv").stdout)
    assert [r["date"] for r in everything] == sorted(r["date"] for r in everything)
    assert {"2025-03-03", "2025-03-06", "2025-03-07"} <= {r["date"] for r in everything}


def test_undated_events_only_on_request(run_cli, stored):
    dated = _csv(run_cli("events", "--db", stored, "--format", "csv").stdout)
    both = _csv(run_cli("events", "--db", stored, "--undated", "--format", "csv").stdout)
    insisted = [r for r in both if r["trigger"] == "insisted"]
    assert insisted and insisted[0]["date"] == "" and insisted == both[-len(insisted):]
    assert not [r for r in dated if r["trigger"] == "insisted"]


def test_filters_by_type_recipient_place_status_and_dates(run_cli, stored):
    def triggers(*args: str) -> list[str]:
        out = run_cli("events", "--db", stored, "--format", "json", *args)
        assert out.exit_code == 0, out.stderr
        return [r["trigger"] for r in json.loads(out.stdout)]

    assert triggers("--type", "assault") == ["killed"]
    assert triggers("--recipient", "hostages") == ["met"]
    assert triggers("--place", "gaza") == ["killed"]
    assert triggers("--since", "2025-03-06", "--until", "2025-03-06") == ["met"]
    assert "met" in triggers("--status", "happened")
    assert triggers("--status", "denied") == []


def test_plover_fields_beside_ours(run_cli, stored):
    rows = _csv(run_cli("events", "--db", stored, "--type", "assault", "--plover", "--format", "csv").stdout)
    assert len(rows) == 1
    row = rows[0]
    assert (row["event"], row["quad_code"], row["date"], row["recipient"]) == ("ASSAULT", "4", "2025-03-03", "people")
    assert row["source"] == row["actor"] and row["dead"] == "12" and row["event_loc"] == "Gaza"
    assert row["id"].endswith("-" + str(int(row["id"].split("-")[1])))


def test_bad_filters_get_one_line_and_a_non_zero_exit(run_cli, stored):
    for args in (("--type", "bombing"), ("--status", "maybe"), ("--since", "yesterday")):
        result = run_cli("events", "--db", stored, *args)
        assert result.exit_code != 0
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_every_format_answers(run_cli, stored):
    for fmt in ("table", "json", "jsonl", "csv"):
        result = run_cli("events", "--db", stored, "--format", fmt)
        assert result.exit_code == 0 and result.stdout.strip(), fmt
