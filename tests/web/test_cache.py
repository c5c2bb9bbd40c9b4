"""HTTP caching of rendered pages: a page is served again from the cache or answered 304 only while the ledger
is unchanged; every write (a correction, an added figure, a merge, a dismissal, an article added by another
process) shows at once; and a cached page carries each visitor's own CSRF token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from newsledger.ledger import Ledger
from newsledger.web import create_app
from newsledger.web.views import measure_url

HTML = {"accept": "text/html"}


def _form_token(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def _ceasefire(web_ledger):
    return next(a for a in web_ledger.articles() if a.source_id == "ceasefire")


def test_a_correction_shows_at_once_on_a_cached_page_and_changes_its_etag(client, web_ledger):
    art = _ceasefire(web_ledger)
    fig = next(f for f in web_ledger.figures() if f.text == "48,446" and f.article_id == art.id)
    first = client.get(f"/articles/{art.id}", headers=HTML)
    again = client.get(f"/articles/{art.id}", headers=HTML)
    assert (first.headers["x-cache"], again.headers["x-cache"]) == ("miss", "hit")
    assert again.text == first.text and "Gaza health authority" not in first.text
    etag = again.headers["etag"]
    unchanged = client.get(f"/articles/{art.id}", headers=HTML | {"if-none-match": etag})
    assert unchanged.status_code == 304 and unchanged.content == b""

    done = client.post(f"/correct/figure/{fig.id}", headers=HTML, follow_redirects=False,
                       data={"source": "Gaza health authority", "csrf": _form_token(first.text)})
    assert done.status_code == 303

    after = client.get(f"/articles/{art.id}", headers=HTML | {"if-none-match": etag})
    assert after.status_code == 200 and after.headers["x-cache"] == "miss"
    card = after.text.split(f'id="figure-{fig.id}"', 1)[1].split("</section>", 1)[0]
    assert "Gaza health authority" in card and after.headers["etag"] != etag


def test_an_added_figure_a_merge_and_a_dismissal_each_show_at_once(client, web_ledger):
    art = _ceasefire(web_ledger)
    page = client.get(f"/articles/{art.id}", headers=HTML).text
    assert client.get(f"/articles/{art.id}", headers=HTML).headers["x-cache"] == "hit"
    words = "two senior officials"
    start = web_ledger.article_text(art.id).index(words)
    client.post(f"/articles/{art.id}/additions", headers=HTML, follow_redirects=False,
                data={"record": "figure", "start": start, "end": start + len(words), "selected": words, "value": "2",
                      "counted": "officials", "csrf": _form_token(page)})
    [added] = web_ledger.additions(article_id=art.id)
    assert f'id="added-figure-{added.id}"' in client.get(f"/articles/{art.id}", headers=HTML).text

    fig = next(f for f in web_ledger.figures() if f.text == "48,446" and f.article_id == art.id)
    other = next(m.key for m in web_ledger.measures() if m.key != fig.measure_key)
    url = measure_url(other)
    before = client.get(url, headers=HTML)
    assert client.get(url, headers=HTML).headers["x-cache"] == "hit" and f"/articles/{art.id}#figure-{fig.id}" \
        not in before.text
    client.post(measure_url(fig.measure_key) + "/merge", headers=HTML, follow_redirects=False,
                data={"into": other, "csrf": _form_token(before.text)})
    assert f"#figure-{fig.id}" in client.get(url, headers=HTML).text

    cid = client.get("/api/v1/conflicts").json()["items"][0]["id"]
    shown = client.get(f"/conflicts/{cid}", headers=HTML)
    assert "Dismissed as not real" not in shown.text
    assert client.get(f"/conflicts/{cid}", headers=HTML).headers["x-cache"] == "hit"
    client.post(f"/conflicts/{cid}/dismiss", data={"reason": "two periods", "author": "ana",
                                                    "csrf": _form_token(shown.text)}, headers=HTML)
    assert "Dismissed as not real by ana" in client.get(f"/conflicts/{cid}", headers=HTML).text


def test_a_write_by_another_process_shows_at_once(client, web_ledger, db_url):
    fig = web_ledger.figures(limit=1)[0]
    url = f"/api/v1/records/figure/{fig.id}"
    before = client.get(url).json()["record"]
    assert client.get(url).headers["x-cache"] == "hit" and before["source"] != "a second process"
    with Ledger(db_url) as other:  # as `newsledger correct` would, through its own connection
        other.correct("figure", fig.id, {"source": "a second process"}, author="cli")
    after = client.get(url)
    assert after.headers["x-cache"] == "miss" and after.json()["record"]["source"] == "a second process"


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(web_ledger):
    art = _ceasefire(web_ledger)
    app = create_app(ledger=web_ledger)
    with TestClient(app) as ana, TestClient(app) as ben:
        page_a = ana.get(f"/articles/{art.id}", headers=HTML)
        page_b = ben.get(f"/articles/{art.id}", headers=HTML)
        assert page_b.headers["x-cache"] == "hit"
        assert _form_token(page_a.text) == ana.cookies["nl_csrf"] != ben.cookies["nl_csrf"] == _form_token(page_b.text)
        assert app.state.page_cache.placeholder not in page_b.text
        # Ben's ETag is not Ana's: a 304 never hands one visitor's page (and token) to another.
        assert ana.get(f"/articles/{art.id}", headers=HTML | {"if-none-match": page_b.headers["etag"]}).status_code \
            == 200
        # A hard reload renders afresh.
        assert ana.get(f"/articles/{art.id}", headers=HTML | {"cache-control": "no-cache"}).headers["x-cache"] == "miss"


def test_no_page_is_kept_when_the_cache_is_off(web_ledger):
    with TestClient(create_app(ledger=web_ledger, page_cache_mb=0)) as c:
        assert [c.get("/", headers=HTML).headers["x-cache"] for _ in range(2)] == ["miss", "miss"]
