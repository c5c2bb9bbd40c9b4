"""Tests for ingest/poll.py: the per-host gate, conditional GET answered 304, and the webhook guard."""

from __future__ import annotations

import time

import pytest

from newsledger.errors import FetchError
from newsledger.ingest.poll import Gate, conditional_get, post_json


def test_the_gate_spaces_requests_to_one_host_but_not_to_others():
    gate = Gate(0.3)
    ends: dict[str, list[float]] = {"a": [], "b": []}
    starts: dict[str, list[float]] = {"a": [], "b": []}

    def hit(key: str) -> None:
        starts[key].append(time.monotonic())
        ends[key].append(time.monotonic())

    gate.run("http://a.example/1", lambda: hit("a"))
    gate.run("http://b.example/1", lambda: hit("b"))
    gate.run("http://a.example/2", lambda: hit("a"))
    assert starts["a"][1] - ends["a"][0] >= 0.29
    assert starts["b"][0] - ends["a"][0] < 0.2


def test_conditional_get_sends_the_validators_and_takes_a_304(loopback):
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    loopback.serve("/feed.xml", 200, body, "application/rss+xml", ETag='"v1"', Last_Modified="Mon, 03 Mar 2025 09:00:00 GMT")
    first = conditional_get(loopback.url("/feed.xml"), allow_networks=["127.0.0.1/32"])
    assert (first.status, first.etag, first.last_modified) == (200, '"v1"', "Mon, 03 Mar 2025 09:00:00 GMT")
    assert first.fetched is not None and first.fetched.body == body
    loopback.serve("/feed.xml", 304, b"", ETag='"v1"')
    again = conditional_get(loopback.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified,
                            allow_networks=["127.0.0.1/32"])
    assert again.not_modified and again.fetched is None and again.etag == '"v1"'
    assert again.last_modified == first.last_modified  # kept when a 304 does not repeat it


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://169.254.169.254/hook", "http://10.0.0.1/hook"])
def test_a_webhook_on_a_private_address_is_refused_before_connecting(url):
    with pytest.raises(FetchError, match="--allow-private"):
        post_json(url, {"type": "figure"}, timeout=1.0)
