"""Helpers shared by the extractor tests: run the real pipeline on a text and pick out one record."""

from __future__ import annotations

from typing import Any

from newsledger.model import Article, Figure, Quote, parse_iso_date


def quotes_in(pipeline: Any, text: str, published: str | None = None) -> list[Quote]:
    return pipeline.extract(Article(text=text, published=parse_iso_date(published))).quotes


def figures_in(pipeline: Any, text: str, published: str | None = None) -> list[Figure]:
    return pipeline.extract(Article(text=text, published=parse_iso_date(published))).figures


def quote_with(quotes: list[Quote], fragment: str) -> Quote:
    """The first quote whose content holds `fragment` (the test fails, listing them, when none does)."""
    hits = [q for q in quotes if fragment in q.content]
    assert hits, f"no quote contains {fragment!r}: {[q.content for q in quotes]}"
    return hits[0]


def figure_with(figures: list[Figure], text: str) -> Figure:
    """The first figure whose number reads `text` (the test fails, listing them, when none does)."""
    hits = [f for f in figures if f.text == text]
    assert hits, f"no figure {text!r}: {[f.text for f in figures]}"
    return hits[0]
