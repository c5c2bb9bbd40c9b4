"""Scaling benchmark: `add` with --jobs 1 and 2 against `add --engine ray` with 1 and 2 workers, and the
rate at which SQLite and PostgreSQL store ready extractions (the single writer's limit).

usage: .venv/bin/python benchmarks/ray_scale.py [--articles 60] [--pg postgresql://... [--pg-ledger]]
                                                  [--out FILE] [--runs ab,jobs1,jobs2,ray1,ray2,write] [--repeat 1]

Each add run is its own process and stores the first N articles of ../shared/corpus/bbc-2004.jsonl into
a fresh SQLite ledger (with --pg-ledger: the PostgreSQL ledger at --pg, emptied first; there the Ray
actors store their own articles, and the PostgreSQL server's CPU is not in the per-process split, which
counts only the processes the run starts). Printed per run: wall time end to end (start-up and model loading included), the
steady rate (articles/s from the article a quarter of the way in to the last: start-up, model loading
and the first batch left out), and CPU seconds
(this process and its children; for Ray, the driver plus the CPU the extractor actors spent on batches).
The `write` step extracts the articles once, then times storing them (one transaction an article) into
SQLite and, with --pg, PostgreSQL: the numbers behind docs/scale.md. Not a test: numbers depend on the
machine and on what else runs on it.

While a run goes, the CPU time of its process and of every process it starts (Ray's GCS, raylet,
dashboard and agents, log monitor, autoscaler monitor, Ray Data's helper actors, the extractor actors;
the pool workers of --jobs) is sampled from /proc every 0.25 s: `cpu_by_process_s`, and its sum
`cpu_all_processes_s`, the whole CPU cost of the run; `steady_cores_by_process` is the same split over
the steady window only, in cores kept busy (CPU seconds per wall second). A Ray worker process counts as "idle workers"
until it takes on its actor's name, so its Python start-up is counted there.

Whether the run had the machine to itself: `outside_cores` (and `steady_outside_cores`) is the CPU every
other process of the machine spent meanwhile, in cores, and `steal_cores` what the hypervisor took;
`kernel_cpu_s` and `major_page_faults` of the run's processes show paging or memory pressure. Sequential
runs compare moments of the machine as much as engines: the `ab` run extracts the same blocks with the
engine's own extractor in a Ray actor and in a plain process at the same time and gives the CPU an
article of each (`actor_over_process`), the check that Ray's actors do no extra work per article.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
OUTSIDE, STEAL = "outside this run", "stolen by the hypervisor"
KERNEL, FAULTS = "kernel CPU of the run", "major page faults of the run"

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "bbc-2004.jsonl"


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _sample(n: int, folder: Path) -> Path:
    lines = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                lines.append(line if line.endswith("\n") else line + "\n")
            if len(lines) >= n:
                break
    path = folder / "sample.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _processes() -> dict[int, tuple[int, str, float, float, int]]:
    """Every process now: pid -> (parent pid, command line, CPU seconds so far, of which in the kernel,
    major page faults so far), read from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        out[int(entry)] = (int(fields[1]), cmd, (int(fields[11]) + int(fields[12])) / TICK, int(fields[12]) / TICK,
                           int(fields[9]))
    return out


def _machine() -> tuple[float, float]:
    """CPU seconds the whole machine has spent busy, and stolen by the hypervisor, since boot (/proc/stat)."""
    with open("/proc/stat", encoding="ascii") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq) / TICK, steal / TICK


def _role(pid: int, root: int, cmd: str) -> str:
    """Which part of a run a process is: the driver, one of Ray's own processes, or a worker."""
    if pid == root:
        return "driver"
    for needle, role in (("gcs_server", "ray gcs"), ("raylet", "ray raylet"), ("dashboard", "ray dashboard+agents"),
                         ("runtime_env", "ray dashboard+agents"), ("log_monitor", "ray log monitor"),
                         ("monitor.py", "ray monitor")):
        if needle in cmd:
            return role
    if cmd.startswith("ray::"):
        name = cmd.split()[0]
        if "Extractor" in name:
            return "ray extractor actors"
        if "Agent" in name:
            return "ray dashboard+agents"
        if name.startswith(("ray::_", "ray::ActorLocation")):
            return "ray data helper actors"
        return "ray idle workers" if name == "ray::IDLE" else "ray task workers"
    if "--one ab-process" in cmd:
        return "plain process (ab)"
    return "pool workers" if "python" in cmd else "other"


def run_sampled(cmd: list[str], every: float = 0.25
                ) -> tuple[subprocess.CompletedProcess, dict[str, float], list[tuple[float, dict[str, float]]]]:
    """Run `cmd`, sampling the CPU time of it and every process it starts (Ray's included) from /proc:
    the CPU seconds of each role over the whole run, and their running sums over time. Two more running
    sums, not part of the run's CPU: OUTSIDE, what every other process of the machine spent meanwhile
    (the machine's busy time less the run's), and STEAL, the time the hypervisor gave the machine's
    CPUs to someone else. Either above a few hundredths of a core means the run did not have idle cores."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seen: dict[int, tuple[str, float]] = {}  # pid -> (role, CPU seconds at its last sample)
    kernel: dict[int, tuple[float, int]] = {}  # pid -> (kernel CPU seconds, major faults) at its last sample
    by_role: dict[str, float] = {}
    timeline: list[tuple[float, dict[str, float]]] = []
    busy0, steal0 = _machine()
    while True:
        table = _processes()
        tree = {proc.pid}
        grew = True
        while grew:  # the descendants of the run
            grew = False
            for pid, (ppid, *_rest) in table.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        for pid in tree & table.keys():
            _ppid, cmdline, cpu, sys_cpu, faults = table[pid]
            kernel[pid] = (sys_cpu, faults)
            role = _role(pid, proc.pid, cmdline)
            last = seen.get(pid, (role, 0.0))[1]
            by_role[role] = by_role.get(role, 0.0) + max(0.0, cpu - last)  # a worker may change its role
            seen[pid] = (role, cpu)
        busy, steal = _machine()
        ours = sum(by_role.values())
        timeline.append((time.time(), {**by_role, OUTSIDE: max(0.0, busy - busy0 - ours), STEAL: steal - steal0,
                                        KERNEL: sum(k[0] for k in kernel.values()),
                                        FAULTS: sum(k[1] for k in kernel.values())}))
        if proc.poll() is not None:
            break
        time.sleep(every)
    out, err = proc.communicate()
    return (subprocess.CompletedProcess(cmd, proc.returncode, out, err),
            {k: round(v, 1) for k, v in sorted(by_role.items(), key=lambda kv: -kv[1])}, timeline)


def _window(timeline: list[tuple[float, dict[str, float]]], start: float, end: float) -> dict[str, float]:
    """CPU seconds of each role between two moments, as cores busy on average (CPU-s per wall second)."""
    def at(t: float) -> dict[str, float]:
        before = [cum for when, cum in timeline if when <= t]
        return before[-1] if before else {}
    first, last = at(start), at(end)
    span = max(1e-9, end - start)
    return {k: round((v - first.get(k, 0.0)) / span, 2) for k, v in sorted(last.items(), key=lambda kv: -kv[1])
            if v - first.get(k, 0.0) > 0}


def run_add(kind: str, sample: Path, folder: Path, pg_ledger: str | None = None, driver_writes: bool = False
            ) -> dict:
    """One add run in this process: jobs1, jobs2, ray1 or ray2, into a fresh SQLite ledger or, with
    `pg_ledger`, the emptied PostgreSQL ledger there (where the Ray actors store their own articles)."""
    from newsledger.ledger import Ledger

    stamps: list[float] = []
    clock: list[float] = []

    def tick(report, where) -> None:  # noqa: ANN001
        stamps.append(time.perf_counter())
        clock.append(time.time())

    workers = int(kind[-1])
    stats: dict[str, float] = {}
    cpu0, start = _cpu_s(), time.perf_counter()
    for old in folder.glob(f"{kind}.db*"):  # a repeated run starts from an empty ledger too
        old.unlink()
    with Ledger(pg_ledger or folder / f"{kind}.db", jobs=workers) as ledger:
        if pg_ledger:
            _empty_postgres(ledger)
        if kind.startswith("ray"):
            from newsledger.bulk import add_with_ray

            report = add_with_ray(ledger, [sample], jobs=workers, num_cpus=workers, progress=tick, stats=stats,
                                  actors_store=not driver_writes)
        else:
            report = ledger.add([sample], progress=tick)
    wall = time.perf_counter() - start
    cpu = _cpu_s() - cpu0 + stats.get("extract_cpu_seconds", 0.0)
    n = report.added
    # After warm-up: from the article a quarter of the way in to the last, so that start-up, model loading
    # and the first batch (32 articles in one process, 8 an actor on Ray) are left out alike.
    k = n // 4
    steady = (n - 1 - k) / (stamps[-1] - stamps[k]) if n > 4 and stamps[-1] > stamps[k] else None
    return {"run": kind, "articles": n, "wall_s": round(wall, 2),
            "first_article_s": round(stamps[0] - start, 2) if stamps else None, "steady_articles_per_s": steady,
            "steady_window": [clock[k], clock[-1]] if steady else None,
            "cpu_s": round(cpu, 2), "actor_extract_cpu_s": round(stats["extract_cpu_seconds"], 2) if stats else None,
            # Whether the actors waited on Ray (busy share well below 1 from the first stored article to
            # the last) or were kept off their cores (CPU well below busy time): see docs/scale.md.
            "actor_busy_share": (round(stats["extract_busy_seconds"] / (workers * (stamps[-1] - stamps[0])), 2)
                                 if stats and len(stamps) > 1 and stamps[-1] > stamps[0] else None),
            "actor_cpu_over_busy": (round(stats["extract_cpu_seconds"] / stats["extract_busy_seconds"], 2)
                                    if stats and stats.get("extract_busy_seconds") else None),
            "figures": report.figures}


def run_write(sample: Path, folder: Path, pg: str | None) -> dict:
    """Extract once (CPU per article, one process), then time storing the extractions."""
    from newsledger.ingest.jsonl import read_jsonl
    from newsledger.ledger import Ledger
    from newsledger.pipeline import Pipeline

    pipe = Pipeline()
    articles = list(read_jsonl(sample))
    cpu0, start = time.process_time(), time.perf_counter()
    extractions = list(pipe.extract_many(articles))
    out = {"run": "write", "articles": len(extractions),
           "extract_cpu_s_per_article": (time.process_time() - cpu0) / len(extractions),
           "extract_wall_s_per_article": (time.perf_counter() - start) / len(extractions)}
    targets = {"sqlite": str(folder / "write.db")}
    if pg:
        targets["postgresql"] = pg
    for name, db in targets.items():
        with Ledger(db) as ledger:
            if name == "postgresql":
                _empty_postgres(ledger)
            cpu0, start = time.process_time(), time.perf_counter()
            report = ledger.add_extractions(extractions)
            wall = time.perf_counter() - start
            out[f"{name}_articles_per_s"] = report.added / wall
            out[f"{name}_writer_cpu_s_per_article"] = (time.process_time() - cpu0) / report.added
            out[f"{name}_figures"] = report.figures
    return out


class TimedExtractor:
    """The engine's own extractor (`bulk.ray_engine.Extractor`: read a block, skip, extract, encode) run
    over whole blocks; `run` gives the CPU seconds it spent on the batches and the articles done."""

    def __init__(self) -> None:
        from newsledger.bulk.ray_engine import Extractor

        self.extractor = Extractor(None, set(), None, published=None, encoding=None, allow_private=False,
                                   batch_size=8)

    def ready(self) -> bool:
        return True

    def run(self, rows: list[dict]) -> tuple[float, int]:
        import pyarrow as pa

        cpu, n = 0.0, 0
        for row in rows:
            for out in self.extractor(pa.Table.from_pylist([row])):
                cpu += sum(out["cpu"])
                n += sum(1 for status in out["status"] if status == "extracted")
        return cpu, n


# Articles the `ab` run extracts on each side: enough for a steady ratio, few enough to add a minute.
AB_ARTICLES = 160


def _ab_rows(sample: Path) -> list[dict]:
    from newsledger.bulk.blocks import plan_blocks

    part = sample.with_name("ab.jsonl")
    if not part.exists():
        with sample.open(encoding="utf-8") as fh:
            part.write_text("".join(line for _, line in zip(range(AB_ARTICLES), fh, strict=False)), encoding="utf-8")
    return [{**b.as_row(), "block": i} for i, b in enumerate(plan_blocks([str(part)], 2))]


def run_ab_process(sample: Path) -> dict:
    """The plain-process side of `ab`: load the model, say so, wait for the go, extract every block."""
    timed = TimedExtractor()
    rows = _ab_rows(sample)
    timed.run(rows[:1])  # the first batch pays spaCy's lazy set-up: left out on both sides
    print("ready", flush=True)
    sys.stdin.readline()
    cpu, n = timed.run(rows[1:])
    return {"cpu_s": cpu, "articles": n}


def run_ab(sample: Path, folder: Path) -> dict:
    """The same blocks extracted at the same time by a Ray actor and by a plain process (same code, same
    model, the same moment of the machine): CPU an article in each. Sequential runs compare moments as
    much as engines; this compares the engines only."""
    import ray

    from newsledger.bulk.ray_engine import connect

    rows = _ab_rows(sample)
    connect(ray, None, 2)
    try:
        actor = ray.remote(num_cpus=1)(TimedExtractor).remote()
        ray.get(actor.run.remote(rows[:1]))
        plain = subprocess.Popen([sys.executable, __file__, "--one", "ab-process", "--folder", str(folder)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert plain.stdin is not None and plain.stdout is not None
        while (line := plain.stdout.readline()).strip() != "ready":
            if not line:
                raise SystemExit("ab: the plain process stopped before its model was loaded")
        plain.stdin.write("go\n")
        plain.stdin.flush()
        actor_cpu, actor_n = ray.get(actor.run.remote(rows[1:]))
        other = json.loads([ln for ln in plain.communicate()[0].splitlines() if ln.startswith("{")][-1])
    finally:
        ray.shutdown()
    per_actor = actor_cpu / max(1, actor_n)
    per_process = other["cpu_s"] / max(1, other["articles"])
    return {"run": "ab", "articles": actor_n, "actor_cpu_s_per_article": round(per_actor, 4),
            "process_cpu_s_per_article": round(per_process, 4), "actor_over_process": round(per_actor / per_process, 3)}


def _empty_postgres(ledger) -> None:  # noqa: ANN001
    from sqlalchemy import text

    with ledger.store.write() as conn:
        conn.execute(text("TRUNCATE articles, measures RESTART IDENTITY CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--runs", default="jobs1,jobs2,ray1,ray2,write")
    parser.add_argument("--pg", default=None, help="PostgreSQL URL for the write step (its tables are emptied)")
    parser.add_argument("--pg-ledger", action="store_true",
                        help="the add runs store into --pg instead of SQLite (Ray's actors then store themselves)")
    parser.add_argument("--driver-writes", action="store_true",
                        help="with --pg-ledger: Ray's driver stores every article (the actors do not)")
    parser.add_argument("--out", default=None, help="also write the results here as JSON")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of --runs, every other one in reverse order; the ratios use the means")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        folder = Path(args.folder)
        sample = folder / "sample.jsonl"
        if args.one == "write":
            result = run_write(sample, folder, args.pg)
        elif args.one == "ab":
            result = run_ab(sample, folder)
        elif args.one == "ab-process":
            result = run_ab_process(sample)
        else:
            result = run_add(args.one, sample, folder, args.pg if args.pg_ledger else None, args.driver_writes)
        print(json.dumps(result))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="ray_scale_") as tmp:
        folder = Path(tmp)
        _sample(args.articles, folder)
        kinds = args.runs.split(",")
        # Repeated rounds go forward, then backward (jobs1,ray1,ray1,jobs1, ...): a machine whose speed
        # drifts over the rounds weighs on every kind alike, and the means below compare engines.
        order = [k for i in range(max(1, args.repeat)) for k in (kinds if i % 2 == 0 else kinds[::-1])]
        for kind in order:
            cmd = [sys.executable, __file__, "--one", kind, "--folder", tmp]
            if args.pg:
                cmd += ["--pg", args.pg] + (["--pg-ledger"] if args.pg_ledger else [])
            if args.driver_writes:
                cmd += ["--driver-writes"]
            done, by_role, timeline = run_sampled(cmd)
            lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
            if done.returncode != 0 or not lines:
                print(f"{kind} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results.append(json.loads(lines[-1]))
            results[-1]["cpu_by_process_s"] = by_role
            results[-1]["cpu_all_processes_s"] = round(sum(by_role.values()), 1)
            if results[-1].get("articles") and results[-1].get("actor_extract_cpu_s"):
                results[-1]["actor_extract_cpu_s_per_article"] = round(
                    results[-1]["actor_extract_cpu_s"] / results[-1]["articles"], 4)
            whole = timeline[-1][1] if timeline else {}
            span = max(1e-9, timeline[-1][0] - timeline[0][0]) if timeline else 1.0
            results[-1]["outside_cores"] = round(whole.get(OUTSIDE, 0.0) / span, 2)
            results[-1]["steal_cores"] = round(whole.get(STEAL, 0.0) / span, 2)
            results[-1]["kernel_cpu_s"] = round(whole.get(KERNEL, 0.0), 1)
            results[-1]["major_page_faults"] = int(whole.get(FAULTS, 0))
            window = results[-1].pop("steady_window", None)
            if window:  # the cores each role kept busy while the steady rate was measured
                steady = _window(timeline, *window)
                results[-1]["steady_outside_cores"] = steady.pop(OUTSIDE, 0.0)
                results[-1]["steady_steal_cores"] = steady.pop(STEAL, 0.0)
                steady.pop(KERNEL, None)
                steady.pop(FAULTS, None)
                results[-1]["steady_cores_by_process"] = steady
            print(json.dumps(results[-1]), flush=True)
    by: dict[str, dict] = {}
    for kind in {r["run"] for r in results}:  # one run of a kind, or the mean of its repeats
        runs = [r for r in results if r["run"] == kind]
        by[kind] = {key: sum(r[key] for r in runs) / len(runs) if all(r.get(key) for r in runs) else None
                    for key in ("wall_s", "steady_articles_per_s")}

    def ratio(a: str, b: str, key: str) -> str:
        if a in by and b in by and by[a].get(key) and by[b].get(key):
            return f"{by[a][key] / by[b][key]:.2f}"
        return "n/a"

    # Speed-ups: end to end from the wall times (start-up, model loading and the final story update
    # included), steady from the rates after the first quarter (start-up left out).
    print(f"end to end speed-up: ray2/ray1 {ratio('ray1', 'ray2', 'wall_s')}, "
          f"jobs2/jobs1 {ratio('jobs1', 'jobs2', 'wall_s')}, ray2 against jobs2 {ratio('jobs2', 'ray2', 'wall_s')}")
    print(f"steady rate: ray2/ray1 {ratio('ray2', 'ray1', 'steady_articles_per_s')}, "
          f"jobs2/jobs1 {ratio('jobs2', 'jobs1', 'steady_articles_per_s')}, "
          f"ray2/jobs2 {ratio('ray2', 'jobs2', 'steady_articles_per_s')}")
    for r in results:
        if r["run"] == "ab":
            print(f"same blocks at the same time: CPU an article {r['actor_cpu_s_per_article']} in a Ray actor, "
                  f"{r['process_cpu_s_per_article']} in a plain process: {r['actor_over_process']}x")
        if r.get("actor_busy_share") is not None:
            print(f"{r['run']}: the actors worked {r['actor_busy_share']} of the time from the first stored "
                  f"article to the last (below 1: waiting on Ray or for work), using {r['actor_cpu_over_busy']} "
                  "of a core meanwhile (below 1: kept off their cores)")
        if "cpu_all_processes_s" in r:
            print(f"{r['run']}: {r['cpu_all_processes_s']} CPU-s in all its processes: "
                  + ", ".join(f"{k} {v}" for k, v in r["cpu_by_process_s"].items()))
            steady_cores = r.get("steady_cores_by_process") or {}
            print(f"  while steady, cores busy: {round(sum(steady_cores.values()), 2)}: "
                  + ", ".join(f"{k} {v}" for k, v in steady_cores.items()))
            # Not idle cores when either is more than a few hundredths: the run's figures then say as
            # much about the machine as about the engine (see docs/scale.md).
            print(f"  other processes of the machine kept {r.get('outside_cores')} cores busy over the run "
                  f"({r.get('steady_outside_cores', 'n/a')} while steady); the hypervisor stole "
                  f"{r.get('steal_cores')} ({r.get('steady_steal_cores', 'n/a')}); in the kernel: "
                  f"{r.get('kernel_cpu_s')} CPU-s, {r.get('major_page_faults')} major page faults")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
