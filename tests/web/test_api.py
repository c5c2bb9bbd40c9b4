"""The REST API in-process on SQLite and PostgreSQL, over a ledger of real articles: paging, filters, CSV,
records with spans, conflicts with both sentences, corrections and dismissals, one error envelope."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

from newsledger.web.views import measure_url


def _all(client, path: str, **params) -> list[dict]:
    items, page = [], 1
    while True:
        body = client.get(path, params={**params, "page": page, "per_page": 3}).json()
        items += body["items"]
        if not body["has_next"]:
            return items
        page += 1


def test_lists_are_paged_with_stable_ids(client, web_ledger):
    first = client.get("/api/v1/articles", params={"per_page": 2}).json()
    assert len(first["items"]) == 2 and first["has_next"] and first["page"] == 1
    every = _all(client, "/api/v1/articles")
    assert len(every) == len({a["id"] for a in every}) == web_ledger.stats()["articles"]
    assert [a["id"] for a in every[:2]] == [a["id"] for a in first["items"]]
    figures = _all(client, "/api/v1/figures")
    assert len(figures) == len({f["id"] for f in figures}) == web_ledger.stats()["figures"]


def test_an_article_has_its_text_and_every_record_points_into_it(client, web_ledger):
    [art] = [a for a in web_ledger.articles() if a.source_id == "ceasefire"]
    body = client.get(f"/api/v1/articles/{art.id}").json()
    text = body["text"]
    assert body["article"]["title"] == "Hamas asks Trump to hear freed Palestinian prisoners"
    for kind in ("figures", "quotes", "entities", "dates"):
        assert body["records"][kind], kind
        for rec in body["records"][kind]:
            key = "content" if kind == "quotes" else "text"
            if kind != "quotes":
                assert text[rec["span_start"]:rec["span_end"]] == rec[key]
    assert any(f["text"] == "48,446" and f["qualifier"] == "at_least" for f in body["records"]["figures"])


def test_figures_filter_by_source_and_come_as_csv(client):
    found = client.get("/api/v1/figures", params={"source": "health ministry", "per_page": 50}).json()["items"]
    assert found and all("health ministry" in f["source"].lower() for f in found)
    reply = client.get("/api/v1/figures", params={"source": "health ministry", "format": "csv"})
    assert reply.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(reply.text)))
    assert [int(r["id"]) for r in rows] == [f["id"] for f in found][:25]


def test_quotes_by_speaker(client):
    found = client.get("/api/v1/quotes", params={"speaker": "Naim"}).json()["items"]
    assert found and all("Naim" in (q["speaker"] or q["speaker_mention"] or "") for q in found)


def test_conflicts_carry_both_sentences_outlets_and_links(client):
    found = client.get("/api/v1/conflicts", params={"per_page": 50}).json()["items"]
    assert found
    c = found[0]
    assert c["reason"] and len(c["points"]) >= 2
    for p in c["points"]:
        s = p["sentence"]
        assert s["span"] and (s["before"] + s["span"] + s["after"]).strip()
        assert p["outlet"] and p["article_id"]
    kinds = {x["kind"] for x in found}
    only = client.get("/api/v1/conflicts", params={"kind": sorted(kinds)[0]}).json()["items"]
    assert only and {x["kind"] for x in only} == {sorted(kinds)[0]}


def test_a_dismissed_conflict_is_kept_with_who_and_why(client, web_ledger):
    before = client.get("/api/v1/conflicts", params={"per_page": 200}).json()["items"]
    target = before[0]
    reply = client.post(f"/api/v1/conflicts/{target['id']}/dismiss",
                        json={"reason": "different periods", "author": "ana"})
    assert reply.status_code == 200, reply.text
    after = client.get("/api/v1/conflicts", params={"per_page": 200}).json()["items"]
    assert target["id"] not in {c["id"] for c in after} and len(after) == len(before) - 1
    kept = client.get("/api/v1/conflicts", params={"per_page": 200, "include_dismissed": True}).json()["items"]
    [again] = [c for c in kept if c["id"] == target["id"]]
    assert again["dismissed"]["author"] == "ana" and again["dismissed"]["reason"] == "different periods"
    assert client.get("/api/v1/stats").json()["conflicts_dismissed"] == 1


def test_a_correction_is_applied_when_read_and_listed(client, web_ledger):
    fig = next(f for f in web_ledger.figures() if f.text == "48,446")
    reply = client.post(f"/api/v1/records/figure/{fig.id}/corrections",
                        json={"fields": {"source": "Gaza health ministry", "value": "48,500"},
                              "note": "bulletin", "author": "ana"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["record"]["source"] == "Gaza health ministry"
    got = client.get(f"/api/v1/records/figure/{fig.id}").json()
    assert got["record"]["value"] == 48500 and got["record"]["corrected"] is True
    assert {c["field"] for c in got["corrections"]} == {"source", "value"}
    listed = client.get("/api/v1/corrections").json()["items"]
    assert {c["author"] for c in listed} == {"ana"}
    wrong = client.post(f"/api/v1/records/figure/{fig.id}/corrections", json={"wrong": True})
    assert wrong.status_code == 201
    assert fig.id not in {f["id"] for f in _all(client, "/api/v1/figures")}


def test_a_measure_has_its_series_conflicts_and_feed(client, web_ledger):
    conflict = client.get("/api/v1/conflicts").json()["items"][0]
    key = conflict["measure_key"]
    body = client.get("/api/v1" + measure_url(key)).json()
    assert body["key"] == key and body["conflicts"]
    series = client.get("/api/v1" + measure_url(key) + "/figures").json()["items"]
    assert any(f["in_conflict"] for f in series)
    feed = ElementTree.fromstring(client.get("/feeds" + measure_url(key) + ".atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert len(feed.findall("a:entry", ns)) == len(series)
    conflicts = ElementTree.fromstring(client.get("/feeds/conflicts.atom").content)
    assert conflicts.findall("a:entry", ns)


def test_adding_text_extracts_it(client):
    reply = client.post("/api/v1/articles", json={
        "text": "Officials said at least 12 people were killed in the flooding on Monday.",
        "title": "Floods", "published": "2025-04-07"})
    assert reply.status_code == 201, reply.text
    art = client.get(f"/api/v1/articles/{reply.json()['article_id']}").json()
    assert [f["text"] for f in art["records"]["figures"]] == ["12"]
    again = client.post("/api/v1/articles", json={
        "text": "Officials said at least 12 people were killed in the flooding on Monday.", "title": "Floods"})
    assert again.json()["status"] == "duplicate"


def test_a_url_goes_through_the_fetch_guard(client):
    reply = client.post("/api/v1/articles", json={"url": "http://127.0.0.1:9/secret"})
    assert reply.status_code == 502
    assert "private" in reply.json()["error"]["message"] or "loopback" in reply.json()["error"]["message"]


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("get", "/api/v1/articles/999999", {}, 404),
    ("get", "/api/v1/articles", {"params": {"page": 0}}, 422),
    ("get", "/api/v1/figures", {"params": {"since": "yesterday"}}, 400),
    ("get", "/api/v1/measures/no|such|measure", {}, 404),
    ("post", "/api/v1/records/figure/999999/corrections", {"json": {"fields": {"value": "1"}}}, 404),
    ("post", "/api/v1/records/planet/1/corrections", {"json": {"fields": {"value": "1"}}}, 400),
    ("post", "/api/v1/articles", {"data": {"text": "x"}}, 422),  # a cross-site form post is no JSON body
    ("post", "/api/v1/articles", {"content": b"x" * 5_000_000,
                                  "headers": {"content-type": "application/json"}}, 413),
])
def test_every_api_error_has_one_envelope(client, method, path, kwargs, status):
    reply = getattr(client, method)(path, **kwargs)
    assert reply.status_code == status, reply.text
    err = reply.json()["error"]
    assert err["status"] == status and err["message"] and err["type"]


def test_the_openapi_page_is_served_without_a_cdn(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/figures" in spec["paths"] and "/api/v1/conflicts/{conflict_id}/dismiss" in spec["paths"]
