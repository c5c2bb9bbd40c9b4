"""`newsledger add --engine ray` (the bulk path of `add`) and `newsledger load SHARDS` (Parquet shards in)."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from newsledger.cli.app import app, err_console
from newsledger.cli.ledger_cmds import DbOption, _ledger
from newsledger.errors import InputError

ENGINES = ("local", "ray")


def add_on_engine(engine: str, ledger: Any, sources: list[str], *, address: str | None, shards: str | None,
                  jobs: int | None, published: date | None, encoding: str | None, allow_private: bool,
                  model: str | None, progress: Any) -> Any:
    """Run `add` on the engine named by --engine (only `ray` lands here); the options it takes are checked."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", f"choose one of {', '.join(ENGINES)}")
    if engine != "ray":
        raise InputError("--address and --shards need --engine ray", "add --engine ray, or leave them out")
    from newsledger.bulk import add_with_ray

    report = add_with_ray(ledger, sources, address=address, jobs=jobs, shards=shards, published=published,
                          encoding=encoding, allow_private=allow_private, model=model, progress=progress)
    if shards:
        err_console.print(f"extractions written to the shards in {escape(shards)}; store them with "
                          f"`newsledger load {escape(shards)}`", soft_wrap=True)
    return report


@app.command()
def load(
    shards: Annotated[list[str], typer.Argument(metavar="SHARDS", help="Parquet shard files or the folders "
                                                "`add --engine ray --shards` wrote.", show_default=False)],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Summary: table or json.")] = "table",
) -> None:
    """Store the extractions in Parquet shards in the ledger (one transaction an article).

    Articles the ledger already holds are skipped, so loading again, or after a stop, resumes. Needs
    pyarrow (pip install "newsledger[parquet]"); Ray is not needed.
    """
    if format not in ("table", "json"):
        raise InputError(f"unknown format {format!r} for load", "use table or json")
    from newsledger.bulk import load_shards

    started = time.perf_counter()
    with _ledger(db, must_exist=False) as ledger:
        report = load_shards(ledger, shards)
        target = ledger.store.display_url
    seconds = time.perf_counter() - started
    if format == "json":
        sys.stdout.write(json.dumps({
            "added": report.added, "new_versions": report.versions, "skipped_duplicates": report.skipped,
            "failed": [{"where": w, "reason": r} for w, r in report.failed], "figures": report.figures,
            "quotes": report.quotes, "seconds": round(seconds, 3)}, ensure_ascii=False) + "\n")
    else:
        Console(highlight=False).print(
            f"loaded {report.added}, new versions {report.versions}, skipped as duplicates {report.skipped}, "
            f"failed inputs {len(report.failed)} ({report.figures} figures, {report.quotes} quotes) -> "
            f"{escape(target)}", soft_wrap=True)
