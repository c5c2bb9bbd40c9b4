"""A ledger of real text for the web tests: the truce wire report and examples/ceasefire.txt (same day, so
their figures conflict), a few gun-violence local news articles, and one article full of hostile markup."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from newsledger.model import Article, parse_iso_date

REPO = Path(__file__).resolve().parents[2]
HOSTILE_TITLE = "<script>alert('title')</script> Shelling <img src=x onerror=alert(1)>"
HOSTILE_URL = "javascript:alert('url')"
# Real sentences of the ceasefire report with markup an attacker might plant in a page's text.
HOSTILE_TEXT = ("The health ministry in Gaza says Israel's offensive has killed at least 48,446 people "
                "<script>alert('text')</script> in the territory. <img src=x onerror=alert(document.cookie)> "
                "\"We will <b>not</b> stop,\" said <script>evil()</script> Basem Naim. "
                "See javascript:alert(document.domain) for details.")


def corpus_articles(corpus_dir: Path, n: int) -> list[Article]:
    out = []
    with (corpus_dir / "gva-local.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out.append(Article(text=d["text"], id=d["id"], published=parse_iso_date(d.get("published")),
                               title=d.get("title"), url=d.get("url"), outlet="Local News", origin="jsonl"))
            if len(out) == n:
                break
    return out


@pytest.fixture(scope="session")
def web_extractions(pipeline, gold_dir, corpus_dir):
    """Extracted once for the session; each test stores them into its own fresh database."""
    row = json.loads((gold_dir / "dev.jsonl").open(encoding="utf-8").readline())
    articles = [
        Article(text=row["text"], id=row["id"], published=parse_iso_date(row["published"]), title="Gaza truce: Hamas "
                "urges Trump to meet prisoners", url="https://wire.example/gaza-truce", outlet="Wire"),
        Article(text=(REPO / "examples" / "ceasefire.txt").read_text(encoding="utf-8"), id="ceasefire",
                published=date(2025, 3, 7), title="Hamas asks Trump to hear freed Palestinian prisoners",
                url="https://news.example/ceasefire", outlet="AFP"),
        Article(text=HOSTILE_TEXT, id="hostile", published=date(2025, 3, 8), title=HOSTILE_TITLE, url=HOSTILE_URL,
                outlet="<i>Outlet</i>"),
        *corpus_articles(corpus_dir, 4),
    ]
    return list(pipeline.extract_many(articles))


@pytest.fixture
def web_ledger(db_url, pipeline, web_extractions):
    from newsledger.ledger import Ledger

    with Ledger(db_url, pipeline=pipeline) as ledger:
        report = ledger.add_extractions(web_extractions)
        assert report.added == len(web_extractions), report
        yield ledger


@pytest.fixture
def client(web_ledger):
    from fastapi.testclient import TestClient

    from newsledger.web import create_app

    with TestClient(create_app(ledger=web_ledger)) as c:
        yield c
