"""What keeps the web interface safe: loopback hosts, a token for writes, CSRF on forms, a body size limit."""

from __future__ import annotations

import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from newsledger.errors import NewsledgerError

CSRF_COOKIE = "nl_csrf"
TOKEN_COOKIE = "nl_token"
# The largest request body accepted: a pasted article of the extractor's 1,000,000-character limit in
# UTF-8 fits; anything bigger is refused before it is read.
MAX_BODY = 4_500_000
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


class Forbidden(NewsledgerError):
    """A write without the token, or a form without its CSRF token."""

    exit_code = 1
    http_status = 403


class TooLarge(NewsledgerError):
    exit_code = 1
    http_status = 413


@dataclass
class Settings:
    """How the app was started: where it listens and the token writes need (None: no token needed)."""

    host: str = "127.0.0.1"
    token: str | None = None

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(settings: Settings, host_header: str | None) -> bool:
    """On loopback, only loopback names in Host: a web page elsewhere cannot rebind a DNS name onto us."""
    if not settings.loopback:
        return True
    if not host_header:
        return False
    name = host_header.rsplit(":", 1)[0] if not host_header.startswith("[") else host_header.split("]")[0] + "]"
    return is_loopback(name) or name == "testserver"


def token_ok(settings: Settings, header: str | None, cookie: str | None) -> bool:
    """Whether a write carries the token (Authorization: Bearer, or the login cookie for forms)."""
    if settings.token is None:
        return True
    given = None
    if header and header.lower().startswith("bearer "):
        given = header[7:].strip()
    elif cookie:
        given = cookie
    return given is not None and secrets.compare_digest(given.encode(), settings.token.encode())


def csrf_ok(cookie: str | None, form_value: str | None) -> bool:
    return bool(cookie and form_value) and secrets.compare_digest(str(cookie).encode(), str(form_value).encode())


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: a body over MAX_BODY (declared or streamed) gets 413 in the API's error envelope."""

    def __init__(self, app: Any, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0
        started = False

        async def counting() -> MutableMapping[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        async def tracking(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, self.limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": {"status": 413, "type": "TooLarge",
                                 "message": f"the request body is over {limit:,} bytes",
                                 "hint": "send a shorter text"}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# Everything the pages need comes from this server; no inline script; nothing may frame the pages.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "X-Frame-Options": "DENY"}
