"""Tests for bulk/ray_engine.py on a real local Ray cluster (a head and one worker node, on loopback): the
ledger `add --engine ray` stores equals the one `add` stores, article for article and figure for figure;
a stopped run resumes; Parquet shards loaded with `newsledger load` give the same ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsledger.ledger import Ledger
from newsledger.store import schema

pytestmark = pytest.mark.ray
ray = pytest.importorskip("ray")

SAMPLE = 20  # articles: enough for several blocks per worker, small enough for CI on two cores


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A head node and one worker node (separate processes) on 127.0.0.1; yields the head's address."""
    from ray.cluster_utils import Cluster

    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    c.add_node(num_cpus=1)
    c.wait_for_nodes()
    try:
        yield c.address
    finally:
        if ray.is_initialized():
            ray.shutdown()
        c.shutdown()


@pytest.fixture(scope="module")
def sample(tmp_path_factory, corpus_dir) -> Path:
    lines = (corpus_dir / "wikievents.jsonl").read_text(encoding="utf-8").splitlines()[:SAMPLE]
    path = tmp_path_factory.mktemp("sample") / "sample.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(sample, pipeline, tmp_path_factory) -> dict[str, Any]:
    """The ledger plain `add` stores for the sample."""
    db = tmp_path_factory.mktemp("reference") / "ledger.db"
    with Ledger(db, pipeline=pipeline) as ledger:
        report = ledger.add([sample])
        assert report.added == SAMPLE
        return snapshot(ledger)


def snapshot(ledger: Ledger) -> dict[str, Any]:
    """Every stored article (by text hash) with all its records, ids left out: what a ledger holds."""
    out: dict[str, Any] = {}
    with ledger.store.read() as conn:
        arts = {r.id: r for r in conn.execute(schema.articles.select())}
        for art in arts.values():
            out[art.text_hash] = {"article": (art.url, art.version, art.is_current, art.title, art.outlet,
                                              art.published, art.source_id, art.text)}
        for kind, table in schema.RECORD_TABLES.items():
            skip = {"id", "article_id"}
            for row in conn.execute(table.select().order_by(table.c.article_id, table.c.ordinal)):
                values = tuple(v for k, v in row._mapping.items() if k not in skip)
                out[arts[row.article_id].text_hash].setdefault(kind, []).append(values)
        out["measures"] = sorted(tuple(r) for r in conn.execute(schema.measures.select()))
    return out


def _figures(snap: dict[str, Any]) -> int:
    return sum(len(v.get("figures", [])) for k, v in snap.items() if k != "measures")


def test_ray_stores_what_add_stores_and_a_stopped_run_resumes(cluster, sample, reference, tmp_path, run_cli,
                                                             db_url):
    import json

    from newsledger.bulk import add_with_ray
    from newsledger.bulk.blocks import plan_blocks
    from newsledger.bulk.ray_engine import actors_may_store

    half = tmp_path / "half.jsonl"
    half.write_text("".join(sample.read_text(encoding="utf-8").splitlines(keepends=True)[:SAMPLE // 2]),
                    encoding="utf-8")
    db = db_url
    with Ledger(db) as ledger:
        # On PostgreSQL the actors store their own articles; SQLite's single writer is the driver.
        assert actors_may_store(ledger, plan_blocks([str(sample)], 2), published=None, encoding=None) == (
            ledger.store.backend == "postgresql")
        # A run stopped half-way leaves the first half stored; the next run over everything skips it.
        stats: dict[str, float] = {}
        first = add_with_ray(ledger, [half], address=cluster, jobs=2, stats=stats)
        assert (first.added, first.skipped, first.failed) == (SAMPLE // 2, 0, [])
        # What benchmarks/ray_scale.py reads: the actors' CPU on their batches and the wall time they took.
        assert stats["extract_cpu_seconds"] > 0 and stats["extract_busy_seconds"] > 0
    result = run_cli("add", "--engine", "ray", "--address", cluster, "--jobs", "2", "--db", db, sample,
                     "--format", "json")
    assert result.exit_code == 0, result.stderr
    second = json.loads(result.stdout)
    assert (second["added"], second["skipped_duplicates"], second["failed"]) == (SAMPLE - SAMPLE // 2,
                                                                                SAMPLE // 2, [])
    with Ledger(db) as ledger:
        got = snapshot(ledger)
    assert _figures(reference) > 50
    assert got.keys() == reference.keys()
    for key in reference:
        assert got[key] == reference[key], key


@pytest.fixture(scope="module")
def shards(cluster, sample, tmp_path_factory) -> Path:
    """The sample extracted on the cluster into Parquet shards (nothing stored in the ledger)."""
    from newsledger.bulk import add_with_ray

    folder = tmp_path_factory.mktemp("shards")
    with Ledger(folder / "empty.db") as ledger:
        report = add_with_ray(ledger, [sample], address=cluster, jobs=2, shards=folder / "out")
        assert (report.added, ledger.stats()["articles"]) == (SAMPLE, 0)
    return folder / "out"


def test_shards_written_on_ray_load_into_any_ledger(shards, reference, db_url, run_cli):
    assert len(list(shards.glob("*.parquet"))) >= 2  # one shard per actor batch
    loaded = run_cli("load", shards, "--db", db_url, "--format", "json")
    assert loaded.exit_code == 0, loaded.stderr
    assert '"added": 20' in loaded.stdout
    with Ledger(db_url) as ledger:
        got = snapshot(ledger)
    assert got.keys() == reference.keys()
    for key in reference:
        assert got[key] == reference[key], key
    again = run_cli("load", shards, "--db", db_url, "--format", "json")
    assert '"added": 0' in again.stdout and '"skipped_duplicates": 20' in again.stdout
