"""Safe HTTP fetching: timeouts, a streamed size limit, and no private addresses unless allowed."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin

import httpx

from newsledger.errors import FetchError, InputError
from newsledger.model import Article, Rejected

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_TIMEOUT = 15.0  # seconds to connect, and between two reads of the body
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a news page or feed is well under this; more is a mistake or an attack
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "newsledger/0.1 (news figure ledger)"
PRIVATE_HINT = "pass --allow-private to fetch from a private address"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)

# NAT64 addresses stand for an IPv4 address: "http://[64:ff9b::7f00:1]/" reaches 127.0.0.1 through the
# gateway, and a public one is how IPv6-only networks reach IPv4 sites.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# feedparser reads RSS, Atom and RDF; JSON Feed is not among them.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class Fetched:
    """One fetched HTTP response: the final URL after redirects, its status, content type and body."""

    url: str
    status: int
    content_type: str
    body: bytes


def address_problem(address: str | IPAddress) -> str | None:
    """Why `address` must not be fetched from without --allow-private, or None when it is public.

    IPv4-mapped and NAT64 addresses are judged by the IPv4 address they stand for; 6to4 and Teredo
    addresses must pass as themselves and for the IPv4 address they carry. Never connects anywhere.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        translated = ip.ipv4_mapped or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if translated is not None:
            problem = _own_problem(translated)
            return f"{problem} (IPv4 {translated} inside {ip})" if problem else None
    problem = _own_problem(ip)
    if problem is not None:
        return problem
    if isinstance(ip, ipaddress.IPv6Address):
        carried = [ip.sixtofour] if ip.sixtofour is not None else []
        carried += list(ip.teredo or ())
        for inner in carried:
            inner_problem = _own_problem(inner)
            if inner_problem is not None:
                return f"{inner_problem} (IPv4 {inner} inside {ip})"
    return None


def _own_problem(ip: IPAddress) -> str | None:
    # Order matters only for the message: the most specific word first.
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        # Python 3.11 counts some multicast ranges as global, so this check cannot rely on is_global.
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "a non-public address"
    return None


def resolve(host: str, port: int, timeout: float = DEFAULT_TIMEOUT) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal resolves to itself); FetchError when none."""
    bare = host.strip("[]")
    try:
        return [ipaddress.ip_address(bare)]
    except ValueError:
        pass
    # getaddrinfo has no timeout of its own; a look-up that outlives ours is left to finish in its thread.
    pool = ThreadPoolExecutor(max_workers=1)
    lookup = pool.submit(socket.getaddrinfo, bare, port, type=socket.SOCK_STREAM)
    pool.shutdown(wait=False)
    try:
        infos = lookup.result(timeout=timeout)
    except FutureTimeout:
        raise FetchError(
            f"timed out resolving host {host!r} after {timeout:g}s", "check your DNS and network"
        ) from None
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(
            f"cannot resolve host {host!r}: {err}", "check the URL and your network connection"
        ) from None
    addresses: list[IPAddress] = []
    for info in infos:
        # Drop any IPv6 zone ("fe80::1%eth0"); the address itself is what is checked.
        ip = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise FetchError(f"host {host!r} resolves to no address", "check the URL")
    return addresses


Networks = tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


def _networks(specs: Iterable[str]) -> Networks:
    try:
        return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)
    except ValueError as err:
        raise FetchError(
            f"not a network: {err}", "give networks as addresses or CIDR blocks, e.g. 10.1.2.0/24"
        ) from None


def _checked_target(
    url: str, allow_private: bool, allowed: Networks = (), timeout: float = DEFAULT_TIMEOUT
) -> tuple[httpx.URL, list[IPAddress]]:
    """The parsed URL and the addresses to connect to, after the scheme and address checks."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as err:
        raise FetchError(f"not a valid URL: {url!r} ({err})", "give a full http:// or https:// URL") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"refusing to fetch {url}: only http and https URLs can be fetched", "give an http(s) URL"
        )
    if not parsed.host:
        raise FetchError(f"not a valid URL: {url!r} has no host", "give a full http:// or https:// URL")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded, as DNS, TLS and the Host header want it
    addresses = resolve(host, port, timeout)
    if not allow_private:
        # Every address is checked, not only the first: a host name with one public and one private
        # address could otherwise send the connection to the private one on a retry.
        for ip in addresses:
            if any(ip in network for network in allowed):
                continue
            problem = address_problem(ip)
            if problem is not None:
                which = host if host == str(ip) else f"{host} ({ip})"
                raise FetchError(f"refusing to fetch {url}: {which} is {problem}", PRIVATE_HINT)
    return parsed, addresses


def _pinned_request(client: httpx.Client, parsed: httpx.URL, ip: IPAddress) -> httpx.Request:
    """A request to the checked address itself, so that no second DNS look-up can change the target.

    The Host header and the TLS server name stay the original host name, so virtual hosting and
    certificate checks work as for the name.
    """
    pinned = parsed.copy_with(host=str(ip))
    host = parsed.raw_host.decode("ascii")
    name = f"[{host}]" if ":" in host else host
    default_port = 443 if parsed.scheme == "https" else 80
    host_header = name if parsed.port in (None, default_port) else f"{name}:{parsed.port}"
    extensions = {"sni_hostname": host} if parsed.scheme == "https" else {}
    return client.build_request(
        "GET",
        pinned,
        headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"},
        extensions=extensions,
    )


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    allow_networks: Iterable[str] = (),
    ca_file: str | None = None,
) -> Fetched:
    """GET `url` and return the final response's body; FetchError for anything that goes wrong.

    `timeout` bounds connecting and each wait for data; the whole fetch, redirects included, is also
    bounded by four times `timeout` so a server that drips one byte at a time cannot hold it forever.
    Redirects are followed here, at most `max_redirects`, and every hop is checked like the first.
    Responses with status 400 or more are errors. `allow_networks` (addresses or CIDR blocks) are
    fetched from even without `allow_private`, e.g. one intranet news server; every other hop is still
    checked. `ca_file` is a PEM bundle to trust instead of the usual certificate authorities (a server
    with a private CA); certificates are always checked against the URL's host name.
    """
    allowed = _networks(allow_networks)
    deadline = time.monotonic() + 4 * timeout
    limits = httpx.Timeout(connect=timeout, read=timeout, write=timeout, pool=timeout)
    current = url
    # trust_env=False: a proxy from the environment would connect on our behalf and skip the address check.
    verify: ssl.SSLContext | bool = True
    if ca_file is not None:
        try:
            verify = ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as err:
            raise FetchError(
                f"cannot load CA file {ca_file}: {err}", "give a PEM certificate bundle"
            ) from None
    with httpx.Client(timeout=limits, follow_redirects=False, trust_env=False, verify=verify) as client:
        for _hop in range(max_redirects + 1):
            response = _get_once(client, current, allow_private, allowed, max_bytes, deadline, timeout)
            if isinstance(response, str):
                current = response
                continue
            return response
    raise FetchError(f"too many redirects fetching {url} (more than {max_redirects})", "check the URL")


def _get_once(
    client: httpx.Client,
    url: str,
    allow_private: bool,
    allowed: Networks,
    max_bytes: int,
    deadline: float,
    timeout: float,
) -> Fetched | str:
    """One request: the response, or the absolute URL it redirects to."""
    if time.monotonic() > deadline:
        raise FetchError(f"timed out following redirects to {url}", "try again later or raise the timeout")
    parsed, addresses = _checked_target(url, allow_private, allowed, timeout)
    last_error: Exception | None = None
    for ip in addresses:
        try:
            request = _pinned_request(client, parsed, ip)
        except (httpx.InvalidURL, TypeError, ValueError) as err:
            raise FetchError(f"not a valid URL: {url!r} ({err})", "give a full http:// or https:// URL") from None
        try:
            response = client.send(request, stream=True)
        except httpx.InvalidURL as err:
            # httpx prepares the next request of a redirect even when it does not follow it, and a
            # malformed Location ("http:x/") fails there.
            raise FetchError(f"{url} redirects to a malformed URL ({err})",
                             "the server's redirect is broken; try the final page's URL directly") from None
        except httpx.ConnectTimeout:
            raise FetchError(
                f"timed out connecting to {url} after {timeout:g}s", "try again later or raise the timeout"
            ) from None
        except httpx.TimeoutException:
            raise FetchError(
                f"timed out waiting for {url} to answer ({timeout:g}s)",
                "try again later or raise the timeout",
            ) from None
        except httpx.HTTPError as err:
            if "CERTIFICATE_VERIFY_FAILED" in str(err):
                # Another address of the same host would present the same certificate.
                raise FetchError(
                    f"the TLS certificate of {url} is not valid ({err})",
                    "check the URL; a server with a private CA needs its CA file",
                ) from None
            last_error = err
            continue  # the next address of the same host may answer
        try:
            return _read_response(response, url, max_bytes, deadline, timeout)
        finally:
            response.close()
    raise FetchError(f"cannot connect to {url}: {last_error}", "check the URL and that the server is up")


def _read_response(
    response: httpx.Response, url: str, max_bytes: int, deadline: float, timeout: float
) -> Fetched | str:
    status = response.status_code
    if status in REDIRECT_STATUSES:
        location = response.headers.get("location")
        if not location:
            raise FetchError(f"{url} answered redirect {status} without a Location", "check the URL")
        target = urljoin(url, location.strip())
        try:
            checked = httpx.URL(target)
            checked.copy_with(host="127.0.0.1")  # what _pinned_request does with it: fails on "http:x/"
        except (httpx.InvalidURL, TypeError, ValueError) as err:
            raise FetchError(f"{url} redirects to a malformed URL {location.strip()!r} ({err})",
                             "the server's redirect is broken; try the final page's URL directly") from None
        if checked.scheme in ("http", "https") and not checked.host:
            raise FetchError(f"{url} redirects to a malformed URL {location.strip()!r} (no host)",
                             "the server's redirect is broken; try the final page's URL directly")
        return target
    if status >= 400:
        raise FetchError(f"{url} answered HTTP {status} {response.reason_phrase}", "check the URL")
    content_type = response.headers.get("content-type", "")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"{url} is too large: {int(declared)} bytes declared, limit {max_bytes}",
            "raise the size limit if this page is really wanted",
        )
    chunks: list[bytes] = []
    size = 0
    try:
        # iter_bytes counts decompressed bytes, so a small gzip bomb cannot slip under the limit.
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(
                    f"{url} is too large: more than {max_bytes} bytes",
                    "raise the size limit if this page is really wanted",
                )
            if time.monotonic() > deadline:
                raise FetchError(f"timed out reading {url}", "try again later or raise the timeout")
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(
            f"timed out reading {url}: no data for {timeout:g}s", "try again later or raise the timeout"
        ) from None
    except httpx.HTTPError as err:
        raise FetchError(f"failed reading {url}: {err}", "try again later") from None
    # The URL the user knows (host name, not the pinned address) is the one reported.
    return Fetched(url=url, status=status, content_type=content_type, body=b"".join(chunks))


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type header value, lower-cased ("text/html")."""
    return content_type.split(";", 1)[0].strip().lower()


def looks_like_feed(fetched: Fetched) -> bool:
    """Whether a response is an RSS/Atom feed, by its content type or, for XML, its root element."""
    kind = media_type(fetched.content_type)
    if kind in FEED_TYPES:
        return True
    if kind in HTML_TYPES:
        return False
    head = fetched.body[:2048].lstrip().lower()
    return bool(re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head))


def decode_body(body: bytes, content_type: str) -> str | bytes:
    """The body as text when the Content-Type header names a usable charset, else the bytes as they are.

    Undeclared encodings are left to trafilatura, which sniffs <meta> charsets and byte patterns.
    """
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
    if match:
        try:
            return body.decode(match.group(1))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header is common; the bytes may still say their own encoding
    return body


def article_from_fetched(
    fetched: Fetched, *, where: str | None = None, published: date | None = None, origin: str = "url"
) -> Article | Rejected:
    """The article in a fetched HTML page, or a Rejected saying why there is none.

    `published`, when given, overrides the page's own date (a feed entry's date, for instance).
    """
    from newsledger.ingest.html import article_from_html  # lazily: html pulls in trafilatura

    where = where or fetched.url
    kind = media_type(fetched.content_type)
    if looks_like_feed(fetched):
        return Rejected(where=where, reason=f"{where}: this is a feed, not an article page")
    if kind and kind not in HTML_TYPES and fetched.body.lstrip()[:1] != b"<":
        return Rejected(where=where, reason=f"{where}: the server sent {kind}, not an HTML page")
    try:
        return article_from_html(
            decode_body(fetched.body, fetched.content_type),
            url=fetched.url,
            where=where,
            published=published,
            origin=origin,
        )
    except InputError as err:
        return Rejected(where=where, reason=str(err))


def read_url(url: str, *, allow_private: bool = False) -> Iterator[Article | Rejected]:
    """The articles at `url`: one for an HTML page, one per entry for an RSS/Atom feed.

    Raises FetchError when the URL cannot be fetched at all (refused, unreachable, HTTP error, too
    large, too slow); a page that is fetched but holds no article yields one Rejected.
    """
    fetched = fetch(url, allow_private=allow_private)
    if looks_like_feed(fetched):
        from newsledger.ingest.feeds import read_feed_bytes  # lazily: feeds imports this module

        yield from read_feed_bytes(fetched.body, where=url, allow_private=allow_private)
        return
    yield article_from_fetched(fetched, where=url)
