"""The Ledger's questions about measures beyond their series: sources as entities, reference series, best
estimates, regrouping stored figures, and the evidence behind conflicts (mixed into `Ledger`)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger import measures as measures_mod
from newsledger.ledger.conflicts import (
    Conflict,
    Point,
    comparable,
    cues,
    detail_cue,
    interval,
    own_cues,
    part_inside,
    place_in_lead,
)
from newsledger.ledger.estimates import Estimate, best_estimate
from newsledger.ledger.reference import RefValue, as_rows, outliers, read_reference
from newsledger.ledger.sources import Source, label_for, matches, source_name
from newsledger.store import references as refs_store
from newsledger.store import sources as src_store
from newsledger.store import stories as story_store
from newsledger.store.writer import alias_of, write_sources

if TYPE_CHECKING:
    from collections.abc import Iterator

    from newsledger.store import Overrides, Store, StoredFigure


@dataclass
class RegroupReport:
    """What `regroup` changed: figures read again, measures before and after, figures that moved."""

    figures: int = 0
    moved: int = 0
    measures_before: int = 0
    measures_after: int = 0


class AnalysisMixin:
    """Sources, references, best estimates and regrouping; needs the Ledger's `store` and measure look-ups."""

    if TYPE_CHECKING:
        @property
        def store(self) -> Store: ...

        def _one_measure(self, query: str) -> str: ...

        def measure_figures(self, key: str, *, lean: bool = False) -> list[StoredFigure]: ...

        def _figures_of(self, stored_keys: set[str], overrides: Overrides, targets: set[str] | None = None,
                        lean: bool = False) -> Iterator[StoredFigure]: ...

        def mark_conflicts(self, keys: Iterable[str] = (), articles: Iterable[int] = ()) -> None: ...

        def mark_all_conflicts(self) -> None: ...

        def refresh_conflicts(self) -> int: ...

    # -- regrouping ---------------------------------------------------------------------------------------
    def regroup(self, progress: Callable[[int], None] | None = None) -> RegroupReport:
        """Group every stored figure into measures again with the current rules, without re-extracting.

        Reads each article's text, entities and figures back from the database; merges and splits by hand
        refer to keys and stay. Sources are recorded for figures whose source was not yet known.
        """
        report = RegroupReport()
        labels: dict[str, str] = {}
        updates: list[dict[str, Any]] = []
        pairs: list[tuple[str | None, str | None]] = []
        before: set[str] = set()
        with self.store.read() as conn:
            for _aid, text, published, ents, figs in src_store.articles_with_figures(conn):
                for fid, fig in figs:
                    m = measures_mod.measure_for(fig, ents, text, published=published)
                    labels.setdefault(m.key, m.label)
                    updates.append({"id": fid, "key": m.key, "explanation": m.explanation, "period": m.period})
                    pairs.append((fig.source, source_name(fig.source)))
                    report.figures += 1
                if progress is not None:
                    progress(report.figures)
            from sqlalchemy import select

            from newsledger.store import schema

            old = dict(conn.execute(select(schema.figures.c.id, schema.figures.c.measure_key)).all())
        before = {old[u["id"]] for u in updates if u["id"] in old}
        report.moved = sum(1 for u in updates if old.get(u["id"]) != u["key"])
        report.measures_before, report.measures_after = len(before), len(labels)
        self.mark_all_conflicts()  # every figure may change measure
        with self.store.write() as conn:
            for i in range(0, len(updates), 5000):
                src_store.update_figures(conn, updates[i:i + 5000])
            src_store.replace_measures(conn, labels)
            for i in range(0, len(pairs), 5000):
                write_sources(conn, pairs[i:i + 5000])
        self.refresh_conflicts()
        return report

    # -- sources ------------------------------------------------------------------------------------------
    def sources(self, query: str | None = None, *, after: str | None = None,
                limit: int | None = None) -> list[Source]:
        """Sources with every way they were written and their figure counts, most figures first (then by
        name); `after` (`cursors.source_cursor` of a page's last source) starts after it, `limit` cuts."""
        from newsledger.ledger import cursors

        mark = cursors.parse_sources(after) if after is not None else None
        return cursors.page_after(self._sources(query), cursors.source_key, mark, limit)

    def _sources(self, query: str | None) -> list[Source]:
        with self.store.read() as conn:
            aliases = src_store.aliases(conn)
            counts = src_store.written_counts(conn)
        written: dict[str, Counter[str]] = defaultdict(Counter)
        for alias, n in counts.items():
            name = aliases.get(alias) or source_name(alias)
            if name:
                written[name][alias] += n
        out = [Source(name, label_for(ws, name), sorted(ws, key=lambda a: (-ws[a], a)), sum(ws.values()))
               for name, ws in written.items()]
        if query:
            out = [s for s in out if matches(query, s.name, s.aliases)]
        return sorted(out, key=lambda s: (-s.figures, s.name))

    def source_aliases(self, query: str) -> list[str]:
        """Every written form of the sources a user's words name ("health ministry" -> its 4 spellings)."""
        found = self._sources(query)
        exact = [s for s in found if s.name == source_name(query)]
        return [a for s in (exact or found) for a in s.aliases]

    def merge_sources(self, source: str, target: str) -> tuple[str, str]:
        """Read every alias of one source as another's (kept across adds: known aliases keep their source)."""
        a, b = self._one_source(source), self._one_source(target)
        if a == b:
            raise InputError(f"{source!r} and {target!r} are the same source ({a})")
        with self.store.write() as conn:
            have = src_store.aliases(conn)
            counts = src_store.written_counts(conn)
            missing = [(w, a) for w in counts if w not in have and source_name(w) == a]
            write_sources(conn, missing)
            src_store.move_aliases(conn, a, b)
        return a, b

    def _one_source(self, query: str) -> str:
        found = self.sources(query)
        if not found:
            raise NotFoundError(f"no source matches {query!r}", "list them with `newsledger sources`")
        exact = [s for s in found if s.name == source_name(query)]
        return (exact or found)[0].name

    # -- reference series ---------------------------------------------------------------------------------
    def add_reference(self, path: str | Path, place: str | None = None) -> tuple[str, int]:
        """Load an authoritative daily series (a JSON array of reports) as a source of its own."""
        p = Path(path)
        name, where, values, labels = read_reference(p, place)
        with self.store.read() as conn:
            before = refs_store.reference_keys(conn)  # a series loaded again may have lost measures
        self.mark_conflicts(set(labels) | before)
        with self.store.write() as conn:
            n = refs_store.replace_reference(conn, name, str(p), where, as_rows(values))
            refs_store.ensure_measures(conn, labels)
        self.refresh_conflicts()
        return name, n

    def references(self) -> list[dict[str, Any]]:
        with self.store.read() as conn:
            return refs_store.references(conn)

    def reference_values(self, keys: Iterable[str] | None = None) -> list[RefValue]:
        with self.store.read() as conn:
            rows = refs_store.values(conn, None if keys is None else sorted(set(keys)))
        return [RefValue(r, k, f, d, v) for r, k, f, d, v in rows]

    # -- best estimates -----------------------------------------------------------------------------------
    def best_estimate(self, measure_query: str) -> Estimate | None:
        """The best estimate of the measure the words name (see newsledger.ledger.estimates)."""
        from newsledger.ledger.core import to_point

        key = self._one_measure(measure_query)
        return best_estimate(to_point(f) for f in self.measure_figures(key, lean=True) if f.value is not None)

    def best_estimates(self, keys: Iterable[str]) -> dict[str, Estimate]:
        """Best estimates of several measures (keys after merges and splits), read in one pass."""
        from newsledger.ledger.core import to_point

        wanted = set(keys)
        overrides = self.store.overrides()
        stored: set[str] = set()
        for k in wanted:
            stored |= overrides.sources_of(k, overrides.merges)
        pts: dict[str, list[Point]] = defaultdict(list)
        for fig in self._figures_of(stored, overrides, wanted, lean=True):
            if fig.value is not None:
                pts[fig.measure_key].append(to_point(fig))
        out = {}
        for k, ps in pts.items():
            est = best_estimate(ps)
            if est is not None:
                out[k] = est
        return out

    # -- evidence for conflicts ---------------------------------------------------------------------------
    def keep_real_parts(self, points: list[Point]) -> list[Point]:
        """The points, with a part/whole link dropped where the part is not really inside its whole."""
        suspects = [p for p in points if p.whole_value is not None and p.whole_figure_id is not None
                    and interval(p)[0] > p.whole_value]
        if not suspects:
            return points
        with self.store.read() as conn:
            facts = src_store.figure_facts(conn, [p.figure_id for p in suspects]
                                           + [int(p.whole_figure_id or 0) for p in suspects])
            texts = src_store.article_texts(conn, [p.article_id for p in suspects])
        bad: set[int] = set()
        for p in suspects:
            part, whole = facts.get(p.figure_id), facts.get(int(p.whole_figure_id or 0))
            text = texts.get(p.article_id)
            heads = ((part[4].split("|") + ["", "", ""])[2], (whole[4].split("|") + ["", "", ""])[2]) \
                if part is not None and whole is not None else None
            if part is None or whole is None or text is None or not part_inside(
                    text, (part[1], part[2], part[3]), (whole[1], whole[2], whole[3]), heads):
                bad.add(p.figure_id)
        return [dataclasses.replace(p, whole_value=None, whole_figure_id=None) if p.figure_id in bad else p
                for p in points]

    def keep_comparable(self, points: list[Point], stories: Mapping[int, str] | None) -> list[Point]:
        """The points without the victim counts of an incident that are no report's count of the whole.

        Only counts that would be compared are read: an incident measure's figures in a story that two
        articles give. A figure is left out when its clause marks a part or someone else (see
        `conflicts.detail_cue`: "two were airlifted", "two men charged") or when its place is not named in
        its article's lead (a background mention of another city's shooting).
        """
        if stories is None:
            return points
        victims = cues()["victim_categories"]
        groups: dict[tuple[str, str], list[Point]] = defaultdict(list)
        read: dict[str, bool] = {}  # measure key -> whether its figures are read
        for p in points:
            key = p.measure_key
            if key not in read:
                read[key] = key.split("|")[0] in victims and measures_mod.measure_scope(key) == "incident" \
                    and comparable(key)
            if read[key] and p.article_id in stories:
                groups[(key, str(stories[p.article_id]))].append(p)
        by_article: dict[tuple[str, str], dict[int, list[Point]]] = {}
        for gkey, group in groups.items():
            arts: dict[int, list[Point]] = defaultdict(list)
            for p in group:
                arts[p.article_id].append(p)
            if len(arts) > 1:
                by_article[gkey] = arts
        if not by_article:
            return points
        wanted = {aid for arts in by_article.values() for aid in arts}
        with self.store.read() as conn:
            texts = src_store.article_texts(conn, wanted)
            titles = src_store.article_titles(conn, wanted)
        drop: set[int] = set()
        for (key, _), arts in by_article.items():
            place = (key.split("|") + ["", "", "", ""])[3]
            # The place is the story's when one of its reports names it in a title or in its lead.
            named = any(place in titles.get(a, "").lower() or place_in_lead(texts.get(a, ""), place) for a in arts)
            own = own_cues(key)
            for aid, pts in arts.items():
                text = texts.get(aid)
                if text is None:
                    continue
                if not (named or place_in_lead(text, place)):
                    drop.update(p.figure_id for p in pts)
                    continue
                # Only an article's first count is compared: leading details are dropped until one is its own.
                for p in sorted(pts, key=lambda p: p.figure_id):
                    if p.start is None or p.end is None or not detail_cue(text, p.start, p.end, (p.as_of or "")[:4], own):
                        break
                    drop.add(p.figure_id)
        return [p for p in points if p.figure_id not in drop]

    def story_map(self, article_ids: Iterable[int]) -> dict[int, str] | None:
        """article id -> story id (as text) for these articles, from the stored stories; None when no
        story was built yet (`newsledger stories` builds them)."""
        with self.store.read() as conn:
            found = story_store.story_of_articles(conn, article_ids)
        return {a: str(s) for a, s in found.items()} if found else None

    def add_sentences(self, conflicts: list[Conflict]) -> None:
        """Fill each conflict's `sentences`: the sentence each of its figures was read from."""
        ids = [p.figure_id for c in conflicts for p in c.points if p.figure_id >= 0]
        # A figure a person added (negative id, a real article) carries its own span.
        added = {p.figure_id: (p.article_id, p.start or 0, p.end or 0) for c in conflicts for p in c.points
                 if p.figure_id < 0 <= p.article_id and p.start is not None and p.end is not None}
        if not ids and not added:
            return
        with self.store.read() as conn:
            facts: dict[int, tuple[int, int, int]] = {fid: f[:3] for fid, f in
                                                      src_store.figure_facts(conn, ids).items()} if ids else {}
            facts.update(added)
            texts = src_store.article_texts(conn, [f[0] for f in facts.values()])
        for c in conflicts:
            c.sentences = []
            for p in c.points:
                fact = facts.get(p.figure_id) if p.article_id >= 0 else None
                if fact is None or fact[0] not in texts:
                    c.sentences.append(f"({p.source or 'reference'}: {p.value:g} for {p.as_of})")
                else:
                    c.sentences.append(measures_mod.sentence_around(texts[fact[0]], fact[1], fact[2]))

    def reference_outliers(self, points: list[Point], tolerance: float = 0.02) -> list[Conflict]:
        keys = {p.measure_key for p in points}
        with self.store.read() as conn:
            have = refs_store.reference_keys(conn)
        if not keys & have:
            return []
        return outliers(points, self.reference_values(keys & have), tolerance)


def alias_key(written: str) -> str:
    return alias_of(written)
