"""Adding a record the extractor missed, in-process on SQLite and PostgreSQL: through the API (JSON, paged,
CSV) and the article page's form (CSRF), shown on the article page and in review, words escaped."""

from __future__ import annotations

import csv
import io

from newsledger.ledger import story_views
from newsledger.web.views import PER_PAGE, measure_url
from tests.web.test_pages import HTML, _csrf, _hostile, _no_live_markup

WORDS = "two senior officials"


def _ceasefire(web_ledger):
    return next(a for a in web_ledger.articles() if a.source_id == "ceasefire")


def test_an_added_figure_through_the_api_is_shown_flagged_and_listed(client, web_ledger):
    art = _ceasefire(web_ledger)
    made = client.post(f"/api/v1/articles/{art.id}/additions",
                       json={"kind": "figure", "text": WORDS, "fields": {"value": 2, "counted": "officials"},
                             "author": "ana", "note": "missed"})
    assert made.status_code == 201, made.text
    added = made.json()
    assert added["added"] is True and added["value"] == 2 and added["text"] == WORDS
    records = client.get(f"/api/v1/articles/{art.id}").json()["records"]
    assert [r["id"] for r in records["added_figures"]] == [added["id"]]
    assert all(r["added"] is False for r in records["figures"])
    listed = client.get("/api/v1/additions").json()
    assert [x["id"] for x in listed["items"]] == [added["id"]] and listed["items"][0]["kind"] == "figure"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/additions", params={"format": "csv"}).text)))
    assert rows[0]["text"] == WORDS and rows[0]["author"] == "ana"
    page = client.get(f"/articles/{art.id}", headers=HTML).text
    assert f'href="#added-figure-{added["id"]}"' in page and f'id="added-figure-{added["id"]}"' in page
    review = client.get("/review", headers=HTML).text
    assert f'/articles/{art.id}#added-figure-{added["id"]}' in review
    refused = client.post(f"/api/v1/articles/{art.id}/additions", json={"kind": "figure", "text": "not there"})
    assert refused.status_code == 400 and "does not contain" in refused.json()["error"]["message"]


def test_the_article_form_adds_a_quote_and_needs_its_csrf_token(client, web_ledger):
    art = _ceasefire(web_ledger)
    saying = "UN agencies regard the ministry's figures as reliable."
    form = {"record": "quote", "selected": saying, "speaker": "UN agencies", "kind": "indirect", "author": "ana"}
    assert client.post(f"/articles/{art.id}/additions", data=form, headers=HTML).status_code == 403
    token = _csrf(client, f"/articles/{art.id}")
    at = web_ledger.article_text(art.id).index(saying)
    done = client.post(f"/articles/{art.id}/additions",
                       data=form | {"csrf": token, "start": str(at), "end": str(at + len(saying))},
                       headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    [added] = web_ledger.additions(article_id=art.id)
    assert done.headers["location"].endswith(f"#added-quote-{added.id}")
    assert (added.kind, added.fields["speaker"], added.fields["kind"], added.text) == ("quote", "UN agencies",
                                                                                      "indirect", saying)


def test_words_added_from_a_hostile_article_stay_text(client, web_ledger):
    art = _hostile(web_ledger)
    token = _csrf(client, f"/articles/{art.id}")
    words = "<img src=x onerror=alert(document.cookie)>"
    done = client.post(f"/articles/{art.id}/additions",
                       data={"record": "quote", "selected": words, "speaker": "<script>x()</script>", "csrf": token},
                       headers=HTML, follow_redirects=False)
    assert done.status_code == 303
    _no_live_markup(client.get(f"/articles/{art.id}", headers=HTML).text)
    _no_live_markup(client.get("/review", headers=HTML).text)


def test_an_added_figure_is_in_its_measure_page_series_and_conflicts(client, web_ledger):
    art = _ceasefire(web_ledger)
    made = client.post(f"/api/v1/articles/{art.id}/additions",
                       json={"kind": "figure", "text": "58 are still in Gaza",
                             "fields": {"counted": "hostages", "category": "held"}, "author": "ana"}).json()
    key = made["measure_key"]
    assert key and made["measure_label"]
    series = client.get("/api/v1" + measure_url(key) + "/figures").json()["items"]
    [mine] = [f for f in series if f["added"]]
    assert (mine["id"], mine["value"], mine["text"], mine["article_id"]) == (-made["id"], 58.0,
                                                                             "58 are still in Gaza", art.id)
    assert any(not f["added"] for f in series)  # beside the figures extraction put in this measure
    assert key in {m["key"] for m in client.get("/api/v1/measures", params={"q": made["measure_label"]}).json()["items"]}
    page = client.get(measure_url(key), headers=HTML).text
    assert f'href="/articles/{art.id}#added-figure-{made["id"]}"' in page and "added by a person" in page
    feed = client.get("/feeds" + measure_url(key) + ".atom").text
    assert f"/articles/{art.id}#added-figure-{made['id']}" in feed and "(added by a person)" in feed


def test_an_added_figure_in_a_conflict_shows_its_sentence(client, web_ledger):
    # A report of the ceasefire report's day whose toll the extractor misreads ("45" thousands, "thousands").
    made = client.post("/api/v1/articles", json={
        "text": "The health ministry in Gaza says Israel's offensive has killed 45 thousands of people in the "
                "territory.", "title": "Toll", "published": "2025-03-07"})
    assert made.status_code == 201, made.text
    aid = made.json()["article_id"]
    for fig in client.get(f"/api/v1/articles/{aid}").json()["records"]["figures"]:
        client.post(f"/api/v1/records/figure/{fig['id']}/corrections", json={"wrong": True, "note": "misread"})
    added = client.post(f"/api/v1/articles/{aid}/additions", json={
        "kind": "figure", "text": "45 thousands of people", "author": "ana",
        "fields": {"value": "45,000", "category": "killed", "counted": "people in territory"}}).json()
    [conflict] = client.get("/api/v1/conflicts", params={"measure": added["measure_key"]}).json()["items"]
    [point] = [p for p in conflict["points"] if p["added"]]
    assert (point["figure_id"], point["article_id"], point["sentence"]["span"]) == (-added["id"], aid,
                                                                                   "45 thousands of people")
    assert any(not p["added"] and p["sentence"]["span"] == "48,446" for p in conflict["points"])
    page = client.get("/conflicts", params={"measure": added["measure_key"]}, headers=HTML).text
    assert f'href="/articles/{aid}#added-figure-{added["id"]}"' in page and "added by a person" in page


def test_an_added_figure_is_in_its_story_listed_by_figures_and_corrected_through_api_and_form(client, web_ledger):
    art = _ceasefire(web_ledger)
    made = client.post(f"/api/v1/articles/{art.id}/additions",
                       json={"kind": "figure", "text": WORDS, "fields": {"value": 2, "counted": "officials"},
                             "author": "ana"}).json()
    fid = -made["id"]
    # Its story: counted among the story's figures, in the story's figure list and on its page.
    [(sid, _title)] = story_views.stories_of(web_ledger.store, [art.id])
    story = client.get(f"/api/v1/stories/{sid}/figures", params={"per_page": 200}).json()
    assert [(f["id"], f["added"]) for f in story["items"] if f["added"]] == [(fid, True)]
    at = [f["id"] for f in story["items"]].index(fid)
    page = client.get(f"/stories/{sid}", params={"fig_page": at // PER_PAGE + 1}, headers=HTML).text
    assert f"/articles/{art.id}#added-figure-{made['id']}" in page
    # Plain `figures` lists it in its place, flagged.
    listed, n = [], 1
    while True:
        body = client.get("/api/v1/figures", params={"per_page": 200, "page": n}).json()
        listed += body["items"]
        if not body["has_next"]:
            break
        n += 1
    assert [f["id"] for f in listed if f["added"]] == [fid] and any(not f["added"] for f in listed)
    # Corrected through the API by minus its id ...
    fixed = client.post(f"/api/v1/records/figure/{fid}/corrections", json={"fields": {"source": "the group"},
                                                                            "author": "ben"})
    assert fixed.status_code == 201, fixed.text
    assert fixed.json()["record"]["source"] == "the group" and fixed.json()["record"]["corrected"] is True
    # ... and through the article page's card and form.
    card = client.get(f"/articles/{art.id}", headers=HTML).text.split(f'id="added-figure-{made["id"]}"', 1)[1]
    card = card.split("</section>", 1)[0]
    assert "the group" in card and "corrected" in card and f'href="/correct/figure/{fid}"' in card
    form = client.get(f"/correct/figure/{fid}", headers=HTML)
    assert form.status_code == 200 and WORDS in form.text
    token = _csrf(client, f"/correct/figure/{fid}")
    done = client.post(f"/correct/figure/{fid}", data={"value": "3", "csrf": token, "author": "cy"}, headers=HTML,
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith(f"#added-figure-{made['id']}")
    assert web_ledger.record("figure", fid)["value"] == 3.0
    assert [(c["field"], c["new"]) for c in client.get(f"/api/v1/records/figure/{fid}").json()["corrections"]] == \
        [("value", 3.0), ("source", "the group")]
