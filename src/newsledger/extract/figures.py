"""Figures extractor (placeholder until its real implementation lands)."""

from __future__ import annotations

from typing import Any

REQUIRES: tuple[str, ...] = ()
ASSIGNS = "figures"


def extract(ctx: Any) -> list:
    return []
