"""Field accuracy on the twelve development documents (tests/fixtures/dev-corpus, real texts with gold).

Scoring follows the project's evaluation rules: surnames and party initials are compared, identifiers and
answerers count when the gold's are among ours, URLs without scheme or 'www.'. The test prints the accuracy
per field and fails below 95 %.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dossierkg.parse import parse_file
from dossierkg.paths import ROOT

CORPUS = ROOT / "tests/fixtures/dev-corpus"
MINIMUM = 95.0


def surname(name):
    name = re.sub(r"\b(minister|staatssecretaris|het lid|de leden|lid|mevrouw|de heer|dr|mr|prof)\b\.?", " ",
                  name or "", flags=re.I)
    toks = [t for t in re.split(r"[\s.]+", name.strip()) if t]
    return toks[-1].lower() if toks else None


def party(p):
    words = p.split()
    return "".join(w[0] for w in words).lower() if len(words) > 1 else re.sub(r"[^a-z0-9]", "", p.lower())


def norm_url(u):
    return re.sub(r"^(https?://)?(www\.)?", "", u.strip()).rstrip(".,;)").rstrip("/") if u else None


def nums_of(label):
    return {int(n) for n in re.findall(r"\d+", label or "")}


def gold_fields(side: Path) -> dict:
    d = json.loads(side.read_text(encoding="utf-8"))
    g0, text = d["gold"], side.with_suffix(".txt").read_text(encoding="utf-8")
    g = {}
    for src, key in (("date_submitted", "submitted"), ("date_answered", "answered")):
        if g0.get(src):
            g[key] = g0[src]
    if g0.get("date_mededeling"):
        g["postponements"] = {g0["date_mededeling"]}
    ids = {v for k, v in (g0.get("identifiers") or {}).items()
           if isinstance(v, str) and re.fullmatch(r"(kv|ah|kst)-[\w-]+|\d{4}Z\d{5}", v)}
    g["identifiers"] = {i for i in ids if i in text}  # only identifiers the text itself shows
    if g0.get("submitters"):
        g["submitters"] = {surname(s["name"]) for s in g0["submitters"] if s.get("name")}
        g["parties"] = {party(s["party"]) for s in g0["submitters"] if s.get("party")}
    named = [a for a in g0.get("answerers") or [] if a.get("name")]
    if named:
        g["answerers"] = {surname(a["name"]) for a in named}
    q = g0.get("questions")
    if isinstance(q, dict):
        numbers = q.get("numbers") if q.get("numbers") is not None else q.get("numbers_visible")
        if numbers is not None:
            g["questions"] = set(numbers)
    a = g0.get("answers")
    if isinstance(a, list) and (a or (isinstance(q, dict) and q.get("numbers"))):
        g["answer_groups"] = {frozenset(x.get("answers_questions") or nums_of(x.get("label"))) for x in a}
    if isinstance(g0.get("footnotes"), list) and d.get("text_complete", True):
        notes = [f for f in g0["footnotes"] if str(f.get("number", "")).isdigit()]
        g["footnotes"] = {int(f["number"]) for f in notes}
        urls = {int(f["number"]): norm_url(f["url"]) for f in notes if f.get("url")}
        if urls:
            g["footnote_urls"] = urls
    xr = set()
    for c in g0.get("cross_references") or []:
        frm, to = nums_of(c.get("from")), c.get("to_questions") or []
        if frm and to and all(isinstance(t, int) for t in to):
            xr.add((frozenset(frm), frozenset(to)))
    if xr:
        g["cross_refs"] = xr
    return g


def our_fields(doc) -> dict:
    return {
        "submitted": doc.submitted, "answered": doc.answered, "postponements": set(doc.postponements),
        "identifiers": set(doc.identifiers),
        "submitters": {surname(p.name) for p in doc.submitters},
        "parties": {party(p.party) for p in doc.submitters if p.party},
        "answerers": {surname(p.name) for p in doc.answerers if p.name},
        "questions": {n for q in doc.questions for n in q.numbers},
        "answer_groups": {frozenset(a.numbers) for a in doc.answers},
        "footnotes": {f.number for f in doc.footnotes},
        "footnote_urls": {f.number: norm_url(f.url) for f in doc.footnotes if f.url},
        "cross_refs": {(frozenset(a.numbers), frozenset(a.refers_to)) for a in doc.answers if a.refers_to},
    }


def agrees(field, gold, ours) -> bool:
    if field in ("identifiers", "answerers"):
        return gold <= ours
    if field == "footnote_urls":
        return all(ours.get(k) == v for k, v in gold.items())
    return gold == ours


def score():
    per_field: dict[str, list[int]] = {}
    misses = []
    for side in sorted(CORPUS.glob("*.json")):
        gold, ours = gold_fields(side), our_fields(parse_file(side.with_suffix(".txt")))
        for field, value in gold.items():
            ok = agrees(field, value, ours[field])
            per_field.setdefault(field, [0, 0])
            per_field[field][0] += ok
            per_field[field][1] += 1
            if not ok:
                misses.append(f"{side.stem[:20]} {field}: gold={value} ours={ours[field]}")
    return per_field, misses


def test_dev_corpus_field_accuracy(capsys):
    per_field, misses = score()
    good = sum(v[0] for v in per_field.values())
    total = sum(v[1] for v in per_field.values())
    accuracy = 100.0 * good / total
    with capsys.disabled():
        print("\ndev-corpus field accuracy: " + ", ".join(
            f"{k} {100.0 * v[0] / v[1]:.0f}% ({v[0]}/{v[1]})" for k, v in sorted(per_field.items())))
        print(f"dev-corpus overall: {accuracy:.1f}% ({good}/{total})")
        for m in misses:
            print("  miss:", m)
    assert total >= 100
    assert accuracy >= MINIMUM, misses


@pytest.mark.parametrize("side", sorted(CORPUS.glob("*.json")), ids=lambda p: p.stem[:24])
def test_dev_corpus_spans_and_clean_text(side):
    """Spans index the raw text; cleaned texts carry no page footers, id lines or footnote bodies."""
    text = side.with_suffix(".txt").read_text(encoding="utf-8")
    doc = parse_file(side.with_suffix(".txt"))
    assert not doc.errors
    for block in doc.questions + doc.answers:
        a, b = block.span
        assert text[a:b] == text[a:b].strip() and b > a
        assert "Tweede Kamer, vergaderjaar" not in block.text
        assert not re.search(r"\bah-tk-\d+", block.text)
        assert "ISSN" not in block.text
        for f in doc.footnotes:
            if len(f.text) > 30:
                assert f.text not in block.text
