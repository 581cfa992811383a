"""Ministry decision notes (beslisnota): addressee code, title, numbered sections and sub-sections
('1.     Aanleiding', '4.2 Juridische overwegingen'), the advised decisions, footnotes at page bottoms."""

from __future__ import annotations

import re

from ..records import Block, Document, Footnote, Problem, Section
from .assemble import RawBlock, block_span, block_text, build_footnotes, find_references
from .clean import normalise, piece_text
from .layout import analyse

SECTION_RE = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<title>[A-Z][^.:;]{2,60}?)\s*$")
SUBSECTION_RE = re.compile(r"^\s*(?P<num>\d{1,2}\.\d{1,2})\.?\s+(?P<title>[A-Z][^.:;]{2,80}?)\s*$")
ADVICE_HEADING_RE = re.compile(r"^\s*Advies (?P<num>\d+):\s*(?P<title>.+?)\s*$")
LIST_ITEM_RE = re.compile(r"^\s*(?P<num>\d{1,2})\.\s+(?P<rest>\S.*)$")
ADDRESSEE_RE = re.compile(r"^\s*(?:Aan:?\s*)?(?P<code>[A-Z][A-Za-z&/]{1,12})\s*$")
ANY_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})?\.?\s+[A-Z][^.:;]{2,60}$")
CUE_RE = re.compile(r"Geadviseerd besluit|U wordt geadviseerd|Beslispunten|Advies \d+:|[Bb]eslisnota", re.M)


def looks_like(text: str) -> bool:
    head = text[:20000]  # ("Aanleiding" first: a quick test that fails for other documents)
    return "Aanleiding" in head and bool(re.search(r"^[^\S\n]*1\.\s+Aanleiding\s*$", head, re.M)) \
        and bool(CUE_RE.search(head))


def parse(text: str, source: str, sha256: str) -> Document:
    problems: list[Problem] = []
    layout = analyse(text, ANY_HEADING)
    problems.extend(layout.problems)
    lines = layout.lines
    preamble: list[int] = []
    raws: list[RawBlock] = []
    current: RawBlock | None = None
    expected_major = 1
    for i in layout.body:
        ln = lines[i]
        body = ln.body
        m = SECTION_RE.match(body)
        sub = SUBSECTION_RE.match(body)
        if m and int(m.group("num")) == expected_major:
            current = RawBlock("section", normalise(m.group("title")), (int(m.group("num")),), ln.no)
            current.label = m.group("num")
            current.title = normalise(m.group("title"))
            raws.append(current)
            expected_major += 1
            continue
        if sub and current is not None and sub.group("num").split(".")[0] == str(expected_major - 1):
            current = RawBlock("section", sub.group("num"), (), ln.no)
            current.title = normalise(sub.group("title"))
            raws.append(current)
            continue
        if current is None:
            if not ln.blank:
                preamble.append(i)
            continue
        current.lines.append(layout.pieces[i])
        current.line_numbers.append(ln.no)

    addressee = title = None
    for i in preamble:
        s = normalise(piece_text(text, layout.pieces[i]))
        if addressee is None and ADDRESSEE_RE.match(s) and title is None:
            addressee = s
        elif title is None and s:
            title = s
    sections = []
    for raw in raws:
        span = block_span(text, raw)
        heading_line = lines[raw.line - 1]
        start = heading_line.start + len(heading_line.text) - len(heading_line.text.lstrip())
        end = span[1] if span else heading_line.start + len(heading_line.text.rstrip())
        sections.append(Section(raw.label, raw.title, block_text(text, raw), (start, end), raw.line))

    advices = _advices(text, layout, raws)
    if len(advices) == 0:
        problems.append(Problem("no numbered advices found under 'Geadviseerd besluit'"))
    footnotes = build_footnotes(text, layout, [])
    owner = {ln: r for r in raws for ln in r.line_numbers}
    where: dict[int, list[str]] = {}
    for m in layout.markers:
        r = owner.get(m.line)
        if r is not None:
            where.setdefault(m.number, []).append(f"section {r.label}")
    footnotes = [Footnote(f.number, f.text, f.span, f.line, f.url, f.publisher, f.date, f.title, f.reference,
                          tuple(dict.fromkeys(where.get(f.number, [])))) for f in footnotes]
    defined = {f.number for f in footnotes}
    for m in layout.markers:
        if m.number not in defined:
            problems.append(Problem(f"footnote marker {m.number} has no footnote text", m.line))
    if not sections:
        problems.append(Problem("no numbered sections found"))
    extra = {"addressee_code": addressee}
    return Document(source=source, sha256=sha256, kind="decision-note", shape="decision-note", title=title,
                    sections=tuple(sections), advices=tuple(advices), footnotes=tuple(footnotes),
                    references=tuple(_references(text, raws, sections, footnotes, problems)),
                    warnings=tuple(problems), extra=extra)


def _advices(text: str, layout, raws: list[RawBlock]) -> list[Section]:
    """The numbered list in the section that carries the advised decision."""
    target = next((r for r in raws if re.search(r"(?i)geadviseerd|besluit|beslispunt", r.title or "")), None)
    if target is None:
        return []
    items: list[RawBlock] = []
    for pieces, no in zip(target.lines, target.line_numbers):
        s = piece_text(text, pieces)
        m = LIST_ITEM_RE.match(s)
        if m and int(m.group("num")) == len(items) + 1:
            item = RawBlock("advice", m.group("num"), (int(m.group("num")),), no)
            offset = pieces[0][0] + m.start("rest")
            items.append(item)
            pieces = [(max(a, offset), b) for a, b in pieces if b > offset]
        elif not items:
            continue
        items[-1].lines.append(pieces)
        items[-1].line_numbers.append(no)
    out = []
    for item in items:
        span = block_span(text, item)
        if span:
            body = block_text(text, item)
            out.append(Section(item.label, body, body, span, item.line))
    return out


def _references(text, raws, sections, footnotes, problems):
    """Document references in the note's running text (letters, Kamerstukken)."""
    blocks = [Block("section", r.label, (), s.text, s.span, r.line) for r, s in zip(raws, sections)]
    return find_references(text, raws, blocks, footnotes, None, problems)
