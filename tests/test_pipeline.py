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
    """The speed-ups (attribute and lemma tables, one-write line breaks, cached entities) change no record."""
    from newsledger.pipeline import Pipeline

    articles = _sample(gold_dir, corpus_dir)
    plain = Pipeline(fast=False)
    assert "attribute_ruler" in plain.nlp.pipe_names and "attribute_ruler" not in pipeline.nlp.pipe_names
    fast_out = [dataclasses.asdict(x) for x in pipeline.extract_many(articles)]
    plain_out = [dataclasses.asdict(x) for x in plain.extract_many(articles)]
    assert sum(len(x["figures"]) + len(x["quotes"]) for x in fast_out) > 200
    for got, want in zip(fast_out, plain_out, strict=True):
        assert got == want, got["article"]["id"]


def _records(ex: Extraction) -> dict[str, list]:
    return {k: v for k, v in dataclasses.asdict(ex).items() if isinstance(v, list) and k != "warnings"}


def _shifted(record: dict, by: int, before: dict[str, int]) -> dict:
    out = dict(record)
    for key in ("start", "end", "speaker_start", "speaker_end", "trigger_start"):
        if out.get(key) is not None:
            out[key] += by
    for key in ("part_of", "dead", "injured", "size"):
        if out.get(key) is not None:
            out[key] += before["figures"]
    for key in ("same_as", "content_of"):
        if out.get(key) is not None:
            out[key] += before["events"]
    if out.get("quote") is not None:
        out["quote"] += before["quotes"]
    return out


def test_blocks_cover_the_text_and_end_at_line_breaks():
    from newsledger.pipeline import blocks

    text = ("A line of some words. " * 30 + "\n\n") * 40
    spans = blocks(text, 1000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(text[e - 2:e] == "\n\n" and e - s >= 1000 for s, e in spans[:-1])


def test_a_block_gives_the_records_of_its_text_read_alone(pipeline, gold_dir, corpus_dir):
    """Block processing is exact: an article read as the second block of a long text gets the same records
    as when read alone, at offsets moved by the first block, figures' part_of past the first block's."""
    import json
    from itertools import islice

    from newsledger.pipeline import Pipeline

    gold = [json.loads(line)["text"] for line in (gold_dir / "dev.jsonl").open(encoding="utf-8")]
    with (corpus_dir / "bbc-2004.jsonl").open(encoding="utf-8") as fh:
        first = " ".join(max((json.loads(line)["text"] for line in islice(fh, 40)), key=len).split())
    for article in gold[:3]:
        if len(article) + 10 > len(first):
            continue
        text = first + "\n\n" + article
        blocked = Pipeline(long_chars=1, block_chars=len(first) - 10)
        assert blocked._blocks(Article(text=text)) == [(0, len(first) + 2), (len(first) + 2, len(text))]
        whole = _records(blocked.extract(Article(text=text, published=date(2025, 3, 7))))
        head = _records(pipeline.extract(Article(text=first + "\n\n", published=date(2025, 3, 7))))
        alone = _records(pipeline.extract(Article(text=article, published=date(2025, 3, 7))))
        off, before = len(first) + 2, {kind: len(head[kind]) for kind in ("figures", "events", "quotes")}
        for kind, records in alone.items():
            assert whole[kind] == head[kind] + [_shifted(r, off, before) for r in records], kind
        assert alone["figures"] and alone["quotes"]


def test_a_long_article_is_read_in_blocks_with_exact_spans(pipeline, corpus_dir):
    import json
    from itertools import islice

    from newsledger.pipeline import Pipeline, blocks

    with (corpus_dir / "gva-local.jsonl").open(encoding="utf-8") as fh:
        text = "\n\n".join(json.loads(line)["text"] for line in islice(fh, 25))
    assert len(blocks(text)) >= 3
    ex = Pipeline(long_chars=20_000).extract(Article(text=text, id="long"))
    assert len(ex.figures) > 50 and len(ex.quotes) > 50
    for kind in ("figures", "entities", "dates", "events"):
        for r in getattr(ex, kind):
            assert text[r.start:r.end] == r.text, (kind, r)
    for q in ex.quotes:
        assert text[q.start:q.end] == q.content
        if q.speaker_start is not None:
            assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
    assert all(0 <= f.part_of < len(ex.figures) for f in ex.figures if f.part_of is not None)
