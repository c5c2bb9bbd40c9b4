"""Developer helper: run the pipeline over a gold file and score it with ../shared/tools/score.py.

usage: python scripts/devscore.py ../shared/gold/dev.jsonl [--details] [--out PRED.jsonl]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from newsledger.model import Article, parse_iso_date
from newsledger.pipeline import Pipeline


def main(argv: list[str]) -> int:
    gold = Path(argv[1])
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    pipe = Pipeline()
    rows = [json.loads(line) for line in gold.open(encoding="utf-8") if line.strip()]
    articles = [Article(text=r["text"], id=r["id"], published=parse_iso_date(r.get("published"))) for r in rows]
    with out.open("w", encoding="utf-8") as fh:
        for result in pipe.extract_many(articles):
            fh.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    scorer = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "score.py"
    args = [sys.executable, str(scorer), str(gold), str(out)] + (["--details"] if "--details" in argv else [])
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
