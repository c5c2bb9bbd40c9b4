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


# -- ledger databases: every store, ledger and ledger-command test runs on SQLite and on PostgreSQL -------
def _postgres_base_url() -> str | None:
    import os

    url = os.environ.get("NEWSLEDGER_TEST_PG_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI is set but NEWSLEDGER_TEST_PG_URL is not: PostgreSQL must run for the store tests "
                    "(source scripts/postgres.sh && start_postgres)")
    pytest.skip("NEWSLEDGER_TEST_PG_URL is unset (source scripts/postgres.sh && start_postgres)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh, empty ledger database URL: a SQLite file, or a schema of its own on the test server."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    import uuid

    from sqlalchemy import create_engine, text

    from newsledger.store import resolve_url

    base = _postgres_base_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_url(base))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session")
def gold_extractions(gold_dir):
    """The hand-annotated dev and newsquant articles as Extractions (real text, real figures and quotes)."""
    import json

    from newsledger.model import Article, Extraction, Figure, Quote, parse_iso_date

    out = []
    for name in ("dev.jsonl", "newsquant.jsonl"):
        for line in (gold_dir / name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            article = Article(text=d["text"], id=d["id"], published=parse_iso_date(d.get("published")),
                              title=d.get("title"), url=d.get("url"), origin="jsonl")
            figs = [Figure(start=f["start"], end=f["end"], text=f["text"], value=f["value"],
                           value_max=f.get("value_max"), qualifier=f.get("qualifier") or "exact",
                           counted=f.get("counted"), category=f.get("category") or "other",
                           source=f.get("source"), as_of=f.get("as_of"), part_of=f.get("part_of"))
                    for f in d.get("figures", [])]
            quotes = [Quote(start=q["start"], end=q["end"], content=q["content"], kind=q.get("kind") or "direct",
                            speaker=q.get("speaker"), speaker_mention=q.get("speaker_mention"), cue=q.get("cue"))
                      for q in d.get("quotes", [])]
            out.append(Extraction(article=article, figures=figs, quotes=quotes))
    return out


@pytest.fixture(scope="session")
def truce_extraction(pipeline, gold_dir):
    """The first dev article (a truce report published Friday 2025-03-07) and its extraction."""
    import json

    from newsledger.model import Article, parse_iso_date

    row = json.loads((gold_dir / "dev.jsonl").open(encoding="utf-8").readline())
    article = Article(text=row["text"], published=parse_iso_date(row["published"]))
    return row["text"], pipeline.extract(article)
