"""The FastAPI application: one Ledger behind server-rendered pages, the JSON API under /api/v1 and Atom feeds."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.web import security
from newsledger.web.cache import Entry, PageCache, cacheable, matches, request_key
from newsledger.web.views import figure_anchor, link, measure_url, number, safe_url

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.auto_reload = False  # templates are read once a process (no stat of each file per page)
# Pages may be kept by the browser but are checked with the server (their ETag) before each use.
CACHE_CONTROL = "private, no-cache"
templates.env.globals.update(link=link, measure_url=measure_url, number=number, safe_url=safe_url,
                             figure_anchor=figure_anchor)


def create_app(db: str | os.PathLike[str] | None = None, *, host: str = "127.0.0.1", token: str | None = None,
               ledger: Ledger | None = None, page_cache_mb: float | None = None) -> FastAPI:
    """The app over the ledger at `db` (or an open `ledger`). Bound to `host`; a `token` makes every write
    ask for it (and is required when `host` is not loopback). Rendered pages are kept in up to
    `page_cache_mb` MB a process (default: $NEWSLEDGER_PAGE_CACHE_MB, else 64; 0 keeps none)."""
    settings = security.Settings(host=host, token=token or None)
    if not settings.loopback and not settings.token:
        raise NewsledgerError(f"serving on {host} lets other machines write to the ledger",
                              "set NEWSLEDGER_TOKEN to a secret that writes must carry, or bind 127.0.0.1")
    app = FastAPI(title="newsledger", version="1",
                  description="The sourced ledger: articles, figures, quotes, measures, conflicts, corrections.",
                  docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json")
    app.state.ledger = ledger if ledger is not None else Ledger(db, must_exist=False)
    app.state.settings = settings
    # Extraction (the add page) runs the spaCy pipeline, which is not safe to share between threads.
    app.state.extract_lock = threading.Lock()

    cache_mb = page_cache_mb if page_cache_mb is not None else _env_mb()
    cache = PageCache(int(cache_mb * 1024 * 1024), app.state.ledger.store.display_url)
    app.state.page_cache = cache

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if not security.host_allowed(settings, request.headers.get("host")):
            return error_response(request, 400, "BadHost", "this server answers only to its loopback address",
                                  "open http://127.0.0.1 instead of another name")
        csrf = request.cookies.get(security.CSRF_COOKIE)
        fresh = csrf is None
        token = request.state.csrf = csrf or security.new_csrf()
        if cacheable(request.method, request.url.path):
            response = await cached(request, call_next, token, fresh)
        else:
            response = await call_next(request)
        for name, value in security.HEADERS.items():
            if name == "Content-Security-Policy" and request.url.path.startswith("/api/docs"):
                continue  # the OpenAPI page runs FastAPI's own inline script
            response.headers.setdefault(name, value)
        if fresh:
            response.set_cookie(security.CSRF_COOKIE, token, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        return response

    async def cached(request: Request, call_next: Any, token: str, fresh: bool) -> Response:
        """A GET answered from the ETag (304) or the page cache where the ledger has not changed since,
        else rendered (with a placeholder for the CSRF token) and kept. See newsledger.web.cache."""
        state = await run_in_threadpool(app.state.ledger.change_state)
        key = request_key(request.url.path, request.url.query, request.headers.get("accept", ""))
        etag = cache.etag(state, key, token)
        if not fresh and matches(request.headers.get("if-none-match"), etag):
            cache.not_modified += 1
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL,
                                                      "X-Cache": "not-modified"})
        entry = None if "no-cache" in request.headers.get("cache-control", "") else cache.get(state, key)
        how = "hit"
        if entry is None:
            how = "miss"
            request.state.csrf = cache.placeholder
            rendered = await call_next(request)
            body = b"".join([chunk async for chunk in rendered.body_iterator])
            entry = Entry(rendered.status_code, body, [h for h in rendered.raw_headers if h[0] != b"content-length"])
            if rendered.status_code == 200:
                cache.put(state, key, entry)
            cache.misses += 1
        else:
            cache.hits += 1
        body = entry.body.replace(cache.placeholder.encode(), token.encode())
        response = Response(body, status_code=entry.status)
        response.raw_headers = [*entry.headers, (b"content-length", str(len(body)).encode())]
        if entry.status == 200:
            response.headers["ETag"] = etag
            response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["X-Cache"] = how
        return response

    @app.exception_handler(NewsledgerError)
    async def ledger_error(request: Request, err: NewsledgerError) -> Response:
        return error_response(request, err.http_status, type(err).__name__, err.message, err.hint)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path"))
        return error_response(request, 422, "InvalidRequest", f"{where or 'request'}: {first.get('msg', 'invalid')}",
                              "see /api/docs for the parameters")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        return error_response(request, err.status_code, "HTTPError", str(err.detail), None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        # Anything unforeseen: the same envelope, no traceback to the client (the server log keeps it).
        return error_response(request, 500, "InternalError", f"unexpected {type(err).__name__}",
                              "please report this with what you did")

    app.add_middleware(security.BodyLimit)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    from newsledger.web import api, feeds, pages, story_pages

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> Response:
        # FastAPI's OpenAPI page with Swagger UI served from the package (vendored from npm), not a CDN.
        return get_swagger_ui_html(openapi_url="/api/v1/openapi.json", title="newsledger API",
                                   swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/static/swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/swagger/favicon-32x32.png",
                                   swagger_ui_parameters={"syntaxHighlight": False})

    app.include_router(api.router)
    app.include_router(story_pages.api)
    app.include_router(story_pages.pages)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    return app


def _env_mb() -> float:
    raw = os.environ.get("NEWSLEDGER_PAGE_CACHE_MB", "64")
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise NewsledgerError(f"NEWSLEDGER_PAGE_CACHE_MB={raw!r} is not a number",
                              "give the megabytes of rendered pages each server process keeps (0: none)") from None


def app_from_env() -> FastAPI:
    """The app as `newsledger serve --workers N` starts it in each worker: settings from the environment."""
    return create_app(os.environ.get("NEWSLEDGER_DB"), host=os.environ.get("NEWSLEDGER_HOST", "127.0.0.1"),
                      token=os.environ.get("NEWSLEDGER_TOKEN"))


def error_response(request: Request, status: int, kind: str, message: str, hint: str | None) -> Response:
    """Every error in one JSON envelope for the API and feeds; a page saying what to do for people."""
    body = {"error": {"status": status, "type": kind, "message": message, "hint": hint}}
    if request.url.path.startswith(("/api/", "/feeds/")) or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(body, status_code=status)
    return HTMLResponse(templates.get_template("error.html").render(
        request=request, status=status, message=message, hint=hint, title="Error"), status_code=status)


def ledger_of(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def check_write(request: Request, *, form_csrf: str | None = None, api: bool = False) -> None:
    """Refuse a write without the token (when one is set) or, for a form, without its CSRF token."""
    settings: security.Settings = request.app.state.settings
    cookie = None if api else request.cookies.get(security.TOKEN_COOKIE)
    if not security.token_ok(settings, request.headers.get("authorization"), cookie):
        raise security.Forbidden("this ledger needs a token to change it",
                                 "send Authorization: Bearer $NEWSLEDGER_TOKEN, or log in at /login")
    if api:
        if "application/json" not in request.headers.get("content-type", ""):
            raise security.Forbidden("API writes take a JSON body", "send Content-Type: application/json")
        return
    if not security.csrf_ok(request.cookies.get(security.CSRF_COOKIE), form_csrf):
        raise security.Forbidden("the form's security token is missing or stale", "reload the page and try again")
