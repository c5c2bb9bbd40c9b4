"""Work on hostile input grows no faster than its length: CPU time of extraction for a one-sentence list of
N figures, and for N and 4N, with their ratio (linear: about 4; quadratic: about 16).

    .venv/bin/python benchmarks/bad_input.py --items 500
"""

from __future__ import annotations

import argparse
import time

from newsledger.model import Article
from newsledger.pipeline import Pipeline


def _cpu(pipe: Pipeline, n: int) -> float:
    items = ", ".join(f"{i} people" for i in range(1, n + 1))
    text = f"Officials said {items} were hurt in the blast."
    started = time.process_time()
    pipe.extract(Article(text=text, id=f"list-{n}"))
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=500)
    args = parser.parse_args()
    pipe = Pipeline()
    _cpu(pipe, 20)  # warm up
    small, large = _cpu(pipe, args.items), _cpu(pipe, 4 * args.items)
    print(f"{args.items} items: {small:.2f} CPU-s; {4 * args.items} items: {large:.2f} CPU-s; "
          f"ratio {large / small:.1f} (linear 4, quadratic 16)")


if __name__ == "__main__":
    main()
