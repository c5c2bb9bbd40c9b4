"""`add --engine ray`: reading and extraction as Ray Data, stored by this process or written to shards.

The plan: sources become blocks (JSONL line ranges, WARC files, single files, URLs), a Ray Dataset of
block rows; an actor pool of extractors (the spaCy model loaded once per actor) reads one block at a
time, skips articles the ledger already holds and extracts the rest in batches, and the rows (one per
article or rejected input) come back in input order. Each extraction is stored in one transaction, as `add` does: by
the actor itself on a PostgreSQL ledger where input order allows it (`actors_may_store`), else here; with
`shards` the actors write Parquet shards instead, for `newsledger load` (many writers, one bulk load).
Ray is imported only in this module: without it, nothing else in newsledger changes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import warnings
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsledger.bulk.blocks import Block, plan_blocks, read_block
from newsledger.bulk.records import encode, rows_to_results, stored_hashes_in_shards, write_shard
from newsledger.errors import InputError, NewsledgerError
from newsledger.ledger import AddReport, Ledger
from newsledger.ledger.core import Progress
from newsledger.model import Article, Extraction, Rejected
from newsledger.store import schema, text_hash

INSTALL_HINT = 'install it with: pip install "newsledger[ray]"'
# Articles an extractor actor takes at a time: nlp.pipe batches them, and the rows stream back in order.
ACTOR_BATCH = 8
# seq = block number * SEQ_BLOCK + place in the block: input order as one sortable integer.
SEQ_BLOCK = 10_000_000
# The object store of a Ray started here (Ray's default is 30% of the memory).
OBJECT_STORE_BYTES = 256 * 1024 * 1024


def import_ray() -> Any:
    """The ray module, or one clear error saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise NewsledgerError("--engine ray needs Ray, which is not installed", INSTALL_HINT) from None
    return ray


def connect(ray: Any, address: str | None, num_cpus: int | None) -> bool:
    """Join the cluster at `address`, or start Ray here with `num_cpus`; True when this call started it."""
    if ray.is_initialized():
        return False
    quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report thread, nothing sent out
    # Ray's own metrics (recorded in every process, gathered by each node's agent) serve its dashboard,
    # which is not started here; a cluster joined with `address` keeps its own setting.
    if not address:
        os.environ.setdefault("RAY_enable_metrics_collection", "0")
    # Ray's core logs a notice per actor given constructor arguments (the stored hashes) to stderr; its
    # log files under /tmp/ray keep everything.
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "error")
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            # No dashboard, and a small object store: the rows that travel are extractions as JSON.
            # address="local" starts a Ray of our own even when another cluster on this machine wrote
            # /tmp/ray/ray_current_cluster (ray.init() with no address would join that one).
            ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, object_store_memory=OBJECT_STORE_BYTES, **quiet)
    except Exception as err:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError ...
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise NewsledgerError(f"cannot start or join {where}: {str(err).splitlines()[0] if str(err) else err!r}",
                              "check the address (ray start --head prints it) and that the versions match") from None
    return True


def stored_hashes(ledger: Ledger) -> set[str]:
    """The text hash of every stored article: what the extractors skip before extracting."""
    with ledger.store.read() as conn:
        return {row[0] for row in conn.execute(select(schema.articles.c.text_hash))}


class Extractor:
    """One Ray actor: loads the pipeline once, then reads whole blocks and extracts their articles.

    Reading happens here, not in tasks of its own: a read task needs a worker process of its own (Ray's
    start-up of a Python process costs more CPU than reading a block of JSONL lines), and the articles
    would be serialised once more on their way to the actor. A call takes one block and yields its rows a
    batch (`batch_size` articles, one `nlp.pipe` call) at a time, so results stream back as they are done.
    """

    def __init__(self, model: str | None, stored: set[str], shards: str | None, *, published: str | None,
                 encoding: str | None, allow_private: bool, batch_size: int, store_url: str | None = None) -> None:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        from newsledger.pipeline import Pipeline

        self.pipeline = Pipeline(model)
        self.stored = stored
        self.shards = Path(shards) if shards else None
        self.published = date.fromisoformat(published) if published else None
        self.encoding = encoding
        self.allow_private = allow_private
        self.batch_size = max(1, batch_size)
        # With a PostgreSQL ledger the actor stores its own extractions (one transaction an article, as
        # `add`), so that the driver no longer writes every article alone; stories are placed at the end.
        self.ledger = Ledger(store_url, lazy=True) if store_url else None

    def __call__(self, blocks: Any) -> Iterator[dict[str, list[Any]]]:
        for block in blocks.to_pylist():  # a pyarrow table of block rows (one, as map_batches is set up)
            started = (time.process_time(), time.perf_counter())
            base = int(block["block"]) * SEQ_BLOCK
            chunk: list[tuple[int, Article | Rejected]] = []
            items = read_block(block, published=self.published, encoding=self.encoding,
                               allow_private=self.allow_private)
            for i, item in enumerate(items):
                chunk.append((base + i, item))
                if len(chunk) >= self.batch_size:
                    yield self._extract(chunk, started)
                    chunk, started = [], (time.process_time(), time.perf_counter())
            if chunk:
                yield self._extract(chunk, started)

    def _extract(self, chunk: list[tuple[int, Article | Rejected]], started: tuple[float, float]
                 ) -> dict[str, list[Any]]:
        out: list[dict[str, Any]] = []
        fresh = []
        for seq, item in chunk:
            base = {"seq": seq, "where": item.where if isinstance(item, Rejected) else (item.url or item.id or
                                                                                        "article"),
                    "reason": None, "text_hash": None, "extraction": "", "figures": 0, "quotes": 0}
            if isinstance(item, Rejected):
                out.append({**base, "status": "rejected", "reason": item.reason})
                continue
            digest = text_hash(item.text) if item.text and item.text.strip() else None
            if digest is not None and digest in self.stored:
                out.append({**base, "status": "skipped", "text_hash": digest})
                continue
            fresh.append((base, item, digest))
        results = list(self.pipeline.extract_many([item for _b, item, _d in fresh], batch_size=len(fresh) or 1))
        for (base, _item, digest), result in zip(fresh, results, strict=True):
            if isinstance(result, Extraction) and self.ledger is not None:
                done = self.ledger.add_extractions([result], stories=False)
                status = "added" if done.added else "version" if done.versions else "skipped"
                out.append({**base, "status": status, "text_hash": digest,
                            "figures": len(result.figures), "quotes": len(result.quotes)})
            elif isinstance(result, Extraction):
                out.append({**base, "status": "extracted", "text_hash": digest, "extraction": encode(result),
                            "figures": len(result.figures), "quotes": len(result.quotes)})
            else:
                out.append({**base, "status": "rejected", "reason": result.reason})
        out.sort(key=lambda r: r["seq"])
        if self.shards is not None and out:
            write_shard(self.shards / f"part-{out[0]['seq']:015d}.parquet", out)
            for r in out:
                r["extraction"] = ""  # the shard holds it; the driver only counts
        # The CPU this actor spent on the batch (reading included) and the wall time it took, shared over
        # its rows: what benchmarks/ray_scale.py sums. Time spent waiting for Ray between batches is in
        # neither, so busy time against the run's length says whether the actors waited on Ray, and CPU
        # against busy time whether they were kept off their core.
        cpu = (time.process_time() - started[0]) / max(1, len(out))
        busy = (time.perf_counter() - started[1]) / max(1, len(out))
        for r in out:
            r["cpu"], r["busy"] = cpu, busy
        return {name: [r[name] for r in out] for name in
                ("seq", "status", "where", "reason", "text_hash", "extraction", "figures", "quotes", "cpu", "busy")}


def add_with_ray(ledger: Ledger, sources: Iterable[str | Path], *, address: str | None = None,
                 jobs: int | None = None, num_cpus: int | None = None, shards: str | Path | None = None,
                 published: date | None = None, encoding: str | None = None, allow_private: bool = False,
                 model: str | None = None, batch_size: int = ACTOR_BATCH, actors_store: bool = True,
                 progress: Progress | None = None, stats: dict[str, float] | None = None) -> AddReport:
    """`Ledger.add` on Ray: the same articles stored with the same records, read and extracted by Ray Data.

    `address` joins a running cluster (`ray start --head` prints it); without it Ray starts here with
    `num_cpus` (default: `jobs`, else every core). `jobs` extractor actors (default: one per CPU of the
    cluster). Sources must be readable at the same path on every node. With `shards` (a folder) the
    extractions are written there as Parquet for `load_shards` instead of being stored in `ledger`.
    Articles already stored (and, with `shards`, already in the shards) are skipped before extraction,
    so a killed run resumes. On a PostgreSQL ledger the actors store their own articles where input
    order allows (see `actors_may_store`); `actors_store=False` keeps every write in this process (for
    nodes that cannot reach the database). `stats`, when given, receives `extract_cpu_seconds`: the CPU time the actors
    spent on the batches, reading included (model loading and Ray's own work left out), and
    `extract_busy_seconds`: the wall time those batches took (waits for Ray between batches left out).
    """
    ray = import_ray()
    names = [str(s) for s in sources]
    plan_blocks(names)  # a source that cannot be split (stdin) is refused before Ray starts
    stored = stored_hashes(ledger)
    if shards is not None:
        shard_dir = Path(shards)
        try:
            shard_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"cannot create the shard folder {shard_dir}: {err.strerror}",
                             "give a writable folder") from None
        stored |= stored_hashes_in_shards(shard_dir)
    started = connect(ray, address, num_cpus or jobs)
    try:
        return _run(ray, ledger, names, stored, jobs=jobs, shards=str(shards) if shards else None,
                    published=published, encoding=encoding, allow_private=allow_private, model=model,
                    batch_size=batch_size, actors_store=actors_store, progress=progress, stats=stats)
    finally:
        if started:
            ray.shutdown()


def _run(ray: Any, ledger: Ledger, names: list[str], stored: set[str], *, jobs: int | None,
         shards: str | None, published: date | None, encoding: str | None, allow_private: bool,
         model: str | None, batch_size: int, actors_store: bool, progress: Progress | None,
         stats: dict[str, float] | None) -> AddReport:
    from ray.data import ActorPoolStrategy

    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True  # versions of one URL are stored in input order, as by add
    ctx.enable_progress_bars = False
    # No per-task memory sampling thread in the actors (once a second, for Ray Data's metrics) and no
    # hang and memory detectors polling in the driver: work whose results nothing here reads.
    ctx.memory_usage_poll_interval_s = None
    ctx.issue_detectors_config.detectors = []
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Ray Data warns when a small input cannot keep every actor busy; that is expected, not a problem.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"ray\.data\..*")
    workers = jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
    blocks = plan_blocks(names, workers)
    rows = [{**b.as_row(), "block": i} for i, b in enumerate(blocks)]
    store_url = (ledger.store.url if shards is None and actors_store and actors_may_store(ledger, blocks, published=published,
                                                                          encoding=encoding) else None)
    ds = ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))
    # One block a call: the actor reads it and yields its rows a batch at a time.
    ds = ds.map_batches(Extractor, compute=ActorPoolStrategy(size=workers), batch_size=1, batch_format="pyarrow",
                        fn_constructor_kwargs={"model": model, "stored": stored, "shards": shards,
                                               "published": published.isoformat() if published else None,
                                               "encoding": encoding, "allow_private": allow_private,
                                               "batch_size": batch_size, "store_url": store_url}, num_cpus=1)
    report = AddReport()
    counted = stats if stats is not None else {}
    counted.setdefault("extract_cpu_seconds", 0.0)
    counted.setdefault("extract_busy_seconds", 0.0)

    def rows_out() -> Iterator[dict[str, Any]]:
        for row in ds.iter_rows():
            counted["extract_cpu_seconds"] += float(row["cpu"])
            counted["extract_busy_seconds"] += float(row["busy"])
            yield row

    try:
        if shards is None and store_url is not None:
            try:
                return ledger.add_extractions(_counted(rows_out(), report, progress), progress=progress,
                                              report=report)
            except BaseException:
                # What the actors stored before the failure is placed in stories now: a rerun skips it.
                if report.added or report.versions:
                    with contextlib.suppress(NewsledgerError):  # the first error is the one to report
                        ledger.update_stories()
                raise
        if shards is None:
            return ledger.add_extractions(rows_to_results(rows_out(), report), progress=progress,
                                          report=report)
        for row in rows_out():
            if row["status"] == "extracted":
                report.added += 1
                report.figures += int(row["figures"])
                report.quotes += int(row["quotes"])
            elif row["status"] == "skipped":
                report.skipped += 1
            else:
                report.failed.append((row["where"], row["reason"]))
            if progress is not None:
                progress(report, row["where"])
        return report
    except NewsledgerError:
        raise
    except Exception as err:  # noqa: BLE001 - Ray wraps worker failures in its own exception types
        first = str(err).strip().splitlines()
        raise NewsledgerError(f"the Ray run failed: {first[-1] if first else type(err).__name__}",
                              "run again: articles already stored are skipped") from err


def actors_may_store(ledger: Ledger, blocks: list[Block], *, published: date | None,
                     encoding: str | None) -> bool:
    """Whether the actors may store their own articles: the ledger takes concurrent writers (PostgreSQL,
    not SQLite's single writer), and every input is a JSONL line range (cheap to read here) in which no
    URL and no text appears in two blocks, so that versions of one URL and copies of one text, which
    must be stored in input order, are each stored by one actor in its block's order. Otherwise the
    driver stores every article in input order, as before."""
    if ledger.store.backend != "postgresql" or any(b.lines is None for b in blocks):
        return False
    owner: dict[str, int] = {}
    for i, block in enumerate(blocks):
        for item in read_block(block.as_row(), published=published, encoding=encoding, allow_private=False):
            if not isinstance(item, Article):
                continue
            keys = [text_hash(item.text)] if item.text and item.text.strip() else []
            if item.url:
                keys.append("url:" + item.url)
            for key in keys:
                if owner.setdefault(key, i) != i:
                    return False
    return True


def _counted(rows: Iterable[dict[str, Any]], report: AddReport,
             progress: Progress | None) -> Iterator[Rejected]:
    """Rows the actors stored themselves, counted in `report`; the rejected inputs, for the report."""
    for row in rows:
        status = row["status"]
        if status == "rejected":
            yield Rejected(where=row["where"] or "article", reason=row["reason"] or "rejected")
            continue
        if status == "skipped":
            report.skipped += 1
        else:
            report.added += status == "added"
            report.versions += status == "version"
            report.figures += int(row["figures"])
            report.quotes += int(row["quotes"])
            if progress is not None:
                progress(report, row["where"])
