"""Building and storing stories from what the ledger holds, and hand merges and splits of them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from newsledger.errors import InputError, NotFoundError, WriteConflict
from newsledger.ledger import stories as st
from newsledger.ledger.story_figures import Report, best_estimates
from newsledger.store import Store
from newsledger.store import queries as q
from newsledger.store import stories as sq


def _facts(rows: Sequence[sq.ArticleRow]) -> list[st.ArticleFacts]:
    return [st.ArticleFacts(r.id, r.source_id, r.title, r.published, r.lead, r.places, r.people, r.days)
            for r in rows]


def update(store: Store, *, rebuild: bool = False, full: bool = False) -> int:
    """Place new articles (see `_update`), reading again when another process placed some of the same
    articles between this one's reading and writing (its placements are then kept)."""
    for attempt in range(3):
        try:
            return _update(store, rebuild=rebuild, full=full)
        except WriteConflict:
            if attempt == 2:
                raise
    return 0  # not reached


def _update(store: Store, *, rebuild: bool, full: bool) -> int:
    """Place every article not yet in a story (all of them with `rebuild`), then store the stories with
    their titles, places, days and best figures. Returns how many stories there are (or changed, when
    only new articles were placed).

    New articles are placed incrementally: only they are read, and compared with the stories through the
    stored index (store.stories: each placed article's words, names, places and days). Everything is read
    again (`full`) when the index cannot serve: a rebuild, hand rules on new articles, a replaced article
    version, a ledger that has doubled since its word weights were computed, or a batch larger than the
    ledger it joins."""
    with store.read() as conn:
        state = sq.index_state(conn)
        new_ids = [] if rebuild else sq.unplaced_ids(conn)
        ruled = {x for _, a, b in sq.rules(conn) for x in (a, b)}
    incremental = (not (rebuild or full) and state.stale == 0 and state.placed > 0
                   and state.indexed == state.placed and len(new_ids) < state.placed
                   and state.current <= 2 * state.indexed_n and not ruled & set(new_ids))
    if incremental:
        return _place_new(store, new_ids, state.indexed) if new_ids else 0
    return _build_all(store, rebuild=rebuild)


def _build_all(store: Store, *, rebuild: bool) -> int:
    with store.read() as conn:
        rows = sq.article_rows(conn, st.LEAD_CHARS)
        placed = {} if rebuild else sq.placements(conn)
        newer = sq.successors(conn)
        rules = [(kind, newer.get(x, x), newer.get(y, y)) for kind, x, y in sq.rules(conn)]
        figures = [f for cat in ("killed", "injured") for f in q.figures(conn, category=cat, lean=True)]
    facts = _facts(rows)
    known = {f.id for f in facts}
    # a new version of a placed article takes its place (and its rules), so its story keeps its id
    for old, current in newer.items():
        if old in placed and current not in placed:
            placed[current] = placed[old]
    holder = {sid: newer.get(sid, sid) for sid in placed.values()}  # the current version of a story's id
    placed = {aid: sid for aid, sid in placed.items() if aid in known}
    # a story whose first article is gone keeps its id only if another member (or a new version of that
    # first article) holds it: renumber
    first: dict[int, int] = {}
    for aid, sid in sorted(placed.items()):
        first.setdefault(sid, aid)
    placed = {aid: (sid if placed.get(holder[sid]) == sid else first[sid]) for aid, sid in placed.items()}
    index = st.build(facts, placed, rules)
    by_article = _by_article(figures)
    by_id = {f.id: f for f in facts}
    rows_out: list[sq.StoryRow] = []
    links: list[tuple[int, int]] = []
    for sid, story in sorted(index.stories.items()):
        rows_out.append(_story_row(sid, [by_id[a] for a in story.members], story.roundup, by_article))
        links.extend((sid, other) for other in story.links)
    entries = [_index_entry(e) for e in index.entries.values()]
    with store.write() as conn:
        sq.save(conn, rows_out, dict(index.story_of), links)
        sq.save_index(conn, entries, len(facts), replace=True)
    return len(rows_out)


def _place_new(store: Store, new_ids: Sequence[int], indexed: int) -> int:
    """Place `new_ids` by the stored index: only they are read, with the indexed articles that share one
    of their telling words or rare names; only the stories they join or start are written again."""
    with store.read() as conn:
        facts = _facts(sq.article_rows(conn, st.LEAD_CHARS, ids=new_ids))
        entries, df, n = st.describe(facts, lambda terms: sq.term_counts(conn, terms), indexed)
        index = st.StoryIndex(entries, df, n)
        lookup = {t for e in entries for t in index.lookup_terms(e.id) if index.looked_up(t)}
        vectors: dict[int, dict[str, float]] = defaultdict(dict)
        for term, aid, weight in sq.postings(conn, lookup):
            if not term.startswith("@"):
                vectors[aid][term] = weight * index.idf(term)
            else:
                vectors.setdefault(aid, {})
        for row in sorted(sq.index_rows(conn, vectors), key=lambda r: r.article_id):
            index.entries[row.article_id] = st.Entry(
                row.article_id, row.published, row.event_day, row.roundup, frozenset(row.places),
                frozenset(row.names), vectors[row.article_id])
            index.place(row.article_id, row.story_id, roundup=row.story_kind == "roundup", size=row.story_size)
        new = sorted(f.id for f in facts)
        for aid in new:
            index.add(aid)
        links = {pair for aid in new for pair in index.roundup_links(aid)}
        touched = sorted({index.story_of[aid] for aid in new})
        members = sq.story_members(conn, touched)
        for aid in new:
            members.setdefault(index.story_of[aid], []).append(aid)
        everyone = sorted({a for ms in members.values() for a in ms})
        by_id = {f.id: f for f in _facts(sq.article_rows(conn, st.LEAD_CHARS, ids=everyone))}
        by_article = _by_article([f for cat in ("killed", "injured")
                                  for f in q.figures(conn, category=cat, lean=True, article_ids=everyone)])
    rows_out = [_story_row(sid, [by_id[a] for a in sorted(set(members[sid])) if a in by_id],
                           index.stories[sid].roundup, by_article) for sid in touched]
    placed = {aid: index.story_of[aid] for aid in new}
    with store.write() as conn:
        sq.save_changes(conn, rows_out, placed, links)
        sq.save_index(conn, [_index_entry(index.entries[aid]) for aid in new], n, replace=False)
    return len(rows_out)


def _by_article(figures: Sequence[q.StoredFigure]) -> dict[int, list[q.StoredFigure]]:
    out: dict[int, list[q.StoredFigure]] = defaultdict(list)
    for fig in figures:
        out[fig.article_id].append(fig)
    return out


def _index_entry(e: st.Entry) -> sq.IndexEntry:
    return sq.IndexEntry(e.id, e.published, e.event_day, e.roundup, sorted(e.places), sorted(e.names), e.terms())


def _story_row(sid: int, members: Sequence[st.ArticleFacts], roundup: bool,
               by_article: dict[int, list[q.StoredFigure]]) -> sq.StoryRow:
    best = best_estimates((f for m in members for f in by_article.get(m.id, ())),
                          [Report(m.id, m.title, m.text, m.published) for m in members])
    return sq.StoryRow(
        id=sid, title=_title(members), place=_place(members),
        first_day=min((m.event_day for m in members if m.event_day), default=None),
        last_day=max((m.published for m in members if m.published), default=None),
        kind="roundup" if roundup else "story", articles=len(members),
        killed=best["killed"].value if "killed" in best else None,
        injured=best["injured"].value if "injured" in best else None)


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
    update(store, full=True)
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
    update(store, full=True)
    with store.read() as conn:
        return sq.placements(conn).get(moving[0], moving[0])
