"""The ledger commands: add, series, conflicts, figures, quotes, articles, export, stats, diff, measures."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import ProgressColumn
from rich.table import Table
from rich.text import Text

from newsledger.cli.app import app, err_console
from newsledger.config import FORMATS, load_options
from newsledger.errors import InputError

DbOption = Annotated[str | None, typer.Option(
    "--db", help="Ledger database: a SQLite file or postgresql:// URL \\[default: $NEWSLEDGER_DB or "
    "./newsledger.db].", show_default=False)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(FORMATS)}.")]
LimitOption = Annotated[int | None, typer.Option(help="Show at most this many rows.")]
StoryOption = Annotated[int | None, typer.Option("--story", help="Only figures of this story's articles.")]


def _ledger(db: str | None, must_exist: bool = True, **kwargs: Any) -> Any:
    from newsledger.ledger import Ledger

    return Ledger(db, must_exist=must_exist, **kwargs)


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise InputError(f"{option} {value!r} is not a date", "write it as YYYY-MM-DD, e.g. 2025-03-07") from err


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}", f"choose one of {', '.join(FORMATS)}")


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _num(value: Any) -> str:
    if value is None:
        return ""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def emit(rows: Sequence[dict[str, Any]], format: str, *, columns: Sequence[str] | None = None,
         title: str | None = None, empty: str = "nothing found") -> None:
    """Print rows as a Rich table (the given columns) or every field as json, jsonl or csv."""
    rows = [{k: _plain(v) for k, v in r.items()} for r in rows]
    if format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif format == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    else:
        console = _table_console()
        if not rows:
            console.print(f"[dim]{escape(empty)}[/]")
            return
        cols = list(columns or rows[0])
        table = Table(title=title, show_lines=False, title_justify="left")
        for col in cols:
            table.add_column(col.replace("_", " "), overflow="fold",
                             justify="right" if col in ("value", "id", "figures", "article") else "left")
        for row in rows:
            table.add_row(*[escape(_cell(row.get(c))) for c in cols])
        console.print(table)


def _table_console() -> Console:
    console = Console(highlight=False)
    # Piped into a file or a pager, Rich would squeeze a wide table into 80 columns.
    return console if console.is_terminal else Console(highlight=False, width=200)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _num(value)
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:117] + "..."


# -- add ---------------------------------------------------------------------------------------------------
@app.command()
def add(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE", help="Articles: .txt, .html, .jsonl, feeds, .warc(.gz), folders, http(s) URLs, or -.",
        show_default=False)],
    db: DbOption = None,
    published: Annotated[str | None, typer.Option(
        help="Publication day (YYYY-MM-DD) for every article.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", help="Extraction worker processes.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name or path.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Encoding of text files when not UTF-8.")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let URLs and feeds point at private or loopback addresses.")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="Summary: table or json.")] = "table",
) -> None:
    """Add articles and everything extracted from them to the ledger (each article in one transaction).

    Articles already stored (same URL and text, or the same normalised text) are skipped, so running the
    same command again resumes where it stopped; a changed text at a known URL is stored as a new version.
    Exit code 0 when every input was stored or skipped, 2 when any input failed.
    """
    if format not in ("table", "json"):
        raise InputError(f"unknown format {format!r} for add", "use table or json")
    opts = load_options(dict(jobs=jobs, model=model, encoding=encoding))
    when = _date(published, "--published")
    from newsledger.cli.extract_cmd import _quiet_libraries

    _quiet_libraries()
    ledger = _ledger(db, must_exist=False, model=opts.model, jobs=opts.jobs, batch_size=opts.batch_size)
    show = err_console.is_terminal
    started = time.perf_counter()
    with ledger, _add_progress(show) as progress:
        task = progress.add_task("add", total=None)

        def tick(report: Any, where: str) -> None:
            progress.update(task, completed=report.seen, added=report.added + report.versions,
                            skipped=report.skipped, failed=len(report.failed))

        report = ledger.add(sources, published=when, encoding=opts.encoding, allow_private=allow_private,
                            progress=tick)
    seconds = time.perf_counter() - started
    reasons = [reason if where in reason else f"{where}: {reason}" for where, reason in report.failed]
    # Each failure is one line; the last becomes the error line itself, so one bad input is one line.
    for reason in reasons[:-1]:
        err_console.print(f"[yellow]failed:[/] {escape(reason)}", soft_wrap=True)
    stored = report.added + report.versions
    if format == "json":
        sys.stdout.write(json.dumps({
            "added": report.added, "new_versions": report.versions, "skipped_duplicates": report.skipped,
            "failed": [{"where": w, "reason": r} for w, r in report.failed], "figures": report.figures,
            "quotes": report.quotes, "seconds": round(seconds, 3)}, ensure_ascii=False) + "\n")
    else:
        rate = (stored / seconds) if seconds > 0 else 0.0
        Console(highlight=False).print(
            f"added {report.added}, new versions {report.versions}, skipped as duplicates {report.skipped}, "
            f"failed {len(report.failed)} ({report.figures} figures, {report.quotes} quotes; "
            f"{rate:.1f} articles/s) -> {escape(ledger.store.display_url)}", soft_wrap=True)
    if reasons:
        # An InputError, not typer.Exit: the entry point turns it into one line and exit code 2.
        more = f" (and {len(reasons) - 1} more failed inputs above)" if len(reasons) > 1 else ""
        raise InputError(reasons[-1] + more)


def _add_progress(enabled: bool) -> _Progress:
    return _Progress(enabled)


class _RateColumn(ProgressColumn):
    """Articles per second since the start (spaCy batches make the instantaneous rate jumpy)."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0.0
        return Text(f"{task.completed / elapsed:.1f} articles/s" if elapsed > 0 else "")


class _Progress:
    """A Rich progress bar whose task starts with the add counters at zero."""

    def __init__(self, enabled: bool) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.completed} articles"), _RateColumn(),
            TextColumn("added {task.fields[added]} · skipped {task.fields[skipped]} · failed {task.fields[failed]}"),
            TimeElapsedColumn(), console=err_console, transient=True, disable=not enabled)

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def add_task(self, name: str, total: int | None = None) -> Any:
        return self.progress.add_task(name, total=total, added=0, skipped=0, failed=0)

    def update(self, task: Any, **fields: Any) -> None:
        self.progress.update(task, **fields)


# -- questions ---------------------------------------------------------------------------------------------
_FIGURE_COLUMNS = ("as_of", "value_text", "counted", "source", "outlet", "measure_label", "article", "input_id")


def _figure_row(fig: Any, explain: bool = False) -> dict[str, Any]:
    from newsledger.ledger.conflicts import describe_value

    row = {
        "figure_id": fig.id, "article": fig.article_id, "as_of": fig.as_of, "published": fig.published,
        "value": fig.value, "value_max": fig.value_max, "qualifier": fig.qualifier,
        "value_text": describe_value(fig.value, fig.value_max, fig.qualifier) if fig.value is not None else "",
        "counted": fig.counted, "category": fig.category, "source": fig.source, "outlet": fig.outlet,
        "measure": fig.measure_key, "measure_label": fig.measure_label, "url": fig.url,
        "start": fig.span_start, "end": fig.span_end, "text": fig.text, "input_id": fig.article_source_id,
    }
    if explain:
        row["explanation"] = fig.measure_explanation
    return row


@app.command()
def series(
    measure: Annotated[str, typer.Argument(help="Words naming the measure, e.g. \"killed in Gaza\", or its key.")],
    db: DbOption = None, format: FormatOption = "table",
    all: Annotated[bool, typer.Option("--all", help="Every matching measure, not only the best match.")] = False,
    plot: Annotated[str | None, typer.Option(help="Also draw the series to this .png or .svg file.")] = None,
    story: StoryOption = None,
) -> None:
    """Values of a measure over as-of time, with qualifier, source, outlet and article."""
    _check_format(format)
    from newsledger.ledger.core import to_point
    from newsledger.ledger.series import plot_series

    with _ledger(db) as ledger:
        found = ledger.series(measure, all_matches=all, story=story)
        inputs = ledger.input_ids({f.article_id for s in found for f in s.figures})
    rows: list[dict[str, Any]] = []
    for s in found:
        figure_rows = [_figure_row(f) | {"input_id": inputs.get(f.article_id)} for f in s.figures]
        if format == "table":
            emit(figure_rows, format, columns=("as_of", "value_text", "source", "outlet", "counted", "article",
                                               "figure_id"),
                 title=escape(f"{s.label}  [{s.key}]  {len(s.figures)} figures"))
        rows.extend(figure_rows)
    if format != "table":
        emit(rows, format)
    if plot:
        from pathlib import Path

        points = [to_point(f) for s in found for f in s.figures if f.value is not None]
        drawn = plot_series(points, Path(plot), found[0].label if len(found) == 1 else measure)
        err_console.print(f"plotted {drawn} values to {escape(plot)}")


@app.command()
def conflicts(
    measure: Annotated[str | None, typer.Argument(help="Only this measure (words or key).")] = None,
    db: DbOption = None, format: FormatOption = "table",
    tolerance: Annotated[float, typer.Option(help="Relative difference allowed between values.")] = 0.02,
    story: StoryOption = None,
) -> None:
    """Figures of one measure that cannot all hold, each with a one-line reason."""
    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.conflicts(measure, tolerance=tolerance, story=story)
        inputs = ledger.input_ids({p.article_id for c in found for p in c.points})
    rows = [{"kind": c.kind, "measure": c.measure_key, "reason": c.reason,
             "figures": ", ".join(str(p.figure_id) for p in c.points),
             "articles": ", ".join(sorted({str(p.article_id) for p in c.points})),
             "input_ids": " ".join(sorted({str(inputs.get(p.article_id)) for p in c.points}))} for c in found]
    emit(rows, format, columns=("kind", "measure", "reason", "figures", "input_ids"), empty="no conflicts found")


@app.command()
def figures(
    db: DbOption = None, format: FormatOption = "table",
    source: Annotated[str | None, typer.Option(help="Only figures whose source contains these words.")] = None,
    since: Annotated[str | None, typer.Option(help="Only figures as of (else published) on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="... and on or before YYYY-MM-DD.")] = None,
    measure: Annotated[str | None, typer.Option(help="Only figures of this measure (words or key).")] = None,
    category: Annotated[str | None, typer.Option(help="Only this category (killed, injured, ...).")] = None,
    explain: Annotated[bool, typer.Option(help="Say how each figure was grouped into its measure.")] = False,
    limit: LimitOption = None,
) -> None:
    """Stored figures with their source, as-of date, measure and article."""
    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.figures(source=source, since=_date(since, "--since"), until=_date(until, "--until"),
                               measure=measure, category=category, limit=limit)
    cols = _FIGURE_COLUMNS + (("explanation",) if explain else ())
    emit([_figure_row(f, explain) for f in found], format, columns=cols, empty="no figures found")


@app.command()
def quotes(
    db: DbOption = None, format: FormatOption = "table",
    speaker: Annotated[str | None, typer.Option(help="Only quotes whose speaker contains these words.")] = None,
    search: Annotated[str | None, typer.Option(help="Only quotes whose words contain this text.")] = None,
    limit: LimitOption = None,
) -> None:
    """Stored quotes with their speaker, cue and article."""
    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.quotes(speaker=speaker, search=search, limit=limit)
        inputs = ledger.input_ids({x.article_id for x in found})
    rows = [{"quote_id": x.id, "article": x.article_id, "input_id": inputs.get(x.article_id),
             "published": x.published, "speaker": x.speaker,
             "speaker_mention": x.speaker_mention, "cue": x.cue, "kind": x.kind, "content": x.content,
             "outlet": x.outlet, "url": x.url, "start": x.span_start, "end": x.span_end} for x in found]
    emit(rows, format, columns=("published", "speaker", "cue", "content", "article"), empty="no quotes found")


@app.command()
def articles(
    db: DbOption = None, format: FormatOption = "table",
    search: Annotated[str | None, typer.Option(help="Full-text search: articles holding every word.")] = None,
    limit: LimitOption = None,
) -> None:
    """Stored articles, newest first, or those matching a full-text search, best first."""
    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.articles(search=search, limit=limit)
    rows = [{"article": x.id, "published": x.published, "title": x.title, "outlet": x.outlet,
             "url": x.url, "source_id": x.source_id, "version": x.version, "snippet": x.snippet}
            for x in found]
    cols = ("article", "published", "title", "outlet", "url") + (("snippet",) if search else ("source_id",))
    emit(rows, format, columns=cols, empty="no articles found")


@app.command()
def export(
    kind: Annotated[str, typer.Argument(help="figures, quotes, articles, entities, dates or events.")],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="parquet, csv or jsonl.")] = "jsonl",
    output: Annotated[str | None, typer.Option("--output", "-o", help="File to write \\[default: KIND.FORMAT].",
                                               show_default=False)] = None,
) -> None:
    """Write every stored record of one kind to a Parquet, CSV or JSON Lines file."""
    path = output or f"{kind}.{format}"
    with _ledger(db) as ledger:
        n = ledger.export(kind, format, path)
    Console(highlight=False).print(f"wrote {n} {escape(kind)} to {escape(path)}")


@app.command()
def stats(db: DbOption = None, format: FormatOption = "table") -> None:
    """What the ledger holds: articles, versions, figures, quotes, entities, dates, events, measures."""
    _check_format(format)
    with _ledger(db) as ledger:
        data = ledger.stats()
    if format == "table":
        emit([{"what": k.replace("_", " "), "count": v} for k, v in data.items()], format,
             columns=("what", "count"))
    else:
        emit([data], format)


@app.command()
def diff(
    url: Annotated[str, typer.Argument(help="The URL whose stored versions to compare.")],
    db: DbOption = None, format: FormatOption = "table",
) -> None:
    """Which figures and quotes changed between the stored versions of the article at a URL."""
    _check_format(format)
    with _ledger(db) as ledger:
        diffs = ledger.diff(url)
    rows: list[dict[str, Any]] = []
    for d in diffs:
        head = {"from_version": d.old_version, "to_version": d.new_version}
        rows += [{**head, "change": "+", "kind": "figure", "what": _fig_text(f), "article": d.new_article_id}
                 for f in d.figures_added]
        rows += [{**head, "change": "-", "kind": "figure", "what": _fig_text(f), "article": d.old_article_id}
                 for f in d.figures_removed]
        rows += [{**head, "change": "+", "kind": "quote", "what": _quote_text(x), "article": d.new_article_id}
                 for x in d.quotes_added]
        rows += [{**head, "change": "-", "kind": "quote", "what": _quote_text(x), "article": d.old_article_id}
                 for x in d.quotes_removed]
    if format == "table" and not diffs:
        Console(highlight=False).print(f"{escape(url)} has one stored version: nothing to compare")
        return
    if format == "table":
        for d in diffs:
            Console(highlight=False).print(
                f"version {d.old_version} -> {d.new_version}: figures +{len(d.figures_added)} "
                f"-{len(d.figures_removed)} ({d.unchanged_figures} unchanged), quotes +{len(d.quotes_added)} "
                f"-{len(d.quotes_removed)} ({d.unchanged_quotes} unchanged)")
    emit(rows, format, columns=("from_version", "to_version", "change", "kind", "what"),
         empty="no figure or quote changed")


def _fig_text(fig: Any) -> str:
    from newsledger.ledger.conflicts import describe_value

    value = describe_value(fig.value, fig.value_max, fig.qualifier) if fig.value is not None else fig.text
    parts = [value, fig.counted or "", f"({fig.category})"]
    if fig.source:
        parts.append(f"source: {fig.source}")
    if fig.as_of:
        parts.append(f"as of {fig.as_of.isoformat()}")
    return " ".join(p for p in parts if p)


def _quote_text(quote: Any) -> str:
    return f"{quote.speaker or '?'}: {quote.content}"


# -- measures and manual regrouping ------------------------------------------------------------------------
@app.command()
def measures(
    query: Annotated[str | None, typer.Argument(help="Only measures these words name.")] = None,
    db: DbOption = None, format: FormatOption = "table", limit: LimitOption = None,
) -> None:
    """Measures (what figures count) with their figure counts, after manual merges and splits."""
    _check_format(format)
    with _ledger(db) as ledger:
        found = ledger.measures(query)
    rows = [{"key": m.key, "label": m.label, "figures": m.figures, "merged_from": ", ".join(m.merged_from)}
            for m in found[:limit] if m.figures or m.merged_from]
    emit(rows, format, columns=("label", "figures", "key", "merged_from"), empty="no measures found")


@app.command()
def merge(
    source: Annotated[str, typer.Argument(help="The measure to merge away (words or key).")],
    target: Annotated[str, typer.Argument(help="The measure it belongs to (words or key).")],
    db: DbOption = None,
) -> None:
    """Read every figure of one measure as another's, now and for articles added later."""
    with _ledger(db) as ledger:
        src, dst = ledger.merge_measures(source, target)
    Console(highlight=False).print(f"merged {escape(src)} into {escape(dst)}")


@app.command()
def unmerge(
    key: Annotated[str, typer.Argument(help="The key of a measure merged earlier.")],
    db: DbOption = None,
) -> None:
    """Undo a merge: the measure's figures are read as their own measure again."""
    with _ledger(db) as ledger:
        n = ledger.unmerge(key)
    if not n:
        raise InputError(f"{key!r} is not merged into another measure", "see `newsledger measures`")
    Console(highlight=False).print(f"unmerged {escape(key)}")


@app.command()
def split(
    measure: Annotated[str, typer.Argument(help="The measure to split (words or key).")],
    pattern: Annotated[str, typer.Argument(help="Figures whose counted phrase or text holds this go apart.")],
    label: Annotated[str | None, typer.Option(help="Label of the new measure.")] = None,
    db: DbOption = None,
) -> None:
    """Move the figures of a measure that match a pattern into a measure of their own (kept across adds)."""
    with _ledger(db) as ledger:
        into = ledger.split_measure(measure, pattern, label=label)
    Console(highlight=False).print(f"split {escape(pattern)!s} into {escape(into)}")


@app.command()
def unsplit(
    key: Annotated[str, typer.Argument(help="The key of a measure made by `split`.")],
    db: DbOption = None,
) -> None:
    """Undo a split: its figures go back to the measure they were split from."""
    with _ledger(db) as ledger:
        n = ledger.unsplit(key)
    if not n:
        raise InputError(f"{key!r} was not made by a split", "see `newsledger measures`")
    Console(highlight=False).print(f"unsplit {escape(key)}")
