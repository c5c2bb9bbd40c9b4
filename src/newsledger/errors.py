"""The error tree: every error a user can cause says what went wrong and what to do next."""

from __future__ import annotations


class NewsledgerError(Exception):
    """Base of every newsledger error. `str(err)` is one line for the user; `exit_code` for the CLI."""

    exit_code = 1
    http_status = 400

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)


class InputError(NewsledgerError):
    """The input cannot be read or holds no article (empty, binary, wrong encoding, no article body)."""

    exit_code = 2


class EmptyInput(InputError):
    """The input holds no text at all (an empty file, a JSON line whose "text" is empty): skipped, not failed."""


class ModelError(NewsledgerError):
    """No spaCy English model could be loaded."""

    exit_code = 3
    http_status = 500


class StoreError(NewsledgerError):
    """The database cannot be reached, is of a newer schema, or refused a write."""

    exit_code = 4
    http_status = 500


class WriteConflict(StoreError):
    """Another process wrote the same rows at the same moment; this write was rolled back whole."""


class FetchError(NewsledgerError):
    """A URL could not be fetched or was refused (private address, too large, timeout)."""

    exit_code = 5
    http_status = 502


class NotFoundError(NewsledgerError):
    """Something asked for by name or id is not in the ledger."""

    exit_code = 6
    http_status = 404
