"""`newsledger check`: is the ledger sound (SQLite's integrity check) and at this newsledger's schema?"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.app import app
from newsledger.errors import StoreError


@app.command()
def check(
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH|URL", show_default=False,
        help="Ledger database \\[default: $NEWSLEDGER_DB or ./newsledger.db].")] = None,
    upgrade: Annotated[bool, typer.Option(
        "--upgrade", help="Bring an older ledger's schema up to this newsledger's (the one command besides "
        "`add` that changes the schema).")] = False,
) -> None:
    """Check the ledger: the database file's integrity (SQLite) and its schema version.

    Exit code 0 when the ledger is sound, 4 when it is damaged, not a ledger, or of another schema version.
    """
    from newsledger.store import Store
    from newsledger.store.migrations import LATEST

    store = Store(db, must_exist=True, read_only=not upgrade)
    try:
        problems = store.integrity()
        shown = store.display_url
    finally:
        store.close()
    out = Console(highlight=False)
    if problems:
        lines = [ln for problem in problems for ln in problem.splitlines() if ln.strip()]
        for line in lines[:20]:
            out.print(f"[red]{escape(line)}[/]", soft_wrap=True)
        raise StoreError(f"the ledger {shown} is damaged ({len(problems)} problem"
                         f"{'s' if len(problems) != 1 else ''} found)",
                         "restore it from a backup, or copy what can be read with `sqlite3 FILE .recover`")
    out.print(f"{escape(shown)}: ok (schema version {LATEST})")
