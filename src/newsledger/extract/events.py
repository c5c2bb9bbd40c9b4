"""Events extractor (placeholder until its real implementation lands)."""

from __future__ import annotations

from typing import Any

REQUIRES: tuple[str, ...] = ()
ASSIGNS = "events"


def extract(ctx: Any) -> list:
    return []
