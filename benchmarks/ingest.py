"""Ingest benchmark: articles/s of `add` (extract + store) against `extract` alone, same corpus slice.

Both use one already loaded Pipeline and the same articles (read once, before timing), so the
difference is what storing costs: the duplicate check, measures, and one transaction per article.

    .venv/bin/python benchmarks/ingest.py                       # 100 articles of gva-local, SQLite
    .venv/bin/python benchmarks/ingest.py --db postgresql://postgres@127.0.0.1:54329/newsledger_bench --reset
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "gva-local.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100, help="articles from the start of gva-local")
    parser.add_argument("--db", help="PostgreSQL URL of a scratch database to add to (emptied each round; "
                        "needs --reset); default: a new SQLite file in a temporary folder")
    parser.add_argument("--reset", action="store_true", help="allow emptying the --db database")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate extract and add this many times (on a shared machine, for noise)")
    args = parser.parse_args()
    if args.db and not (args.db.startswith("postgres") and args.reset):
        sys.exit("--db takes a PostgreSQL URL of a scratch database and needs --reset (it is emptied)")

    from newsledger.ingest.sources import read_sources
    from newsledger.ledger import Ledger
    from newsledger.model import Article, Extraction
    from newsledger.pipeline import Pipeline

    articles = [a for a in read_sources([str(CORPUS)]) if isinstance(a, Article)][: args.articles]
    words = sum(len(a.text.split()) for a in articles)
    pipeline = Pipeline()
    list(pipeline.extract_many(articles[:5]))  # warm-up: the first batch pays for lazy initialisation

    print(f"{len(articles)} articles ({words:,} words) of {CORPUS.name}")
    for rnd in range(args.rounds):
        t = time.perf_counter()
        done = sum(isinstance(x, Extraction) for x in pipeline.extract_many(articles))
        extract_s = time.perf_counter() - t

        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or str(Path(tmp) / "ledger.db")
            if args.db:
                _empty_postgres(args.db)
            with Ledger(db, pipeline=pipeline) as ledger:
                t = time.perf_counter()
                report = ledger.add(articles)
                add_s = time.perf_counter() - t
                backend = ledger.store.backend
        extract_rate, add_rate = done / extract_s, (report.added + report.versions) / add_s
        print(f"round {rnd + 1}: extract {done} articles in {extract_s:.1f} s = {extract_rate:.2f} articles/s; "
              f"add ({backend}) {report.added} added, {report.skipped} duplicates, {len(report.failed)} failed "
              f"in {add_s:.1f} s = {add_rate:.2f} articles/s; storing costs "
              f"{(add_s - extract_s) / extract_s * 100:+.1f}% time")


def _empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from newsledger.store import resolve_url

    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
