"""The dispatcher: turn paths, folders, URLs and stdin into articles, choosing the reader by name and content."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO

from newsledger.config import MAX_CHARS
from newsledger.errors import EmptyInput, NewsledgerError
from newsledger.ingest.html import article_from_html, read_html
from newsledger.ingest.jsonl import read_jsonl, read_jsonl_lines
from newsledger.ingest.outlet import outlet_from_url
from newsledger.ingest.text import (
    article_from_bytes,
    clean_controls,
    control_note,
    english_problem,
    read_text,
)
from newsledger.model import Article, Rejected

JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
WARC_SUFFIXES = (".warc", ".warc.gz")
TEXT_SUFFIXES = (".txt", ".text", ".md")
# In a folder only files with these names are read: a folder of articles also holds images, notes and
# editor files, and reporting each as "binary" would bury the real problems.
FOLDER_SUFFIXES = JSONL_SUFFIXES + HTML_SUFFIXES + FEED_SUFFIXES + WARC_SUFFIXES + TEXT_SUFFIXES
# "file:", "ftp:", "gopher:", "data:" ...: a URL scheme (two letters or more, so "C:" stays a path).
_SCHEME = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]+):", re.I)


def _has_suffix(name: str, suffixes: Iterable[str]) -> bool:
    lower = name.lower()
    return any(lower.endswith(s) for s in suffixes)


def _sniff(data: bytes) -> str:
    """'jsonl', 'html' or 'text' for bytes whose name says nothing (stdin)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<") and any(tag in head for tag in (b"<html", b"<body", b"<p", b"<!doctype html",
                                                              b"<article", b"<div", b"<head")):
        return "html"
    return "text"


def _read_stdin(stream: BinaryIO, *, published: date | None, encoding: str | None,
                max_chars: int) -> Iterator[Article | Rejected]:
    data = stream.read()
    kind = _sniff(data)
    if kind == "jsonl":
        yield from read_jsonl_lines(data.splitlines(), "stdin", published=published)
    elif kind == "html":
        article = article_from_html(data, where="stdin", published=published)
        article.id = "stdin"
        yield article
    else:
        yield article_from_bytes(data, where="stdin", id="stdin", published=published, encoding=encoding,
                                 max_chars=max_chars)


def _read_file(path: Path, *, published: date | None, encoding: str | None, allow_private: bool,
               max_chars: int) -> Iterator[Article | Rejected]:
    name = path.name
    if _has_suffix(name, JSONL_SUFFIXES):
        yield from read_jsonl(path, published=published)
    elif _has_suffix(name, HTML_SUFFIXES):
        yield read_html(path, published=published, max_chars=max_chars)
    elif _has_suffix(name, FEED_SUFFIXES):
        from newsledger.ingest.feeds import read_feed

        yield from read_feed(str(path), allow_private=allow_private)
    elif _has_suffix(name, WARC_SUFFIXES):
        from newsledger.ingest.warc import read_warc

        yield from read_warc(str(path))
    else:
        yield read_text(path, published=published, encoding=encoding, max_chars=max_chars)


def _read_one(source: str, *, published: date | None, encoding: str | None, allow_private: bool,
              max_chars: int, stdin: BinaryIO | None) -> Iterator[Article | Rejected]:
    if source == "-":
        yield from _read_stdin(stdin or sys.stdin.buffer, published=published, encoding=encoding,
                               max_chars=max_chars)
        return
    if source.lower().startswith(("http://", "https://")):
        from newsledger.ingest.fetch import read_url

        yield from read_url(source, allow_private=allow_private)
        return
    path = Path(source)
    scheme = _SCHEME.match(source)
    if scheme and not path.exists():
        yield Rejected(where=source, reason=f"{source}: the URL scheme {scheme.group('scheme').lower()}: "
                       "is not supported (only http and https URLs are fetched; give a local file as a path)")
        return
    if path.is_dir():
        files = _folder_files(path)
        if not files:
            yield Rejected(where=source, reason=f"{source}: the folder holds no article files "
                           f"({', '.join(FOLDER_SUFFIXES)})")
        for file in files:
            yield from _guarded(str(file), _read_file(file, published=published, encoding=encoding,
                                                      allow_private=allow_private, max_chars=max_chars))
        return
    if not path.exists():
        yield Rejected(where=source, reason=f"{source}: no such file or folder (check the path)")
        return
    yield from _read_file(path, published=published, encoding=encoding, allow_private=allow_private,
                          max_chars=max_chars)


def _guarded(where: str, items: Iterator[Article | Rejected]) -> Iterator[Article | Rejected]:
    """Pass items on; an error while reading becomes one Rejected for `where` and ends that source."""
    try:
        yield from items
    except EmptyInput as err:
        yield Rejected(where=where, reason=str(err), empty=True)
    except NewsledgerError as err:
        yield Rejected(where=where, reason=str(err))
    except ImportError as err:
        yield Rejected(where=where, reason=f"{where}: this kind of input cannot be read yet ({err})")
    except Exception as err:  # noqa: BLE001 - one unreadable source must not end the batch
        yield Rejected(where=where, reason=f"{where}: could not be read ({type(err).__name__}: {err}); "
                       "the rest of this source was skipped; please report it with the input")


def _finish(item: Article | Rejected, source: str, published: date | None) -> Article | Rejected:
    if isinstance(item, Rejected):
        return item
    if published is not None:
        item.published = published
    text, replaced = clean_controls(item.text)
    if replaced:
        item.text = text
        item.notes.append(control_note(replaced))
    if item.title:
        item.title = clean_controls(item.title)[0]
    if not item.outlet and item.url:
        item.outlet = outlet_from_url(item.url)
    problem = english_problem(item.text)
    if problem:
        where = item.id or item.url or source
        return Rejected(where=where, id=item.id,
                        reason=f"{where}: {problem}; skipped (newsledger reads English news only)")
    return item


def read_sources(sources: list[str], *, published: date | None = None, encoding: str | None = None,
                 allow_private: bool = False, max_chars: int = MAX_CHARS,
                 stdin: BinaryIO | None = None) -> Iterator[Article | Rejected]:
    """Articles (and rejected inputs, each with its reason) from every source, in the order given.

    A source is `-` (stdin: JSON lines, HTML or text, told apart by content), a folder (read recursively,
    sorted), a `.jsonl`, `.html`, `.xml/.rss/.atom` feed, `.warc(.gz)` archive or text file, or an
    http(s) URL. `published` overrides every article's own date. Non-English texts are rejected.
    """
    for source in sources:
        items = _guarded(source, _read_one(source, published=published, encoding=encoding,
                                           allow_private=allow_private, max_chars=max_chars, stdin=stdin))
        for item in items:
            yield _finish(item, source, published)



def _folder_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*")
                  if p.is_file() and _has_suffix(p.name, FOLDER_SUFFIXES)
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def count_inputs(sources: Iterable[str]) -> int | None:
    """How many inputs (articles, lines, rejected sources) `read_sources` will yield, where that is cheap
    to know without parsing (files, folders, JSON lines); None when it is not (stdin, URLs, feeds, WARC)."""
    total = 0
    for source in sources:
        if source == "-" or source.lower().startswith(("http://", "https://")):
            return None
        path = Path(source)
        files = _folder_files(path) if path.is_dir() else [path]
        if not files:
            total += 1
        for file in files:
            name = file.name
            if _has_suffix(name, FEED_SUFFIXES + WARC_SUFFIXES):
                return None
            if _has_suffix(name, JSONL_SUFFIXES) and file.is_file():
                try:
                    with file.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total
