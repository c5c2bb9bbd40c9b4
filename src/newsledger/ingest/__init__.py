"""Readers that turn files, pages, feeds and archives into `Article` records."""

from __future__ import annotations

from newsledger.ingest.html import article_from_html
from newsledger.ingest.sources import read_sources

__all__ = ["article_from_html", "read_sources"]
