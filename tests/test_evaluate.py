"""The metric in newsledger.evaluate gives the same numbers as the shared scorer on the same predictions."""

from __future__ import annotations

import copy
import importlib.util
import random
from pathlib import Path

import pytest

from newsledger.evaluate import counted_ok, read_gold, score, source_ok, speaker_ok


def _shared_scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("shared_score", shared_dir / "tools" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturbed(golds: list[dict], seed: int) -> dict[str, dict]:
    """Predictions made from gold with the kinds of error extraction makes: drops, shifts, wrong attributes."""
    rng = random.Random(seed)
    preds: dict[str, dict] = {}
    for g in golds:
        if rng.random() < 0.1:
            continue  # an article with no prediction at all
        figures, quotes = [], []
        for f in copy.deepcopy(g.get("figures", [])):
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.25:
                f["value"] = f["value"] * 1.5 + 1
            elif roll < 0.35:
                f["start"], f["end"] = f["end"] + 5, f["end"] + 8
            if rng.random() < 0.3:
                f["qualifier"] = rng.choice(["exact", "approx", "more_than"])
            if rng.random() < 0.3:
                f["counted"] = rng.choice([None, "people", "things in the world that nobody counted here at all "
                                           "and more words"])
            if rng.random() < 0.3:
                f["source"] = rng.choice([None, "officials", "the health ministry"])
            figures.append(f)
        if figures and rng.random() < 0.5:
            figures.append({"start": 0, "end": 3, "text": "xyz", "value": 3})
        for q in copy.deepcopy(g.get("quotes", [])):
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.3:
                words = q["content"].split()
                q["content"] = " ".join(words[: max(1, len(words) // 3)])
            if rng.random() < 0.3:
                q["speaker"] = rng.choice([None, "he", "a spokesman"])
                q["speaker_mention"] = None
            quotes.append(q)
        rng.shuffle(quotes)
        preds[g["id"]] = {"id": g["id"], "figures": figures, "quotes": quotes}
    return preds


@pytest.mark.parametrize("name", ["dev.jsonl", "polnear-dev.jsonl", "newsquant.jsonl"])
@pytest.mark.parametrize("seed", [1, 2])
def test_metric_equals_the_shared_scorer(shared_dir, name, seed):
    golds = read_gold(shared_dir / "gold" / name)
    preds = _perturbed(golds, seed)
    theirs, their_counts = _shared_scorer(shared_dir).score(golds, preds)
    ours = score(golds, preds)
    assert ours.counts == their_counts
    assert ours.metrics == pytest.approx(theirs)
    assert 0.0 < ours.metrics["figures_f1"] + ours.metrics["quotes_f1"] < 2.0


def test_gold_itself_scores_perfectly(gold_dir):
    golds = read_gold(gold_dir / "dev.jsonl")
    scores = score(golds, {g["id"]: g for g in golds})
    assert scores.summary() == "SCORE figures_f1=1.000 figure_tuple_f1=1.000 quotes_f1=1.000 speaker_acc=1.000"
    assert scores.details == []


def test_matching_rules_on_attributes():
    assert counted_ok("Palestinian prisoners", "prisoner")
    assert counted_ok("people still being held in Gaza", "hostages held in Gaza")
    assert not counted_ok("hostages", "hostages " + "and more words " * 5)
    assert source_ok("health ministry", "the Hamas-run health ministry")
    assert source_ok(None, None) and not source_ok(None, "officials") and not source_ok("UN", None)
    assert speaker_ok("Basem Naim", {"speaker": None, "speaker_mention": "senior Hamas leader Basem Naim"})
    assert not speaker_ok("Basem Naim", {"speaker": "Donald Trump"})


def _shared_events_scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("shared_score_events", shared_dir / "tools" / "score_events.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturbed_events(golds: list[dict], seed: int) -> dict[str, dict]:
    """Predicted events made from gold with extraction's kinds of error: drops, narrow or shifted spans,
    wrong types, names, dates and statuses, names as strings, spurious events."""
    rng = random.Random(seed)
    preds: dict[str, dict] = {}
    for g in golds:
        if rng.random() < 0.1:
            continue
        events = []
        for e in copy.deepcopy(g.get("events", [])):
            e.pop("optional", None)
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.25:
                e["end"] = e["start"] + 2  # the trigger falls outside
            elif roll < 0.35:
                e["start"], e["end"] = e["start"] - 20, e["end"] + 20
            if rng.random() < 0.2:
                e["type"] = rng.choice(["assault", "request", "consult"])
            if rng.random() < 0.2:
                e["actor"] = rng.choice([[], "Hamas", ["police officers of the city"], " ".join(["w"] * 13)])
            if rng.random() < 0.2:
                e["recipient"] = rng.choice([[], ["people"], "the hostages"])
            if rng.random() < 0.2:
                e["date"] = rng.choice([None, "2025-03-07", "2013"])
            if rng.random() < 0.2:
                e["status"] = rng.choice(["happened", "planned", "demanded"])
            events.append(e)
        if rng.random() < 0.5:
            events.append({"start": 0, "end": 30, "trigger": "x", "type": "assault"})
        rng.shuffle(events)
        preds[g["id"]] = {"id": g["id"], "events": events}
    return preds


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_events_metric_equals_the_shared_scorer(shared_dir, seed):
    from newsledger.evaluate_events import score_events

    golds = read_gold(shared_dir / "gold" / "dev-events.jsonl", need_text=False)
    texts = {g["id"]: g["text"] for g in read_gold(shared_dir / "gold" / "dev.jsonl")}
    preds = _perturbed_events(golds, seed)
    theirs, their_counts = _shared_events_scorer(shared_dir).score(golds, preds, warn=lambda m: None)
    ours = score_events(golds, preds, texts)
    assert ours.counts == their_counts
    assert ours.metrics == pytest.approx(theirs)
    assert 0.0 < ours.metrics["events_f1"] < 1.0


def test_eval_scores_events_beside_the_others(run_cli, gold_dir, tmp_path):
    gold_line = (gold_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    events_line = (gold_dir / "dev-events.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "gold.jsonl").write_text(gold_line + "\n", encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(events_line + "\n", encoding="utf-8")
    result = run_cli("eval", str(tmp_path / "gold.jsonl"), "--events", str(tmp_path / "events.jsonl"))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-2].startswith("SCORE ") and lines[-1].startswith("EVENTS events_f1=")
    plain = run_cli("eval", str(tmp_path / "gold.jsonl"))
    assert "EVENTS" not in plain.stdout


def test_eval_refuses_events_of_articles_it_does_not_have(run_cli, gold_dir, tmp_path):
    gold_line = (gold_dir / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "gold.jsonl").write_text(gold_line + "\n", encoding="utf-8")
    (tmp_path / "events.jsonl").write_text('{"id": "nowhere", "tasks": ["events"], "events": []}\n',
                                           encoding="utf-8")
    result = run_cli("eval", str(tmp_path / "gold.jsonl"), "--events", str(tmp_path / "events.jsonl"))
    assert result.exit_code != 0
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
