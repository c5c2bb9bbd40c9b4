"""Plain-text files to articles: refuse binary and mis-encoded bytes with the reason, flag non-English text."""

from __future__ import annotations

import codecs
import re
from datetime import date
from pathlib import Path

from newsledger.config import MAX_CHARS
from newsledger.errors import EmptyInput, InputError
from newsledger.model import Article

# Bytes other than tab, newline, form feed and carriage return below 0x20 (and DEL) do not occur in text;
# more than 1 in 100 of them in the first block means a binary file (images, PDFs, archives).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_SHARE = 0.01
_SNIFF_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Only lowercase words are counted: names, headlines in capitals and tables (sports results, police
# records) say nothing of the language. Among them English function words make up 20-60% of real news
# (lowest of 8,800 texts in ../shared: 0.21), while French, German, Spanish, Italian, Dutch and Portuguese
# news share under 8%. Texts with fewer than _LANG_MIN_WORDS lowercase words are too short to tell.
_ENGLISH_MIN_SHARE = 0.15
_LANG_MIN_WORDS = 20
_LANG_SAMPLE_CHARS = 20_000


# The one rule for control characters in article text: NUL and the other C0 controls except tab, newline,
# carriage return and form feed (and DEL) are replaced by a space at ingest, one character for one, so
# every offset into the text stays valid. SQLite's substr()/length() stop at NUL and PostgreSQL refuses
# it; the replacement is recorded in the article's warnings.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def clean_controls(text: str) -> tuple[str, int]:
    """The text with control characters replaced by spaces, and how many were replaced."""
    found = len(_CONTROL_CHARS.findall(text))
    return (_CONTROL_CHARS.sub(" ", text), found) if found else (text, 0)


def control_note(count: int) -> str:
    return (f"{count} control character{'s' if count != 1 else ''} (NUL, U+0001-U+001F or DEL) "
            "replaced by spaces")


def _control_share(block: bytes) -> float:
    if not block:
        return 0.0
    return sum(block.count(bytes([c])) for c in _CONTROL) / len(block)


def decode_bytes(data: bytes, where: str, encoding: str | None = None) -> str:
    """The text of a file's bytes: binary and non-UTF-8 input raise InputError naming what to do."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding = encoding or codec
            break
    if encoding is None or encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
        head = data[:_SNIFF_BYTES]
        if b"\x00" in head or _control_share(head) > _CONTROL_SHARE:
            raise InputError(f"{where}: looks like a binary file, not text",
                             "give a .txt, .html or .jsonl article file")
    if encoding is None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise InputError(
                f"{where}: not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})",
                "name its encoding with --encoding latin-1 (or cp1252), or convert it with "
                "`iconv -f latin1 -t utf-8`",
            ) from err
    try:
        text = data.decode(encoding)
    except LookupError as err:
        raise InputError(f"unknown encoding {encoding!r}", "name a Python codec such as latin-1") from err
    except UnicodeDecodeError as err:
        raise InputError(f"{where}: cannot be decoded as {encoding} (offset {err.start}: {err.reason})",
                         "check the file's encoding (`file -i FILE`) and pass it with --encoding") from err
    return text.removeprefix("\ufeff")


# Work bounds (found by fuzzing): spaCy's tokenizer takes time quadratic in the length of a run of
# characters without a space ('"' * 50,000 takes minutes), and text that is nearly all symbols or numbers
# ("&‹😀" * 40,000, 12,000 numbers in one sentence) makes every later step slow. Real news has its longest
# runs under 1,000 characters (URLs, "&amp;amp;..." debris) and at least half its characters are letters.
_RUN = re.compile(r"\S{200,}")
_RUN_BUDGET = 4.0  # the sum of (run length / 1,000)^2 over long runs: a few seconds of tokenizing at most
_PROSE_MIN_CHARS = 2_000
_PROSE_MIN_LETTERS = 0.25


def prose_problem(text: str) -> str | None:
    """Why the text is not prose newsledger can read in bounded time (one phrase), or None."""
    cost = 0.0
    for m in _RUN.finditer(text):
        cost += (len(m.group()) / 1000) ** 2
        if cost > _RUN_BUDGET:
            return (f"holds {len(m.group()):,} characters without a space at offset {m.start():,} "
                    "(newsledger reads prose; long runs of symbols take minutes to parse)")
    if len(text) >= _PROSE_MIN_CHARS:
        sample = text[:_LANG_SAMPLE_CHARS * 5]
        visible = sum(1 for ch in sample if not ch.isspace())
        letters = sum(1 for ch in sample if ch.isalpha())
        if visible and letters / visible < _PROSE_MIN_LETTERS:
            return (f"is mostly symbols or digits ({letters / visible:.0%} letters; prose has over half), "
                    "not an article newsledger can read")
    return None


def english_problem(text: str) -> str | None:
    """Why the text does not look like English (one phrase), or None when it does or is too short to tell."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = [w for w in _WORD.findall(text[:_LANG_SAMPLE_CHARS]) if w.islower()]
    if len(words) < _LANG_MIN_WORDS:
        return None
    share = sum(1 for w in words if w in STOP_WORDS) / len(words)
    if share >= _ENGLISH_MIN_SHARE:
        return None
    return f"does not look like English ({share:.0%} English function words; English news has over 20%)"


def article_from_bytes(data: bytes, *, where: str, id: str | None = None,
                       published: date | None = None, encoding: str | None = None,
                       max_chars: int = MAX_CHARS) -> Article:
    """One text article from raw bytes; raises InputError when the bytes are not usable text."""
    if not data.strip():
        raise EmptyInput(f"{where}: the file is empty", "give a file that holds an article's text")
    text = decode_bytes(data, where, encoding)
    if not text.strip():
        raise EmptyInput(f"{where}: the file holds only white space", "give a file with an article's text")
    if len(text) > max_chars:
        raise InputError(
            f"{where}: the text has {len(text):,} characters, more than the {max_chars:,} limit",
            "split it into articles (one a line in a .jsonl file) or raise the limit with --max-chars",
        )
    return Article(text=text, id=id, published=published, origin="text")


def read_text(path: str | Path, *, published: date | None = None, encoding: str | None = None,
              max_chars: int = MAX_CHARS) -> Article:
    """Read one text file into an article whose id is the path as given."""
    p = Path(path)
    try:
        size = p.stat().st_size
        # A UTF-8 character is at most 4 bytes: a file this large is over the limit whatever it holds,
        # so refuse it without reading it into memory.
        if size > 4 * max_chars:
            raise InputError(
                f"{p}: the file has {size:,} bytes, more than the {max_chars:,}-character limit",
                "split it into articles (one a line in a .jsonl file) or raise the limit with --max-chars",
            )
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot be read ({err.strerror})", "check the path and its permissions") from err
    return article_from_bytes(data, where=str(p), id=str(p), published=published, encoding=encoding,
                              max_chars=max_chars)
