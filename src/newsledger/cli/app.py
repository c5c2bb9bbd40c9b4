"""The `newsledger` command: builds the Typer app from its command modules and turns errors into one line.

Conventions every command gets from here: global options before the command (`newsledger --db x stats`),
`--version`, the exit codes at the foot of every help page, option types shown as choices or names (never
`<bool>`), and usage errors as one line."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from newsledger.errors import NewsledgerError

# Every exit code the command line uses (README "Bad input" says the same).
EXIT_CODES = (
    "Exit codes: 0 done (empty inputs skipped); 1 some inputs failed, the rest were done; "
    "2 nothing could be done (bad input, usage or options); 3 no spaCy model; 4 database problem; "
    "5 a URL could not be fetched; 6 not found; 70 internal error (please report it); 130 interrupted."
)

app = typer.Typer(
    name="newsledger",
    help="Turn news articles into a sourced ledger of figures, quotes, entities, dates and events.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True, highlight=False)

DB_ENV = "NEWSLEDGER_DB"


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("newsledger")
        except PackageNotFoundError:  # run from a source tree that is not installed
            number = "unknown"
        Console(highlight=False).print(f"newsledger {number}")
        raise typer.Exit(0)


@app.callback()
def _root(
    db: Annotated[str | None, typer.Option(
        "--db", metavar="PATH|URL", show_default=False,
        help="Ledger database for every command (a SQLite file or postgresql:// URL); a command's own --db "
             "wins \\[default: $NEWSLEDGER_DB or ./newsledger.db].")] = None,
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_version, help="Show the version and exit.")] = False,
) -> None:
    """Turn news articles into a sourced ledger of figures, quotes, entities, dates and events."""
    if db:
        # Every command resolves its database through NEWSLEDGER_DB when it is not given its own --db,
        # so a global option works for commands added later without each one knowing of it.
        os.environ[DB_ENV] = db


def _register() -> None:
    # Each module adds its commands to `app`; imported here so `app` is complete before it runs.
    from newsledger.cli import (  # noqa: F401
        bulk_cmd,
        check_cmd,
        events_cmd,
        extract_cmd,
        reference_cmd,
        review_cmd,
        serve_cmd,
        sources_cmd,
        stories_cmd,
        watch_cmd,
    )

    try:
        from newsledger.cli import ledger_cmds  # noqa: F401
    except ImportError as err:  # the ledger commands are optional until they land
        if "ledger_cmds" not in str(err):
            raise
    for command in app.registered_commands:
        if not getattr(command, "epilog", None):
            command.epilog = EXIT_CODES
    _plain_types()


def _plain_types() -> None:
    """Help shows each option's value as its metavar or choices (`[table|json|jsonl|csv]`), and nothing for
    flags: Typer's own `<bool>`, `<str>`, `<list[str]>` say nothing a user needs."""
    from typer import core

    if getattr(core.TyperOption, "_newsledger_plain", False):
        return
    original = core.TyperOption.display_type_rich

    def option_type(self: Any, ctx: Any) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar:
            return str(self.metavar)
        shown = original(self, ctx) or ""
        if "|" in shown:
            return "[" + shown.strip("<>").removeprefix("list[").removesuffix("]") + "]"
        name = shown.strip("<>")
        return {"str": "TEXT", "int": "INTEGER", "float": "NUMBER"}.get(name, name.upper() or None)

    def argument_type(self: Any, ctx: Any) -> str | None:
        return None  # the argument's own name (its metavar) already says what goes there

    core.TyperOption.display_type_rich = option_type  # type: ignore[method-assign]
    core.TyperArgument.display_type_rich = argument_type  # type: ignore[method-assign]
    core.TyperOption._newsledger_plain = True  # type: ignore[attr-defined]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def main() -> None:
    """Entry point: run the app; a NewsledgerError becomes one line on stderr and its exit code."""
    _register()
    saved_db = os.environ.get(DB_ENV)
    try:
        _run()
    finally:
        # The global --db is passed on through the environment; put it back for whoever called main()
        # in-process (tests, scripts).
        if saved_db is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = saved_db


def _run() -> None:
    try:
        code = app(standalone_mode=False)
    except NewsledgerError as err:
        err_console.print(f"[bold red]error:[/] {_escape(str(err))}", soft_wrap=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # usage errors and anything unforeseen: one line, no traceback
        # Typer ships its own copy of click, so its usage errors are recognised by shape, not by class.
        message, code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(message) and isinstance(code, int):
            ctx = getattr(exc, "ctx", None)
            where = f"`{ctx.command_path} --help`" if ctx is not None else "`newsledger --help`"
            err_console.print(f"[bold red]error:[/] {_escape(' '.join(str(message()).split()))} "
                              f"(see {where})", soft_wrap=True)
            sys.exit(code)
        err_console.print(f"[bold red]error:[/] unexpected {type(exc).__name__}: {_escape(str(exc))} "
                          "(please report this with the input that caused it)", soft_wrap=True)
        sys.exit(70)
    # Without standalone mode, `raise typer.Exit(n)` inside a command comes back as the return value.
    if isinstance(code, int) and code:
        sys.exit(code)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
