"""Web load benchmark: N clients browse `newsledger serve` on loopback for S seconds; errors and latency per page.

The ledger is built once (the first --articles of ../shared/corpus/gva-local.jsonl, through `newsledger add`)
into --db and reused. The server runs as its own process (`newsledger serve`, one uvicorn worker), so the
clients' own work does not share its interpreter. Each client is a person browsing: it opens a page, reads for
a moment (--think seconds, drawn uniformly from half to one and a half times it), and opens the next, picking
article pages and measure pages most often, as a reviewer would, then the conflicts, search and API pages.

    .venv/bin/python benchmarks/web_load.py                         # 20 clients, 30 s, 1,000 articles
    .venv/bin/python benchmarks/web_load.py --articles 0            # the whole corpus (built once, slow)
    .venv/bin/python benchmarks/web_load.py --articles 30 --clients 5 --seconds 5   # quick check (test.sh)

Besides latency under load it reports what each page costs the server in CPU milliseconds to render (one
request at a time, read from /proc), which depends much less on what else the machine is doing, and the share
of each page's requests the server answered from its rendered-page cache (`hits`; the ledger does not change
during the run, and pages are still drawn at random over every article; --page-cache-mb 0 turns it off).

Exit code 1 when any request failed (a status other than 200, or no answer); the latency targets (article and
measure pages p95 < 150 ms) are reported, not enforced: timing depends on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / ".." / "shared" / "corpus" / "gva-local.jsonl"
NEWSLEDGER = Path(sys.executable).parent / "newsledger"
TARGETS = {"article": 150.0, "measure": 150.0}
# How often each page is opened, relative to the others: reviewers mostly read articles and measures.
MIX = {"article": 8, "measure": 5, "story": 2, "stories": 1, "conflicts": 1, "search": 1, "api_figures": 1,
       "home": 1}


def build(db: Path, articles: int) -> None:
    """Add the first `articles` corpus articles (0: all) to `db`, unless it already holds a ledger (then
    bring that ledger to this version's schema, which a ledger from an older run may lack)."""
    if db.exists():
        subprocess.run([str(NEWSLEDGER), "check", "--upgrade", "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
        return
    source = CORPUS
    tmp = None
    if articles:
        tmp = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        with CORPUS.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= articles:
                    break
                tmp.write(line)
        tmp.close()
        source = Path(tmp.name)
    print(f"building {db} from {articles or 'all'} articles of {CORPUS.name} (once) ...", flush=True)
    started = time.perf_counter()
    subprocess.run([str(NEWSLEDGER), "add", str(source), "--db", str(db)], check=True)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    if tmp is not None:
        os.unlink(tmp.name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int, workers: int, cache_mb: float) -> subprocess.Popen[bytes]:
    env = os.environ | {"NEWSLEDGER_PAGE_CACHE_MB": str(cache_mb)}
    proc = subprocess.Popen([str(NEWSLEDGER), "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/stats", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer within 60 s")


def page_urls(base: str) -> dict[str, list[str]]:
    """The pages to open: every article's page, the pages of the measures with the most figures and of the
    stories with the most articles."""
    articles: list[str] = []
    page = 1
    while True:
        body = httpx.get(f"{base}/api/v1/articles", params={"page": page, "per_page": 200}, timeout=60).json()
        articles += [f"/articles/{a['id']}" for a in body["items"]]
        if not body["has_next"]:
            break
        page += 1
    measures = httpx.get(f"{base}/api/v1/measures", params={"per_page": 50}, timeout=60).json()["items"]
    stories = httpx.get(f"{base}/api/v1/stories", params={"per_page": 200}, timeout=60).json()["items"]
    stories.sort(key=lambda s: -s["articles"])  # the stories with the most articles: the heaviest pages
    return {
        "article": articles,
        "measure": ["/measures/" + quote(m["key"], safe="") for m in measures],
        "story": [f"/stories/{s['id']}" for s in stories[:50]],
        "stories": ["/stories", "/stories?page=2", "/stories?kind=roundup"],
        "conflicts": ["/conflicts", "/conflicts?page=2", "/conflicts?kind=disagreement"],
        "search": ["/search?tab=articles&search=police", "/search?tab=articles&search=shot+killed",
                   "/search?tab=figures&category=killed", "/search?tab=quotes&speaker=police"],
        "api_figures": ["/api/v1/figures?page=3", "/api/v1/figures?category=injured"],
        "home": ["/"],
    }


async def client(base: str, urls: dict[str, list[str]], until: float, think: float, rng: random.Random,
                 results: dict[str, list[float]], errors: dict[str, list[str]], hits: dict[str, int]) -> None:
    kinds = [k for k in MIX for _ in range(MIX[k]) if urls.get(k)]
    async with httpx.AsyncClient(base_url=base, timeout=30, headers={"accept": "text/html"}) as http:
        while time.monotonic() < until:
            kind = rng.choice(kinds)
            url = rng.choice(urls[kind])
            started = time.perf_counter()
            try:
                reply = await http.get(url)
                ok = reply.status_code == 200
                why = f"{reply.status_code} {url}"
            except httpx.HTTPError as err:
                ok, why = False, f"{type(err).__name__} {url}"
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                results.setdefault(kind, []).append(elapsed)
                if reply.headers.get("x-cache") == "hit":
                    hits[kind] = hits.get(kind, 0) + 1
            else:
                errors.setdefault(kind, []).append(why)
            if think:
                await asyncio.sleep(rng.uniform(think / 2, think * 1.5))


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (uvicorn's workers), from /proc (Linux)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return total
    return total + sum(process_cpu(int(child)) for child in children)


def cpu_per_page(base: str, urls: dict[str, list[str]], pid: int, repeat: int = 20) -> dict[str, float]:
    """Server CPU milliseconds per page of each kind, one request at a time: what a page costs, whatever
    else the machine is doing (latency under load depends on that; this does not, or much less). Each page
    is rendered (Cache-Control: no-cache), not read from the server's page cache."""
    out = {}
    with httpx.Client(base_url=base, timeout=60, headers={"accept": "text/html", "cache-control": "no-cache"}) as http:
        for kind, pages in urls.items():
            chosen = [pages[i % len(pages)] for i in range(repeat)]
            before = process_cpu(pid)
            for url in chosen:
                http.get(url)
            out[kind] = 1000 * (process_cpu(pid) - before) / len(chosen)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(base: str, urls: dict[str, list[str]], clients: int, seconds: float, think: float, seed: int
              ) -> tuple[dict[str, list[float]], dict[str, list[str]], dict[str, int]]:
    results: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    hits: dict[str, int] = {}
    until = time.monotonic() + seconds
    await asyncio.gather(*[client(base, urls, until, think, random.Random(seed + i), results, errors, hits)
                           for i in range(clients)])
    return results, errors, hits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="ledger file [default: /tmp/newsledger-web-N.db]")
    parser.add_argument("--articles", type=int, default=1000, help="corpus articles in the ledger (0: all)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.5, help="mean seconds a client reads a page (0: none)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes [CPUs]")
    parser.add_argument("--page-cache-mb", type=float, default=64,
                        help="rendered pages each server process keeps (0: none; every request renders)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/newsledger-web-{args.articles or 'all'}.db")
    build(db, args.articles)
    port = free_port()
    server = start_server(db, port, args.workers, args.page_cache_mb)
    base = f"http://127.0.0.1:{port}"
    try:
        urls = page_urls(base)
        # One pass over a few pages first: the first request of each kind loads templates and warms caches.
        for kind in urls:
            for url in urls[kind][:2]:
                httpx.get(base + url, timeout=60)
        cost = cpu_per_page(base, urls, server.pid)
        started = time.perf_counter()
        results, errors, hits = asyncio.run(run(base, urls, args.clients, args.seconds, args.think, args.seed))
        wall = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    total = sum(len(v) for v in results.values())
    failed = sum(len(v) for v in errors.values())
    load = os.getloadavg()[0]
    print(f"{args.clients} clients, {args.seconds:.0f} s, think {args.think} s, ledger {db} "
          f"({len(urls['article'])} articles); load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"{total + failed} requests ({(total + failed) / wall:.1f}/s), {failed} errors; {args.workers} server workers, "
          f"page cache {args.page_cache_mb:g} MB each; hits: answered from the page cache")
    print(f"{'page':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms':>7} {'hits':>6}  target")
    pages: dict[str, dict[str, float]] = {}
    report = {"clients": args.clients, "seconds": args.seconds, "think": args.think, "articles": len(urls["article"]),
              "requests": total + failed, "errors": failed, "load_average": load, "workers": args.workers,
              "page_cache_mb": args.page_cache_mb, "pages": pages}
    for kind in MIX:
        values = results.get(kind, [])
        if not values:
            continue
        p50, p95, top = percentile(values, 50), percentile(values, 95), max(values)
        target = TARGETS.get(kind)
        verdict = "" if target is None else (f"p95 < {target:.0f} ms: " + ("met" if p95 < target else "NOT met"))
        hit = hits.get(kind, 0) / len(values)
        print(f"{kind:<12} {len(values):>6} {p50:>8.1f} {p95:>8.1f} {top:>8.1f} {cost.get(kind, 0):>7.1f} "
              f"{hit:>6.0%}  {verdict}")
        pages[kind] = {"n": len(values), "p50_ms": p50, "p95_ms": p95, "max_ms": top,
                       "server_cpu_ms": cost.get(kind, 0.0), "cache_hit_rate": hit}
    for kind, whys in errors.items():
        print(f"errors on {kind}: {whys[:3]}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
