"""Query benchmark: `series` and `conflicts` for one measure in a ledger of at least 1,000,000 figures.

The figures are real extractions of a slice of ../shared/corpus/gva-local.jsonl (run through the pipeline
once and cached), repeated with dates shifted by one day per copy and inserted in bulk (not through the
pipeline). Each copy is a separate article row with the original text, so spans stay valid.

    .venv/bin/python benchmarks/query.py --db /tmp/bench-query.db
    .venv/bin/python benchmarks/query.py --db postgresql://postgres@127.0.0.1:54329/newsledger_bench
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _db import empty_database

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "gva-local.jsonl"
CACHE = Path("/tmp/newsledger-bench")


def base_rows(n: int) -> list[dict[str, Any]]:
    """The first n corpus articles with their figures and measures (extracted once, then cached)."""
    cache = CACHE / f"base-{n}-quotes.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    from newsledger.ingest.sources import read_sources
    from newsledger.ledger.measures import measure_for
    from newsledger.model import Article, Extraction
    from newsledger.pipeline import Pipeline

    articles = [a for a in read_sources([str(CORPUS)]) if isinstance(a, Article)][:n]
    out = []
    for ex in Pipeline().extract_many(articles):
        if not isinstance(ex, Extraction):
            continue
        a = ex.article
        figs = []
        for f in ex.figures:
            m = measure_for(f, ex.entities, a.text)
            figs.append({"span_start": f.start, "span_end": f.end, "text": f.text, "value": f.value,
                         "value_max": f.value_max, "qualifier": f.qualifier, "counted": f.counted,
                         "category": f.category, "source": f.source, "as_of": f.as_of, "part_of": f.part_of,
                         "measure_key": m.key, "measure_label": m.label, "measure_explanation": m.explanation})
        quotes = [{"span_start": q.start, "span_end": q.end, "content": q.content, "kind": q.kind,
                   "speaker": q.speaker, "speaker_mention": q.speaker_mention, "cue": q.cue,
                   "speaker_start": q.speaker_start, "speaker_end": q.speaker_end} for q in ex.quotes]
        out.append({"source_id": a.id, "url": a.url, "title": a.title, "outlet": a.outlet,
                    "published": a.published.isoformat() if a.published else None, "text": a.text,
                    "figures": figs, "quotes": quotes})
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return out


def _shift(day: str | None, by: int) -> date | None:
    return date.fromisoformat(day[:10]) + timedelta(days=by) if day else None


def generate(base: list[dict[str, Any]], copies: int):
    """(article rows, figure rows, quote rows) of one copy at a time, dates shifted by the copy number."""
    now = datetime(2026, 1, 1)
    for c in range(copies):
        arts, figs, quotes = [], [], []
        for j, art in enumerate(base):
            aid = c * len(base) + j + 1
            digest = hashlib.sha256(f"{c}\0{j}\0{art['text']}".encode()).hexdigest()
            arts.append({"id": aid, "source_id": f"{art['source_id']}#{c}",
                         "url": f"{art['url']}#copy{c}-{j}" if art["url"] else None, "version": 1,
                         "is_current": True, "text_hash": digest, "title": art["title"], "outlet": art["outlet"],
                         "published": _shift(art["published"], c), "origin": "jsonl", "text": art["text"],
                         "added_at": now, "warnings": None})
            for i, f in enumerate(art["figures"]):
                figs.append({"article_id": aid, "ordinal": i, "span_start": f["span_start"],
                             "span_end": f["span_end"], "text": f["text"], "value": f["value"],
                             "value_max": f["value_max"], "qualifier": f["qualifier"], "counted": f["counted"],
                             "category": f["category"], "source": f["source"],
                             "as_of": _shift(f["as_of"], c) or _shift(art["published"], c),
                             "part_of": f["part_of"], "measure_key": f["measure_key"],
                             "measure_explanation": f["measure_explanation"]})
            for i, q in enumerate(art["quotes"]):
                quotes.append({"article_id": aid, "ordinal": i, **q})
        yield arts, figs, quotes


def load(store: Any, base: list[dict[str, Any]], copies: int) -> tuple[int, int, int, float]:
    from sqlalchemy import text

    from newsledger.store import schema

    started = time.perf_counter()
    labels = {f["measure_key"]: f["measure_label"] for a in base for f in a["figures"]}
    with store.write() as conn:
        conn.execute(schema.measures.insert(), [{"key": k, "label": v} for k, v in labels.items()])
    n_art = n_fig = n_quo = 0
    if store.backend == "postgresql":
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            # Generated columns (the search vector, normalised names) are the database's to fill.
            acols = [c.name for c in schema.articles.columns if c.computed is None]
            fcols = [c.name for c in schema.figures.columns if c.name != "id" and c.computed is None]
            qcols = [c.name for c in schema.quotes.columns if c.name != "id" and c.computed is None]
            for arts, figs, quotes in generate(base, copies):
                with cur.copy(f"COPY articles ({', '.join(acols)}) FROM STDIN") as cp:
                    for row in arts:
                        cp.write_row([row.get(c) for c in acols])
                with cur.copy(f"COPY figures ({', '.join(fcols)}) FROM STDIN") as cp:
                    for row in figs:
                        cp.write_row([row.get(c) for c in fcols])
                with cur.copy(f"COPY quotes ({', '.join(qcols)}) FROM STDIN") as cp:
                    for row in quotes:
                        cp.write_row([row.get(c) for c in qcols])
                n_quo += len(quotes)
                n_art += len(arts)
                n_fig += len(figs)
                raw.commit()
            cur.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles))")
            raw.commit()
            # What autovacuum does to a ledger that grew over time: statistics, and the visibility map
            # that lets index-only scans (distinct names, counts) skip the table.
            # On the driver's connection: set on the pool's proxy it is ignored, and VACUUM refuses to run.
            raw.driver_connection.autocommit = True
            raw.driver_connection.execute("VACUUM ANALYZE")
        finally:
            raw.close()
    else:
        for arts, figs, quotes in generate(base, copies):
            with store.write() as conn:
                conn.execute(schema.articles.insert(), arts)
                conn.execute(schema.figures.insert(), figs)
                if quotes:
                    conn.execute(schema.quotes.insert(), quotes)
            n_quo += len(quotes)
            n_art += len(arts)
            n_fig += len(figs)
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return n_art, n_fig, n_quo, time.perf_counter() - started


def timed(fn: Any, runs: int) -> tuple[float, float, float, Any]:
    """(first run, median of the rest, median CPU time of this process) in seconds, and the last result.

    CPU time is reported too because on a shared machine the wall time mostly measures the neighbours.
    """
    times, cpu, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return times[0], statistics.median(times[1:] or times), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite path or postgresql:// URL (emptied first)")
    parser.add_argument("--articles", type=int, default=200, help="corpus articles to extract (base)")
    parser.add_argument("--figures", type=int, default=1_000_000, help="at least this many stored figures")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query-only", action="store_true", help="time the queries on a database loaded before")
    parser.add_argument("--build-only", action="store_true", help="load the database, time nothing")
    parser.add_argument("--lookups-only", action="store_true",
                        help="time only the name searches, full-text search and stats (not series, conflicts)")
    parser.add_argument("--lookups", default="figures,quotes,search,stats,measures",
                        help="which lookups to time (comma-separated: figures, quotes, search, stats, measures)")
    parser.add_argument("--page", type=int, default=50, help="rows in a first page")
    parser.add_argument("--sources", default="police", help="comma-separated figure sources to look up")
    parser.add_argument("--speakers", default="police,smith", help="comma-separated quote speakers to look up")
    parser.add_argument("--search", default="shooting", help="words for the full-text search")
    parser.add_argument("--pages", action="store_true",
                        help="time only page 1 against page 1,000 (by cursor) of every listing")
    parser.add_argument("--listings", default="",
                        help="with --pages: only the listings whose names start with these (comma-separated)")
    parser.add_argument("--series-only", action="store_true",
                        help="time only the series of the largest measures (with the read of before)")
    parser.add_argument("--reset", action="store_true",
                        help="empty the database first (deletes a SQLite file / drops PostgreSQL's public schema)")
    args = parser.parse_args()

    from newsledger.ledger import Ledger
    from newsledger.store import Store

    if args.reset:
        empty_database(args.db)
    base = base_rows(args.articles)
    per_copy = sum(len(a["figures"]) for a in base)
    copies = -(-args.figures // per_copy)
    store = Store(args.db)
    if args.query_only:
        from newsledger.ledger import Ledger as _Ledger

        with _Ledger(args.db) as lg:
            st = lg.stats()
        print(f"backend {store.backend}: {st['article_versions']:,} articles and {st['figures']:,} figures "
              "loaded before")
    elif _has_articles(store):
        sys.exit("the database already holds articles; give --reset to empty it (or another --db)")
    else:
        n_art, n_fig, n_quo, load_s = load(store, base, copies)
        print(f"backend {store.backend}: loaded {n_art:,} articles, {n_fig:,} figures and {n_quo:,} quotes "
              f"({len(base)} extracted articles x {copies} date-shifted copies) in {load_s:.1f} s")
    store.close()
    if args.build_only:
        return

    counts = Counter(f["measure_key"] for a in base for f in a["figures"])
    with Ledger(args.db) as ledger:
        from newsledger.ledger.measures import is_cumulative

        if args.pages:
            pages(ledger, args)
            print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
            return
        if args.series_only:
            series_reads(ledger, [k for k, _ in counts.most_common(2)], args.runs)
            print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
            return
        if not args.lookups_only:
            kept_conflicts(ledger, args)
            # The two largest measures, and the largest running total (where decreases are looked for).
            chosen = counts.most_common(2)
            chosen += [kv for kv in counts.most_common() if is_cumulative(kv[0]) and kv not in chosen][:1]
            for key, per in chosen:
                first, median, cpu, found = timed(lambda k=key: ledger.series(k), args.runs)
                print(f"series {key!r}: {len(found[0].figures):,} figures; first {first * 1000:.0f} ms, "
                      f"median {median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)")
                first, median, cpu, conflicts = timed(lambda k=key: ledger.conflicts(k), args.runs)
                print(f"conflicts {key!r}: {len(conflicts):,} conflicts over {per * copies:,} figures; "
                      f"first {first * 1000:.0f} ms, median {median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)")
        lookups(ledger, args)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def kept_conflicts(ledger: Any, args: argparse.Namespace) -> None:
    """Conflicts over everything, read from the kept table: first page, and a later page by its cursor.

    Figures loaded in bulk bypass `add`, so the table is filled once first (the full recomputation a
    ledger made before conflicts were kept goes through; timed here)."""
    from newsledger.ledger.conflict_table import cursor
    from newsledger.store import conflicts as kept

    with ledger.store.read() as conn:
        empty = not kept.page(conn, limit=1) and not kept.pending(conn)
    if empty or not ledger.kept_conflicts():
        t, c = time.perf_counter(), time.process_time()
        n = ledger.rebuild_conflicts()
        print(f"conflicts rebuilt from every figure: {n:,} conflicts in {time.perf_counter() - t:.1f} s "
              f"(client CPU {time.process_time() - c:.1f} s)")
    page = args.page
    first, median, cpu, found = timed(lambda: ledger.conflicts(limit=page), args.runs)
    print(f"conflicts over everything (first {page}): {len(found):,} rows; first {first * 1000:.0f} ms, "
          f"median {median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)")
    after = None
    for _ in range(19):  # the cursor of page 20
        rows = ledger.conflicts(limit=page, after=after)
        if not rows:
            break
        after = cursor(rows[-1])
    if after:
        first, median, cpu, found = timed(lambda: ledger.conflicts(limit=page, after=after), args.runs)
        print(f"conflicts over everything (page 20 by cursor): {len(found):,} rows; first {first * 1000:.0f} ms, "
              f"median {median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)")


def pages(ledger: Any, args: argparse.Namespace) -> None:
    """Page 1 against page 1,000 of every listing, the later page read by its cursor (keyset paging) and,
    as the "before", by --offset. The cursor of page 1,000 is that of the row just before it, found once
    (untimed) with an offset."""
    from newsledger.ledger import cursors

    page, far = args.page, args.page * 999
    listings: list[tuple[str, Any, Any]] = [
        ("figures", lambda **kw: ledger.figures(**kw), cursors.figure_cursor),
        ("figures --source police", lambda **kw: ledger.figures(source="police", **kw), cursors.figure_cursor),
        ("quotes", lambda **kw: ledger.quotes(**kw), cursors.quote_cursor),
        ("quotes --speaker police", lambda **kw: ledger.quotes(speaker="police", **kw), cursors.quote_cursor),
        ("articles", lambda **kw: ledger.articles(**kw), lambda r: cursors.article_cursor(r, False)),
        (f"articles --search {args.search}", lambda **kw: ledger.articles(search=args.search, **kw),
         lambda r: cursors.article_cursor(r, True)),
        ("measures", lambda **kw: ledger.measures(**kw), cursors.measure_cursor),
        ("sources", lambda **kw: ledger.sources(**kw), cursors.source_cursor),
    ]
    chosen = [x for x in args.listings.split(",") if x]
    for name, read, cursor_of in listings:
        if chosen and not any(name.startswith(x) for x in chosen):
            continue
        first, median, cpu, found = timed(lambda r=read: r(limit=page), args.runs)
        line = f"{name}: page 1 first {first * 1000:.0f} ms, median {median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)"
        # Measures and sources are made in memory from maintained counts: fewer than 1,000 pages.
        at = min(far, max(0, len(read()) - page)) if name in ("measures", "sources") else far
        in_memory = name in ("measures", "sources")

        def by_offset(r: Any = read, o: int = at, n: int = page, mem: bool = in_memory) -> list[Any]:
            return r()[o:o + n] if mem else r(limit=n, offset=o)

        before = by_offset(o=at - 1, n=1) if at else []
        if before:
            after = cursor_of(before[-1])
            f2, m2, c2, later = timed(lambda r=read, a=after: r(limit=page, after=a), args.runs)
            f3, m3, c3, _ = timed(by_offset, max(2, args.runs // 2))
            line += (f"; page {at // page + 1:,} by cursor ({len(later)} rows) first {f2 * 1000:.0f} ms, median "
                     f"{m2 * 1000:.0f} ms (client CPU {c2 * 1000:.0f} ms); by --offset {at:,} median {m3 * 1000:.0f} ms")
        print(line, flush=True)


def series_reads(ledger: Any, keys: list[str], runs: int) -> None:
    """The series of the largest measures, and the store's read of their figures against the read of
    before (one statement joining each figure to its article), in the same run."""
    from newsledger.store import series as series_store

    for key in keys:
        first, median, cpu, found = timed(lambda k=key: ledger.series(k), runs)
        print(f"series {key!r}: {len(found[0].figures):,} figures; first {first * 1000:.0f} ms, median "
              f"{median * 1000:.0f} ms (client CPU {cpu * 1000:.0f} ms)")
        with ledger.store.read() as conn:
            n_first, n_median, n_cpu, new = timed(lambda k=key: series_store.measure_figures(conn, [k]), runs)
            o_first, o_median, o_cpu, old = timed(lambda k=key: old_series_read(conn, [k]), runs)
        assert new == old, "the series read must give what the read of before gave"
        print(f"  its figures read: median {n_median * 1000:.0f} ms (client CPU {n_cpu * 1000:.0f} ms); before: "
              f"median {o_median * 1000:.0f} ms (client CPU {o_cpu * 1000:.0f} ms)")


def old_series_read(conn: Any, keys: list[str]) -> list[Any]:
    """A measure's figures as store/series.py read them before: one statement joining every figure to its
    article, sorted by the server, on the driver's cursor."""
    from datetime import date as _date

    from sqlalchemy import func

    from newsledger.store import queries as q
    from newsledger.store import schema

    f, a = schema.figures, schema.articles
    when = func.coalesce(f.c.as_of, a.c.published)
    stmt = q._figures_stmt(conn, measure_keys=keys, lean=True).order_by(when.is_(None), when, f.c.id)
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params: Any = compiled.params
    if conn.dialect.paramstyle in ("qmark", "numeric") and compiled.positiontup is not None:
        params = tuple(compiled.params[name] for name in compiled.positiontup)
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    out = []
    for row in rows:
        row = list(row)
        for i in (11, 16):  # SQLite keeps dates as ISO text
            if isinstance(row[i], str):
                row[i] = _date.fromisoformat(row[i])
        out.append(q.StoredFigure(*row))
    return out


def lookups(ledger: Any, args: argparse.Namespace) -> None:
    """Name searches, full-text search and stats: each beside the query of before, in the same run."""
    from newsledger.store import queries as q

    page = args.page

    def show(what: str, new: Any, before: Any) -> None:
        first, median, cpu, found = timed(new, args.runs)
        b_first, b_median, b_cpu, b_found = timed(before, max(2, args.runs // 2))
        print(f"{what}: {len(found):,} rows; first {first * 1000:.0f} ms, median {median * 1000:.0f} ms "
              f"(client CPU {cpu * 1000:.0f} ms); before: {len(b_found):,} rows, median "
              f"{b_median * 1000:.0f} ms (client CPU {b_cpu * 1000:.0f} ms)")

    def old_figures(source: str) -> list[Any]:
        when = q.func.coalesce(q.f.c.as_of, q.a.c.published)
        stmt = (q._figure_select().where(q._contains(q.f.c.source, source))
                .order_by(when.is_(None), when, q.f.c.id).limit(page))
        with ledger.store.read() as conn:
            return [q.StoredFigure(*row) for row in conn.execute(stmt).all()]

    def old_quotes(speaker: str) -> list[Any]:
        stmt = (q.select(q.q.c.id).select_from(q.q.join(q.a, q.q.c.article_id == q.a.c.id))
                .where(q.a.c.is_current.is_(True))
                .where(q.or_(q._contains(q.q.c.speaker, speaker), q._contains(q.q.c.speaker_mention, speaker)))
                .order_by(q.a.c.published.is_(None), q.a.c.published, q.q.c.article_id, q.q.c.ordinal).limit(page))
        with ledger.store.read() as conn:
            return conn.execute(stmt).all()

    chosen = set(args.lookups.split(","))
    for source in args.sources.split(",") if "figures" in chosen else ():
        show(f"figures --source {source} (first {page})", lambda s=source: ledger.figures(source=s, limit=page),
             lambda s=source: old_figures(s))
    for speaker in args.speakers.split(",") if "quotes" in chosen else ():
        show(f"quotes --speaker {speaker} (first {page})", lambda s=speaker: ledger.quotes(speaker=s, limit=page),
             lambda s=speaker: old_quotes(s))
    if "search" in chosen:
        show(f"articles --search {args.search} (first {page}; before: every match, unpaged)",
             lambda: ledger.articles(search=args.search, limit=page), lambda: ledger.articles(search=args.search))
    if "stats" in chosen:
        show("stats", lambda: [ledger.stats()], lambda: [old_stats(ledger)])
    if "measures" in chosen:
        show("measures (before: figures per measure counted through their articles)", ledger.measures,
             lambda: old_measure_counts(ledger))


def old_measure_counts(ledger: Any) -> list[Any]:
    """Figures per measure as `measures` counted them before the maintained counts: every figure joined
    to its article."""
    from newsledger.store import queries as q

    stmt = (q.select(q.f.c.measure_key, q.func.count()).select_from(q.f.join(q.a, q.f.c.article_id == q.a.c.id))
            .where(q.a.c.is_current.is_(True)).group_by(q.f.c.measure_key))
    with ledger.store.read() as conn:
        return conn.execute(stmt).all()


def old_stats(ledger: Any) -> dict[str, int]:
    """The counts as stats read them before: every row of every table, distinct names by counting."""
    from newsledger.store import queries as q
    from newsledger.store import schema

    a, f, qt = schema.articles, schema.figures, schema.quotes
    with ledger.store.read() as conn:
        out = {"articles": conn.execute(q.select(q.func.count()).select_from(a).where(a.c.is_current.is_(True))).scalar()}
        out["article_versions"] = conn.execute(q.select(q.func.count()).select_from(a)).scalar()
        for name, table in schema.RECORD_TABLES.items():
            out[name] = conn.execute(q.select(q.func.count()).select_from(table)).scalar()
        out["sources"] = conn.execute(q.select(q.func.count(q.func.distinct(f.c.source)))).scalar()
        out["speakers"] = conn.execute(q.select(q.func.count(q.func.distinct(qt.c.speaker)))).scalar()
    return out


def _has_articles(store: Any) -> bool:
    from sqlalchemy import select

    from newsledger.store import schema

    with store.read() as conn:
        return conn.execute(select(schema.articles.c.id).limit(1)).first() is not None


if __name__ == "__main__":
    sys.exit(main())
