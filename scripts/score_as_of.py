"""Developer helper: how often a figure's `as_of` is right, which ../shared/tools/score.py does not score.

usage: python scripts/score_as_of.py GOLD.jsonl PRED.jsonl [--details]
Figures are paired as score.py pairs them (same value, overlapping span; optional gold figures and gold
figures without an `as_of` key are left out); prints `as_of RIGHT/N = SHARE`, and with --details each miss.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "tools" / "score.py"


def main(argv: list[str]) -> int:
    spec = importlib.util.spec_from_file_location("score", SCORER)
    if spec is None or spec.loader is None:
        print(f"score_as_of: cannot load the scorer at {SCORER}", file=sys.stderr)
        return 2
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = [json.loads(line) for line in Path(argv[1]).open(encoding="utf-8") if line.strip()]
    pred = {p["id"]: p for p in (json.loads(line) for line in Path(argv[2]).open(encoding="utf-8") if line.strip())}
    right = total = 0
    for g in gold:
        figures = pred.get(g["id"], {}).get("figures", [])
        for gi, pi in score.match_figures(g.get("figures", []), figures):
            x = g["figures"][gi]
            if x.get("optional") or "as_of" not in x:
                continue
            total += 1
            if x["as_of"] == figures[pi].get("as_of"):
                right += 1
            elif "--details" in argv:
                print(f"  {g['id']} figure {x['text']!r}: as_of {figures[pi].get('as_of')} (gold {x['as_of']})")
    print(f"as_of {right}/{total} = {right / total if total else 0.0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
