"""Every list of the API is paged and gives its table as CSV; the search page's sources and events tabs
(in-process, SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.web.test_pages import HTML

LISTS = ("articles", "figures", "quotes", "measures", "sources", "events", "stories", "conflicts", "corrections",
         "additions", "review/pending")


@pytest.mark.parametrize("name", LISTS)
def test_every_api_list_is_paged_and_has_csv(client, name):
    first = client.get(f"/api/v1/{name}", params={"per_page": 2})
    assert first.status_code == 200, first.text
    body = first.json()
    assert set(body) >= {"items", "page", "per_page", "has_next"} and len(body["items"]) <= 2
    if body["has_next"]:
        second = client.get(f"/api/v1/{name}", params={"per_page": 2, "page": 2}).json()
        assert second["items"] and second["items"] != body["items"]
    table = client.get(f"/api/v1/{name}", params={"per_page": 2, "format": "csv"})
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert len(rows) == len(body["items"])
    too_many = client.get(f"/api/v1/{name}", params={"per_page": 5000})
    assert too_many.status_code == 422


def test_sources_and_events_are_searched_and_paged(client, web_ledger):
    sources = client.get("/api/v1/sources", params={"per_page": 200}).json()["items"]
    assert sources and all(s["figures"] >= 1 for s in sources)
    named = next(s for s in sources if len(s["name"]) > 3)
    page = client.get("/search", params={"tab": "sources", "q": named["name"]}, headers=HTML).text
    assert named["label"] in page.replace("&#39;", "'").replace("&amp;", "&")
    events = client.get("/api/v1/events", params={"per_page": 200}).json()["items"]
    assert events and len(events) == len(web_ledger.events(undated=True))
    typed = events[0]["type"]
    assert all(e["type"] == typed for e in client.get("/api/v1/events", params={"type": typed}).json()["items"])
    page = client.get("/search", params={"tab": "events"}, headers=HTML).text
    assert f'#event-{events[0]["id"]}"' in page
