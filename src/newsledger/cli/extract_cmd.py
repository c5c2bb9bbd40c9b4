"""`newsledger extract` and `newsledger eval` (placeholder until the real commands land)."""

from __future__ import annotations

from newsledger.cli.app import app


@app.command()
def extract(path: str) -> None:
    """Extract figures, quotes, entities and dates from an article."""
    raise NotImplementedError
