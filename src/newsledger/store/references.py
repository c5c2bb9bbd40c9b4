"""Storing and reading reference series (authoritative daily values per measure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from newsledger.store import schema
from newsledger.store.writer import _insert_ignore

rs, rv = schema.reference_series, schema.reference_values


def replace_reference(conn: Connection, name: str, path: str, place: str | None,
                      values: Sequence[dict[str, Any]]) -> int:
    """Store a reference series under `name`, replacing one of the same name; returns the values stored."""
    conn.execute(delete(rv).where(rv.c.reference == name))
    conn.execute(delete(rs).where(rs.c.name == name))
    conn.execute(rs.insert().values(name=name, path=path, place=place,
                                    added_at=datetime.now(UTC).replace(tzinfo=None)))
    rows = [{**v, "reference": name} for v in values]
    for i in range(0, len(rows), 2000):
        conn.execute(rv.insert(), rows[i:i + 2000])
    return len(rows)


def references(conn: Connection) -> list[dict[str, Any]]:
    """Each stored reference series with its values, measures and date span."""
    stats = {r.reference: r for r in conn.execute(
        select(rv.c.reference, func.count().label("values"),
               func.count(func.distinct(rv.c.measure_key)).label("measures"),
               func.min(rv.c.as_of).label("first"), func.max(rv.c.as_of).label("last"))
        .group_by(rv.c.reference))}
    out = []
    for r in conn.execute(select(rs).order_by(rs.c.name)):
        s = stats.get(r.name)
        out.append({"name": r.name, "path": r.path, "place": r.place, "added_at": r.added_at,
                    "values": int(s.values) if s else 0, "measures": int(s.measures) if s else 0,
                    "first": s.first if s else None, "last": s.last if s else None})
    return out


def reference_keys(conn: Connection) -> set[str]:
    return {r[0] for r in conn.execute(select(rv.c.measure_key).distinct())}


def values(conn: Connection, measure_keys: Sequence[str] | None = None) -> list[tuple[str, str, str, Any, float]]:
    """(reference, measure_key, field, as_of, value) rows, of the given measures or all, in date order."""
    stmt = select(rv.c.reference, rv.c.measure_key, rv.c.field, rv.c.as_of, rv.c.value)
    if measure_keys is not None:
        stmt = stmt.where(rv.c.measure_key.in_(list(measure_keys)))
    return [tuple(r) for r in conn.execute(stmt.order_by(rv.c.measure_key, rv.c.as_of))]  # type: ignore[misc]


def remove_reference(conn: Connection, name: str) -> int:
    conn.execute(delete(rv).where(rv.c.reference == name))
    return int(conn.execute(delete(rs).where(rs.c.name == name)).rowcount or 0)


def ensure_measures(conn: Connection, labels: dict[str, str]) -> None:
    """Add measure keys with their labels where missing (a reference series' measures)."""
    _insert_ignore(conn, schema.measures, [{"key": k, "label": v} for k, v in sorted(labels.items())])
