"""Building and storing stories from what the ledger holds, and hand merges and splits of them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsledger.errors import InputError, NotFoundError
from newsledger.ledger import stories as st
from newsledger.ledger.story_figures import best_estimates
from newsledger.store import Store
from newsledger.store import queries as q
from newsledger.store import stories as sq


def _facts(rows: Sequence[sq.ArticleRow]) -> list[st.ArticleFacts]:
    return [st.ArticleFacts(r.id, r.source_id, r.title, r.published, r.lead, r.places, r.people, r.days)
            for r in rows]


def update(store: Store, *, rebuild: bool = False) -> int:
    """Place every article not yet in a story (all of them with `rebuild`), then store the stories with
    their titles, places, days and best figures. Returns how many stories there are."""
    with store.read() as conn:
        rows = sq.article_rows(conn, st.LEAD_CHARS)
        placed = {} if rebuild else sq.placements(conn)
        rules = sq.rules(conn)
        figures = [f for cat in ("killed", "injured") for f in q.figures(conn, category=cat, lean=True)]
    facts = _facts(rows)
    known = {f.id for f in facts}
    placed = {aid: sid for aid, sid in placed.items() if aid in known}
    # a story whose first article is gone keeps its id only if another member holds it: renumber
    first: dict[int, int] = {}
    for aid, sid in sorted(placed.items()):
        first.setdefault(sid, aid)
    placed = {aid: (sid if sid in known and placed.get(sid) == sid else first[sid]) for aid, sid in placed.items()}
    index = st.build(facts, placed, rules)
    by_article: dict[int, list[q.StoredFigure]] = defaultdict(list)
    for fig in figures:
        by_article[fig.article_id].append(fig)
    rows_out: list[sq.StoryRow] = []
    links: list[tuple[int, int]] = []
    for sid, story in sorted(index.stories.items()):
        members = [index.facts[a] for a in story.members]
        best = best_estimates((f for a in story.members for f in by_article.get(a, ())),
                              [(m.title, m.text) for m in members])
        rows_out.append(sq.StoryRow(
            id=sid, title=_title(members), place=_place(members),
            first_day=min((m.event_day for m in members if m.event_day), default=None),
            last_day=max((m.published for m in members if m.published), default=None),
            kind="roundup" if story.roundup else "story", articles=len(members),
            killed=best["killed"].value if "killed" in best else None,
            injured=best["injured"].value if "injured" in best else None))
        links.extend((sid, other) for other in story.links)
    with store.write() as conn:
        sq.save(conn, rows_out, dict(index.story_of), links)
    return len(rows_out)


def _title(members: Sequence[st.ArticleFacts]) -> str:
    """The title of the story's earliest report (the outlet's name cut off)."""
    first = min(members, key=lambda m: (m.published is None, m.published, m.id))
    title = st.clean_title(first.title)
    if title:
        return title
    lead = " ".join(first.text.split())
    return lead[:80] + ("…" if len(lead) > 80 else "") or f"article {first.id}"


def _place(members: Sequence[st.ArticleFacts]) -> str | None:
    """The place most of the story's articles name first."""
    firsts = Counter(_display(m.places[0]) for m in members if m.places)
    if not firsts:
        return None
    return min(firsts, key=lambda p: (-firsts[p], p))


def _display(place: str) -> str:
    """A place as shown: a name set in capitals (a dateline's "KANSAS CITY") in title case."""
    return place.title() if place.isupper() and len(place) > 3 else place


def merge(store: Store, a: int, b: int) -> int:
    """Read stories `a` and `b` as one from now on (kept across adds and rebuilds); returns its id."""
    with store.read() as conn:
        members = sq.story_members(conn, [a, b])
    for sid in (a, b):
        if sid not in members:
            raise NotFoundError(f"no story {sid}", "list them with `newsledger stories`")
    if a == b:
        raise InputError(f"{a} and {b} are the same story")
    with store.write() as conn:
        sq.drop_rules_between(conn, members[a], members[b])
        sq.add_rules(conn, [("together", members[a][0], members[b][0])])
    update(store)
    return min(a, b)


def split(store: Store, story: int, articles: Sequence[int]) -> int:
    """Take `articles` out of `story` into a story of their own (kept across adds); returns its id."""
    with store.read() as conn:
        members = sq.story_members(conn, [story]).get(story)
    if not members:
        raise NotFoundError(f"no story {story}", "list them with `newsledger stories`")
    moving = sorted(set(articles))
    stray = [x for x in moving if x not in members]
    if stray:
        raise InputError(f"article {stray[0]} is not in story {story}",
                         f"see its articles with `newsledger story {story}`")
    staying = [x for x in members if x not in moving]
    if not staying:
        raise InputError("a split must leave at least one article in the story")
    with store.write() as conn:
        sq.drop_rules_between(conn, moving, staying)
        sq.add_rules(conn, [("apart", x, y) for x in moving for y in staying])
        sq.add_rules(conn, [("together", moving[0], x) for x in moving[1:]])
        sq.unplace(conn, moving)
    update(store)
    with store.read() as conn:
        return sq.placements(conn).get(moving[0], moving[0])
