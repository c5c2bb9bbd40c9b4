"""Series tables and plots over the reference Gaza casualty series reported by two sources."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from newsledger.errors import InputError
from newsledger.ledger.conflicts import Point
from newsledger.ledger.series import (
    SERIES_FIELDS,
    latest_by_source,
    plot_series,
    series_by_measure,
    series_rows,
    write_csv,
)

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "gaza-casualties-daily.json"
KILLED, INJURED = "killed||people|gaza", "injured||people|gaza"


@pytest.fixture(scope="module")
def points() -> list[Point]:
    """Killed and injured so far as the health ministry gave them, and a weekly "at least" from an outlet."""
    if not REFERENCE.is_file():
        pytest.skip("../shared/reference is not beside the checkout")
    rows = json.loads(REFERENCE.read_text(encoding="utf-8"))
    out: list[Point] = []
    for i, row in enumerate(reversed(rows)):  # stored out of order on purpose
        for field, key, cat in (("killed_cum", KILLED, "killed"), ("injured_cum", INJURED, "injured")):
            if field in row:
                out.append(Point(len(out), i, key, cat, float(row[field]), None, "exact", row["report_date"],
                                 "health ministry", "Ministry channel"))
        if "killed_cum" in row and i % 7 == 0:
            rounded = row["killed_cum"] // 1000 * 1000
            out.append(Point(len(out), 10**5 + i, KILLED, "killed", float(rounded), None, "at_least",
                             row["report_date"], None, "Daily Paper"))
    return out


def test_rows_are_per_measure_and_in_date_order(points):
    by = series_by_measure(points)
    assert list(by) == [INJURED, KILLED]
    for key, rows in by.items():
        dates = [r.as_of for r in rows]
        assert dates == sorted(dates)
        assert all(r.measure_key == key for r in rows)


def test_the_ministry_series_never_goes_down(points):
    rows = [r for r in series_rows(points, KILLED) if r.source == "health ministry"]
    assert len(rows) > 1000
    values = [r.value for r in rows]
    assert all(a <= b for a, b in zip(values, values[1:], strict=False))
    assert rows[0].as_of == "2023-10-07" and rows[0].value == 232


def test_rows_carry_qualifier_source_outlet_and_article(points):
    rows = series_rows(points, KILLED)
    paper = [r for r in rows if r.outlet == "Daily Paper"]
    assert paper and all(r.qualifier == "at_least" and r.source is None for r in paper)
    assert paper[0].value_text.startswith("at least ") and "," in paper[-1].value_text
    assert all(r.article_id >= 10**5 for r in paper)
    assert set(rows[0].as_dict()) == set(SERIES_FIELDS)


def test_undated_values_come_last():
    pts = [Point(1, 1, KILLED, "killed", 5, None, "exact", None, "a", None),
           Point(2, 2, KILLED, "killed", 7, None, "exact", "2025-01-01", "b", None)]
    assert [r.figure_id for r in series_rows(pts)] == [2, 1]


def test_csv_has_a_header_and_every_row(points):
    buf = io.StringIO()
    n = write_csv(series_rows(points, INJURED), buf)
    buf.seek(0)
    read = list(csv.DictReader(buf))
    assert n == len(read) > 1000
    assert tuple(read[0]) == SERIES_FIELDS
    assert read[0]["measure_key"] == INJURED


def test_latest_value_by_source(points):
    latest = latest_by_source(series_rows(points, KILLED))
    assert set(latest) == {"health ministry", "Daily Paper"}
    assert latest["health ministry"].value >= latest["Daily Paper"].value


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_writes_the_file_its_name_asks_for(points, tmp_path, suffix):
    path = tmp_path / f"killed{suffix}"
    n = plot_series([p for p in points if p.measure_key == KILLED], path, "killed · people · Gaza")
    assert n == len([p for p in points if p.measure_key == KILLED])
    data = path.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        text = data.decode("utf-8")
        assert "<svg" in text and "health ministry" in text and "Daily Paper" in text


def test_plot_refuses_other_formats_and_undated_values(tmp_path):
    pts = [Point(1, 1, KILLED, "killed", 5, None, "exact", None, "a", None)]
    with pytest.raises(InputError, match="png or .svg"):
        plot_series(pts, tmp_path / "out.pdf", "x")
    with pytest.raises(InputError, match="no dated values"):
        plot_series(pts, tmp_path / "out.png", "x")
