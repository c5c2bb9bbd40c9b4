"""JSON Lines to articles: one `{"id", "text", "published"?, "title"?, "url"?}` object a line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from newsledger.errors import InputError
from newsledger.model import Article, Rejected, parse_iso_date


def _article(line: bytes | str, where: str, published: date | None) -> Article:
    try:
        text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not UTF-8 (byte offset {err.start} in the line)",
                         "convert the file to UTF-8, e.g. with iconv") from err
    try:
        row = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not a JSON object ({err.msg} at column {err.colno})",
                         "write one JSON object a line") from err
    if not isinstance(row, dict):
        raise InputError(f"{where}: a JSON {type(row).__name__}, not an object",
                         'write one object a line: {"id": ..., "text": ...}')
    ident = row.get("id")
    ident = None if ident is None else str(ident)
    body = row.get("text")
    if not isinstance(body, str):
        what = "has no \"text\"" if body is None else f"has a \"text\" that is a {type(body).__name__}"
        raise InputError(f"{where}: the object {what}", "give each line the article as a \"text\" string")
    if not body.strip():
        raise InputError(f"{where}: \"text\" is empty", "leave the line out or give the article's text")
    when = published
    if when is None and row.get("published"):
        try:
            when = parse_iso_date(str(row["published"]))
        except ValueError as err:
            raise InputError(f"{where}: \"published\" {row['published']!r} is not a YYYY-MM-DD date",
                             "write dates as 2025-03-07") from err
    return Article(
        text=body,
        id=ident if ident is not None else where,
        published=when,
        title=row.get("title") or None,
        url=row.get("url") or None,
        outlet=row.get("outlet") or None,
        origin="jsonl",
    )


def read_jsonl_lines(lines: Iterable[bytes | str], where: str, *, published: date | None = None
                     ) -> Iterator[Article | Rejected]:
    """Articles from JSON lines; a bad line becomes `Rejected(where="FILE:LINE")` and the rest go on."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        at = f"{where}:{number}"
        try:
            yield _article(line, at, published)
        except InputError as err:
            yield Rejected(where=at, reason=str(err), id=_id_of(line))


def _id_of(line: bytes | str) -> str | None:
    """The id of a rejected line where one can be read, so the output can echo it."""
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return str(row["id"]) if isinstance(row, dict) and row.get("id") is not None else None


def read_jsonl(path: str | Path, *, published: date | None = None) -> Iterator[Article | Rejected]:
    """Stream a .jsonl file line by line (never read whole), yielding articles and rejected lines."""
    p = Path(path)
    try:
        fh = p.open("rb")
    except OSError as err:
        yield Rejected(where=str(p), reason=f"{p}: cannot be read ({err.strerror})")
        return
    with fh:
        yield from read_jsonl_lines(fh, str(p), published=published)
