"""The HTML pages: home, article, measure, conflicts, search, add, review and correction forms, login."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsledger.errors import InputError, NewsledgerError, NotFoundError
from newsledger.ledger.additions import FIELDS as ADDED_FIELDS
from newsledger.ledger.corrections import FIELDS
from newsledger.model import CATEGORIES, QUALIFIERS
from newsledger.web import data, security
from newsledger.web.app import check_write, ledger_of, templates
from newsledger.web.chart import series_svg
from newsledger.web.story_pages import stories_of
from newsledger.web.views import PER_PAGE, highlight, link, measure_url, paging, parse_day, sentence

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
OptText = Annotated[str, Form(max_length=2000)]


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    settings: security.Settings = request.app.state.settings
    context.setdefault("title", "newsledger")
    html = templates.get_template(name).render(request=request, csrf=request.state.csrf,
                                               needs_token=settings.token is not None, **context)
    return HTMLResponse(html, status_code=status)


def back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    ledger = ledger_of(request)
    return render(request, "home.html", stats=ledger.stats(), articles=ledger.articles(limit=10))


# -- articles -----------------------------------------------------------------------------------------------
@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request, search: str = "", page: int = 1) -> Response:
    return search_page(request, tab="articles", search=search, page=page)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int) -> Response:
    ledger = ledger_of(request)
    view = data.article_view(ledger, article_id)
    body = highlight(view.text, view.records)
    counts = {kind: len(rows) for kind, rows in view.records.items()}
    return render(request, "article.html", title=view.article.title or f"Article {article_id}", view=view,
                  body=body, counts=counts, stories=stories_of(ledger, [article_id]), qualifiers=QUALIFIERS,
                  categories=CATEGORIES)


@router.post("/articles/{article_id}/additions")
async def add_record(request: Request, article_id: int) -> Response:
    """Add a figure or quote the extractor missed, on words selected in the article (or typed)."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    check_write(request, form_csrf=values.get("csrf"))
    kind = values.get("record", "figure")
    names = ADDED_FIELDS.get(kind)
    if names is None:
        raise InputError(f"cannot add a {kind!r}", "choose figure or quote")
    fields = {name: values[name] for name in names if values.get(name, "").strip()}
    made = ledger_of(request).add_record(article_id, kind, start=_int(values.get("start")),
                                         end=_int(values.get("end")), selected=values.get("selected"),
                                         fields=fields, author=values.get("author") or None,
                                         note=values.get("note") or None)
    return back(f"/articles/{article_id}#added-{kind}-{made.id}")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# -- measures -----------------------------------------------------------------------------------------------
@router.get("/measures", response_class=HTMLResponse)
def measures(request: Request, q: str = "", page: int = 1) -> Response:
    return search_page(request, tab="measures", q=q, page=page)


@router.get("/measures/{key:path}", response_class=HTMLResponse)
def measure(request: Request, key: str, page: int = 1, conflict_page: int = 1) -> Response:
    page, per_page = paging(page, 50)
    conflict_page, _ = paging(conflict_page, 25)
    ledger = ledger_of(request)
    view = data.measure_view(ledger, key)
    chart = series_svg(view.figures, view.conflicted, title=f"{view.label}: value over as-of date")
    undrawn = sum(1 for f in view.figures if f.value is None or not (f.as_of or f.published))
    figs = data.page_of(view.figures, page, per_page)
    # The sentence of each figure on this page: the texts of its articles, read at once.
    rows = data.figure_rows(ledger, figs.items)
    shown = data.page_of(view.conflicts, conflict_page, 25)
    listed = [{"id": data.conflict_id(c), "kind": c.kind, "reason": c.reason} for c in shown.items]
    return render(request, "measure.html", title=view.label, view=view, chart=chart, undrawn=undrawn, figs=figs,
                  rows=rows, stories=stories_of(ledger, sorted({f.article_id for f in view.figures})),
                  conflicts=listed, conflict_pages=shown,
                  page_link=lambda p: link(measure_url(key), page=p, conflict_page=conflict_page),
                  conflict_link=lambda p: link(measure_url(key), page=page, conflict_page=p) + "#conflicts")


@router.post("/measures/{key:path}/merge")
def merge(request: Request, key: str, into: Text, csrf: OptText = "") -> Response:
    check_write(request, form_csrf=csrf)
    _src, dst = ledger_of(request).merge_measures(key, into)
    return back(measure_url(dst))


@router.post("/measures/{key:path}/split")
def split(request: Request, key: str, pattern: Text, label: OptText = "", csrf: OptText = "") -> Response:
    check_write(request, form_csrf=csrf)
    into = ledger_of(request).split_measure(key, pattern, label=label or None)
    return back(measure_url(into))


# -- conflicts ----------------------------------------------------------------------------------------------
@router.get("/conflicts", response_class=HTMLResponse)
def conflicts(request: Request, measure: str = "", kind: str = "", since: str = "", until: str = "",
              dismissed: bool = False, page: int = 1) -> Response:
    page, per_page = paging(page, 10)
    ledger = ledger_of(request)
    found, gone = data.filter_conflicts(ledger, measure=measure or None, kind=kind or None,
                                        since=parse_day(since, "since"), until=parse_day(until, "until"),
                                        include_dismissed=dismissed)
    result = data.page_of(found, page, per_page)
    views = data.conflict_views(ledger, result.items, gone)
    filters = {"measure": measure, "kind": kind, "since": since, "until": until, "dismissed": dismissed}
    from newsledger.ledger.conflicts import KINDS

    return render(request, "conflicts.html", title="Conflicts", conflicts=views, result=result, filters=filters,
                  kinds=KINDS, page_link=lambda p: link("/conflicts", page=p, **filters))


@router.get("/conflicts/{conflict_id}", response_class=HTMLResponse)
def conflict(request: Request, conflict_id: str) -> Response:
    ledger = ledger_of(request)
    found, gone = data.filter_conflicts(ledger, include_dismissed=True)
    match = [c for c in found if data.conflict_id(c) == conflict_id]
    if not match:
        raise NotFoundError(f"no conflict with id {conflict_id}", "it may have been resolved by a correction")
    views = data.conflict_views(ledger, match, gone)
    return render(request, "conflicts.html", title="Conflict", conflicts=views, result=None, filters=None,
                  kinds=(), page_link=None)


@router.post("/conflicts/{conflict_id}/dismiss")
def dismiss(request: Request, conflict_id: str, reason: Text, author: OptText = "", csrf: OptText = "") -> Response:
    check_write(request, form_csrf=csrf)
    ledger_of(request).dismiss_conflict(conflict_id, reason, author=author or None)
    return back("/conflicts")


# -- search -------------------------------------------------------------------------------------------------
@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, tab: str = "articles", search: str = "", q: str = "", source: str = "",
                category: str = "", measure: str = "", since: str = "", until: str = "", speaker: str = "",
                page: int = 1) -> Response:
    page, per_page = paging(page, PER_PAGE)
    ledger = ledger_of(request)
    params = {"tab": tab, "search": search, "q": q, "source": source, "category": category, "measure": measure,
              "since": since, "until": until, "speaker": speaker}
    if tab == "articles":
        result = data.paged_articles(ledger, page, per_page, search=search)
    elif tab == "figures":
        result = data.paged_figures(ledger, page, per_page, source=source, category=category, measure=measure,
                                    since=parse_day(since, "since"), until=parse_day(until, "until"))
    elif tab == "quotes":
        result = data.paged_quotes(ledger, page, per_page, speaker=speaker, search=search)
    elif tab == "measures":
        result = data.page_of(ledger.measures(q or None), page, per_page)
    elif tab == "sources":
        result = data.page_of(ledger.sources(q or None), page, per_page)
    elif tab == "events":
        result = data.paged_events(ledger, page, per_page, type=q, actor=speaker, since=parse_day(since, "since"),
                                   until=parse_day(until, "until"))
    else:
        raise InputError(f"no search tab {tab!r}", "choose articles, figures, quotes, measures, sources or events")
    return render(request, "search.html", title="Search", tab=tab, result=result, params=params,
                  categories=CATEGORIES, page_link=lambda p: link("/search", page=p, **params))


# -- add ------------------------------------------------------------------------------------------------------
@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> Response:
    return render(request, "add.html", title="Add an article", error=None, form={})


@router.post("/add")
def add(request: Request, text: Annotated[str, Form(max_length=1_000_000)] = "", url: OptText = "",
        title: OptText = "", published: OptText = "", csrf: OptText = "") -> Response:
    check_write(request, form_csrf=csrf)
    from newsledger.web.api import _add

    try:
        done = _add(request, text, url, title, parse_day(published, "published"))
    except NewsledgerError as err:
        return render(request, "add.html", status=err.http_status, title="Add an article", error=err,
                      form={"text": text, "url": url, "title": title, "published": published})
    return back(done["url"])


# -- review and corrections -----------------------------------------------------------------------------------
@router.get("/review", response_class=HTMLResponse)
def review(request: Request, page: int = 1, pending_page: int = 1, added_page: int = 1) -> Response:
    page, per_page = paging(page, PER_PAGE)
    pending_page, _ = paging(pending_page, PER_PAGE)
    added_page, _ = paging(added_page, PER_PAGE)
    ledger = ledger_of(request)
    made = data.page_of(ledger.corrections(limit=page * per_page + 1), page, per_page, complete=False)
    pending = data.page_of(ledger.pending_review(), pending_page, per_page)
    added = data.page_of(ledger.additions(limit=added_page * per_page + 1), added_page, per_page, complete=False)
    here = {"page": page, "pending_page": pending_page, "added_page": added_page}
    return render(request, "review.html", title="Review", made=made, pending=pending, added=added,
                  page_link=lambda p: link("/review", **(here | {"page": p})),
                  pending_link=lambda p: link("/review", **(here | {"pending_page": p})),
                  added_link=lambda p: link("/review", **(here | {"added_page": p})))


@router.get("/correct/{kind}/{record_id}", response_class=HTMLResponse)
def correct_form(request: Request, kind: str, record_id: int) -> Response:
    return _correct_page(request, kind, record_id, None)


def _correct_page(request: Request, kind: str, record_id: int, error: NewsledgerError | None) -> HTMLResponse:
    ledger = ledger_of(request)
    record = ledger.record(kind, record_id)
    text = ledger.article_text(record["article_id"])
    return render(request, "correct.html", status=error.http_status if error else 200,
                  title=f"Correct {kind} {record_id}", kind=kind, record=record, fields=FIELDS[kind],
                  anchor=_anchor(kind, record_id),
                  sentence=sentence(text, record["span_start"], record["span_end"]),
                  history=ledger.corrections(kind=kind, record_id=record_id), error=error,
                  choices={"qualifier": QUALIFIERS, "category": CATEGORIES, "kind": ("direct", "indirect", "mixed")})


@router.post("/correct/{kind}/{record_id}")
async def correct(request: Request, kind: str, record_id: int) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    check_write(request, form_csrf=values.get("csrf"))
    ledger = ledger_of(request)
    if kind not in FIELDS:
        raise InputError(f"cannot correct a {kind!r}", "choose figure, quote or event")
    record = ledger.record(kind, record_id)
    changes = {name: values[name] for name in FIELDS[kind]
               if name in values and values[name].strip() != _shown(record.get(name))}
    wrong = {"wrong": True, "right": False}.get(values.get("mark", ""))
    try:
        ledger.correct(kind, record_id, changes, wrong=wrong, author=values.get("author") or None,
                       note=values.get("note") or None)
    except NewsledgerError as err:
        if isinstance(err, security.Forbidden):
            raise
        return _correct_page(request, kind, record_id, err)
    return back(f"/articles/{record['article_id']}#{_anchor(kind, record_id)}")


def _anchor(kind: str, record_id: int) -> str:
    """A record's card on its article page: an added one (minus its addition's id) has its own."""
    return f"added-{kind}-{-record_id}" if record_id < 0 else f"{kind}-{record_id}"


def _shown(value: Any) -> str:
    """A field's value as the form shows it, so an untouched field is no change."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


# -- token login (when the server needs a token for writes) ---------------------------------------------------
@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return render(request, "login.html", title="Log in", error=None)


@router.post("/login")
def login(request: Request, token: Text, csrf: OptText = "") -> Response:
    settings: security.Settings = request.app.state.settings
    if not security.csrf_ok(request.cookies.get(security.CSRF_COOKIE), csrf):
        raise security.Forbidden("the form's security token is missing or stale", "reload the page and try again")
    if not security.token_ok(settings, f"Bearer {token}", None):
        return render(request, "login.html", status=403, title="Log in", error="that is not the token")
    response = back("/")
    response.set_cookie(security.TOKEN_COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response
