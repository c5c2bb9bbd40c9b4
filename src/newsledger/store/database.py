"""The Store: an open, migrated ledger database with transactional writes and typed reads."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from newsledger.errors import StoreError
from newsledger.model import Article, Extraction
from newsledger.store import migrations, queries, schema
from newsledger.store.engine import display_url, make_engine, resolve_url, sqlite_path
from newsledger.store.overrides import Overrides, Split
from newsledger.store.writer import MeasureRow, Stored, find_duplicate, text_hash, write_extraction


class Store:
    """One ledger database. Open with `Store.open(db)`; every method raises StoreError on failure."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, must_exist: bool = False) -> None:
        self.url = resolve_url(db)
        self.engine = make_engine(self.url, must_exist=must_exist)
        self.schema_version = migrations.migrate(self.engine)

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
            raise StoreError(f"reading {self.display_url} failed: {_reason(err)}") from err

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction: everything inside commits together or not at all."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except (DBAPIError, SQLAlchemyError) as err:
            raise StoreError(f"writing to {self.display_url} failed: {_reason(err)}",
                             "nothing of this article was stored; run the command again") from err

    # -- ingest ----------------------------------------------------------------------------------------
    def duplicate_of(self, article: Article) -> Stored | None:
        """The stored article this one duplicates, checked before the (costly) extraction."""
        with self.read() as conn:
            return find_duplicate(conn, article.url, text_hash(article.text))

    def add(self, extraction: Extraction, measures: Sequence[MeasureRow]) -> Stored:
        """Store an article and all its records in one transaction (a duplicate stores nothing)."""
        for _attempt in range(3):
            try:
                with self.engine.begin() as conn:
                    return write_extraction(conn, extraction, measures)
            except IntegrityError as err:
                # Another process stored the same text, or a version of the same URL, between our check
                # and our insert: a same text is a duplicate; a new version is tried again on top of it.
                dup = self.duplicate_of(extraction.article)
                if dup is not None:
                    return dup
                last: Exception = err
            except (DBAPIError, SQLAlchemyError) as err:
                raise StoreError(f"writing to {self.display_url} failed: {_reason(err)}",
                                 "nothing of this article was stored; run the command again") from err
        raise StoreError(f"writing to {self.display_url} failed: {_reason(last)}",
                         "nothing of this article was stored; run the command again") from last

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


def _reason(err: BaseException) -> str:
    orig = getattr(err, "orig", None) or err
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


__all__ = ["Store", "queries"]
