"""`newsledger events`: stored events as a dated timeline, filtered; `--plover` writes PLOVER's field names."""

from __future__ import annotations

from typing import Annotated

import typer

from newsledger.cli.app import app
from newsledger.cli.ledger_cmds import (
    AfterOption,
    DbOption,
    FormatOption,
    LimitOption,
    _check_format,
    _date,
    _ledger,
    _more,
    _page,
    emit,
)
from newsledger.errors import InputError
from newsledger.ledger.events import EVENT_COLUMNS, event_row, plover_row
from newsledger.model import EVENT_STATUSES, EVENT_TYPES


@app.command()
def events(
    db: DbOption = None, format: FormatOption = "table",
    type: Annotated[str | None, typer.Option("--type", help="Only this PLOVER type (assault, request, ...).")] = None,
    actor: Annotated[str | None, typer.Option(help="Only events whose actor contains these words.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Only events whose recipient contains these words.")] = None,
    place: Annotated[str | None, typer.Option(help="Only events whose location contains these words.")] = None,
    since: Annotated[str | None, typer.Option(help="Only events dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="... and on or before YYYY-MM-DD.")] = None,
    status: Annotated[str | None, typer.Option(
        help="Only this status: happened, planned, demanded, denied or hypothetical.")] = None,
    undated: Annotated[bool, typer.Option(help="Also list events without a date (after the dated ones).")] = False,
    plover: Annotated[bool, typer.Option(
        help="PLOVER's field names (id, date, source, recipient, event, ...) with ours beside them.")] = False,
    limit: LimitOption = None, after: AfterOption = None,
) -> None:
    """Stored events, oldest first: a dated timeline of who did what to whom, where, with its article."""
    from newsledger.ledger.cursors import event_cursor

    _check_format(format)
    if type is not None and type.lower() not in EVENT_TYPES:
        raise InputError(f"unknown event type {type!r}", f"choose one of {', '.join(EVENT_TYPES)}")
    if status is not None and status.lower() not in EVENT_STATUSES:
        raise InputError(f"unknown status {status!r}", f"choose one of {', '.join(EVENT_STATUSES)}")
    with _ledger(db) as ledger:
        found = ledger.events(type=type, actor=actor, recipient=recipient, place=place, status=status,
                              since=_date(since, "--since"), until=_date(until, "--until"), undated=undated,
                              limit=limit + 1 if limit else None, after=after)
    rows = [plover_row(e) if plover else event_row(e) for e in found]
    more = bool(limit and len(found) > limit)
    found, rows, _, last = _page(found[:limit] if limit else found, rows[:limit] if limit else rows, limit, None,
                                 format, event_cursor)
    emit(rows, format, columns=None if plover else EVENT_COLUMNS,
         empty="no events found" + ("" if undated else " (undated ones are left out: --undated lists them)"))
    _more(len(rows), 0, None if more else 0, limit, format, last)
