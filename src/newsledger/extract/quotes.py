"""Quotes extractor (placeholder until its real implementation lands)."""

from __future__ import annotations

from typing import Any

REQUIRES: tuple[str, ...] = ()
ASSIGNS = "quotes"


def extract(ctx: Any) -> list:
    return []
