"""Fixtures for ingest tests: the fixture folder and an HTTP server on 127.0.0.1 serving it."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"

# A route answers a request: it gets the handler and the server's stop event (set at teardown, so a
# stalling route ends at once instead of holding the test run).
Route = Callable[[BaseHTTPRequestHandler, threading.Event], None]


def respond(status: int, body: bytes = b"", content_type: str = "text/plain", **headers: str) -> Route:
    def route(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return route


class Loopback:
    """A threaded HTTP server on 127.0.0.1 (ephemeral port) whose routes tests can add."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.stop = threading.Event()
        loopback = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                loopback.hits.append(self.path)
                route = loopback.routes.get(self.path) or respond(404, b"not found")
                route(self, loopback.stop)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        # A short poll interval: shutdown() waits up to one interval, at every test's teardown.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def serve(
        self, path: str, status: int, body: bytes = b"", content_type: str = "text/plain", **headers: str
    ) -> None:
        """Answer GET `path` with this status, body and headers (underscores in names become dashes)."""
        self.routes[path] = respond(status, body, content_type, **headers)

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A fresh loopback server for one test; no route leaks between tests."""
    server = Loopback()
    server.thread.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def _damaged_copies(original: bytes, seed: int, count: int) -> Iterator[bytes]:
    """`count` copies of `original`, each with 1-5 random byte runs overwritten (seeded: reproducible)."""
    rng = random.Random(seed)
    for _ in range(count):
        data = bytearray(original)
        for _ in range(rng.randint(1, 5)):
            at = rng.randrange(len(data))
            data[at : at + rng.randint(1, 8)] = rng.randbytes(rng.randint(0, 8))
        yield bytes(data)


@pytest.fixture
def damaged_copies() -> Callable[[bytes, int, int], Iterator[bytes]]:
    """Makes randomly damaged copies of a file's bytes, for tests that readers fail cleanly."""
    return _damaged_copies
