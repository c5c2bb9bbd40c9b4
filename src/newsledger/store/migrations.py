"""Named, recorded schema migrations: one list for SQLite and PostgreSQL, applied in order, never edited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from newsledger.errors import StoreError
from newsledger.store import changes, counts, schema

# A migration is (name, function). Its number is its position + 1. Once released a migration never
# changes: a schema change is a new function appended here, the same for both backends.
Migration = tuple[str, Callable[[Connection], None]]


# The tables of migration 1, by name: a table added to schema.py later is created by its own migration,
# so a new database and an upgraded one go through the same steps.
_INITIAL = ("articles", "measures", "figures", "quotes", "entities", "dates", "events",
            "measure_merges", "measure_splits")


def _initial_tables(conn: Connection) -> None:
    tables = [t for t in schema.metadata.sorted_tables if t.name in _INITIAL]
    schema.metadata.create_all(conn, tables=tables)


def create_tables(conn: Connection, *names: str) -> None:
    """Create the named tables of schema.py (and their indexes): the body of a migration that adds tables."""
    schema.metadata.create_all(conn, tables=[schema.metadata.tables[name] for name in names])


def add_columns(conn: Connection, table: str, *names: str) -> None:
    """Add columns declared in schema.py to an existing table, where missing.

    Migration 1 builds its tables from schema.py as it is now, so a new database already has a column that
    a later migration adds to an older one: this step is a no-op there."""
    have = {c["name"] for c in inspect(conn).get_columns(table)}
    for name in names:
        if name in have:
            continue
        column = schema.metadata.tables[table].c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}'))


def _full_text_search(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # An external-content FTS5 index over articles: the text is stored once, in `articles`.
        conn.execute(text(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "title, text, content='articles', content_rowid='id', tokenize='porter unicode61')"))
        conn.execute(text(
            "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"))
        conn.execute(text(
            "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
            "VALUES ('delete', old.id, old.title, old.text); END"))
        conn.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED"))
        conn.execute(text("CREATE INDEX ix_articles_search ON articles USING GIN (search)"))
    else:
        raise StoreError(f"full-text search is not available on {conn.dialect.name}",
                         "use SQLite or PostgreSQL")


_EVENT_COLUMNS = ("trigger_start", "type", "mode", "recipient", "date_value", "end_date", "date_text", "location",
                  "status", "source", "dead", "injured", "size", "same_as", "content_of", "quote")


def _events_contract(conn: Connection) -> None:
    """Events as the events contract has them: type, status, recipients, dates at their precision, links."""
    add_columns(conn, "events", *_EVENT_COLUMNS)
    have = {ix["name"] for ix in inspect(conn).get_indexes("events")}
    if "ix_events_date" not in have:
        next(ix for ix in schema.events.indexes if ix.name == "ix_events_date").create(conn)


def _stories(conn: Connection) -> None:
    create_tables(conn, "stories", "story_articles", "story_links", "story_rules")


def _measure_periods(conn: Connection) -> None:
    add_columns(conn, "figures", "period")


def _sources(conn: Connection) -> None:
    create_tables(conn, "sources", "source_aliases")


def _reference_series(conn: Connection) -> None:
    create_tables(conn, "reference_series", "reference_values")


def _corrections(conn: Connection) -> None:
    create_tables(conn, "corrections", "conflict_dismissals")


def _normalised_names(conn: Connection) -> None:
    """Lower-cased figure sources and quote speakers as generated columns, each indexed (schema.NAME_COLUMNS)."""
    for table, column, source in schema.NAME_COLUMNS:
        have = {c["name"] for c in inspect(conn).get_columns(table)}
        if column not in have:
            # SQLite cannot add a stored generated column to a table; a virtual one reads the same.
            kind = "VIRTUAL" if conn.dialect.name == "sqlite" else "STORED"
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} TEXT "
                              f"GENERATED ALWAYS AS (lower({source})) {kind}"))
    names = {column for _, column, _ in schema.NAME_COLUMNS}
    for record_table in (schema.figures, schema.quotes):
        for index in record_table.indexes:
            if names & {c.name for c in index.columns}:
                index.create(conn, checkfirst=True)


def _current_articles_index(conn: Connection) -> None:
    """An index on articles.is_current, so that stats counts current articles without reading them."""
    _create_index(conn, schema.articles, "ix_articles_current")


def _kept_conflicts(conn: Connection) -> None:
    """The conflicts table; a ledger that holds figures already is marked to have it filled on first use
    (finding conflicts is the ledger layer's work, which the store cannot call)."""
    create_tables(conn, "conflicts", "conflicts_pending")
    if conn.execute(select(schema.figures.c.id).limit(1)).first() is not None:
        conn.execute(schema.conflicts_pending.insert().values(measure_key="*"))


def _create_index(conn: Connection, table: Any, name: str) -> None:
    """Create one index declared in schema.py, where missing (IF NOT EXISTS: an index on an expression is
    not always seen by SQLAlchemy's check, and a new database already has it from migration 1)."""
    from sqlalchemy.schema import CreateIndex

    for index in table.indexes:
        if index.name == name:
            conn.execute(CreateIndex(index, if_not_exists=True))


MIGRATIONS: list[Migration] = [
    ("initial_tables", _initial_tables),
    ("full_text_search", _full_text_search),
    ("events_contract", _events_contract),
    ("stories", _stories),
    ("measure_periods", _measure_periods),
    ("sources", _sources),
    ("reference_series", _reference_series),
    ("corrections", _corrections),
    ("watched_feeds", lambda conn: create_tables(conn, "feeds", "feed_items")),
    ("normalised_names", _normalised_names),
    ("current_articles_index", _current_articles_index),
    ("added_records", lambda conn: create_tables(conn, "added_records")),
    ("story_index", lambda conn: create_tables(conn, "story_index", "story_terms")),
    ("maintained_counts", lambda conn: counts.install(conn)),
    ("article_listing_index", lambda conn: _create_index(conn, schema.articles, "ix_articles_listing")),
    ("maintained_source_counts", lambda conn: counts.install_source_counts(conn)),
    ("ledger_changes", lambda conn: changes.install(conn)),
    ("kept_conflicts", _kept_conflicts),
    ("maintained_speaker_counts", lambda conn: counts.install_speaker_counts(conn)),
    ("figure_listing_index", lambda conn: _create_index(conn, schema.figures, "ix_figures_listing")),
]

LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The highest migration recorded in the database (0 for an empty one).

    A database that holds tables but no `schema_version` was made by another program: refused, untouched."""
    names = set(inspect(conn).get_table_names())
    if "schema_version" not in names:
        if names:
            shown = ", ".join(sorted(names)[:4]) + (", ..." if len(names) > 4 else "")
            raise StoreError(f"the database holds tables ({shown}) but no schema_version table: "
                             "it was not made by newsledger", "give another --db; nothing was changed")
        return 0
    found = conn.execute(select(schema.schema_version.c.version)
                         .order_by(schema.schema_version.c.version.desc()).limit(1)).scalar()
    return int(found or 0)


# Any constant will do: the key of the PostgreSQL advisory lock held while the schema changes.
_PG_LOCK_KEY = 0x6E65_7773  # "news"


def _lock(conn: Connection) -> None:
    """Take the database's schema lock for the rest of this transaction, so that processes opening a new
    database together create its schema once, one after the other (the others then find it made)."""
    if conn.dialect.name == "sqlite":
        # pysqlite has not begun a transaction yet (it defers BEGIN until the first write): begin one
        # that holds the write lock from the start; waiting for it is bounded by busy_timeout.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def check_version(engine: Engine) -> int:
    """The schema version of an existing ledger, read without changing anything (for read-only use).

    Raises StoreError for a database that is not a ledger, an empty one, and one older or newer than this
    newsledger."""
    try:
        with engine.connect() as conn:
            version = current_version(conn)
            done = applied(conn)
            missing = {name for name, _ in MIGRATIONS} - done
    except (DBAPIError, SQLAlchemyError) as err:
        raise StoreError(f"cannot read the database schema: {str(getattr(err, 'orig', err)).strip()}") from err
    if version == 0:
        raise StoreError("the database holds no ledger yet", "add articles first with `newsledger add`")
    if done - {name for name, _ in MIGRATIONS} or (version > LATEST and not done):
        raise StoreError(f"the database is at schema version {version}, newer than this newsledger knows "
                         f"({LATEST})", "upgrade newsledger to read it; nothing was changed")
    if version < LATEST or missing:
        raise StoreError(f"the ledger is at schema version {version}, older than this newsledger's {LATEST}"
                         + (f" (it lacks {', '.join(sorted(missing))})" if missing and version >= LATEST else ""),
                         "upgrade it with `newsledger check --upgrade` (or any `newsledger add`)")
    return min(version, LATEST)


def applied(conn: Connection) -> set[str]:
    """The names of the migrations recorded in the database (none for an empty one)."""
    if not inspect(conn).has_table("schema_version"):
        return set()
    return set(conn.execute(select(schema.schema_version.c.name)).scalars())


def migrate(engine: Engine) -> int:
    """Apply the missing migrations, each in its own transaction under the schema lock; refuse a database
    of a newer schema or one made by another program. Safe when several processes open one new database.

    Migrations are matched by name, not only counted: a ledger made by a development build that applied
    the same migrations in another order gets exactly the ones it lacks."""
    known = {name for name, _ in MIGRATIONS}
    try:
        with engine.connect() as conn:
            version = current_version(conn)  # refuses foreign databases before anything is created
            done = applied(conn)
        unknown = sorted(done - known)
        if unknown or (version > LATEST and not done):
            raise StoreError(
                f"the database is at schema version {version}"
                + (f" with migrations this newsledger does not know ({', '.join(unknown)})" if unknown else "")
                + f", newer than this newsledger knows ({LATEST})",
                "upgrade newsledger to read it; nothing was changed")
        if known <= done:
            return LATEST
        with engine.begin() as conn:
            _lock(conn)
            if not inspect(conn).has_table("schema_version"):
                current_version(conn)
                schema.schema_version.create(conn)
        for name, func in MIGRATIONS:
            if name in done:
                continue
            with engine.begin() as conn:
                _lock(conn)
                # Another process may have applied it while this one waited for the lock.
                if name in applied(conn):
                    continue
                func(conn)
                conn.execute(schema.schema_version.insert().values(
                    version=current_version(conn) + 1, name=name,
                    applied_at=datetime.now(UTC).replace(tzinfo=None)))
    except (DBAPIError, SQLAlchemyError) as err:
        from newsledger.store.engine import explain

        message, hint = explain(err)
        raise StoreError(f"cannot prepare the database schema: {message}", hint) from err
    return LATEST
