"""HTTP caching of what the server renders: ETags with 304 answers, and a bounded cache of rendered pages.

Both are keyed on the ledger's change count (`Ledger.change_state`, one row read a request): every write the
Store commits (a correction, an added record, a merge or split, a dismissal, a new article, from this server,
another worker or the CLI) adds one to it, so a page rendered before a write is never served after it.

A page is rendered once with a placeholder where the visitor's CSRF token goes, and the token is put in
when it is served, so no visitor ever sees another's token. The ETag covers the change count, the URL, what
the client accepts, the visitor's CSRF token and this build of the web layer; a client that sends it back
(If-None-Match) gets 304 Not Modified without the page being rendered. A request with
`Cache-Control: no-cache` (a browser's hard reload) is rendered afresh.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from newsledger import __version__

HERE = Path(__file__).resolve().parent
# Paths never cached here: static files carry their own validators.
UNCACHED = ("/static/",)


def build_id() -> str:
    """What else a page depends on besides the ledger: this version of newsledger and of its templates."""
    h = hashlib.sha1(__version__.encode())
    for path in sorted(HERE.glob("templates/*.html")):
        h.update(path.name.encode())
        h.update(str(path.stat().st_mtime_ns).encode())
    return h.hexdigest()[:12]


@dataclass
class Entry:
    status: int
    body: bytes
    headers: list[tuple[bytes, bytes]]  # as rendered, less its length


class PageCache:
    """Rendered GET answers of one change count, least recently used dropped past `max_bytes`."""

    def __init__(self, max_bytes: int, ledger_id: str) -> None:
        self.max_bytes = max_bytes
        self.placeholder = "nlcsrf" + secrets.token_hex(16)  # stands for the CSRF token in a stored page
        self.build = build_id() + ledger_id
        self.state: int | None = None
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.hits = self.misses = self.not_modified = 0

    def etag(self, state: int, key: str, csrf: str) -> str:
        digest = hashlib.sha1(f"{self.build}\n{key}\n{csrf}".encode()).hexdigest()[:20]
        return f'"{state}-{digest}"'

    def get(self, state: int, key: str) -> Entry | None:
        self._at(state)
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, state: int, key: str, entry: Entry) -> None:
        self._at(state)
        size = len(entry.body) + len(key)
        if self.max_bytes <= 0 or size > self.max_bytes // 4:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + len(key)
        self.entries[key] = entry
        self.size += size
        while self.size > self.max_bytes and self.entries:
            k, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body) + len(k)

    def _at(self, state: int) -> None:
        """Forget every page of another change count: the ledger changed since they were rendered."""
        if state != self.state:
            self.entries.clear()
            self.size = 0
            self.state = state


def cacheable(method: str, path: str) -> bool:
    return method == "GET" and not path.startswith(UNCACHED)


def request_key(path: str, query: str, accept: str) -> str:
    return f"{path}?{query}\n{'html' if 'text/html' in accept else 'other'}"


def matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return etag in tags or "*" in tags
