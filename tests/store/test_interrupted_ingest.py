"""A `newsledger add` killed with SIGKILL midway leaves only whole articles, and a rerun completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from newsledger.ledger import Ledger
from newsledger.model import Article, parse_iso_date
from newsledger.store import resolve_url, schema

N_ARTICLES = 12


def _stored_count(engine) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.articles)).scalar())
    except SQLAlchemyError:  # the schema is not there yet
        return 0


def test_killed_add_leaves_whole_articles_and_rerun_resumes(db_url, corpus_dir, tmp_path, pipeline):
    lines = (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:N_ARTICLES]
    source = tmp_path / "slice.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Small batches, so that articles are stored one after another while the process is killed.
    env = {**os.environ, "NEWSLEDGER_BATCH_SIZE": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from newsledger.cli.app import main; main()", "add", "--db", db_url,
         str(source)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    engine = create_engine(resolve_url(db_url))
    try:
        deadline = time.monotonic() + 180
        while _stored_count(engine) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode() if proc.stderr else ""
        stored = _stored_count(engine)
    finally:
        if proc.poll() is None:
            proc.kill()
        engine.dispose()
    assert 2 <= stored < N_ARTICLES, "the kill must land midway"

    with Ledger(db_url, pipeline=pipeline) as ledger:
        # Every article stored before the kill holds all of its records, exactly as extracted.
        by_text = {json.loads(line)["text"]: json.loads(line) for line in lines}
        with ledger.store.read() as conn:
            rows = conn.execute(select(schema.articles.c.id, schema.articles.c.text)).all()
            counts = {}
            for kind in ("quotes", "entities", "dates", "figures", "events"):
                table = schema.RECORD_TABLES[kind]
                for aid, n in conn.execute(select(table.c.article_id, func.count()).group_by(table.c.article_id)):
                    counts[(aid, kind)] = n
        for aid, text in rows:
            d = by_text[text]
            ex = pipeline.extract(Article(text=text, id=d["id"], published=parse_iso_date(d.get("published"))))
            for kind in ("quotes", "entities", "dates", "figures", "events"):
                assert counts.get((aid, kind), 0) == len(getattr(ex, kind)), (d["id"], kind)

        report = ledger.add([str(source)])
        assert report.failed == []
        assert report.skipped == stored
        assert report.added == N_ARTICLES - stored
        assert ledger.stats()["articles"] == N_ARTICLES
