"""Writing one article and all its extractions in one transaction, once: duplicates and new versions."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsledger.model import Extraction
from newsledger.store import schema


class MeasureRow(NamedTuple):
    """What the ledger decided a figure measures: key, human label, and how it was grouped."""

    key: str
    label: str
    explanation: str
    period: str | None = None  # the period a period count covers (see schema.figures.period)
    source: str | None = None  # the source entity (sources.name) the figure's source names, if any


@dataclass
class Stored:
    """What happened to one article: added, a new version of a known URL, or a duplicate."""

    status: Literal["added", "version", "duplicate"]
    article_id: int
    version: int = 1
    reason: str | None = None
    earlier: list[int] = field(default_factory=list)  # ids of the URL's versions stored before this one


def normalise(text: str) -> str:
    """The text as compared for duplicates: Unicode NFKC with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def find_duplicate(conn: Connection, url: str | None, digest: str) -> Stored | None:
    """The stored article this text duplicates (same normalised text, anywhere), else None."""
    a = schema.articles
    row = conn.execute(select(a.c.id, a.c.url, a.c.version).where(a.c.text_hash == digest)).first()
    return None if row is None else duplicate(url, row.id, row.url, row.version)


def find_duplicates(conn: Connection, articles: Sequence[tuple[str | None, str]]) -> list[Stored | None]:
    """find_duplicate for many (url, digest) pairs at once: one query per 500 texts."""
    a = schema.articles
    digests = sorted({digest for _url, digest in articles})
    stored: dict[str, Any] = {}
    for start in range(0, len(digests), 500):
        part = digests[start:start + 500]
        query = select(a.c.id, a.c.url, a.c.version, a.c.text_hash).where(a.c.text_hash.in_(part))
        stored.update((r.text_hash, r) for r in conn.execute(query))
    return [None if (r := stored.get(digest)) is None else duplicate(url, r.id, r.url, r.version)
            for url, digest in articles]


def duplicate(url: str | None, stored_id: int, stored_url: str | None, version: int) -> Stored:
    """What `add` says of a text already stored as article `stored_id` (at `stored_url`)."""
    if url and stored_url == url:
        reason = "same URL and text already stored"
    else:
        reason = f"same text already stored as article {stored_id}" + (f" ({stored_url})" if stored_url else "")
    return Stored("duplicate", stored_id, version, reason)


def _iso(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


NAME_SEPARATOR = "; "


def join_names(names: Sequence[str]) -> str | None:
    """An event's actor or recipient names as one column ('Hamas; Islamic Jihad'), None for none."""
    return NAME_SEPARATOR.join(names) if names else None


def period_start(value: str | None) -> date | None:
    """The first day of an ISO date at any precision: YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY."""
    if not value:
        return None
    try:
        if "-W" in value:
            year, week = value.split("-W")
            return date.fromisocalendar(int(year), int(week[:2]), 1)
        if len(value) == 4:
            return date(int(value), 1, 1)
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert `rows`, skipping those whose key is already stored (SQLite and PostgreSQL alike)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def without_nul(ex: Extraction) -> Extraction:
    """The extraction with NUL characters replaced by spaces, one for one (offsets stay valid): SQLite's
    substr() stops at NUL and PostgreSQL refuses it. Ingest already does this; this covers extractions made
    elsewhere (e.g. read back from `newsledger extract` output)."""
    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("\x00", " ")
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: clean(getattr(value, f.name))
                                                 for f in dataclasses.fields(value)})
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    cleaned = clean(ex)
    cleaned.warnings = [*cleaned.warnings, "NUL characters replaced by spaces when stored"]
    return cleaned  # type: ignore[no-any-return]


def has_nul(ex: Extraction) -> bool:
    a = ex.article
    return any("\x00" in (v or "") for v in (a.text, a.title, a.url, a.outlet, a.id))


def alias_of(written: str) -> str:
    """A source name as written, with runs of whitespace made one space: the key of source_aliases."""
    return " ".join(written.split())


def source_rows(pairs: Sequence[tuple[str | None, str | None]]) -> tuple[list[str], dict[str, str]]:
    """The source entities of (source as written, source entity) pairs, sorted, and each alias's entity."""
    found = {alias_of(w): name for w, name in pairs if w and name and alias_of(w)}
    return sorted(set(found.values())), found


def write_sources(conn: Connection, pairs: Sequence[tuple[str | None, str | None]]) -> None:
    """Record each (source as written, source entity) pair; an alias already known keeps its source."""
    names, found = source_rows(pairs)
    if not found:
        return
    insert_ignore(conn, schema.sources, [{"name": n, "label": n} for n in names])
    insert_ignore(conn, schema.source_aliases, [{"alias": a, "source": n} for a, n in found.items()])


def article_row(ex: Extraction, digest: str, version: int) -> dict[str, Any]:
    """The articles row of `ex` (without its id)."""
    art = ex.article
    return dict(source_id=art.id, url=art.url, version=version, is_current=True, text_hash=digest,
                title=art.title, outlet=art.outlet, published=art.published, origin=art.origin or "text",
                text=art.text, added_at=datetime.now(UTC).replace(tzinfo=None),
                warnings=json.dumps(ex.warnings) if ex.warnings else None)


def write_extraction(conn: Connection, ex: Extraction, measures: Sequence[MeasureRow]) -> Stored:
    """Store the article and every record of `ex` on `conn` (the caller owns the transaction)."""
    if has_nul(ex):
        ex = without_nul(ex)
    a, art = schema.articles, ex.article
    digest = text_hash(art.text)
    duplicate = find_duplicate(conn, art.url, digest)
    if duplicate is not None:
        return duplicate
    version, earlier = 1, []
    if art.url:
        stored = conn.execute(select(a.c.id, a.c.version).where(a.c.url == art.url)).all()
        if stored:
            version, earlier = max(r.version for r in stored) + 1, sorted(r.id for r in stored)
            conn.execute(update(a).where(a.c.url == art.url).values(is_current=False))
    result = conn.execute(a.insert().values(**article_row(ex, digest, version)))
    key = result.inserted_primary_key
    assert key is not None, "an INSERT into articles always has a primary key"
    article_id = int(key[0])
    _write_records(conn, article_id, ex, measures)
    return Stored("version" if version > 1 else "added", article_id, version, earlier=earlier)


def _write_records(conn: Connection, aid: int, ex: Extraction, measures: Sequence[MeasureRow]) -> None:
    insert_ignore(conn, schema.measures, [
        {"key": k, "label": lab} for k, lab in {m.key: m.label for m in measures}.items()])
    write_sources(conn, [(f.source, m.source) for f, m in zip(ex.figures, measures, strict=True)])
    for kind, table_rows in record_rows(aid, ex, measures).items():
        if table_rows:
            conn.execute(schema.RECORD_TABLES[kind].insert(), table_rows)


def record_rows(aid: int, ex: Extraction, measures: Sequence[MeasureRow]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each record table (RECORD_TABLES' names) for article `aid`, as both backends store them."""
    return {
        "figures": [
            {"article_id": aid, "ordinal": i, "span_start": f.start, "span_end": f.end, "text": f.text,
             "value": _num(f.value), "value_max": _num(f.value_max), "qualifier": f.qualifier,
             "counted": f.counted, "category": f.category, "source": f.source, "as_of": _iso(f.as_of),
             "part_of": f.part_of, "measure_key": m.key, "measure_explanation": m.explanation,
             "period": m.period}
            for i, (f, m) in enumerate(zip(ex.figures, measures, strict=True))],
        "quotes": [
            {"article_id": aid, "ordinal": i, "span_start": q.start, "span_end": q.end,
             "content": q.content, "kind": q.kind, "speaker": q.speaker,
             "speaker_mention": q.speaker_mention, "cue": q.cue, "speaker_start": q.speaker_start,
             "speaker_end": q.speaker_end}
            for i, q in enumerate(ex.quotes)],
        "entities": [
            {"article_id": aid, "ordinal": i, "span_start": e.start, "span_end": e.end, "text": e.text,
             "label": e.label, "canonical": e.canonical}
            for i, e in enumerate(ex.entities)],
        "dates": [
            {"article_id": aid, "ordinal": i, "span_start": d.start, "span_end": d.end, "text": d.text,
             "value": _iso(d.value), "value_end": _iso(d.value_end), "granularity": d.granularity,
             "relative": bool(d.relative)}
            for i, d in enumerate(ex.dates)],
        "events": [
            {"article_id": aid, "ordinal": i, "span_start": e.start, "span_end": e.end, "text": e.text,
             "trigger": e.trigger, "trigger_start": e.trigger_start, "type": e.type, "mode": e.mode,
             "actor": join_names(e.actor), "recipient": join_names(e.recipient),
             "target": join_names(e.recipient), "date": period_start(e.date), "date_value": e.date,
             "end_date": e.end_date, "date_text": e.date_text, "location": e.location, "status": e.status,
             "source": e.source, "dead": e.dead, "injured": e.injured, "size": e.size, "same_as": e.same_as,
             "content_of": e.content_of, "quote": e.quote}
            for i, e in enumerate(ex.events)],
    }
