"""newsledger: turn news articles into a sourced ledger of figures, quotes, entities, dates and events."""

from __future__ import annotations

import logging

from newsledger.errors import NewsledgerError
from newsledger.model import (
    Article,
    DateMention,
    Entity,
    Event,
    Extraction,
    Figure,
    Quote,
    Rejected,
)
from newsledger.pipeline import Pipeline, extract

__version__ = "0.1.0"

__all__ = [
    "Article",
    "DateMention",
    "Entity",
    "Event",
    "Extraction",
    "Figure",
    "NewsledgerError",
    "Pipeline",
    "Quote",
    "Rejected",
    "extract",
    "__version__",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
