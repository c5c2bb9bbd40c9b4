"""Splitting sources into blocks that workers read on their own: JSONL line ranges, WARC files (one row
per record), single files and URLs. Planning reads no article; reading a block gives its articles."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsledger.errors import InputError
from newsledger.ingest.sources import FOLDER_SUFFIXES, JSONL_SUFFIXES, finish_article, read_sources
from newsledger.model import Article, Rejected

# Lines of a JSONL file a block holds: enough that a block is worth a task, few enough that a file of a
# few hundred articles still spreads over the workers.
LINES_PER_BLOCK = 64
BLOCKS_PER_WORKER = 8


@dataclass
class Block:
    """One unit of reading: a whole source, or lines [first_line, first_line + lines) of a JSONL file."""

    source: str
    offset: int = 0          # byte offset of first_line (JSONL)
    first_line: int = 1
    lines: int | None = None

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


def plan_blocks(sources: list[str], workers: int = 1) -> list[Block]:
    """The blocks of every source, in input order; folders are expanded as `add` reads them.

    JSONL files are cut into blocks of at most LINES_PER_BLOCK lines, fewer when the input is small, so
    that there are about eight blocks a worker: a block is what one actor reads and extracts at a time,
    so the last blocks, when one actor may be left working alone, are short."""
    files: list[str] = []
    for source in sources:
        if source == "-":
            raise InputError("--engine ray cannot read stdin", "save the input to a file and name the file")
        path = Path(source)
        if source.lower().startswith(("http://", "https://")) or not path.is_dir():
            files.append(source)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(FOLDER_SUFFIXES)
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
        if not found:
            files.append(source)  # reading it reports the empty folder
        files.extend(str(f) for f in found)
    jsonl = [f for f in files if f.lower().endswith(JSONL_SUFFIXES) and Path(f).is_file()]
    lines = sum(_count_lines(f) for f in jsonl)
    others = len(files) - len(jsonl)
    per_block = max(1, min(LINES_PER_BLOCK, -(-lines // max(1, BLOCKS_PER_WORKER * workers - others))))
    blocks: list[Block] = []
    for file in files:
        blocks.extend(_file_blocks(file, per_block))
    return blocks


def _count_lines(path: str) -> int:
    with open(path, "rb") as fh:
        return sum(1 for _ in fh)


def _file_blocks(source: str, lines_per_block: int) -> list[Block]:
    if not source.lower().endswith(JSONL_SUFFIXES) or not Path(source).is_file():
        return [Block(source)]
    blocks = []
    offset, line = 0, 1
    with open(source, "rb") as fh:
        while True:
            chunk = list(itertools.islice(fh, lines_per_block))
            if not chunk:
                break
            blocks.append(Block(source, offset, line, len(chunk)))
            offset += sum(len(x) for x in chunk)
            line += len(chunk)
    return blocks or [Block(source)]


def read_block(row: dict[str, Any], *, published: date | None, encoding: str | None,
               allow_private: bool) -> Iterator[Article | Rejected]:
    """The articles (and rejected inputs) of one block, as `add` reads them."""
    block = Block(**{k: row[k] for k in ("source", "offset", "first_line", "lines")})
    if block.lines is None:
        yield from read_sources([block.source], published=published, encoding=encoding,
                                allow_private=allow_private)
        return
    from newsledger.ingest.jsonl import read_jsonl_lines

    with open(block.source, "rb") as fh:
        fh.seek(block.offset)
        lines = list(itertools.islice(fh, block.lines))
    # Blank lines in front keep the numbering of the whole file in messages ("file.jsonl:130").
    padded = itertools.chain(itertools.repeat(b"", block.first_line - 1), lines)
    for item in read_jsonl_lines(padded, block.source, published=published):
        yield finish_article(item, block.source, published)
