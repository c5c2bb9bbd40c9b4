"""Story placement benchmark: incremental placement (the stored index) against reading every article on each
add (the previous way), on the same arrivals, in the same run.

The gva-local reports of the first gold incidents (their `incident` answer key stripped) are extracted once
(or read back from `--cache`); two fresh SQLite ledgers each get the first half in one batch, then the rest
in batches of `--batch` articles (1: as `watch` adds them), alternating between the two ledgers so both see
the same machine load. Timed: the story placement each add runs (storing the extraction is the same in
both and left out). Then both ledgers' stories are scored with ../shared/tools/score_stories.py against the
gold incidents cut down to the articles added, so the speed-up can be read with its quality.

    .venv/bin/python benchmarks/stories.py                                 # 300 reports, batches of 1
    .venv/bin/python benchmarks/stories.py --articles 600 --batch 10 --cache /tmp/gva-600.jsonl
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


def _reports(n: int) -> tuple[list[Any], list[dict[str, Any]]]:
    from newsledger.model import Article, parse_iso_date

    incidents = [json.loads(x) for x in (SHARED / "gold" / "gva-incidents-dev.jsonl").read_text().splitlines() if x]
    wanted = {a for g in incidents for a in g["articles"]}
    articles = []
    for line in (SHARED / "corpus" / "gva-local.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in wanted and (row.get("text") or "").strip():
            row.pop("incident", None)  # the answer key: never read
            articles.append(Article(text=row["text"], id=row["id"], title=row.get("title"), url=row.get("url"),
                                    published=parse_iso_date(row.get("published")), origin="jsonl"))
            if len(articles) == n:
                break
    return articles, incidents


def _extractions(articles: list[Any], cache: str | None) -> list[Any]:
    from newsledger.bulk.records import decode, encode
    from newsledger.model import Extraction
    from newsledger.pipeline import Pipeline

    if cache and Path(cache).exists():
        done = [decode(x) for x in Path(cache).read_text(encoding="utf-8").splitlines() if x][:len(articles)]
        if [d.article.id for d in done] == [a.id for a in articles]:
            print(f"extractions read back from {cache}")
            return done
    t = time.perf_counter()
    done = [x for x in Pipeline().extract_many(articles) if isinstance(x, Extraction)]
    print(f"extracted {len(done)} reports in {time.perf_counter() - t:.0f} s (not part of the comparison)")
    if cache:
        Path(cache).write_text("".join(encode(x) + "\n" for x in done), encoding="utf-8")
    return done


def _ledger(path: Path, full: bool) -> Any:
    from newsledger.ledger import Ledger

    class TimedLedger(Ledger):
        """A ledger whose story placement is timed; `full` reads every article on each add (the old way)."""

        placing = 0.0
        adds = 0

        def update_stories(self, *, rebuild: bool = False, full: bool = False) -> int:
            t = time.perf_counter()
            try:
                return super().update_stories(rebuild=rebuild, full=full or self.full)
            finally:
                self.placing += time.perf_counter() - t
                self.adds += 1

    lg = TimedLedger(str(path))
    lg.full = full
    return lg


def _scores(ledger: Any, incidents: list[dict[str, Any]], added: set[str]) -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("score_stories", SHARED / "tools" / "score_stories.py")
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = [dict(g, articles=[a for a in g["articles"] if a in added]) for g in incidents]
    gold = [g for g in gold if g["articles"]]
    scores = scorer.score(gold, [s.to_dict() for s in ledger.stories()], warn=lambda message: None)
    return {k: scores[k] for k in scorer.SUMMARY}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="gva-local reports of gold incidents")
    parser.add_argument("--batch", type=int, default=1, help="articles an add after the first half")
    parser.add_argument("--cache", help="a JSONL file to keep the extractions in between runs")
    args = parser.parse_args()

    articles, incidents = _reports(args.articles)
    exs = _extractions(articles, args.cache)
    half = len(exs) // 2
    with tempfile.TemporaryDirectory() as tmp:
        incremental, full = _ledger(Path(tmp) / "inc.db", False), _ledger(Path(tmp) / "full.db", True)
        for lg in (incremental, full):
            lg.add_extractions(exs[:half])
            lg.placing, lg.adds = 0.0, 0
        for start in range(half, len(exs), args.batch):
            for lg in (incremental, full):
                lg.add_extractions(exs[start:start + args.batch])
        added = {x.article.id for x in exs}
        for name, lg in (("incremental (stored index)", incremental), ("full (every article read)", full)):
            s = _scores(lg, incidents, added)
            print(f"{name:28s} {lg.adds} adds after the first {half}: placement {lg.placing:.2f} s = "
                  f"{lg.placing / max(lg.adds, 1) * 1000:.1f} ms an add; STORIES "
                  + " ".join(f"{k}={v:.3f}" for k, v in s.items()))
        print(f"speed-up of placement: {full.placing / max(incremental.placing, 1e-9):.1f}x "
              f"(same arrivals, same run, batches of {args.batch})")
        incremental.close()
        full.close()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    sys.exit(main())
