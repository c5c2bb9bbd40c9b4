"""Output of `newsledger extract`: a Rich table for people, spec JSON / JSON Lines, and CSV with one row an item."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TextIO

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsledger.model import Extraction, Rejected

# Where the text in the output is not the text the user gave (a page, a feed item, an archive record),
# offsets point into the extracted text, so the output carries it (spec: "for HTML ... also `text`").
EXTRACTED_ORIGINS = frozenset({"html", "feed", "warc", "url"})


def as_dict(result: Extraction) -> dict[str, Any]:
    """The spec's JSON object, with `text` where the text was extracted from markup."""
    return result.to_dict(include_text=result.article.origin in EXTRACTED_ORIGINS)


def rejected_dict(item: Rejected) -> dict[str, Any]:
    """The JSON line written in place of an input that gave no article, so lines stay aligned with input."""
    return {"id": item.id, "error": item.reason, "where": item.where}


class JsonLinesWriter:
    """One object a line, written as results arrive."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, item: Extraction | Rejected) -> None:
        obj = as_dict(item) if isinstance(item, Extraction) else rejected_dict(item)
        self.out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.out.flush()

    def close(self) -> None:
        pass


class JsonWriter:
    """One article: its object; several: a JSON array of them (inputs that failed are left out)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.items: list[dict[str, Any]] = []

    def write(self, item: Extraction | Rejected) -> None:
        if isinstance(item, Extraction):
            self.items.append(as_dict(item))

    def close(self) -> None:
        if not self.items:
            return
        data: Any = self.items[0] if len(self.items) == 1 else self.items
        self.out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


CSV_COLUMNS: tuple[str, ...] = (
    "id", "item", "start", "end", "text", "value", "value_max", "qualifier", "counted", "category", "source",
    "as_of", "part_of", "kind", "speaker", "speaker_mention", "cue", "content", "label", "canonical",
    "resolved", "resolved_end", "granularity", "relative", "trigger", "actor", "target", "date",
)


def csv_rows(result: Extraction) -> Iterable[dict[str, Any]]:
    """One row per figure, quote, entity, date and event, in text order."""
    rows: list[dict[str, Any]] = []
    aid = result.article.id
    for f in result.figures:
        rows.append(dict(item="figure", start=f.start, end=f.end, text=f.text, value=f.value,
                         value_max=f.value_max, qualifier=f.qualifier, counted=f.counted,
                         category=f.category, source=f.source, as_of=f.as_of, part_of=f.part_of))
    for q in result.quotes:
        rows.append(dict(item="quote", start=q.start, end=q.end, kind=q.kind, speaker=q.speaker,
                         speaker_mention=q.speaker_mention, cue=q.cue, content=q.content))
    for e in result.entities:
        rows.append(dict(item="entity", start=e.start, end=e.end, text=e.text, label=e.label,
                         canonical=e.canonical))
    for d in result.dates:
        rows.append(dict(item="date", start=d.start, end=d.end, text=d.text, resolved=d.value,
                         resolved_end=d.value_end, granularity=d.granularity, relative=d.relative))
    for ev in result.events:
        rows.append(dict(item="event", start=ev.start, end=ev.end, text=ev.text, trigger=ev.trigger,
                         type=ev.type, status=ev.status, actor="; ".join(ev.actor),
                         recipient="; ".join(ev.recipient), date=ev.date))
    rows.sort(key=lambda r: (r["start"], r["end"]))
    for row in rows:
        row["id"] = aid
        yield row


class CsvWriter:
    """CSV with a header and one row per extracted item; failed inputs are reported on stderr only."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, item: Extraction | Rejected) -> None:
        if isinstance(item, Extraction):
            self.writer.writerows(csv_rows(item))
            self.out.flush()

    def close(self) -> None:
        pass


def _num(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


def _cell(value: Any) -> str:
    return "" if value is None else escape(str(value))


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TableWriter:
    """For people: per article a heading, then figures, quotes and dates/events, each in text order."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def write(self, item: Extraction | Rejected) -> None:
        if isinstance(item, Rejected):
            return
        a = item.article
        bits = [f"[bold]{_cell(a.title or a.id or 'article')}[/]"]
        if a.title and a.id:
            bits.append(f"[dim]{_cell(a.id)}[/]")
        if a.outlet:
            bits.append(_cell(a.outlet))
        bits.append(f"published {a.published.isoformat()}" if a.published else "[dim]no publication date[/]")
        if self.console.is_terminal:
            self.console.rule(" · ".join(bits), align="left")
        else:  # piped: a heading line, not a rule as wide as the (unbounded) page
            self.console.print("── " + " · ".join(bits), soft_wrap=True)
        self._figures(item)
        self._quotes(item)
        self._dates_events(item)
        for warning in item.warnings:
            self.console.print(f"[yellow]warning:[/] {_cell(warning)}")

    def _figures(self, item: Extraction) -> None:
        if not item.figures:
            self.console.print("[dim]no figures[/]")
            return
        t = Table(title="Figures", title_justify="left", header_style="bold cyan", expand=False)
        for col in ("#", "value", "qualifier", "counted", "category", "source", "as of", "text"):
            t.add_column(col, overflow="fold")
        order = sorted(range(len(item.figures)), key=lambda i: item.figures[i].start)
        for i in order:
            f = item.figures[i]
            value = _num(f.value) + (f"–{_num(f.value_max)}" if f.value_max is not None else "")
            qual = "" if f.qualifier == "exact" else f.qualifier
            part = f" [dim](part of #{f.part_of})[/]" if f.part_of is not None else ""
            t.add_row(str(i), f"[bold green]{value}[/]", f"[magenta]{qual}[/]", _cell(f.counted) + part,
                      _cell(f.category), f"[yellow]{_cell(f.source)}[/]", _cell(f.as_of),
                      f"[dim]{_cell(f.text)}[/]")
        self.console.print(t)

    def _quotes(self, item: Extraction) -> None:
        if not item.quotes:
            self.console.print("[dim]no quotes[/]")
            return
        t = Table(title="Quotes", title_justify="left", header_style="bold cyan")
        for col in ("speaker", "cue", "kind", "content"):
            t.add_column(col, overflow="fold")
        for q in sorted(item.quotes, key=lambda q: q.start):
            speaker = q.speaker or q.speaker_mention
            t.add_row(f"[yellow]{_cell(speaker)}[/]", _cell(q.cue), f"[dim]{q.kind}[/]", _cell(_short(q.content)))
        self.console.print(t)

    def _dates_events(self, item: Extraction) -> None:
        rows: list[tuple[int, str, str, str]] = []
        for d in item.dates:
            resolved = d.value or "[dim]unresolved[/]"
            if d.value_end and d.value_end != d.value:
                resolved += f" … {d.value_end}"
            rows.append((d.start, "date", _cell(d.text), resolved))
        for ev in item.events:
            who = " → ".join(_cell("; ".join(x)) for x in (ev.actor, ev.recipient) if x)
            rows.append((ev.start, "event", _cell(f"{ev.trigger} ({ev.type}, {ev.status})"),
                         f"{who} {_cell(ev.date)}".strip()))
        if not rows:
            return
        t = Table(title="Dates and events", title_justify="left", header_style="bold cyan")
        for col in ("kind", "text", "resolved / who, when"):
            t.add_column(col, overflow="fold")
        for _, kind, text, extra in sorted(rows, key=lambda r: r[0]):
            t.add_row(f"[dim]{kind}[/]", text, extra)
        self.console.print(t)

    def close(self) -> None:
        pass


def writer_for(fmt: str, out: TextIO, console: Console) -> Any:
    """The writer for a format name (table, json, jsonl, csv)."""
    if fmt == "json":
        return JsonWriter(out)
    if fmt == "jsonl":
        return JsonLinesWriter(out)
    if fmt == "csv":
        return CsvWriter(out)
    return TableWriter(console)


# -- shared by every listing command: formats, paging, tables that survive a pipe ---------------------
FormatChoice = Literal["table", "json", "jsonl", "csv"]
# A table for people shows this many rows unless --limit or --all say otherwise; machine formats show all.
DEFAULT_TABLE_LIMIT = 50
MAX_ROWS = 1_000_000_000


def stdout_is_terminal() -> bool:
    return Console().is_terminal


def table_console() -> Console:
    """The console tables are printed on: the terminal's width, or (piped into a file or a pager) as wide
    as each table needs, so no cell is folded into 80 columns."""
    console = Console(highlight=False)
    return console if console.is_terminal else Console(highlight=False, width=100_000)


def page_size(format: str, limit: int | None, all_rows: bool) -> int | None:
    """How many rows to show: --all none, else --limit, else 50 for a table and all for machine formats."""
    if all_rows:
        return None
    if limit is not None:
        return limit
    return DEFAULT_TABLE_LIMIT if format == "table" else None


def more_line(console: Console, *, shown: int, offset: int, total: int | None, limit: int | None,
              cursor: str | None = None) -> None:
    """After a page: how many rows are left and how to see them (on stderr, so piped rows stay clean).
    With the page's cursor the next page is `--after CURSOR` (keyset paging: as fast on page 1,000 as on
    page 1, and rows added meanwhile do not shift it), else `--offset N`. `total` None: a page read after
    a cursor, with more rows behind it (they are not counted)."""
    step = limit or DEFAULT_TABLE_LIMIT
    if total is None:
        if cursor:
            console.print(f"[dim]more: --after {cursor} for the next {step:,}, --all for every row[/]",
                          soft_wrap=True)
        return
    left = total - offset - shown
    if left <= 0:
        return
    nxt = offset + shown
    how = f"--after {cursor} (or --offset {nxt})" if cursor else f"--offset {nxt}"
    console.print(f"[dim]showing {offset + 1:,}-{nxt:,} of {total:,}; {left:,} more: {how} for the "
                  f"next {min(step, left):,}, --limit N for more at once, --all for every row[/]",
                  soft_wrap=True)


def plain(value: Any) -> Any:
    from datetime import date, datetime

    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell(value: Any, width: int | None = 120) -> str:
    """A value as one table cell: numbers with thousands separators, lists joined, long text cut."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(cell(v, None) for v in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")
    text = " ".join(str(value).split())
    return text if width is None or len(text) <= width else text[: width - 3] + "..."


def _csv_value(value: Any) -> Any:
    return " ".join(str(v) for v in value) if isinstance(value, list | tuple) else value


def emit(rows: Sequence[dict[str, Any]], format: str, *, columns: Sequence[str] | None = None,
         title: str | None = None, empty: str = "nothing found", out: TextIO | None = None) -> None:
    """Print rows as a Rich table (the given columns; tab-separated when stdout is not a terminal) or every
    field as json, jsonl or csv (lists stay lists in JSON; in CSV they are joined with spaces)."""
    import sys

    out = out or sys.stdout
    rows = [{k: plain(v) for k, v in r.items()} for r in rows]
    if format == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif format == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif format == "csv":
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: _csv_value(v) for k, v in r.items()} for r in rows)
    elif not stdout_is_terminal():
        # Piped: tab-separated values, whole cells, one row a line (cut, sort and awk read it as it is).
        cols = list(columns or (rows[0] if rows else []))
        if title:
            out.write(f"# {title}\n")
        if not rows:
            return
        out.write("\t".join(cols) + "\n")
        for row in rows:
            out.write("\t".join(cell(row.get(c), None) for c in cols) + "\n")
    else:
        console = table_console()
        if not rows:
            console.print(f"[dim]{escape(empty)}[/]")
            return
        cols = list(columns or rows[0])
        table = Table(title=escape(title) if title else None, show_lines=False, title_justify="left")
        for col in cols:
            table.add_column(col.replace("_", " "), overflow="fold",
                             justify="right" if col in ("value", "id", "figures", "article", "figure_id",
                                                        "quote_id", "count") else "left")
        for row in rows:
            table.add_row(*[escape(cell(row.get(c), None if c in ("sentence", "url") else 120)) for c in cols])
        console.print(table)
