"""`newsledger extract` (articles to figures, quotes, entities, dates, events) and `newsledger eval` (gold scores)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date
from typing import Annotated, Any, Literal

import typer
from rich.console import Console

from newsledger.cli.app import app, err_console
from newsledger.cli.render import FormatChoice
from newsledger.config import Options, load_options
from newsledger.errors import InputError
from newsledger.model import Extraction, Rejected


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise InputError(f"--published {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2025-03-07") from err


def _quiet_libraries() -> None:
    # trafilatura and htmldate log a warning per odd page; our own messages already say what went wrong.
    for name in ("trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)


def progress_bar(enabled: bool, total: int | None, fields: str = "", *extra: Any) -> Any:
    """A progress display on stderr: a bar with the count, total and time left when the total is known,
    a spinner with the count otherwise (shared by `extract` and `add`)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[Any] = [SpinnerColumn()]
    if total:
        columns += [BarColumn(), MofNCompleteColumn(), TextColumn("articles"), TimeRemainingColumn()]
    else:
        columns += [TextColumn("{task.completed} articles")]
    columns += list(extra)
    if fields:
        columns.append(TextColumn(fields))
    columns.append(TimeElapsedColumn())
    return Progress(*columns, console=err_console, transient=True, disable=not enabled)


def _progress(enabled: bool, total: int | None = None) -> Any:
    return progress_bar(enabled, total)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Articles: .txt, .html, .jsonl, feeds, .warc(.gz), folders, http(s) URLs, or - for stdin.",
        show_default=False)],
    published: Annotated[str | None, typer.Option(
        help="Publication day (YYYY-MM-DD) for every article; relative dates resolve against it.")] = None,
    format: Annotated[FormatChoice | None, typer.Option(
        "--format", "-f", help="Output (json: one object, an array for several articles) \\[default: table].",
        show_default=False)] = None,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", help="Worker processes (the model loads once in each) \\[default: 1].",
        show_default=False)] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name or path.")] = None,
    encoding: Annotated[str | None, typer.Option(
        help="Encoding of text files when not UTF-8, e.g. latin-1.")] = None,
    max_chars: Annotated[int | None, typer.Option(
        help="Longest article text accepted, in characters \\[default: 1000000].", show_default=False)] = None,
    batch_size: Annotated[int | None, typer.Option(
        help="Articles parsed together by nlp.pipe \\[default: 32].", show_default=False)] = None,
    allow_private: Annotated[bool | None, typer.Option(
        "--allow-private/--no-allow-private",
        help="Let URLs and feeds point at private or loopback addresses.", show_default=False)] = None,
) -> None:
    """Extract figures, quotes, entities, dates and events from articles.

    JSON Lines output holds one line per input article, in input order, ids echoed; an input that gave no article gets a line {"id", "error", "where"} in its place and its reason on stderr.

    Texts that are not English fail with a message; inputs with no text are skipped. Exit code 0 when every input was extracted (or empty), 1 when some failed, 2 when none could be extracted.
    """
    from newsledger.cli.render import table_console, writer_for
    from newsledger.ingest.sources import count_inputs, read_sources
    from newsledger.pipeline import extract_parallel

    opts: Options = load_options(dict(format=format, jobs=jobs, model=model, encoding=encoding,
                                      max_chars=max_chars, batch_size=batch_size, allow_private=allow_private))
    when = _parse_date(published)
    _quiet_libraries()
    out_console = table_console()
    writer = writer_for(opts.format, sys.stdout, out_console)
    items = read_sources(paths, published=when, encoding=opts.encoding, allow_private=opts.allow_private,
                         max_chars=opts.max_chars)
    done = failed = empty = 0
    # The progress bar goes to stderr and only to a terminal; with a table on the same terminal it would
    # garble the listing, so it is shown for machine formats only.
    show = err_console.is_terminal and opts.format != "table"
    total = count_inputs(paths) if show else None
    try:
        with _progress(show, total) as progress:
            task = progress.add_task("extract", total=total)
            for result in extract_parallel(items, jobs=opts.jobs, model=opts.model,
                                           batch_size=opts.batch_size, max_chars=opts.max_chars):
                if isinstance(result, Rejected) and result.empty:
                    empty += 1
                    progress.console.print(f"[yellow]skipped:[/] {_esc(result.reason)}", soft_wrap=True)
                elif isinstance(result, Rejected):
                    failed += 1
                    progress.console.print(f"[yellow]failed:[/] {_esc(result.reason)}", soft_wrap=True)
                elif isinstance(result, Extraction):
                    done += 1
                    for warning in result.warnings:
                        progress.console.print(f"[yellow]warning:[/] {_esc(result.article.id or '')}: "
                                               f"{_esc(warning)}", soft_wrap=True)
                writer.write(result)
                progress.advance(task)
        writer.close()
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as other command-line tools do.
        _silence_stdout()
        return
    if done == 0:
        what = "the input" if failed + empty <= 1 else f"any of the {failed + empty} inputs"
        # An InputError, not typer.Exit: the entry point turns it into its exit code (2).
        raise InputError(f"nothing could be extracted from {what}", "see the reasons above")
    if failed:
        err_console.print(f"[bold red]error:[/] {failed} of {done + failed + empty} inputs failed (see above); "
                          f"the other {done + empty} were extracted or empty", soft_wrap=True)
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    gold: Annotated[str, typer.Argument(metavar="GOLD.jsonl", help="Gold .jsonl file of annotated articles.", show_default=False)],
    details: Annotated[bool, typer.Option(help="List every missed, spurious or wrong item.")] = False,
    format: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="Output format.")] = "table",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Worker processes \\[default: 1].",
                                             show_default=False)] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name or path.")] = None,
    events: Annotated[str | None, typer.Option(
        "--events", metavar="EVENTS.jsonl",
        help="Events gold for the same articles (by id), scored as ../shared/tools/score_events.py does.",
        show_default=False)] = None,
) -> None:
    """Score extraction against a gold file: P/R/F1 per metric and the spec's SCORE line (and the EVENTS line
    when the gold, or the --events file, has events)."""
    from newsledger.evaluate import evaluate_file

    if format not in ("table", "json"):
        raise InputError(f"unknown format {format!r} for eval", "use table or json")
    opts = load_options(dict(jobs=jobs, model=model))
    scores = evaluate_file(gold, jobs=opts.jobs, model=opts.model, batch_size=opts.batch_size, events=events)
    for item in scores.rejected:
        err_console.print(f"[yellow]skipped:[/] {_esc(item.reason)}", soft_wrap=True)
    if format == "json":
        data: dict[str, Any] = {"metrics": scores.metrics, "counts": scores.counts}
        if scores.events is not None:
            data["metrics"] = {**scores.metrics, **scores.events.metrics}
            data["event_counts"] = scores.events.counts
        if details:
            data["details"] = scores.details + (scores.events.details if scores.events is not None else [])
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    out = Console(highlight=False)
    if details:
        for note in scores.details:
            out.print(f"  {_esc(note)}", soft_wrap=True)
    for key, value in scores.metrics.items():
        out.print(f"{key:16s} {value:.3f}")
    out.print(f"counts {scores.counts}", soft_wrap=True)
    if scores.events is not None:
        if details:
            for note in scores.events.details:
                out.print(f"  {_esc(note)}", soft_wrap=True)
        for key, value in scores.events.metrics.items():
            out.print(f"{key:20s} {value:.3f}")
        out.print(f"event counts {scores.events.counts}", soft_wrap=True)
    out.print(scores.summary(), soft_wrap=True)
    if scores.events is not None:
        out.print(scores.events.summary(), soft_wrap=True)


def _silence_stdout() -> None:
    import os

    # Python flushes stdout again at exit; point it at /dev/null so that flush cannot fail a second time.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
