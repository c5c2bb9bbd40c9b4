"""Series of a measure: dated values with qualifier, source, outlet and article, as rows or a plot."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from newsledger.errors import InputError
from newsledger.ledger.conflicts import Point, describe_value
from newsledger.model import parse_iso_date

SERIES_FIELDS: tuple[str, ...] = (
    "measure_key", "as_of", "value", "value_max", "qualifier", "value_text", "source", "outlet",
    "article_id", "figure_id",
)
PLOT_FORMATS = (".png", ".svg")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "*", "h", "p")


@dataclass
class SeriesRow:
    """One value of a measure: when it holds, how it was qualified, who gave it, where it was printed."""

    measure_key: str
    as_of: str | None
    value: float
    value_max: float | None
    qualifier: str
    value_text: str  # "at least 48,446"
    source: str | None
    outlet: str | None
    article_id: int
    figure_id: int

    def as_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict, fields in SERIES_FIELDS order."""
        return asdict(self)


def _order(p: Point) -> tuple[str, int, str, str, int]:
    # Undated values last: they cannot be placed in time, but are still shown.
    return (p.measure_key, 0 if p.as_of else 1, (p.as_of or "")[:10], (p.source or p.outlet or "").lower(),
            p.figure_id)


def series_rows(points: Iterable[Point], measure_key: str | None = None) -> list[SeriesRow]:
    """The points (of one measure, when `measure_key` is given) as rows in measure, date and source order."""
    pts = [p for p in points if measure_key is None or p.measure_key == measure_key]
    return [
        SeriesRow(p.measure_key, p.as_of[:10] if p.as_of else None, p.value, p.value_max, p.qualifier,
                  describe_value(p.value, p.value_max, p.qualifier), p.source, p.outlet, p.article_id,
                  p.figure_id)
        for p in sorted(pts, key=_order)
    ]


def series_by_measure(points: Iterable[Point]) -> dict[str, list[SeriesRow]]:
    """Rows grouped per measure key, keys in sorted order, each series in date order."""
    out: dict[str, list[SeriesRow]] = defaultdict(list)
    for row in series_rows(points):
        out[row.measure_key].append(row)
    return dict(out)


def write_csv(rows: Iterable[SeriesRow], out: IO[str]) -> int:
    """Write rows as CSV with a header line; returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=list(SERIES_FIELDS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row.as_dict())
        n += 1
    return n


def latest_by_source(rows: Iterable[SeriesRow]) -> dict[str, SeriesRow]:
    """Each source's most recent dated value (source, else outlet, else "unattributed")."""
    last: dict[str, SeriesRow] = {}
    for row in rows:
        if not row.as_of:
            continue
        name = row.source or row.outlet or "unattributed"
        if name not in last or (row.as_of, row.figure_id) >= (last[name].as_of or "", last[name].figure_id):
            last[name] = row
    return last


def plot_series(points: Iterable[Point], path: Path, title: str) -> int:
    """Draw values over as-of time, one colour and mark per source, to a PNG or SVG file (by extension).

    Ranges are drawn as vertical bars; lower and upper bounds ("at least", "fewer than") as open marks.
    Returns the number of values drawn; undated values cannot be placed and are left out.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in PLOT_FORMATS:
        raise InputError(f"cannot draw a plot to '{path}'", "give a file name ending in .png or .svg")
    by_source: dict[str, list[tuple[date, Point]]] = defaultdict(list)
    for p in points:
        day = parse_iso_date(p.as_of)
        if day is not None:
            by_source[p.source or p.outlet or "unattributed"].append((day, p))
    if not by_source:
        raise InputError("no dated values to plot", "add articles whose figures have an as-of date")
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, never a window: works on servers and in tests
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise InputError("plotting needs matplotlib", "install it with: pip install 'newsledger[plot]'") from err
    # SVG text stays text (searchable, editable) rather than drawn glyph outlines.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        return _draw(plt, by_source, path, suffix, title)


def _draw(plt: Any, by_source: dict[str, list[tuple[date, Point]]], path: Path, suffix: str, title: str) -> int:
    fig, ax = plt.subplots(figsize=(10, 5.5))
    total = sum(len(v) for v in by_source.values())
    size = 18 if total < 300 else 5  # dense daily series read as a line, not a smear of marks
    n = 0
    try:
        for i, name in enumerate(sorted(by_source, key=str.lower)):
            vals = sorted(by_source[name], key=lambda t: (t[0], t[1].figure_id))
            colour = f"C{i % 10}"
            marker = _MARKERS[i % len(_MARKERS)]
            xs = [d for d, _ in vals]
            ys = [p.value for _, p in vals]
            ax.plot(xs, ys, color=colour, linewidth=0.8, alpha=0.6)
            solid = [(d, p.value) for d, p in vals if p.qualifier in ("exact", "approx", "range")]
            bound = [(d, p.value) for d, p in vals if p.qualifier not in ("exact", "approx", "range")]
            if solid:
                ax.scatter([d for d, _ in solid], [v for _, v in solid], color=colour, marker=marker, s=size,
                           label=name, zorder=3)
            if bound:
                ax.scatter([d for d, _ in bound], [v for _, v in bound], facecolors="none", edgecolors=colour,
                           marker=marker, s=size, label=None if solid else name, zorder=3)
            for d, p in vals:
                if p.qualifier == "range" and p.value_max is not None:
                    ax.vlines(d, p.value, p.value_max, color=colour, linewidth=1.2)
            n += len(vals)
        ax.set_title(title)
        ax.set_xlabel("as of")
        ax.set_ylabel("value")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}"))
        ax.grid(True, alpha=0.3)
        ax.legend(title="source (open mark: a bound)", fontsize="small", markerscale=18 / size)
        fig.autofmt_xdate()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format=suffix[1:], dpi=120 if suffix == ".png" else None, bbox_inches="tight")
    finally:
        plt.close(fig)
    return n
