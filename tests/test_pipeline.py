"""The pipeline: batches through nlp.pipe, worker processes in input order, refusals passed through."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from newsledger.errors import InputError
from newsledger.model import Article, Extraction, Rejected
from newsledger.pipeline import check_article, extract_parallel

TEXT = ("The council said on Tuesday that 12 homes were damaged by the storm, and officials expect the "
        "repairs to take about three weeks.")


def _articles(n: int) -> list[Article | Rejected]:
    items: list[Article | Rejected] = []
    for i in range(n):
        items.append(Article(text=TEXT.replace("12", str(10 + i)), id=f"a{i}", published=date(2024, 11, 5)))
        if i == 1:
            items.append(Rejected(where="in.jsonl:3", reason="in.jsonl:3: not JSON"))
            items.append(Article(text="   ", id="blank"))
    return items


def test_extract_many_keeps_order_and_passes_rejections_through(pipeline):
    out = list(pipeline.extract_many(_articles(4), batch_size=2))
    assert [type(o).__name__ for o in out] == ["Extraction", "Extraction", "Rejected", "Rejected",
                                              "Extraction", "Extraction"]
    assert [o.article.id for o in out if isinstance(o, Extraction)] == ["a0", "a1", "a2", "a3"]
    assert "empty" in out[3].reason and out[3].id == "blank"


def test_batched_and_single_extraction_agree(pipeline):
    article = Article(text=TEXT, id="x", published=date(2024, 11, 5))
    [batched] = list(pipeline.extract_many([article]))
    single = pipeline.extract(article)
    assert batched.to_dict() == single.to_dict()


def test_two_workers_give_the_same_results_in_the_same_order(pipeline):
    items = _articles(5)
    serial = [o.to_dict() if isinstance(o, Extraction) else o.reason
              for o in pipeline.extract_many(items, batch_size=2)]
    parallel = [o.to_dict() if isinstance(o, Extraction) else o.reason
                for o in extract_parallel(items, jobs=2, batch_size=2)]
    assert parallel == serial


def test_over_long_text_is_refused_with_a_hint():
    with pytest.raises(InputError, match="split it"):
        check_article(Article(text="word " * 30, id="long"), max_chars=100)


def test_too_long_article_in_a_batch_is_rejected_and_the_rest_extracted():
    items = [Article(text=TEXT, id="ok"), Article(text=TEXT * 10, id="long")]
    out = list(extract_parallel(items, max_chars=500))
    assert isinstance(out[0], Extraction) and isinstance(out[1], Rejected) and "500" in out[1].reason


def _sample(gold_dir, corpus_dir, per_corpus: int = 15) -> list[Article]:
    import json
    from itertools import islice

    from newsledger.model import parse_iso_date

    rows = [json.loads(line) for line in (gold_dir / "dev.jsonl").open(encoding="utf-8")]
    for name in ("bbc-2004.jsonl", "gva-local.jsonl", "wikievents.jsonl"):
        with (corpus_dir / name).open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in islice(fh, per_corpus)]
    return [Article(text=r["text"], id=str(r.get("id")), published=parse_iso_date(r.get("published") or None))
            for r in rows]


def test_fast_pipeline_gives_the_records_of_plain_spacy(pipeline, gold_dir, corpus_dir):
    """The speed-ups (attribute table, one-write line breaks, cached entities) change no record."""
    from newsledger.pipeline import Pipeline

    articles = _sample(gold_dir, corpus_dir)
    plain = Pipeline(fast=False)
    assert "attribute_ruler" in plain.nlp.pipe_names and "attribute_ruler" not in pipeline.nlp.pipe_names
    fast_out = [dataclasses.asdict(x) for x in pipeline.extract_many(articles)]
    plain_out = [dataclasses.asdict(x) for x in plain.extract_many(articles)]
    assert sum(len(x["figures"]) + len(x["quotes"]) for x in fast_out) > 200
    for got, want in zip(fast_out, plain_out, strict=True):
        assert got == want, got["article"]["id"]
