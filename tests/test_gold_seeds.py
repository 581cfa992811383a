"""`kg parse dossier/*.txt --json` against the hand-checked gold (tests/fixtures/gold/seeds.json), field by field."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import kg
from dossierkg.paths import DOSSIER, ROOT

GOLD = json.loads((ROOT / "tests/fixtures/gold/seeds.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in DOSSIER.glob("*.txt"))


@pytest.fixture(scope="module")
def records():
    result = CliRunner().invoke(kg.cli, ["parse", "--json", *[str(DOSSIER / f) for f in FILES]])
    assert result.exit_code == 0, result.output
    return {d["source"]: d for d in json.loads(result.output)["documents"]}


def gold_doc(name):
    return next(d for d in GOLD["documents"] if d["file"] == name)


def line_range(spec) -> tuple[int, int]:
    nums = [int(n) for n in re.findall(r"\d+", str(spec))]
    return min(nums), max(nums)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def source_text(name: str) -> str:
    return (DOSSIER / name).read_text(encoding="utf-8")


def parliamentary_id(ref: str) -> str:
    """The gold writes references as printed; the records give identifiers."""
    m = re.match(r"Kamerstuk (\d+) (\d+), nr\. (\d+)", ref)
    if m:
        return f"kst-{m.group(1)}{m.group(2)}-{m.group(3)}"
    m = re.match(r"Aanhangsel Handelingen vergaderjaar (\d{4})–(\d{4}), nr\. (\d+)", ref)
    return f"ah-tk-{m.group(1)}{m.group(2)}-{m.group(3)}"


@pytest.mark.parametrize("name", FILES)
def test_document_fields(records, name):
    got, gold = records[name], gold_doc(name)
    assert got["kind"] == gold["kind"]
    assert got["sha256"] == __import__("hashlib").sha256((DOSSIER / name).read_bytes()).hexdigest()
    assert got["title"] == gold["title"]["text"]
    assert set(got["identifiers"]) == {i["id"] for i in gold["identifiers"] if i.get("stated")}
    dates = {d["type"]: d["date"] for d in gold.get("dates", [])}
    assert got["submitted"] == dates.get("submitted")
    assert got["answered"] == dates.get("answered")
    notice = gold.get("postponement_notice") or {}
    assert got["postponements"] == ([notice["date"]] if notice.get("present") else [])
    assert [(s["name"], s.get("party")) for s in got["submitters"]] == \
        [(s["name"], s.get("party")) for s in gold.get("submitters", [])]
    if "addressees" in gold:
        assert [a["role"] for a in got["addressees"]] == [a["role"] for a in gold["addressees"]]
    main = [a for a in gold.get("answerers", []) if not a.get("mede_namens")]
    behalf = [a["role"] for a in gold.get("answerers", []) if a.get("mede_namens")]
    assert [a["name"] for a in got["answerers"]] == [a["name"] for a in main]
    for ours, theirs in zip(got["answerers"], main):
        # the openkamer page prints 'minister buitenlandse zaken'; the records give the post's full name
        assert ours["role"].lower().replace(" van ", " ") in theirs["role"].lower().replace(" van ", " ")
    assert [o["role"] for a in got["answerers"] for o in a.get("on_behalf_of", [])] == behalf


def _blocks(records, kind):
    key = "question_numbers" if kind == "questions" else "answers_question_numbers"
    for name, blocks in GOLD[kind].items():
        for g in blocks:
            yield pytest.param(name, g, key, id=f"{name[:3]}-{kind[:-1]}-{g['number_as_printed']}")


@pytest.mark.parametrize("name,gold,key", list(_blocks(None, "questions")) + list(_blocks(None, "answers")))
def test_blocks(records, name, gold, key):
    kind = "questions" if key == "question_numbers" else "answers"
    got = [b for b in records[name][kind] if b["numbers"] == gold[key]]
    assert len(got) == 1, f"no {kind} block numbered {gold[key]}"
    block = got[0]
    assert block["text"] == gold["text"]
    text = source_text(name)
    a, b = block["span"]
    assert line_range(gold["lines"]) == (line_of(text, a), line_of(text, b - 1))
    expected_notes = [int(m["footnote_number"]) for m in gold.get("footnote_markers", []) if m.get("footnote_number")]
    assert block["footnotes"] == expected_notes
    if kind == "answers":
        targets = [n for c in gold.get("cross_references", []) if c.get("explicit") for n in c["target_numbers"]]
        assert block["refers_to"] == targets


@pytest.mark.parametrize("name", [n for n in FILES if GOLD["footnotes"].get(n)])
def test_footnotes(records, name):
    got = {f["number"]: f for f in records[name]["footnotes"]}
    gold = GOLD["footnotes"][name]
    assert sorted(got) == sorted(int(f["number"]) for f in gold)
    text = source_text(name)
    for g in gold:
        f = got[int(g["number"])]
        assert f["text"] == g["text"]
        assert line_range(g["lines"]) == (line_of(text, f["span"][0]), line_of(text, f["span"][1] - 1))
        if "url" in g:
            assert f["url"] == g["url"]
        for field in ("publisher", "date", "title"):
            if field in g:
                assert f[field] == g[field], field
        expected_ref = parliamentary_id(g["parliamentary_reference"]) if g.get("parliamentary_reference") else None
        assert f["reference"] == expected_ref
        if name != "004_90d31d1340ba21e6.txt":
            assert [w.replace("question ", "") for w in f["marker_in"]] == \
                [re.sub(r" \(.*\)$", "", w).replace("question ", "") for w in g["marker_in"]]


DOCUMENT_WORDS = re.compile(r"brief van|beslisnota|beslismemo|Kamerstuk|Aanhangsel Handelingen")


def test_document_references(records):
    """Every letter, decision note, Kamerstuk or Aanhangsel named in a question or answer is a reference."""
    checked = 0
    for kind in ("questions", "answers"):
        for name, blocks in GOLD[kind].items():
            for g in blocks:
                where = f"{kind[:-1]} {g['number_as_printed']}"
                for mention in g.get("document_mentions", []):
                    if not DOCUMENT_WORDS.search(mention.get("phrase") or ""):
                        continue
                    refs = [r for r in records[name]["references"]
                            if r["in"] == where and mention["phrase"].lower().endswith(r["text"].lower().split(" ", 1)[-1])]
                    assert refs, f"{name} {where}: {mention['phrase']!r} not found"
                    checked += 1
    assert checked >= 4
    letters = [r for r in records["002_c13e7b55d78e5ffc.txt"]["references"] if "brief van 13 december 2022" in r["text"]]
    assert {r["in"] for r in letters} == {"question 3", "answer 2"}
    assert {r["target"] for r in letters} == {"kst-19637-3018"}
    note = [r for r in records["002_c13e7b55d78e5ffc.txt"]["references"] if r["in"] == "answer 4"]
    assert note and note[0]["date"] == "2022-12-12" and note[0]["text"] == "In de beslisnota van 12 december jl."


def test_spans_are_exact(records):
    """Every span indexes the decoded file; the raw slice has no outer whitespace."""
    for name, doc in records.items():
        text = source_text(name)
        spans = [b["span"] for k in ("questions", "answers", "footnotes", "references", "sections", "advices")
                 for b in doc.get(k, [])]
        assert spans
        for a, b in spans:
            assert 0 <= a < b <= len(text)
            assert text[a:b] == text[a:b].strip()


def test_decision_note(records):
    doc, gold = records["004_90d31d1340ba21e6.txt"], GOLD["decision_note"]
    assert doc["title"] == gold["title"]
    assert doc["addressee_code"] == gold["addressee"]["as_printed"]
    assert [a["text"] for a in doc["advices"]] == [a["text"] for a in gold["advices"]]
    top = [s for s in doc["sections"] if "." not in s["number"]]
    assert [(s["number"], s["line"]) for s in top] == [(g["number"], g["line"]) for g in gold["sections"]
                                                       if g.get("level", 1) == 1]
    assert [f["number"] for f in doc["footnotes"]] == [int(f["number"]) for f in gold["footnotes"]]
    for f, g in zip(doc["footnotes"], gold["footnotes"]):
        assert f["text"] == g["text"]
