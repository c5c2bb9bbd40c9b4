"""Extractions as rows that travel between processes and machines: JSON text in Parquet shards.

A shard row is one input: `seq` (its place in the input, so shards load in input order), `status`
(extracted | rejected | skipped), `where` and `reason` for the others, `text_hash`, and the whole
extraction (article text included) as JSON. `load_shards` stores the extracted rows in any ledger,
each in one transaction, skipping what the ledger already holds, so loading twice is harmless.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.ledger import AddReport, Ledger
from newsledger.ledger.core import Progress
from newsledger.model import (
    Article,
    DateMention,
    Entity,
    Event,
    Extraction,
    Figure,
    Quote,
    Rejected,
    parse_iso_date,
)

SHARD_COLUMNS = ("seq", "status", "where", "reason", "text_hash", "extraction")


def encode(ex: Extraction) -> str:
    """One extraction, article text and all, as a JSON string (`decode` gives it back equal)."""
    data = dataclasses.asdict(ex)
    published = ex.article.published
    data["article"]["published"] = published.isoformat() if published else None
    return json.dumps(data, ensure_ascii=False)


def decode(text: str) -> Extraction:
    data = json.loads(text)
    art = dict(data["article"])
    art["published"] = parse_iso_date(art.get("published"))
    return Extraction(
        article=Article(**art),
        figures=[Figure(**f) for f in data.get("figures", [])],
        quotes=[Quote(**q) for q in data.get("quotes", [])],
        entities=[Entity(**e) for e in data.get("entities", [])],
        dates=[DateMention(**d) for d in data.get("dates", [])],
        events=[Event(**e) for e in data.get("events", [])],
        warnings=list(data.get("warnings", [])),
    )


def shard_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .parquet files named or inside the named folders, in name order (= input order)."""
    files: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(p.glob("*.parquet")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such shard file or folder", "give the folder `add --shards` wrote")
    if not files:
        raise InputError("no .parquet shards found in " + ", ".join(map(str, paths)),
                         "give the folder `add --shards` wrote")
    return files


def _pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet shards need pyarrow", 'install it with: pip install "newsledger[parquet]"') from None
    return pq


def read_shard_rows(paths: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """Every row of the shards, in input order (files by name, rows by `seq` within a file)."""
    pq = _pyarrow()
    for path in shard_files(paths):
        try:
            table = pq.read_table(path, columns=list(SHARD_COLUMNS))
        except Exception as err:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
            raise InputError(f"{path}: not a newsledger shard ({type(err).__name__}: {err})",
                             "give the folder `add --shards` wrote") from None
        yield from sorted(table.to_pylist(), key=lambda row: row["seq"])


def stored_hashes_in_shards(folder: str | Path) -> set[str]:
    """Text hashes already written to the shards in `folder` (a killed shard run resumes past them)."""
    p = Path(folder)
    if not p.is_dir() or not any(p.glob("*.parquet")):
        return set()
    pq = _pyarrow()
    out: set[str] = set()
    for path in sorted(p.glob("*.parquet")):
        try:
            for value in pq.read_table(path, columns=["text_hash"]).column("text_hash").to_pylist():
                if value:
                    out.add(value)
        except Exception:  # noqa: BLE001 - a shard cut short by a kill is written again
            path.unlink(missing_ok=True)
    return out


def write_shard(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows to one Parquet file atomically (a temporary name, then a rename)."""
    import pyarrow as pa

    pq = _pyarrow()
    table = pa.table({name: [row.get(name) for row in rows] for name in SHARD_COLUMNS},
                     schema=pa.schema([("seq", pa.int64()), ("status", pa.string()), ("where", pa.string()),
                                       ("reason", pa.string()), ("text_hash", pa.string()),
                                       ("extraction", pa.large_string())]))
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    tmp.replace(path)


def rows_to_results(rows: Iterable[dict[str, Any]], report: AddReport) -> Iterator[Extraction | Rejected]:
    """Extractions and Rejecteds from shard rows; skipped rows are counted in `report`."""
    for row in rows:
        if row["status"] == "extracted":
            yield decode(row["extraction"])
        elif row["status"] == "skipped":
            report.skipped += 1
        else:
            yield Rejected(where=row["where"] or "article", reason=row["reason"] or "rejected")


def load_shards(ledger: Ledger, paths: Iterable[str | Path], *, progress: Progress | None = None) -> AddReport:
    """Store the extractions in Parquet shards into `ledger` (one transaction an article; an article the
    ledger already holds is skipped, so loading again resumes)."""
    report = AddReport()
    return ledger.add_extractions(rows_to_results(read_shard_rows(list(paths)), report), progress=progress,
                                  report=report)
