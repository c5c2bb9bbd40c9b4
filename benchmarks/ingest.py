"""Ingest benchmark: articles/s of `add` (extract + store) against `extract` alone, same corpus slice.

Both use one already loaded Pipeline and the same articles (read once, before timing), so the
difference is what storing costs: the duplicate check, measures, and one transaction per article.

    .venv/bin/python benchmarks/ingest.py                       # 100 articles of gva-local, SQLite
    .venv/bin/python benchmarks/ingest.py --db postgresql://postgres@127.0.0.1:54329/newsledger_bench --reset
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _db import empty_database

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
        t, c = time.perf_counter(), time.process_time()
        done = sum(isinstance(x, Extraction) for x in pipeline.extract_many(articles))
        extract_s, extract_cpu = time.perf_counter() - t, time.process_time() - c

        with tempfile.TemporaryDirectory() as tmp:
            db = args.db or str(Path(tmp) / "ledger.db")
            if args.db:
                empty_database(args.db)
            with Ledger(db, pipeline=pipeline) as ledger:
                storing = _time_storing(ledger)
                t, c = time.perf_counter(), time.process_time()
                report = ledger.add(articles)
                add_s, add_cpu = time.perf_counter() - t, time.process_time() - c
                backend = ledger.store.backend
        extracted = report.added + report.versions
        extract_rate, add_rate = done / extract_s, extracted / add_s
        print(f"round {rnd + 1}: extract {done} articles in {extract_s:.1f} s = {extract_rate:.2f} articles/s "
              f"({extract_cpu / done * 1000:.0f} ms CPU each); add ({backend}) {report.added} added, "
              f"{report.skipped} duplicates (not extracted), {len(report.failed)} failed in {add_s:.1f} s = "
              f"{add_rate:.2f} articles/s ({add_cpu / max(extracted, 1) * 1000:.0f} ms CPU each)")
        # The direct measure: time spent in the storing steps themselves, against extraction's time.
        per_article = storing[0] / max(extracted, 1)
        print(f"  storing (duplicate check, measures, one transaction, kept conflicts) took {storing[0]:.2f} s = "
              f"{per_article * 1000:.1f} ms an article = {per_article / (extract_s / done) * 100:.1f}% of "
              f"extraction's {extract_s / done * 1000:.0f} ms an article")
        # By CPU, which a loaded machine disturbs less than wall time: this process's, and on a server on
        # this machine, its backends' (from /proc), against extraction's CPU.
        client, server = (x / max(extracted, 1) for x in storing[1:3])
        shown = f" + server {server * 1000:.1f} ms" if server >= 0 else " (server CPU not readable here)"
        print(f"  storing CPU: client {client * 1000:.1f} ms{shown} an article = "
              f"{(client + max(server, 0)) / (extract_cpu / done) * 100:.1f}% of extraction's "
              f"{extract_cpu / done * 1000:.0f} ms CPU an article")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


def _time_storing(ledger: Any) -> list[float]:
    """Wrap the ledger's storing steps so that their seconds add up in the returned cells: wall, this
    process's CPU, and the CPU of the database server's backends (-1 when not readable: SQLite, or a server
    on another machine)."""
    spent = [0.0, 0.0, 0.0]
    backends: set[int] = set()
    if ledger.store.backend == "postgresql":
        from sqlalchemy import event

        @event.listens_for(ledger.store.engine, "connect")
        def _backend_pid(dbapi_conn: Any, _record: Any) -> None:
            backends.add(dbapi_conn.info.backend_pid)

        ledger.store.engine.dispose()  # connections made from now on report their backend
    else:
        spent[2] = -1.0

    def server_cpu() -> float:
        total = 0.0
        for pid in backends:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                spent[2] = -1.0
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def wrap(obj: Any, name: str, server: bool = True) -> None:
        original = getattr(obj, name)
        server = server and spent[2] >= 0  # /proc is read only around the steps that ask the server

        def timed(*args: Any, **kwargs: Any) -> Any:
            srv = server_cpu() if server else 0.0
            t, c = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t
                spent[1] += time.process_time() - c
                if server and spent[2] >= 0:
                    spent[2] += server_cpu() - srv

        setattr(obj, name, timed)

    wrap(ledger.store, "add")
    wrap(ledger.store, "duplicate_of")
    wrap(ledger.store, "duplicates_of")  # add checks a batch of articles at a time
    wrap(ledger, "_measures", server=False)
    wrap(ledger, "_marks_for_add", server=False)  # conflicts kept as articles arrive: the measures to mark pending
    wrap(ledger, "refresh_conflicts")  # and found again once the articles are stored
    return spent


if __name__ == "__main__":
    sys.exit(main())
