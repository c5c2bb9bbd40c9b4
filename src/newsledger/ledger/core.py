"""The Ledger: the one place the pipeline meets the store; adds articles and answers questions about them."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsledger.errors import InputError, NewsledgerError, NotFoundError
from newsledger.ledger import corrections as corr
from newsledger.ledger import cursors
from newsledger.ledger import measures as measures_mod
from newsledger.ledger.analysis import AnalysisMixin
from newsledger.ledger.conflict_table import (
    DEFAULT_TOLERANCE,
    ConflictTableMixin,
    conflict_day,
    parse_cursor,
)
from newsledger.ledger.conflicts import KINDS, Conflict, Point, find_conflicts
from newsledger.ledger.sources import source_name
from newsledger.model import Article, Extraction, Rejected
from newsledger.store import (
    MeasureRow,
    Overrides,
    Store,
    StoredArticle,
    StoredFigure,
    StoredQuote,
    event_queries,
)
from newsledger.store import queries as q
from newsledger.store import series as series_store
from newsledger.store.event_queries import StoredEvent

EXPORT_KINDS = ("figures", "quotes", "articles", "entities", "dates", "events")
EXPORT_FORMATS = ("jsonl", "csv", "parquet")


@dataclass
class AddReport:
    """What `add` did: articles added, new versions, duplicates skipped, inputs that failed and why."""

    added: int = 0
    versions: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, reason)
    figures: int = 0
    quotes: int = 0
    empty: int = 0  # inputs with no text (empty files, JSON lines with an empty "text"): skipped, not failed
    empty_where: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.versions + self.skipped + len(self.failed) + self.empty

    @property
    def exit_code(self) -> int:
        """0: everything stored or already there (empty inputs skipped); 1: some inputs failed;
        2: nothing could be done (every input failed or was empty)."""
        done = self.added + self.versions + self.skipped
        if done == 0 and (self.failed or self.empty):
            return 2
        return 1 if self.failed else 0


# progress(report, where): called after every input, with the running report and what was just done.
Progress = Callable[[AddReport, str], None]


@dataclass
class Series:
    """One measure's figures over as-of time (the figures carry value, qualifier, source, article)."""

    key: str
    label: str
    figures: list[StoredFigure]


@dataclass
class MeasureInfo:
    key: str
    label: str
    figures: int
    merged_from: list[str] = field(default_factory=list)


@dataclass
class VersionDiff:
    """What changed between two stored versions of the article at one URL."""

    url: str
    old_version: int
    new_version: int
    old_article_id: int
    new_article_id: int
    figures_added: list[StoredFigure]
    figures_removed: list[StoredFigure]
    quotes_added: list[StoredQuote]
    quotes_removed: list[StoredQuote]
    unchanged_figures: int
    unchanged_quotes: int


class Ledger(ConflictTableMixin, AnalysisMixin):
    """A ledger database plus the pipeline that fills it. `Ledger(db)` opens (and migrates) `db`.

    `read_only=True` opens an existing ledger for questions only: nothing is created, migrated or written.
    `lazy=True` opens (and creates) the database only when something is first stored or asked, so an `add`
    whose inputs all fail leaves no empty database behind."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, pipeline: Any = None,
                 model: str | None = None, jobs: int = 1, batch_size: int | None = None,
                 must_exist: bool = False, read_only: bool = False, lazy: bool = False) -> None:
        self._db = db
        self._must_exist = must_exist
        self._read_only = read_only
        self._store: Store | None = None
        if not lazy:
            self._store = Store(db, must_exist=must_exist, read_only=read_only)
        self._pipeline = pipeline
        self.model = model
        self.jobs = jobs
        self.batch_size = batch_size

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self._db, must_exist=self._must_exist, read_only=self._read_only)
        return self._store

    @property
    def display_url(self) -> str:
        """The database as users write it (without a password), known without opening it."""
        from newsledger.store.engine import display_url, resolve_url

        return display_url(resolve_url(self._db))

    def _exists(self) -> bool:
        """Whether the database is open or there is something to open (a new SQLite file is not)."""
        if self._store is not None:
            return True
        from newsledger.store.engine import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(self._db))
        return path is None or path.exists()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- adding ----------------------------------------------------------------------------------------
    def add(self, sources: Iterable[str | Path | Article], *, published: date | None = None,
            encoding: str | None = None, allow_private: bool = False,
            progress: Progress | None = None) -> AddReport:
        """Read, extract and store every article of `sources` (paths, URLs, `-`, or Article objects).

        Each article commits with all its records in one transaction; articles already stored (same
        URL and text, or same normalised text) are skipped before extraction, so a rerun resumes.
        """
        from newsledger.config import BATCH_SIZE

        report = AddReport()

        def note(where: str) -> None:
            if progress is not None:
                progress(report, where)

        def fresh() -> Iterator[Article | Rejected]:
            # Checked a batch at a time (one read for as many articles as extraction takes at once).
            for window in _windows(self._read(sources, published, encoding, allow_private),
                                   self.batch_size or BATCH_SIZE):
                texts = [x for x in window if isinstance(x, Article) and x.text and x.text.strip()]
                # A ledger not made yet holds no duplicates: it is created when the first article is stored.
                found = self.store.duplicates_of(texts) if texts and self._exists() else [None] * len(texts)
                duplicates = {id(x) for x, dup in zip(texts, found, strict=True) if dup is not None}
                for item in window:
                    if id(item) in duplicates:
                        report.skipped += 1
                        note(_where(item))
                        continue
                    yield item

        return self.add_extractions(self._extract(fresh()), progress=progress, report=report)

    def add_extractions(self, results: Iterable[Extraction | Rejected], *, progress: Progress | None = None,
                        report: AddReport | None = None, stories: bool = True) -> AddReport:
        """Store extractions made elsewhere (e.g. `newsledger extract` output), each in one transaction.
        `stories=False` leaves placing the new articles in stories to a later `update_stories()`."""
        report = report if report is not None else AddReport()

        def note(where: str) -> None:
            if progress is not None:
                progress(report, where)

        with contextlib.ExitStack() as held:
            self._store_each(results, report, note, held)
        if stories and (report.added or report.versions):
            self.update_stories()
        if self._exists():
            self.refresh_conflicts()
        return report

    def _store_each(self, results: Iterable[Extraction | Rejected], report: AddReport,
                    note: Callable[[str], None], held: contextlib.ExitStack) -> None:
        overrides: Overrides | None = None  # no merge or split is made while an add runs
        corrected: bool | None = None  # whether the ledger holds corrections to re-anchor
        for result in results:
            if isinstance(result, Rejected):
                if result.empty:
                    report.empty += 1
                    report.empty_where.append(result.where)
                else:
                    report.failed.append((result.where, result.reason))
                note(result.where)
                continue
            rows = self._measures(result)
            if overrides is None:  # the first article to store: one connection for every article (PostgreSQL)
                overrides = self.store.overrides()
                held.enter_context(self.store.holding())
            marks = self._marks_for_add(result, rows, overrides)
            # marked in the same transaction: already after the change, so nothing to mark again at refresh
            stored = self.store.add(result, rows, mark=marks, mark_earlier=self._marks_of_versions(overrides))
            if stored.status == "duplicate":
                report.skipped += 1
            else:
                if corrected is None:  # read once a batch: most ledgers being filled hold no correction
                    corrected = corr.any_corrections(self.store)
                if corrected:
                    corr.reanchor(self.store, stored.article_id)  # corrections follow a re-extraction or version
                report.added += stored.status == "added"
                report.versions += stored.status == "version"
                report.figures += len(result.figures)
                report.quotes += len(result.quotes)
            note(_where(result.article))

    def _marks_for_add(self, result: Extraction, rows: list[MeasureRow], overrides: Overrides) -> set[str]:
        """The measures an article's figures will join: marked pending in the transaction that stores it (so a
        stop can never leave a stale conflict), with those of the versions it replaces (_marks_of_versions)."""
        keys = {overrides.resolve(r.key, f.counted, f.text) for r, f in zip(rows, result.figures, strict=True)}
        return self.conflict_keys(keys | {r.key for r in rows}, (), overrides)

    def _marks_of_versions(self, overrides: Overrides) -> Callable[[list[int]], set[str]]:
        """The measures of the stored versions a new version replaces (their ids are read in the storing
        transaction, so an article at a new URL costs no read here)."""
        return lambda earlier: self.conflict_keys((), earlier, overrides)

    def _read(self, sources: Iterable[str | Path | Article], published: date | None,
              encoding: str | None, allow_private: bool) -> Iterator[Article | Rejected]:
        names: list[str] = []
        for source in sources:
            if isinstance(source, Article):
                if names:
                    yield from self._read_names(names, published, encoding, allow_private)
                    names = []
                yield source
            else:
                names.append(str(source))
        if names:
            yield from self._read_names(names, published, encoding, allow_private)

    @staticmethod
    def _read_names(names: list[str], published: date | None, encoding: str | None,
                    allow_private: bool) -> Iterator[Article | Rejected]:
        from newsledger.ingest.sources import read_sources

        yield from read_sources(names, published=published, encoding=encoding, allow_private=allow_private)

    def _extract(self, items: Iterator[Article | Rejected]) -> Iterator[Extraction | Rejected]:
        # The model loads only when the first new article arrives: a rerun over stored input is quick.
        first = next(items, None)
        if first is None:
            return

        def chain() -> Iterator[Article | Rejected]:
            yield first
            yield from items

        from newsledger.config import BATCH_SIZE

        batch_size = self.batch_size or BATCH_SIZE
        if self._pipeline is not None:
            yield from self._pipeline.extract_many(chain(), batch_size=batch_size)
        else:
            from newsledger.pipeline import extract_parallel

            yield from extract_parallel(chain(), jobs=self.jobs, model=self.model, batch_size=batch_size)

    @staticmethod
    def _measures(ex: Extraction) -> list[MeasureRow]:
        rows = []
        for figure in ex.figures:
            m = measures_mod.measure_for(figure, ex.entities, ex.article.text, published=ex.article.published)
            rows.append(MeasureRow(m.key, m.label, m.explanation, m.period, source_name(figure.source)))
        return rows

    # -- measures ----------------------------------------------------------------------------------------
    def _labels(self, overrides: Overrides) -> dict[str, str]:
        """Every effective measure key with its label (stored measures after merges, plus split targets)."""
        with self.store.read() as conn:
            stored = q.stored_measure_keys(conn)
        labels: dict[str, str] = {}
        for key, label in stored.items():
            eff = overrides.follow(key)
            labels.setdefault(eff, stored.get(eff, label))
        for split in overrides.splits:
            labels.setdefault(overrides.follow(split.into_key), split.label)
        for fig in self._added_figures(overrides):  # a measure only people's added figures have
            labels.setdefault(fig.measure_key, fig.measure_label or fig.measure_key)
        return labels

    def _added_figures(self, overrides: Overrides) -> list[StoredFigure]:
        """Figures people added, each under its effective measure (see newsledger.ledger.additions)."""
        from newsledger.ledger import additions

        figs = additions.stored_figures(self.store)
        for i, fig in enumerate(figs):
            eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
            if eff != fig.measure_key:
                figs[i] = dataclasses.replace(fig, measure_key=eff, measure_label=None)
        return figs

    def _label_of(self, key: str, overrides: Overrides) -> str | None:
        """The label of one effective measure key (what `_labels` gives it), without reading every label."""
        with self.store.read() as conn:
            label = q.measure_labels(conn, [key]).get(key)
        if label is not None:
            return label
        if overrides.merges or overrides.splits:
            return self._labels(overrides).get(key)
        return next((f.measure_label or key for f in self._added_figures(overrides) if f.measure_key == key), None)

    def measure_info(self, key: str) -> MeasureInfo:
        """One measure by its exact effective key: label and the stored keys merged into it (count left 0)."""
        overrides = self.store.overrides()
        label = self._label_of(key, overrides)
        if label is None or overrides.follow(key) != key:
            raise NotFoundError(f"no measure with key {key!r}", "list them with `newsledger measures`")
        merged = sorted(src for src in overrides.merges if overrides.follow(src) == key)
        return MeasureInfo(key, label, 0, merged)

    def measures(self, query: str | None = None, *, after: str | None = None,
                 limit: int | None = None) -> list[MeasureInfo]:
        """Measures (after manual merges and splits) with their figure counts, most figures first (then by
        key); `after` (`cursors.measure_cursor` of a page's last measure) starts after it, `limit` cuts."""
        found = self._measure_list(query)
        mark = cursors.parse_measures(after) if after is not None else None
        words = (query or "").casefold().split()
        return cursors.page_after(found, lambda m: cursors.measure_key(m, words), mark, limit)

    def _measure_list(self, query: str | None = None) -> list[MeasureInfo]:
        overrides = self.store.overrides()
        labels = self._labels(overrides)
        with self.store.read() as conn:
            per_key = q.measure_counts(conn)
        totals: dict[str, int] = dict.fromkeys(labels, 0)
        if overrides.splits:
            for fig in self._figures_of(set(per_key), overrides):
                totals[fig.measure_key] = totals.get(fig.measure_key, 0) + 1
        else:
            for key, n in per_key.items():
                eff = overrides.follow(key)
                totals[eff] = totals.get(eff, 0) + n
        for fig in self._added_figures(overrides):
            totals[fig.measure_key] = totals.get(fig.measure_key, 0) + 1
        keys = self.find_measures(query, labels) if query else list(totals)
        merged: dict[str, list[str]] = {}
        for src in overrides.merges:
            merged.setdefault(overrides.follow(src), []).append(src)
        out = [MeasureInfo(k, labels.get(k, k), totals.get(k, 0), sorted(merged.get(k, []))) for k in keys]
        if not query:
            return sorted(out, key=lambda m: (-m.figures, m.key))
        # Measures whose label holds every word of the query first, then those matched by key or loosely;
        # within each, most figures first.
        words = query.casefold().split()
        return sorted(out, key=lambda m: (not all(w in m.label.casefold() for w in words), -m.figures, m.key))

    def find_measures(self, query: str, labels: dict[str, str] | None = None) -> list[str]:
        """Effective measure keys a user's words name: an exact key or label first, else a word match."""
        if labels is None and "|" in query:
            # A stored key as written (what scripts, the web and the API pass): one look-up, not every label.
            overrides = self.store.overrides()
            key = query.strip()
            with self.store.read() as conn:
                if key in q.measure_labels(conn, [key]) and overrides.follow(key) == key:
                    return [key]
        labels = labels if labels is not None else self._labels(self.store.overrides())
        low = query.strip().casefold()
        exact = [k for k, lab in labels.items() if k.casefold() == low or lab.casefold() == low]
        if exact:
            return exact
        by_text: dict[str, list[str]] = {}
        for key, label in labels.items():
            by_text.setdefault(f"{label} | {key}", []).append(key)
        found = measures_mod.match_measures(query, list(by_text))
        return [k for text in found for k in by_text[text]]

    def _one_measure(self, query: str) -> str:
        keys = self.find_measures(query)
        if not keys:
            raise NotFoundError(f"no measure matches {query!r}", "list them with `newsledger measures`")
        return keys[0]

    def _figures_of(self, stored_keys: set[str], overrides: Overrides, targets: set[str] | None = None,
                    lean: bool = False, article_ids: list[int] | None = None) -> Iterator[StoredFigure]:
        """Figures stored under `stored_keys` (of these articles), with measure_key set to the effective one
        (filtered)."""
        if not stored_keys:
            return iter(())
        fixes = corr.load(self.store)
        fixed = bool(fixes)
        plain = not overrides.merges and not overrides.splits
        with self.store.read() as conn:
            if lean:
                read: Iterable[StoredFigure] = series_store.measure_figures(conn, sorted(stored_keys), article_ids)
            else:
                read = q.figures(conn, measure_keys=sorted(stored_keys), article_ids=article_ids)
            if plain and not fixed and (targets is None or stored_keys <= targets):
                # Nothing to resolve, correct or leave out: the rows as read (a series is tens of thousands).
                return iter(list(read))
            return iter(list(self._resolved(read, overrides, targets, fixes if fixed else None)))

    @staticmethod
    def _resolved(read: Iterable[StoredFigure], overrides: Overrides, targets: set[str] | None,
                  fixes: corr.CorrectionSet | None) -> Iterator[StoredFigure]:
        plain = not overrides.merges and not overrides.splits
        for fig in read:
            eff = fig.measure_key if plain else overrides.resolve(fig.measure_key, fig.counted, fig.text)
            if targets is None or eff in targets:
                if fixes is not None:
                    if fixes.is_wrong("figure", fig.id):
                        continue
                    fig = fixes.apply("figure", fig)
                if eff != fig.measure_key:
                    fig = dataclasses.replace(fig, measure_key=eff, measure_label=None)
                yield fig

    def measure_figures(self, key: str, *, lean: bool = False, articles: set[int] | None = None) -> list[StoredFigure]:
        """Every figure read as measure `key` (manual merges and splits applied), oldest as-of first; with
        `articles`, only those of these articles.

        `lean` leaves out the grouping explanation, title and input id (faster for long series)."""
        overrides = self.store.overrides()
        stored_keys = overrides.sources_of(key, overrides.merges)
        label = self._label_of(key, overrides) or key
        # A story's articles are picked in the statement when they are few (a long IN list plans badly).
        ids = sorted(articles) if articles is not None and len(articles) <= 2000 else None
        figs = list(self._figures_of(stored_keys, overrides, {key}, lean=lean, article_ids=ids))
        if articles is not None:
            figs = [f for f in figs if f.article_id in articles]
        added = [f for f in self._added_figures(overrides) if f.measure_key == key
                 and (articles is None or f.article_id in articles)]
        if added:  # people's added figures in their place: oldest as-of (else publication day) first
            figs += added
            dated = sorted((f for f in figs if (f.as_of or f.published) is not None),
                           key=lambda f: f.as_of or f.published or date.min)
            figs = dated + [f for f in figs if (f.as_of or f.published) is None]
        for fig in figs:
            fig.measure_label = label
        return figs

    # -- questions ---------------------------------------------------------------------------------------
    def series(self, measure_query: str, *, all_matches: bool = False, story: int | None = None) -> list[Series]:
        """The figures over time of the measure(s) the query names (the best match, or all matches);
        with `story`, only the figures of that story's articles."""
        keys = self.find_measures(measure_query)
        if not keys:
            raise NotFoundError(f"no measure matches {measure_query!r}",
                                "list them with `newsledger measures`")
        chosen = keys if all_matches else keys[:1]
        inside = self.story_articles(story) if story is not None else None
        overrides = self.store.overrides()
        return [Series(k, self._label_of(k, overrides) or k, self.measure_figures(k, lean=True, articles=inside))
                for k in chosen]

    def conflicts(self, measure_query: str | None = None, *, tolerance: float = 0.02,
                  story: int | None = None, stories: Mapping[int, str] | None = None,
                  sentences: bool = True, kind: str | None = None, since: date | None = None,
                  until: date | None = None, limit: int | None = None, offset: int = 0,
                  after: str | None = None) -> list[Conflict]:
        """Conflicts (see newsledger.ledger.conflicts) within the named measure, or within every measure;
        with `story`, only those between figures of that story's articles; with `kind`, `since`, `until`
        (the latest as-of day of its figures), only those. Newest first; `limit` with `offset` or `after`
        (the `conflict_table.cursor` of the last conflict of the page before) page through them.

        They are read from the conflicts table, kept as figures arrive (see newsledger.ledger.conflict_table).
        Another `tolerance` or a `stories` mapping finds them from the figures per query: one incident's
        counts are compared only within a story (`stories` maps article ids to story ids; by default the
        stored ones), and only each report's own count of the whole (see `keep_comparable`). Figures
        outside a loaded reference series are flagged too (kind "reference"); `sentences` fills each
        conflict's sentences from the article texts (kept conflicts always have them).
        """
        if kind is not None and kind not in KINDS:
            raise InputError(f"unknown conflict kind {kind!r}", f"choose one of {', '.join(KINDS)}")
        key = None
        if measure_query:
            keys = self.find_measures(measure_query)
            if not keys:
                raise NotFoundError(f"no measure matches {measure_query!r}",
                                    "list them with `newsledger measures`")
            key = keys[0]
        first, last = (since.isoformat() if since else None), (until.isoformat() if until else None)
        if tolerance == DEFAULT_TOLERANCE and stories is None and self.kept_conflicts():
            return self.stored_conflicts(measure_key=key, story=story, kind=kind, since=first, until=last,
                                         after=after, limit=limit, offset=offset)
        found = self._computed_conflicts(key, tolerance=tolerance, story=story, stories=stories,
                                         sentences=sentences)
        if stories is None and story is None:
            self._rows(found)  # each names its story as a kept one does
        found = [c for c in found if (kind is None or c.kind == kind)
                 and (first is None or conflict_day(c) >= first)
                 and (last is None or "" < conflict_day(c) <= last)]
        found.sort(key=lambda c: (conflict_day(c), corr.conflict_id(c)), reverse=True)
        if after:
            day, cid = parse_cursor(after)
            found = [c for c in found if (conflict_day(c), corr.conflict_id(c)) < (day, cid)]
        return found[offset:offset + limit] if limit is not None else found[offset:]

    def _computed_conflicts(self, key: str | None, *, tolerance: float, story: int | None,
                            stories: Mapping[int, str] | None, sentences: bool) -> list[Conflict]:
        """Conflicts found from the figures now (the table's rules; any tolerance or story mapping)."""
        inside = self.story_articles(story) if story is not None else None
        if key is not None:
            figs = self.measure_figures(key, lean=True)
        elif inside is not None:
            figs = self.figures(article_ids=sorted(inside))  # only the story's articles
            figs += self._added_figures(self.store.overrides())
        else:
            # Every measure at once: one pass over the figures; find_conflicts groups them by measure.
            figs = self.figures() + self._added_figures(self.store.overrides())
        if inside is not None:
            figs = [f for f in figs if f.article_id in inside]
            stories = {aid: str(story) for aid in inside} if stories is None else stories
        return self.conflicts_among(figs, tolerance=tolerance, stories=stories, sentences=sentences)

    def conflicts_among(self, figs: Iterable[StoredFigure], *, tolerance: float = 0.02,
                        stories: Mapping[int, str] | None = None, sentences: bool = True) -> list[Conflict]:
        """Conflicts between figures already read (as `conflicts` finds them: only comparable counts, one
        incident within one story, parts checked against their wholes, reference series)."""
        points = [to_point(f) for f in figs if f.value is not None]
        if stories is None:
            incident = {p.article_id for p in points if measures_mod.measure_scope(p.measure_key) == "incident"}
            stories = self.story_map(incident)
        points = self.keep_comparable(self.keep_real_parts(points), stories)
        found = find_conflicts(points, tolerance=tolerance, stories=stories)
        found += self.reference_outliers(points, tolerance)
        if sentences:
            self.add_sentences(found)
        return found

    def figures(self, *, source: str | None = None, since: date | None = None, until: date | None = None,
                measure: str | None = None, category: str | None = None,
                limit: int | None = None, offset: int = 0, ids: list[int] | None = None,
                article_ids: list[int] | None = None, added: bool = False,
                after: str | None = None) -> list[StoredFigure]:
        """Stored figures filtered by source, as-of/publication date, measure, category, figure ids and
        article ids; `limit` and `offset` page through them, and `after` (a cursor,
        `cursors.figure_cursor` of a page's last figure) starts the next page after that figure. With
        `added`, the figures people added (known by minus their addition's id, see
        newsledger.ledger.additions) are listed in their place too.

        `source` names a source entity: every way it was written ("health ministry" finds "Hamas-run
        health ministry" and "the health ministry in Gaza"); words of a written form when none is named."""
        filters: dict[str, Any] = dict(source=source, since=since, until=until, measure=measure, category=category,
                                       ids=ids, article_ids=article_ids)
        mark = cursors.parse_figures(after) if after is not None else None
        start = cursors.figure_sort(mark) if mark else None

        def page(figs: list[StoredFigure]) -> list[StoredFigure]:
            def key(f: StoredFigure) -> Any:
                return cursors.figure_sort(cursors.figure_key(f))

            return cursors.page_after(sorted(figs, key=key), key, start, limit, offset)

        # A measure's figures (measure_figures) hold its added ones already.
        extra = self.added_figures(**filters) if added and not measure else []
        if extra:
            # The extracted figures up to the page's end, and the added ones in their place (listing order:
            # as-of, else publication day, undated last; an added figure after extracted ones of its day).
            base = self.figures(**filters, limit=offset + limit if limit else None, after=after)
            return page(sorted(base + extra, key=lambda f: cursors.figure_sort(cursors.figure_key(f))))
        aliases = set(self.source_aliases(source)) if source else set()
        if aliases and measure:
            return page([f for f in self.figures(since=since, until=until, measure=measure, category=category,
                                                 ids=ids, article_ids=article_ids)
                         if f.source and (" ".join(f.source.split()) in aliases
                                          or (source or "").casefold() in f.source.casefold())])
        if measure:
            return page(self._measure_filtered(measure, source, category, since, until, ids, article_ids))
        overrides = self.store.overrides()
        labels = self._labels(overrides) if (overrides.merges or overrides.splits) else {}
        fixes = corr.load(self.store)
        if fixes.touches("figure", ("source", "category", "as_of")) and (source or category or since or until):
            # A corrected source, category or date decides the filter: filter after the corrections apply.
            figs = [fig for fig in self.figures() if (not source or source.casefold() in (fig.source or "").casefold())
                    and (not category or fig.category == category) and _within(fig.as_of or fig.published, since, until)
                    and (ids is None or fig.id in ids) and (article_ids is None or fig.article_id in article_ids)]
            return page(figs)
        with self.store.read() as conn:
            figs = list(q.figures(conn, source=None if aliases else source, since=since, until=until,
                                  category=category, limit=limit, offset=offset, ids=ids, article_ids=article_ids,
                                  sources=sorted(aliases) if aliases else None,
                                  after=cursors.store_figure_after(mark) if mark else None))
        if fixes:  # people's corrections: wrong figures leave, corrected fields are read as corrected
            figs = [fixes.apply("figure", fig) for fig in figs if not fixes.is_wrong("figure", fig.id)]
        if overrides.merges or overrides.splits:
            for i, fig in enumerate(figs):
                eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                if eff != fig.measure_key:
                    figs[i] = dataclasses.replace(fig, measure_key=eff, measure_label=labels.get(eff, eff))
        return figs

    def added_figures(self, *, source: str | None = None, since: date | None = None, until: date | None = None,
                      measure: str | None = None, category: str | None = None, ids: list[int] | None = None,
                      article_ids: list[int] | None = None) -> list[StoredFigure]:
        """Figures people added (not marked wrong), with `figures`' filters, oldest addition first."""
        figs = self._added_figures(self.store.overrides())
        if not figs:
            return []
        key = self._one_measure(measure) if measure else None
        aliases = set(self.source_aliases(source)) if source else set()
        words = (source or "").casefold()
        return [f for f in figs
                if (key is None or f.measure_key == key) and (not category or f.category == category)
                and (not source or (f.source is not None and (" ".join(f.source.split()) in aliases
                                                              or words in f.source.casefold())))
                and (ids is None or f.id in ids) and (article_ids is None or f.article_id in article_ids)
                and _within(f.as_of or f.published, since, until)]

    def _measure_filtered(self, measure: str, source: str | None, category: str | None, since: date | None,
                          until: date | None, ids: list[int] | None, article_ids: list[int] | None
                          ) -> list[StoredFigure]:
        key = self._one_measure(measure)
        return [f for f in self.measure_figures(key)
                if (not source or (f.source and source.casefold() in f.source.casefold()))
                and (not category or f.category == category)
                and (ids is None or f.id in ids) and (article_ids is None or f.article_id in article_ids)
                and _within(f.as_of or f.published, since, until)]


    def events(self, *, type: str | None = None, actor: str | None = None, recipient: str | None = None,
               place: str | None = None, status: str | None = None, since: date | None = None,
               until: date | None = None, undated: bool = False, limit: int | None = None, offset: int = 0,
               after: str | None = None) -> list[StoredEvent]:
        """Stored events, dated ones oldest first (a timeline); undated ones only with `undated`, last;
        `after` (`cursors.event_cursor` of a page's last event) starts the next page after it."""
        with self.store.read() as conn:
            return list(event_queries.events(conn, type=type, actor=actor, recipient=recipient, place=place,
                                             status=status, since=since, until=until, undated=undated,
                                             limit=limit, offset=offset,
                                             after=cursors.parse_events(after) if after is not None else None))

    def count_figures(self, *, source: str | None = None, since: date | None = None,
                      until: date | None = None, measure: str | None = None, category: str | None = None,
                      ids: list[int] | None = None, article_ids: list[int] | None = None,
                      added: bool = False) -> int:
        """How many figures `figures(...)` with the same filters gives without a limit."""
        if added and not measure:  # a measure's figures hold its added ones already
            filters: dict[str, Any] = dict(source=source, since=since, until=until, measure=measure,
                                           category=category, ids=ids, article_ids=article_ids)
            return self.count_figures(**filters) + len(self.added_figures(**filters))
        aliases = set(self.source_aliases(source)) if source else set()
        if measure or aliases:
            return len(self.figures(source=source, since=since, until=until, measure=measure, category=category,
                                    ids=ids, article_ids=article_ids))
        with self.store.read() as conn:
            return q.count_figures(conn, source=source, since=since, until=until, category=category, ids=ids,
                                   article_ids=article_ids)

    def quotes(self, *, speaker: str | None = None, search: str | None = None,
               limit: int | None = None, offset: int = 0, after: str | None = None) -> list[StoredQuote]:
        """Quotes, oldest article first, in text order within one; `after` (`cursors.quote_cursor` of a
        page's last quote) starts the next page after it."""
        _check_search(search, words=False)
        mark = cursors.parse_quotes(after) if after is not None else None
        fixes = corr.load(self.store)
        if speaker and fixes.touches("quote", ("speaker",)):
            # A corrected speaker decides the filter: filter after the corrections apply.
            low = speaker.casefold()
            found = [qt for qt in self.quotes(search=search, after=after)
                     if low in (qt.speaker or "").casefold() or low in (qt.speaker_mention or "").casefold()]
            return found[offset:offset + limit] if limit else found[offset:]
        with self.store.read() as conn:
            found = list(q.quotes(conn, speaker=speaker, search=search, limit=limit, offset=offset, after=mark))
        return [fixes.apply("quote", qt) for qt in found if not fixes.is_wrong("quote", qt.id)] if fixes else found

    def count_quotes(self, *, speaker: str | None = None, search: str | None = None) -> int:
        _check_search(search, words=False)
        with self.store.read() as conn:
            return q.count_quotes(conn, speaker=speaker, search=search)

    def articles(self, *, search: str | None = None, limit: int | None = None,
                 offset: int = 0, before: int | None = None, after: str | None = None) -> list[StoredArticle]:
        """Current articles, newest first (then by id, highest first); with `search`, full-text matches
        (every word), latest stored first, and `before` (an article id) the page after that article;
        `after` (`cursors.article_cursor` of a page's last article) starts the next page after it."""
        _check_search(search)
        if before is not None and not search:
            raise InputError("--before pages a full-text search", "give the search words with --search too")
        mark = cursors.parse_articles(after) if after is not None else None
        if mark is not None and search:
            before = mark[1] if before is None else min(before, mark[1])
            mark = None
        with self.store.read() as conn:
            return list(q.articles(conn, search=search, limit=limit, offset=offset, before=before, after=mark))

    def count_articles(self, *, search: str | None = None) -> int:
        _check_search(search)
        with self.store.read() as conn:
            return q.count_articles(conn, search=search)

    def sentences(self, spans: Iterable[tuple[int, int, int]]) -> list[str]:
        """The sentence around each (article_id, start, end) span: the evidence a record was read from."""
        spans = list(spans)
        with self.store.read() as conn:
            texts = q.article_texts(conn, [s[0] for s in spans])
        return [sentence_around(texts.get(aid, ""), start, end) for aid, start, end in spans]

    def article_texts(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The texts of these articles by id, in one read (those not stored are left out)."""
        with self.store.read() as conn:
            return q.article_texts(conn, sorted(set(article_ids)))

    def article_text(self, article_id: int) -> str:
        with self.store.read() as conn:
            found = q.article_text(conn, article_id)
        if found is None:
            raise NotFoundError(f"no article with id {article_id}")
        return found

    def stats(self) -> dict[str, Any]:
        """Counts of every stored kind, the date span, the backend and the schema version."""
        from newsledger.store.feeds import feed_counts

        with self.store.read() as conn:
            counts = q.counts(conn)
            first, last = q.date_span(conn)
            counts.update(feed_counts(conn))
        path = self.store.path
        return {"database": self.store.display_url, "backend": self.store.backend,
                "schema_version": self.store.schema_version, **counts, **corr.counts(self.store),
                "published_from": first, "published_to": last,
                "size_bytes": path.stat().st_size if path is not None and path.exists() else None}

    def change_state(self) -> int:
        """Committed writes so far: whether anything changed since a reader last looked, in one row read
        (newsledger.store.changes; the web's ETags and page cache are keyed on it)."""
        from newsledger.store import changes

        with self.store.read() as conn:
            return changes.state(conn)

    def diff(self, url: str) -> list[VersionDiff]:
        """What changed in figures and quotes between each stored version of the article at `url`."""
        with self.store.read() as conn:
            versions = list(q.articles(conn, url=url, all_versions=True))
            if not versions:
                raise NotFoundError(f"no stored article has the URL {url}",
                                    "list articles with `newsledger articles`")
            figs = {v.id: _all_figures(conn, v.id) for v in versions}
            quotes = {v.id: list(q.quotes(conn, article_id=v.id, current_only=False)) for v in versions}
        out = []
        for old, new in zip(versions, versions[1:], strict=False):
            fa, fr, fu = _compare(figs[old.id], figs[new.id], _figure_sig)
            qa, qr, qu = _compare(quotes[old.id], quotes[new.id], _quote_sig)
            out.append(VersionDiff(url, old.version, new.version, old.id, new.id, fa, fr, qa, qr, fu, qu))
        return out

    def versions(self, url: str) -> list[StoredArticle]:
        with self.store.read() as conn:
            return list(q.articles(conn, url=url, all_versions=True))

    # -- stories (newsledger.ledger.story_build, story_views) ------------------------------------------------
    def update_stories(self, *, rebuild: bool = False, full: bool = False) -> int:
        """Place new articles in stories (every article again with `rebuild`; reading every article, not
        the placement index, with `full`); returns the story count (or the stories changed)."""
        from newsledger.ledger import story_build

        with self._story_moves():
            return story_build.update(self.store, rebuild=rebuild, full=full)

    def stories(self, *, search: str | None = None, place: str | None = None, since: date | None = None,
                until: date | None = None, after: str | None = None, limit: int | None = None) -> list[Any]:
        """Stories (newsledger.ledger.story_views.StoryView), earliest first (then by id), filtered;
        `after` (`cursors.story_cursor` of a page's last story) starts after it, `limit` cuts."""
        from newsledger.ledger import story_views

        mark = cursors.parse_stories(after) if after is not None else None
        found = story_views.stories(self.store, search=search, place=place, since=since, until=until)
        return cursors.page_after(found, cursors.story_key, mark, limit)

    def story(self, story_id: int) -> Any:
        """One story with its articles, measures and best estimates, series and conflicts."""
        from newsledger.ledger import story_views

        return story_views.story_detail(self, story_id)

    def story_articles(self, story_id: int) -> set[int]:
        from newsledger.ledger import story_views

        return story_views.members(self.store, story_id)

    def merge_stories(self, a: int, b: int) -> int:
        from newsledger.ledger import story_build

        with self._story_moves():
            kept = story_build.merge(self.store, a, b)
        self.refresh_conflicts()
        return kept

    def split_story(self, story_id: int, articles: list[int]) -> int:
        from newsledger.ledger import story_build

        with self._story_moves():
            made = story_build.split(self.store, story_id, articles)
        self.refresh_conflicts()
        return made

    def measure_labels(self) -> dict[str, str]:
        """Every effective measure key with its label (manual merges and splits applied)."""
        return self._labels(self.store.overrides())

    def input_ids(self, article_ids: Iterable[int]) -> dict[int, str | None]:
        """The id each article had in its input (JSONL id, URL or file name), by ledger id."""
        from newsledger.store import stories as sq

        with self.store.read() as conn:
            return sq.input_ids(conn, article_ids)

    # -- manual regrouping -------------------------------------------------------------------------------
    def merge_measures(self, source: str, target: str) -> tuple[str, str]:
        """Read every figure of measure `source` as measure `target` from now on (kept across adds)."""
        src, dst = self._one_measure(source), self._one_measure(target)
        if src == dst:
            raise InputError(f"{source!r} and {target!r} are the same measure ({src})")
        if self.store.overrides().would_cycle(src, dst):
            raise InputError(f"{dst} is already merged into {src}", "undo that first with `unmerge`")
        self.mark_conflicts([src, dst])
        self.store.add_merge(src, dst)
        self.refresh_conflicts()
        return src, dst

    def unmerge(self, source: str) -> int:
        """Undo the merge of the stored measure `source` (a key); returns how many rules went."""
        overrides = self.store.overrides()
        self.mark_conflicts({source, overrides.follow(source)} | overrides.sources_of(source, overrides.merges))
        removed = self.store.remove_merge(source)
        self.refresh_conflicts()
        return removed

    def split_measure(self, measure: str, pattern: str, *, label: str | None = None) -> str:
        """Read figures of `measure` whose counted phrase or text contains `pattern` as a measure of
        their own (kept across adds); returns the new measure's key."""
        key = self._one_measure(measure)
        if not pattern.strip():
            raise InputError("the split pattern is empty", "give the words that pick the figures to split off")
        base = self._labels(self.store.overrides()).get(key, key)
        # The new key keeps the key's layout (category|modifiers|head|place[|scope]) with the pattern as
        # a modifier, so whatever reads the category or scope from a key reads the split one alike.
        parts = key.split("|")
        if len(parts) >= 4:
            parts[1] = " ".join(p for p in (parts[1], pattern.strip().casefold()) if p)
            into = "|".join(parts)
        else:
            into = f"{key}|{pattern.strip().casefold()}"
        self.mark_conflicts([key, into])
        self.store.add_split(key, pattern.strip(), into, label or f"{base} · {pattern.strip()}")
        self.refresh_conflicts()
        return into

    def unsplit(self, into_key: str) -> int:
        """Undo the split that made measure `into_key`: its key, or its label as `split --label` gave it."""
        # Every split's measures are found again after an undo (splits are few; a label may name one).
        splits = self.store.overrides().splits
        self.mark_conflicts({k for sp in splits for k in (sp.from_key, sp.into_key)})
        try:
            return self._unsplit(into_key)
        finally:
            self.refresh_conflicts()

    def _unsplit(self, into_key: str) -> int:
        removed = self.store.remove_split(into_key)
        if removed:
            return removed
        want = " ".join(into_key.split()).casefold()
        splits = self.store.overrides().splits
        for split in splits:
            if want in (" ".join(split.label.split()).casefold(), split.into_key.casefold()):
                return self.store.remove_split(split.into_key)
        made = {split.into_key for split in splits}
        for key in self.find_measures(into_key) if want else []:
            if key in made:
                return self.store.remove_split(key)
        return 0

    # -- people's corrections (newsledger.ledger.corrections) -------------------------------------------
    def correct(self, kind: str, record_id: int, changes: dict[str, Any] | None = None, *,
                wrong: bool | None = None, author: str | None = None,
                note: str | None = None) -> list[corr.Correction]:
        """Correct fields of a figure, quote or event (values as typed strings or typed), or mark it wrong."""
        typed = {name: corr.parse_value(kind, name, raw) for name, raw in (changes or {}).items()}
        made = corr.correct(self.store, kind, record_id, typed, wrong=wrong, author=author, note=note)
        if kind == "figure":
            self._figure_changed(record_id)
        return made

    def _figure_changed(self, figure_id: int) -> None:
        """Find the conflicts of the measures of a corrected figure's article again."""
        rows = self.figures(ids=[figure_id]) if figure_id >= 0 else []
        if rows:
            self.mark_conflicts(articles=[rows[0].article_id])
        else:  # marked wrong, so no longer read: the article it is stored in
            from newsledger.store import conflicts as kept

            with self.store.read() as conn:
                aid = kept.article_of_figure(conn, figure_id)
            if aid is not None:
                self.mark_conflicts(articles=[aid])
        self.refresh_conflicts()

    def corrections(self, *, kind: str | None = None, record_id: int | None = None,
                    limit: int | None = None, offset: int = 0) -> list[corr.Correction]:
        return corr.history(self.store, kind=kind, record_id=record_id, limit=limit, offset=offset)

    def correction_set(self) -> corr.CorrectionSet:
        return corr.load(self.store)

    def dismiss_conflict(self, conflict_id: str, reason: str, *, author: str | None = None) -> corr.Dismissal:
        """Keep the conflict with this id as not real (who, why); it leaves `open_conflicts`."""
        for conflict in self.conflicts():
            if corr.conflict_id(conflict) == conflict_id:
                return corr.dismiss(self.store, conflict, author=author, reason=reason)
        raise NotFoundError(f"no conflict with id {conflict_id}", "list them with `newsledger conflicts`")

    def dismissed_conflicts(self) -> dict[str, corr.Dismissal]:
        return corr.dismissals(self.store)

    def pending_review(self) -> list[tuple[StoredFigure, Conflict]]:
        """Figures in a conflict nobody dismissed that nobody has corrected or marked wrong yet."""
        by_id = {f.id: f for f in self.figures()}
        found = self.conflicts(sentences=False)  # the same conflicts `conflicts` shows (stories, parts)
        return [(by_id[fid], c) for fid, c in corr.pending(found, self.correction_set(), self.dismissed_conflicts())
                if fid in by_id]

    def add_record(self, article_id: int, kind: str, *, start: int | None = None, end: int | None = None,
                   selected: str | None = None, fields: dict[str, Any] | None = None, author: str | None = None,
                   note: str | None = None) -> Any:
        """Add a figure or quote the extractor missed, on words of the article (newsledger.ledger.additions)."""
        from newsledger.ledger import additions

        made = additions.add(self.store, article_id, kind, start=start, end=end, selected=selected,
                             fields=fields, author=author, note=note)
        if kind == "figure":
            self.mark_conflicts(articles=[article_id])
            self.refresh_conflicts()
        return made

    def additions(self, *, article_id: int | None = None, kind: str | None = None, limit: int | None = None,
                  offset: int = 0) -> list[Any]:
        """Records people added, newest first (of one article, in text order, when given)."""
        from newsledger.ledger import additions

        if article_id is not None:
            return additions.of_article(self.store, article_id)
        return additions.listing(self.store, kind=kind, limit=limit, offset=offset)

    def reanchor_corrections(self, article_id: int) -> int:
        """After an article was extracted again outside `add`: point its corrections at its new records."""
        moved = corr.reanchor(self.store, article_id)
        self.mark_conflicts(articles=[article_id])
        self.refresh_conflicts()
        return moved

    # -- one article, for review -------------------------------------------------------------------------
    def article(self, article_id: int) -> StoredArticle:
        with self.store.read() as conn:
            found = q.article(conn, article_id)
        if found is None:
            raise NotFoundError(f"no article with id {article_id}", "list them with `newsledger articles`")
        return found

    def article_records(self, article_id: int, kinds: Iterable[str] = ("figures", "quotes", "entities", "dates",
                                                                       "events")) -> dict[str, list[dict[str, Any]]]:
        """Records of one article by kind (figures, quotes, entities, dates, events), in text order, with
        people's corrections applied and flagged (`corrected`, `wrong`), figures under their measure now."""
        fixes = corr.load(self.store)
        overrides = self.store.overrides()
        with self.store.read() as conn:
            out = {kind: q.article_records(conn, kind, article_id) for kind in kinds}
        for kind in ("figures", "quotes", "events"):
            if kind in out:
                out[kind] = [fixes.apply_row(kind[:-1], row) for row in out[kind]]
        if out.get("figures"):
            for row in out["figures"]:
                row["measure_key"] = overrides.resolve(row["measure_key"], row["counted"], row["text"])
            if overrides.merges or overrides.splits:
                labels = self._labels(overrides)
            else:
                with self.store.read() as conn:
                    labels = q.measure_labels(conn, sorted({row["measure_key"] for row in out["figures"]}))
            for row in out["figures"]:
                row["measure_label"] = labels.get(row["measure_key"], row["measure_key"])
        return out

    def record(self, kind: str, record_id: int) -> dict[str, Any]:
        """One figure, quote or event by id, as `article_records` gives it (with `article_id`)."""
        if kind not in corr.KINDS:
            raise InputError(f"no record kind {kind!r}", f"choose one of {', '.join(corr.KINDS)}")
        if record_id < 0 and kind in ("figure", "quote"):  # a person's addition, by minus its id
            from newsledger.ledger import additions

            return additions.one(self.store, kind, -record_id).record() | {"id": record_id, "addition": -record_id}
        with self.store.read() as conn:
            article_id = q.record_article(conn, kind + "s", record_id)
        if article_id is None:
            raise NotFoundError(f"no {kind} with id {record_id}")
        rows = self.article_records(article_id, (kind + "s",))[kind + "s"]
        return next(r for r in rows if r["id"] == record_id)

    def add_article(self, source: str | Article, *, published: date | None = None) -> tuple[str, int]:
        """Add one article (an Article, or a URL read through the fetch guard): ("added"|"version"|
        "duplicate", its article id). Raises the input's reason when it yields no article."""
        from newsledger.errors import FetchError

        items = list(self._read([source], published, None, False))
        articles = [item for item in items if isinstance(item, Article)]
        if not articles:
            reason = next((item.reason for item in items if isinstance(item, Rejected)), "no article found")
            error = FetchError if isinstance(source, str) and "://" in source else InputError
            raise error(reason)
        article = articles[0]
        dup = self.store.duplicate_of(article)
        if dup is not None:
            return "duplicate", dup.article_id
        report = self.add_extractions(self._extract(iter([article])))
        if report.failed:
            raise InputError(report.failed[0][1])
        stored = self.store.duplicate_of(article)
        if stored is None:
            raise InputError("the article was not stored")
        return ("version" if report.versions else "added"), stored.article_id

    # -- export ------------------------------------------------------------------------------------------
    def export(self, kind: str, format: str, path: str | os.PathLike[str]) -> int:
        """Write every stored record of `kind` to `path` as jsonl, csv or parquet; returns the row count."""
        if kind not in EXPORT_KINDS:
            raise InputError(f"cannot export {kind!r}", f"choose one of {', '.join(EXPORT_KINDS)}")
        if format not in EXPORT_FORMATS:
            raise InputError(f"unknown export format {format!r}", f"choose one of {', '.join(EXPORT_FORMATS)}")
        from newsledger.ledger.export import write_rows

        return write_rows(self.export_rows(kind), format, Path(path))

    def export_rows(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every stored row of `kind`, streamed; figures carry their measure after merges and splits."""
        from newsledger.ledger import additions

        fixes = corr.load(self.store)  # exported rows carry people's corrections, flagged
        keys: list[str] = []
        if kind == "figures":
            overrides = self.store.overrides()
            labels = self._labels(overrides)
            with self.store.read() as conn:
                for fig in q.figures(conn, stream=True):
                    row = dataclasses.asdict(fig)
                    eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                    if eff != fig.measure_key:
                        row["measure_key"], row["measure_label"] = eff, labels.get(eff, eff)
                    yield fixes.apply_row("figure", row)
                    keys = keys or list(row)
            yield from additions.export_rows(self.store, kind, keys)  # people's additions, flagged `added`
            return
        with self.store.read() as conn:
            for row in q.rows(conn, kind):
                yield fixes.apply_row(kind[:-1], row) if kind in ("quotes", "events") else row
                keys = keys or list(row)
        yield from additions.export_rows(self.store, kind, keys)


def to_point(fig: StoredFigure) -> Point:
    """The conflicts module's Point for a stored figure (as-of date, else the publication day)."""
    day = fig.as_of or fig.published
    return Point(figure_id=fig.id, article_id=fig.article_id, measure_key=fig.measure_key,
                 category=fig.category, value=fig.value if fig.value is not None else math.nan,
                 value_max=fig.value_max, qualifier=fig.qualifier,
                 as_of=day.isoformat() if day else None, source=fig.source, outlet=fig.outlet,
                 whole_value=fig.whole_value, whole_figure_id=fig.whole_figure_id, period=fig.period,
                 start=fig.span_start, end=fig.span_end)


# Full-text search takes at most this many words (a longer query is slow and no better); quote search
# looks for one phrase of at most this many characters.
MAX_SEARCH_WORDS = 32
MAX_SEARCH_CHARS = 500


def _check_search(search: str | None, words: bool = True) -> None:
    if not search:
        return
    if len(search) > MAX_SEARCH_CHARS:
        raise InputError(f"the search text has {len(search):,} characters, more than {MAX_SEARCH_CHARS}",
                         "search for a few distinctive words")
    if words and len(search.split()) > MAX_SEARCH_WORDS:
        raise InputError(f"the search has {len(search.split())} words, more than {MAX_SEARCH_WORDS}",
                         "search for a few distinctive words")


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> str:
    """The sentence (or line) holding text[start:end], on one line, at most about `limit` characters."""
    if not text:
        return ""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start),
               text.rfind("\n", 0, start))
    left = 0 if left < 0 else left + 1
    right_candidates = [i for i in (text.find(". ", end), text.find("? ", end), text.find("! ", end),
                                    text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    left, right = max(left, start - limit // 2), min(right, end + limit // 2)
    out = " ".join(text[left:right].split())
    return ("…" if left > 0 and text[left - 1] not in "\n .?!" else "") + out


def _windows(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`items` in lists of `size` (the last may be shorter)."""
    window: list[Any] = []
    for item in items:
        window.append(item)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def _where(article: Article) -> str:
    return article.url or article.id or "article"


def _within(day: date | None, since: date | None, until: date | None) -> bool:
    if since is None and until is None:
        return True
    if day is None:
        return False
    return (since is None or day >= since) and (until is None or day <= until)


def _all_figures(conn: Any, article_id: int) -> list[StoredFigure]:
    return list(q.figures(conn, article_id=article_id, current_only=False))


def _figure_sig(fig: StoredFigure) -> tuple[Any, ...]:
    return (fig.text, fig.value, fig.value_max, fig.qualifier, fig.counted, fig.category, fig.source,
            fig.as_of)


def _quote_sig(quote: StoredQuote) -> tuple[Any, ...]:
    return (" ".join(quote.content.split()), quote.speaker, quote.kind)


def _compare(old: list[Any], new: list[Any], sig: Callable[[Any], tuple[Any, ...]]
             ) -> tuple[list[Any], list[Any], int]:
    """(added, removed, unchanged count), matching records one to one by signature."""
    pool: dict[tuple[Any, ...], int] = {}
    for item in old:
        pool[sig(item)] = pool.get(sig(item), 0) + 1
    added = []
    for item in new:
        s = sig(item)
        if pool.get(s, 0) > 0:
            pool[s] -= 1
        else:
            added.append(item)
    remaining = dict(pool)
    removed = []
    for item in old:
        s = sig(item)
        if remaining.get(s, 0) > 0:
            remaining[s] -= 1
            removed.append(item)
    unchanged = len(new) - len(added)
    return added, removed, unchanged


__all__ = ["AddReport", "Ledger", "MeasureInfo", "NewsledgerError", "Series", "VersionDiff", "to_point"]
