"""The pipeline: parse each article once with spaCy, then run the extractors in their declared order."""

from __future__ import annotations

import dataclasses
import importlib
import multiprocessing
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from newsledger.config import BATCH_SIZE
from newsledger.config import MAX_CHARS as MAX_CHARS
from newsledger.errors import EmptyInput, InputError, NewsledgerError
from newsledger.extract.nlp import DEFAULT_MODELS, load_model
from newsledger.model import Article, Extraction, Rejected, parse_iso_date

# Each extractor module declares REQUIRES (record kinds it reads) and ASSIGNS (the kind it fills) and a
# function `extract(ctx) -> list[record]`. Order matters: speakers need entities, figures need quotes
# (for sources) and dates (for as-of), events need entities and dates.
EXTRACTORS: tuple[str, ...] = ("entities", "dates", "quotes", "figures", "events")


# A long article is read in blocks of about BLOCK_CHARS characters, cut at line breaks, each parsed and
# extracted on its own, its records' offsets moved back onto the whole text. Without this, cost grows
# faster than the text (quotes, figures and sources look back over the whole document) and spaCy holds
# the whole parse at once (3.2 GB for a million characters). Articles up to LONG_CHARS (nearly all news:
# the corpora's 99th percentile is under 11,000) are read in one pass, so a pronoun or a surname can
# still find its antecedent anywhere in them.
BLOCK_CHARS = 10_000
LONG_CHARS = 50_000
# Blocks parsed at a time (peak memory grows about 3 KB a character in a batch: 32 blocks made 1.3 GB).
BLOCK_BATCH = 8
# Where a block may end, best first: after a run of line breaks, after a sentence, after a space.
_BREAKS = (re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))


def blocks(text: str, size: int = BLOCK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive blocks that cover `text`: each ends at the first line break (else
    sentence end, else space) at least `size` characters after its start, whitespace kept at its end."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > size:
        end = n
        for brk in _BREAKS:
            m = brk.search(text, start + size)
            # A line break is worth looking a block further for; a mere space is not.
            if m is not None and m.start() < start + 2 * size:
                end = m.end()
                break
        out.append((start, end))
        start = end
    if start < n:
        out.append((start, n))
    return out


# Fields that point at another record of the same article by its position in that kind's list: a block's
# records are appended after earlier blocks', so these move past the records those blocks made.
_INDEX_FIELDS = {"part_of": "figures", "dead": "figures", "injured": "figures", "size": "figures",
                 "same_as": "events", "content_of": "events", "quote": "quotes"}


def _moved(record: Any, by: int, before: dict[str, int]) -> Any:
    """A copy of a block's record with its character offsets (start, end, *_start, *_end) moved `by`
    characters and its indexes into the article's records (a figure's part_of, an event's dead or same_as)
    moved past the `before` records of each kind that earlier blocks made."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if not isinstance(value, int) or isinstance(value, bool):
            continue  # None, and text fields such as a date's value_end
        if f.name in ("start", "end") or f.name.endswith(("_start", "_end")):
            changes[f.name] = value + by
        elif f.name in _INDEX_FIELDS:
            changes[f.name] = value + before.get(_INDEX_FIELDS[f.name], 0)
    return dataclasses.replace(record, **changes)


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
    """Raise InputError when the article cannot be extracted (empty, too long); replaces control
    characters (the ingest rule, for articles that did not come through ingest) and notes it."""
    from newsledger.ingest.text import clean_controls, control_note, prose_problem

    where = article.id or "article"
    if not isinstance(article.text, str):
        raise InputError(f"{where}: the text is a {type(article.text).__name__}, not a string",
                         "give the article's text as a string")
    if not article.text or not article.text.strip():
        raise EmptyInput(f"{where}: the text is empty", "give an article with some text")
    text, replaced = clean_controls(article.text)
    if replaced:
        article.text = text
        article.notes.append(control_note(replaced))
    if len(article.text) <= max_chars:
        problem = prose_problem(article.text)
        if problem:
            raise InputError(f"{where}: the text {problem}", "give the article's text, without attached data")
    if len(article.text) > max_chars:
        raise InputError(
            f"{where}: the text has {len(article.text):,} characters, more than the {max_chars:,} limit",
            "split it into articles or raise the limit with --max-chars",
        )


class Pipeline:
    """Loads the model once and extracts records from articles, one at a time or in batches."""

    def __init__(self, model: str | None = None, extractors: Iterable[str] = EXTRACTORS,
                 max_chars: int = MAX_CHARS, *, fast: bool = True, long_chars: int = LONG_CHARS,
                 block_chars: int = BLOCK_CHARS) -> None:
        # fast=False: spaCy's own components throughout (see load_model), the reference for tests.
        self.nlp = load_model(model, fast)
        self.max_chars = max_chars
        self.long_chars, self.block_chars = long_chars, block_chars
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)
        self.extractors = _load_extractors(extractors)

    def _run(self, article: Article, doc: Any) -> Extraction:
        result = Extraction(article=article, warnings=list(article.notes))
        ctx = Context(article=article, doc=doc, published=article.published, result=result)
        for name, mod in self.extractors:
            setattr(result, getattr(mod, "ASSIGNS", name), mod.extract(ctx))
        return result

    def _blocks(self, article: Article) -> list[tuple[int, int]]:
        n = len(article.text)
        return blocks(article.text, self.block_chars) if n > self.long_chars else [(0, n)]

    def _run_blocks(self, article: Article, spans: list[tuple[int, int]], docs: Iterator[Any]) -> Extraction:
        """Extract each block of a long article as an article of its own; one Extraction of the whole."""
        if len(spans) == 1:
            return self._run(article, next(docs))
        result = Extraction(article=article)
        for (start, end), doc in zip(spans, docs, strict=False):
            part = self._run(dataclasses.replace(article, text=article.text[start:end]), doc)
            before = {kind: len(getattr(result, kind)) for kind in set(_INDEX_FIELDS.values())}
            for f in dataclasses.fields(part):
                records = getattr(part, f.name)
                if f.name == "warnings":
                    result.warnings.extend(w for w in records if w not in result.warnings)
                elif isinstance(records, list):
                    getattr(result, f.name).extend(_moved(r, start, before) for r in records)
        return result

    def extract(self, article: Article) -> Extraction:
        check_article(article, self.max_chars)
        spans = self._blocks(article)
        return self._run_blocks(article, spans, self.nlp.pipe(article.text[s:e] for s, e in spans))

    def extract_many(self, items: Iterable[Article | Rejected], batch_size: int = BATCH_SIZE
                     ) -> Iterator[Extraction | Rejected]:
        """Extract each article in order; rejected inputs (and articles that fail checks) pass through."""
        buffer: list[Article | Rejected] = []
        for item in items:
            if isinstance(item, Article):
                try:
                    check_article(item, self.max_chars)
                except InputError as err:
                    item = Rejected(where=item.id or "article", reason=str(err), id=item.id,
                                    empty=isinstance(err, EmptyInput))
            buffer.append(item)
            if len(buffer) >= batch_size:
                yield from self._flush(buffer)
                buffer = []
        if buffer:
            yield from self._flush(buffer)

    def _flush(self, buffer: list[Article | Rejected]) -> Iterator[Extraction | Rejected]:
        articles = [a for a in buffer if isinstance(a, Article)]
        spans = [self._blocks(a) for a in articles]
        # Texts are handed to nlp.pipe lazily: a long article's blocks are parsed a batch at a time.
        n_docs = sum(len(sp) for sp in spans)
        # spaCy's memory grows with the characters in a batch: blocks go a few at a time.
        batch = len(articles) if n_docs == len(articles) else min(n_docs, BLOCK_BATCH)
        docs = iter(self.nlp.pipe((a.text[s:e] for a, sp in zip(articles, spans, strict=True) for s, e in sp),
                                  batch_size=max(batch, 1)))
        todo = iter(spans)
        for item in buffer:
            if isinstance(item, Rejected):
                yield item
                continue
            mine = next(todo)
            own = _take(docs, len(mine))
            try:
                yield self._run_blocks(item, mine, own)
            except NewsledgerError as err:
                yield Rejected(where=item.id or "article", reason=str(err), id=item.id)
            except Exception as err:  # noqa: BLE001 - one article's failure must not sink the batch
                yield Rejected(where=item.id or "article", id=item.id,
                               reason=f"{item.id or 'article'}: extraction failed "
                                      f"({type(err).__name__}: {err}); please report it with the article")
            finally:
                for _ in own:  # the blocks a failed article left unread, so the next gets its own docs
                    pass


def _take(docs: Iterator[Any], n: int) -> Iterator[Any]:
    for _ in range(n):
        yield next(docs)


# Articles sent to a worker at a time: small enough that the last chunks spread evenly over the workers,
# large enough that nlp.pipe still batches (its speed on CPU levels off at a few articles a batch).
PARALLEL_CHUNK = 8

# One Pipeline per worker process, made by the pool's initializer so the model loads once per process.
_WORKER: Pipeline | None = None


def _init_worker(model: str | None, extractors: tuple[str, ...], max_chars: int) -> None:
    global _WORKER
    import os

    # One BLAS thread per worker: N workers each starting a BLAS thread per core oversubscribe the CPUs
    # and run slower than one process. Set before numpy is first imported in this fresh process.
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _WORKER = Pipeline(model, extractors, max_chars)


def _work(chunk: list[Article | Rejected]) -> list[Extraction | Rejected]:
    assert _WORKER is not None, "worker used before its initializer ran"
    return list(_WORKER.extract_many(chunk, batch_size=len(chunk) or 1))


def _chunks(items: Iterable[Article | Rejected], size: int) -> Iterator[list[Article | Rejected]]:
    chunk: list[Article | Rejected] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_parallel(items: Iterable[Article | Rejected], *, jobs: int = 1, model: str | None = None,
                     batch_size: int = BATCH_SIZE, max_chars: int = MAX_CHARS,
                     extractors: Iterable[str] = EXTRACTORS) -> Iterator[Extraction | Rejected]:
    """Like `Pipeline.extract_many`, in `jobs` processes (model loaded once in each), output in input order.

    With jobs=1 everything runs here with `nlp.pipe`. Workers are started with "spawn": a forked copy of a
    process that runs threads (a progress bar, a web server) can deadlock. As with any spawned pool, a
    script that calls this with jobs > 1 must do so under `if __name__ == "__main__":`.
    """
    names = tuple(extractors)
    if jobs <= 1:
        yield from Pipeline(model, names, max_chars).extract_many(items, batch_size=batch_size)
        return
    model = _resolve_model(model)
    # ProcessPoolExecutor rather than multiprocessing.Pool: a worker that dies (out of memory, a crash in
    # the parser) or whose initializer fails breaks the executor with an error, where Pool waits forever.
    executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(model, names, max_chars))
    try:
        # At most four chunks a worker in flight: memory stays bounded on long inputs (Executor.map
        # would read the whole input ahead) and results come back in input order.
        pending: deque[Future[list[Extraction | Rejected]]] = deque()
        for chunk in _chunks(items, min(batch_size, PARALLEL_CHUNK)):
            pending.append(executor.submit(_work, chunk))
            if len(pending) >= 4 * jobs:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    except BrokenProcessPool as err:
        raise NewsledgerError(
            f"a worker process stopped ({err})",
            "run again with --jobs 1 to see which article causes it and check free memory; a script must "
            "call this under `if __name__ == \"__main__\":`",
        ) from err
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _resolve_model(model: str | None) -> str:
    """The model name the workers will load, checked here without loading it (a worker whose initializer
    fails is restarted forever by multiprocessing, so a missing model must be caught first)."""
    import os

    import spacy.util

    name = model or os.environ.get("NEWSLEDGER_MODEL") or None
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        if spacy.util.is_package(candidate) or Path(candidate).is_dir():
            return candidate
    # load_model raises the ModelError that says what to install.
    load_model(model)
    return candidates[0]


def extract(text: str, published: str | date | None = None, *, id: str | None = None,
            title: str | None = None, model: str | None = None) -> Extraction:
    """Extract figures, quotes, entities, dates and events from one article's text."""
    try:
        when = parse_iso_date(published) if isinstance(published, str) else published
    except ValueError as err:
        raise InputError(f"published {published!r} is not a date", "write it as YYYY-MM-DD, e.g. 2025-03-07"
                         ) from err
    return _default_pipeline(model).extract(Article(text=text, id=id, published=when, title=title))


_PIPELINES: dict[str | None, Pipeline] = {}


def _default_pipeline(model: str | None) -> Pipeline:
    if model not in _PIPELINES:
        _PIPELINES[model] = Pipeline(model)
    return _PIPELINES[model]
