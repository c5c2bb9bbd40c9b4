"""People's corrections of extracted records: stored apart, applied when records are read, carried to new versions.

A correction never edits a machine-extracted row. It is one row in `corrections` per changed field (who,
when, old value, new value, note), or a `wrong` mark for the whole record. Each row remembers the record it
was made on by an anchor (article URL and text hash, span, span text and the words around it), so that when
the article is extracted again, or a new version of it is stored, the correction finds the same record
there and follows it. Conflicts dismissed as not real are kept the same way (who, why), by conflict id.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger.conflicts import Conflict
from newsledger.model import CATEGORIES, QUALIFIERS
from newsledger.store import Store, schema

KINDS = ("figure", "quote", "event")
TABLES = {"figure": schema.figures, "quote": schema.quotes, "event": schema.events}
# The fields a person may correct, per kind, and how a typed value is read from a string.
FIELDS: dict[str, tuple[str, ...]] = {
    "figure": ("value", "value_max", "qualifier", "counted", "category", "source", "as_of"),
    "quote": ("speaker", "kind"),
    "event": ("trigger", "actor", "target", "date"),
}
WRONG = "wrong"
_QUOTE_KINDS = ("direct", "indirect", "mixed")
# Words either side of a span that must be unchanged for a correction to follow the record into a new
# version of the article: enough to tell apart two "12" in one article, few enough to survive an edit
# to another paragraph.
_CONTEXT_WORDS = 6
_MAX_TEXT = 500  # a corrected text field (source, counted, speaker, note) longer than this is refused


@dataclass
class Correction:
    """One stored correction: a changed field (or a wrong mark) of one record, by whom and why."""

    id: int
    kind: str
    record_id: int
    field: str
    old: Any
    new: Any
    author: str
    note: str | None
    created_at: datetime
    span_text: str
    article_url: str | None


@dataclass
class Dismissal:
    conflict_id: str
    kind: str
    measure_key: str
    figure_ids: list[int]
    author: str
    reason: str
    created_at: datetime


@dataclass
class CorrectionSet:
    """Every correction in force, by kind and record id: the latest value of each field wins."""

    fields: dict[str, dict[int, dict[str, Any]]] = field(default_factory=lambda: {k: {} for k in KINDS})
    wrong: dict[str, set[int]] = field(default_factory=lambda: {k: set() for k in KINDS})

    def __bool__(self) -> bool:
        return any(self.fields.values()) or any(self.wrong.values())

    def changed(self, kind: str, record_id: int) -> dict[str, Any]:
        return self.fields[kind].get(record_id, {})

    def touches(self, kind: str, names: Iterable[str]) -> bool:
        """Whether any record of `kind` has one of these fields corrected."""
        wanted = set(names)
        return any(wanted & changes.keys() for changes in self.fields[kind].values())

    def is_wrong(self, kind: str, record_id: int) -> bool:
        return record_id in self.wrong[kind]

    def apply(self, kind: str, record: Any) -> Any:
        """The record (a Stored* dataclass) with its corrected fields, or itself when there are none."""
        changes = self.fields[kind].get(record.id)
        if not changes:
            return record
        return dataclasses.replace(record, **{k: v for k, v in changes.items() if hasattr(record, k)})

    def apply_row(self, kind: str, row: dict[str, Any]) -> dict[str, Any]:
        """An exported row with its corrections applied and flagged (`corrected`, `wrong`)."""
        changes = self.fields[kind].get(row["id"], {})
        row.update(changes)
        row["corrected"] = bool(changes)
        row["wrong"] = row["id"] in self.wrong[kind]
        row["added"] = False  # True only on records a person added (newsledger.ledger.additions)
        return row


def default_author() -> str:
    """Who makes a correction when nobody says: $NEWSLEDGER_USER, else the login name."""
    try:
        return os.environ.get("NEWSLEDGER_USER") or getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "unknown"


def parse_value(kind: str, name: str, raw: Any) -> Any:
    """A field's new value, checked and typed, from what a person typed (empty means none)."""
    if kind not in FIELDS:
        raise InputError(f"cannot correct a {kind!r}", f"choose one of {', '.join(KINDS)}")
    if name not in FIELDS[kind]:
        raise InputError(f"a {kind} has no field {name!r} to correct", f"choose one of {', '.join(FIELDS[kind])}")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if name in ("qualifier", "category", "kind", "trigger", "value"):
            raise InputError(f"the {kind}'s {name} cannot be empty")
        return None
    text = str(raw).strip()
    if len(text) > _MAX_TEXT:
        raise InputError(f"the new {name} is {len(text)} characters long", f"keep it under {_MAX_TEXT}")
    if name in ("value", "value_max"):
        try:
            number = float(text.replace(",", "")) if isinstance(raw, str) else float(raw)
        except ValueError as err:
            raise InputError(f"{name} {text!r} is not a number", "write digits, e.g. 48446") from err
        if number != number or number in (float("inf"), float("-inf")):
            raise InputError(f"{name} {text!r} is not a finite number")
        return number
    if name in ("as_of", "date"):
        try:
            return date.fromisoformat(text)
        except ValueError as err:
            raise InputError(f"{name} {text!r} is not a date", "write it as YYYY-MM-DD") from err
    choices = {"qualifier": QUALIFIERS, "category": CATEGORIES, "kind": _QUOTE_KINDS}.get(name)
    if choices and text not in choices:
        raise InputError(f"{name} {text!r} is not known", f"choose one of {', '.join(choices)}")
    return text


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _load(kind: str, name: str, raw: str | None) -> Any:
    if raw is None:
        return None
    value = json.loads(raw)
    if name in ("as_of", "date") and isinstance(value, str):
        return date.fromisoformat(value)
    if name in ("value", "value_max") and value is not None:
        return float(value)
    return value


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _context(text: str, start: int, end: int) -> str:
    before = " ".join(text[:start].split()[-_CONTEXT_WORDS:])
    after = " ".join(text[end:].split()[:_CONTEXT_WORDS])
    return f"{before}\x1f{after}"


def _record(conn: Connection, kind: str, record_id: int) -> Any:
    if record_id < 0 and kind in ("figure", "quote"):
        return _added(conn, kind, -record_id)
    table, a = TABLES[kind], schema.articles
    row = conn.execute(select(table, a.c.url.label("article_url"), a.c.text_hash, a.c.text.label("article_text"))
                       .select_from(table.join(a, table.c.article_id == a.c.id))
                       .where(table.c.id == record_id)).first()
    if row is None:
        raise NotFoundError(f"no {kind} with id {record_id}",
                            f"list them with `newsledger {kind}s`" if kind != "event" else None)
    return row


def _added(conn: Connection, kind: str, addition_id: int) -> Any:
    """A figure or quote a person added (newsledger.ledger.additions), known by minus its id, read like an
    extracted record: its fields as given, anchored where it was made."""
    from newsledger.ledger.additions import load_fields

    t, a = schema.added_records, schema.articles
    row = conn.execute(select(t, a.c.text.label("article_text")).select_from(t.join(a, t.c.article_id == a.c.id))
                       .where(t.c.id == addition_id, t.c.kind == kind)).first()
    if row is None:
        raise NotFoundError(f"no added {kind} with id {addition_id}", "list them with `newsledger review --added`")
    fields = load_fields(kind, row.fields)
    return SimpleNamespace(**{name: fields.get(name) for name in FIELDS[kind]}, article_url=row.article_url,
                           text_hash=row.text_hash, span_start=row.span_start, span_end=row.span_end,
                           article_text=row.article_text)


def correct(store: Store, kind: str, record_id: int, changes: dict[str, Any], *, wrong: bool | None = None,
            author: str | None = None, note: str | None = None) -> list[Correction]:
    """Record `changes` ({field: typed value}) and/or a wrong mark on one record; returns the new rows.

    A figure or quote a person added is corrected the same way, by minus its addition's id (as measures,
    conflicts and `figures` show it); the addition's own row keeps what was first given.
    A value equal to what the record reads now (after earlier corrections) is no change and not stored."""
    if kind not in KINDS:
        raise InputError(f"cannot correct a {kind!r}", f"choose one of {', '.join(KINDS)}")
    if not changes and wrong is None:
        raise InputError("nothing to correct", "give a field to change, or mark the record wrong")
    author = (author or default_author()).strip()[:100] or "unknown"
    note = note.strip()[:_MAX_TEXT] if note and note.strip() else None
    current = load(store)
    made: list[Correction] = []
    with store.write() as conn:
        row = _record(conn, kind, record_id)
        in_force = current.changed(kind, record_id)
        anchor = {"kind": kind, "record_id": record_id, "article_url": row.article_url,
                  "text_hash": row.text_hash, "span_start": row.span_start, "span_end": row.span_end,
                  "span_text": row.article_text[row.span_start:row.span_end],
                  "context": _context(row.article_text, row.span_start, row.span_end)}
        todo: list[tuple[str, Any, Any]] = []
        for name, new in changes.items():
            if name not in FIELDS[kind]:
                raise InputError(f"a {kind} has no field {name!r} to correct",
                                 f"choose one of {', '.join(FIELDS[kind])}")
            old = in_force.get(name, getattr(row, name))
            if old != new:
                todo.append((name, old, new))
        if wrong is not None and wrong != current.is_wrong(kind, record_id):
            todo.append((WRONG, not wrong, wrong))
        now = _now()
        for name, old, new in todo:
            result = conn.execute(schema.corrections.insert().values(
                **anchor, field=name, old_value=_dump(old), new_value=_dump(new), author=author, note=note,
                created_at=now))
            key = result.inserted_primary_key
            assert key is not None
            made.append(Correction(int(key[0]), kind, record_id, name, old, new, author, note, now,
                                   anchor["span_text"], row.article_url))
    return made


def load(store: Store) -> CorrectionSet:
    """Every correction in force (latest per field), read once for a whole listing."""
    with store.read() as conn:
        return in_force(conn)


def in_force(conn: Connection) -> CorrectionSet:
    """`load` on an open connection."""
    out = CorrectionSet()
    c = schema.corrections
    rows = conn.execute(select(c.c.kind, c.c.record_id, c.c.field, c.c.new_value).order_by(c.c.id)).all()
    for kind, record_id, name, new in rows:
        if kind not in KINDS:
            continue
        if name == WRONG:
            if json.loads(new):
                out.wrong[kind].add(record_id)
            else:
                out.wrong[kind].discard(record_id)
        else:
            out.fields[kind].setdefault(record_id, {})[name] = _load(kind, name, new)
    return out


def history(store: Store, *, kind: str | None = None, record_id: int | None = None,
            limit: int | None = None, offset: int = 0) -> list[Correction]:
    """Corrections, newest first (of one record when given)."""
    c = schema.corrections
    stmt = select(c).order_by(c.c.id.desc())
    if kind:
        stmt = stmt.where(c.c.kind == kind)
    if record_id is not None:
        stmt = stmt.where(c.c.record_id == record_id)
    if offset:
        stmt = stmt.offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    with store.read() as conn:
        rows = conn.execute(stmt).all()
    return [Correction(r.id, r.kind, r.record_id, r.field,
                       _load(r.kind, r.field, r.old_value) if r.field != WRONG else json.loads(r.old_value),
                       _load(r.kind, r.field, r.new_value) if r.field != WRONG else json.loads(r.new_value),
                       r.author, r.note, r.created_at, r.span_text, r.article_url) for r in rows]


def counts(store: Store) -> dict[str, int]:
    """For `stats`: corrections stored, records corrected, records marked wrong, conflicts dismissed."""
    c = schema.corrections
    current = load(store)
    with store.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(c)).scalar() or 0)
        dismissed = int(conn.execute(select(func.count()).select_from(schema.conflict_dismissals)).scalar() or 0)
        added = int(conn.execute(select(func.count()).select_from(schema.added_records)).scalar() or 0)
    return {"corrections": total,
            "records_corrected": sum(len(v) for v in current.fields.values()),
            "records_marked_wrong": sum(len(v) for v in current.wrong.values()),
            "records_added": added,
            "conflicts_dismissed": dismissed}


def any_corrections(store: Store) -> bool:
    """Whether the ledger holds any correction (when not, an added article has none to re-anchor)."""
    with store.read() as conn:
        return conn.execute(select(schema.corrections.c.id).limit(1)).first() is not None


def reanchor(store: Store, article_id: int) -> int:
    """Point corrections made on an earlier extraction or version of this article at its records now.

    A record is the same when the text is the same and the span is the same, or, in a new version, when
    its span text and the words around it are unchanged. Returns how many corrections moved."""
    c, a = schema.corrections, schema.articles
    moved = 0
    # Read first: during a bulk add nearly every article has no corrections, and a read costs less than
    # a write transaction.
    with store.read() as conn:
        art = conn.execute(select(a.c.id, a.c.url, a.c.text_hash).where(a.c.id == article_id)).first()
        if art is None:
            return 0
        match = c.c.text_hash == art.text_hash
        if art.url:
            match = or_(match, c.c.article_url == art.url)
        rows = conn.execute(select(c.c.kind, c.c.record_id, c.c.text_hash, c.c.span_start, c.c.span_end,
                                   c.c.span_text, c.c.context).where(match).distinct()).all()
    if not rows:
        return 0
    with store.write() as conn:
        text = conn.execute(select(a.c.text).where(a.c.id == article_id)).scalar_one()
        for row in rows:
            table = TABLES.get(row.kind)
            if table is None or row.record_id < 0:  # an added record is placed on read, by its own anchor
                continue
            # Still in place: the same record (SQLite may give a re-extracted record its old id back).
            here = conn.execute(select(table.c.id).where(
                table.c.id == row.record_id, table.c.article_id == art.id, table.c.span_start == row.span_start,
                table.c.span_end == row.span_end)).first()
            if here is not None and row.text_hash == art.text_hash:
                continue
            candidates = conn.execute(select(table.c.id, table.c.span_start, table.c.span_end)
                                      .where(table.c.article_id == art.id).order_by(table.c.id)).all()
            found = None
            for cand in candidates:
                if row.text_hash == art.text_hash:
                    if (cand.span_start, cand.span_end) == (row.span_start, row.span_end):
                        found = cand.id
                        break
                elif (text[cand.span_start:cand.span_end] == row.span_text
                      and _context(text, cand.span_start, cand.span_end) == row.context):
                    found = cand.id
                    break
            if found is None:
                continue
            moved += conn.execute(update(c).where(c.c.kind == row.kind, c.c.record_id == row.record_id)
                                  .values(record_id=found)).rowcount
    return moved


# -- conflicts -------------------------------------------------------------------------------------------
def conflict_id(conflict: Conflict) -> str:
    """A stable id for a conflict: its kind, measure and figures."""
    ids = ",".join(str(i) for i in sorted(p.figure_id for p in conflict.points))
    return hashlib.sha1(f"{conflict.kind}|{conflict.measure_key}|{ids}".encode()).hexdigest()[:16]


def dismiss(store: Store, conflict: Conflict, *, author: str | None = None, reason: str) -> Dismissal:
    """Keep a conflict as not real, with who and why (it stays stored; listings leave it out)."""
    if not reason or not reason.strip():
        raise InputError("say why the conflict is not real", "give a reason, e.g. 'different periods'")
    author = (author or default_author()).strip()[:100] or "unknown"
    row = Dismissal(conflict_id(conflict), conflict.kind, conflict.measure_key,
                    sorted(p.figure_id for p in conflict.points), author, reason.strip()[:_MAX_TEXT], _now())
    d = schema.conflict_dismissals
    with store.write() as conn:
        conn.execute(delete(d).where(d.c.conflict_id == row.conflict_id))
        conn.execute(d.insert().values(conflict_id=row.conflict_id, kind=row.kind, measure_key=row.measure_key,
                                       figure_ids=json.dumps(row.figure_ids), author=row.author,
                                       reason=row.reason, created_at=row.created_at))
    return row


def dismissals(store: Store) -> dict[str, Dismissal]:
    d = schema.conflict_dismissals
    with store.read() as conn:
        rows = conn.execute(select(d)).all()
    return {r.conflict_id: Dismissal(r.conflict_id, r.kind, r.measure_key, json.loads(r.figure_ids), r.author,
                                     r.reason, r.created_at) for r in rows}


def pending(conflicts: Iterable[Conflict], corrections: CorrectionSet,
            dismissed: dict[str, Dismissal]) -> list[tuple[int, Conflict]]:
    """Figures waiting for a person: in a conflict nobody dismissed, and not corrected or marked wrong."""
    seen: set[int] = set()
    out = []
    for conflict in conflicts:
        if conflict_id(conflict) in dismissed:
            continue
        for point in conflict.points:
            fid = point.figure_id
            if fid in seen or corrections.changed("figure", fid) or corrections.is_wrong("figure", fid):
                continue
            seen.add(fid)
            out.append((fid, conflict))
    return out


__all__ = ["FIELDS", "KINDS", "Correction", "CorrectionSet", "Dismissal", "any_corrections", "conflict_id",
           "correct", "counts", "default_author", "dismiss", "dismissals", "history", "load", "parse_value", "pending", "reanchor"]
