"""`newsledger sources`, `merge-sources` and `regroup`: sources as entities, and grouping stored figures again."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.app import app, err_console
from newsledger.cli.ledger_cmds import (
    AfterOption,
    DbOption,
    FormatOption,
    LimitOption,
    _check_format,
    _ledger,
    _more,
    _page,
    emit,
)


@app.command()
def sources(
    query: Annotated[str | None, typer.Argument(help="Only sources these words name (a name or an alias).")] = None,
    db: DbOption = None, format: FormatOption = "table", limit: LimitOption = None, after: AfterOption = None,
) -> None:
    """Sources as entities: one name each, every way articles wrote it, and how many figures it gave."""
    from newsledger.ledger.cursors import source_cursor

    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.sources(query, after=after)
    page = found[:limit]
    rows = [{"source": s.name, "label": s.label, "figures": s.figures, "aliases": s.aliases if format != "table"
             else "; ".join(s.aliases), "alias_count": len(s.aliases)} for s in page]
    page, rows, _, last = _page(page, rows, limit, None, format, source_cursor)
    emit(rows, format, columns=("label", "figures", "source", "aliases"), empty="no sources found")
    _more(len(rows), 0, len(found), limit, format, last)


@app.command("merge-sources")
def merge_sources(
    source: Annotated[str, typer.Argument(help="The source to merge away (its name or an alias).")],
    target: Annotated[str, typer.Argument(help="The source it is (its name or an alias).")],
    db: DbOption = None,
) -> None:
    """Read every way one source was written as another source (kept across adds)."""
    with _ledger(db) as ledger:
        src, dst = ledger.merge_sources(source, target)
    Console(highlight=False).print(f"merged source {escape(src)} into {escape(dst)}")


@app.command()
def regroup(db: DbOption = None) -> None:
    """Group every stored figure into measures again with the current rules (no re-extraction).

    Reads each article's text, entities and figures back from the database. Merges and splits made by
    hand are kept (they refer to measure keys)."""
    with _ledger(db, must_exist=True) as ledger:
        report = ledger.regroup()
    per = (lambda n: f"{n / report.figures:.3f}") if report.figures else (lambda n: "-")
    err_console.print(
        f"regrouped {report.figures} figures ({report.moved} moved): measures {report.measures_before} -> "
        f"{report.measures_after} ({per(report.measures_before)} -> {per(report.measures_after)} a figure)")
