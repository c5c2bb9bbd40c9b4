"""The cursor of each listing: the sort key of a page's last row, to start the next page after it.

Every listing has a total order ending in a unique tie-breaker, so `--after CURSOR` (or `after=` in the
API) gives each row exactly once however many pages are walked, and rows stored between two pages land in
their place without shifting the pages read before (which `--offset` cannot promise). Listings read from
SQL turn the key into a range condition (newsledger.store.paging); those made in memory (measures,
sources, stories, the figures people added) compare keys in Python, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar

from newsledger.store import paging

T = TypeVar("T")

# A day after every real one: where undated rows sort in memory (they are listed last).
_LAST_DAY = date.max


def figure_key(fig: Any) -> tuple[date | None, bool, int]:
    """(as-of else publication day, added by a person, |id|): an added figure after the extracted ones
    of its day, oldest addition first (its id is minus the addition's)."""
    return fig.as_of or fig.published, fig.id < 0, abs(fig.id)


def figure_cursor(fig: Any) -> str:
    return paging.encode("figures", figure_key(fig))


def parse_figures(cursor: str) -> tuple[date | None, bool, int]:
    day, added, n = paging.decode("figures", cursor, (date, bool, int))
    return day, bool(added), int(n if n is not None else 0)


def figure_sort(key: tuple[date | None, bool, int]) -> tuple[bool, date, bool, int]:
    """A figure key as Python sorts it (undated last)."""
    return key[0] is None, key[0] or _LAST_DAY, key[1], key[2]


def store_figure_after(key: tuple[date | None, bool, int]) -> tuple[date | None, int]:
    """The (day, id) the stored figures' keyset condition takes: after an added figure, every extracted
    figure of its day comes before it."""
    day, added, n = key
    return day, (2 ** 62 if added else n)


def quote_key(quote: Any) -> tuple[date | None, int, int]:
    return quote.published, quote.article_id, quote.ordinal


def quote_cursor(quote: Any) -> str:
    return paging.encode("quotes", quote_key(quote))


def parse_quotes(cursor: str) -> tuple[date | None, int, int]:
    day, article, ordinal = paging.decode("quotes", cursor, (date, int, int))
    if article is None or ordinal is None:
        raise paging_error("quotes", cursor)
    return day, article, ordinal


def article_cursor(article: Any, search: bool) -> str:
    """A search pages by id alone (latest stored first); the plain listing by (publication day, id)."""
    return paging.encode("articles", (None if search else article.published, article.id))


def parse_articles(cursor: str) -> tuple[date | None, int]:
    day, n = paging.decode("articles", cursor, (date, int))
    if n is None:
        raise paging_error("articles", cursor)
    return day, n


def event_cursor(event: Any) -> str:
    return paging.encode("events", (event.first_day, event.article_id, event.ordinal))


def parse_events(cursor: str) -> tuple[date | None, int, int]:
    day, article, ordinal = paging.decode("events", cursor, (date, int, int))
    if article is None or ordinal is None:
        raise paging_error("events", cursor)
    return day, article, ordinal


def measure_key(m: Any, words: Sequence[str] | None = None) -> tuple[bool, int, str]:
    """Measures: (not matching every word of the query, minus figures, key), as `Ledger.measures` sorts."""
    return (bool(words) and not all(w in m.label.casefold() for w in words or ())), -m.figures, m.key


def measure_cursor(m: Any, query: str | None = None) -> str:
    return paging.encode("measures", measure_key(m, (query or "").casefold().split()))


def parse_measures(cursor: str) -> tuple[bool, int, str]:
    loose, n, key = paging.decode("measures", cursor, (bool, int, str))
    if loose is None or n is None or key is None:
        raise paging_error("measures", cursor)
    return loose, n, key


def source_key(s: Any) -> tuple[int, str]:
    return -s.figures, s.name


def source_cursor(s: Any) -> str:
    return paging.encode("sources", source_key(s))


def parse_sources(cursor: str) -> tuple[int, str]:
    n, name = paging.decode("sources", cursor, (int, str))
    if n is None or name is None:
        raise paging_error("sources", cursor)
    return n, name


def story_key(s: Any) -> tuple[bool, date, int]:
    return s.first_day is None, s.first_day or _LAST_DAY, s.id


def story_cursor(s: Any) -> str:
    return paging.encode("stories", (s.first_day, s.id))


def parse_stories(cursor: str) -> tuple[bool, date, int]:
    day, n = paging.decode("stories", cursor, (date, int))
    if n is None:
        raise paging_error("stories", cursor)
    return day is None, day or _LAST_DAY, n


def page_after(rows: Iterable[T], key: Callable[[T], Any], cursor_key: Any, limit: int | None,
               offset: int = 0) -> list[T]:
    """A page of rows already in listing order, made in memory: those after the cursor's key, then
    `offset` and `limit`."""
    found = [r for r in rows if paging.later(key(r), cursor_key)] if cursor_key is not None else list(rows)
    return found[offset:offset + limit] if limit else found[offset:]


def paging_error(listing: str, cursor: str) -> Exception:
    from newsledger.errors import InputError

    return InputError(f"{cursor!r} is not a cursor of {listing}",
                      f"pass the cursor shown after a page of `newsledger {listing}` (--after CURSOR)")
