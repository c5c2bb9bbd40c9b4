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
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsledger.errors import NewsledgerError
from newsledger.ledger import Ledger
from newsledger.web import security
from newsledger.web.views import figure_anchor, link, measure_url, number, safe_url

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(link=link, measure_url=measure_url, number=number, safe_url=safe_url,
                             figure_anchor=figure_anchor)


def create_app(db: str | os.PathLike[str] | None = None, *, host: str = "127.0.0.1", token: str | None = None,
               ledger: Ledger | None = None) -> FastAPI:
    """The app over the ledger at `db` (or an open `ledger`). Bound to `host`; a `token` makes every write
    ask for it (and is required when `host` is not loopback)."""
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

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        if not security.host_allowed(settings, request.headers.get("host")):
            return error_response(request, 400, "BadHost", "this server answers only to its loopback address",
                                  "open http://127.0.0.1 instead of another name")
        csrf = request.cookies.get(security.CSRF_COOKIE)
        fresh = csrf is None
        request.state.csrf = csrf or security.new_csrf()
        response: Response = await call_next(request)
        for name, value in security.HEADERS.items():
            if name == "Content-Security-Policy" and request.url.path.startswith("/api/docs"):
                continue  # the OpenAPI page runs FastAPI's own inline script
            response.headers.setdefault(name, value)
        if fresh:
            response.set_cookie(security.CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
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
