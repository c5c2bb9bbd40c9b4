"""HTML pages to articles: the body text, title, date and outlet found by trafilatura (and htmldate)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from newsledger.config import MAX_CHARS
from newsledger.errors import InputError
from newsledger.model import Article, parse_iso_date

# A page may hold this many bytes of markup per character of the text limit before it is refused unread.
HTML_BYTES_PER_CHAR = 20

# Pages whose body trafilatura finds shorter than this are navigation or error pages, not articles.
MIN_BODY_CHARS = 40


def article_from_html(html: str | bytes, *, url: str | None = None, where: str,
                      published: date | None = None, origin: str = "html") -> Article:
    """Find the article in an HTML page; `where` names the page in messages (file, URL, record).

    `published` overrides the page's own date. Raises InputError when the page holds no article body.
    """
    import trafilatura

    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        raise InputError(f"{where}: the page is empty", "give an HTML page that holds an article")
    # trafilatura logs a warning for every page it cannot parse; we raise our own error instead.
    logging.getLogger("trafilatura").addHandler(logging.NullHandler())
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            # original_date: the day the article first ran, not a later "updated" stamp.
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except Exception as err:  # trafilatura/lxml raise assorted errors on malformed markup
        raise InputError(f"{where}: the HTML could not be parsed ({type(err).__name__}: {err})",
                         "check that the file is an HTML page") from err
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if len(text) < MIN_BODY_CHARS:
        raise InputError(f"{where}: no article text found in the HTML page",
                         "give the page of a single article, or paste its text into a .txt file")
    when = published
    if when is None:
        try:
            when = parse_iso_date(getattr(doc, "date", None))
        except ValueError:
            when = None
    return Article(
        text=text,
        id=None,
        published=when,
        title=getattr(doc, "title", None) or None,
        url=url or getattr(doc, "url", None) or None,
        outlet=getattr(doc, "sitename", None) or None,
        origin=origin,
    )


def read_html(path: str | Path, *, published: date | None = None, max_chars: int = MAX_CHARS) -> Article:
    """Read one HTML file into an article whose id is the path as given."""
    p = Path(path)
    try:
        size = p.stat().st_size
        # Markup runs to a few times the text it holds; a page this large is not one article, and parsing
        # it would take minutes before the text-length check could refuse it.
        if size > HTML_BYTES_PER_CHAR * max_chars:
            raise InputError(f"{p}: the page has {size:,} bytes, too large for one article",
                             "save the article's own page, or raise the limit with --max-chars")
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot be read ({err.strerror})", "check the path and its permissions") from err
    article = article_from_html(data, where=str(p), published=published)
    article.id = str(p)
    return article
