"""The pipeline: parse each article once with spaCy, then run the extractors in their declared order."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

from newsledger.errors import InputError, NewsledgerError
from newsledger.extract.nlp import load_model
from newsledger.model import Article, Extraction, Rejected, parse_iso_date

# Each extractor module declares REQUIRES (record kinds it reads) and ASSIGNS (the kind it fills) and a
# function `extract(ctx) -> list[record]`. Order matters: speakers need entities, figures need quotes
# (for sources) and dates (for as-of), events need entities and dates.
EXTRACTORS: tuple[str, ...] = ("entities", "dates", "quotes", "figures", "events")

# spaCy's own limit; longer texts are refused with a clear message rather than silently cut.
MAX_CHARS = 1_000_000


@dataclass
class Context:
    """What an extractor sees: the article, its parse, the anchor date and the records made so far."""

    article: Article
    doc: Any  # spacy.tokens.Doc
    published: date | None
    result: Extraction


def _load_extractors(names: Iterable[str]) -> list[tuple[str, ModuleType]]:
    modules = [(n, importlib.import_module(f"newsledger.extract.{n}")) for n in names]
    done: set[str] = set()
    for name, mod in modules:
        missing = [r for r in getattr(mod, "REQUIRES", ()) if r not in done]
        if missing:
            raise NewsledgerError(f"extractor {name!r} needs {', '.join(missing)} to run before it")
        done.add(getattr(mod, "ASSIGNS", name))
    return modules


def check_article(article: Article, max_chars: int = MAX_CHARS) -> None:
    """Raise InputError when the article cannot be extracted (empty, too long)."""
    where = article.id or "article"
    if not article.text or not article.text.strip():
        raise InputError(f"{where}: the text is empty", "give an article with some text")
    if len(article.text) > max_chars:
        raise InputError(
            f"{where}: the text has {len(article.text):,} characters, more than the {max_chars:,} limit",
            "split it into articles or raise the limit with --max-chars",
        )


class Pipeline:
    """Loads the model once and extracts records from articles, one at a time or in batches."""

    def __init__(self, model: str | None = None, extractors: Iterable[str] = EXTRACTORS,
                 max_chars: int = MAX_CHARS) -> None:
        self.nlp = load_model(model)
        self.max_chars = max_chars
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)
        self.extractors = _load_extractors(extractors)

    def _run(self, article: Article, doc: Any) -> Extraction:
        result = Extraction(article=article)
        ctx = Context(article=article, doc=doc, published=article.published, result=result)
        for name, mod in self.extractors:
            setattr(result, getattr(mod, "ASSIGNS", name), mod.extract(ctx))
        return result

    def extract(self, article: Article) -> Extraction:
        check_article(article, self.max_chars)
        return self._run(article, self.nlp(article.text))

    def extract_many(self, items: Iterable[Article | Rejected], batch_size: int = 32
                     ) -> Iterator[Extraction | Rejected]:
        """Extract each article in order; rejected inputs (and articles that fail checks) pass through."""
        buffer: list[Article | Rejected] = []
        for item in items:
            if isinstance(item, Article):
                try:
                    check_article(item, self.max_chars)
                except InputError as err:
                    item = Rejected(where=item.id or "article", reason=str(err), id=item.id)
            buffer.append(item)
            if len(buffer) >= batch_size:
                yield from self._flush(buffer)
                buffer = []
        if buffer:
            yield from self._flush(buffer)

    def _flush(self, buffer: list[Article | Rejected]) -> Iterator[Extraction | Rejected]:
        articles = [a for a in buffer if isinstance(a, Article)]
        docs = iter(self.nlp.pipe([a.text for a in articles], batch_size=len(articles) or 1))
        for item in buffer:
            if isinstance(item, Rejected):
                yield item
            else:
                yield self._run(item, next(docs))


def extract(text: str, published: str | date | None = None, *, id: str | None = None,
            title: str | None = None, model: str | None = None) -> Extraction:
    """Extract figures, quotes, entities, dates and events from one article's text."""
    when = parse_iso_date(published) if isinstance(published, str) else published
    return _default_pipeline(model).extract(Article(text=text, id=id, published=when, title=title))


_PIPELINES: dict[str | None, Pipeline] = {}


def _default_pipeline(model: str | None) -> Pipeline:
    if model not in _PIPELINES:
        _PIPELINES[model] = Pipeline(model)
    return _PIPELINES[model]
