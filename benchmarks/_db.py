"""Shared by the benchmarks: emptying a scratch ledger database before a run."""

from __future__ import annotations

from pathlib import Path


def empty_database(db: str) -> None:
    """Start from an empty database: remove a SQLite file, or drop the tables of a PostgreSQL one."""
    from sqlalchemy import create_engine, text

    from newsledger.store import resolve_url

    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
