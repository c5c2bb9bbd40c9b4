"""Reading stories for people and programs: the list (filtered) and one story in full."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsledger.errors import NotFoundError
from newsledger.ledger.conflicts import Conflict
from newsledger.ledger.stories import LEAD_CHARS
from newsledger.ledger.story_figures import BestEstimate, Report, best_estimates, best_figure
from newsledger.store import Store
from newsledger.store import queries as q
from newsledger.store import stories as sq


@dataclass
class StoryArticle:
    id: int
    input_id: str | None
    published: date | None
    title: str | None
    outlet: str | None
    url: str | None


@dataclass
class StoryView:
    """A story: id, readable title, place, date span, its articles and its best killed/injured figures."""

    id: int
    title: str
    place: str | None
    first_day: date | None
    last_day: date | None
    kind: str
    killed: float | None
    injured: float | None
    articles: list[StoryArticle] = field(default_factory=list)
    links: list[int] = field(default_factory=list)  # roundup: the stories it sums up; story: its roundups

    def to_dict(self) -> dict[str, Any]:
        """The story as `stories --format json/jsonl` writes it (articles as input ids)."""
        return {"story": self.id, "title": self.title, "place": self.place,
                "first_day": self.first_day.isoformat() if self.first_day else None,
                "last_day": self.last_day.isoformat() if self.last_day else None, "kind": self.kind,
                "articles": [a.input_id if a.input_id is not None else str(a.id) for a in self.articles],
                "article_ids": [a.id for a in self.articles],
                "figures": {"killed": _int(self.killed), "injured": _int(self.injured)},
                "links": self.links}


@dataclass
class MeasureInStory:
    key: str
    label: str
    figures: int
    best: BestEstimate | None


@dataclass
class StoryDetail:
    story: StoryView
    estimates: dict[str, BestEstimate]
    measures: list[MeasureInStory]
    figures: list[q.StoredFigure]
    conflicts: list[Conflict]


def _int(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def stories(store: Store, *, search: str | None = None, place: str | None = None, since: date | None = None,
            until: date | None = None, ids: list[int] | None = None) -> list[StoryView]:
    with store.read() as conn:
        rows = list(sq.story_rows(conn, ids=ids, place=place, since=since, until=until))
        members = sq.story_members(conn, [r.id for r in rows] if ids is not None else None)
        if search:
            hits = sq.search_article_ids(conn, search)
            rows = [r for r in rows if hits & set(members.get(r.id, ()))]
        wanted = {aid for r in rows for aid in members.get(r.id, ())}
        arts = {x.id: x for x in q.articles(conn) if x.id in wanted}
        links = sq.story_links(conn)
    linked: dict[int, list[int]] = defaultdict(list)
    for roundup, other in links:
        linked[roundup].append(other)
        linked[other].append(roundup)
    out = []
    for r in rows:
        views = [StoryArticle(aid, arts[aid].source_id or arts[aid].url, arts[aid].published, arts[aid].title,
                              arts[aid].outlet, arts[aid].url)
                 for aid in members.get(r.id, ()) if aid in arts]
        views.sort(key=lambda x: (x.published is None, x.published, x.id))
        out.append(StoryView(r.id, r.title, r.place, r.first_day, r.last_day, r.kind, r.killed, r.injured,
                             views, sorted(linked.get(r.id, ()))))
    return out


def members(store: Store, story_id: int) -> set[int]:
    with store.read() as conn:
        found = sq.story_members(conn, [story_id]).get(story_id)
    if not found:
        raise NotFoundError(f"no story {story_id}", "list them with `newsledger stories`")
    return set(found)


def stories_of(store: Store, article_ids: list[int]) -> list[tuple[int, str]]:
    """(id, title) of the stories these articles are placed in, earliest first (for links to them)."""
    with store.read() as conn:
        ids = sorted(set(sq.story_of_articles(conn, article_ids).values()))
        return [(r.id, r.title) for r in sq.story_rows(conn, ids=ids)] if ids else []


def story_detail(ledger: Any, story_id: int) -> StoryDetail:
    """Story `story_id` with its measures (figure counts and best estimate each), figures and conflicts."""
    found = stories(ledger.store, ids=[story_id])
    if not found:
        raise NotFoundError(f"no story {story_id}", "list them with `newsledger stories`")
    view = found[0]
    inside = {a.id for a in view.articles}
    # As `figures` reads them: people's corrections applied (wrong ones left out), figures people added in
    # their place, each under its measure after manual merges and splits.
    figs = ledger.figures(article_ids=sorted(inside), added=True)
    with ledger.store.read() as conn:
        reports = [Report(r.id, r.title, r.lead, r.published)
                   for r in sq.article_rows(conn, LEAD_CHARS, ids=sorted(inside))]
    figs.sort(key=lambda f: (f.as_of or f.published or date.min, f.id))
    by_measure: dict[str, list[q.StoredFigure]] = defaultdict(list)
    for f in figs:
        by_measure[f.measure_key].append(f)
    measures = []
    for key, group in sorted(by_measure.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        label = next((f.measure_label for f in group if f.measure_label), key)
        measures.append(MeasureInStory(key, label, len(group), best_figure(group)))
    conflicts = ledger.conflicts(story=story_id)
    estimates = {k: b for k, b in best_estimates(figs, reports).items()}
    for cat, value in (("killed", view.killed), ("injured", view.injured)):
        if cat not in estimates and value is not None:
            estimates[cat] = BestEstimate(cat, value, "implied", None, None, None, None,
                                          "implied by the reports' words", 0)
    return StoryDetail(view, estimates, measures, figs, conflicts)
