"""Candidates for what a figure counts (extract/counted_ranker.py), as the figures extractor hands them over."""

from __future__ import annotations

from newsledger.extract import figures
from newsledger.model import Article, Extraction
from newsledger.pipeline import Context


def _candidates(pipeline, text: str) -> tuple[list, list]:
    article = Article(text=text, id="t")
    result = Extraction(article=article)
    ctx = Context(article=article, doc=pipeline.nlp(text), published=None, result=result)
    for name, mod in pipeline.extractors:
        if name == "figures":
            break
        setattr(result, getattr(mod, "ASSIGNS", name), mod.extract(ctx))
    record: list = []
    found = figures._Figures(ctx, record).run()
    return found, record


def test_each_figure_gets_the_nouns_near_it_and_those_naming_the_rules_answer_are_marked(pipeline):
    found, record = _candidates(pipeline, "BP's annual profits rose 26% to $16.2bn, the company said.")
    assert len(record) == len(found) == 2
    for fig, cands in zip(found, record, strict=True):
        profits = [c for c in cands if c.text.endswith("annual profits")]
        assert len(profits) == 1 and profits[0].agrees, ([c.text for c in cands], fig.counted)
        assert not any(c.agrees for c in cands if c.text == "company")
        assert all(c.features and any(f.startswith("dist=") for f in c.features) for c in cands if c.head is not None)


def test_a_currency_is_no_candidate_and_a_bare_number_may_count_people(pipeline):
    _, record = _candidates(pipeline, "The club needs almost 30m euros to pay its bills. Gunmen shot four in the street.")
    money, bare = record
    assert not any(c.text.split()[-1] in ("euros", "m") for c in money), [c.text for c in money]
    assert "people" in [c.text for c in bare]
    assert "people" not in [c.text for c in money]


def test_recording_candidates_changes_no_figure(pipeline):
    text = "Police arrested five men on Sunday. Two others were charged with burglary, police said."
    found, _ = _candidates(pipeline, text)
    plain = pipeline.extract(Article(text=text, id="t")).figures
    assert [(f.text, f.counted, f.source) for f in found] == [(f.text, f.counted, f.source) for f in plain]
