"""The Store: an open, migrated ledger database with transactional writes and typed reads."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from newsledger.errors import StoreError, WriteConflict
from newsledger.model import Article, Extraction
from newsledger.store import changes, conflicts, migrations, queries, schema
from newsledger.store.engine import display_url, explain, make_engine, resolve_url, sqlite_path, transient
from newsledger.store.overrides import Overrides, Split
from newsledger.store.writer import (
    MeasureRow,
    Stored,
    find_duplicate,
    find_duplicates,
    text_hash,
    write_extraction,
)

# A SQLite file up to this size gets `PRAGMA quick_check` when opened for writing (well under a second);
# larger ones are checked on demand with `newsledger check`.
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


class Store:
    """One ledger database. Open with `Store(db)`; every method raises StoreError on failure.

    `read_only` opens an existing ledger without creating, migrating or writing anything (a file that is
    not a ledger, an empty one, or one of another schema version is refused); otherwise the database is
    created if needed, checked (small SQLite files) and migrated."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, must_exist: bool = False,
                 read_only: bool = False) -> None:
        self.url = resolve_url(db)
        self.read_only = read_only
        self._held: Connection | None = None  # see holding()
        self.engine = make_engine(self.url, must_exist=must_exist, read_only=read_only)
        try:
            if read_only:
                self.schema_version = migrations.check_version(self.engine)
            else:
                self._quick_check()
                self.schema_version = migrations.migrate(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    def _quick_check(self) -> None:
        path = self.path
        if path is None or not path.exists() or path.stat().st_size > QUICK_CHECK_MAX_BYTES:
            return
        problems = self.integrity(quick=True)
        if problems:
            first = " ".join(problems[0].replace("***", "").split())[:200]
            raise StoreError(f"the ledger {path} is damaged ({first})",
                             "restore it from a backup; nothing was added")

    def integrity(self, quick: bool = False) -> list[str]:
        """What SQLite's integrity check finds wrong (an empty list when the file is sound; always empty
        on PostgreSQL, which checks its own pages)."""
        if self.backend != "sqlite":
            return []
        pragma = "quick_check" if quick else "integrity_check"
        try:
            with self.engine.connect() as conn:
                rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}")]
        except (DBAPIError, SQLAlchemyError) as err:
            return [explain(err)[0]]
        return [] if rows == ["ok"] else rows

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    @property
    def path(self) -> Any:
        return sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading; database errors become StoreError."""
        try:
            with self.engine.connect() as conn:
                yield conn
        except (DBAPIError, SQLAlchemyError) as err:
            message, hint = explain(err)
            raise StoreError(f"reading {self.display_url} failed: {message}", hint) from err

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction: everything inside commits together or not at all (and counts as one change)."""
        try:
            with self.engine.begin() as conn:
                yield conn
                changes.bump(conn)  # readers see the new count with what was written (store/changes.py)
        except (DBAPIError, SQLAlchemyError) as err:
            raise _write_error(self.display_url, err) from err

    # -- ingest ----------------------------------------------------------------------------------------
    def duplicate_of(self, article: Article) -> Stored | None:
        """The stored article this one duplicates, checked before the (costly) extraction."""
        with self.read() as conn:
            return find_duplicate(conn, article.url, text_hash(article.text))

    def duplicates_of(self, articles: Sequence[Article]) -> list[Stored | None]:
        """duplicate_of for each of `articles`, in one read."""
        with self.read() as conn:
            return find_duplicates(conn, [(a.url, text_hash(a.text)) for a in articles])

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Keep one connection for the adds made inside the block (PostgreSQL: one liveness ping for them all,
        not one an article); nothing on SQLite, whose connections cost no round trip."""
        if self.backend != "postgresql" or self._held is not None:
            yield
            return
        try:
            with self.engine.connect() as conn:
                self._held = conn
                try:
                    yield
                finally:
                    self._held = None
        except (DBAPIError, SQLAlchemyError) as err:
            raise _write_error(self.display_url, err) from err

    def add(self, extraction: Extraction, measures: Sequence[MeasureRow], mark: Iterable[str] = (),
            mark_earlier: Callable[[list[int]], Iterable[str]] | None = None) -> Stored:
        """Store an article and all its records in one transaction (a duplicate stores nothing), with the
        measures whose kept conflicts it changes (`mark`, and `mark_earlier(ids)` of the versions of its URL
        stored before, when there are any) marked pending in that same transaction."""
        marks = sorted(set(mark))
        for _attempt in range(3):
            try:
                if self.backend == "postgresql":  # the same rows in three round trips (store/pg_writer.py)
                    from newsledger.store import pg_writer

                    if self._held is not None:
                        return pg_writer.add(self._held, extraction, measures, marks, mark_earlier)
                    with self.engine.connect() as conn:
                        return pg_writer.add(conn, extraction, measures, marks, mark_earlier)
                with self.engine.begin() as conn:
                    stored = write_extraction(conn, extraction, measures)
                    if stored.status != "duplicate":
                        earlier = mark_earlier(stored.earlier) if stored.earlier and mark_earlier else ()
                        conflicts.mark(conn, [*marks, *earlier])
                        changes.bump(conn)
                    return stored
            except IntegrityError as err:
                # Another process stored the same text, or a version of the same URL, between our check
                # and our insert: a same text is a duplicate; a new version is tried again on top of it.
                dup = self.duplicate_of(extraction.article)
                if dup is not None:
                    return dup
                last: Exception = err
            except (DBAPIError, SQLAlchemyError) as err:
                raise _write_error(self.display_url, err) from err
        raise _write_error(self.display_url, last) from last

    # -- manual regrouping ---------------------------------------------------------------------------
    def overrides(self) -> Overrides:
        with self.read() as conn:
            merges = {r.from_key: r.into_key for r in conn.execute(select(schema.measure_merges))}
            splits = [Split(r.id, r.from_key, r.pattern, r.into_key, r.label)
                      for r in conn.execute(select(schema.measure_splits).order_by(schema.measure_splits.c.id))]
        return Overrides(merges, splits)

    def add_merge(self, from_key: str, into_key: str) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.write() as conn:
            conn.execute(delete(schema.measure_merges).where(schema.measure_merges.c.from_key == from_key))
            conn.execute(schema.measure_merges.insert().values(from_key=from_key, into_key=into_key,
                                                               created_at=now))

    def remove_merge(self, from_key: str) -> int:
        with self.write() as conn:
            return conn.execute(delete(schema.measure_merges)
                                .where(schema.measure_merges.c.from_key == from_key)).rowcount

    def add_split(self, from_key: str, pattern: str, into_key: str, label: str) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        with self.write() as conn:
            conn.execute(schema.measure_splits.insert().values(
                from_key=from_key, pattern=pattern, into_key=into_key, label=label, created_at=now))

    def remove_split(self, into_key: str) -> int:
        with self.write() as conn:
            return conn.execute(delete(schema.measure_splits)
                                .where(schema.measure_splits.c.into_key == into_key)).rowcount


def _write_error(shown: str, err: BaseException) -> StoreError:
    """A failed write: what it means, and "run the command again" only where that can help."""
    message, hint = explain(err)
    if isinstance(err, IntegrityError):
        # rows another process wrote between our read and our write: reading again and retrying can succeed
        return WriteConflict(f"writing to {shown} failed: {message}",
                             hint or "nothing of it was stored; run the command again")
    if hint is None:
        hint = ("nothing of it was stored; run the command again" if transient(err)
                else "nothing of it was stored; this will fail again with the same input, please report it")
    return StoreError(f"writing to {shown} failed: {message}", hint)


def _reason(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


__all__ = ["Store", "queries"]
