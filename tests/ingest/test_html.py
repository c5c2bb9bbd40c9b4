"""HTML pages: the article body, title, date and outlet found by trafilatura; pages without one refused."""

from __future__ import annotations

from datetime import date

import pytest

from newsledger.errors import InputError
from newsledger.ingest.html import article_from_html, read_html

PAGE = """<html><head><title>Storm damages homes | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta property="article:published_time" content="2024-11-02T08:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Storm damages homes</h1>
<p>At least 12 homes were damaged when the storm crossed the valley on Friday night, the fire service said.</p>
<p>"We have never seen wind like it," said Mary Jones, who has lived in the village for 40 years.</p>
</article><footer>Contact us · Privacy policy · Cookies</footer></body></html>"""


def test_body_title_date_and_outlet_are_found():
    article = article_from_html(PAGE, where="page.html")
    assert "At least 12 homes were damaged" in article.text
    assert "Privacy policy" not in article.text and "Sport" not in article.text
    assert article.title == "Storm damages homes"
    assert article.published == date(2024, 11, 2)
    assert article.outlet == "Valley Herald"
    assert article.origin == "html"


def test_given_published_day_overrides_the_page_date():
    article = article_from_html(PAGE.encode(), where="page.html", published=date(2024, 11, 3))
    assert article.published == date(2024, 11, 3)


def test_page_without_an_article_is_refused():
    with pytest.raises(InputError, match="no article text"):
        article_from_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", where="nav.html")


def test_empty_page_is_refused():
    with pytest.raises(InputError, match="empty"):
        article_from_html(b"  ", where="blank.html")


def test_read_html_uses_the_path_as_id(tmp_path):
    path = tmp_path / "storm.html"
    path.write_text(PAGE, encoding="utf-8")
    assert read_html(path).id == str(path)


def test_page_far_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "huge.html"
    path.write_text(PAGE + "<p>filler</p>" * 2000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_html(path, max_chars=100)
