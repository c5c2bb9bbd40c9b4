"""`newsledger watch` (poll feeds into the ledger, alert on new figures) and `newsledger feeds`."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.markup import escape

from newsledger.cli.app import app, err_console
from newsledger.cli.ledger_cmds import DbOption, FormatOption, _check_format, _ledger, emit


@app.command()
def watch(
    feed_list: Annotated[str, typer.Argument(metavar="FEEDS.txt", help="A file of RSS/Atom feed or sitemap "
                                             "URLs, one a line (# starts a comment).")],
    db: DbOption = None,
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 2h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and stop.")] = False,
    delay: Annotated[str, typer.Option(help="Least time between two requests to one host.")] = "2s",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for a server to connect or send.")] = 15.0,
    measure: Annotated[list[str] | None, typer.Option(
        "--measure", help="Alert only on figures (and conflicts) of this measure; repeatable.")] = None,
    notify_cmd: Annotated[str | None, typer.Option(
        help="Run this shell command for each alert, with the alert as JSON on its stdin.")] = None,
    notify_url: Annotated[str | None, typer.Option(
        help="POST each alert as JSON to this webhook URL.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name or path.")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let feeds, pages and the webhook be on private or loopback addresses.")] = False,
    allow_network: Annotated[list[str] | None, typer.Option(
        "--allow-network", help="Allow this one private network (CIDR, e.g. 10.1.2.0/24); repeatable.")] = None,
) -> None:
    """Poll feeds and sitemaps, add new articles (changed ones as new versions) and alert on new figures.

    Conditional GET, one request at a time per host with --delay between, robots.txt obeyed, and a
    failing feed retried later and later. One log line per feed and poll on stderr; Ctrl-C or SIGTERM
    stops after the article being stored. Each feed's state is shown by `newsledger feeds`.
    """
    from newsledger.cli.extract_cmd import _quiet_libraries
    from newsledger.ledger.alerts import Notifier
    from newsledger.ledger.watch import Watcher, parse_duration, read_feed_list

    _quiet_libraries()
    interval = parse_duration(every)
    gap = parse_duration(delay, "--delay") if delay.strip() not in ("0", "0s") else 0.0
    urls = read_feed_list(feed_list)
    notifier = Notifier(notify_cmd, notify_url, allow_private, timeout,
                                                    tuple(allow_network or ())) if (notify_cmd or notify_url) else None

    def deliver(alert: dict[str, Any]) -> str | None:
        assert notifier is not None
        problem = notifier.send(alert)
        if problem:
            err_console.print(f"[yellow]alert not delivered:[/] {escape(problem)}", soft_wrap=True)
        return problem

    with _ledger(db, must_exist=False) as ledger:
        watcher = Watcher(ledger, urls, every=interval, delay=gap, timeout=timeout, allow_private=allow_private,
                          allow_networks=allow_network or [], deliver=deliver if notifier else None, measures=measure or [], model=model)
        _stop_on_signals(watcher.stop)
        err_console.print(f"watching {len(urls)} feeds every {every} -> {escape(ledger.store.display_url)}"
                          + ("" if once else " (Ctrl-C to stop)"), soft_wrap=True)
        watcher.run(_log, once=once)
        if watcher.stop.is_set():
            err_console.print("stopped")


def _log(result: Any) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    colour = {"ok": "green", "not modified": "dim", "error": "red", "backoff": "yellow"}.get(result.status, "yellow")
    err_console.print(f"{stamp} [{colour}]{escape(result.line())}[/]", soft_wrap=True)
    for reason in result.failed:
        err_console.print(f"{stamp}   [yellow]failed:[/] {escape(reason)}", soft_wrap=True)


@app.command()
def feeds(db: DbOption = None, format: FormatOption = "table") -> None:
    """Watched feeds: last poll, status, HTTP status, articles added, and the next try after errors."""
    _check_format(format)
    from newsledger.ledger.watch import feeds_table

    with _ledger(db) as ledger:
        found = feeds_table(ledger)
    rows = [{"feed": s.url, "kind": s.kind, "last_poll": s.last_poll, "status": s.last_status,
             "http": s.http_status, "articles": s.articles, "last_new": s.last_new, "failures": s.failures,
             "next_try": s.next_poll, "error": s.last_error} for s in found]
    emit(rows, format, columns=("feed", "kind", "last_poll", "status", "articles", "last_new", "failures",
                                "error"), empty="no feeds watched yet (start with `newsledger watch FEEDS.txt`)")


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)
