"""The package's public surface is explicit: what `newsledger` exports is pinned here."""

from __future__ import annotations

import newsledger


def test_exported_members_are_pinned():
    assert sorted(newsledger.__all__) == sorted([
        "Article", "DateMention", "Entity", "Event", "Extraction", "Figure", "NewsledgerError",
        "Pipeline", "Quote", "Rejected", "extract", "__version__",
    ])


def test_every_exported_member_exists():
    missing = [name for name in newsledger.__all__ if not hasattr(newsledger, name)]
    assert missing == []


def test_library_logs_through_a_null_handler_only():
    import logging

    handlers = logging.getLogger("newsledger").handlers
    assert handlers and all(isinstance(h, logging.NullHandler) for h in handlers)
