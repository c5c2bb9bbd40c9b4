"""Finding quoted passages by their quotation marks alone (straight, curly, doubled and single curly marks)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double marks, plus the doubled apostrophe some wire and NYT texts use for them (and ’’ closing “).
_DOUBLE = re.compile(r"[\"“”«»„]|''|’’")
# Single marks; ’ and ' are also apostrophes, so they close only when no letter follows them, and a
# straight pair counts only when it ends like speech ('It is touch and go.' / 'We will,' he said).
_SINGLE = re.compile(r"[‘’']")
_SPEECH_END = set(",.?!…")
# A quote left open longer than this (chars) is cut at its first sentence end; quoted paragraphs are shorter.
_UNCLOSED_MAX = 600
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"‘]|[A-Z][a-z])")
_OPEN_BEFORE = set("([{—–-/:")
_CLOSE_AFTER = set(",.;:?!)]}—–-…")


@dataclass
class Quoted:
    """A passage inside quotation marks: mark positions and the content between them."""

    open: int  # where the opening mark starts (== start when there is no opening mark)
    start: int  # content start
    end: int  # content end (exclusive, stripped)
    close: int  # just past the closing mark (== end when the mark is missing)
    closed: bool  # False when the passage was cut at a paragraph end for want of a closing mark
    opened: bool = True  # False when a closing mark had no opening one
    continues: bool = False  # True when this paragraph re-opens a quote left open in the previous one


def _kind(text: str, s: int, e: int) -> str:
    mark = text[s:e]
    if mark in "“«„":
        return "open"
    if mark in "”»" or mark == "’’":
        return "close"
    prev = text[s - 1] if s > 0 else "\n"
    nxt = text[e] if e < len(text) else "\n"
    if (prev.isspace() or prev in _OPEN_BEFORE) and not nxt.isspace():
        return "open"
    if not prev.isspace() and (nxt.isspace() or nxt in _CLOSE_AFTER):
        return "close"
    return "either"


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


def _para_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl


def _para_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _make(text: str, o: int, oe: int, c: int, ce: int, closed: bool, opened: bool = True) -> Quoted | None:
    if not closed and c - oe > _UNCLOSED_MAX:
        # An opening mark never closed in a long paragraph (or a text with no paragraphs): end the quote at
        # its first sentence rather than swallow the rest of the article.
        m = _SENTENCE_END.search(text, oe, c)
        if m:
            c = ce = m.start() + 1
    a, b = _strip(text, oe, c)
    if b <= a:
        return None
    return Quoted(open=o, start=a, end=b, close=ce, closed=closed, opened=opened)


def _scan(text: str, marks: list[tuple[int, int, str]], orphans: bool) -> list[Quoted]:
    """Pair marks left to right; a quote left open runs to its paragraph end, or on into the next
    paragraph when that one re-opens with a mark (the convention for multi-paragraph quotes)."""
    out: list[Quoted] = []
    cur: tuple[int, int] | None = None
    last = 0  # end of the last mark that belongs to the open quote
    cont = False
    for s, e, kind in marks:
        if cur is not None:
            nl = text.find("\n", last, s)
            if nl != -1:
                ps = _para_start(text, s)
                q = _make(text, cur[0], cur[1], nl, nl, closed=False)
                if q:
                    q.continues = cont
                    out.append(q)
                cur = None
                if kind != "close" and not text[ps:s].strip() and not text[nl:ps].strip():
                    # A paragraph that re-opens the unclosed quote continues it.
                    cur, last, cont = (s, e), e, True
                    continue
        if cur is None:
            if kind == "close":
                if orphans:
                    ps = max(_para_start(text, s), out[-1].close if out else 0)
                    if out and out[-1].close > _para_start(text, s):
                        # '"...," Captain Brian Fitzgerald said. That is how it ends."': the quote re-opens
                        # after its attribution's sentence, not right after the previous closing mark.
                        m = _SENTENCE_END.search(text, ps, s)
                        if m:
                            ps = m.end()
                            while ps < s and text[ps].isspace():
                                ps += 1
                    q = _make(text, ps, ps, s, e, closed=True, opened=False)
                    if q:
                        out.append(q)
                continue
            cur, last, cont = (s, e), e, False
        elif kind == "open" and text[s - 1 : s].isspace() and text[cur[1] : cur[1] + 1].isspace():
            # Two openers in a row (the first one was a stray mark): restart at the second.
            cur, last = (s, e), e
        elif kind == "open" and text[:s].rstrip()[-1:] in ".!?" and text[e : e + 1].isupper():
            # 'a difficult game. "For me the aim is to win."': paragraphs joined into one line, each
            # re-opening the quote as multi-paragraph quotes do; the open quote ends at its sentence.
            q = _make(text, cur[0], cur[1], s, s, closed=False)
            if q:
                q.continues = cont
                out.append(q)
            cur, last, cont = (s, e), e, True
        else:
            q = _make(text, cur[0], cur[1], s, e, closed=True)
            if q:
                q.continues = cont
                out.append(q)
            cur, cont = None, False
    if cur is not None:
        end = _para_end(text, last)
        q = _make(text, cur[0], cur[1], end, end, closed=False)
        if q:
            q.continues = cont
            out.append(q)
    return out


def _inside(pos: int, spans: list[Quoted]) -> bool:
    return any(q.open <= pos < q.close for q in spans)


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted passage in text order: double marks first, then single curly marks outside them."""
    marks = [(m.start(), m.end(), _kind(text, m.start(), m.end())) for m in _DOUBLE.finditer(text)]
    doubles = _scan(text, marks, orphans=True)
    singles_marks: list[tuple[int, int, str]] = []
    for m in _SINGLE.finditer(text):
        s = m.start()
        if _inside(s, doubles):
            continue
        prev = text[s - 1] if s > 0 else " "
        nxt = text[s + 1] if s + 1 < len(text) else " "
        mark = m.group()
        if mark == "‘" or (mark == "'" and nxt.isalpha()):
            if not prev.isalnum():
                singles_marks.append((s, s + 1, "open"))
        elif not nxt.isalnum() and not prev.isspace():
            singles_marks.append((s, s + 1, "close"))
    singles = [q for q in _scan(text, singles_marks, orphans=False) if q.closed and (
        text[q.open] != "'" or text[q.close - 2] in _SPEECH_END or text[q.close:q.close + 1] in _SPEECH_END)]
    return sorted(doubles + singles, key=lambda q: q.start)
