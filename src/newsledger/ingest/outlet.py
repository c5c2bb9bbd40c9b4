"""The outlet of an article from its URL: the registered domain (public-suffix aware), never fetched."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

# https://web.archive.org/web/20250307123456/https://www.bbc.co.uk/news/... (also with id_, im_ ... flags,
# and with the archived URL's scheme left out).
_ARCHIVE = re.compile(r"^https?://(?:www\.)?web\.archive\.org/web/\d{1,14}[a-z_]*/(?P<url>.+)$", re.I)


@lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # The public suffix list bundled with the pinned tldextract: nothing is downloaded at run time
    # (suffix_list_urls=()) and nothing is written to a cache (cache_dir=None), so a read-only home works.
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def archived_url(url: str) -> str:
    """The URL a web-archive capture stands for, or the URL itself."""
    m = _ARCHIVE.match(url.strip())
    if not m:
        return url
    inner = m.group("url")
    return inner if re.match(r"^[a-z][a-z0-9+.-]*://", inner, re.I) else "http://" + inner


def outlet_from_url(url: str | None) -> str | None:
    """`bbc.co.uk` for https://www.bbc.co.uk/news/...; the host for names outside the public suffix list;
    None for addresses and what is not an http(s) URL."""
    if not url:
        return None
    url = archived_url(url)
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    found = _extractor()(host)
    if found.suffix and found.domain:
        return f"{found.domain}.{found.suffix}"
    return host.removeprefix("www.") or None
