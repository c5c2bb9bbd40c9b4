"""The ledger: store articles and their extractions, follow figures across sources, flag conflicts."""

from newsledger.ledger.core import AddReport, Ledger, MeasureInfo, Series, VersionDiff

__all__ = ["AddReport", "Ledger", "MeasureInfo", "Series", "VersionDiff"]
