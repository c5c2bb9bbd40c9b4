"""Shaping ledger answers for pages and the API: plain JSON records, pages of lists, sentences, safe links."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup, escape

from newsledger.errors import InputError

PER_PAGE = 25
MAX_PER_PAGE = 200
KIND_OF = {"figures": "figure", "quotes": "quote", "entities": "entity", "dates": "date", "events": "event",
           "added_figures": "added-figure", "added_quotes": "added-quote"}


def plain(value: Any) -> Any:
    """A value as JSON has it: dates as ISO strings, whole floats as ints, dataclasses as dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@dataclass
class Page:
    """One page of a list: its items, where it starts, and whether more follow."""

    items: list[Any]
    page: int
    per_page: int
    has_next: bool
    total: int | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(page: int, per_page: int) -> tuple[int, int]:
    if page < 1:
        raise InputError(f"page {page} does not exist", "pages start at 1")
    return page, max(1, min(per_page, MAX_PER_PAGE))


def page_of(items: Sequence[Any], page: int, per_page: int, *, complete: bool = True) -> Page:
    """Slice a list fetched with at least offset + per_page + 1 items (`complete`: the list is all of them)."""
    start = (page - 1) * per_page
    chunk = list(items[start:start + per_page])
    return Page(chunk, page, per_page, len(items) > start + per_page, len(items) if complete else None)


def page_json(page: Page, items: list[Any]) -> dict[str, Any]:
    return {"items": items, "page": page.page, "per_page": page.per_page, "has_next": page.has_next,
            "total": page.total}


def link(path: str, **params: Any) -> str:
    """A local URL with query parameters (empty ones left out)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", False)})
    return f"{path}?{query}" if query else path


def measure_url(key: str) -> str:
    return "/measures/" + quote(key, safe="")


def safe_url(url: str | None) -> str | None:
    """An article's URL when it is an http(s) link; anything else (javascript:, data:) is never a link."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*\n|\n")
_END_CHARS = "\"'”’)"  # what a sentence end holds besides white space


def figure_anchor(figure_id: int) -> str:
    """The id of a figure's card on its article page: an added figure (negative id) has its own."""
    return f"added-figure-{-figure_id}" if figure_id < 0 else f"figure-{figure_id}"


def sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence around a span as (before, span, after), for showing a record in its words."""
    # Only the last sentence end in the 300 characters before the span matters (the window below), so the
    # scan starts there, backed up to a character no sentence end contains: the same ends, found in O(300).
    begin, pos = 0, max(0, start - 300)
    while pos > 0 and (text[pos - 1].isspace() or text[pos - 1] in _END_CHARS):
        pos -= 1
    for m in _SENTENCE_END.finditer(text, pos, start):
        begin = m.end()
    stop = len(text)
    found = _SENTENCE_END.search(text, end)
    if found:
        stop = found.start() + len(found.group(0).rstrip())
    # A very long "sentence" (a list, a table) is cut to a window around the span.
    begin = max(begin, start - 300)
    stop = min(stop, end + 300)
    return text[begin:start], text[start:end], text[end:stop].rstrip()


COLOURS = ("figure", "quote", "entity", "date", "event")


def highlight(text: str, records: dict[str, list[dict[str, Any]]]) -> Markup:
    """The article text as HTML with every record's span marked in its kind's colour, each a link to its card.

    Spans nest and overlap (a figure inside a quote), so the text is cut at every span boundary and each
    piece links to the innermost record over it; only a record's first piece is a tab stop."""
    spans: list[tuple[int, int, str, int]] = []
    for kind, rows in records.items():
        one = KIND_OF.get(kind)
        if one is None:
            continue
        for row in rows:
            s, e = int(row["span_start"]), int(row["span_end"])
            if 0 <= s < e <= len(text):
                spans.append((s, e, one, int(row["id"])))
    cuts = sorted({0, len(text), *[s for s, _, _, _ in spans], *[e for _, e, _, _ in spans]})
    starting: dict[int, list[tuple[int, int, str, int]]] = {}
    for sp in spans:
        starting.setdefault(sp[0], []).append(sp)
    out: list[str] = []
    started: set[tuple[str, int]] = set()
    active: list[tuple[int, int, str, int]] = []
    class_of: dict[frozenset[str], str] = {}
    for a, b in zip(cuts, cuts[1:], strict=False):
        # The spans over the piece [a, b): those begun by a that end at b or later (a sweep, not a scan).
        if active:
            active = [sp for sp in active if sp[1] > a]
        if a in starting:
            active += starting[a]
        piece = escape(text[a:b])
        if not active:
            out.append(str(piece))
            continue
        inner = active[0] if len(active) == 1 else min(active, key=_innermost)
        kinds = frozenset(sp[2] for sp in active)
        classes = class_of.get(kinds)
        if classes is None:
            classes = class_of[kinds] = " ".join(sorted(f"hl-{k}" for k in kinds))
        key = (inner[2], inner[3])
        tab = "" if key not in started else ' tabindex="-1"'
        started.add(key)
        ref = f"{inner[2]}-{inner[3]}"
        out.append(f'<a class="hl {classes}" href="#{ref}" data-record="{ref}" draggable="false"{tab}>{piece}</a>')
    return Markup("".join(out))


# Which record a click on a piece covered by several of the same length means: the most specific.
_PRIORITY = {"added-figure": 0, "figure": 1, "date": 2, "entity": 3, "event": 4, "added-quote": 5, "quote": 6}


def _innermost(span: tuple[int, int, str, int]) -> tuple[int, int]:
    return span[1] - span[0], _PRIORITY[span[2]]


def text_diff(old: str, new: str, context: int = 1) -> list[tuple[str, str]]:
    """Paragraph-level changes between two versions as (mark, line): '+' added, '-' removed, ' ' context."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=context)
    out = []
    for line in list(lines)[2:]:
        if line.startswith("@@"):
            out.append(("@", "…"))
        elif line[:1] in "+- ":
            out.append((line[:1], line[1:]))
    return out


def number(value: Any) -> str:
    if value is None:
        return ""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def parse_day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise InputError(f"{name} {value!r} is not a date", "write it as YYYY-MM-DD") from err
