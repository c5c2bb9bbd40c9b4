"""Scaling benchmark: `add` with --jobs 1 and 2 against `add --engine ray` with 1 and 2 workers, and the
rate at which SQLite and PostgreSQL store ready extractions (the single writer's limit).

usage: .venv/bin/python benchmarks/ray_scale.py [--articles 60] [--pg postgresql://...] [--out FILE]
                                                  [--runs jobs1,jobs2,ray1,ray2,write]

Each add run is its own process and stores the first N articles of ../shared/corpus/bbc-2004.jsonl into
a fresh SQLite ledger. Printed per run: wall time end to end (start-up and model loading included), the
steady rate (articles/s from the article a quarter of the way in to the last: start-up, model loading
and the first batch left out), and CPU seconds
(this process and its children; for Ray, the driver plus the CPU the extractor actors spent on batches).
The `write` step extracts the articles once, then times storing them (one transaction an article) into
SQLite and, with --pg, PostgreSQL: the numbers behind docs/scale.md. Not a test: numbers depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "bbc-2004.jsonl"


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _sample(n: int, folder: Path) -> Path:
    lines = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                lines.append(line if line.endswith("\n") else line + "\n")
            if len(lines) >= n:
                break
    path = folder / "sample.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def run_add(kind: str, sample: Path, folder: Path) -> dict:
    """One add run in this process: jobs1, jobs2, ray1 or ray2."""
    from newsledger.ledger import Ledger

    stamps: list[float] = []

    def tick(report, where) -> None:  # noqa: ANN001
        stamps.append(time.perf_counter())

    workers = int(kind[-1])
    stats: dict[str, float] = {}
    cpu0, start = _cpu_s(), time.perf_counter()
    with Ledger(folder / f"{kind}.db", jobs=workers) as ledger:
        if kind.startswith("ray"):
            from newsledger.bulk import add_with_ray

            report = add_with_ray(ledger, [sample], jobs=workers, num_cpus=workers, progress=tick, stats=stats)
        else:
            report = ledger.add([sample], progress=tick)
    wall = time.perf_counter() - start
    cpu = _cpu_s() - cpu0 + stats.get("extract_cpu_seconds", 0.0)
    n = report.added
    # After warm-up: from the article a quarter of the way in to the last, so that start-up, model loading
    # and the first batch (32 articles in one process, 8 an actor on Ray) are left out alike.
    k = n // 4
    steady = (n - 1 - k) / (stamps[-1] - stamps[k]) if n > 4 and stamps[-1] > stamps[k] else None
    return {"run": kind, "articles": n, "wall_s": round(wall, 2), "steady_articles_per_s": steady,
            "cpu_s": round(cpu, 2), "actor_extract_cpu_s": round(stats["extract_cpu_seconds"], 2) if stats else None,
            "figures": report.figures}


def run_write(sample: Path, folder: Path, pg: str | None) -> dict:
    """Extract once (CPU per article, one process), then time storing the extractions."""
    from newsledger.ingest.jsonl import read_jsonl
    from newsledger.ledger import Ledger
    from newsledger.pipeline import Pipeline

    pipe = Pipeline()
    articles = list(read_jsonl(sample))
    cpu0, start = time.process_time(), time.perf_counter()
    extractions = list(pipe.extract_many(articles))
    out = {"run": "write", "articles": len(extractions),
           "extract_cpu_s_per_article": (time.process_time() - cpu0) / len(extractions),
           "extract_wall_s_per_article": (time.perf_counter() - start) / len(extractions)}
    targets = {"sqlite": str(folder / "write.db")}
    if pg:
        targets["postgresql"] = pg
    for name, db in targets.items():
        with Ledger(db) as ledger:
            if name == "postgresql":
                _empty_postgres(ledger)
            cpu0, start = time.process_time(), time.perf_counter()
            report = ledger.add_extractions(extractions)
            wall = time.perf_counter() - start
            out[f"{name}_articles_per_s"] = report.added / wall
            out[f"{name}_writer_cpu_s_per_article"] = (time.process_time() - cpu0) / report.added
            out[f"{name}_figures"] = report.figures
    return out


def _empty_postgres(ledger) -> None:  # noqa: ANN001
    from sqlalchemy import text

    with ledger.store.write() as conn:
        conn.execute(text("TRUNCATE articles, measures RESTART IDENTITY CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--runs", default="jobs1,jobs2,ray1,ray2,write")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL for the write step (its tables are emptied)")
    parser.add_argument("--out", default=None, help="also write the results here as JSON")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        folder = Path(args.folder)
        sample = folder / "sample.jsonl"
        result = (run_write(sample, folder, args.pg) if args.one == "write"
                  else run_add(args.one, sample, folder))
        print(json.dumps(result))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="ray_scale_") as tmp:
        folder = Path(tmp)
        _sample(args.articles, folder)
        for kind in args.runs.split(","):
            cmd = [sys.executable, __file__, "--one", kind, "--folder", tmp]
            if args.pg:
                cmd += ["--pg", args.pg]
            done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
            if done.returncode != 0 or not lines:
                print(f"{kind} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(lines[-1]))
            print(json.dumps(results[-1]), flush=True)
    by = {r["run"]: r for r in results}

    def ratio(a: str, b: str, key: str) -> str:
        if a in by and b in by and by[a].get(key) and by[b].get(key):
            return f"{by[a][key] / by[b][key]:.2f}"
        return "n/a"

    print(f"steady rate: ray2/ray1 {ratio('ray2', 'ray1', 'steady_articles_per_s')}, "
          f"jobs2/jobs1 {ratio('jobs2', 'jobs1', 'steady_articles_per_s')}, "
          f"ray2/jobs2 {ratio('ray2', 'jobs2', 'steady_articles_per_s')}")
    print(f"end to end: ray2 wall / jobs2 wall {ratio('ray2', 'jobs2', 'wall_s')}, "
          f"ray1 wall / ray2 wall {ratio('ray1', 'ray2', 'wall_s')}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
