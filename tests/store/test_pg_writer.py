"""PostgreSQL's storing path (store/pg_writer.py) stores exactly what SQLite's does: every row of every table,
ids included, for real articles, a new version of a URL, a duplicate, and text that JSON and SQL must escape."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import DateTime, select

from newsledger.ledger import Ledger
from newsledger.model import Article, Extraction, Quote
from newsledger.store import schema

# Characters with a meaning to JSON, to PostgreSQL's array and COPY formats, and to SQL, and words that
# read as null, in every kind of stored string.
AWKWARD = ["NULL", "null", "a\tb", "line\nbreak", "back\\slash", 'say "no"', "{a,b}", "it's", "é€😀 x",
           "\\u0041", "x\x01y", " padded "]


def _lines(n: int) -> str:
    return "".join(f'In district {i},\t{i + 2} people were injured, the "{AWKWARD[i % len(AWKWARD)]}" office '
                   f"said on Monday \\ {i}.\n" for i in range(n))


def _awkward(ex: Extraction) -> Extraction:
    """The extraction with awkward strings in the stored fields that carry names and words."""
    pick = AWKWARD.__getitem__
    figures = [dataclasses.replace(f, source=pick(i % len(AWKWARD)), counted=f"{f.counted} {pick(i % 5)}")
               for i, f in enumerate(ex.figures)]
    entities = [dataclasses.replace(e, canonical=pick(i % len(AWKWARD))) for i, e in enumerate(ex.entities)]
    quotes = [*ex.quotes, Quote(start=0, end=11, content=AWKWARD[4] + AWKWARD[8], kind="direct",
                                speaker="NULL", speaker_mention=AWKWARD[2], cue="said")]
    return dataclasses.replace(ex, figures=figures, entities=entities, quotes=quotes)


def _dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without the times they were written and the marks' random tokens."""
    out = {}
    with Ledger(db, read_only=True) as ledger, ledger.store.read() as conn:
        for table in schema.metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, DateTime) and c.name != "token"]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    return out


@pytest.fixture(scope="module")
def extractions(pipeline, corpus_dir) -> list[Extraction]:
    from newsledger.ingest.sources import read_sources

    real = [a for a in read_sources([str(corpus_dir / "gva-local.jsonl")]) if isinstance(a, Article)][:4]
    many = Article(text=_lines(120), id="many", url="https://news.example/many", published=real[0].published)
    done = [x for x in pipeline.extract_many([*real, many]) if isinstance(x, Extraction)]
    assert len(done[-1].figures) >= 100, "the long article has a figure a line"
    changed = dataclasses.replace(real[1], text=real[1].text + " Police said 3 more people were hurt.")
    version = next(x for x in pipeline.extract_many([changed]) if isinstance(x, Extraction))
    return [*done[:-1], _awkward(done[-1]), version, done[0]]  # a new version of a URL, then a duplicate


def test_postgres_ledger_is_row_for_row_the_sqlite_ledger(db_url, tmp_path, extractions):
    if not db_url.startswith("postgres"):
        pytest.skip("compares PostgreSQL's storing path with SQLite's")
    sqlite_db = str(tmp_path / "same.db")
    reports = []
    for db in (sqlite_db, db_url):
        with Ledger(db) as ledger:
            reports.append(ledger.add_extractions(extractions))
    assert [(r.added, r.versions, r.skipped) for r in reports] == [(5, 1, 1)] * 2
    on_sqlite, on_postgres = _dump(sqlite_db), _dump(db_url)
    assert len(on_postgres["figures"]) >= 100 and len(on_postgres["articles"]) == 6
    for name, rows in on_sqlite.items():
        assert on_postgres[name] == rows, name
    assert set(AWKWARD) <= {row[source] for row in on_postgres["figures"]}  # read back as written


source = [c.name for c in schema.figures.columns if not isinstance(c.type, DateTime)].index("source")


def test_add_goes_on_when_the_server_drops_its_connection_between_articles(db_url, extractions):
    if not db_url.startswith("postgres"):
        pytest.skip("PostgreSQL keeps one connection for a whole add")
    import psycopg

    from newsledger.store.engine import resolve_url

    ledger = Ledger(db_url)

    def dropping() -> Any:
        for i, ex in enumerate(extractions[:4]):
            if i == 2:  # the connection `add` holds for its articles ends, as when the server restarts
                held = ledger.store._held
                assert held is not None
                pid = held.connection.driver_connection.info.backend_pid
                with psycopg.connect(resolve_url(db_url).replace("+psycopg", ""), autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            yield ex

    with ledger:
        report = ledger.add_extractions(dropping())
    assert (report.added, report.failed) == (4, [])
    assert len(_dump(db_url)["articles"]) == 4


def test_a_wrong_synchronous_commit_setting_is_refused_with_what_to_set(db_url, extractions, monkeypatch):
    if not db_url.startswith("postgres"):
        pytest.skip("the setting is PostgreSQL's")
    from newsledger.errors import StoreError
    from newsledger.store import pg_writer

    monkeypatch.setenv(pg_writer.SYNCHRONOUS_COMMIT, "sometimes")
    with Ledger(db_url) as ledger, pytest.raises(StoreError) as err:
        ledger.add_extractions(extractions[:1])
    assert "synchronous_commit" in str(err.value) and "remote_apply" in (err.value.hint or "")
    monkeypatch.setenv(pg_writer.SYNCHRONOUS_COMMIT, "on")  # waits for the flush: stored all the same
    with Ledger(db_url) as ledger:
        assert ledger.add_extractions(extractions[:1]).added == 1
