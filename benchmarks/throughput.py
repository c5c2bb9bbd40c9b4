"""Throughput benchmark: bare spaCy vs the full extraction pipeline, and --jobs 2 vs 1, on the BBC corpus.

usage: .venv/bin/python benchmarks/throughput.py [--articles 300] [--batch-size 32] [--corpus PATH]
                                                 [--rounds 3] [--kinds bare,extract,plain,extract2]

Each measurement runs in its own process so that peak RSS is that measurement's alone; the kinds take
turns, `--rounds` times, and the medians are printed. Kinds: `bare` is spaCy's own pipeline (the model
as shipped, plus newsledger's tokenizer and line-break adaptations) through nlp.pipe; `extract` the
full extraction; `plain` the full extraction on spaCy's own components (load_model(fast=False), the
before); `extract2` extraction with --jobs 2. Printed: words/s, articles/s, peak RSS; the bare/extract
ratio by CPU time (target >= 1.0: extraction, our extractors included, costs no more CPU than spaCy's
own pass) and by wall time, on processing with the model loaded; the --jobs 2 speed-up over --jobs 1
end to end. CPU time is the measure on a shared machine; wall time mostly measures the neighbours.
Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "bbc-2004.jsonl"


KINDS = ("bare", "extract", "plain", "extract2")


def _load(corpus: Path, n: int) -> list[dict]:
    rows = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
            if len(rows) >= n:
                break
    return rows


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux. With workers, the largest child's peak is reported beside our own.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children) if children else own


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(kind: str, corpus: Path, n: int, batch_size: int) -> dict:
    """One measurement in this process: 'bare', 'extract' (jobs 1) or 'extract2' (jobs 2)."""
    from newsledger.model import Article, Extraction

    rows = _load(corpus, n)
    cpu0 = _cpu_s()
    texts = [r["text"] for r in rows]
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    if kind == "bare":
        from newsledger.extract.nlp import load_model

        nlp = load_model(None, fast=False)
        loaded, loaded_cpu = time.perf_counter(), _cpu_s()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        done = ok = len(texts)
    elif kind in ("extract", "plain"):
        from newsledger.pipeline import Pipeline

        pipe = Pipeline(fast=kind == "extract")
        loaded, loaded_cpu = time.perf_counter(), _cpu_s()
        articles = [Article(text=r["text"], id=r["id"]) for r in rows]
        results = list(pipe.extract_many(articles, batch_size=batch_size))
        done, ok = len(results), sum(isinstance(r, Extraction) for r in results)
    else:
        from newsledger.pipeline import extract_parallel

        loaded, loaded_cpu = start, cpu0  # workers load their models inside the timed run
        articles = [Article(text=r["text"], id=r["id"]) for r in rows]
        results = list(extract_parallel(articles, jobs=2, batch_size=batch_size))
        done, ok = len(results), sum(isinstance(r, Extraction) for r in results)
    end = time.perf_counter()
    work = end - loaded
    return {"kind": kind, "articles": done, "extracted": ok, "words": words,
            "load_s": loaded - start, "work_s": work, "total_s": end - start,
            "cpu_s": _cpu_s() - cpu0, "work_cpu_s": _cpu_s() - loaded_cpu, "words_per_s": words / work, "articles_per_s": done / work, "peak_rss_mb": _peak_rss_mb()}


def _run_child(kind: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, "--articles", str(args.articles),
           "--batch-size", str(args.batch_size), "--corpus", str(args.corpus)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3, help="measure every kind this many times (medians)")
    parser.add_argument("--kinds", default="bare,extract,plain,extract2",
                        help="comma-separated: bare, extract, plain, extract2")
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.articles, args.batch_size)))
        return 0
    kinds = [k for k in args.kinds.split(",") if k]
    if not set(kinds) <= set(KINDS):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    print(f"corpus {args.corpus.name}: first {args.articles} articles, batch {args.batch_size}, "
          f"{args.rounds} rounds, {os.cpu_count()} CPUs")
    rounds: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            rounds[kind].append(_run_child(kind, args))
    runs = {k: {key: statistics.median(r[key] for r in rs) for key in rs[0] if key != "kind"}
            for k, rs in rounds.items()}
    labels = {"bare": "bare spaCy nlp.pipe", "extract": "extract --jobs 1", "plain": "extract, spaCy components",
              "extract2": "extract --jobs 2"}
    for kind, r in runs.items():
        print(f"{labels[kind]:26s} {r['words_per_s']:8,.0f} words/s {r['articles_per_s']:6.1f} articles/s "
              f"peak RSS {r['peak_rss_mb']:6,.0f} MB  (median: work CPU {r['work_cpu_s']:.1f}s, work "
              f"{r['work_s']:.1f}s, load {r['load_s']:.1f}s, total {r['total_s']:.1f}s, {r['words']:,.0f} words)")
    if "bare" in runs:
        for kind in ("extract", "plain"):
            if kind in runs:
                # CPU seconds are what a busy machine cannot distort; per round, then the median.
                cpu = [b["work_cpu_s"] / e["work_cpu_s"] for b, e in zip(rounds["bare"], rounds[kind], strict=True)]
                wall = [b["work_s"] / e["work_s"] for b, e in zip(rounds["bare"], rounds[kind], strict=True)]
                print(f"ratio bare/{kind:8s} by CPU {statistics.median(cpu):.2f} "
                      f"(rounds {', '.join(f'{x:.2f}' for x in cpu)}), by wall {statistics.median(wall):.2f}  "
                      f"(target >= 1.0)")
    if "extract" in runs and "extract2" in runs:
        speedup = runs["extract"]["total_s"] / runs["extract2"]["total_s"]
        print(f"speed-up jobs 2 / 1     {speedup:.2f}x (target >= 1.6x; end to end, model loading included)")
        # On a busy machine wall-clock speed-up says little; CPU seconds show what the second process costs.
        overhead = runs["extract2"]["cpu_s"] / runs["extract"]["cpu_s"]
        print(f"CPU jobs 2 / 1          {overhead:.2f}  (1.00 = no parallel overhead)")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
