"""The ledger commands: add, series, conflicts, figures, quotes, articles, export, stats, diff, measures."""

from __future__ import annotations

import json
import math
import sys
import time
from datetime import date
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import ProgressColumn
from rich.table import Table
from rich.text import Text

from newsledger.cli.app import app, err_console
from newsledger.cli.render import (
    MAX_ROWS,
    FormatChoice,
    cell,
    emit,
    more_line,
    page_size,
    plain,
    table_console,
)
from newsledger.config import FORMATS, load_options
from newsledger.errors import InputError

DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="PATH|URL", help="Ledger database: a SQLite file or postgresql:// URL \\[default: "
    "$NEWSLEDGER_DB or ./newsledger.db].", show_default=False)]
FormatOption = Annotated[FormatChoice, typer.Option("--format", "-f", help="Output format.")]
LimitOption = Annotated[int | None, typer.Option(
    min=1, max=MAX_ROWS, metavar="N", show_default=False,
    help="Show at most N rows \\[default: 50 in a table, all in json, jsonl and csv].")]
OffsetOption = Annotated[int, typer.Option(min=0, max=MAX_ROWS, metavar="N", help="Skip the first N rows.")]
AllOption = Annotated[bool, typer.Option("--all", help="Show every row, however many.")]
AfterOption = Annotated[str | None, typer.Option(
    "--after", metavar="CURSOR", help="The page after the row of this cursor (shown after a page, and as "
    "`cursor` in json/jsonl with --limit): as fast on page 1,000 as on page 1.", show_default=False)]
ContextOption = Annotated[bool, typer.Option(
    "--context", help="Add each record's sentence and its article's URL (the evidence).")]

StoryOption = Annotated[int | None, typer.Option("--story", help="Only figures of this story's articles.")]

# Kept for commands that import them from here.
_plain = plain
_cell = cell


def _ledger(db: str | None, must_exist: bool = True, *, read_only: bool = False, **kwargs: Any) -> Any:
    """The ledger for a command: read commands open it read-only (never created, migrated or written)."""
    from newsledger.ledger import Ledger

    return Ledger(db, must_exist=must_exist, read_only=read_only, **kwargs)


def _reader(db: str | None) -> Any:
    return _ledger(db, read_only=True)


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


def _num(value: Any) -> str:
    return cell(value) if value is not None else ""


def _more(shown: int, offset: int, total: int | None, limit: int | None, format: str,
          cursor: str | None = None) -> None:
    if format == "table":
        more_line(err_console, shown=shown, offset=offset, total=total, limit=limit, cursor=cursor)


def _fetch(size: int | None, after: str | None) -> int | None:
    """Rows to read for a page: one more than shown after a cursor, to know whether another page follows
    (those pages are not counted: counting every row is what keyset paging spares)."""
    return size + 1 if size and after else size


def _page(found: list[Any], rows: list[dict[str, Any]], size: int | None, after: str | None, format: str,
          cursor_of: Any) -> tuple[list[Any], list[dict[str, Any]], bool, str | None]:
    """(records, rows) cut to the page, whether more follow a cursor's page, and the cursor of its last row;
    in json/jsonl, a paged listing gives each row its `cursor` (the last one's reads the next page)."""
    more = bool(size and after and len(found) > size)
    if more:
        found, rows = found[:size], rows[:size]
    if format in ("json", "jsonl") and (size or after):
        for record, row in zip(found, rows, strict=True):
            row["cursor"] = cursor_of(record)
    return found, rows, more, cursor_of(found[-1]) if found else None


def _total(after: str | None, more: bool, counted: Any) -> int | None:
    """The total the more line shows: counted on a first page (or an offset's), none after a cursor."""
    if after:
        return None if more else 0
    return counted()


def _with_context(ledger: Any, rows: list[dict[str, Any]]) -> None:
    """Add each row's sentence (from its article, start and end) in place."""
    sentences = ledger.sentences((r["article"], r["start"], r["end"]) for r in rows)
    for row, sentence in zip(rows, sentences, strict=True):
        row["sentence"] = sentence


# -- add ---------------------------------------------------------------------------------------------------
@app.command()
def add(
    sources: Annotated[list[str], typer.Argument(
        metavar="SOURCE...", help="Articles: .txt, .html, .jsonl, feeds, .warc(.gz), folders, http(s) URLs, "
        "or -.", show_default=False)],
    db: DbOption = None,
    published: Annotated[str | None, typer.Option(
        metavar="YYYY-MM-DD", help="Publication day for every article.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, max=256, metavar="N",
                                             help="Extraction worker processes.")] = None,
    model: Annotated[str | None, typer.Option(metavar="NAME", help="spaCy model name or path.")] = None,
    encoding: Annotated[str | None, typer.Option(metavar="CODEC",
                                                 help="Encoding of text files when not UTF-8.")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let URLs and feeds point at private or loopback addresses.")] = False,
    format: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="Summary format.")] = "table",
    engine: Annotated[str, typer.Option(help="Where extraction runs: local processes, or ray (Ray Data).")] = "local",
    address: Annotated[str | None, typer.Option(help="With --engine ray: the cluster to join \\[default: "
                                                "start Ray here].", show_default=False)] = None,
    shards: Annotated[str | None, typer.Option(help="With --engine ray: write Parquet shards to this folder "
                                               "(for `newsledger load`) instead of storing.")] = None,
) -> None:
    """Add articles and everything extracted from them to the ledger (each article in one transaction).

    Articles already stored (same URL and text, or the same normalised text) are skipped, so running the same command again resumes where it stopped; a changed text at a known URL is stored as a new version. Inputs with no text (an empty file, a JSON line with an empty "text") are skipped and counted. The database is created when the first article is stored; a database that is not a ledger is refused.

    Exit code 0 when every input was stored, already there or empty; 1 when some inputs failed (each named on stderr) and the rest were stored; 2 when nothing could be added.
    """
    opts = load_options(dict(jobs=jobs, model=model, encoding=encoding))
    when = _date(published, "--published")
    from newsledger.cli.extract_cmd import _quiet_libraries
    from newsledger.ingest.sources import count_inputs

    _quiet_libraries()
    ledger = _ledger(db, must_exist=False, lazy=True, model=opts.model, jobs=opts.jobs,
                     batch_size=opts.batch_size)
    show = err_console.is_terminal
    total = count_inputs(sources) if show else None
    started = time.perf_counter()
    with ledger, _add_progress(show) as progress:
        task = progress.add_task("add", total=total)

        def tick(report: Any, where: str) -> None:
            progress.update(task, completed=report.seen, added=report.added + report.versions,
                            skipped=report.skipped + report.empty, failed=len(report.failed))

        if engine != "local" or address or shards:
            from newsledger.cli.bulk_cmd import add_on_engine

            report = add_on_engine(engine, ledger, sources, address=address, shards=shards, jobs=jobs,
                                   published=when, encoding=opts.encoding, allow_private=allow_private,
                                   model=opts.model, progress=tick)
        else:
            report = ledger.add(sources, published=when, encoding=opts.encoding, allow_private=allow_private,
                                progress=tick)
    seconds = time.perf_counter() - started
    reasons = [reason if where in reason else f"{where}: {reason}" for where, reason in report.failed]
    code = report.exit_code
    # Each failure is one line; the last becomes the error line itself, so one bad input is one line.
    for reason in reasons[:-1]:
        err_console.print(f"[yellow]failed:[/] {escape(reason)}", soft_wrap=True)
    if report.empty:
        first = report.empty_where[0]
        err_console.print(f"[yellow]skipped:[/] {report.empty} input{'s' if report.empty != 1 else ''} with no "
                          f"text ({escape(first)}{', ...' if report.empty > 1 else ''})", soft_wrap=True)
    stored = report.added + report.versions
    if format == "json":
        sys.stdout.write(json.dumps({
            "added": report.added, "new_versions": report.versions, "skipped_duplicates": report.skipped,
            "skipped_empty": report.empty,
            "failed": [{"where": w, "reason": r} for w, r in report.failed], "figures": report.figures,
            "quotes": report.quotes, "seconds": round(seconds, 3), "exit_code": code}, ensure_ascii=False) + "\n")
    elif stored or report.skipped:
        rate = (stored / seconds) if seconds > 0 else 0.0
        Console(highlight=False).print(
            f"added {report.added}, new versions {report.versions}, skipped as duplicates {report.skipped}, "
            f"skipped as empty {report.empty}, failed {len(report.failed)} ({report.figures} figures, "
            f"{report.quotes} quotes; {rate:.1f} articles/s) -> {escape(ledger.display_url)}", soft_wrap=True)
    if code == 2:
        if reasons:
            more = f" (and {len(reasons) - 1} more failed inputs above)" if len(reasons) > 1 else ""
            raise InputError(reasons[-1] + more, "nothing was added")
        raise InputError("nothing to add: every input was empty", "give files or lines that hold article text")
    if code == 1:
        others = report.seen - len(reasons)
        err_console.print(f"[bold red]error:[/] {escape(reasons[-1])} ({len(reasons)} of {report.seen} inputs "
                          f"failed; the other {others} were stored, already there or empty)", soft_wrap=True)
        raise typer.Exit(1)


def _add_progress(enabled: bool) -> _Progress:
    return _Progress(enabled)


class _RateColumn(ProgressColumn):
    """Articles per second since the start (spaCy batches make the instantaneous rate jumpy)."""

    def render(self, task: Any) -> Text:
        elapsed = task.elapsed or 0.0
        return Text(f"{task.completed / elapsed:.1f} articles/s" if elapsed > 0 else "")


class _Progress:
    """A Rich progress bar whose task starts with the add counters at zero: a bar with the total and the
    time left where the number of inputs is known beforehand, a spinner where it is not."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Any = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def add_task(self, name: str, total: int | None = None) -> Any:
        from newsledger.cli.extract_cmd import progress_bar

        self.progress = progress_bar(self.enabled, total, "added {task.fields[added]} · skipped "
                                     "{task.fields[skipped]} · failed {task.fields[failed]}", _RateColumn())
        self.progress.__enter__()
        return self.progress.add_task(name, total=total, added=0, skipped=0, failed=0)

    def update(self, task: Any, **fields: Any) -> None:
        self.progress.update(task, **fields)


# -- questions ---------------------------------------------------------------------------------------------
_FIGURE_COLUMNS = ("figure_id", "as_of", "value_text", "counted", "source", "outlet", "measure_label", "article", "input_id")
_CONTEXT_COLUMNS = ("sentence", "url")


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
    plot: Annotated[str | None, typer.Option(metavar="FILE", help="Also draw the series to this .png or .svg "
                                             "file.")] = None,
    context: ContextOption = False,
    story: StoryOption = None,
) -> None:
    """Values of a measure over as-of time, with qualifier, source, outlet and article."""
    from newsledger.ledger.core import to_point
    from newsledger.ledger.estimates import best_estimate
    from newsledger.ledger.series import plot_series

    plot_path = _plot_path(plot) if plot else None
    with _reader(db) as ledger:
        found = ledger.series(measure, all_matches=all, story=story)
        inputs = ledger.input_ids({f.article_id for s in found for f in s.figures})
        points = {s.key: [to_point(f) for f in s.figures if f.value is not None] for s in found}
        refs: dict[str, dict[str, float]] = {}
        for v in ledger.reference_values(points):
            refs.setdefault(v.measure_key, {})[v.as_of.isoformat()] = v.value
        flagged = {c.points[0].figure_id: c.reason
                   for c in ledger.reference_outliers([p for ps in points.values() for p in ps])}
        per_series = []
        for s in found:
            figure_rows = []
            for f in s.figures:
                row = _figure_row(f) | {"input_id": inputs.get(f.article_id), "period": f.period}
                if refs:
                    day = f.as_of or f.published
                    row["reference"] = refs.get(s.key, {}).get(day.isoformat()) if day else None
                    row["outlier"] = flagged.get(f.id, "")
                figure_rows.append(row)
            if context:
                _with_context(ledger, figure_rows)
            per_series.append(figure_rows)
    rows: list[dict[str, Any]] = []
    for s, figure_rows in zip(found, per_series, strict=True):
        est = best_estimate(points[s.key])
        if format == "table":
            cols: tuple[str, ...] = ("as_of",) + (("period",) if any(f.period for f in s.figures) else ()) + (
                "value_text", "source", "outlet", "counted", "article", "figure_id")
            if refs:
                cols += ("reference", "outlier")
            emit(figure_rows, format, columns=cols + (_CONTEXT_COLUMNS if context else ()),
                 title=f"{s.label}  [{s.key}]  {len(s.figures)} figures")
            if est is not None:
                Console(highlight=False).print(
                    f"best estimate: {escape(est.text)} (figure {est.figure_id}; rests on figures "
                    f"{', '.join(map(str, est.rests_on))})", soft_wrap=True)
        else:
            for row in figure_rows:
                row["best_estimate"] = est.text if est is not None and row["figure_id"] == est.figure_id \
                    else None
        rows.extend(figure_rows)
    if format != "table":
        emit(rows, format)
    if plot_path is not None:
        try:
            drawn = plot_series([p for ps in points.values() for p in ps], plot_path,
                                found[0].label if len(found) == 1 else measure)
        except OSError as err:
            raise InputError(f"cannot write the plot {plot_path}: {err.strerror or err}",
                             "give a file in a folder you can write to") from err
        err_console.print(f"plotted {drawn} values to {escape(str(plot_path.resolve()))}")


def _plot_path(plot: str) -> Any:
    from pathlib import Path

    path = Path(plot)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write the plot {plot}: folder {folder} does not exist",
                         "create the folder first or give another file")
    if path.is_dir():
        raise InputError(f"cannot write the plot {plot}: it is a folder", "give a file name ending in .png or .svg")
    return path


@app.command()
def conflicts(
    measure: Annotated[str | None, typer.Argument(help="Only this measure (words or key).")] = None,
    db: DbOption = None, format: FormatOption = "table",
    tolerance: Annotated[float, typer.Option(
        metavar="FRACTION", help="Relative difference allowed between values, from 0 to 1.")] = 0.02,
    context: ContextOption = False, story: StoryOption = None,
    kind: Annotated[str | None, typer.Option(
        help="Only this kind: qualifiers, disagreement, decrease, part_exceeds_whole, reference.")] = None,
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only conflicts whose latest "
                                              "figure is as of this day or later.")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only conflicts whose latest "
                                              "figure is as of this day or earlier.")] = None,
    rebuild: Annotated[bool, typer.Option(
        "--rebuild", help="Find every conflict again and keep them (a ledger made by an older newsledger).")] = False,
    limit: LimitOption = None, offset: OffsetOption = 0, all_rows: AllOption = False, after: AfterOption = None,
) -> None:
    """Figures that cannot all hold, newest first, each with its reason and the sentences it rests on.

    Kinds: qualifiers (a bound the other value lies outside of), disagreement (values more than the
    tolerance apart on one day or period), decrease (a running total falling), part_exceeds_whole,
    reference (outside a loaded reference series). With --context, each figure's sentence and URL.
    Conflicts are kept as articles arrive; another --tolerance finds them again for this query."""
    if not math.isfinite(tolerance) or not 0 <= tolerance <= 1:
        raise InputError(f"--tolerance {tolerance} is not a fraction from 0 to 1", "e.g. --tolerance 0.02 for 2%")
    size = page_size(format, limit, all_rows)
    first, last = _date(since, "--since"), _date(until, "--until")
    if rebuild:
        with _ledger(db) as writer:
            writer.rebuild_conflicts()
    from newsledger.ledger.conflict_table import cursor

    with _reader(db) as ledger:
        page = ledger.conflicts(measure, tolerance=tolerance, story=story, kind=kind, since=first, until=last,
                                limit=_fetch(size, after), offset=offset, after=after)
        inputs = ledger.input_ids({p.article_id for c in page for p in c.points if p.article_id >= 0})
        rows = [{"kind": c.kind, "measure": c.measure_key, "story": c.story, "reason": c.reason,
                 "figures": [p.figure_id for p in c.points if p.article_id >= 0],  # added ones negative
                 "articles": sorted({p.article_id for p in c.points if p.article_id >= 0}),
                 "input_ids": sorted({str(inputs.get(p.article_id)) for p in c.points if p.article_id >= 0}),
                 "sentences": c.sentences} for c in page]
        page, rows, more, last_cursor = _page(page, rows, size, after, format, cursor)
        total = _total(after, more, lambda: offset + len(page) if not size or len(page) < size
                       else ledger.count_conflicts(measure, tolerance=tolerance, story=story, kind=kind, since=first,
                                                   until=last))
        if context:
            ids = sorted({i for r in rows for i in r["figures"]})
            figs = {f.id: f for f in ledger.figures(ids=ids)} if ids else {}
            spans = [(figs[i].article_id, figs[i].span_start, figs[i].span_end) for i in ids if i in figs]
            sentences = dict(zip([i for i in ids if i in figs], ledger.sentences(spans), strict=True))
            for row in rows:
                row["evidence"] = [{"figure_id": i, "article": figs[i].article_id, "url": figs[i].url,
                                    "sentence": sentences[i]} for i in row["figures"] if i in figs]
    if format == "table":
        for row in rows:
            row["figures"] = ", ".join(map(str, row["figures"]))
            row["sentences"] = "\n".join(f"{i + 1}. {t}" for i, t in enumerate(row["sentences"]))
            if context:
                row["sentences"] += "".join(f"\n<{e['url']}>" for e in row["evidence"] if e["url"])
        if rows:
            table_console().print(_conflict_table(rows))
        else:
            emit([], format, empty="no conflicts found")
    elif format == "csv":
        emit([{**{k: v for k, v in r.items() if k != "evidence"},
               "figures": " ".join(map(str, r["figures"])), "articles": " ".join(map(str, r["articles"])),
               "input_ids": " ".join(r["input_ids"]), "sentences": " | ".join(r["sentences"])} for r in rows],
             format)
    else:
        emit(rows, format, empty="no conflicts found")
    _more(len(rows), offset, total, size, format, last_cursor)


def _conflict_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(show_lines=True)
    for col in ("kind", "measure", "reason", "sentences", "figures"):
        table.add_column(col, overflow="fold", ratio=3 if col == "sentences" else (2 if col == "reason" else 1))
    for r in rows:
        table.add_row(*[escape(str(r[c])) for c in ("kind", "measure", "reason", "sentences", "figures")])
    return table


@app.command()
def figures(
    db: DbOption = None, format: FormatOption = "table",
    source: Annotated[str | None, typer.Option(metavar="WORDS", help="Only figures whose source contains "
                                               "these words.")] = None,
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only figures as of (else published) "
                                              "on or after this day.")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="... and on or before this day.")] = None,
    measure: Annotated[str | None, typer.Option(metavar="WORDS", help="Only figures of this measure (words or "
                                                "key).")] = None,
    category: Annotated[str | None, typer.Option(metavar="NAME", help="Only this category (killed, injured, "
                                                 "...).")] = None,
    id: Annotated[list[int] | None, typer.Option("--id", metavar="ID", help="Only this figure (repeat for "
                                                 "more).", show_default=False)] = None,
    article: Annotated[list[int] | None, typer.Option("--article", metavar="ID", help="Only figures of this "
                                                      "article (repeat for more).", show_default=False)] = None,
    explain: Annotated[bool, typer.Option("--explain", help="Say how each figure was grouped into its "
                                          "measure.")] = False,
    context: ContextOption = False,
    limit: LimitOption = None, offset: OffsetOption = 0, all_rows: AllOption = False, after: AfterOption = None,
) -> None:
    """Stored figures with their source, as-of date, measure and article; figures people added are listed
    in their place, flagged `added` (their id is minus the addition's id: `correct figure --added ID`)."""
    from newsledger.ledger.cursors import figure_cursor

    size = page_size(format, limit, all_rows)
    filters = dict(source=source, since=_date(since, "--since"), until=_date(until, "--until"),
                   measure=measure, category=category, ids=id or None, article_ids=article or None)
    with _reader(db) as ledger:
        found = ledger.figures(**filters, limit=_fetch(size, after), offset=offset, added=True, after=after)
        rows = [_figure_row(f, explain) | {"added": f.id < 0} for f in found]  # a person's (minus its id)
        found, rows, more, last = _page(found, rows, size, after, format, figure_cursor)
        total = _total(after, more, lambda: ledger.count_figures(**filters, added=True)
                       if format == "table" and size and len(found) == size else 0)
        if context:
            _with_context(ledger, rows)
    cols = (_FIGURE_COLUMNS + (("added",) if any(r["added"] for r in rows) else ())
            + (("explanation",) if explain else ()) + (_CONTEXT_COLUMNS if context else ()))
    emit(rows, format, columns=cols, empty="no figures found")
    _more(len(rows), offset, total, size, format, last)


@app.command()
def quotes(
    db: DbOption = None, format: FormatOption = "table",
    speaker: Annotated[str | None, typer.Option(metavar="WORDS", help="Only quotes whose speaker contains "
                                                "these words.")] = None,
    search: Annotated[str | None, typer.Option(metavar="TEXT", help="Only quotes whose words contain this "
                                               "text.")] = None,
    context: ContextOption = False,
    limit: LimitOption = None, offset: OffsetOption = 0, all_rows: AllOption = False, after: AfterOption = None,
) -> None:
    """Stored quotes with their speaker, cue and article."""
    from newsledger.ledger.cursors import quote_cursor

    size = page_size(format, limit, all_rows)
    with _reader(db) as ledger:
        found = ledger.quotes(speaker=speaker, search=search, limit=_fetch(size, after), offset=offset, after=after)
        rows = [{"quote_id": x.id, "article": x.article_id, "published": x.published, "speaker": x.speaker,
                 "speaker_mention": x.speaker_mention, "cue": x.cue, "kind": x.kind, "content": x.content,
                 "outlet": x.outlet, "url": x.url, "start": x.span_start, "end": x.span_end} for x in found]
        found, rows, more, last = _page(found, rows, size, after, format, quote_cursor)
        total = _total(after, more, lambda: ledger.count_quotes(speaker=speaker, search=search)
                       if format == "table" and size and len(found) == size else 0)
        if context:
            _with_context(ledger, rows)
    cols = ("quote_id", "published", "speaker", "cue", "content", "article") + (_CONTEXT_COLUMNS if context else ())
    emit(rows, format, columns=cols, empty="no quotes found")
    _more(len(rows), offset, total, size, format, last)


@app.command()
def articles(
    db: DbOption = None, format: FormatOption = "table",
    search: Annotated[str | None, typer.Option(metavar="WORDS", help="Full-text search: articles holding every "
                                               "word (at most 32 words).")] = None,
    before: Annotated[int | None, typer.Option(metavar="ID", help="With --search: the matches stored before "
                                               "article ID (the next page after a page ending at ID).")] = None,
    limit: LimitOption = None, offset: OffsetOption = 0, all_rows: AllOption = False, after: AfterOption = None,
) -> None:
    """Stored articles, newest first, or those matching a full-text search, latest stored first."""
    from newsledger.ledger.cursors import article_cursor

    size = page_size(format, limit, all_rows)
    with _reader(db) as ledger:
        found = ledger.articles(search=search, limit=_fetch(size, after), offset=offset, before=before, after=after)
        rows = [{"article": x.id, "published": x.published, "title": x.title, "outlet": x.outlet,
             "url": x.url, "source_id": x.source_id, "version": x.version, "snippet": x.snippet}
                for x in found]
        found, rows, more, last = _page(found, rows, size, after, format, lambda x: article_cursor(x, bool(search)))
        total = _total(after, more, lambda: ledger.count_articles(search=search)
                       if format == "table" and size and len(found) == size else 0)
    cols = ("article", "published", "title", "outlet", "url") + (("snippet",) if search else ("source_id",))
    emit(rows, format, columns=cols, empty="no articles found")
    _more(len(rows), offset, total, size, format, last)


@app.command()
def export(
    kind: Annotated[Literal["figures", "quotes", "articles", "entities", "dates", "events"], typer.Argument(
        help="What to export.")],
    db: DbOption = None,
    format: Annotated[Literal["jsonl", "csv", "parquet"], typer.Option("--format", "-f",
                                                                       help="File format.")] = "jsonl",
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="FILE",
                                               help="File to write \\[default: KIND.FORMAT].",
                                               show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write every stored record of one kind to a Parquet, CSV or JSON Lines file (an existing file only with
    --force)."""
    from pathlib import Path

    path = Path(output or f"{kind}.{format}")
    if path.exists() and not force:
        raise InputError(f"{path} already exists", "give another file with --output, or --force to overwrite it")
    with _reader(db) as ledger:
        n = ledger.export(kind, format, str(path))
    Console(highlight=False).print(f"wrote {n} {escape(kind)} to {escape(str(path.resolve()))}", soft_wrap=True)


@app.command()
def stats(db: DbOption = None, format: FormatOption = "table") -> None:
    """What the ledger holds: articles, versions, figures, quotes, entities, dates, events, measures."""
    with _reader(db) as ledger:
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
    with _reader(db) as ledger:
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
    db: DbOption = None, format: FormatOption = "table",
    limit: LimitOption = None, offset: OffsetOption = 0, all_rows: AllOption = False, after: AfterOption = None,
    best_estimates: Annotated[bool, typer.Option(
        "--best/--no-best", help="Show each measure's best estimate (reads its figures).")] = True,
) -> None:
    """Measures (what figures count) with their figure counts and best estimates, after manual merges and
    splits: most figures first; with words, measures whose label holds every word first."""
    from newsledger.ledger.cursors import measure_cursor

    size = page_size(format, limit, all_rows)
    with _reader(db) as ledger:
        found = [m for m in ledger.measures(query, after=after) if m.figures or m.merged_from]
        page = found[offset:offset + size] if size else found[offset:]
        best = ledger.best_estimates(m.key for m in page) if best_estimates else {}
    rows = [{"key": m.key, "label": m.label, "figures": m.figures, "merged_from": list(m.merged_from),
             "best_estimate": best[m.key].text if m.key in best else None,
             "best_figure": best[m.key].figure_id if m.key in best else None} for m in page]
    page, rows, _, last = _page(page, rows, size, None, format, lambda m: measure_cursor(m, query))
    # After a cursor, what is left is counted from the cursor on: shown as a page from its start.
    emit(rows, format, columns=("label", "figures", "best_estimate", "key", "merged_from"),
         empty="no measures found")
    _more(len(rows), offset, len(found), size, format, last)


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
