"""Bad input to `kg parse`: every case gives a clear message naming the file (and the line where one
applies), never a traceback; the other files in the same call are still parsed; exit 3 when a file
could not be read, 0 when it was read with warnings (1 with --strict).

Paths that are not files:
- a directory is a click usage error: exit 2, nothing parsed ("File '…' is a directory");
- a missing file is reported like an unreadable one: exit 3, `kg parse: NAME: cannot read file: …`, and
  the other files are still parsed.
"""

from __future__ import annotations

import codecs
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossierkg.parse import parse_bytes
from kg import cli

ROOT = Path(__file__).resolve().parents[1]
DOSSIER = ROOT / "dossier"
GOOD = DOSSIER / "000_6571167254aee64b.txt"  # written questions with answers 1-6, no warnings
TRUNCATE_ME = DOSSIER / "001_226e791fff0d628a.txt"
KG = Path(sys.executable).with_name("kg")


def kg(*args: str | Path) -> tuple[int, str, str]:
    """Run `kg` in-process; fail on any uncaught exception (a traceback)."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def parse_json(*paths: Path, strict: bool = False) -> tuple[int, dict[str, dict], str]:
    """`kg parse PATHS --json`: exit code, documents by source, stderr."""
    code, out, err = kg("parse", *paths, "--json", *(["--strict"] if strict else []))
    docs = json.loads(out)["documents"]
    assert [d["source"] for d in docs] == [p.name for p in paths], "one document per file, in order"
    return code, {d["source"]: d for d in docs}, err


def assert_good_parsed(docs: dict[str, dict]) -> None:
    """The good file in the same call was parsed in full."""
    good = docs[GOOD.name]
    assert good["kind"] == "written-questions-with-answers"
    assert [q["numbers"] for q in good["questions"]] == [[1], [2], [3], [4], [5], [6]]
    assert [a["numbers"] for a in good["answers"]] == [[1], [2], [3], [4], [5], [6]]
    assert good["errors"] == []


def assert_unreadable(path: Path, words: tuple[str, ...], line: int | None = None) -> dict:
    """An error for `path`, named on stderr (with its line when given); the good file still parsed; exit 3."""
    code, docs, err = parse_json(path, GOOD)
    assert code == 3
    doc = docs[path.name]
    assert doc["kind"] == "unknown"
    assert doc["errors"], "an unreadable file has an error"
    where = f"{path.name}:{line}: " if line else f"{path.name}:"  # 'NAME: message' or 'NAME:LINE: message'
    messages = [ln for ln in err.splitlines() if ln.startswith(f"kg parse: {where}")]
    assert messages, f"no 'kg parse: {where}…' on stderr:\n{err}"
    for word in words:
        assert any(word.lower() in m.lower() for m in messages), f"{word!r} not in {messages}"
    assert GOOD.name not in err, "the good file has no error"
    assert_good_parsed(docs)
    return doc


def warning_lines(doc: dict, word: str) -> list[int | None]:
    return [w["line"] for w in doc["warnings"] if word.lower() in w["message"].lower()]


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def parsed_like_original(doc: dict, original: dict) -> None:
    for key in ("kind", "title", "submitted", "answered", "identifiers", "submitters", "answerers", "footnotes"):
        assert doc[key] == original[key], key
    assert doc["questions"] == original["questions"]
    assert doc["answers"] == original["answers"]


# --- files that cannot be read ----------------------------------------------------------------------------

def test_empty_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert_unreadable(bad, ("empty",))


def test_whitespace_only_file(tmp_path):
    bad = tmp_path / "blank.txt"
    bad.write_bytes(b"  \n\t\r\n   \n\n")
    assert_unreadable(bad, ("whitespace",))


def test_utf16_whitespace_only_file(tmp_path):
    bad = tmp_path / "blank16.txt"
    bad.write_bytes(codecs.BOM_UTF16_LE + " \r\n \n".encode("utf-16-le"))
    assert_unreadable(bad, ("whitespace",))


def test_binary_png(tmp_path):
    bad = tmp_path / "image.png"
    rnd = random.Random(20240501)
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rnd.getrandbits(8) for _ in range(8192)))
    assert_unreadable(bad, ("binary", "PNG"))


def test_binary_without_signature_names_a_line(tmp_path):
    bad = tmp_path / "noise.dat"
    rnd = random.Random(7)
    data = b"just a short text line\n" + bytes(rnd.getrandbits(8) for _ in range(8192))
    bad.write_bytes(data)
    doc = assert_unreadable(bad, ("binary",))
    line = doc["errors"][0]["line"]
    assert isinstance(line, int) and line >= 2, "the first line is text; the binary data starts after it"
    assert_unreadable(bad, ("binary",), line)


def test_pdf_is_named_as_pdf(tmp_path):
    bad = tmp_path / "vragen.pdf"
    bad.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8)
    assert_unreadable(bad, ("binary", "PDF", "pdftotext"))


@pytest.mark.parametrize("name,make", [
    ("prose.txt", lambda: ("The committee met on Tuesday to discuss the budget. Several members raised "
                           "concerns about the timeline, and the chair promised a written reply. ") * 12),
    ("script.py", lambda: (ROOT / "kg.py").read_text(encoding="utf-8")),
])
def test_not_a_parliamentary_document(tmp_path, name, make):
    bad = tmp_path / name
    bad.write_text(make(), encoding="utf-8")
    doc = assert_unreadable(bad, ("not a parliamentary document",))
    assert doc["questions"] == [] and doc["answers"] == []


# --- files read with a repair: a warning, and the document parsed ---------------------------------------

@pytest.mark.parametrize("variant,encode", [
    ("le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
    ("le-no-bom", lambda t: t.encode("utf-16-le")),
    ("be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
])
def test_utf16_is_decoded_with_a_warning(tmp_path, variant, encode):
    src = tmp_path / f"utf16-{variant}.txt"
    src.write_bytes(encode(good_text()))
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert doc["errors"] == []
    assert warning_lines(doc, "UTF-16"), doc["warnings"]
    parsed_like_original(doc, docs[GOOD.name])


def test_cp1252_is_decoded_with_a_warning_and_line(tmp_path):
    text = good_text()
    src = tmp_path / "cp1252.txt"
    src.write_bytes(text.encode("cp1252"))
    first_non_ascii = next(i for i, ln in enumerate(text.split("\n"), 1) if not ln.isascii())
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert warning_lines(doc, "cp1252") == [first_non_ascii]
    parsed_like_original(doc, docs[GOOD.name])
    assert "Oekraïense" in doc["questions"][0]["text"]


def test_mixed_utf8_and_cp1252_keeps_the_utf8_lines(tmp_path):
    lines = good_text().split("\n")
    bad_line = next(i for i, ln in enumerate(lines) if "verantwoor-" in ln)  # 'verantwoor-' line in answer 3
    assert lines[bad_line].isascii()
    lines[bad_line] = lines[bad_line].replace("Rusland", "Rusländ")
    src = tmp_path / "mixed.txt"
    src.write_bytes(b"\n".join(ln.encode("cp1252" if i == bad_line else "utf-8") for i, ln in enumerate(lines)))
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert warning_lines(doc, "cp1252") == [bad_line + 1]
    assert "Oekraïense" in doc["questions"][0]["text"], "valid UTF-8 lines are not read as cp1252"
    assert "Rusländ" in doc["answers"][2]["text"]


def test_truncated_document_parses_what_is_there(tmp_path):
    data = TRUNCATE_ME.read_bytes()
    src = tmp_path / "truncated.txt"
    src.write_bytes(data[:int(len(data) * 0.4)])
    n_lines = src.read_bytes().count(b"\n") + 1
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert doc["kind"] == "written-questions-with-answers"
    assert doc["title"] and doc["submitted"] == "2022-09-28"
    assert [q["numbers"] for q in doc["questions"]] == [[1], [2, 3], [4], [5], [6]]
    assert [a["numbers"] for a in doc["answers"]] == [[1], [2, 3], [4], [5], [6]]
    # The cut falls inside answer 6: the document must say it looks truncated (questions 7-11 and the rest of
    # answer 6 are missing), on a line of the text that is there.
    lines = warning_lines(doc, "truncat")
    assert lines, f"no warning that the document looks truncated: {doc['warnings']}"
    assert all(isinstance(ln, int) and 1 <= ln <= n_lines for ln in lines), lines


def test_truncated_before_an_answer_warns_question_has_no_answer(tmp_path):
    text = TRUNCATE_ME.read_text(encoding="utf-8")
    cut = text[:text.index("Antwoord 7")]
    src = tmp_path / "cut-before-answer-7.txt"
    src.write_text(cut, encoding="utf-8")
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert [q["numbers"] for q in doc["questions"]][-1] == [7]
    assert [a["numbers"] for a in doc["answers"]][-1] == [6]
    missing = [w for w in doc["warnings"] if "question 7" in w["message"] and "no answer" in w["message"]]
    assert [w["line"] for w in missing] == [line_of(cut, "Vraag 7")]


def test_truncated_inside_a_utf8_character(tmp_path):
    data = TRUNCATE_ME.read_bytes()
    text = data.decode("utf-8")
    at = next(i for i in range(len(text) // 2, len(text)) if len(text[i].encode("utf-8")) > 1)
    cut = data[:len(text[:at].encode("utf-8")) + 1]  # the first byte of a multi-byte character
    src = tmp_path / "cut-mid-char.txt"
    src.write_bytes(cut)
    code, docs, err = parse_json(src, TRUNCATE_ME)
    assert code == 0, err
    doc, whole = docs[src.name], docs[TRUNCATE_ME.name]
    assert warning_lines(doc, "truncated") and warning_lines(doc, "UTF-8")[0] == text[:at].count("\n") + 1
    assert not warning_lines(doc, "cp1252"), "one cut-off character is not a reason to read the file as cp1252"
    complete = [q for q in whole["questions"] + whole["answers"] if q["span"][1] < at - 200]
    assert len(complete) >= 6
    assert all(q in doc["questions"] + doc["answers"] for q in complete), "blocks before the cut read as before"
    assert not any("Ã" in b["text"] for b in doc["questions"] + doc["answers"]), "mojibake"


def test_answer_to_a_question_that_does_not_exist(tmp_path):
    text = good_text()
    assert text.count("Antwoord 6") == 1
    changed = text.replace("Antwoord 6", "Antwoord 9")
    src = tmp_path / "antwoord9.txt"
    src.write_text(changed, encoding="utf-8")
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert [a["numbers"] for a in doc["answers"]][-1] == [9]
    stray = [w for w in doc["warnings"] if "Antwoord 9" in w["message"] and "9" in w["message"]]
    assert [w["line"] for w in stray] == [line_of(changed, "Antwoord 9")]
    unanswered = [w for w in doc["warnings"] if "question 6" in w["message"]]
    assert [w["line"] for w in unanswered] == [line_of(changed, "Vraag 6")]


def test_two_megabyte_line_finishes(tmp_path):
    text = good_text()
    src = tmp_path / "long-line.txt"
    src.write_text(text + "\n" + "a " * 1_000_000 + "\n", encoding="utf-8")
    long_line = text.count("\n") + 2
    # A separate process with a generous limit: the assertion is that it finishes, not how fast.
    proc = subprocess.run([str(KG), "parse", str(src), str(GOOD), "--json"], capture_output=True, timeout=600,
                          cwd=ROOT)
    assert b"Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr.decode()
    docs = {d["source"]: d for d in json.loads(proc.stdout)["documents"]}
    doc = docs[src.name]
    assert [q["numbers"] for q in doc["questions"]] == [[1], [2], [3], [4], [5], [6]]
    assert len(doc["answers"]) == 6
    assert warning_lines(doc, "characters long") == [long_line]
    assert_good_parsed(docs)


def test_nul_bytes_are_reported_and_read_as_spaces(tmp_path):
    lines = good_text().split("\n")
    target = next(i for i, ln in enumerate(lines) if ln.startswith("Begrijpt u dat Russen"))  # question 2
    lines[target] = lines[target].replace("Russen ", "Russen\x00\x00", 1)
    src = tmp_path / "nul.txt"
    src.write_bytes("\n".join(lines).encode("utf-8"))
    code, docs, err = parse_json(src, GOOD)
    assert code == 0, err
    doc = docs[src.name]
    assert warning_lines(doc, "NUL") == [target + 1]
    assert len(doc["questions"]) == 6 and len(doc["answers"]) == 6
    q2 = doc["questions"][1]["text"]
    assert "\x00" not in q2 and "Russen hun land" in q2


# --- paths that are not files ---------------------------------------------------------------------------

def test_directory_argument_is_a_usage_error(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, out, err = kg("parse", folder, GOOD)
    assert code == 2
    assert "a-folder" in err and "is a directory" in err
    assert GOOD.name not in out, "a usage error stops before parsing"


def test_missing_file_is_reported_and_others_parsed(tmp_path):
    missing = tmp_path / "does-not-exist.txt"
    code, docs, err = parse_json(missing, GOOD)
    assert code == 3
    assert "kg parse: does-not-exist.txt: cannot read file" in err
    assert docs[missing.name]["errors"]
    assert_good_parsed(docs)


# --- all at once, text output, exit codes ---------------------------------------------------------------

def test_many_bad_files_in_one_call(tmp_path):
    files = {
        "empty.txt": b"",
        "blank.txt": b"\n \n",
        "image.png": b"\x89PNG\r\n\x1a\n" + bytes(random.Random(1).getrandbits(8) for _ in range(2048)),
        "prose.txt": b"Nothing parliamentary here, just a sentence or two of plain English prose.\n",
        "utf16.txt": codecs.BOM_UTF16_LE + good_text().encode("utf-16-le"),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    paths.insert(2, GOOD)
    paths.append(DOSSIER / "001_226e791fff0d628a.txt")
    code, docs, err = parse_json(*paths)
    assert code == 3
    for name in ("empty.txt", "blank.txt", "image.png", "prose.txt"):
        assert docs[name]["errors"] and f"kg parse: {name}: " in err
    for name in ("utf16.txt", GOOD.name, "001_226e791fff0d628a.txt"):
        assert docs[name]["errors"] == [] and docs[name]["kind"] == "written-questions-with-answers"
        assert f"kg parse: {name}" not in err
    assert_good_parsed(docs)


def test_text_summary_names_file_and_line(tmp_path):
    changed = good_text().replace("Antwoord 6", "Antwoord 9")
    src = tmp_path / "antwoord9.txt"
    src.write_text(changed, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = kg("parse", src, empty, GOOD)
    assert code == 3
    blocks = {b.split(":", 1)[0]: b for b in out.split("\n\n")}
    assert set(blocks) == {src.name, empty.name, GOOD.name}
    assert f"warning (line {line_of(changed, 'Antwoord 9')}): Antwoord 9" in blocks[src.name]
    assert "error: empty file" in blocks[empty.name]
    assert "warning" not in blocks[GOOD.name] and "error" not in blocks[GOOD.name]
    assert err.strip().splitlines() == [ln for ln in err.strip().splitlines() if ln.startswith("kg parse: empty.txt: ")]


def test_strict_exits_1_on_warnings_without_errors(tmp_path):
    src = tmp_path / "antwoord9.txt"
    src.write_text(good_text().replace("Antwoord 6", "Antwoord 9"), encoding="utf-8")
    assert kg("parse", GOOD, "--strict")[0] == 0, "no warnings: --strict passes"
    assert kg("parse", src, GOOD)[0] == 0, "warnings alone do not fail without --strict"
    code, out, err = kg("parse", src, GOOD, "--strict")
    assert code == 1
    assert src.name in out and GOOD.name in out
    code, docs, _ = parse_json(src, GOOD, strict=True)
    assert code == 1 and docs[src.name]["warnings"] and docs[GOOD.name]["questions"]


def test_errors_outrank_strict(tmp_path):
    warned = tmp_path / "antwoord9.txt"
    warned.write_text(good_text().replace("Antwoord 6", "Antwoord 9"), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert kg("parse", warned, empty, "--strict")[0] == 3


# --- the library never raises for bad bytes -------------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"", b" ", b"\xff\xfe", b"\xfe\xff\x00", b"\xef\xbb\xbf", b"\x00" * 100, b"\xff" * 100, b"Vraag 1\n",
    b"Antwoord 1\n", b"Vraag 1\nAntwoord 1\n", b"\x80abc\x00\n", "Vraag 1\n".encode("utf-16-le")[:-1],
    bytes(range(256)), b"Vraag 1\r\nWat?\r\nAntwoord 1\r\nJa.\r\n", b"\n" * 10_000,
], ids=lambda d: repr(d[:12]))
def test_parse_bytes_never_raises(data):
    doc = parse_bytes(data, "x.txt")
    assert doc.source == "x.txt"
    assert doc.errors or doc.warnings or doc.kind != "unknown"
    for p in doc.errors + doc.warnings:
        assert p.message and (p.line is None or p.line >= 1)
