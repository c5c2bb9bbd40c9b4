"""Shared fixtures: one Pipeline per test session, the shared gold/corpus folders, and the CLI run in-process."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline with the real spaCy model, loaded once for the whole session."""
    from newsledger.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (gold and corpus) is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def gold_dir(shared_dir: Path) -> Path:
    return shared_dir / "gold"


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


class _Stdin:
    """A stand-in for sys.stdin whose `.buffer` holds the given bytes."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)

    def read(self) -> str:
        return self.buffer.read().decode("utf-8")


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `newsledger ARGS...` through its real entry point in this process; returns code, stdout, stderr."""
    from newsledger.cli.app import main

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["newsledger", *map(str, args)])
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
        capsys.readouterr()
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
