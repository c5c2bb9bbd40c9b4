"""`newsledger reference add FILE` and `reference list`: authoritative daily series as sources of their own."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.app import app
from newsledger.cli.ledger_cmds import DbOption, FormatOption, _check_format, _ledger, emit

reference_app = typer.Typer(help="Authoritative daily series, compared with the figures of their measures.",
                            no_args_is_help=True)
app.add_typer(reference_app, name="reference")


@reference_app.command("add")
def add(
    file: Annotated[str, typer.Argument(help="A JSON array of daily reports, e.g. gaza-casualties-daily.json.")],
    place: Annotated[str | None, typer.Option(help="The place it counts \\[default: read from the file name].",
                                              show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Load a daily series (replacing one of the same name); `conflicts` and `series` then flag outliers."""
    with _ledger(db, must_exist=False) as ledger:
        name, n = ledger.add_reference(file, place=place)
    Console(highlight=False).print(f"loaded {n} values of reference {escape(name)}")


@reference_app.command("list")
def list_(db: DbOption = None, format: FormatOption = "table") -> None:
    """Loaded reference series: values, measures and the days they cover."""
    _check_format(format)
    with _ledger(db) as ledger:
        rows = ledger.references()
    emit(rows, format, columns=("name", "place", "values", "measures", "first", "last", "path"),
         empty="no reference series loaded (add one with `newsledger reference add FILE`)")
