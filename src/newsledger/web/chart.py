"""A measure's series as a server-side SVG chart: value over as-of time, one mark style per source."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

from newsledger.store import StoredFigure
from newsledger.web.views import number

W, H = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 180, 16, 34
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "star")
# Colour-blind-safe palette (Okabe–Ito); mark shape differs too, so colour is never the only cue.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
LOWER = ("at_least", "more_than")
UPPER = ("at_most", "less_than")


def _shape(kind: str, x: float, y: float, colour: str, hollow: bool) -> str:
    fill = "white" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.6"'
    r = 5.0
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {common}/>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {common}/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f},{y - r - 1:.1f} L{x + r:.1f},{y + r:.1f} L{x - r:.1f},{y + r:.1f} Z" {common}/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f},{y - r - 1:.1f} L{x + r + 1:.1f},{y:.1f} L{x:.1f},{y + r + 1:.1f} L{x - r - 1:.1f},{y:.1f} Z" {common}/>'
    if kind == "cross":
        return (f'<path d="M{x - r:.1f},{y - r:.1f} L{x + r:.1f},{y + r:.1f} M{x - r:.1f},{y + r:.1f} '
                f'L{x + r:.1f},{y - r:.1f}" stroke="{colour}" stroke-width="2.2" fill="none"/>')
    return (f'<path d="M{x:.1f},{y - r - 1:.1f} L{x + 2:.1f},{y - 2:.1f} L{x + r + 1:.1f},{y:.1f} L{x + 2:.1f},{y + 2:.1f} '
            f'L{x:.1f},{y + r + 1:.1f} L{x - 2:.1f},{y + 2:.1f} L{x - r - 1:.1f},{y:.1f} L{x - 2:.1f},{y - 2:.1f} Z" {common}/>')


def series_svg(figures: Sequence[StoredFigure], conflicted: set[int], *, title: str) -> Markup:
    """The chart: x = as-of day (else publication day), y = value. A lower bound is a hollow mark with an
    arrow up (the value is a floor, not a point), an upper bound an arrow down, a range a bar; figures in
    a conflict get a red ring. Each mark links to its row in the table below."""
    points: list[tuple[date, StoredFigure]] = []
    for f in figures:
        day = f.as_of or f.published
        if f.value is not None and day is not None:
            points.append((day, f))
    if not points:
        return Markup('<p class="empty">No dated figures to draw.</p>')
    days = [d for d, _ in points]
    values = [v for _, f in points for v in (f.value, f.value_max) if v is not None]
    d0, d1 = min(days), max(days)
    # Headroom above the highest value, so that a lower bound's arrow stays inside the chart.
    v0, v1 = min(0.0, min(values)), max(values) * 1.1 or 1.0
    span_d = max((d1 - d0).days, 1)
    span_v = (v1 - v0) or 1.0
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + (day - d0).days / span_d * plot_w if d1 != d0 else LEFT + plot_w / 2

    def y(value: float) -> float:
        return TOP + plot_h - (value - v0) / span_v * plot_h

    sources: dict[str, int] = {}
    for _, f in points:
        sources.setdefault(f.source or f.outlet or "unattributed", len(sources))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" class="chart" '
             f'aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>']
    # Axes with a few ticks.
    parts.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#555"/>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#555"/>')
    for i in range(5):
        v = v0 + span_v * i / 4
        yy = y(v)
        parts.append(f'<line x1="{LEFT - 4}" y1="{yy:.1f}" x2="{LEFT + plot_w}" y2="{yy:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">{escape(number(round(v)))}</text>')
    ticks = sorted({d0 + timedelta(days=round(span_d * i / 4)) for i in range(5)}) if d1 != d0 else [d0]
    for day in ticks:
        xx = x(day)
        anchor = "start" if day == d0 and len(ticks) > 1 else ("end" if day == d1 and len(ticks) > 1 else "middle")
        parts.append(f'<text x="{xx:.1f}" y="{H - 12}" text-anchor="{anchor}" font-size="11">{day.isoformat()}</text>')
    for day, f in points:
        assert f.value is not None
        src = f.source or f.outlet or "unattributed"
        n = sources[src]
        colour, shape = PALETTE[n % len(PALETTE)], SHAPES[n % len(SHAPES)]
        xx, yy = x(day), y(f.value)
        label = (f"{number(f.value)}{'–' + number(f.value_max) if f.value_max is not None else ''} "
                 f"({f.qualifier}) · {src} · {day.isoformat()}" + (" · in a conflict" if f.id in conflicted else ""))
        parts.append(f'<a href="#fig-{f.id}" class="mark"><title>{escape(label)}</title>')
        if f.qualifier == "range" and f.value_max is not None:
            parts.append(f'<line x1="{xx:.1f}" y1="{yy:.1f}" x2="{xx:.1f}" y2="{y(f.value_max):.1f}" '
                         f'stroke="{colour}" stroke-width="3"/>')
        if f.qualifier in LOWER:
            parts.append(f'<path d="M{xx:.1f},{yy - 6:.1f} L{xx:.1f},{yy - 18:.1f} M{xx - 4:.1f},{yy - 13:.1f} '
                         f'L{xx:.1f},{yy - 18:.1f} L{xx + 4:.1f},{yy - 13:.1f}" stroke="{colour}" fill="none" '
                         f'stroke-width="1.5" class="bound-lower"/>')
        elif f.qualifier in UPPER:
            parts.append(f'<path d="M{xx:.1f},{yy + 6:.1f} L{xx:.1f},{yy + 18:.1f} M{xx - 4:.1f},{yy + 13:.1f} '
                         f'L{xx:.1f},{yy + 18:.1f} L{xx + 4:.1f},{yy + 13:.1f}" stroke="{colour}" fill="none" '
                         f'stroke-width="1.5" class="bound-upper"/>')
        if f.id in conflicted:
            parts.append(f'<circle cx="{xx:.1f}" cy="{yy:.1f}" r="10" fill="none" stroke="#d00" stroke-width="2" '
                         f'class="conflict-ring"/>')
        hollow = f.qualifier in LOWER + UPPER or f.qualifier == "approx"
        parts.append(_shape(shape, xx, yy, colour, hollow) + "</a>")
    # Legend: one row per source (first 12), then what the marks mean.
    lx = LEFT + plot_w + 16
    for src, n in list(sources.items())[:12]:
        ly = TOP + 8 + n * 18
        parts.append(_shape(SHAPES[n % len(SHAPES)], lx, ly, PALETTE[n % len(PALETTE)], False))
        parts.append(f'<text x="{lx + 12}" y="{ly + 4}" font-size="11">{escape(src[:24])}</text>')
    if len(sources) > 12:
        parts.append(f'<text x="{lx}" y="{TOP + 8 + 12 * 18 + 4}" font-size="11">+{len(sources) - 12} more</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
