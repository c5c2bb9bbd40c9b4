"""Split the train gold files into a development part and a validation part, by a fixed written rule.

Rule: in each of ../shared/gold/train-bbc.jsonl and ../shared/gold/train-news.jsonl, the articles on
lines 3, 6, 9, 12 and 15 (1-based) are the validation part (10 articles in all); the other 20 lines are
the development part. Nobody reads the validation articles or their `--details` output while changing code.

Second rule (quotes and speakers, issue 7 second session): in ../shared/gold/polnear-dev.jsonl every 5th
article (lines 5, 10, 15, ... 1-based: 16 of 84) is its validation part, the other 68 its development part.

usage: python scripts/split_gold.py [OUTDIR]   (default /tmp) -> OUTDIR/train-dev.jsonl, OUTDIR/train-val.jsonl,
       OUTDIR/polnear-dev-part.jsonl, OUTDIR/polnear-val.jsonl
"""

from __future__ import annotations

import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"
FILES = ("train-bbc.jsonl", "train-news.jsonl")
VALIDATION_LINES = frozenset({3, 6, 9, 12, 15})


def split(outdir: Path) -> tuple[Path, Path]:
    dev_lines: list[str] = []
    val_lines: list[str] = []
    for name in FILES:
        lines = [line for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            (val_lines if number in VALIDATION_LINES else dev_lines).append(line)
    outdir.mkdir(parents=True, exist_ok=True)
    dev, val = outdir / "train-dev.jsonl", outdir / "train-val.jsonl"
    dev.write_text("\n".join(dev_lines) + "\n", encoding="utf-8")
    val.write_text("\n".join(val_lines) + "\n", encoding="utf-8")
    return dev, val


def split_polnear(outdir: Path) -> tuple[Path, Path]:
    lines = [line for line in (GOLD / "polnear-dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    dev, val = outdir / "polnear-dev-part.jsonl", outdir / "polnear-val.jsonl"
    dev.write_text("".join(line + "\n" for n, line in enumerate(lines, start=1) if n % 5), encoding="utf-8")
    val.write_text("".join(line + "\n" for n, line in enumerate(lines, start=1) if n % 5 == 0), encoding="utf-8")
    return dev, val


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp")
    for path in (*split(out), *split_polnear(out)):
        print(path, sum(1 for _ in path.open(encoding="utf-8")))
