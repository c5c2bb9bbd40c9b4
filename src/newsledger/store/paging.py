"""Keyset paging: a listing's cursor (where a page ended) and the condition that starts the next page after it.

A cursor holds the last row's sort key, ending in a unique tie-breaker (an id), so the listing has a total
order and the next page is "rows whose key comes after this one": a range on the listing's index, as fast
on page 1,000 as on page 1, and rows stored between two pages neither repeat nor shift the pages already
read. Cursors are opaque to users (base64 of a small JSON list naming its listing), so a figures cursor
given to `quotes` is refused with a reason instead of paging from a wrong place.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, false, or_, tuple_

from newsledger.errors import InputError

Key = tuple[Any, ...]


def encode(listing: str, key: Sequence[Any]) -> str:
    """The cursor of the row with this sort key in `listing` (dates written as ISO days)."""
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    raw = json.dumps([listing, *values], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(listing: str, cursor: str, kinds: Sequence[type]) -> Key:
    """The sort key a cursor of `listing` holds, each value checked against `kinds` (None allowed; a date
    is read back from its ISO day). A cursor of another listing, or not a cursor at all, is refused."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, list) or len(data) != len(kinds) + 1 or data[0] != listing:
        raise InputError(f"{cursor!r} is not a cursor of {listing}",
                         f"pass the cursor shown after a page of `newsledger {listing}` (--after CURSOR)")
    out: list[Any] = []
    for value, kind in zip(data[1:], kinds, strict=True):
        if value is None:
            out.append(None)
            continue
        try:
            if kind is date:
                out.append(date.fromisoformat(value))
            elif kind is int and isinstance(value, int) and not isinstance(value, bool):
                out.append(value)
            elif kind is bool and isinstance(value, bool):
                out.append(value)
            elif kind is str and isinstance(value, str):
                out.append(value)
            else:
                raise ValueError(value)
        except (TypeError, ValueError) as err:
            raise InputError(f"{cursor!r} is not a cursor of {listing}",
                             f"pass the cursor shown after a page of `newsledger {listing}`") from err
    return tuple(out)


def after(columns: Sequence[tuple[Any, bool, bool]], key: Key) -> Any:
    """SQL: the rows whose sort key comes after `key` for an ORDER BY of `columns`, each (expression,
    descending, nullable) with the last one unique. A nullable column sorts its NULLs last (its listing
    orders by `expression IS NULL` first) and a None in `key` stands for NULL.

    Written as row-value comparisons where the directions agree: `(published IS NULL, published, id) >
    (false, day, id)` is one range on an index of those columns, where the equivalent chain of ORs makes
    the engines read the index from its start and test every row (page 1,000 costing 1,000 pages)."""
    columns, key = list(columns), tuple(key)
    if not columns:
        return false()
    (column, desc, nullable), value = columns[0], key[0]
    rest_cols, rest_key = columns[1:], key[1:]
    if nullable and value is None:  # among the NULLs (listed last): only the rest of the key decides
        return and_(column.is_(None), after(rest_cols, rest_key)) if rest_cols else false()
    same = all(d == desc and not n for _, d, n in rest_cols) and None not in rest_key
    if same:
        exprs, values = [column, *(c for c, _, _ in rest_cols)], [value, *rest_key]
        if nullable and not desc:  # NULLs last ascending: the IS NULL flag leads, false before true
            exprs, values = [column.is_(None), *exprs], [False, *values]
            return tuple_(*exprs) > tuple_(*values)
        beyond = (tuple_(*exprs) < tuple_(*values)) if desc else (tuple_(*exprs) > tuple_(*values))
        if len(exprs) == 1:
            beyond = column < value if desc else column > value
        return or_(column.is_(None), beyond) if nullable else beyond
    first = column < value if desc else column > value
    if nullable:
        first = or_(column.is_(None), first)
    if not rest_cols:
        return first
    return or_(first, and_(column == value, after(rest_cols, rest_key)))


def later(key: Key, cursor: Key) -> bool:
    """Whether a sort key built in memory (NULLs already mapped to values that sort last) comes after a
    cursor's: the same rule as `after`, for listings made in Python."""
    return key > cursor
