"""Train a ranker of `counted` candidates (extract/counted_ranker.py) and measure it against the rules.

Training articles: ../shared/gold/dev.jsonl and the development part of the train files (the rule in
scripts/split_gold.py: lines 3, 6, 9, 12, 15 of train-bbc.jsonl and train-news.jsonl are the validation
part and are never read here). For each figure the rules find and the scorer matches to a gold figure with
a `counted`, every candidate of `counted_ranker.candidates` is labelled right or wrong by the scorer's own
test; a logistic regression (scikit-learn, L2, lbfgs: deterministic) learns the candidates' features. The
thresholds are chosen by 5-fold cross-validation over articles: the override pair that makes the most
figures right out of fold (the most cautious pair on a tie), and the lowest fill threshold whose fills are
right at least FILL_PRECISION of the time.

Measured (issue 7, third round): out of fold no override pair beat the rules (the best pair is "never
override"), and filling in figures the rules name nothing for changed no figure of the validation part, so
extraction does not use the model. The script stays to re-run the measurement as gold grows.

usage: python scripts/train_counted_ranker.py [--out WEIGHTS.json]
Needs scikit-learn (`pip install -e ".[train]"`).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO.parent / "shared" / "gold"
TRAIN_FILES = ("train-bbc.jsonl", "train-news.jsonl")
VALIDATION_LINES = frozenset({3, 6, 9, 12, 15})  # the rule of scripts/split_gold.py
MIN_COUNT = 2  # a feature seen in fewer training candidates gets no weight
C = 0.5  # L2 strength: the data are a few hundred figures, so the weights are kept small
FOLDS = 5
KEEP = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)  # 0.0: never override
TAKE = (0.5, 0.6, 0.7, 0.8, 0.9)
FILL = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
# A figure the rules name nothing for is scored wrong whatever is filled in, but a ledger reader sees the
# filled words: fill only where out-of-fold fills were right this often.
FILL_PRECISION = 0.85


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("score", REPO.parent / "shared" / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_rows() -> list[dict[str, Any]]:
    """dev.jsonl and the train files' development part, never their validation lines."""
    rows = [json.loads(line) for line in (GOLD / "dev.jsonl").open(encoding="utf-8") if line.strip()]
    for name in TRAIN_FILES:
        lines = [line for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [json.loads(line) for n, line in enumerate(lines, start=1) if n not in VALIDATION_LINES]
    return rows


Figure = tuple[int, bool, bool, list[tuple[list[str], bool, bool]]]


def examples(rows: list[dict[str, Any]]) -> list[Figure]:
    """Per scored figure: (article index, rules right, rules named nothing, [(features, right, agrees with
    the rules) for each candidate])."""
    from newsledger.extract import figures
    from newsledger.model import Article, Extraction, parse_iso_date
    from newsledger.pipeline import Context, Pipeline

    score = _scorer()
    pipe = Pipeline(extractors=("entities", "dates", "quotes"))
    out: list[Figure] = []
    for a, row in enumerate(rows):
        article = Article(text=row["text"], id=row["id"], published=parse_iso_date(row.get("published")))
        result = Extraction(article=article)
        ctx = Context(article=article, doc=pipe.nlp(article.text), published=article.published, result=result)
        for name, mod in pipe.extractors:
            setattr(result, getattr(mod, "ASSIGNS", name), mod.extract(ctx))
        record: list[Any] = []
        found = figures._Figures(ctx, record).run()
        preds = [{"start": f.start, "end": f.end, "value": f.value} for f in found]
        gold = row.get("figures", [])
        skip_all = set(row.get("ignore") or ())
        for gi, pi in score.match_figures(gold, preds):
            g = gold[gi]
            if g.get("optional") or not g.get("counted") or "counted" in skip_all | set(g.get("ignore") or ()):
                continue
            out.append((a, bool(score.counted_ok(g["counted"], found[pi].counted)), found[pi].counted is None,
                        [(c.features, bool(score.counted_ok(g["counted"], c.text)), c.agrees) for c in record[pi]]))
    return out


def fit(data: list[Figure]) -> dict[str, float]:
    """Feature weights (and 'bias') of a logistic regression over all candidates of `data`."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for *_, cands in data:
        for feats, *_ in cands:
            for f in set(feats):
                counts[f] = counts.get(f, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    flat = [(feats, right) for *_, cands in data for feats, right, _ in cands]
    x = np.zeros((len(flat), len(vocab)))
    for r, (feats, _) in enumerate(flat):
        for f in feats:
            if f in index:
                x[r, index[f]] = 1.0
    y = np.array([1 if right else 0 for _, right in flat])
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, tol=1e-8).fit(x, y)
    weights = {f: round(float(w), 6) for f, w in zip(vocab, model.coef_[0], strict=True) if abs(w) >= 1e-6}
    weights["bias"] = round(float(model.intercept_[0]), 6)
    return weights


def cross_validate(data: list[Figure]) -> dict[str, Any]:
    """Out of fold (5 folds of articles): the override pair that makes the most figures right, and the
    lowest fill threshold whose fills (every figure scored as if the rules had named nothing) are right
    at least FILL_PRECISION of the time."""
    articles = sorted({d[0] for d in data})
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    right: dict[tuple[float, float], int] = {(k, t): 0 for k in KEEP for t in TAKE}
    fills: list[tuple[float, bool]] = []
    alone = 0  # figures whose best-scored candidate is right: the model without the rules
    for fold in range(FOLDS):
        model = Model(fit([d for d in data if fold_of[d[0]] != fold]))
        for a, rule_right, _, cands in data:
            if fold_of[a] != fold or not cands:
                continue
            scored = [(model.probability(f), ok, agrees) for f, ok, agrees in cands]
            fills.append(max((p, ok) for p, ok, _ in scored))
            alone += fills[-1][1]
            kept = max((p for p, _, agrees in scored if agrees), default=0.0)
            best = max(((p, ok) for p, ok, agrees in scored if not agrees), default=None)
            for keep, take in right:
                override = best is not None and best[0] >= take and kept < keep
                right[(keep, take)] += best[1] if override and best is not None else rule_right
    # The most cautious of the best pairs: the lowest keep threshold, then the highest take threshold.
    keep, take = max(right, key=lambda kt: (right[kt], -kt[0], kt[1]))
    fill = next((t for t in FILL if _precision(fills, t) >= FILL_PRECISION), 1.0)
    return {"rules_right": sum(d[1] for d in data), "model_alone_right": alone,
            "cross_validated_right": right[(keep, take)],
            "fill_above": fill, "fill_precision": round(_precision(fills, fill), 3),
            "keep_below": keep, "take_above": take}


def _precision(fills: list[tuple[float, bool]], threshold: float) -> float:
    chosen = [ok for p, ok in fills if p >= threshold]
    return sum(chosen) / len(chosen) if chosen else 0.0


class Model:
    """A logistic regression's weights by feature name."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def probability(self, features: list[str]) -> float:
        z = self.weights.get("bias", 0.0) + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def train() -> dict[str, Any]:
    data = examples(training_rows())
    chosen = cross_validate(data)
    weights = fit(data)
    return {"figures": len(data), **chosen, "weights": dict(sorted(weights.items()))}


def main(argv: list[str]) -> int:
    model = train()
    print(f"{model['figures']} figures: rules right {model['rules_right']}, the model alone (5-fold) "
          f"{model['model_alone_right']}, the rules with overrides (5-fold) "
          f"{model['cross_validated_right']} at keep_below={model['keep_below']} take_above={model['take_above']}; "
          f"fills at {model['fill_above']} right {model['fill_precision']} of the time; {len(model['weights'])} weights")
    if "--out" in argv:
        Path(argv[argv.index("--out") + 1]).write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
