"""The command line as people use it (issue 11): evidence, paging, exit codes, help, global options, read
commands that never write, and one clear line for every bad option. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from newsledger.ledger import Ledger

GOOD = ("Police said 12 people were hurt when a bus crashed on the bypass on Friday, and three of them "
        "were taken to hospital, a spokesman for the county fire service said.")


@pytest.fixture
def filled(db_url, gold_extractions, pipeline):
    """A ledger holding the hand-annotated gold articles (real text, figures and quotes)."""
    with Ledger(db_url, pipeline=pipeline) as ledger:
        report = ledger.add_extractions(gold_extractions[:60])
    assert report.added > 50
    return db_url


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def _one_line(text: str) -> str:
    lines = _lines(text)
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def _json(result) -> list[dict]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- 1. evidence ------------------------------------------------------------------------------------------
def test_conflicts_give_figure_ids_as_lists_and_their_sentences(run_cli, filled, pipeline):
    from datetime import date

    from newsledger.model import Article

    texts = ["The health ministry said on Tuesday that 48,446 people have been killed in Gaza since the war began.",
             "The United Nations said on Tuesday that 41,000 people have been killed in Gaza since the war began."]
    with Ledger(filled, pipeline=pipeline) as ledger:
        ledger.add([Article(text=t, id=f"flood-{i}", published=date(2025, 3, 5)) for i, t in enumerate(texts)])
    rows = _json(run_cli("conflicts", "--db", filled, "-f", "json", "--context"))
    assert rows, "two sources disagree on the same day"
    figures = {f["figure_id"]: f for f in _json(run_cli("figures", "--db", filled, "-f", "json"))}
    for row in rows:
        assert isinstance(row["figures"], list) and all(isinstance(i, int) for i in row["figures"])
        assert isinstance(row["articles"], list) and all(isinstance(i, int) for i in row["articles"])
        assert [e["figure_id"] for e in row["evidence"]] == row["figures"]
        for e in row["evidence"]:
            assert figures[e["figure_id"]]["text"] in e["sentence"]


def test_figures_by_id_and_by_article_with_their_sentence(run_cli, filled):
    every = _json(run_cli("figures", "--db", filled, "-f", "json"))
    pick = every[len(every) // 2]
    (one,) = _json(run_cli("figures", "--db", filled, "-f", "json", "--id", str(pick["figure_id"]), "--context"))
    assert one["figure_id"] == pick["figure_id"] and pick["text"] in one["sentence"] and "url" in one
    of_article = _json(run_cli("figures", "--db", filled, "-f", "json", "--article", str(pick["article"])))
    assert of_article and {f["article"] for f in of_article} == {pick["article"]}
    assert len(of_article) == sum(f["article"] == pick["article"] for f in every)
    table = run_cli("figures", "--db", filled, "--article", str(pick["article"]), "--context")
    header = table.stdout.splitlines()[0].split("\t")
    assert "sentence" in header and "url" in header


# -- 2. paging --------------------------------------------------------------------------------------------
def test_tables_show_fifty_rows_and_say_how_to_see_the_rest(run_cli, filled):
    every = _json(run_cli("figures", "--db", filled, "-f", "json"))
    assert len(every) > 60
    table = run_cli("figures", "--db", filled)
    assert table.exit_code == 0
    assert len(table.stdout.splitlines()) == 1 + 50  # a header and 50 rows
    note = _one_line(table.stderr)
    assert f"of {len(every):,}" in note and f"{len(every) - 50:,} more" in note
    assert "--offset 50" in note and "--limit" in note and "--all" in note
    everything = run_cli("figures", "--db", filled, "--all")
    assert len(everything.stdout.splitlines()) == 1 + len(every) and everything.stderr == ""
    page = _json(run_cli("figures", "--db", filled, "-f", "json", "--limit", "5", "--offset", "5"))
    assert [f["figure_id"] for f in page] == [f["figure_id"] for f in every[5:10]]
    quotes = run_cli("quotes", "--db", filled, "--limit", "3")
    assert len(quotes.stdout.splitlines()) == 4 and "--offset 3" in quotes.stderr


# -- 3. measures ------------------------------------------------------------------------------------------
def test_measures_named_by_words_list_label_matches_first_then_by_figure_count(run_cli, filled):
    top = _json(run_cli("measures", "--db", filled, "-f", "json"))
    word = next(w for m in top for w in m["label"].split() if w.isalpha() and len(w) > 3)
    found = _json(run_cli("measures", word, "--db", filled, "-f", "json"))
    assert found
    in_label = [word.casefold() in m["label"].casefold() for m in found]
    assert in_label == sorted(in_label, reverse=True)
    labelled = [m["figures"] for m, hit in zip(found, in_label, strict=True) if hit]
    assert labelled == sorted(labelled, reverse=True)


# -- 4. export --------------------------------------------------------------------------------------------
def test_export_refuses_an_existing_file_without_force_and_says_where_it_wrote(run_cli, filled, tmp_path,
                                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "articles.jsonl").write_text("my input\n", encoding="utf-8")
    refused = run_cli("export", "articles", "--db", filled)
    assert refused.exit_code == 2 and "--force" in _one_line(refused.stderr)
    assert (tmp_path / "articles.jsonl").read_text(encoding="utf-8") == "my input\n"
    forced = run_cli("export", "articles", "--db", filled, "--force")
    assert forced.exit_code == 0 and str(tmp_path / "articles.jsonl") in forced.stdout


# -- 5. exit codes and empty lines ------------------------------------------------------------------------
@pytest.mark.parametrize("lines, code, words", [
    ([{"id": "a", "text": GOOD}, {"id": "e", "text": ""}], 0, "skipped as empty 1"),
    ([{"id": "a", "text": GOOD}, {"id": "b", "text": 5}], 1, "failed 1"),
    ([{"id": "e", "text": ""}, {"id": "f", "text": "   "}], 2, None),
    ([{"id": "b", "text": 5}], 2, None),
])
def test_add_exit_codes_and_empty_lines(run_cli, tmp_path, lines, code, words):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    db = tmp_path / "ledger.db"
    result = run_cli("add", "--db", db, src)
    assert result.exit_code == code, result.stderr
    assert "Traceback" not in result.stderr
    if words:
        assert words in result.stdout
    if code == 2:
        assert not db.exists()  # nothing was stored, so no database was made


def test_exit_codes_are_documented_in_help(run_cli):
    for args in (["--help"], ["add", "--help"], ["figures", "--help"]):
        text = run_cli(*args).stdout
        assert "Exit codes" in text
        for code in ("0", "1", "2", "3", "4", "5", "6", "70"):
            assert re.search(rf"\b{code}\b", text)


# -- 6. progress ------------------------------------------------------------------------------------------
def test_the_progress_bar_has_a_total_and_time_left_when_the_inputs_can_be_counted(tmp_path):
    from rich.progress import BarColumn, TimeRemainingColumn

    from newsledger.cli.extract_cmd import progress_bar
    from newsledger.ingest.sources import count_inputs

    (tmp_path / "a.jsonl").write_text('{"id": 1}\n\n{"id": 2}\n{"id": 3}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    assert count_inputs([str(tmp_path)]) == 4
    assert count_inputs([str(tmp_path / "a.jsonl"), str(tmp_path / "missing.txt")]) == 4
    assert count_inputs(["-"]) is None and count_inputs(["https://example.org/"]) is None
    bar = progress_bar(True, 4)
    assert any(isinstance(c, BarColumn) for c in bar.columns)
    assert any(isinstance(c, TimeRemainingColumn) for c in bar.columns)
    assert not any(isinstance(c, TimeRemainingColumn) for c in progress_bar(True, None).columns)


# -- 7. unsplit by label ----------------------------------------------------------------------------------
def test_unsplit_takes_the_label_split_gave(run_cli, filled):
    top = _json(run_cli("measures", "--db", filled, "-f", "json"))[0]
    fig = _json(run_cli("series", top["key"], "--db", filled, "-f", "json"))[0]
    word = (fig["counted"] or fig["text"]).split()[0]
    made = run_cli("split", top["key"], word, "--label", "My Own Split", "--db", filled)
    assert made.exit_code == 0, made.stderr
    assert any(m["label"] == "My Own Split" for m in _json(run_cli("measures", "--db", filled, "-f", "json")))
    undone = run_cli("unsplit", "my own split", "--db", filled)
    assert undone.exit_code == 0, undone.stderr
    assert not any(m["label"] == "My Own Split" for m in _json(run_cli("measures", "--db", filled, "-f", "json")))


# -- 8. help, --version, global options -------------------------------------------------------------------
def test_help_shows_choices_and_no_type_noise(run_cli):
    from newsledger.cli.app import _register, app

    _register()
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for name in names:
        text = run_cli(name, "--help").stdout
        assert not re.search(r"<(bool|str|int|float|list\[)", text), name
    assert "[table|json|jsonl|csv]" in run_cli("figures", "--help").stdout
    assert "[jsonl|csv|parquet]" in run_cli("export", "--help").stdout


def test_version_and_global_options_before_the_command(run_cli, filled):
    from importlib.metadata import version

    shown = run_cli("--version")
    assert shown.exit_code == 0 and version("newsledger") in shown.stdout
    before = run_cli("--db", filled, "stats", "-f", "json")
    after = run_cli("stats", "--db", filled, "-f", "json")
    assert before.exit_code == 0, before.stderr
    assert json.loads(before.stdout)[0]["articles"] == json.loads(after.stdout)[0]["articles"]


# -- 10. piped output -------------------------------------------------------------------------------------
def test_piped_tables_are_tab_separated_with_whole_cells(run_cli, filled):
    result = run_cli("quotes", "--db", filled, "--all")
    lines = result.stdout.splitlines()
    header = lines[0].split("\t")
    assert header == ["quote_id", "published", "speaker", "cue", "content", "article"]
    assert all(len(line.split("\t")) == len(header) for line in lines[1:])
    content = header.index("content")
    longest = max(len(line.split("\t")[content]) for line in lines[1:])
    assert longest > 80  # a long quote is one cell, not folded over lines


def test_piped_extract_table_does_not_fold_column_names(run_cli):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "examples" / "ceasefire.txt"
    result = run_cli("extract", example, "--published", "2025-03-07")
    assert result.exit_code == 0
    assert "qualifier" in result.stdout and "qualifie\n" not in result.stdout


# -- 11. no database before there is something to store; the same words for the same problem -------------
def test_a_missing_input_makes_no_database_and_reads_the_same_in_extract_and_add(run_cli, tmp_path):
    db = tmp_path / "new.db"
    added = run_cli("add", "--db", db, tmp_path / "missing.jsonl")
    extracted = run_cli("extract", tmp_path / "missing.jsonl")
    assert added.exit_code == extracted.exit_code == 2
    assert not db.exists()
    for result in (added, extracted):
        assert "no such file or folder" in result.stderr and "skipped" not in result.stderr


# -- fuzzing 4: read commands never write into a database that is not a ledger ----------------------------
def test_read_commands_leave_a_foreign_or_empty_database_untouched(run_cli, tmp_path):
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    before = other.read_bytes()
    for command in ("stats", "figures", "articles"):
        result = run_cli(command, "--db", other)
        assert result.exit_code == 4 and "not made by newsledger" in _one_line(result.stderr)
    refused = run_cli("add", "--db", other, tmp_path / "missing.jsonl")
    assert refused.exit_code != 0
    assert other.read_bytes() == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run_cli("stats", "--db", empty)
    assert result.exit_code == 4 and "no ledger" in _one_line(result.stderr)
    assert empty.stat().st_size == 0


def test_add_refuses_a_non_empty_database_that_is_not_a_ledger(run_cli, tmp_path):
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    before = other.read_bytes()
    result = run_cli("add", "--db", other, src)
    assert result.exit_code == 4 and "not made by newsledger" in _one_line(result.stderr)
    assert other.read_bytes() == before


# -- fuzzing 8: unclear messages --------------------------------------------------------------------------
@pytest.mark.parametrize("args, words", [
    (["figures", "--limit", "99999999999999999999"], "--limit"),
    (["figures", "--limit", "-5"], "--limit"),
    (["quotes", "--offset", "-1"], "--offset"),
    (["conflicts", "--tolerance", "nan"], "--tolerance"),
    (["conflicts", "--tolerance", "-5"], "--tolerance"),
    (["articles", "--search", " ".join(f"w{i}" for i in range(40))], "more than 32"),
    (["articles", "--search", " ".join(["word"] * 1000)], "more than 500"),
])
def test_bad_option_values_are_one_line_and_exit_2(run_cli, filled, args, words):
    result = run_cli(*args, "--db", filled)
    assert result.exit_code == 2
    assert words in _one_line(result.stderr)


def test_a_plot_into_a_missing_folder_or_proc_is_one_line(run_cli, filled, tmp_path):
    key = _json(run_cli("measures", "--db", filled, "-f", "json"))[0]["key"]
    for target in (tmp_path / "no" / "such" / "plot.png", "/proc/plot.png"):
        result = run_cli("series", key, "--db", filled, "--plot", target, "-f", "json")
        assert result.exit_code == 2, result.stderr
        assert "plot" in _one_line(result.stderr)
    assert not (tmp_path / "no").exists()


def test_a_file_that_is_not_sqlite_is_named_so(run_cli, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("these are my notes, not a database\n" * 200, encoding="utf-8")
    result = run_cli("stats", "--db", notes)
    line = _one_line(result.stderr)
    assert result.exit_code == 4 and "not a SQLite database" in line and "server" not in line


def _damage(path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 6 * page), 7):
        data[offset] = (data[offset] + 91) % 256
    path.write_bytes(bytes(data))


def test_a_damaged_ledger_is_refused_by_add_and_reported_by_check(run_cli, gold_extractions, pipeline, tmp_path):
    db = tmp_path / "ledger.db"
    with Ledger(db, pipeline=pipeline) as ledger:
        ledger.add_extractions(gold_extractions[:20])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert run_cli("check", "--db", db).exit_code == 0
    _damage(db)
    checked = run_cli("check", "--db", db)
    assert checked.exit_code == 4 and "damaged" in checked.stderr
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": GOOD}) + "\n", encoding="utf-8")
    added = run_cli("add", "--db", db, src)
    assert added.exit_code == 4
    line = _one_line(added.stderr)
    assert "damaged" in line and "run the command again" not in line
