"""Reading and changing the sources table: canonical sources, the ways articles wrote them, their figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from newsledger.model import Entity, Figure
from newsledger.store import schema
from newsledger.store.counts import source_counts
from newsledger.store.writer import alias_of

a, f = schema.articles, schema.figures


def aliases(conn: Connection) -> dict[str, str]:
    """Every stored alias (as written) with the source it names."""
    sa = schema.source_aliases
    return {r.alias: r.source for r in conn.execute(select(sa.c.alias, sa.c.source))}


def written_counts(conn: Connection) -> dict[str, int]:
    """Figures per source as written (current article versions), whitespace made single."""
    out: dict[str, int] = {}
    for written, n in source_counts(conn).items():  # kept by triggers: no pass over every figure
        key = alias_of(written)
        out[key] = out.get(key, 0) + int(n)
    return out


def move_aliases(conn: Connection, from_source: str, into_source: str) -> int:
    """Read every alias of one source as another's (a manual merge); returns how many moved."""
    sa = schema.source_aliases
    src = schema.sources
    if conn.execute(select(src.c.name).where(src.c.name == into_source)).first() is None:
        conn.execute(src.insert().values(name=into_source, label=into_source))
    moved = conn.execute(update(sa).where(sa.c.source == from_source).values(source=into_source)).rowcount
    conn.execute(delete(schema.sources).where(schema.sources.c.name == from_source))
    return int(moved or 0)


def figure_facts(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[int, int, int, str, str]]:
    """(article_id, start, end, category, measure_key) of the figures with these ids."""
    wanted = sorted(set(ids))
    out: dict[int, tuple[int, int, int, str, str]] = {}
    for i in range(0, len(wanted), 500):
        stmt = select(f.c.id, f.c.article_id, f.c.span_start, f.c.span_end, f.c.category, f.c.measure_key).where(
            f.c.id.in_(wanted[i:i + 500]))
        for row in conn.execute(stmt):
            out[int(row.id)] = (int(row.article_id), int(row.span_start), int(row.span_end), row.category,
                                row.measure_key)
    return out


def article_texts(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The texts of the articles with these ids."""
    wanted = sorted(set(ids))
    out: dict[int, str] = {}
    for i in range(0, len(wanted), 200):
        for row in conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(wanted[i:i + 200]))):
            out[int(row.id)] = row.text
    return out


def article_titles(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    """The titles of the articles with these ids (an article without one is left out)."""
    wanted = sorted(set(ids))
    out: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        for row in conn.execute(select(a.c.id, a.c.title).where(a.c.id.in_(wanted[i:i + 500]))):
            if row.title:
                out[int(row.id)] = row.title
    return out


# -- regrouping stored figures ---------------------------------------------------------------------------
StoredArticleFigures = tuple[int, str, date | None, list[Entity], list[tuple[int, Figure]]]


def articles_with_figures(conn: Connection, batch: int = 200) -> Iterator[StoredArticleFigures]:
    """Each current article with figures: (id, text, published, entities, [(figure id, Figure)])."""
    ids = [int(r[0]) for r in conn.execute(
        select(a.c.id).where(a.c.is_current.is_(True), select(f.c.id).where(f.c.article_id == a.c.id).exists())
        .order_by(a.c.id))]
    e = schema.entities
    for i in range(0, len(ids), batch):
        chunk = ids[i:i + batch]
        texts = {int(r.id): (r.text, r.published) for r in conn.execute(
            select(a.c.id, a.c.text, a.c.published).where(a.c.id.in_(chunk)))}
        ents: dict[int, list[Entity]] = {k: [] for k in chunk}
        for r in conn.execute(select(e).where(e.c.article_id.in_(chunk)).order_by(e.c.article_id, e.c.ordinal)):
            ents[int(r.article_id)].append(Entity(r.span_start, r.span_end, r.text, r.label, r.canonical))
        figs: dict[int, list[tuple[int, Figure]]] = {k: [] for k in chunk}
        for r in conn.execute(select(f).where(f.c.article_id.in_(chunk)).order_by(f.c.article_id, f.c.ordinal)):
            figs[int(r.article_id)].append((int(r.id), Figure(
                r.span_start, r.span_end, r.text, r.value if r.value is not None else math_nan(),
                r.value_max, r.qualifier, r.counted, r.category, r.source,
                r.as_of.isoformat() if r.as_of else None, r.part_of)))
        for aid in chunk:
            text, published = texts[aid]
            yield aid, text, published, ents[aid], figs[aid]


def math_nan() -> float:
    return float("nan")


def update_figures(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Set measure_key, measure_explanation and period of figures by id (rows: id, key, explanation, period)."""
    if not rows:
        return
    stmt = (update(f).where(f.c.id == bindparam("fid"))
            .values(measure_key=bindparam("key"), measure_explanation=bindparam("explanation"),
                    period=bindparam("period")))
    conn.execute(stmt, [{"fid": r["id"], "key": r["key"], "explanation": r["explanation"],
                         "period": r["period"]} for r in rows])


def replace_measures(conn: Connection, labels: dict[str, str]) -> None:
    """Make the measures table hold exactly these keys and labels (merges and splits refer to keys, kept)."""
    m = schema.measures
    conn.execute(delete(m))
    items = sorted(labels.items())
    for i in range(0, len(items), 1000):
        conn.execute(m.insert(), [{"key": k, "label": v} for k, v in items[i:i + 1000]])
