"""The story commands: stories (list, search, rebuild), story ID (in full), story-merge and story-split."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.app import app, err_console
from newsledger.cli.ledger_cmds import (
    AfterOption,
    DbOption,
    FormatOption,
    _check_format,
    _date,
    _figure_row,
    _ledger,
    emit,
)
from newsledger.errors import InputError


def _story_row(s: Any) -> dict[str, Any]:
    return {"story": s.id, "first_day": s.first_day, "last_day": s.last_day, "place": s.place,
            "title": s.title, "kind": s.kind, "articles": len(s.articles), "killed": s.killed,
            "injured": s.injured, "input_ids": " ".join(a.input_id or str(a.id) for a in s.articles)}


@app.command()
def stories(
    db: DbOption = None, format: FormatOption = "table",
    search: Annotated[str | None, typer.Option(help="Only stories with an article holding every word.")] = None,
    place: Annotated[str | None, typer.Option(help="Only stories whose place contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Only stories running on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="... and on or before YYYY-MM-DD.")] = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Build every story again from the stored extractions (hand merges and splits kept).")
    ] = False,
    limit: Annotated[int | None, typer.Option(help="Show at most this many stories.")] = None,
    after: AfterOption = None,
) -> None:
    """Stories: the articles that cover one happening, with place, date span and best killed/injured.

    `--format jsonl` writes one story a line: {"story", "articles": [input ids], "figures": {"killed",
    "injured"}, "title", "place", "first_day", "last_day", "kind", "links"}.
    """
    _check_format(format)
    since_day, until_day = _date(since, "--since"), _date(until, "--until")
    with _ledger(db) as ledger:
        if rebuild:
            n = ledger.update_stories(rebuild=True)
            err_console.print(f"built {n} stories")
        found = ledger.stories(search=search, place=place, since=since_day, until=until_day, after=after)
    from newsledger.cli.ledger_cmds import _more
    from newsledger.ledger.cursors import story_cursor

    total = len(found)
    if limit:
        found = found[:limit]
    if format in ("json", "jsonl"):
        emit([s.to_dict() | ({"cursor": story_cursor(s)} if limit or after else {}) for s in found], format)
        return
    _more(len(found), 0, total, limit, format, story_cursor(found[-1]) if found else None)
    emit([_story_row(s) for s in found], format,
         columns=("story", "first_day", "last_day", "place", "title", "articles", "killed", "injured"),
         empty="no stories found")


def _story_id(value: str) -> int:
    try:
        return int(value.lstrip("#"))
    except ValueError as err:
        raise InputError(f"{value!r} is not a story id", "story ids are numbers; list them with `newsledger stories`") \
            from err


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="The story's id (see `newsledger stories`).")],
    db: DbOption = None, format: FormatOption = "table",
) -> None:
    """One story: its articles, its measures with their best estimates, its figures and its conflicts."""
    _check_format(format)
    with _ledger(db) as ledger:
        detail = ledger.story(_story_id(story_id))
    view = detail.story
    measures = [{"measure": m.key, "label": m.label, "figures": m.figures,
                 "best": _best_text(m.best), "best_value": m.best.value if m.best else None,
                 "qualifier": m.best.qualifier if m.best else None, "source": m.best.source if m.best else None,
                 "figure_id": m.best.figure_id if m.best else None} for m in detail.measures]
    figures = [_figure_row(f) | {"input_id": f.article_source_id} for f in detail.figures]
    conflicts = [{"kind": c.kind, "measure": c.measure_key, "reason": c.reason,
                  "figures": ", ".join(str(p.figure_id) for p in c.points)} for c in detail.conflicts]
    articles = [{"article": a.id, "input_id": a.input_id, "published": a.published, "title": a.title,
                 "outlet": a.outlet, "url": a.url} for a in view.articles]
    if format != "table":
        row = view.to_dict() | {"articles": articles, "measures": measures, "figures_detail": figures,
                                "conflicts": conflicts,
                                "estimates": {k: {"value": b.value, "qualifier": b.qualifier, "source": b.source,
                                                  "figure_id": b.figure_id, "article": b.article_id,
                                                  "text": b.text, "from_figures": b.considered}
                                              for k, b in detail.estimates.items()}}
        emit([json.loads(json.dumps(row, default=_iso))], format)
        return
    console = Console(highlight=False)
    span = " to ".join(str(d) for d in dict.fromkeys((view.first_day, view.last_day)) if d)
    console.print(f"[bold]story {view.id}[/] ({view.kind}): {escape(view.title)}")
    console.print(f"place: {escape(view.place or '?')}   days: {span or '?'}   "
                  f"killed: {_best_text(detail.estimates.get('killed'))}   "
                  f"injured: {_best_text(detail.estimates.get('injured'))}")
    if view.links:
        what = "sums up" if view.kind == "roundup" else "summed up in"
        console.print(f"{what}: " + ", ".join(f"story {x}" for x in view.links))
    emit(articles, format, columns=("article", "input_id", "published", "outlet", "title"), title="articles")
    emit(measures, format, columns=("label", "figures", "best", "source", "figure_id"), title="measures",
         empty="no figures")
    emit(figures, format, columns=("as_of", "value_text", "counted", "category", "source", "article"),
         title="series (figures by as-of date)", empty="no figures")
    emit(conflicts, format, columns=("kind", "reason", "figures"), title="conflicts", empty="no conflicts")
    sys.stdout.flush()


def _iso(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _best_text(best: Any) -> str:
    if best is None:
        return "-"
    from newsledger.ledger.conflicts import describe_value

    return describe_value(best.value, None, best.qualifier) + (f" ({best.source})" if best.source else "")


@app.command("story-merge")
def story_merge(
    a: Annotated[str, typer.Argument(help="A story id.")],
    b: Annotated[str, typer.Argument(help="Another story id.")],
    db: DbOption = None,
) -> None:
    """Read two stories as one from now on (kept across adds and rebuilds)."""
    with _ledger(db) as ledger:
        kept = ledger.merge_stories(_story_id(a), _story_id(b))
    Console(highlight=False).print(f"stories {escape(a)} and {escape(b)} are now story {kept}")


@app.command("story-split")
def story_split(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="The story to split.")],
    articles: Annotated[list[int], typer.Argument(help="Ledger ids of the articles to take out.")],
    db: DbOption = None,
) -> None:
    """Take articles out of a story into one of their own (kept across adds and rebuilds)."""
    with _ledger(db) as ledger:
        new = ledger.split_story(_story_id(story_id), list(articles))
    Console(highlight=False).print(f"articles {', '.join(map(str, articles))} are now story {new}")
