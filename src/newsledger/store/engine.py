"""Database URLs and engines: `--db` / NEWSLEDGER_DB / ./newsledger.db, SQLite pragmas, one clear error."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from newsledger.errors import StoreError

DEFAULT_DB = "newsledger.db"
ENV_VAR = "NEWSLEDGER_DB"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for `db` (a path or URL), else NEWSLEDGER_DB, else ./newsledger.db."""
    raw = str(db) if db is not None else os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().resolve())
    scheme, rest = raw.split("://", 1)
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        # psycopg 3 is the one PostgreSQL driver we ship; plain postgresql:// would pick psycopg2.
        return "postgresql+psycopg://" + rest
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return raw
    raise StoreError(f"unsupported database URL scheme {scheme!r}",
                     "give a file path, sqlite:///PATH or postgresql://USER@HOST/DB")


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
    # Show the URL as users write it: the driver name is ours, not theirs.
    return shown.replace("postgresql+psycopg://", "postgresql://", 1)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other backends and in-memory databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # First, so that every later statement (journal_mode too) waits for another process's lock.
    cur.execute("PRAGMA busy_timeout=10000")
    # WAL: readers never block the writer and a killed writer leaves the last committed state;
    # synchronous=NORMAL is durable at each checkpoint and keeps per-article commits cheap. Only on a
    # new database or a ledger: another program's database (refused later) is left exactly as it is.
    tables = {row[0] for row in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables or "schema_version" in tables:
        cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # 64 MB of page cache (the default is 2 MB): a series reads pages spread over the whole file.
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


def _sqlite_read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Reading never changes the file: no journal-mode switch (a write) on a database that is not ours.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA cache_size=-65536")
    cur.close()


# What SQLite's messages mean for the user, and whether running the command again could help.
_SQLITE_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    ("file is not a database", "the file is not a SQLite database",
     "give the path of a newsledger ledger, or a new file name, with --db"),
    ("malformed", "the database file is damaged",
     "restore it from a backup; `newsledger check` reports what is wrong"),
    ("readonly database", "the database is read-only here",
     "give a writable copy with --db, or use only the reading commands"),
    ("unable to open database file", "the database file cannot be opened",
     "check that the file and its folder exist and are readable (and writable, to add)"),
    ("disk i/o error", "the disk failed while reading or writing the database",
     "check the disk and free space, then run the command again"),
    ("database or disk is full", "the disk is full", "free some space, then run the command again"),
    ("database is locked", "another process held the database for more than 10 seconds",
     "run the command again when the other process is done"),
)


def explain(err: BaseException) -> tuple[str, str | None]:
    """One line saying what a database error means, and what to do (None when the message says it)."""
    first = _first_line(err)
    low = first.lower()
    for needle, message, hint in _SQLITE_PROBLEMS:
        if needle in low:
            return f"{message} ({first})", hint
    if "connection" in low or "server" in low or "timeout" in low:
        return first, "check that the server runs and the URL, user and database are right"
    return first, None


def transient(err: BaseException) -> bool:
    """Whether running the command again may succeed (a lock, a dropped connection), not a bad value."""
    low = _first_line(err).lower()
    return any(w in low for w in ("locked", "connection", "server closed", "timeout", "deadlock",
                                  "could not serialize", "disk i/o", "full"))


def make_engine(db: str | os.PathLike[str] | None = None, *, must_exist: bool = False,
                read_only: bool = False) -> Engine:
    """An engine for `db`, checked by one connection; any failure is a StoreError saying what to do.

    `read_only` leaves a SQLite file exactly as it is (no journal-mode change)."""
    url = resolve_url(db)
    shown = display_url(url)
    path = sqlite_path(url)
    if path is not None:
        if (must_exist or read_only) and not path.exists():
            raise StoreError(f"no ledger at {path}", "add articles first with `newsledger add`, or give --db")
        if not path.parent.is_dir():
            raise StoreError(f"cannot create the ledger {path}: folder {path.parent} does not exist",
                             "create the folder or give another --db")
    kwargs: dict[str, Any] = {}
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError as err:
            raise StoreError("PostgreSQL needs the psycopg package",
                             "install it with: pip install 'newsledger[postgres]'") from err
        kwargs["connect_args"] = {"connect_timeout": 5}
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, SQLAlchemyError) as err:
        raise StoreError(f"cannot use database {shown}: {_first_line(err)}") from err
    if path is not None:
        event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (DBAPIError, SQLAlchemyError) as err:
        engine.dispose()
        if path is not None:
            message, hint = explain(err)
            raise StoreError(f"cannot open the ledger {path}: {message}", hint) from err
        raise StoreError(f"cannot reach database {shown}: {_first_line(err)}",
                         "check that the server runs and the URL, user and database are right") from err
    return engine


def _first_line(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__
