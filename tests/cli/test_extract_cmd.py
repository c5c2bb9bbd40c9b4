"""`newsledger extract` and `eval` through the real entry point: formats, exit codes and bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "ceasefire.txt"
ENGLISH = ("The council said on Tuesday that 12 homes were damaged by the storm. \"We will rebuild every one "
           "of them,\" said Mayor Ann Clark, who expects the work to take about three weeks.")
FRENCH = ("Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendraient la "
          "semaine prochaine, malgré les grèves qui paralysent le pays depuis plusieurs jours.")


def _one_clear_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr
    assert lines, "expected a message on stderr"
    return "\n".join(lines)


def test_example_as_json_carries_the_spec_fields(run_cli):
    result = run_cli("extract", EXAMPLE, "--published", "2025-03-07", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == str(EXAMPLE) and data["published"] == "2025-03-07"
    assert {"figures", "quotes", "entities", "dates", "events"} <= set(data)
    assert "text" not in data  # offsets point into the file as given
    text = EXAMPLE.read_text(encoding="utf-8")
    for item in data["figures"] + data["entities"]:
        assert text[item["start"]:item["end"]] == item["text"]


def test_table_lists_the_article(run_cli):
    result = run_cli("extract", EXAMPLE, "--published", "2025-03-07")
    assert result.exit_code == 0
    assert "published 2025-03-07" in result.stdout


def test_jsonl_in_gives_jsonl_out_in_order_with_ids_and_error_lines(run_cli, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([json.dumps({"id": "first", "text": ENGLISH}), "{oops",
                              json.dumps({"id": "no-text"}), json.dumps({"id": "last", "text": ENGLISH})]) + "\n",
                   encoding="utf-8")
    result = run_cli("extract", src, "--format", "jsonl")
    assert result.exit_code == 1  # some inputs failed, the rest were extracted
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["first", None, "no-text", "last"]
    assert "error" in rows[1] and "figures" in rows[0] and "figures" in rows[3]
    err = _one_clear_line(result.stderr)
    assert f"{src}:2" in err and f"{src}:3" in err and 'no "text"' in err


def test_jobs_two_gives_the_same_output_as_one(run_cli, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": ENGLISH.replace("12", str(i + 2))}) + "\n"
                           for i in range(6)), encoding="utf-8")
    one = run_cli("extract", src, "--format", "jsonl", "--batch-size", "2")
    two = run_cli("extract", src, "--format", "jsonl", "--batch-size", "2", "--jobs", "2")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert [json.loads(line)["id"] for line in two.stdout.splitlines()] == [f"a{i}" for i in range(6)]


def test_csv_has_one_row_per_item(run_cli):
    result = run_cli("extract", EXAMPLE, "--published", "2025-03-07", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {r["item"] for r in rows} <= {"figure", "quote", "entity", "date", "event"}
    assert all(r["id"] == str(EXAMPLE) for r in rows)


def test_html_output_carries_the_extracted_text_and_the_page_date(run_cli, tmp_path):
    page = tmp_path / "storm.html"
    page.write_text("<html><head><title>Storm</title><meta property='article:published_time' "
                    "content='2024-11-02'></head><body><nav>Home | News</nav><article><h1>Storm</h1>"
                    f"<p>{ENGLISH}</p></article></body></html>", encoding="utf-8")
    result = run_cli("extract", page, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["published"] == "2024-11-02" and "12 homes" in data["text"]
    for item in data["entities"]:
        assert data["text"][item["start"]:item["end"]] == item["text"]


def test_stdin_text(run_cli):
    result = run_cli("extract", "-", "--format", "json", "--published", "2024-11-05", stdin=ENGLISH.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "stdin"


# Bad input: each gives one clear line on stderr, no traceback, exit 2 when nothing could be extracted.

@pytest.mark.parametrize("name, data, expect", [
    ("empty.txt", b"", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ("latin.txt", "The café said 12 people came.".encode("latin-1"), "--encoding latin-1"),
    ("french.txt", FRENCH.encode(), "English"),
    ("nav.html", b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
    ("bad.jsonl", b'{"id": "x"}\nnot json\n', "line"),
])
def test_bad_input_alone_gives_one_clear_line_and_exit_2(run_cli, tmp_path, name, data, expect):
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("extract", path, "--format", "json")
    assert result.exit_code == 2
    assert expect in _one_clear_line(result.stderr)
    assert result.stdout == ""


def test_fifty_megabyte_text_is_refused_with_a_hint_to_split(run_cli, tmp_path):
    path = tmp_path / "huge.txt"
    line = (ENGLISH + "\n").encode()
    with path.open("wb") as fh:
        fh.write(line * (50_000_000 // len(line) + 1))
    result = run_cli("extract", path)
    assert result.exit_code == 2
    err = _one_clear_line(result.stderr)
    assert "split" in err and str(path) in err


def test_unbalanced_quotation_marks_still_extract(run_cli, tmp_path):
    path = tmp_path / "unbalanced.txt"
    path.write_text('The mayor said: "We will rebuild 12 homes by the spring. Officials said 40 people were '
                    "moved to a school, and the council will meet on Friday to agree a budget of $2m.",
                    encoding="utf-8")
    result = run_cli("extract", path, "--format", "json", "--published", "2024-11-05")
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["id"] == str(path)


def test_a_batch_goes_on_past_bad_inputs(run_cli, tmp_path):
    (tmp_path / "a-empty.txt").write_bytes(b"")
    (tmp_path / "b-binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50)
    (tmp_path / "c-french.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "d-good.txt").write_text(ENGLISH, encoding="utf-8")
    result = run_cli("extract", tmp_path, tmp_path / "missing.txt", "--format", "jsonl")
    assert result.exit_code == 1  # some inputs failed (the empty one is only skipped), one was extracted
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("id") for r in rows if "error" not in r] == [str(tmp_path / "d-good.txt")]
    err = _one_clear_line(result.stderr)
    for name in ("a-empty.txt", "b-binary.txt", "c-french.txt", "missing.txt"):
        assert sum(name in line for line in err.splitlines()) == 1


def test_bad_options_are_one_line(run_cli):
    result = run_cli("extract", EXAMPLE, "--published", "last friday")
    assert result.exit_code == 2 and "YYYY-MM-DD" in _one_clear_line(result.stderr)
    result = run_cli("extract", EXAMPLE, "--format", "xml")
    line = _one_clear_line(result.stderr)
    assert result.exit_code == 2 and "'xml' is not one of" in line and "\n" not in line


def test_every_command_has_help_text(run_cli):
    for command in ("extract", "eval"):
        result = run_cli(command, "--help")
        assert result.exit_code == 0 and len(result.stdout.strip()) > 100


def test_eval_prints_the_score_line_for_a_gold_file(run_cli, gold_dir):
    result = run_cli("eval", gold_dir / "dev.jsonl")
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1].startswith("SCORE figures_f1=")
    as_json = run_cli("eval", gold_dir / "dev.jsonl", "--format", "json")
    assert set(json.loads(as_json.stdout)["metrics"]) >= {"figures_f1", "figure_tuple_f1", "quotes_f1",
                                                           "speaker_acc"}


def test_encoding_option_reads_latin1_text(run_cli, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(ENGLISH.replace("Mayor", "Café owner").encode("latin-1"))
    result = run_cli("extract", path, "--encoding", "latin-1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "error" not in json.loads(result.stdout)


def test_stdin_jsonl_gives_one_line_per_input_line(run_cli):
    data = "\n".join(json.dumps({"id": f"s{i}", "text": ENGLISH}) for i in range(3)).encode()
    result = run_cli("extract", "-", "--format", "jsonl", stdin=data)
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["s0", "s1", "s2"]


def test_installed_command_in_its_own_process_with_two_jobs(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.txt").write_bytes(b"\x00\x01binary\x02" * 20)
    (tmp_path / "b.txt").write_text(ENGLISH, encoding="utf-8")
    command = [str(Path(sys.executable).with_name("newsledger")), "extract", str(tmp_path), "--jobs", "2",
               "--format", "jsonl", "--published", "2024-11-05"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr  # one input failed, the other was extracted
    assert "Traceback" not in done.stderr and "binary" in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [("error" in r, r["id"]) for r in rows] == [(True, None), (False, str(tmp_path / "b.txt"))]
