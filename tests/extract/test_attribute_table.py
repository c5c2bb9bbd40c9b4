"""The attribute table gives every token the attributes spaCy's attribute_ruler gives it, on real news text."""

from __future__ import annotations

import json
from itertools import islice

from spacy.attrs import IDS

from newsledger.extract.attribute_table import AttributeTable
from newsledger.extract.nlp import load_model

COLUMNS = ["ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE"]


def _texts(gold_dir, corpus_dir, per_corpus: int = 15) -> list[str]:
    texts = [json.loads(line)["text"] for line in (gold_dir / "dev.jsonl").open(encoding="utf-8")]
    for name in ("bbc-2004.jsonl", "gva-local.jsonl", "wikievents.jsonl"):
        with (corpus_dir / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in islice(fh, per_corpus)]
    return texts


def test_fast_model_uses_the_table_and_plain_model_the_ruler():
    assert "newsledger_attribute_table" in load_model(None, True).pipe_names
    assert "attribute_ruler" not in load_model(None, True).pipe_names
    assert "attribute_ruler" in load_model(None, False).pipe_names
    assert "newsledger_lemma_table" in load_model(None, True).pipe_names
    assert "lemmatizer" not in load_model(None, True).pipe_names
    assert "lemmatizer" in load_model(None, False).pipe_names


def test_every_token_attribute_is_the_same_as_with_the_attribute_ruler_and_lemmatizer(gold_dir, corpus_dir):
    """Lemmas included: the fast model also swaps the lemmatizer's loop for a table (extract/lemma_table.py)."""
    texts = _texts(gold_dir, corpus_dir)
    ids = [IDS[c] for c in COLUMNS]
    tokens = differ = 0
    examples = []
    for fast, plain in zip(load_model(None, True).pipe(texts), load_model(None, False).pipe(texts), strict=True):
        a, b = fast.to_array(ids), plain.to_array(ids)
        rows = (a != b).any(axis=1)
        tokens += len(fast)
        differ += int(rows.sum())
        examples += [(fast[i].text, fast[i].pos_, plain[i].pos_, str(fast[i].morph), str(plain[i].morph))
                     for i in rows.nonzero()[0][:3]]
    assert tokens > 15_000
    assert differ == 0, examples[:10]


def test_rules_the_table_cannot_express_keep_the_ruler():
    ruler = load_model(None, False).get_pipe("attribute_ruler")
    assert AttributeTable.build(ruler) is not None
    from spacy.lang.en import English

    nlp = English()
    other = nlp.add_pipe("attribute_ruler")
    other.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    assert AttributeTable.build(other) is None


def test_lemma_table_asks_a_copy_with_word_sets_and_leaves_the_lemmatizer_as_it_was():
    from newsledger.extract.lemma_table import LemmaTable

    nlp = load_model(None, False)
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = LemmaTable.build(lemmatizer)
    assert table is not None and table.lemmatizer is not lemmatizer
    assert all(isinstance(v, list) for v in lemmatizer.lookups.get_table("lemma_index").values())
    assert all(isinstance(v, frozenset) for v in table.lemmatizer.lookups.get_table("lemma_index").values())
    doc = nlp("The councils were closing three schools, and the miners' leaders ate better meals.")
    assert [table.lemmatizer.rule_lemmatize(t) for t in doc] == [lemmatizer.rule_lemmatize(t) for t in doc]
    assert [t.lemma_ for t in doc][:5] == ["the", "council", "be", "close", "three"]
