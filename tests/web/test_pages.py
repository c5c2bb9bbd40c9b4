"""The HTML pages in-process: everything from articles is escaped, forms need their CSRF token, writes need the
token when one is set, only loopback names are answered, and each page shows what it promises."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsledger.errors import NewsledgerError
from newsledger.web import create_app
from newsledger.web.views import measure_url
from tests.web.conftest import HOSTILE_TITLE

HTML = {"accept": "text/html"}


def _csrf(client: TestClient, path: str = "/") -> str:
    page = client.get(path, headers=HTML)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found and found.group(1) == client.cookies["nl_csrf"], "the form carries the cookie's CSRF token"
    return found.group(1)


def _hostile(web_ledger):
    return next(a for a in web_ledger.articles() if a.source_id == "hostile")


def _no_live_markup(html: str) -> None:
    body = html.split("<main", 1)[1]
    assert "<script" not in body and "<img" not in body and "onerror=" not in body.replace("onerror=alert", "")
    assert 'href="javascript:' not in body


def test_markup_in_article_text_title_url_and_speaker_is_shown_as_text(client, web_ledger):
    art = _hostile(web_ledger)
    quote = next(q for q in web_ledger.quotes() if q.article_id == art.id)
    web_ledger.correct("quote", quote.id, {"speaker": "<script>alert('speaker')</script>"})
    page = client.get(f"/articles/{art.id}", headers=HTML)
    assert page.status_code == 200
    _no_live_markup(page.text)
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in page.text
    assert "&lt;script&gt;alert(&#39;speaker&#39;)&lt;/script&gt;" in page.text
    assert "javascript:alert(&#39;url&#39;)" in page.text  # the URL shown as text, never as a link
    for path in ("/", "/search?tab=articles", "/search?tab=quotes&speaker=script", "/search?tab=articles&search=alert",
                 "/conflicts", "/review"):
        _no_live_markup(client.get(path, headers=HTML).text)
    assert HOSTILE_TITLE not in client.get("/", headers=HTML).text
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_the_article_page_highlights_every_kind_and_links_each_to_its_card(client, web_ledger):
    [art] = [a for a in web_ledger.articles() if a.source_id == "ceasefire"]
    page = client.get(f"/articles/{art.id}", headers=HTML).text
    for kind in ("figure", "quote", "entity", "date"):
        targets = set(re.findall(rf'href="#({kind}-\d+)"', page))
        assert targets, kind
        for target in targets:
            assert f'id="{target}"' in page
    fig = next(f for f in web_ledger.figures() if f.text == "48,446" and f.article_id == art.id)
    card = page.split(f'id="figure-{fig.id}"', 1)[1].split("</section>", 1)[0]
    assert "at_least" in card and "health ministry" in card and measure_url(fig.measure_key) in card


def test_a_form_without_its_csrf_token_changes_nothing(client, web_ledger):
    fig = next(f for f in web_ledger.figures() if f.text == "48,446")
    refused = client.post(f"/correct/figure/{fig.id}", data={"source": "someone else"}, headers=HTML)
    assert refused.status_code == 403
    forged = client.post(f"/correct/figure/{fig.id}", data={"source": "someone else", "csrf": "guess"},
                         headers=HTML)
    assert forged.status_code == 403
    assert web_ledger.corrections() == []
    token = _csrf(client, f"/correct/figure/{fig.id}")
    done = client.post(f"/correct/figure/{fig.id}", data={"source": "Gaza health ministry", "csrf": token,
                                                          "value": "48446", "qualifier": "at_least"},
                       headers=HTML, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith(f"#figure-{fig.id}")
    assert [(c.field, c.new) for c in web_ledger.corrections()] == [("source", "Gaza health ministry")]


def test_a_bad_value_in_the_form_says_why(client, web_ledger):
    fig = next(f for f in web_ledger.figures() if f.text == "48,446")
    token = _csrf(client, f"/correct/figure/{fig.id}")
    page = client.post(f"/correct/figure/{fig.id}", data={"value": "lots", "csrf": token}, headers=HTML)
    assert page.status_code == 400 and "not a number" in page.text and web_ledger.corrections() == []


def test_dismissing_a_conflict_from_its_page(client, web_ledger):
    cid = client.get("/api/v1/conflicts").json()["items"][0]["id"]
    page = client.get(f"/conflicts/{cid}", headers=HTML)
    assert page.text.count('class="evidence"') >= 2
    token = _csrf(client, f"/conflicts/{cid}")
    client.post(f"/conflicts/{cid}/dismiss", data={"reason": "two periods", "author": "ana", "csrf": token},
                headers=HTML)
    assert cid in web_ledger.dismissed_conflicts()
    assert "Dismissed as not real by ana" in client.get(f"/conflicts/{cid}", headers=HTML).text


def test_writes_need_the_token_when_one_is_set(web_ledger):
    app = create_app(ledger=web_ledger, token="s3cret")
    with TestClient(app) as c:
        fig = next(f for f in web_ledger.figures() if f.text == "48,446")
        path = f"/api/v1/records/figure/{fig.id}/corrections"
        assert c.post(path, json={"wrong": True}).status_code == 403
        assert c.post(path, json={"wrong": True}, headers={"authorization": "Bearer nope"}).status_code == 403
        assert c.post(path, json={"wrong": True}, headers={"authorization": "Bearer s3cret"}).status_code == 201
        token = _csrf(c, "/login")
        assert c.post("/login", data={"token": "nope", "csrf": token}, headers=HTML).status_code == 403
        c.post("/login", data={"token": "s3cret", "csrf": token}, headers=HTML)
        form = c.post(f"/correct/figure/{fig.id}", data={"note": "x", "mark": "right", "csrf": token},
                      headers=HTML, follow_redirects=False)
        assert form.status_code == 303


def test_serving_beyond_loopback_without_a_token_is_refused(web_ledger):
    with pytest.raises(NewsledgerError, match="NEWSLEDGER_TOKEN"):
        create_app(ledger=web_ledger, host="0.0.0.0")


def test_only_loopback_host_names_are_answered(client):
    assert client.get("/api/v1/stats", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/stats", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_lists_page_through(client, web_ledger):
    first = client.get("/search?tab=figures", headers=HTML).text
    assert 'rel="next"' in first
    second = client.get("/search?tab=figures&page=2", headers=HTML).text
    ids = lambda html: re.findall(r"<tr><td>(\d+)</td>", html)  # noqa: E731
    assert ids(first) and ids(second) and not set(ids(first)) & set(ids(second))


def test_the_add_page_refuses_a_private_address_and_adds_text(client):
    token = _csrf(client, "/add")
    refused = client.post("/add", data={"url": "http://10.0.0.1/x", "csrf": token}, headers=HTML)
    assert refused.status_code == 502 and "private" in refused.text
    done = client.post("/add", data={"text": "Rescuers said 14 people were missing after the landslide.",
                                     "published": "2025-05-02", "csrf": token}, headers=HTML)
    assert done.status_code == 200 and "hl-figure" in done.text and "14" in done.text


def test_the_measure_page_draws_its_series_and_marks_conflicts(client):
    key = client.get("/api/v1/conflicts").json()["items"][0]["measure_key"]
    page = client.get(measure_url(key), headers=HTML).text
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'class="conflict-ring"' in svg and "<title" in svg
    assert 'class="in-conflict"' in page


def test_a_new_version_shows_its_diff(client, web_ledger, pipeline):
    from newsledger.model import Article

    [art] = [a for a in web_ledger.articles() if a.source_id == "ceasefire"]
    text = web_ledger.article_text(art.id).replace("UN agencies regard", "United Nations agencies regard")
    status, new_id = web_ledger.add_article(Article(text=text + "\nTalks resume on Monday.", url=art.url,
                                                    published=art.published, title=art.title))
    assert status == "version"
    page = client.get(f"/articles/{new_id}", headers=HTML).text
    assert "Changes from version 1 to 2" in page and "Talks resume on Monday." in page
    assert f'href="/articles/{art.id}"' in page  # the older version, one click away
