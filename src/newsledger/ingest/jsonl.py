"""JSON Lines to articles: one `{"id", "text", "published"?, "title"?, "url"?}` object a line.

Each line is judged alone: a line that is not JSON, nests too deep, holds a number too long to read, a lone
surrogate, or fields of the wrong type becomes one Rejected naming `FILE:LINE`, and the batch goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from newsledger.errors import EmptyInput, InputError
from newsledger.model import Article, Rejected, parse_iso_date

# Longest line read (characters): the article limit plus room for the other fields and JSON escapes.
MAX_LINE_CHARS = 8_000_000
# Article fields that must be text (or null) when present.
_TEXT_FIELDS = ("title", "url", "outlet", "published")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number",
            str: "a string"}.get(type(value), type(value).__name__)


def _parse(text: str, where: str) -> Any:
    if len(text) > MAX_LINE_CHARS:
        raise InputError(f"{where}: the line has {len(text):,} characters, more than {MAX_LINE_CHARS:,}",
                         "split the article or leave the line out")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{where}: not a JSON object ({err.msg} at column {err.colno})",
                         "write one JSON object a line") from err
    except RecursionError as err:
        raise InputError(f"{where}: the JSON nests too deep to read", "write one flat object a line") from err
    except ValueError as err:  # an integer of more than 4,300 digits
        raise InputError(f"{where}: the line holds a number of more than 4,300 digits",
                         "write long ids as strings") from err


def _surrogate_problem(row: dict[str, Any]) -> str | None:
    for key, value in row.items():
        if isinstance(value, str) and (m := _SURROGATE.search(value)):
            return f'"{key}" holds a lone surrogate (\\u{ord(m.group()):04x} at character {m.start()})'
    return None


def _article(line: bytes | str, where: str, published: date | None) -> Article:
    try:
        text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: not UTF-8 (byte offset {err.start} in the line)",
                         "convert the file to UTF-8, e.g. with iconv") from err
    row = _parse(text, where)
    if not isinstance(row, dict):
        raise InputError(f"{where}: a JSON {type(row).__name__}, not an object",
                         'write one object a line: {"id": ..., "text": ...}')
    ident = row.get("id")
    if isinstance(ident, dict | list | bool):
        raise InputError(f"{where}: \"id\" is {_kind(ident)}", "give each line a string or number id")
    ident = None if ident is None else str(ident)
    body = row.get("text")
    if not isinstance(body, str):
        what = "has no \"text\"" if body is None else f"has a \"text\" that is {_kind(body)}"
        raise InputError(f"{where}: the object {what}", "give each line the article as a \"text\" string")
    for key in _TEXT_FIELDS:
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: \"{key}\" is {_kind(value)}, not a string",
                             f"give \"{key}\" as a string or leave it out")
    surrogate = _surrogate_problem({"id": ident or "", "text": body, **{k: row.get(k) for k in _TEXT_FIELDS}})
    if surrogate:
        raise InputError(f"{where}: {surrogate}, which is not Unicode text",
                         "a character was split in half; fix the program that wrote the file")
    if not body.strip():
        raise EmptyInput(f"{where}: \"text\" is empty", "leave the line out or give the article's text")
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
            yield Rejected(where=at, reason=str(err), id=_id_of(line), empty=isinstance(err, EmptyInput))


def _id_of(line: bytes | str) -> str | None:
    """The id of a rejected line where one can be read, so the output can echo it."""
    try:
        row = json.loads(line)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    ident = row.get("id") if isinstance(row, dict) else None
    if isinstance(ident, str) and not _SURROGATE.search(ident) or isinstance(ident, int | float):
        return str(ident)
    return None


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
