"""A measure's figures for its series, read on the driver's own cursor: tens of thousands of rows, where
SQLAlchemy's per-row result processing costs about a third of the read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import Connection, func

from newsledger.store import schema
from newsledger.store.queries import StoredFigure, _figures_stmt

_NAMES = [fl.name for fl in fields(StoredFigure)]
_DATES = (_NAMES.index("as_of"), _NAMES.index("published"))


def measure_figures(conn: Connection, measure_keys: Sequence[str],
                    article_ids: Sequence[int] | None = None) -> list[StoredFigure]:
    """The figures of current articles stored under these keys (of these articles), oldest as-of date
    (else publication day) first, as `queries.figures(..., lean=True)` gives them."""
    f, a = schema.figures, schema.articles
    when = func.coalesce(f.c.as_of, a.c.published)
    stmt = (_figures_stmt(conn, measure_keys=list(measure_keys), lean=True, article_ids=article_ids)
            .order_by(when.is_(None), when, f.c.id))
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if conn.dialect.paramstyle in ("qmark", "numeric") and compiled.positiontup is not None:
        params = tuple(compiled.params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if conn.dialect.name != "sqlite":
        return [StoredFigure(*row) for row in rows]
    out = []
    for row in rows:  # SQLite keeps dates as ISO text
        row = list(row)
        for i in _DATES:
            if row[i] is not None:
                row[i] = date.fromisoformat(row[i])
        out.append(StoredFigure(*row))
    return out
