"""Records a person adds that the extractor missed: a figure or a quote, marked on the article's own words.

An addition is a correction of kind "added": stored apart from what the machine extracted (its own table,
with who, when and a note), never written into `figures` or `quotes`. It is anchored like every correction
(article URL and text hash, span, span text and the words around it), so a re-extraction of the article
leaves it in place, and a new version of the article carries it as long as its words and their
surroundings are unchanged. Reads place each addition on the current article it belongs to.

An added figure takes its measure as extraction gives one (`measures.measure_for` on its words, the article's
text and entities), so it is read in measures, series and conflicts like an extracted figure, flagged
`added` and known there by minus its addition's id (ids of extracted figures are positive).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger import measures as measures_mod
from newsledger.ledger.corrections import _MAX_TEXT, _context, _now, default_author, in_force, parse_value
from newsledger.model import Entity, Figure
from newsledger.store import Store, StoredFigure, schema

KINDS = ("figure", "quote")
# What a person gives for each kind (typed like a correction of that field); the span gives the rest.
FIELDS = {"figure": ("value", "value_max", "qualifier", "counted", "category", "source", "as_of"),
          "quote": ("speaker", "kind")}
DEFAULTS = {"figure": {"qualifier": "exact", "category": "other"}, "quote": {"kind": "direct"}}
# What the measure of an added figure puts beside the person's fields (computed, never given).
MEASURE_FIELDS = ("measure_key", "measure_label", "measure_explanation", "period")
_MAX_SPAN = 2000
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass
class Addition:
    """One added record, placed on a current article (`article_id`, `span_start`, `span_end`)."""

    id: int
    kind: str
    article_id: int
    span_start: int
    span_end: int
    text: str
    fields: dict[str, Any]
    author: str
    note: str | None
    created_at: datetime
    corrected: bool = False  # fields changed by a later correction (newsledger.ledger.corrections)
    wrong: bool = False

    def record(self) -> dict[str, Any]:
        """The addition as the article's records are shown: the record's fields plus `added` and who made it."""
        out: dict[str, Any] = {"id": self.id, "article_id": self.article_id, "span_start": self.span_start,
                               "span_end": self.span_end, "text": self.text,
                               **dict.fromkeys(FIELDS[self.kind]), **self.fields, "added": True,
                               "corrected": self.corrected, "wrong": self.wrong,
                               "author": self.author, "note": self.note, "created_at": self.created_at}
        if self.kind == "quote":
            out.setdefault("content", self.text)
        return out


def _span(text: str, start: int | None, end: int | None, selected: str | None) -> tuple[int, int]:
    """The span a person selected, checked against the article's text.

    A browser counts characters its own way (UTF-16 units, line ends folded), so the selected words decide:
    the span is kept when it holds them, else their occurrence nearest to where the selection began."""
    words = (selected or "").strip()
    if start is not None and end is not None and 0 <= start < end <= len(text):
        piece = text[start:end]
        if not words or piece.strip() == words:
            lead = len(piece) - len(piece.lstrip())
            return start + lead, start + lead + len(piece.strip())
    if not words:
        raise InputError("no text selected", "select the words of the figure or quote in the article")
    if len(words) > _MAX_SPAN:
        raise InputError(f"the selection is {len(words)} characters long", f"select fewer than {_MAX_SPAN}")
    found = [m.start() for m in re.finditer(re.escape(words), text)]
    if not found:
        # Line ends and runs of spaces may differ between the page and the stored text.
        pattern = r"\s+".join(re.escape(w) for w in words.split())
        matches = list(re.finditer(pattern, text))
        if not matches:
            raise InputError(f"the article does not contain {words[:60]!r}", "select words of this article")
        best = min(matches, key=lambda m: abs(m.start() - (start or 0)))
        return best.start(), best.end()
    at = min(found, key=lambda s: abs(s - (start or 0)))
    return at, at + len(words)


def _typed(kind: str, span_text: str, given: dict[str, Any]) -> dict[str, Any]:
    if kind not in KINDS:
        raise InputError(f"cannot add a {kind!r}", f"choose one of {', '.join(KINDS)}")
    out: dict[str, Any] = {}
    for name, raw in given.items():
        if name not in FIELDS[kind]:
            raise InputError(f"a {kind} has no field {name!r}", f"choose from {', '.join(FIELDS[kind])}")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        out[name] = parse_value("figure" if kind == "figure" else "quote", name, raw)
    for name, value in DEFAULTS[kind].items():
        out.setdefault(name, value)
    if kind == "figure" and "value" not in out:
        # The value written in the selection, when it is a plain number ("48,446"); else the person says.
        number = _NUMBER.search(span_text)
        if number is None:
            raise InputError("the selection holds no number", "type the figure's value")
        out["value"] = float(number.group(0).replace(",", ""))
    return out


def add(store: Store, article_id: int, kind: str, *, start: int | None = None, end: int | None = None,
        selected: str | None = None, fields: dict[str, Any] | None = None, author: str | None = None,
        note: str | None = None) -> Addition:
    """Add a figure or quote the extractor missed on the words `selected` (at `start`..`end` when given)."""
    a = schema.articles
    with store.read() as conn:
        art = conn.execute(select(a.c.id, a.c.url, a.c.text_hash, a.c.text, a.c.published)
                           .where(a.c.id == article_id)).first()
        if art is None:
            raise NotFoundError(f"no article with id {article_id}", "list them with `newsledger articles`")
        s, e = _span(art.text, start, end, selected)
        span_text = art.text[s:e]
        typed = _typed(kind, span_text, fields or {})
        if kind == "figure":
            typed.update(_measure(conn, art, s, e, typed))
    author = (author or default_author()).strip()[:100] or "unknown"
    note = note.strip()[:_MAX_TEXT] if note and note.strip() else None
    now = _now()
    with store.write() as conn:
        result = conn.execute(schema.added_records.insert().values(
            kind=kind, article_id=art.id, article_url=art.url, text_hash=art.text_hash, span_start=s, span_end=e,
            span_text=span_text, context=_context(art.text, s, e), fields=_dump(typed), author=author, note=note,
            created_at=now))
        key = result.inserted_primary_key
        assert key is not None
    return Addition(int(key[0]), kind, art.id, s, e, span_text, typed, author, note, now)


def _measure(conn: Connection, art: Any, start: int, end: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The measure an added figure belongs to, found as extraction finds it for an extracted figure."""
    e = schema.entities
    ents = [Entity(r.span_start, r.span_end, r.text, r.label, r.canonical) for r in conn.execute(
        select(e.c.span_start, e.c.span_end, e.c.text, e.c.label, e.c.canonical)
        .where(e.c.article_id == art.id).order_by(e.c.span_start))]
    as_of = fields.get("as_of")
    fig = Figure(start, end, art.text[start:end], fields["value"], fields.get("value_max"),
                 fields.get("qualifier") or "exact", fields.get("counted"), fields.get("category") or "other",
                 fields.get("source"), as_of.isoformat() if isinstance(as_of, date) else as_of)
    m = measures_mod.measure_for(fig, ents, art.text, published=art.published)
    return {"measure_key": m.key, "measure_label": m.label, "measure_explanation": m.explanation,
            "period": m.period}


def _dump(fields: dict[str, Any]) -> str:
    return json.dumps({k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()},
                      ensure_ascii=False)


def load_fields(kind: str, raw: str) -> dict[str, Any]:
    """An addition's fields as first given (typed), before any correction."""
    return _load(kind, raw)


def _load(kind: str, raw: str) -> dict[str, Any]:
    out = json.loads(raw)
    for name in ("as_of",):
        if isinstance(out.get(name), str):
            out[name] = date.fromisoformat(out[name])
    return {k: float(v) if k in ("value", "value_max") and v is not None else v for k, v in out.items()}


def _place(row: Any, art: Any) -> tuple[int, int] | None:
    """Where an addition's words are in this article: the same span in the same text, else the same words
    with the same words around them (a new version)."""
    if row.text_hash == art.text_hash:
        return row.span_start, row.span_end
    at = art.text.find(row.span_text)
    while at >= 0:
        if _context(art.text, at, at + len(row.span_text)) == row.context:
            return at, at + len(row.span_text)
        at = art.text.find(row.span_text, at + 1)
    return None


def _placed(conn: Connection, rows: Sequence[Any]) -> Iterator[Addition]:
    """Each addition on the current article it belongs to: its own article while current, else the current
    version of its URL, else the current article of its text."""
    a = schema.articles
    if not rows:
        return
    ids, urls, hashes = ({r.article_id for r in rows}, {r.article_url for r in rows if r.article_url},
                         {r.text_hash for r in rows})
    match = or_(a.c.id.in_(ids), a.c.text_hash.in_(hashes), *([a.c.url.in_(urls)] if urls else []))
    arts = conn.execute(select(a.c.id, a.c.url, a.c.text_hash, a.c.text, a.c.published)
                        .where(match, a.c.is_current.is_(True))).all()
    by_id = {x.id: x for x in arts}
    by_url = {x.url: x for x in arts if x.url}
    by_hash = {x.text_hash: x for x in arts}
    fixes = in_force(conn)  # corrections of added records: by minus the addition's id
    for row in rows:
        art = by_id.get(row.article_id) or by_url.get(row.article_url) or by_hash.get(row.text_hash)
        if art is None:
            continue
        span = _place(row, art)
        if span is None:
            continue
        fields = _load(row.kind, row.fields)
        if row.kind == "figure" and "measure_key" not in fields:  # added before added figures had measures
            fields.update(_measure(conn, art, span[0], span[1], fields))
        changes = fixes.changed(row.kind, -row.id)
        if changes:
            fields = {**fields, **changes}
        yield Addition(row.id, row.kind, art.id, span[0], span[1], art.text[span[0]:span[1]],
                       fields, row.author, row.note, row.created_at, bool(changes), fixes.is_wrong(row.kind, -row.id))


def of_article(store: Store, article_id: int) -> list[Addition]:
    """The additions placed on this article, in text order."""
    t, a = schema.added_records, schema.articles
    with store.read() as conn:
        art = conn.execute(select(a.c.url, a.c.text_hash).where(a.c.id == article_id)).first()
        if art is None:
            return []
        match = or_(t.c.article_id == article_id, t.c.text_hash == art.text_hash,
                    *([t.c.article_url == art.url] if art.url else []))
        rows = conn.execute(select(t).where(match).order_by(t.c.id)).all()
        found = [x for x in _placed(conn, rows) if x.article_id == article_id]
    return sorted(found, key=lambda x: (x.span_start, x.id))


def listing(store: Store, *, kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[Addition]:
    """Additions, newest first, each placed on its current article (those whose words are gone are left out)."""
    t = schema.added_records
    stmt = select(t).order_by(t.c.id.desc())
    if kind:
        stmt = stmt.where(t.c.kind == kind)
    if offset:
        stmt = stmt.offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    with store.read() as conn:
        return list(_placed(conn, conn.execute(stmt).all()))


def one(store: Store, kind: str, addition_id: int) -> Addition:
    """One added figure or quote, placed on its current article."""
    t = schema.added_records
    with store.read() as conn:
        rows = conn.execute(select(t).where(t.c.id == addition_id, t.c.kind == kind)).all()
        found = list(_placed(conn, rows))
    if not found:
        raise NotFoundError(f"no added {kind} with id {addition_id}", "list them with `newsledger review --added`")
    return found[0]


def is_added(figure_id: int) -> bool:
    """Whether a figure id read in a measure, series or conflict is a person's addition (minus its id)."""
    return figure_id < 0


def stored_figures(store: Store) -> list[StoredFigure]:
    """Every added figure as a stored figure of its measure (before manual merges and splits), known by minus
    its addition's id (see `is_added`), with its article's facts."""
    found = [x for x in listing(store, kind="figure") if not x.wrong]  # a figure marked wrong leaves, as extracted ones do
    if not found:
        return []
    a = schema.articles
    with store.read() as conn:
        arts = {r.id: r for r in conn.execute(select(a.c.id, a.c.published, a.c.url, a.c.outlet, a.c.title,
                                                     a.c.source_id).where(a.c.id.in_({x.article_id for x in found})))}
    out = []
    for x in reversed(found):  # oldest addition first
        f, art = x.fields, arts[x.article_id]
        out.append(StoredFigure(
            id=-x.id, article_id=x.article_id, span_start=x.span_start, span_end=x.span_end, text=x.text,
            value=f.get("value"), value_max=f.get("value_max"), qualifier=f.get("qualifier") or "exact",
            counted=f.get("counted"), category=f.get("category") or "other", source=f.get("source"),
            as_of=f.get("as_of"), part_of=None, measure_key=f["measure_key"],
            measure_explanation=f.get("measure_explanation"), measure_label=f.get("measure_label"),
            published=art.published, url=art.url, outlet=art.outlet, title=art.title,
            article_source_id=art.source_id, period=f.get("period")))
    return out


def count(store: Store) -> int:
    with store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.added_records)).scalar() or 0)


def export_rows(store: Store, kind: str, keys: list[str]) -> Iterator[dict[str, Any]]:
    """Added figures or quotes as exported rows: the columns of the extracted rows (`keys`), `added` true and
    `id` the addition's id (an added row is known by the pair)."""
    one = kind[:-1]
    if one not in KINDS:
        return
    for x in reversed(listing(store, kind=one)):
        rec = x.record()
        row = {k: rec.get(k) for k in keys} if keys else rec
        row.update({"id": x.id, "article_id": x.article_id, "span_start": x.span_start, "span_end": x.span_end,
                    "text": x.text, "added": True, "corrected": x.corrected, "wrong": x.wrong})
        row = {k: v for k, v in row.items() if not keys or k in keys}
        if one == "quote":
            row["content"] = rec.get("content")
        yield row
