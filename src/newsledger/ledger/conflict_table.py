"""Conflicts kept as figures arrive: the conflicts table, refreshed measure by measure (mixed into `Ledger`).

Whatever can change a measure's conflicts first marks the measure pending (an article added or replaced by
a new version, a merge or split of measures or stories, a correction, an added figure, a reference series),
then the Ledger finds the conflicts of the pending measures again, with the same rules as a full pass, and
replaces their rows. A listing reads the table: newest first, filtered, in keyset pages. Dismissals stay
in their own table (newsledger.ledger.corrections), keyed by conflict id, so they survive a refresh.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from newsledger.errors import InputError
from newsledger.ledger.conflicts import Conflict, Point
from newsledger.store import conflicts as table
from newsledger.store import stories as story_store

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import date

    from newsledger.store import Overrides, Store, StoredFigure

DEFAULT_TOLERANCE = 0.02  # the tolerance the table is kept at; another one is computed per query


def conflict_day(conflict: Conflict) -> str:
    """The latest as-of day of a conflict's figures ('' when none): what listings sort and page by."""
    return max((p.as_of[:10] for p in conflict.points if p.as_of), default="")


def cursor(conflict: Conflict) -> str:
    """Where a page ended: pass it as `after` to read the next page."""
    from newsledger.ledger.corrections import conflict_id

    return f"{conflict_day(conflict)}|{conflict_id(conflict)}"


def parse_cursor(after: str) -> tuple[str, str]:
    day, sep, cid = after.partition("|")
    if not sep or not cid or (day and len(day) != 10):
        raise InputError(f"{after!r} is not a conflicts cursor", "pass the cursor a page of conflicts ended with")
    return day, cid


def to_row(conflict: Conflict, story: str | None) -> table.ConflictRow:
    from newsledger.ledger.corrections import conflict_id

    return table.ConflictRow(
        conflict_id(conflict), conflict.kind, conflict.measure_key, story, conflict_day(conflict), conflict.reason,
        json.dumps(sorted(p.figure_id for p in conflict.points)),
        json.dumps([dataclasses.asdict(p) for p in conflict.points]), json.dumps(conflict.sentences))


def from_row(row: table.ConflictRow) -> Conflict:
    points = [Point(**p) for p in json.loads(row.points)]
    return Conflict(row.kind, row.measure_key, points, row.reason, json.loads(row.sentences), row.story)


class ConflictTableMixin:
    """Keeps the conflicts table; needs the Ledger's `store`, figure readers and `conflicts_among`."""

    if TYPE_CHECKING:
        _read_only: bool

        @property
        def store(self) -> Store: ...

        def figures(self, *, source: str | None = None, since: date | None = None, until: date | None = None,
                    measure: str | None = None, category: str | None = None,
                    limit: int | None = None, offset: int = 0, ids: list[int] | None = None,
                    article_ids: list[int] | None = None) -> list[StoredFigure]: ...

        def _added_figures(self, overrides: Overrides) -> list[StoredFigure]: ...

        def _figures_of(self, stored_keys: set[str], overrides: Overrides, targets: set[str] | None = None,
                        lean: bool = False) -> Iterator[StoredFigure]: ...

        def _one_measure(self, query: str) -> str: ...

        def conflicts(self, measure_query: str | None = None, *, tolerance: float = 0.02,
                      story: int | None = None, stories: Mapping[int, str] | None = None,
                      sentences: bool = True, kind: str | None = None, since: date | None = None,
                      until: date | None = None, limit: int | None = None, offset: int = 0,
                      after: str | None = None) -> list[Conflict]: ...

        def conflicts_among(self, figs: Iterable[StoredFigure], *, tolerance: float = 0.02,
                            stories: Mapping[int, str] | None = None, sentences: bool = True) -> list[Conflict]: ...

    # -- marking what changed -----------------------------------------------------------------------------
    def mark_conflicts(self, keys: Iterable[str] = (), articles: Iterable[int] = (),
                       overrides: Overrides | None = None) -> None:
        """Mark measures (keys, stored or effective) and every measure of these articles' figures pending."""
        want = self.conflict_keys(keys, articles, overrides)
        if want:
            with self.store.write() as conn:
                table.mark(conn, want)
            self._remember_marks(want)

    def conflict_keys(self, keys: Iterable[str] = (), articles: Iterable[int] = (),
                      overrides: Overrides | None = None) -> set[str]:
        """What `mark_conflicts` marks: the keys, the measures of these articles' figures, where they lead."""
        want = set(keys)
        ids = set(articles)
        overrides = overrides or self.store.overrides()
        if ids:
            with self.store.read() as conn:
                for key, counted, text in table.figure_keys(conn, ids):
                    want.add(key)
                    want.add(overrides.resolve(key, counted, text))
            if ids:
                want.update(f.measure_key for f in self._added_figures(overrides) if f.article_id in ids)
        return want | {overrides.follow(k) for k in want}

    def mark_all_conflicts(self) -> None:
        with self.store.write() as conn:
            table.mark(conn, [table.ALL])
        self._remember_marks([table.ALL])

    def _remember_marks(self, keys: Iterable[str]) -> None:
        """Keep what this ledger marked, to mark it again once the change is stored (refresh_conflicts)."""
        marked: set[str] | None = getattr(self, "_marked_here", None)
        if marked is None:
            marked = set()
            self._marked_here = marked
        marked.update(keys)

    @contextmanager
    def _story_moves(self) -> Iterator[None]:
        """Mark the measures of every article whose story changes inside the block (conflicts of one incident
        are compared within a story, and each conflict names its story)."""
        with self.store.read() as conn:
            before = story_store.placements(conn)
        yield
        with self.store.read() as conn:
            after = story_store.placements(conn)
        moved = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
        if moved:
            self.mark_conflicts(articles=moved)

    # -- refreshing -----------------------------------------------------------------------------------------
    def refresh_conflicts(self) -> int:
        """Find the conflicts of every pending measure again and replace their rows; returns the measures
        refreshed (-1 for a full rebuild)."""
        # Marked again now that the change is stored: another process that read these marks before the change
        # was committed cannot claim them any more, or, if it already did, they are pending again (below).
        again: set[str] = getattr(self, "_marked_here", None) or set()
        if again:
            with self.store.write() as conn:
                table.mark(conn, again)
            again.clear()
        with self.store.read() as conn:
            marks = table.pending(conn)
        keys = set(marks)
        if not keys:
            return 0
        if table.ALL in keys:
            self._rebuild(marks)
            return -1
        overrides = self.store.overrides()
        stored: set[str] = set()
        for k in keys:
            stored |= overrides.sources_of(k, overrides.merges)
        figs = list(self._figures_of(stored, overrides, keys, lean=True))
        figs += [f for f in self._added_figures(overrides) if f.measure_key in keys]
        rows = self._rows(self.conflicts_among(figs, sentences=True))
        with self.store.write() as conn:
            claimed = table.claim(conn, marks)  # first: only what nobody marked again or refreshed meanwhile
            table.replace(conn, claimed, [r for r in rows if r.measure_key in claimed or r.measure_key not in keys])
        return len(claimed)

    def rebuild_conflicts(self) -> int:
        """Find every conflict of the ledger again and store them in place of the kept ones (for a ledger
        made before conflicts were kept, or after rules changed); returns how many there are."""
        with self.store.read() as conn:
            marks = table.pending(conn)
        return self._rebuild(marks)

    def _rebuild(self, marks: Mapping[str, str]) -> int:
        """Every conflict found again; the pending marks read before (`marks`) are claimed with them."""
        found = self.computed_conflicts()
        rows = self._rows(found)
        with self.store.write() as conn:
            if table.ALL in marks and table.ALL not in table.claim(conn, {table.ALL: marks[table.ALL]}):
                return len(rows)  # another process rebuilt meanwhile, or everything was marked again
            table.claim(conn, marks)
            table.replace(conn, None, rows)
        return len(rows)

    def computed_conflicts(self, tolerance: float = DEFAULT_TOLERANCE, sentences: bool = True) -> list[Conflict]:
        """Every conflict of the ledger found from its figures now, without the table (one pass)."""
        figs = self.figures() + self._added_figures(self.store.overrides())
        return self.conflicts_among(figs, tolerance=tolerance, sentences=sentences)

    def _rows(self, found: list[Conflict]) -> list[table.ConflictRow]:
        arts = {p.article_id for c in found for p in c.points if p.article_id >= 0}
        with self.store.read() as conn:
            placed = story_store.story_of_articles(conn, arts) if arts else {}
        out = []
        for c in found:
            story = c.story
            if story is None:
                shared = {placed.get(p.article_id) for p in c.points if p.article_id >= 0}
                story = str(shared.pop()) if len(shared) == 1 and None not in shared else None
            c.story = story
            out.append(to_row(c, story))
        return out

    # -- reading --------------------------------------------------------------------------------------------
    def kept_conflicts(self) -> bool:
        """Whether conflicts can be read from the table now: refreshed here when pending, unless read-only."""
        with self.store.read() as conn:
            pending = set(table.pending(conn))
        if not pending:
            return True
        if self._read_only:
            return False
        self.refresh_conflicts()
        return True

    def stored_conflicts(self, *, measure_key: str | None = None, story: int | None = None, kind: str | None = None,
                         since: str | None = None, until: str | None = None, after: str | None = None,
                         limit: int | None = None, offset: int = 0) -> list[Conflict]:
        with self.store.read() as conn:
            rows = table.page(conn, measure_key=measure_key, story=None if story is None else str(story), kind=kind,
                              since=since, until=until, after=parse_cursor(after) if after else None,
                              limit=limit, offset=offset)
        return [from_row(r) for r in rows]

    def count_conflicts(self, measure_query: str | None = None, *, tolerance: float = DEFAULT_TOLERANCE,
                        story: int | None = None, kind: str | None = None, since: date | None = None,
                        until: date | None = None) -> int:
        """How many conflicts `conflicts` lists with the same filters (counted in the table when it is kept)."""
        if tolerance != DEFAULT_TOLERANCE or not self.kept_conflicts():
            return len(self.conflicts(measure_query, tolerance=tolerance, story=story, kind=kind, since=since,
                                      until=until, sentences=False))
        key = self._one_measure(measure_query) if measure_query else None
        with self.store.read() as conn:
            return table.count(conn, measure_key=key, story=None if story is None else str(story), kind=kind,
                               since=since.isoformat() if since else None, until=until.isoformat() if until else None)
