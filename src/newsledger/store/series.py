"""A measure's figures for its series, read on the driver's own cursor: tens of thousands of rows, where
SQLAlchemy's per-row result processing costs about a third of the read.

On PostgreSQL the figures and their articles are read apart: the figures by the measure index, then each
of their articles once (1,392 articles for the 16,008 figures of the largest measure at a million
figures, where the join looked an article up per figure and sent its URL with every row), in binary,
and sorted here. Server and client CPU together: about 141 ms before, 106 ms after (loaded machine, medians of
9; see benchmarks/query.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from operator import itemgetter
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
    if conn.dialect.name == "postgresql":
        return _postgres_figures(conn, measure_keys, article_ids)
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


_PG_FIGURES = ("SELECT id, article_id, span_start, span_end, text, value, value_max, qualifier, counted, category, "
               "source, as_of, part_of, measure_key, period FROM figures WHERE measure_key = ANY(%s)")


def _postgres_figures(conn: Connection, measure_keys: Sequence[str],
                      article_ids: Sequence[int] | None) -> list[StoredFigure]:
    sql, params = _PG_FIGURES, list[Any]([list(measure_keys)])
    if article_ids is not None:
        sql += " AND article_id = ANY(%s)"
        params.append(list(article_ids))
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        # Unsorted: the server's sort of the wide rows cost it more CPU (about 50 ms of 80) than sorting
        # the built figures costs here.
        cursor.execute(sql, params, binary=True)
        figs = cursor.fetchall()
        ids = sorted({row[1] for row in figs})
        cursor.execute("SELECT id, published, url, outlet FROM articles WHERE id = ANY(%s) AND is_current IS TRUE",
                       [ids], binary=True)
        arts = {row[0]: row for row in cursor.fetchall()}
        wholes: dict[tuple[int, int], tuple[Any, Any]] = {}
        parts = sorted({(row[1], row[12]) for row in figs if row[12] is not None})
        if parts:
            cursor.execute("SELECT f.article_id, f.ordinal, f.id, f.value FROM figures f JOIN unnest(%s::int[], "
                           "%s::int[]) AS w(a, o) ON f.article_id = w.a AND f.ordinal = w.o",
                           [[p[0] for p in parts], [p[1] for p in parts]], binary=True)
            wholes = {(row[0], row[1]): (row[2], row[3]) for row in cursor.fetchall()}
    finally:
        cursor.close()
    # Listing order: as-of date, else the article's day (undated last), then id; where every figure has
    # an as-of date (nearly always), a sort of the plain rows by (as_of, id).
    dated = all(row[11] is not None for row in figs)
    if dated:
        figs.sort(key=itemgetter(11, 0))
    out = []
    make: Any = StoredFigure
    get, none = arts.get, (None, None)
    for row in figs:
        art = get(row[1])
        if art is None:  # an older version of its article
            continue
        whole = wholes.get((row[1], row[12]), none) if row[12] is not None else none
        out.append(make(*row[:14], None, None, art[1], art[2], art[3], None, None, whole[0], whole[1], row[14]))
    if not dated:
        out.sort(key=lambda fig: ((fig.as_of or fig.published) is None, fig.as_of or fig.published or date.min,
                                  fig.id))
    return out
