"""Text files: decoding, binary and encoding refusals with the reason, the English check, the size limit."""

from __future__ import annotations

import pytest

from newsledger.errors import InputError
from newsledger.ingest.text import article_from_bytes, decode_bytes, english_problem, read_text

ENGLISH = ("The council said on Tuesday that 12 homes were damaged by the storm, and officials "
           "expect the repairs to take about three weeks to finish before the winter.")
FRENCH = ("Le gouvernement a annoncé mardi que les négociations avec les syndicats reprendraient la "
          "semaine prochaine, malgré les grèves qui paralysent le pays depuis plusieurs jours.")
GERMAN = ("Die Regierung hat am Dienstag angekündigt, dass die Verhandlungen mit den Gewerkschaften "
          "in der kommenden Woche fortgesetzt werden, obwohl die Streiks das Land seit Tagen lähmen. Die "
          "Vertreter sagten, die Lage sei sehr angespannt und ein neues Gespräch sei noch in dieser Woche "
          "nötig, damit die Züge wieder fahren können.")


def test_utf8_with_bom_is_decoded_without_the_bom():
    assert decode_bytes(b"\xef\xbb\xbfHello there", "f.txt") == "Hello there"


def test_utf16_with_bom_is_decoded():
    assert decode_bytes("Café au lait".encode("utf-16"), "f.txt") == "Café au lait"


def test_non_utf8_names_the_byte_offset_and_the_fix():
    with pytest.raises(InputError) as info:
        decode_bytes("The café opened.".encode("latin-1"), "f.txt")
    message = str(info.value)
    assert "offset 7" in message and "--encoding latin-1" in message and "iconv" in message


def test_encoding_option_decodes_latin1():
    assert decode_bytes("The café opened.".encode("latin-1"), "f.txt", "latin-1") == "The café opened."


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4,
                                  b"%PDF-1.4\n\x01\x02\x03\x04\x05\x06\x07\x08" * 20])
def test_binary_bytes_are_refused(data: bytes):
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "f.txt")


def test_empty_and_blank_files_are_refused():
    with pytest.raises(InputError, match="empty"):
        article_from_bytes(b"", where="f.txt")
    with pytest.raises(InputError, match="empty"):
        article_from_bytes(b" \n\t\n", where="f.txt")


def test_text_over_the_limit_is_refused_with_a_hint_to_split():
    with pytest.raises(InputError, match="split"):
        article_from_bytes(ENGLISH.encode() * 3, where="f.txt", max_chars=100)


def test_huge_file_is_refused_from_its_size(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(ENGLISH.encode() * 100)
    with pytest.raises(InputError, match="bytes, more than"):
        read_text(path, max_chars=1000)


def test_english_text_passes_and_other_languages_are_named():
    assert english_problem(ENGLISH) is None
    assert "English" in (english_problem(FRENCH) or "")
    assert "English" in (english_problem(GERMAN) or "")


def test_short_text_is_not_judged_for_language():
    assert english_problem("Merci beaucoup") is None


def test_read_text_keeps_text_exactly_and_uses_the_path_as_id(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Line one.\r\nLine two.\r\n")
    article = read_text(path)
    assert article.text == "Line one.\r\nLine two.\r\n"
    assert article.id == str(path) and article.origin == "text"


def test_english_lists_and_tables_are_not_taken_for_another_language():
    # Names, capitals and figures outweigh running words here; the lowercase words are still English.
    roster = ("Top Cardinals relievers: RHP John Gant (0.5 WAR), RHP Alex Reyes (0.5 WAR), RHP Giovanny "
              "Gallegos (0.4 WAR), LHP Andrew Miller (0.3 WAR). ") * 3
    results = "Arsenal 2 Chelsea 1, Leeds 0 Everton 3, Fulham 1 Spurs 1. " * 5
    police = ("Docket 15CR44001 WHITE MALE 601 185 BLACK BLUE. The suspect was arrested after a shooting "
              "was reported near the market, and officers said two people were taken to a hospital.")
    for text in (roster, results, police):
        assert english_problem(text) is None


@pytest.mark.parametrize("text", [
    "El gobierno anunció el martes que las negociaciones con los sindicatos se reanudarán la próxima semana, "
    "a pesar de las huelgas que paralizan el país desde hace varios días, y los representantes dijeron que "
    "la situación sigue siendo muy tensa.",
    "Il governo ha annunciato martedì che i negoziati con i sindacati riprenderanno la prossima settimana, "
    "nonostante gli scioperi che paralizzano il paese da diversi giorni, e i rappresentanti hanno detto che "
    "la situazione resta molto tesa.",
])
def test_spanish_and_italian_are_named(text: str):
    assert "English" in (english_problem(text) or "")
