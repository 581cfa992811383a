"""The openkamer.org rendering of a Kamervraag: a metadata header ('Kamervraag 2023Z00468', 'Ingediend',
'Beantwoord', 'Indiener', 'Beantwoord door', 'Bron …'), the question footnotes as a numbered list, bulleted
questions each followed by its unlabelled answer, a bulleted Mededeling and a trailer of document numbers."""

from __future__ import annotations

import re

from ..records import Document, Footnote, Person, Problem
from . import citations
from .assemble import RawBlock, build_blocks, check_consistency, find_references
from .clean import join_lines, normalise, piece_text
from .dates import parse_date
from .labels import ANY_LABEL, QUESTION_RE, numbers
from .layout import RawFootnote, analyse
from .people import canonical_post, split_members

HEAD_RE = re.compile(r"^Kamervraag\s+(\d{4}Z\d{5})\s*$", re.M)
FIELD_RE = re.compile(r"^(Ingediend|Beantwoord door|Beantwoord|Indiener|Onderwerpen|Bron vraag|Bron antwoord)\s+(.*)$")
TRAILER_RE = re.compile(r"^(Kamervraag document nummer|Kamerantwoord document nummer|Volledige titel):\s*(.*)$")
NOTE_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
BULLET_RE = re.compile(r"^\s*•\s*(?:(Vraag\s+[\d ,en/t/m]+)|Mededeling(?:\s*[-–]\s*(.*))?)\s*$")
ANSWERER_RE = re.compile(r"([^,()]+?)\s*\(([^()]*)\)\s*(?:\(([^()]*)\))?(?:,|$)")
_ROLE_SPLIT = re.compile(r"\s*,\s*(?=(?i:(?:vice-?)?minister|staatssecretaris)\b)")


def looks_like(text: str) -> bool:
    return bool(HEAD_RE.search(text[:500])) and " • Vraag" in text


def _answerers(value: str) -> list[Person]:
    """'Wopke Hoekstra (viceminister-president , minister buitenlandse zaken) (CDA), Eric van der Burg (…) (VVD)'."""
    out = []
    for m in ANSWERER_RE.finditer(value):
        name, roles, party = m.group(1).strip(), m.group(2), m.group(3)
        post = None
        # roles are listed with commas ('viceminister-president , minister buitenlandse zaken'), and a
        # portfolio may hold one ('minister volksgezondheid, welzijn en sport'): a role starts with its office
        for role in (r.strip() for r in _ROLE_SPLIT.split(roles)):
            rm = re.match(r"(?i)(minister|staatssecretaris)\s+(?:van\s+|voor\s+)?(.+)$", role)
            if rm:
                post = canonical_post(rm.group(1), rm.group(2))
                break
        out.append(Person(name=name, party=party.strip() if party else None, role=post))
    return out


def parse(text: str, source: str, sha256: str) -> Document:
    problems: list[Problem] = []
    first_bullet = re.search(r"^\s*•", text, re.M)
    header_end = first_bullet.start() if first_bullet else len(text)
    layout = analyse(text, ANY_LABEL, find_zones=False, header_end=header_end, defined_footnotes=set(range(1, 100)))
    lines = layout.lines
    fields: dict[str, str] = {}
    trailer: dict[str, list[str]] = {}
    raws: list[RawBlock] = []
    notes: list[RawFootnote] = []
    title = None
    current: RawBlock | None = None
    phase = None  # question | answer | mededeling
    for i in layout.body:
        ln = lines[i]
        body = ln.body
        stripped = body.strip()
        if ln.start < header_end:
            f = FIELD_RE.match(stripped)
            n = NOTE_RE.match(stripped)
            if f:
                fields[f.group(1)] = f.group(2).strip()
            elif n:
                off = ln.start + body.index(n.group(2))
                end = ln.start + len(body.rstrip())
                notes.append(RawFootnote(int(n.group(1)), [i], [[(off, end)]], off, end))
            elif stripped and not HEAD_RE.match(stripped) and title is None:
                title = stripped
            continue
        t = TRAILER_RE.match(stripped)
        if t:
            trailer.setdefault(t.group(1), []).append(t.group(2).strip())
            current = None
            continue
        b = BULLET_RE.match(body)
        if b:
            if b.group(1):
                q = QUESTION_RE.match(b.group(1))
                current = RawBlock("question", normalise(b.group(1)), numbers(q.group("nums")) if q else (), ln.no)
                phase = "question"
            else:
                current = RawBlock("mededeling", normalise(body.replace("•", "")), (), ln.no)
                phase = "mededeling"
            raws.append(current)
            continue
        if current is None:
            continue
        if not stripped:
            if phase == "question" and current.lines:
                phase = "answer"
                current = RawBlock("answer", None, current.numbers, ln.no + 1)
                raws.append(current)
            continue
        current.lines.append(layout.pieces[i])
        current.line_numbers.append(ln.no)
    raws = [r for r in raws if r.kind != "answer" or r.lines]
    for r in raws:
        if r.kind == "answer" and r.lines:
            r.line = r.line_numbers[0]

    footnotes = []
    for raw in notes:
        body = join_lines([piece_text(text, p) for p in raw.pieces])
        info = citations.describe(body)
        footnotes.append(Footnote(raw.number, body, (raw.start, raw.end), lines[raw.lines[0]].no,
                                  info["url"], info["publisher"], info["date"], info["title"], info["reference"]))
    layout.footnotes = notes
    questions, answers = build_blocks(text, raws, layout, problems, link_markers=False)
    where: dict[int, list[str]] = {}
    owner = {ln: r for r in raws for ln in r.line_numbers}
    for m in layout.markers:
        r = owner.get(m.line)
        if r is not None and r.kind == "question":
            where.setdefault(m.number, []).append(r.where)
    footnotes = [Footnote(f.number, f.text, f.span, f.line, f.url, f.publisher, f.date, f.title, f.reference,
                          tuple(dict.fromkeys(where.get(f.number, [])))) for f in footnotes]

    submitted = parse_date(fields.get("Ingediend", ""))
    answered = parse_date(fields.get("Beantwoord", ""))
    identifiers = [m.group(1) for m in HEAD_RE.finditer(text[:500])]
    for key in ("Bron vraag", "Bron antwoord"):
        m = re.search(r"((?:kv|ah)-tk-[\w-]+?)(?:\.html)?$", fields.get(key, ""))
        if m:
            identifiers.append(m.group(1))
    for key in ("Kamervraag document nummer", "Kamerantwoord document nummer"):
        identifiers.extend(trailer.get(key, []))
    identifiers = list(dict.fromkeys(identifiers))

    notice_text = " ".join(join_lines([piece_text(text, p) for p in r.lines]) for r in raws if r.kind == "mededeling")
    submitters = [Person(name=normalise(fields["Indiener"]))] if fields.get("Indiener") else []
    addressees: list[Person] = []
    nq = re.search(r"vragen van (?P<who>.+?),? van uw Kamer aan (?P<to>.+?) over .+?\(ingezonden", notice_text)
    if nq:
        named = {p.name: p.party for p in split_members(nq.group("who"))}
        submitters = [Person(name=s.name, party=named.get(s.name, s.party)) for s in submitters] or \
            [Person(name=n, party=p) for n, p in named.items()]
        from .people import split_roles
        addressees = [Person(role=r) for r in split_roles(nq.group("to"))]
    postponements = []
    for r in raws:
        if r.kind == "mededeling":
            m = BULLET_RE.match(text[lines[r.line - 1].start:lines[r.line - 1].end])
            d = parse_date(m.group(2)) if m and m.group(2) else None
            if d:
                postponements.append(d)
    answerers = _answerers(fields.get("Beantwoord door", ""))
    days = re.search(r"na (\d+) dagen", fields.get("Beantwoord", ""))
    extra = {"response_days_stated": int(days.group(1))} if days else {}
    if trailer.get("Volledige titel") and len(trailer["Volledige titel"]) > 1:
        extra["answer_title"] = trailer["Volledige titel"][1]
    references = find_references(text, raws, list(questions) + list(answers), footnotes, answered or submitted, problems)
    check_consistency(questions, answers, footnotes, layout, bool(answers), problems)
    kind = "written-questions-with-answers" if answers else ("written-questions" if questions else "unknown")
    errors = ()
    if kind == "unknown":  # as the other parsers: a document read as nothing cannot be built
        errors = (Problem("no questions or answers found on the openkamer page", None, "error"),)
    return Document(
        source=source, sha256=sha256, kind=kind, shape="openkamer-page",
        title=(trailer.get("Volledige titel") or [title])[0] or title, date=answered or submitted,
        identifiers=tuple(identifiers), submitted=submitted, answered=answered, postponements=tuple(postponements),
        submitters=tuple(submitters), addressees=tuple(addressees), answerers=tuple(answerers),
        questions=tuple(questions), answers=tuple(answers), footnotes=tuple(footnotes), references=tuple(references),
        errors=errors, warnings=tuple(problems), extra=extra)
