"""The Ledger: the one place the pipeline meets the store; adds articles and answers questions about them."""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsledger.errors import InputError, NewsledgerError, NotFoundError
from newsledger.ledger import measures as measures_mod
from newsledger.ledger.analysis import AnalysisMixin
from newsledger.ledger.conflicts import Conflict, Point, find_conflicts
from newsledger.ledger.sources import source_name
from newsledger.model import Article, Extraction, Rejected
from newsledger.store import MeasureRow, Overrides, Store, StoredArticle, StoredFigure, StoredQuote
from newsledger.store import queries as q

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

    @property
    def seen(self) -> int:
        return self.added + self.versions + self.skipped + len(self.failed)


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


class Ledger(AnalysisMixin):
    """A ledger database plus the pipeline that fills it. `Ledger(db)` opens (and migrates) `db`."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, pipeline: Any = None,
                 model: str | None = None, jobs: int = 1, batch_size: int | None = None,
                 must_exist: bool = False) -> None:
        self.store = Store(db, must_exist=must_exist)
        self._pipeline = pipeline
        self.model = model
        self.jobs = jobs
        self.batch_size = batch_size

    def close(self) -> None:
        self.store.close()

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
        report = AddReport()

        def note(where: str) -> None:
            if progress is not None:
                progress(report, where)

        def fresh() -> Iterator[Article | Rejected]:
            for item in self._read(sources, published, encoding, allow_private):
                if isinstance(item, Article) and item.text and item.text.strip():
                    dup = self.store.duplicate_of(item)
                    if dup is not None:
                        report.skipped += 1
                        note(_where(item))
                        continue
                yield item

        return self.add_extractions(self._extract(fresh()), progress=progress, report=report)

    def add_extractions(self, results: Iterable[Extraction | Rejected], *, progress: Progress | None = None,
                        report: AddReport | None = None) -> AddReport:
        """Store extractions made elsewhere (e.g. `newsledger extract` output), each in one transaction."""
        report = report if report is not None else AddReport()

        def note(where: str) -> None:
            if progress is not None:
                progress(report, where)

        for result in results:
            if isinstance(result, Rejected):
                report.failed.append((result.where, result.reason))
                note(result.where)
                continue
            stored = self.store.add(result, self._measures(result))
            if stored.status == "duplicate":
                report.skipped += 1
            else:
                report.added += stored.status == "added"
                report.versions += stored.status == "version"
                report.figures += len(result.figures)
                report.quotes += len(result.quotes)
            note(_where(result.article))
        return report

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
        return labels

    def measures(self, query: str | None = None) -> list[MeasureInfo]:
        """Measures (after manual merges and splits) with their figure counts, most figures first."""
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
        keys = self.find_measures(query, labels) if query else list(totals)
        merged: dict[str, list[str]] = {}
        for src in overrides.merges:
            merged.setdefault(overrides.follow(src), []).append(src)
        out = [MeasureInfo(k, labels.get(k, k), totals.get(k, 0), sorted(merged.get(k, []))) for k in keys]
        return sorted(out, key=lambda m: (-m.figures, m.key)) if not query else out

    def find_measures(self, query: str, labels: dict[str, str] | None = None) -> list[str]:
        """Effective measure keys a user's words name: an exact key or label first, else a word match."""
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
                    lean: bool = False) -> Iterator[StoredFigure]:
        """Figures stored under `stored_keys`, with measure_key set to the effective one (filtered)."""
        if not stored_keys:
            return
        with self.store.read() as conn:
            for fig in q.figures(conn, measure_keys=sorted(stored_keys), lean=lean):
                eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                if targets is None or eff in targets:
                    if eff != fig.measure_key:
                        fig = dataclasses.replace(fig, measure_key=eff, measure_label=None)
                    yield fig

    def measure_figures(self, key: str, *, lean: bool = False) -> list[StoredFigure]:
        """Every figure read as measure `key` (manual merges and splits applied), oldest as-of first.

        `lean` leaves out the grouping explanation, title and input id (faster for long series)."""
        overrides = self.store.overrides()
        stored_keys = overrides.sources_of(key, overrides.merges)
        label = self._labels(overrides).get(key, key)
        figs = list(self._figures_of(stored_keys, overrides, {key}, lean=lean))
        for fig in figs:
            fig.measure_label = label
        return figs

    # -- questions ---------------------------------------------------------------------------------------
    def series(self, measure_query: str, *, all_matches: bool = False) -> list[Series]:
        """The figures over time of the measure(s) the query names (the best match, or all matches)."""
        keys = self.find_measures(measure_query)
        if not keys:
            raise NotFoundError(f"no measure matches {measure_query!r}",
                                "list them with `newsledger measures`")
        labels = self._labels(self.store.overrides())
        chosen = keys if all_matches else keys[:1]
        return [Series(k, labels.get(k, k), self.measure_figures(k, lean=True)) for k in chosen]

    def conflicts(self, measure_query: str | None = None, *, tolerance: float = 0.02,
                  stories: Mapping[int, str] | None = None, sentences: bool = True) -> list[Conflict]:
        """Conflicts (see newsledger.ledger.conflicts) within the named measure, or within every measure.

        `stories` maps article ids to story ids: figures are then compared only within one story. Figures
        outside a loaded reference series are flagged too (kind "reference"); `sentences` fills each
        conflict's sentences from the article texts.
        """
        if measure_query:
            keys = self.find_measures(measure_query)
            if not keys:
                raise NotFoundError(f"no measure matches {measure_query!r}",
                                    "list them with `newsledger measures`")
            figs = self.measure_figures(keys[0], lean=True)
        else:
            # Every measure at once: one pass over the figures; find_conflicts groups them by measure.
            figs = self.figures()
        points = self.keep_real_parts([to_point(f) for f in figs if f.value is not None])
        found = find_conflicts(points, tolerance=tolerance, stories=stories)
        found += self.reference_outliers(points, tolerance)
        if sentences:
            self.add_sentences(found)
        return found

    def figures(self, *, source: str | None = None, since: date | None = None, until: date | None = None,
                measure: str | None = None, category: str | None = None,
                limit: int | None = None) -> list[StoredFigure]:
        """Stored figures filtered by source, as-of/publication date, measure, category.

        `source` names a source entity: every way it was written ("health ministry" finds "Hamas-run
        health ministry" and "the health ministry in Gaza"); words of a written form when none is named."""
        aliases = set(self.source_aliases(source)) if source else set()
        if aliases and measure:
            figs = [f for f in self.figures(since=since, until=until, measure=measure, category=category)
                    if f.source and " ".join(f.source.split()) in aliases]
            return figs[:limit] if limit else figs
        if measure:
            key = self._one_measure(measure)
            figs = [f for f in self.measure_figures(key)
                    if (not source or (f.source and source.casefold() in f.source.casefold()))
                    and (not category or f.category == category)
                    and _within(f.as_of or f.published, since, until)]
            return figs[:limit] if limit else figs
        overrides = self.store.overrides()
        labels = self._labels(overrides) if (overrides.merges or overrides.splits) else {}
        with self.store.read() as conn:
            figs = list(q.figures(conn, source=None if aliases else source, since=since, until=until,
                                  category=category, limit=limit, sources=sorted(aliases) if aliases else None))
        if overrides.merges or overrides.splits:
            for i, fig in enumerate(figs):
                eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                if eff != fig.measure_key:
                    figs[i] = dataclasses.replace(fig, measure_key=eff, measure_label=labels.get(eff, eff))
        return figs

    def quotes(self, *, speaker: str | None = None, search: str | None = None,
               limit: int | None = None) -> list[StoredQuote]:
        with self.store.read() as conn:
            return list(q.quotes(conn, speaker=speaker, search=search, limit=limit))

    def articles(self, *, search: str | None = None, limit: int | None = None) -> list[StoredArticle]:
        """Current articles, newest first; with `search`, full-text matches (every word), best first."""
        with self.store.read() as conn:
            return list(q.articles(conn, search=search, limit=limit))

    def article_text(self, article_id: int) -> str:
        with self.store.read() as conn:
            found = q.article_text(conn, article_id)
        if found is None:
            raise NotFoundError(f"no article with id {article_id}")
        return found

    def stats(self) -> dict[str, Any]:
        """Counts of every stored kind, the date span, the backend and the schema version."""
        with self.store.read() as conn:
            counts = q.counts(conn)
            first, last = q.date_span(conn)
        path = self.store.path
        return {"database": self.store.display_url, "backend": self.store.backend,
                "schema_version": self.store.schema_version, **counts,
                "published_from": first, "published_to": last,
                "size_bytes": path.stat().st_size if path is not None and path.exists() else None}

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

    # -- manual regrouping -------------------------------------------------------------------------------
    def merge_measures(self, source: str, target: str) -> tuple[str, str]:
        """Read every figure of measure `source` as measure `target` from now on (kept across adds)."""
        src, dst = self._one_measure(source), self._one_measure(target)
        if src == dst:
            raise InputError(f"{source!r} and {target!r} are the same measure ({src})")
        if self.store.overrides().would_cycle(src, dst):
            raise InputError(f"{dst} is already merged into {src}", "undo that first with `unmerge`")
        self.store.add_merge(src, dst)
        return src, dst

    def unmerge(self, source: str) -> int:
        """Undo the merge of the stored measure `source` (a key); returns how many rules went."""
        return self.store.remove_merge(source)

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
        self.store.add_split(key, pattern.strip(), into, label or f"{base} · {pattern.strip()}")
        return into

    def unsplit(self, into_key: str) -> int:
        return self.store.remove_split(into_key)

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
        if kind == "figures":
            overrides = self.store.overrides()
            labels = self._labels(overrides)
            with self.store.read() as conn:
                for fig in q.figures(conn, stream=True):
                    row = dataclasses.asdict(fig)
                    eff = overrides.resolve(fig.measure_key, fig.counted, fig.text)
                    if eff != fig.measure_key:
                        row["measure_key"], row["measure_label"] = eff, labels.get(eff, eff)
                    yield row
            return
        with self.store.read() as conn:
            yield from q.rows(conn, kind)


def to_point(fig: StoredFigure) -> Point:
    """The conflicts module's Point for a stored figure (as-of date, else the publication day)."""
    day = fig.as_of or fig.published
    return Point(figure_id=fig.id, article_id=fig.article_id, measure_key=fig.measure_key,
                 category=fig.category, value=fig.value if fig.value is not None else math.nan,
                 value_max=fig.value_max, qualifier=fig.qualifier,
                 as_of=day.isoformat() if day else None, source=fig.source, outlet=fig.outlet,
                 whole_value=fig.whole_value, whole_figure_id=fig.whole_figure_id, period=fig.period,
                 start=fig.span_start)


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
