"""WARC archives to articles: each HTML response (or resource) record becomes one article."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from newsledger.errors import InputError
from newsledger.ingest.fetch import DEFAULT_MAX_BYTES, HTML_TYPES, decode_body, media_type
from newsledger.model import Article, Rejected, parse_iso_date

GZIP_MAGIC = b"\x1f\x8b"


class _Broken(Exception):
    """The archive stops being a valid WARC at some point; the message says where and how."""


# What reading a cut or damaged archive raises: gzip and zlib errors, EOF inside a record, and (from
# warcio's header parser on garbage lines) ValueError, AttributeError and TypeError.
_BROKEN: tuple[type[Exception], ...] = (
    _Broken,
    EOFError,
    OSError,
    zlib.error,
    ValueError,
    AttributeError,
    TypeError,
)


def read_warc(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Rejected]:
    """One Article per HTML page archived in the WARC file at `path` (plain or gzip-compressed).

    Other records (requests, metadata, images, scripts, redirects, error pages) are skipped. A page
    with no article text, or larger than `max_bytes`, gives a Rejected. A truncated or corrupt archive
    yields the pages read so far and then one Rejected saying where it broke; InputError when the file
    cannot be opened or not a single record can be read from it.
    """
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:  # warcio is an optional heavy dependency, imported only here
        raise InputError("reading WARC files needs warcio", "pip install warcio") from None
    # warcio logs a warning for each odd header it repairs; with no handler anywhere, Python would print
    # them. Applications that configure logging still see them.
    logging.getLogger("warcio").addHandler(logging.NullHandler())

    p = Path(path)
    try:
        raw = p.open("rb")
    except OSError as err:
        raise InputError(
            f"{path}: cannot be read ({err.strerror or err})", "check the path and its permissions"
        ) from None
    with raw:
        stream: IO[bytes] = raw
        if raw.read(2) == GZIP_MAGIC:
            # Decompress here rather than in warcio: warcio treats a gzip stream cut short as a clean end
            # and silently drops the rest.
            stream = _Gunzip(raw)  # type: ignore[assignment]
        raw.seek(0)
        yield from _records(ArchiveIterator, _BROKEN + (ArchiveLoadFailed,), stream, path, max_bytes)


class _Gunzip:
    """A reading stream over concatenated gzip members (one per WARC record) that raises _Broken when
    the file ends inside a member, after handing out every byte that could be decompressed."""

    CHUNK = 64 * 1024

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._pending = b""
        self._buffer = bytearray()
        self._in_member = False
        self._position = 0
        self._error: Exception | None = None

    def _fill(self) -> bool:
        """Decompress some more into the buffer; False at a clean end of the file."""
        if self._inflater.unconsumed_tail:
            data = self._inflater.unconsumed_tail
        elif self._pending:
            data, self._pending = self._pending, b""
        else:
            data = self._raw.read(self.CHUNK)
        if not data:
            if self._in_member:
                raise _Broken("the file ends in the middle of a compressed record")
            return False
        if not self._in_member and len(data) < 2:
            data += self._raw.read(self.CHUNK)  # a member's magic bytes split across two reads
        if not self._in_member and data[:2] != GZIP_MAGIC:
            raise _Broken(f"bytes that are not a gzip record follow the last record: {data[:16]!r}")
        self._in_member = True
        # Bounded output per call, so a small, highly compressed record cannot fill memory at once.
        self._buffer += self._inflater.decompress(data, self.CHUNK * 16)
        if self._inflater.eof:
            self._pending = self._inflater.unused_data
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            self._in_member = False
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            while self._error is None and (size < 0 or len(self._buffer) < size) and self._fill():
                pass
        except _Broken as err:
            # Hand out what was decompressed before the break first; the next read raises it.
            self._error = err
        except zlib.error as err:
            # Wrapped so that damage to the archive is told apart from a page's own bad encoding.
            self._error = _Broken(f"the compressed data is damaged ({err})")
        if self._error is not None and not self._buffer:
            raise self._error
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        self._position += size
        return out

    def tell(self) -> int:
        return self._position


def _records(
    archive_iterator: Any,
    broken_types: tuple[type[Exception], ...],
    stream: IO[bytes],
    path: str,
    max_bytes: int,
) -> Iterator[Article | Rejected]:
    iterator = _quiet_iterator(archive_iterator)(stream)
    complete = 0
    try:
        for record in iterator:
            if record.format != "warc":
                # warcio reads any five-word line as an old ARC header; ARC archives are not supported.
                raise _Broken("found a line that is not a WARC record header (ARC files are not supported)")
            if record.rec_type is None or record.length is None:
                # Every WARC record names its type and length; without them the header was cut short.
                raise _Broken("a record header is cut short or lacks WARC-Type and Content-Length")
            article = _record_article(record, f"{path} record {complete + 1}", max_bytes)
            _check_complete(record)
            complete += 1
            if article is not None:
                yield article
        if getattr(iterator, "next_line", None):
            # warcio ends quietly when the file stops inside a record's header; the header line it had
            # already read shows that a record was begun.
            raise _Broken("the file ends inside a record header")
    except broken_types as err:
        reason = _break_reason(err)
        if complete == 0:
            raise InputError(
                f"{path}: not a readable WARC file ({reason})", "check that it is a .warc or .warc.gz file"
            ) from None
        yield Rejected(
            where=path,
            reason=f"{path}: the WARC is truncated or corrupt in record {complete + 1} ({reason}); "
            f"the {complete} records before it were read",
        )
        return
    if complete == 0:
        raise InputError(f"{path}: holds no WARC records", "check that it is a .warc or .warc.gz file")


def _break_reason(err: BaseException) -> str:
    if isinstance(err, EOFError):
        return "the file ends in the middle of a record"
    if isinstance(err, _Broken):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _quiet_iterator(archive_iterator: Any) -> Any:
    """warcio's ArchiveIterator, raising instead of writing to stderr when a record's length is wrong."""

    class QuietArchiveIterator(archive_iterator):  # type: ignore[misc,valid-type]
        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            # warcio expects only blank lines between records; anything else means the previous record's
            # Content-Length does not match its bytes, which warcio reports on stderr and reads past.
            empty_size = 0
            while True:
                line = self.reader.readline()
                if len(line) == 0:
                    return None, empty_size
                if line.rstrip():
                    if empty_size == 0 and not line.startswith(b"WARC/"):
                        raise _Broken(f"unexpected bytes where a record should end: {line[:40]!r}")
                    return line, empty_size
                empty_size += len(line)

    return QuietArchiveIterator


def _record_article(record: Any, place: str, max_bytes: int) -> Article | Rejected | None:
    """The article in one record, a Rejected for an HTML page without one, None for other records."""
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or None
    where = place + (f" ({uri})" if uri else "")
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return None  # redirects and error pages are not articles
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    kind = media_type(content_type)
    if kind and kind not in HTML_TYPES:
        return None
    try:
        body = _read_body(record, max_bytes)
    except (zlib.error, ValueError) as err:  # a page's own Content-Encoding or chunking is broken
        return Rejected(where=where, reason=f"{where}: the page's encoding cannot be undone ({err})", id=uri)
    if body is None:
        return Rejected(where=where, reason=f"{where}: the page is larger than {max_bytes} bytes", id=uri)
    if not kind and body.lstrip()[:1] != b"<":
        return None
    from newsledger.ingest.html import article_from_html  # lazily: html pulls in trafilatura

    try:
        article = article_from_html(decode_body(body, content_type), url=uri, where=where, origin="warc")
    except InputError as err:
        return Rejected(where=where, reason=str(err), id=uri)
    if article.published is None:
        article.published = _warc_date(record.rec_headers.get_header("WARC-Date"))
    article.id = uri
    article.url = uri or article.url
    return article


def _read_body(record: Any, max_bytes: int) -> bytes | None:
    """The record's payload (transfer and content encodings undone); None when over `max_bytes`."""
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return None
    return body


def _check_complete(record: Any) -> None:
    """Raise _Broken when the file ended before the record's declared Content-Length."""
    raw = record.raw_stream
    while raw.read(65536):
        pass  # drain what the payload reader did not need, so the count below is exact
    # warcio limits each record's stream to its Content-Length; bytes still owed mean the file ended early.
    if getattr(raw, "limit", 0) > 0:
        uri = record.rec_headers.get_header("WARC-Target-URI")
        raise _Broken(f"the {record.rec_type} record{f' of {uri}' if uri else ''} is cut short")


def _warc_date(value: str | None) -> date | None:
    try:
        return parse_iso_date(value)
    except ValueError:
        return None
