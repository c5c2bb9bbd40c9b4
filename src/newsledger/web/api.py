"""The REST API under /api/v1: JSON (CSV where a table is asked for), paged lists, filters as query parameters."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from newsledger.errors import InputError
from newsledger.model import Article
from newsledger.web import data
from newsledger.web.app import check_write, ledger_of
from newsledger.web.views import page_json, paging, parse_day, plain

router = APIRouter(prefix="/api/v1", tags=["api"])

PageQ = Annotated[int, Query(ge=1, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=200, description="Items a page (at most 200).")]
FormatQ = Annotated[str, Query(pattern="^(json|csv)$", description="json, or csv for the table.")]


def _csv(rows: list[dict[str, Any]], name: str) -> Response:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: v if not isinstance(v, dict | list) else str(v) for k, v in row.items()})
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _answer(items: list[dict[str, Any]], page: data.Page, format: str, name: str) -> Response:
    if format == "csv":
        return _csv(items, name)
    return JSONResponse(page_json(page, items))


@router.get("/stats", summary="Counts of every stored kind, corrections included")
def stats(request: Request) -> dict[str, Any]:
    return {k: plain(v) for k, v in ledger_of(request).stats().items()}


@router.get("/articles", summary="Current articles, newest first; `search` is full text over titles and texts")
def articles(request: Request, search: str | None = None, page: PageQ = 1, per_page: PerPageQ = 25,
             format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = data.paged_articles(ledger_of(request), page, per_page, search=search)
    return _answer([plain(a) for a in result.items], result, format, "articles")


@router.get("/articles/{article_id}", summary="One article: text, every record with its span, versions, diffs")
def article(request: Request, article_id: int) -> dict[str, Any]:
    return data.article_json(data.article_view(ledger_of(request), article_id))


class NewArticle(BaseModel):
    text: str | None = Field(None, max_length=1_000_000, description="The article text (or give `url`).")
    url: str | None = Field(None, max_length=2000, description="An http(s) URL to fetch (private addresses refused).")
    title: str | None = Field(None, max_length=500)
    published: date | None = None


@router.post("/articles", status_code=201, summary="Add an article (text, or a URL fetched through the guard)")
def add_article(request: Request, body: NewArticle) -> dict[str, Any]:
    check_write(request, api=True)
    return _add(request, body.text, body.url, body.title, body.published)


def _add(request: Request, text: str | None, url: str | None, title: str | None,
         published: date | None) -> dict[str, Any]:
    ledger = ledger_of(request)
    source: str | Article
    if url and url.strip():
        if not url.strip().lower().startswith(("http://", "https://")):
            raise InputError("only http(s) URLs can be fetched", "paste the article's web address")
        source = url.strip()
    elif text and text.strip():
        source = Article(text=text, title=(title or "").strip() or None, published=published, origin="web")
    else:
        raise InputError("nothing to add", "paste an article's text or its URL")
    with request.app.state.extract_lock:
        status, article_id = ledger.add_article(source, published=published if isinstance(source, str) else None)
    return {"status": status, "article_id": article_id, "url": f"/articles/{article_id}"}


@router.get("/figures", summary="Figures, oldest as-of first, people's added ones flagged `added` (id: minus the "
            "addition's); filters by source words, category, measure, dates")
def figures(request: Request, source: str | None = None, category: str | None = None,
            measure: str | None = None, since: str | None = None, until: str | None = None,
            page: PageQ = 1, per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = data.paged_figures(ledger_of(request), page, per_page, source=source, category=category,
                                measure=measure, since=parse_day(since, "since"), until=parse_day(until, "until"))
    return _answer([data.figure_json(f) for f in result.items], result, format, "figures")


@router.get("/quotes", summary="Quotes; filters by speaker (words of the name) and words of the quote")
def quotes(request: Request, speaker: str | None = None, search: str | None = None, page: PageQ = 1,
           per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = data.paged_quotes(ledger_of(request), page, per_page, speaker=speaker, search=search)
    return _answer([plain(q) for q in result.items], result, format, "quotes")


@router.get("/events", summary="Events, dated ones oldest first; filters by type, actor, recipient, place, status, "
                            "dates (csv too)")
def events(request: Request, type: str | None = None, actor: str | None = None, recipient: str | None = None,
           place: str | None = None, status: str | None = None, since: str | None = None, until: str | None = None,
           page: PageQ = 1, per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = data.paged_events(ledger_of(request), page, per_page, type=type, actor=actor, recipient=recipient,
                               place=place, status=status, since=parse_day(since, "since"),
                               until=parse_day(until, "until"))
    rows = [plain(e) for e in result.items]
    if format == "csv":
        return _csv([{k: "; ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows], "events")
    return JSONResponse(page_json(result, rows))


@router.get("/sources", summary="Sources with every way they were written and their figure counts (csv too)")
def sources(request: Request, q: str | None = None, page: PageQ = 1, per_page: PerPageQ = 25,
            format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    result = data.page_of(ledger_of(request).sources(q or None), page, per_page)
    rows = [plain(src) for src in result.items]
    if format == "csv":
        return _csv([r | {"aliases": "; ".join(r["aliases"])} for r in rows], "sources")
    return JSONResponse(page_json(result, rows))


@router.get("/records/{kind}/{record_id}", summary="One figure, quote or event by id, corrections applied")
def record(request: Request, kind: str, record_id: int) -> dict[str, Any]:
    ledger = ledger_of(request)
    return {"record": plain(ledger.record(kind, record_id)),
            "corrections": [plain(c) for c in ledger.corrections(kind=kind, record_id=record_id)]}


class CorrectionIn(BaseModel):
    fields: dict[str, str | float | None] = Field(default_factory=dict,
                                                  description="Field name to its right value, e.g. {\"value\": \"48446\"}.")
    wrong: bool | None = Field(None, description="true marks the record wrong; false takes the mark back.")
    note: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=100)


class DismissIn(BaseModel):
    reason: str = Field(..., min_length=1, max_length=2000, description="Why the conflict is not real.")
    author: str | None = Field(None, max_length=100)


class MergeIn(BaseModel):
    into: str = Field(..., min_length=1, max_length=500, description="The measure (key or words) to merge into.")


class SplitIn(BaseModel):
    pattern: str = Field(..., min_length=1, max_length=200)
    label: str | None = Field(None, max_length=200)


@router.post("/records/{kind}/{record_id}/corrections", status_code=201,
             summary="Correct fields of a figure, quote or event, or mark it wrong (kept apart, applied on read); "
             "an added figure or quote by minus its addition's id")
def correct(request: Request, kind: str, record_id: int, body: CorrectionIn) -> dict[str, Any]:
    check_write(request, api=True)
    made = ledger_of(request).correct(kind, record_id, body.fields, wrong=body.wrong, author=body.author,
                                      note=body.note)
    return {"corrections": [plain(c) for c in made], "record": plain(ledger_of(request).record(kind, record_id))}


class AdditionIn(BaseModel):
    kind: str = Field("figure", pattern="^(figure|quote)$", description="figure or quote")
    text: str = Field(..., min_length=1, max_length=2000, description="The article's words the record is made of.")
    start: int | None = Field(None, ge=0, description="Where the words start in the text (code points); "
                              "without it, their first occurrence.")
    end: int | None = Field(None, ge=0)
    fields: dict[str, str | float | None] = Field(
        default_factory=dict, description="A figure's value, value_max, qualifier, counted, category, source, "
        "as_of; a quote's speaker, kind. A figure's value defaults to the number in `text`.")
    note: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=100)


def addition_json(x: Any) -> dict[str, Any]:
    out = plain(x.record())
    assert isinstance(out, dict)
    return {"kind": x.kind, **out}


@router.post("/articles/{article_id}/additions", status_code=201,
             summary="Add a figure or quote the extractor missed (a correction of kind \"added\", kept apart)")
def add_record(request: Request, article_id: int, body: AdditionIn) -> dict[str, Any]:
    check_write(request, api=True)
    made = ledger_of(request).add_record(article_id, body.kind, start=body.start, end=body.end, selected=body.text,
                                         fields=dict(body.fields), author=body.author, note=body.note)
    return addition_json(made)


@router.get("/additions", summary="Records people added where the extractor missed them, newest first (csv too)")
def additions(request: Request, kind: Annotated[str | None, Query(pattern="^(figure|quote)$")] = None, page: PageQ = 1,
              per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    found = ledger_of(request).additions(kind=kind, limit=page * per_page + 1, offset=0)
    result = data.page_of(found, page, per_page, complete=False)
    return _answer([addition_json(x) for x in result.items], result, format, "additions")


@router.get("/corrections", summary="Corrections made, newest first")
def corrections(request: Request, kind: str | None = None, page: PageQ = 1, per_page: PerPageQ = 25,
                format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    found = ledger_of(request).corrections(kind=kind, limit=page * per_page + 1)
    result = data.page_of(found, page, per_page, complete=False)
    return _answer([plain(c) for c in result.items], result, format, "corrections")


@router.get("/review/pending", summary="Figures in open conflicts nobody has corrected or marked wrong")
def pending(request: Request, page: PageQ = 1, per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    found = ledger_of(request).pending_review()
    result = data.page_of(found, page, per_page)
    items = [{**data.figure_json(f), "conflict_reason": c.reason} for f, c in result.items]
    return _answer(items, result, format, "pending")


@router.get("/measures", summary="Measures with their figure counts; `q` finds them by words")
def measures(request: Request, q: str | None = None, page: PageQ = 1, per_page: PerPageQ = 25,
             format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    found = ledger_of(request).measures(q or None)
    result = data.page_of(found, page, per_page)
    return _answer([plain(m) for m in result.items], result, format, "measures")


@router.get("/measures/{key:path}/figures", summary="A measure's series: its figures oldest as-of first (csv too)")
def measure_figures(request: Request, key: str, page: PageQ = 1, per_page: PerPageQ = 200,
                    format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    view = data.measure_view(ledger_of(request), key)
    result = data.page_of(view.figures, page, per_page)
    items = [{**data.figure_json(f), "in_conflict": f.id in view.conflicted} for f in result.items]
    return _answer(items, result, format, "series")


@router.post("/measures/{key:path}/merge", summary="Read every figure of this measure as another measure")
def merge(request: Request, key: str, body: MergeIn) -> dict[str, Any]:
    check_write(request, api=True)
    src, dst = ledger_of(request).merge_measures(key, body.into)
    return {"from": src, "into": dst}


@router.post("/measures/{key:path}/split", summary="Read figures whose words contain `pattern` as a measure of their own")
def split(request: Request, key: str, body: SplitIn) -> dict[str, Any]:
    check_write(request, api=True)
    into = ledger_of(request).split_measure(key, body.pattern, label=body.label or None)
    return {"from": key, "into": into}


@router.get("/measures/{key:path}", summary="One measure (exact key): label, figure count, its open conflicts "
                                           "with their sentences (paged)")
def measure(request: Request, key: str, page: PageQ = 1, per_page: PerPageQ = 25) -> dict[str, Any]:
    page, per_page = paging(page, per_page)
    view = data.measure_view(ledger_of(request), key)
    result = data.page_of(view.conflicts, page, per_page)
    cviews = data.conflict_views(ledger_of(request), result.items, {})
    return {"key": view.key, "label": view.label, "figures": len(view.figures), "merged_from": view.merged_from,
            "conflicts": [c.to_json() for c in cviews], "conflicts_total": len(view.conflicts),
            "page": result.page, "per_page": result.per_page, "has_next": result.has_next}


@router.get("/conflicts", summary="Conflicts with reasons and both sentences; filters by measure, kind, dates")
def conflicts(request: Request, measure: str | None = None, kind: str | None = None, since: str | None = None,
              until: str | None = None, include_dismissed: bool = False, page: PageQ = 1,
              per_page: PerPageQ = 25, format: FormatQ = "json") -> Response:
    page, per_page = paging(page, per_page)
    ledger = ledger_of(request)
    found, dismissed = data.filter_conflicts(ledger, measure=measure, kind=kind, since=parse_day(since, "since"),
                                             until=parse_day(until, "until"), include_dismissed=include_dismissed)
    result = data.page_of(found, page, per_page)
    items = [c.to_json() for c in data.conflict_views(ledger, result.items, dismissed)]
    if format == "csv":
        rows = [{"id": c["id"], "kind": c["kind"], "measure_key": c["measure_key"], "reason": c["reason"],
                 "figure_ids": " ".join(str(p["figure_id"]) for p in c["points"]),
                 "article_ids": " ".join(str(p["article_id"]) for p in c["points"]),
                 "dismissed": bool(c["dismissed"])} for c in items]
        return _csv(rows, "conflicts")
    return JSONResponse(page_json(result, items))


@router.post("/conflicts/{conflict_id}/dismiss", summary="Keep a conflict as not real, with who and why")
def dismiss(request: Request, conflict_id: str, body: DismissIn) -> dict[str, Any]:
    check_write(request, api=True)
    return plain(ledger_of(request).dismiss_conflict(conflict_id, body.reason, author=body.author))

