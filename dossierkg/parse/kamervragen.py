"""Written questions and answers as extracted from PDF or Word: Aanhangsel and question documents, ministry
Word files, postponement notices (Mededeling)."""

from __future__ import annotations

import re

from ..records import Document, Person, Problem, Reference
from . import citations
from .assemble import RawBlock, build_blocks, build_footnotes, check_consistency, find_references
from .clean import join_lines, normalise, piece_text
from .dates import parse_date
from .labels import (ANSWER_RE, ANY_LABEL, BARE_ANSWER_RE, BARE_NUMBER_RE, NUMBERED_QUESTION_RE, QUESTION_RE,
                     numbers)
from .layout import analyse
from .people import answerer, split_members, split_roles

# The header sentences may break over lines anywhere, next to 'aan' and 'over' too: words are separated by \s+.
QUESTIONS_HEADER = re.compile(
    r"Vragen\s+van\s+(?P<who>.+?)\s+aan\s+(?P<to>.+?)\s+over\s+(?P<title>.+?)\s*\(ingezonden\s+(?P<date>[^)]*)\)", re.S)
ANSWER_HEADER = re.compile(r"(?P<what>Antwoord|Mededeling)\s+van\s+(?P<who>.+?)\s*\(ontvangen\s+(?P<date>[^)]*)\)",
                           re.S | re.I)
NOTICE_SENTENCE = re.compile(
    r"Op\s+(?P<date>\d{1,2}\s+\w+(?:\s+\d{4}|\s+jl\.)?)\s+(?:hebben|heeft)\s+(?P<who>.+?)\s+schriftelijke\s+vragen\s+gesteld"
    r"\s+aan\s+(?P<to>.+?)\s+over\s+(?P<title>.+?)(?:\.|$)", re.S)
NOTICE_QUOTE = re.compile(r"vragen\s+van\s+(?P<who>.+?)\s+(?:van\s+uw\s+Kamer\s+)?aan\s+(?P<to>.+?)\s+over\s+(?P<title>.+?)"
                          r"\s*\(ingezonden\s+(?P<date>[^)]*)\)", re.S)
MEDEDELING_RE = re.compile(r"^\s*(?:•\s*)?Mededeling(?:\s*[-–]\s*(?P<date>.+?))?\s*$")
AANHANGSEL_NR = re.compile(r"^\s*(\d{1,5})\s*$")
VERGADERJAAR = re.compile(r"Vergaderjaar (\d{4})\s*[–-]\s*(\d{4})")
_SENTENCE_END = tuple(".?!:;»”)\"'")
STATED_ID = re.compile(r"\b(?:kv|ah|kst)-tk-[\w-]+|\b(?:kv|ah)-tk-\d+\b")


def looks_like(text: str) -> bool:
    # [^\S\n]*, not \s*: a \s* that runs over blank lines is tried again from each of them (quadratic)
    return bool(re.search(r"^[^\S\n]*(?:Vraag|Antwoord(?: op vraag| vragen)?) \d", text, re.M)
                or QUESTIONS_HEADER.search(text[:3000]) or ANSWER_HEADER.search(text[:3000]))


BARE_LABELS = re.compile(rf"{ANY_LABEL.pattern}|{BARE_NUMBER_RE.pattern}")


def bare_numbered(text: str) -> bool:
    """Question documents that number questions with a bare '1' line (the tweedekamer.nl kv layout)."""
    has_labels = any(QUESTION_RE.match(ln) or ANSWER_RE.match(ln) or BARE_ANSWER_RE.match(ln)
                     for ln in text.split("\n"))
    return not has_labels and bool(re.search(r"^[^\S\n]*1[^\S\n]*\n\s*+\S.{20,}", text, re.M))


def _locate_blocks(text: str, layout, bare: bool = False) -> tuple[list[int], list[RawBlock]]:
    lines = layout.lines
    numbered = any(BARE_ANSWER_RE.match(lines[i].body) for i in layout.body)
    header: list[int] = []
    blocks: list[RawBlock] = []
    current: RawBlock | None = None
    prev = ""  # the line before, markers cut ('' after a blank line)
    for i in layout.body:
        ln = lines[i]
        body = ln.body
        pieces = layout.pieces[i]
        start_at = None
        new = None
        m = QUESTION_RE.match(body) or ANSWER_RE.match(body)
        if m and m.group("word")[0].islower() and prev and not prev.endswith(_SENTENCE_END):
            m = None  # running text broken before 'antwoord op vraag 3.' ('Zie ook het' / 'antwoord op vraag 3.')
        prev = piece_text(text, pieces).rstrip()
        if m and (m.re is QUESTION_RE or True):
            kind = "question" if m.re is QUESTION_RE else "answer"
            new = RawBlock(kind, normalise(body[:m.start("rest")] if m.group("rest") else body).rstrip(":"),
                           numbers(m.group("nums")), ln.no)
            start_at = ln.body_start + m.start("rest") if m.group("rest") else None
        elif BARE_ANSWER_RE.match(body) and current is not None and current.kind == "question":
            m = BARE_ANSWER_RE.match(body)
            new = RawBlock("answer", "Antwoord", current.numbers, ln.no)
            start_at = ln.body_start + m.start("rest") if m.group("rest") else None
        elif numbered and NUMBERED_QUESTION_RE.match(body) and (current is None or current.kind == "answer"):
            m = NUMBERED_QUESTION_RE.match(body)
            new = RawBlock("question", m.group("nums") + ".", (int(m.group("nums")),), ln.no)
            start_at = ln.body_start + m.start("rest")
        elif bare and BARE_NUMBER_RE.match(body) and int(body) == 1 + sum(b.kind == "question" for b in blocks):
            new = RawBlock("question", body.strip(), (int(body),), ln.no)
        elif MEDEDELING_RE.match(body):
            new = RawBlock("mededeling", normalise(body), (), ln.no)
        if new is not None:
            blocks.append(new)
            current = new
            if start_at is None:
                continue
            pieces = [(max(a, start_at), b) for a, b in pieces if b > start_at]
        if current is None:
            header.append(i)
        else:
            current.lines.append(pieces)
            current.line_numbers.append(ln.no)
    return header, blocks


def _header_text(text: str, layout, idx: list[int]) -> str:
    return join_lines([piece_text(text, layout.pieces[i]) for i in idx])


def parse(text: str, source: str, sha256: str) -> Document:
    problems: list[Problem] = []
    bare = bare_numbered(text)
    layout = analyse(text, BARE_LABELS if bare else ANY_LABEL)
    problems.extend(layout.problems)
    header_idx, raws = _locate_blocks(text, layout, bare)
    header = _header_text(text, layout, header_idx)
    notice_text = " ".join(join_lines([piece_text(text, p) for p in r.lines]) for r in raws if r.kind == "mededeling")

    submitters: list[Person] = []
    addressees: list[Person] = []
    answerers: list[Person] = []
    title = submitted = answered = None
    postponements: list[str] = []
    identifiers: list[str] = []

    qh = QUESTIONS_HEADER.search(header[:5000])
    ah = ANSWER_HEADER.search(header[:5000])
    doc_date = parse_date(ah.group("date")) if ah else None
    if qh:
        submitters = split_members(qh.group("who"))
        addressees = [Person(role=r) for r in split_roles(qh.group("to"))]
        title = normalise(qh.group("title"))
        submitted = parse_date(qh.group("date"))
    else:
        ns = NOTICE_SENTENCE.search(header[:5000]) or NOTICE_QUOTE.search(notice_text[:5000])
        if ns:
            submitters = split_members(ns.group("who"))
            addressees = [Person(role=r) for r in split_roles(ns.group("to"))]
            title = normalise(ns.group("title"))
            submitted = parse_date(ns.group("date"), doc_date)
    if ah:
        if ah.group("what").lower() == "antwoord":
            answered = doc_date
            person = answerer(ah.group("who"), addressees)
            if person:
                answerers.append(person)
            else:
                problems.append(Problem(f"could not read the answerer in «{normalise(ah.group('who'))}»",
                                        layout.lines[header_idx[0]].no if header_idx else None))
        elif doc_date:
            postponements.append(doc_date)
    for r in raws:
        if r.kind == "mededeling":
            m = MEDEDELING_RE.match(r.label or "")
            d = parse_date(m.group("date")) if m and m.group("date") else None
            if d and d not in postponements:
                postponements.append(d)

    # Identifiers stated in the furniture (id lines, masthead), the header and a notice.
    furniture_text = "\n".join(layout.lines[i].text for i in layout.furniture)
    for m in STATED_ID.finditer(furniture_text + "\n" + header):
        identifiers.append(m.group(0))
    vj = VERGADERJAAR.search(furniture_text)
    if vj:
        for i in header_idx[:3]:
            n = AANHANGSEL_NR.match(layout.lines[i].text)
            if n:
                identifiers.append(f"ah-tk-{vj.group(1)}{vj.group(2)}-{n.group(1)}")
                break
    for m in citations.ZAAK_RE.finditer(header + " " + notice_text):
        identifiers.append(f"{m.group('year')}Z{m.group('nr')}")
    identifiers = list(dict.fromkeys(identifiers))

    questions, answers = build_blocks(text, raws, layout, problems)
    footnotes = build_footnotes(text, layout, raws)
    blocks = list(questions) + list(answers)
    references = find_references(text, raws, blocks, footnotes, answered or doc_date or submitted, problems)
    for m in re.finditer(r"Zie\s+ook\s+(Aanhangsel\s*Handelingen,?\s*vergaderjaar[^.]*?nr\.\s*\d+)", text[:4000]):
        am = citations.AANHANGSEL_RE.search(m.group(1))
        if am:
            references.append(Reference(normalise(m.group(0)), (m.start(), m.end()), text.count("\n", 0, m.start()) + 1,
                                        "header", "document", citations.aanhangsel_id(am)[0]))
    has_notice = any(r.kind == "mededeling" for r in raws) or (ah is not None and ah.group("what").lower() == "mededeling")
    if answers:
        kind = "written-questions-with-answers"
    elif has_notice:
        kind = "postponement-notice"
    elif questions:
        kind = "written-questions"
    else:
        kind = "unknown"
    check_consistency(questions, answers, footnotes, layout, kind == "written-questions-with-answers", problems)
    errors = ()
    if kind == "unknown":
        errors = (Problem("no questions, answers or postponement notice found: not a Kamervragen document", None, "error"),)
    extra = {}
    if has_notice and ah is not None and ah.group("what").lower() == "mededeling":
        sender = answerer(ah.group("who"), addressees)
        if sender:
            extra["postponed_by"] = sender.to_json()
    return Document(
        source=source, sha256=sha256, kind=kind, shape="kamervragen-text", title=title,
        date=answered or (postponements[0] if postponements else None) or submitted,
        identifiers=tuple(identifiers), submitted=submitted, answered=answered, postponements=tuple(postponements),
        submitters=tuple(submitters), addressees=tuple(addressees), answerers=tuple(answerers),
        questions=tuple(questions), answers=tuple(answers), footnotes=tuple(footnotes),
        references=tuple(sorted(references, key=lambda r: r.span)), errors=errors,
        warnings=tuple(problems), extra=extra)
