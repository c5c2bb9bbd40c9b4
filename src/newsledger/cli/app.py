"""The `newsledger` command: builds the Typer app from its command modules and turns errors into one line."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from newsledger.errors import NewsledgerError

app = typer.Typer(
    name="newsledger",
    help="Turn news articles into a sourced ledger of figures, quotes, entities, dates and events.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

err_console = Console(stderr=True, highlight=False)


@app.callback()
def _root() -> None:
    """Turn news articles into a sourced ledger of figures, quotes, entities, dates and events."""


def _register() -> None:
    # Each module adds its commands to `app`; imported here so `app` is complete before it runs.
    from newsledger.cli import events_cmd, extract_cmd  # noqa: F401

    try:
        from newsledger.cli import ledger_cmds  # noqa: F401
    except ImportError as err:  # the ledger commands are optional until they land
        if "ledger_cmds" not in str(err):
            raise


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def main() -> None:
    """Entry point: run the app; a NewsledgerError becomes one line on stderr and its exit code."""
    _register()
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
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
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
