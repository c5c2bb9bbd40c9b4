"""The review commands: `correct figure|quote|event ID` fixes fields or marks a record wrong, `correct add`
adds a record the extractor missed; `review` lists."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from newsledger.cli.app import app
from newsledger.cli.ledger_cmds import DbOption, FormatOption, _check_format, _ledger, _plain, emit
from newsledger.errors import InputError

correct_app = typer.Typer(help="Correct a record the machine extracted (kept apart; the extraction stays).",
                          no_args_is_help=True)
app.add_typer(correct_app, name="correct")

NoteOption = Annotated[str | None, typer.Option("--note", help="Why: what you checked.")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who corrects [default: $NEWSLEDGER_USER or login].")]
WrongOption = Annotated[bool, typer.Option("--wrong", help="Mark the record wrong (it leaves listings).")]
RightOption = Annotated[bool, typer.Option("--not-wrong", help="Take back a wrong mark.")]
AddedOption = Annotated[bool, typer.Option("--added", help=(
    "ID is a record a person added (its id in `review --added`; `figures` shows it as minus that id)."))]


def _run(db: str | None, kind: str, record_id: int, changes: dict[str, Any], wrong: bool, not_wrong: bool,
         by: str | None, note: str | None, format: str) -> None:
    _check_format(format)
    if wrong and not_wrong:
        raise InputError("--wrong and --not-wrong contradict each other", "give one of them")
    fields = {k: v for k, v in changes.items() if v is not None}
    mark = True if wrong else (False if not_wrong else None)
    with _ledger(db) as ledger:
        made = ledger.correct(kind, record_id, fields, wrong=mark, author=by, note=note)
    rows = [{"id": c.id, kind: c.record_id, "field": c.field, "old": _plain(c.old), "new": _plain(c.new),
             "by": c.author, "note": c.note} for c in made]
    emit(rows, format, columns=("id", kind, "field", "old", "new", "by", "note"),
         title=f"corrections of {kind} {record_id}",
         empty=f"{kind} {record_id} already reads so: nothing to correct")


@correct_app.command("figure")
def correct_figure(
    figure_id: Annotated[int, typer.Argument(metavar="ID", help="The figure's id (from `figures`).")],
    value: Annotated[str | None, typer.Option(help="The right value, e.g. 48446.")] = None,
    value_max: Annotated[str | None, typer.Option(help="Upper end of a range.")] = None,
    qualifier: Annotated[str | None, typer.Option(help="exact, approx, at_least, more_than, ...")] = None,
    counted: Annotated[str | None, typer.Option(help="What is counted, e.g. people.")] = None,
    category: Annotated[str | None, typer.Option(help="killed, injured, detained, ...")] = None,
    source: Annotated[str | None, typer.Option(help="Who gave the figure.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day it holds for, YYYY-MM-DD.")] = None,
    wrong: WrongOption = False, not_wrong: RightOption = False, note: NoteOption = None, by: ByOption = None,
    added: AddedOption = False, db: DbOption = None, format: FormatOption = "table",
) -> None:
    """Fix a figure's fields, or mark it wrong; the correction is applied whenever the figure is read."""
    _run(db, "figure", -abs(figure_id) if added else figure_id, {"value": value, "value_max": value_max, "qualifier": qualifier,
                                   "counted": counted, "category": category, "source": source, "as_of": as_of},
         wrong, not_wrong, by, note, format)


@correct_app.command("quote")
def correct_quote(
    quote_id: Annotated[int, typer.Argument(metavar="ID", help="The quote's id (from `quotes`).")],
    speaker: Annotated[str | None, typer.Option(help="Who really said it.")] = None,
    kind: Annotated[str | None, typer.Option(help="direct, indirect or mixed.")] = None,
    wrong: WrongOption = False, not_wrong: RightOption = False, note: NoteOption = None, by: ByOption = None,
    added: AddedOption = False, db: DbOption = None, format: FormatOption = "table",
) -> None:
    """Fix a quote's speaker or kind, or mark it wrong."""
    _run(db, "quote", -abs(quote_id) if added else quote_id, {"speaker": speaker, "kind": kind}, wrong, not_wrong, by, note, format)


@correct_app.command("event")
def correct_event(
    event_id: Annotated[int, typer.Argument(metavar="ID", help="The event's id.")],
    trigger: Annotated[str | None, typer.Option(help="What happened (the event's type).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who did it.")] = None,
    target: Annotated[str | None, typer.Option(help="To whom or what.")] = None,
    date: Annotated[str | None, typer.Option(help="When, YYYY-MM-DD.")] = None,
    wrong: WrongOption = False, not_wrong: RightOption = False, note: NoteOption = None, by: ByOption = None,
    db: DbOption = None, format: FormatOption = "table",
) -> None:
    """Fix an event's type, actor, target or date, or mark it wrong."""
    _run(db, "event", event_id, {"trigger": trigger, "actor": actor, "target": target, "date": date},
         wrong, not_wrong, by, note, format)


@correct_app.command("add")
def correct_add(
    article_id: Annotated[int, typer.Argument(metavar="ARTICLE", help="The article's id (from `articles`).")],
    words: Annotated[str, typer.Argument(help="The article's words the record is made of, exactly as written.")],
    as_: Annotated[str, typer.Option("--as", help="figure or quote.")] = "figure",
    value: Annotated[str | None, typer.Option(help="A figure's value [default: the number in WORDS].")] = None,
    value_max: Annotated[str | None, typer.Option(help="Upper end of a range.")] = None,
    qualifier: Annotated[str | None, typer.Option(help="exact (default), approx, at_least, ...")] = None,
    counted: Annotated[str | None, typer.Option(help="What is counted, e.g. people.")] = None,
    category: Annotated[str | None, typer.Option(help="killed, injured, ... [default: other].")] = None,
    source: Annotated[str | None, typer.Option(help="Who gave the figure.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day it holds for, YYYY-MM-DD.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Who said a quote.")] = None,
    speech: Annotated[str | None, typer.Option(help="A quote's kind: direct (default), indirect or mixed.")] = None,
    note: NoteOption = None, by: ByOption = None, db: DbOption = None, format: FormatOption = "table",
) -> None:
    """Add a figure or quote the extractor missed, on words of the article (kept apart, flagged `added`)."""
    _check_format(format)
    given = ({"value": value, "value_max": value_max, "qualifier": qualifier, "counted": counted,
              "category": category, "source": source, "as_of": as_of} if as_ == "figure"
             else {"speaker": speaker, "kind": speech})
    with _ledger(db) as ledger:
        made = ledger.add_record(article_id, as_, selected=words,
                                 fields={k: v for k, v in given.items() if v is not None}, author=by, note=note)
    emit([_added_row(made)], format, columns=("added", "kind", "article", "text", "value", "speaker", "by"),
         title="added")


def _added_row(x: Any) -> dict[str, Any]:
    return {"added": x.id, "kind": x.kind, "article": x.article_id, "start": x.span_start, "end": x.span_end,
            "text": x.text, **{k: _plain(v) for k, v in x.fields.items()}, "value": _plain(x.fields.get("value")),
            "speaker": x.fields.get("speaker"), "by": x.author, "when": x.created_at.replace(microsecond=0),
            "note": x.note}


@app.command()
def review(
    pending: Annotated[bool, typer.Option("--pending", help=(
        "Figures waiting for a person: in a conflict nobody dismissed, not yet corrected or marked wrong."))]
    = False,
    added: Annotated[bool, typer.Option("--added", help="Records people added where the extractor missed them.")]
    = False,
    db: DbOption = None, format: FormatOption = "table",
    limit: Annotated[int | None, typer.Option(help="Show at most this many rows.")] = None,
) -> None:
    """The corrections made so far (newest first), with --pending what is left to review, with --added the
    records people added."""
    _check_format(format)
    with _ledger(db) as ledger:
        if added:
            emit([_added_row(x) for x in ledger.additions(limit=limit)], format,
                 columns=("added", "kind", "article", "text", "value", "speaker", "by", "when"),
                 title="records added", empty="nothing added yet")
            return
        if pending:
            found = ledger.pending_review()[:limit] if limit else ledger.pending_review()
            rows = [{"figure": f.id, "value": f.value, "qualifier": f.qualifier, "source": f.source,
                     "as_of": f.as_of, "measure": f.measure_key, "article": f.article_id, "reason": c.reason}
                    for f, c in found]
            emit(rows, format, columns=("figure", "value", "source", "as_of", "article", "reason"),
                 title="figures to review", empty="nothing to review: no open conflicts left unreviewed")
            return
        made = ledger.corrections(limit=limit)
    rows = [{"id": c.id, "kind": c.kind, "record": c.record_id, "text": c.span_text, "field": c.field,
             "old": _plain(c.old), "new": _plain(c.new), "by": c.author,
             "when": c.created_at.replace(microsecond=0), "note": c.note}
            for c in made]
    emit(rows, format, columns=("id", "kind", "record", "text", "field", "old", "new", "by", "when"),
         title="corrections", empty="no corrections yet")
