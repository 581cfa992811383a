"""Turn located blocks, footnotes and markers into records: cleaned text, spans, references, warnings."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..records import Block, Footnote, Problem, Reference
from . import citations
from .clean import join_lines, piece_text
from .dates import parse_date
from .labels import numbers as label_numbers
from .layout import Layout, Piece, matches_where


@dataclass
class RawBlock:
    """A block as located in the text: its label and the pieces of each of its lines."""

    kind: str  # question | answer | mededeling
    label: str | None
    numbers: tuple[int, ...]
    line: int
    lines: list[list[Piece]] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)

    @property
    def where(self) -> str:
        """'question 2', 'answer 3 en 4 en 5': a question or answer block by every number it covers (a
        printed range 'Vraag 3 t/m 5' expanded; the form the mapping keys blocks by), a section by its label."""
        if self.kind in ("question", "answer") and self.numbers:
            return f"{self.kind} {' en '.join(map(str, self.numbers))}"
        nums = self.label_numbers_text()
        return f"{self.kind} {nums}" if nums else self.kind

    def label_numbers_text(self) -> str:
        if self.label:
            m = re.search(r"\d.*$", self.label)
            if m:
                return m.group(0).rstrip(": ")
        return " en ".join(map(str, self.numbers))


def block_span(text: str, raw: RawBlock) -> tuple[int, int] | None:
    flat = [p for pieces in raw.lines for p in pieces if text[p[0]:p[1]].strip()]
    if not flat:
        return None
    start, end = flat[0][0], flat[-1][1]
    while text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def block_text(text: str, raw: RawBlock) -> str:
    return join_lines([piece_text(text, pieces) for pieces in raw.lines])


def build_blocks(text: str, raws: list[RawBlock], layout: Layout, problems: list[Problem],
                 link_markers: bool = True):
    """Blocks with text, span and footnote numbers; markers found in each block's lines."""
    questions, answers = [], []
    by_line: dict[int, list[int]] = {}
    for m in layout.markers:
        by_line.setdefault(m.line, []).append(m.number)
    for raw in raws:
        if raw.kind not in ("question", "answer"):
            continue
        span = block_span(text, raw)
        if span is None:
            problems.append(Problem(f"{raw.label or raw.kind} has no text", raw.line))
            continue
        notes = tuple(dict.fromkeys(n for ln in raw.line_numbers for n in by_line.get(ln, [])))
        block_notes = notes if link_markers or raw.kind == "question" else ()
        if notes and not block_notes:
            problems.append(Problem(f"footnote marker(s) {', '.join(map(str, notes))} in {raw.where}: the page lists "
                                    "only the questions' footnotes, so the marker is not linked", raw.line))
        refers = ()
        body = block_text(text, raw)
        if raw.kind == "answer":
            found = []
            for m in citations.CROSS_RE.finditer(body) if citations.CROSS_HINT.search(body) else ():
                found.extend(n for n in label_numbers(m.group("nums")) if n not in raw.numbers)
            refers = tuple(dict.fromkeys(found))
        block = Block(raw.kind, raw.label, raw.numbers, body, span, raw.line, block_notes, refers)
        (questions if raw.kind == "question" else answers).append(block)
    return questions, answers


def build_footnotes(text: str, layout: Layout, raws: list[RawBlock]) -> list[Footnote]:
    where: dict[int, list[str]] = {}
    line_owner = {ln: raw for raw in raws for ln in raw.line_numbers}
    for m in layout.markers:
        owner = line_owner.get(m.line)
        if owner is not None:
            where.setdefault(m.number, []).append(owner.where)
    out = []
    for raw in layout.footnotes:
        body = join_lines([piece_text(text, p) for p in raw.pieces])
        info = citations.describe(body)
        out.append(Footnote(raw.number, body, (raw.start, raw.end), layout.lines[raw.lines[0]].no if raw.lines else 0,
                            info["url"], info["publisher"], info["date"], info["title"], info["reference"],
                            tuple(dict.fromkeys(where.get(raw.number, [])))))
    return out


def _line_of(text: str, offset: int) -> int:
    """The 1-based line of an offset (newline offsets indexed once per text: many references stay linear)."""
    return bisect_left(_newlines(text), offset) + 1


@lru_cache(maxsize=4)
def _newlines(text: str) -> list[int]:
    return [m.start() for m in re.finditer("\n", text)]


def find_references(text: str, raws: list[RawBlock], blocks, footnotes: list[Footnote],
                    reference_date: str | None, problems: list[Problem]) -> list[Reference]:
    """Documents and answers cited in running text, with spans; letters resolved through footnotes."""
    spans = {(b.kind, b.line): b for b in blocks}
    out: list[Reference] = []
    for raw in raws:
        block = spans.get((raw.kind, raw.line))
        if block is None:
            continue
        a, b = block.span
        region = text[a:b]
        where = raw.where
        lowered = region.lower()
        for m in matches_where(citations.LETTER_STARTS, region) if citations.LETTER_HINT.search(region) else ():
            phrase = m.group("phrase").strip()
            start = a + m.start("phrase") + (len(m.group("phrase")) - len(m.group("phrase").lstrip()))
            iso = parse_date(re.sub(r"\s+", " ", m.group("date")), reference_date)
            out.append(Reference(re.sub(r"\s+", " ", phrase), (start, start + len(phrase)), _line_of(text, start),
                                 where, "document", None, (), iso))
        for rx, make in ((citations.KAMERSTUK_RE, citations.kamerstuk_id),
                         (citations.AANHANGSEL_RE, lambda mm: citations.aanhangsel_id(mm)[0])):
            for m in rx.finditer(region) if ("kamerstuk" in lowered or "aanhangsel" in lowered) else ():
                start = a + m.start()
                out.append(Reference(re.sub(r"\s+", " ", m.group(0)), (start, a + m.end()), _line_of(text, start),
                                     where, "document", make(m)))
        notes = any(w in lowered for w in ("nota", "memo", "ambtsbericht"))
        for m in citations.NOTE_RE.finditer(region) if notes else ():
            if m.group("what").lower() == "nota" and not m.group("date"):
                continue
            phrase = m.group("phrase").strip()
            start = a + m.start("phrase") + (len(m.group("phrase")) - len(m.group("phrase").lstrip()))
            iso = parse_date(re.sub(r"\s+", " ", m.group("date")), reference_date) if m.group("date") else None
            out.append(Reference(re.sub(r"\s+", " ", phrase), (start, start + len(phrase)), _line_of(text, start),
                                 where, "document", None, (), iso))
        if raw.kind == "answer" and citations.CROSS_HINT.search(region):
            for m in citations.CROSS_RE.finditer(region):
                start = a + m.start("phrase")
                nums = tuple(n for n in label_numbers(m.group("nums")) if n not in raw.numbers)
                if nums:
                    out.append(Reference(re.sub(r"\s+", " ", m.group("phrase")), (start, a + m.end("phrase")),
                                         _line_of(text, start), where, "answer", None, nums))
    # A letter is identified by the footnote whose marker follows the phrase that names its date.
    by_date: dict[str, str] = {}
    for ref in out:
        if ref.date and ref.target is None:
            after = text[ref.span[1]:ref.span[1] + 6]
            m = re.match(r"\W{0,2}(\d{1,2})", after)
            if m:
                note = next((f for f in footnotes if f.number == int(m.group(1)) and f.reference), None)
                if note:
                    by_date[ref.date] = note.reference
    resolved = []
    for ref in out:
        if ref.kind == "document" and ref.target is None and ref.date in by_date and "brief" in ref.text.lower():
            ref = Reference(ref.text, ref.span, ref.line, ref.in_, ref.kind, by_date[ref.date], ref.numbers, ref.date)
        resolved.append(ref)
    resolved.sort(key=lambda r: r.span)
    return resolved


def check_consistency(questions, answers, footnotes, layout: Layout, with_answers: bool,
                      problems: list[Problem]) -> None:
    asked = {n for q in questions for n in q.numbers}
    answered = {n for a in answers for n in a.numbers}
    if questions:
        for a in answers:
            missing = [n for n in a.numbers if n not in asked]
            if missing:
                problems.append(Problem(f"{a.label or 'answer'} answers question(s) {', '.join(map(str, missing))}, "
                                        "which the document does not ask", a.line))
    if with_answers and questions:
        for q in questions:
            missing = [n for n in q.numbers if n not in answered]
            if missing:
                problems.append(Problem(f"question {', '.join(map(str, missing))} has no answer "
                                        "(the document may be truncated)", q.line))
    blocks = sorted(list(questions) + list(answers), key=lambda b: b.span)
    if blocks and not re.search(r"[.?!:;»”)\]'\"]$", blocks[-1].text):
        last = blocks[-1]
        problems.append(Problem(f"{last.label or last.kind} ends mid-sentence: the document looks truncated",
                                layout.text.count("\n", 0, last.span[1]) + 1))
    defined = {f.number for f in footnotes}
    for m in layout.markers:
        if m.number not in defined:
            problems.append(Problem(f"footnote marker {m.number} has no footnote text in this document", m.line))
    marked = {m.number for m in layout.markers}
    for f in footnotes:
        if f.number not in marked:
            problems.append(Problem(f"footnote {f.number} has no marker in the text", f.line))
