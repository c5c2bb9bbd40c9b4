"""Writing stored rows to a file as JSON lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from newsledger.errors import InputError, StoreError


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def write_rows(rows: Iterable[dict[str, Any]], format: str, path: Path) -> int:
    """Write rows (dicts sharing their keys) to `path`; returns how many were written."""
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        if format == "jsonl":
            return _jsonl(rows, path)
        if format == "csv":
            return _csv(rows, path)
        if format == "parquet":
            return _parquet(rows, path)
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}") from err
    raise InputError(f"unknown export format {format!r}", "choose jsonl, csv or parquet")


def _jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
            n += 1
    return n


def _csv(rows: Iterable[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({k: _plain(v) for k, v in row.items()})
            n += 1
    return n


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:
        raise StoreError("Parquet export needs pyarrow", "install it with: pip install 'newsledger[parquet]'"
                         ) from err
    n = 0
    writer = None
    schema = None
    try:
        for batch in _batches(rows, 50_000):
            if schema is None:
                # Columns that are empty in the first batch would be typed null; text is the safe guess.
                inferred = pa.Table.from_pylist(batch).schema
                schema = pa.schema([pa.field(f.name, pa.string() if pa.types.is_null(f.type) else f.type)
                                    for f in inferred])
                writer = pq.ParquetWriter(str(path), schema)
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))  # type: ignore[union-attr]
            n += len(batch)
        if writer is None:
            pq.write_table(pa.table({}), str(path))
    finally:
        if writer is not None:
            writer.close()
    return n
