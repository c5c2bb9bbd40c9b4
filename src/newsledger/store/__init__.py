"""The ledger's database: one SQLAlchemy Core schema for SQLite (default) and PostgreSQL."""

from newsledger.store.database import Store
from newsledger.store.engine import resolve_url
from newsledger.store.migrations import LATEST as SCHEMA_VERSION
from newsledger.store.overrides import Overrides, Split
from newsledger.store.queries import StoredArticle, StoredFigure, StoredQuote
from newsledger.store.writer import MeasureRow, Stored, text_hash

__all__ = ["SCHEMA_VERSION", "MeasureRow", "Overrides", "Split", "Store", "Stored", "StoredArticle",
           "StoredFigure", "StoredQuote", "resolve_url", "text_hash"]
