"""Stories on the web, in-process on SQLite and PostgreSQL: the list paged and filtered (JSON, CSV, HTML), a
story's page and JSON with its articles, measures and best estimates, conflicts, events and speakers, and
the links from article and measure pages to their story."""

from __future__ import annotations

import csv
import io

from newsledger.ledger import story_views
from newsledger.web.views import measure_url
from tests.web.test_pages import HTML, _no_live_markup


def _ceasefire(web_ledger):
    return next(a for a in web_ledger.articles() if a.source_id == "ceasefire")


def _story_of(web_ledger, article_id: int) -> int:
    [(story_id, _title)] = story_views.stories_of(web_ledger.store, [article_id])
    return story_id


def test_the_stories_list_is_paged_filtered_and_has_csv(client, web_ledger):
    everything = client.get("/api/v1/stories", params={"per_page": 200}).json()
    assert everything["total"] == len(web_ledger.stories()) >= 3
    first = client.get("/api/v1/stories", params={"per_page": 2}).json()
    second = client.get("/api/v1/stories", params={"per_page": 2, "page": 2}).json()
    assert first["has_next"] and len(first["items"]) == 2
    ids = [s["id"] for s in first["items"]] + [s["id"] for s in second["items"]]
    assert len(set(ids)) == len(ids) and ids == [s["id"] for s in everything["items"][:len(ids)]]
    placed = next(s for s in everything["items"] if s["place"])
    word = placed["place"].split()[0]
    by_place = client.get("/api/v1/stories", params={"place": word, "per_page": 200}).json()["items"]
    assert placed["id"] in {s["id"] for s in by_place}
    assert all(word.lower() in (s["place"] or "").lower() for s in by_place)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/stories", params={"format": "csv",
                                                                                 "per_page": 200}).text)))
    assert [int(r["id"]) for r in rows] == [s["id"] for s in everything["items"]]
    bad = client.get("/api/v1/stories", params={"kind": "saga"})
    assert bad.status_code == 400 and "story kind" in bad.json()["error"]["message"]
    page = client.get("/stories", params={"place": word}, headers=HTML)
    assert page.status_code == 200 and f'href="/stories/{placed["id"]}"' in page.text
    _no_live_markup(client.get("/stories", headers=HTML).text)  # a hostile article's title is a story title


def test_a_story_page_shows_its_articles_measures_conflicts_events_and_speakers(client, web_ledger):
    art = _ceasefire(web_ledger)
    sid = _story_of(web_ledger, art.id)
    body = client.get(f"/api/v1/stories/{sid}").json()
    assert art.id in {a["id"] for a in body["articles"]}
    assert body["measures"] and all(m["figures"] >= 1 for m in body["measures"])
    assert any(m["best"] and m["best"]["value"] > 0 for m in body["measures"])
    assert "Basem Naim" in {s["speaker"] for s in body["speakers"]}
    members = {a["id"] for a in body["articles"]}
    assert body["events"] and all(e["article_id"] in members for e in body["events"])
    for c in body["conflicts"]:
        assert all(p["article_id"] in members and p["sentence"]["span"] for p in c["points"])
    page = client.get(f"/stories/{sid}", headers=HTML).text
    assert 'class="chart timeline"' in page and f'href="/articles/{art.id}"' in page
    assert measure_url(body["measures"][0]["key"]) in page and "Basem Naim" in page
    figures = client.get(f"/api/v1/stories/{sid}/figures", params={"per_page": 5}).json()
    assert figures["total"] == body["figures"] and len(figures["items"]) == min(5, body["figures"])
    assert all(f["article_id"] in members for f in figures["items"])
    missing = client.get("/stories/999999", headers=HTML)
    assert missing.status_code == 404 and "no story" in missing.text


def test_article_and_measure_pages_link_to_their_story(client, web_ledger):
    art = _ceasefire(web_ledger)
    sid = _story_of(web_ledger, art.id)
    assert f'href="/stories/{sid}"' in client.get(f"/articles/{art.id}", headers=HTML).text
    fig = next(f for f in web_ledger.figures() if f.article_id == art.id and f.text == "48,446")
    assert f'href="/stories/{sid}"' in client.get(measure_url(fig.measure_key), headers=HTML).text
