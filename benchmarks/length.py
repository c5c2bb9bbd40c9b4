"""Length benchmark: the same million characters extracted as 1k, 10k, 100k-character articles and as one.

usage: .venv/bin/python benchmarks/length.py [--chars 1000000] [--rounds 1] [--one-pass]

The text is the BBC corpus's articles joined by blank lines, cut to --chars at a line break. Each size
splits it into consecutive articles of about that many characters (cut at line breaks, so every size
reads the same text). Each measurement runs in its own process; printed: CPU seconds of extraction with
the model loaded (median over --rounds), records found, peak RSS. Targets: CPU of the whole text as one
article <= 1.3x that of the 10k split, peak RSS <= 1 GB. `--one-pass` adds the one-article run with block
processing turned off (the before: cost growing faster than the text); it is slow and needs memory.
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
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def the_text(corpus: Path, chars: int) -> str:
    parts, total = [], 0
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                text = json.loads(line)["text"].strip()
                parts.append(text)
                total += len(text) + 2
            if total > chars:
                break
    text = "\n\n".join(parts)
    return text[: text.rfind("\n", 0, chars) + 1]


def measure(kind: str, corpus: Path, chars: int) -> dict:
    """One measurement in this process: kind is a size name, 'whole' or 'one-pass'."""
    from newsledger.model import Article, Extraction
    from newsledger.pipeline import Pipeline, blocks

    text = the_text(corpus, chars)
    if kind in SIZES:
        pieces = [text[s:e] for s, e in blocks(text, SIZES[kind])]
    else:
        pieces = [text]
    pipeline = Pipeline(long_chars=len(text) + 1) if kind == "one-pass" else Pipeline()
    list(pipeline.extract_many([Article(text=text[:3000])]))  # warm-up: lazy initialisation
    articles = [Article(text=p, id=str(i)) for i, p in enumerate(pieces)]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    figures = quotes = 0
    for ex in pipeline.extract_many(articles):
        assert isinstance(ex, Extraction), ex
        figures += len(ex.figures)
        quotes += len(ex.quotes)
    return {"kind": kind, "articles": len(pieces), "chars": len(text), "cpu_s": time.process_time() - cpu0,
            "wall_s": time.perf_counter() - wall0, "figures": figures, "quotes": quotes,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_child(kind: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--measure", kind, "--chars", str(args.chars), "--corpus", str(args.corpus)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="length of the text (at most 1,000,000)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--one-pass", action="store_true", help="also the whole text without block processing")
    parser.add_argument("--kinds", default="1k,10k,100k,whole", help="comma-separated: 1k, 10k, 100k, whole")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.chars)))
        return 0
    kinds = args.kinds.split(",") + (["one-pass"] if args.one_pass else [])
    if "10k" not in kinds:
        parser.error("--kinds must hold 10k, the baseline")
    runs: dict[str, list[dict]] = {k: [] for k in kinds}
    for _ in range(args.rounds):
        for kind in kinds:
            runs[kind].append(_run_child(kind, args))
    first = runs[kinds[0]][0]
    print(f"{first['chars']:,} characters of {args.corpus.name}, {args.rounds} round(s), {os.cpu_count()} CPUs")
    cpu = {k: statistics.median(r["cpu_s"] for r in rs) for k, rs in runs.items()}
    for kind, rs in runs.items():
        r = rs[-1]
        label = f"{r['articles']:,} article(s)" + (" (no blocks)" if kind == "one-pass" else "")
        print(f"{kind:9s} {label:24s} CPU {cpu[kind]:7.1f}s  {cpu[kind] / cpu['10k']:5.2f}x the 10k split  "
              f"peak RSS {max(x['peak_rss_mb'] for x in rs):6,.0f} MB  {r['figures']:,} figures "
              f"{r['quotes']:,} quotes (wall {r['wall_s']:.1f}s)")
    if "whole" in runs:
        print(f"whole text / 10k split by CPU: {cpu['whole'] / cpu['10k']:.2f} (target <= 1.3); peak RSS of the "
              f"whole text {max(x['peak_rss_mb'] for x in runs['whole']):,.0f} MB (target <= 1,024)")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
