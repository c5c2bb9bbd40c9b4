"""Events in the store: the contract's fields survive a round trip, and an older events table gains them
through the named migration, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date
from newsledger.store import resolve_url
from newsledger.store.migrations import MIGRATIONS
from newsledger.store.writer import period_start


def test_events_round_trip_with_names_dates_and_figures(db_url, pipeline):
    text = ("In late November 2023, gunmen killed 12 villagers and wounded 30 others in Kafr Aza. "
            "Hamas and Islamic Jihad met Egyptian mediators on Friday.")
    with Ledger(db_url, pipeline=pipeline) as ledger:
        ledger.add([Article(text=text, id="a", published=parse_iso_date("2025-03-07"))])
        found = ledger.events()
    killed = next(e for e in found if e.trigger == "killed")
    assert (killed.type, killed.date, killed.first_day.isoformat()) == ("assault", "2023-11", "2023-11-01")
    assert killed.recipient == ["villagers"] and killed.dead_value == 12 and killed.injured_value == 30
    met = next(e for e in found if e.trigger == "met")
    assert met.actor == ["Hamas", "Islamic Jihad"] and met.date == "2025-03-07"
    assert text[met.span_start:met.span_end] == met.text


def test_period_start_reads_every_precision():
    assert [period_start(v) for v in ("2025-03-07", "2025-W10", "2025-03", "2025", None, "soon")] == [
        parse_iso_date("2025-03-07"), parse_iso_date("2025-03-03"), parse_iso_date("2025-03-01"),
        parse_iso_date("2025-01-01"), None, None]


def test_an_older_events_table_gains_the_contract_columns(db_url):
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, article_id INTEGER, ordinal INTEGER, "
                          "span_start INTEGER, span_end INTEGER, text TEXT, trigger TEXT, actor TEXT, "
                          "target TEXT, date DATE)"))
        conn.execute(text("INSERT INTO events (id, article_id, ordinal, span_start, span_end, text, trigger) "
                          "VALUES (1, 1, 0, 0, 4, 'shot', 'shot')"))
        dict(MIGRATIONS)["events_contract"](conn)
        dict(MIGRATIONS)["events_contract"](conn)  # a second run changes nothing
    columns = {c["name"] for c in inspect(engine).get_columns("events")}
    assert {"type", "status", "recipient", "date_value", "same_as", "content_of", "dead", "quote"} <= columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT trigger, type FROM events")).all() == [("shot", None)]
    engine.dispose()
