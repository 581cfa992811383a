"""Kamerstuk letters (Kamerbrieven) as printed in the Parliamentary Papers: PDF or HTML text.

The printed layout::

    Tweede Kamer der Staten-Generaal
    Vergaderjaar 2022–2023                              (may be absent)
    19 637 Vreemdelingenbeleid                          (number and title may be on separate lines;
                                                         '21 501-20' suffix, '36 200 XII' chapter)
    Nr. 3018 BRIEF VAN DE STAATSSECRETARIS VAN …        (heading may be on its own line, may wrap)
    Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
    Den Haag, 13 december 2022                          (or ’s-Gravenhage, …)
    <body: paragraphs, headings, footnote markers; page footers, id lines, footnotes at page bottoms>
    De Staatssecretaris van Justitie en Veiligheid,
    E. van der Burg

The body becomes sections: one per paragraph (numbered 1, 2, … with no title), or, when the letter has
headings, one per heading (the heading's own number if it has one, else 1, 2, …; text before the first
heading is an untitled section, numbered 0 when the headings carry numbers). A section's text joins its
lines as the other parsers do; paragraphs inside a headed section are separated by a blank line. A
section's span runs from its first character (the heading's, if any) to its last, stripped.

Page furniture (footers, 'kst-…' id lines, ISSN and place/year lines) and footnotes are found by the
shared layout analysis (layout.analyse) on the text itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Document, Person, Problem, Section
from .assemble import RawBlock, block_span, build_footnotes, check_consistency, find_references
from .clean import join_lines, normalise, piece_text
from .dates import parse_date
from .layout import Layout, analyse, printed_id, split_lines
from .people import split_roles

_S = r"[ \t\u00a0]"
CHAMBER_RE = re.compile(rf"^{_S}*(?P<chamber>Tweede|Eerste){_S}+Kamer{_S}+der{_S}+Staten-Generaal{_S}*\d?{_S}*$")
SESSION_RE = re.compile(rf"^{_S}*Vergaderjaar{_S}+(?P<y1>\d{{4}}){_S}*[–-]{_S}*(?P<y2>\d{{4}}){_S}*$")
DOSSIER_RE = re.compile(
    rf"^{_S}*(?P<dossier>\d{{2}}{_S}?\d{{3}})(?:{_S}*[-‑–]{_S}*(?P<sub>[0-9A-Z]{{1,4}}))?"
    rf"(?:{_S}+(?P<chapter>[IVXL]{{1,6}}))?(?={_S}|$){_S}*(?P<title>\S.*?)?{_S}*$")
NR_RE = re.compile(rf"^{_S}*Nr\.{_S}*(?P<nr>\d{{1,5}}|[A-Z]{{1,3}})(?![\w.])(?:{_S}*(?P<rest>\S.*?))?{_S}*$")
BRIEF_RE = re.compile(rf"^{_S}*(?:BRIEF{_S}+VAN|Brief{_S}+van)(?={_S})(?P<who>.*?){_S}*$")
CAPS_HEADING_RE = re.compile(r"^[^a-z]*[A-Z]{4,}[^a-z]*$")
AAN_RE = re.compile(rf"^{_S}*Aan{_S}+(?:de|het){_S}+(?P<role>\S.*?),?{_S}*$")
DATE_LINE_RE = re.compile(rf"^{_S}*(?P<place>Den{_S}+Haag|[’'‘`]?s-Gravenhage){_S}*,?{_S}*(?P<date>.*?){_S}*$")
SUBJECT_RE = re.compile(rf"^{_S}*(?:Onderwerp|Betreft){_S}*:?{_S}+(?P<subject>\S.*?){_S}*$")
SALUTATION_RE = re.compile(r"^\s*Geachte\s+(?:(?:mevrouw|heer|mijnheer)\s+(?:de\s+)?)?[Vv]oorzitter\s*,?\s*$")
CLOSING_RE = re.compile(r"^\s*(?:Hoogachtend|Met\s+(?:vriendelijke|hoogachtende)\s+groet(?:en)?)\s*,?\s*$", re.I)
# 'De Minister van Justitie en Veiligheid,'; a post's portfolio may hold commas ('De Minister van Onderwijs, Cultuur
# en Wetenschap,', 'De Minister-President, Minister van Algemene Zaken,'): after a comma a capital (or 'minister')
# continues it.
SIGN_ROLE_RE = re.compile(r"^\s*De\s+(?P<role>(?:[Mm]inister|[Ss]taatssecretaris)\b[^,]*(?:,\s*(?:[A-ZÀ-Þ]|minister\b)[^,]*)*"
                          r"|\S[^,]*),\s*$")
OFFICE_RE = re.compile(r"(?i)^(?:minister-president|minister|staatssecretaris)\b")
NAME_RE = re.compile(r"^\s*(?P<name>[A-ZÀ-Þ][\w’'.\-]*(?:\s+[\w’'.\-]+){0,5})\s*$")
HEADING_NUM_RE = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?=\S)")
BULLET_RE = re.compile(r"^\s*(?:[•·▪◦*–-]|\(?[a-z]\)|\d{1,2}\))\s")
SENTENCE_END = tuple(".!?:;")
_CONTINUES = {"de", "het", "een", "van", "voor", "en", "of", "in", "op", "aan", "met", "te", "die", "dat", "der",
              "over", "naar", "bij", "door", "om", "tot", "uit", "als", "zoals", "dan", "ook", "is", "zijn", "wordt"}

# Lines the layout analysis must take as they are: the footnote-zone search does not climb above them, and
# their leading numbers are not footnote markers: signature, addressee, numbered headings ('1. Inleiding',
# '2.1 Gevolgen').
_ZONE_STOP = re.compile(r"De\s+(?:[Mm]inister|[Ss]taatssecretaris)\b.*,$|Aan de Voorzitter\b.*"
                        r"|(?:\d{1,2}\.|\d{1,2}\.\d{1,2}\.?)\s+[A-ZÀ-Þ][^.:;,]{0,60}$")


def looks_like(text: str) -> bool:
    """A Kamerstuk letter heading: 'Nr. N' with 'BRIEF VAN' on it or just after it, or 'Nr. N' followed by
    'Aan de Voorzitter'; or 'BRIEF VAN' just after a Kamerstuk dossier line."""
    lines = [ln for ln in text[:6000].split("\n")[:80]]
    nonblank = [ln.rstrip("\r") for ln in lines if ln.strip()]
    for i, line in enumerate(nonblank[:40]):
        m = NR_RE.match(line)
        if m:
            rest = m.group("rest") or ""
            if BRIEF_RE.match(rest):
                return True
            if rest and CAPS_HEADING_RE.match(rest):
                return False  # another kind of Kamerstuk: 'Nr. 5 MEMORIE VAN TOELICHTING'
            for nxt in nonblank[i + 1:i + 5]:
                if BRIEF_RE.match(nxt) or (AAN_RE.match(nxt) and "Voorzitter" in nxt):
                    return True
                if CAPS_HEADING_RE.match(nxt) and not BRIEF_RE.match(nxt):
                    return False
            continue
        if BRIEF_RE.match(line) and line.strip().startswith("BRIEF"):
            if any(DOSSIER_RE.match(prev) for prev in nonblank[max(0, i - 3):i]):
                return True
    return False


@dataclass
class _Header:
    chamber: str | None = None
    session: str | None = None
    dossier: str | None = None  # '19637', '21501-20', '36200-XII'
    dossier_title: str | None = None
    nr: str | None = None
    nr_line: int | None = None
    heading: str | None = None  # the 'BRIEF VAN …' words after 'BRIEF VAN'
    heading_line: int | None = None
    addressee: str | None = None
    date_text: str | None = None
    date_line: int | None = None
    subject: str | None = None
    end: int = 0  # offset where the body starts
    end_index: int = 0  # index of the first body line
    problems: list[Problem] = field(default_factory=list)


def _read_header(lines) -> _Header:
    """Read the masthead, dossier, number, heading, addressee and place/date lines at the top."""
    h = _Header()
    title_lines: list[str] = []
    heading_lines: list[str] = []
    mode = None  # what a following unlabelled line continues: 'title' | 'heading'
    i, seen = 0, 0
    last_header = -1
    while i < len(lines) and seen < 40:
        ln = lines[i]
        s = ln.text
        if not s.strip():
            i += 1
            continue
        seen += 1
        if h.date_line is not None:
            m = SUBJECT_RE.match(s)
            if m and h.subject is None:
                h.subject = normalise(m.group("subject"))
                last_header = i
                i += 1
                continue
            break
        if CHAMBER_RE.match(s) and h.chamber is None and h.nr is None:
            h.chamber = CHAMBER_RE.match(s).group("chamber")
            mode = None
        elif SESSION_RE.match(s) and h.session is None and h.nr is None:
            m = SESSION_RE.match(s)
            h.session = f"{m.group('y1')}-{m.group('y2')}"
            mode = None
        elif NR_RE.match(s) and h.nr is None and not heading_lines:
            m = NR_RE.match(s)
            h.nr, h.nr_line = m.group("nr"), ln.no
            rest = m.group("rest") or ""
            mode = None
            bm = BRIEF_RE.match(rest)
            if bm:
                h.heading_line = ln.no
                heading_lines.append(bm.group("who"))
                mode = "heading"
            elif rest:
                h.problems.append(Problem(f"unexpected text after the number: «{normalise(rest)}»", ln.no))
        elif BRIEF_RE.match(s) and not heading_lines:
            h.heading_line = ln.no
            heading_lines.append(BRIEF_RE.match(s).group("who"))
            mode = "heading"
        elif AAN_RE.match(s) and h.addressee is None and (h.nr or heading_lines):
            h.addressee = normalise(AAN_RE.match(s).group("role")).rstrip(",")
            mode = None
        elif DATE_LINE_RE.match(s) and (h.nr or heading_lines) and _has_date_words(s):
            m = DATE_LINE_RE.match(s)
            h.date_text, h.date_line = normalise(m.group("date")), ln.no
            mode = None
        elif SUBJECT_RE.match(s) and (h.nr or heading_lines) and h.subject is None:
            h.subject = normalise(SUBJECT_RE.match(s).group("subject"))
            mode = None
        elif DOSSIER_RE.match(s) and h.dossier is None and h.nr is None and not heading_lines:
            m = DOSSIER_RE.match(s)
            h.dossier = re.sub(r"\D", "", m.group("dossier"))
            if m.group("sub"):
                h.dossier += f"-{m.group('sub')}"
            if m.group("chapter"):
                h.dossier += f"-{m.group('chapter')}"
            if m.group("title"):
                title_lines.append(m.group("title"))
            mode = "title"
        elif mode == "title" and h.nr is None and len(title_lines) < 4:
            title_lines.append(s)
        elif mode == "heading" and h.addressee is None and len(heading_lines) < 4 and (
                CAPS_HEADING_RE.match(s) if heading_lines[0].strip().isupper()
                else re.search(r"(?:\b(?:en|van|voor|de|der|het)|,)\s*$", heading_lines[-1])):
            heading_lines.append(s)
        elif h.nr is None and not heading_lines:
            h.problems.append(Problem(f"header line not understood: «{normalise(s)[:80]}»", ln.no))
            mode = None
        else:
            break  # the body starts
        last_header = i
        i += 1
    if title_lines:
        h.dossier_title = join_lines(title_lines)
    if heading_lines:
        h.heading = join_lines(heading_lines)
    h.end_index = last_header + 1
    h.end = lines[last_header].end if last_header >= 0 else 0
    return h


def _has_date_words(line: str) -> bool:
    m = DATE_LINE_RE.match(line)
    return bool(m and re.search(r"\d", m.group("date") or ""))


def _sender_roles(heading: str | None) -> tuple[list[str], bool]:
    """Posts named in 'BRIEF VAN DE MINISTER VAN X EN DE STAATSSECRETARIS VAN Y'; the flag says every part
    of the heading was read as a post."""
    if not heading:
        return [], False
    words = normalise(heading)
    # 'DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN' is one post
    words = re.sub(r"(?i)^(de\s+)?minister-president,\s*minister van algemene zaken$", "de minister-president", words)
    if words.isupper() or re.match(r"(?i)^(?:de\s+)?(?:minister|staatssecretaris)", words):
        roles = split_roles(words.lower())
    else:
        roles = split_roles(words)
    ok = bool(roles) and all(OFFICE_RE.match(r) for r in roles)
    out = []
    for r in roles:
        if r.lower() == "minister-president":
            r = "Minister-President"
        out.append(r)
    return out, ok


def _key(role: str) -> str:
    return re.sub(r"\s+", " ", role.lower()).replace(" voor ", " van ").strip()


@dataclass
class _Signature:
    role: str
    name: str | None
    line: int


def _find_signature(text: str, layout: Layout, body: list[int]) -> tuple[int, list[_Signature], list[int]]:
    """Where the closing starts (index into `body`), the signatures, and leftover line indices after them."""
    lines = layout.lines

    def raw(i: int) -> str:
        return text[lines[i].body_start:lines[i].end]

    nonblank = [k for k, i in enumerate(body) if raw(i).strip()]
    tail = nonblank[-14:]
    start = None
    for pos, k in enumerate(tail):
        if SIGN_ROLE_RE.match(raw(body[k])) and pos + 1 < len(tail) and _is_name(raw(body[tail[pos + 1]])):
            start = pos
            break
    if start is None:
        return len(body), [], []
    sigs: list[_Signature] = []
    leftover: list[int] = []
    pos = start
    while pos < len(tail):
        k = tail[pos]
        m = SIGN_ROLE_RE.match(raw(body[k]))
        if m and not leftover:
            name = None
            if pos + 1 < len(tail) and _is_name(raw(body[tail[pos + 1]])) and not SIGN_ROLE_RE.match(raw(body[tail[pos + 1]])):
                name = normalise(raw(body[tail[pos + 1]]))
                pos += 1
            sigs.append(_Signature(normalise(m.group("role")), name, lines[body[k]].no))
        else:
            leftover.append(body[k])
        pos += 1
    closing = tail[start]
    # 'Hoogachtend,' just before the signature belongs to the closing
    prev = [k for k in nonblank if k < closing]
    if prev and CLOSING_RE.match(raw(body[prev[-1]])):
        closing = prev[-1]
    return closing, sigs, leftover


def _is_name(line: str) -> bool:
    """A signature name: 'E. van der Burg', 'W.B. Hoekstra', 'D. Yeşilgöz-Zegerius'."""
    s = line.strip()
    if not s or len(s) > 60 or re.search(r"\d", s) or s.endswith((",", ":", ";", ".", "?", "!")):
        return False
    return bool(NAME_RE.match(s)) and not CLOSING_RE.match(s) and not SIGN_ROLE_RE.match(s)


@dataclass
class _Para:
    lines: list[int]  # layout line indices


def _paragraphs(text: str, layout: Layout, body: list[int]) -> tuple[list[_Para], bool]:
    """Group body lines into paragraphs. A blank line ends a paragraph; a page break (footer, footnote zone)
    does so only after a sentence end. The flag says the text separates paragraphs with blank lines."""
    lines = layout.lines
    in_body = set(layout.body)
    paras: list[_Para] = []
    current: list[int] = []
    blank_pending = False
    separated = False
    last_idx = None

    def content(i: int) -> str:
        return piece_text(text, layout.pieces.get(i, [])).strip()

    for i in body:
        if lines[i].blank:
            if current:
                blank_pending = True
            continue
        if not content(i):
            continue  # a stranded footnote marker
        if current:
            page_break = any(j not in in_body for j in range(last_idx + 1, i))
            ended = content(last_idx).endswith(SENTENCE_END)
            if page_break:
                new = ended
            else:
                new = blank_pending
                if blank_pending:
                    separated = True
            if new:
                paras.append(_Para(current))
                current = []
        current.append(i)
        last_idx = i
        blank_pending = False
    if current:
        paras.append(_Para(current))
    if not separated:
        # HTML text: one line per paragraph, no blank lines between them.
        widths = sorted(len(content(i)) for p in paras for i in p.lines)
        if widths and len(widths) > 1 and widths[len(widths) // 2] > 100:  # PDF lines are shorter
            paras = [_Para([i]) for p in paras for i in p.lines]
            separated = True
    return paras, separated


def _heading_at(text: str, layout: Layout, i: int, prev: int | None, nxt: int | None, separated: bool,
                first_in_para: bool, width: int) -> bool:
    """A heading: a line clearly shorter than the running text, with no closing punctuation and not ending
    in a word that needs a continuation, followed by text."""
    s = piece_text(text, layout.pieces.get(i, [])).strip()
    if nxt is None or not s or len(s) > min(80, 0.7 * width) or s.endswith(tuple(".,;:!?…-")) or BULLET_RE.match(s):
        return False
    if s.split()[-1].lower() in _CONTINUES:
        return False
    if not (s[0].isupper() or HEADING_NUM_RE.match(s)):
        return False
    if SALUTATION_RE.match(s) or CLOSING_RE.match(s):
        return False
    after = piece_text(text, layout.pieces.get(nxt, [])).strip()
    if not after or not (after[0].isupper() or after[0] in "«“\"‘'(" or after[0].isdigit()):
        return False
    if separated:
        return first_in_para
    # no blank lines: the line must follow a sentence end
    before = piece_text(text, layout.pieces.get(prev, [])).strip() if prev is not None else ""
    return prev is None or before.endswith(SENTENCE_END)


def _sections(text: str, layout: Layout, paras: list[_Para], separated: bool):
    """(number, title, [paragraph line lists], heading line index or None) per section."""
    flat = [i for p in paras for i in p.lines]
    first_of = {p.lines[0] for p in paras}
    widths = sorted(len(piece_text(text, layout.pieces.get(i, [])).strip()) for i in flat)
    width = widths[len(widths) // 2] if len(widths) >= 5 else 80  # the running text's typical line length
    heads = set()
    for pos, i in enumerate(flat):
        prev = flat[pos - 1] if pos else None
        nxt = flat[pos + 1] if pos + 1 < len(flat) else None
        if _heading_at(text, layout, i, prev, nxt, separated, i in first_of, width):
            heads.add(i)
    if not heads:
        return [(str(n), None, [p.lines], None) for n, p in enumerate(paras, 1)]
    groups: list[list] = []  # [heading index or None, [paragraphs]]
    for p in paras:
        cur_para: list[int] = []
        for i in p.lines:
            if i in heads:
                if cur_para:
                    _add(groups, cur_para)
                    cur_para = []
                groups.append([i, []])
            else:
                cur_para.append(i)
        if cur_para:
            _add(groups, cur_para)
    titled = [g for g in groups if g[0] is not None]
    own_numbers = all(HEADING_NUM_RE.match(piece_text(text, layout.pieces[g[0]]).strip()) for g in titled)
    out = []
    n = 0
    for head, plist in groups:
        if head is None:
            number = "0" if own_numbers else str(n + 1)
            if not own_numbers:
                n += 1
            out.append((number, None, plist, None))
            continue
        title = normalise(piece_text(text, layout.pieces[head]))
        m = HEADING_NUM_RE.match(title)
        if own_numbers and m:
            number, title = m.group("num"), title[m.end():].strip()
        else:
            n += 1
            number = str(n)
        out.append((number, title, plist, head))
    return out


def _add(groups: list[list], para: list[int]) -> None:
    if not groups:
        groups.append([None, []])
    groups[-1][1].append(para)


@dataclass
class _Shim:
    """What find_references needs of a block."""

    kind: str
    line: int
    span: tuple[int, int]


def _runs(indices: list[int], in_body: set[int]) -> list[list[int]]:
    """Split line indices where page furniture or a footnote zone intervenes."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and all(j in in_body for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def parse(text: str, source: str, sha256: str) -> Document:
    problems: list[Problem] = []
    raw_lines = split_lines(text)
    h = _read_header(raw_lines)
    problems.extend(h.problems)
    layout = analyse(text, _ZONE_STOP, header_end=h.end)
    problems.extend(layout.problems)
    lines = layout.lines
    in_body = set(layout.body)
    body = [i for i in layout.body if i >= h.end_index]

    # The salutation is not a section.
    first = next((k for k, i in enumerate(body) if not lines[i].blank), None)
    if first is not None and SALUTATION_RE.match(text[lines[body[first]].start:lines[body[first]].end]):
        body = body[first + 1:]

    closing, signatures, leftover = _find_signature(text, layout, body)
    if leftover:
        problems.append(Problem(f"{len(leftover)} line(s) after the signature not read as part of the letter",
                                lines[leftover[0]].no))
    paras, separated = _paragraphs(text, layout, body[:closing])
    if not separated and sum(len(p.lines) for p in paras) > 3:
        problems.append(Problem("the text does not separate paragraphs with blank lines: the body is read as one "
                                "section unless it has headings", lines[paras[0].lines[0]].no))

    sections: list[Section] = []
    raws: list[RawBlock] = []
    shims: list[_Shim] = []
    for number, title, plist, head in _sections(text, layout, paras, separated):
        body_text = "\n\n".join(t for t in (join_lines([piece_text(text, layout.pieces[i]) for i in p]) for p in plist) if t)
        all_lines = ([head] if head is not None else []) + [i for p in plist for i in p]
        whole = RawBlock("section", number, (), lines[all_lines[0]].no,
                         [layout.pieces[i] for i in all_lines], [lines[i].no for i in all_lines])
        span = block_span(text, whole)
        if span is None:
            continue
        if not body_text:
            problems.append(Problem(f"section {number} ({title}) has no text", whole.line))
        sections.append(Section(number, title, body_text or None, span, whole.line))
        for run in _runs(all_lines, in_body):
            raw = RawBlock("section", number, (), lines[run[0]].no, [layout.pieces[i] for i in run],
                           [lines[i].no for i in run])
            rspan = block_span(text, raw)
            if rspan:
                raws.append(raw)
                shims.append(_Shim("section", raw.line, rspan))
    if not sections:
        problems.append(Problem("no letter text found after the heading", lines[h.end_index].no
                                if h.end_index < len(lines) else None))

    # Identifiers: the stated number under the dossier; id lines and footers must agree with it.
    identifiers: list[str] = []
    stated = f"kst-{h.dossier}-{h.nr}" if h.dossier and h.nr else None
    printed: list[tuple[str, int]] = []
    for ln in raw_lines:
        pid = printed_id(ln.text)
        if pid:
            printed.append((pid, ln.no))
    if stated:
        identifiers.append(stated)
        for pid, no in printed:
            if pid != stated:
                problems.append(Problem(f"page furniture names {pid}, the heading {stated}", no))
                break
    else:
        if not h.nr:
            problems.append(Problem("no 'Nr.' line: the letter's number is not stated in its heading", h.heading_line))
        if not h.dossier:
            problems.append(Problem("no dossier number above the heading", h.nr_line or h.heading_line))
        ids = list(dict.fromkeys(pid for pid, _ in printed if pid.startswith("kst-")))
        if len(ids) == 1:
            identifiers.append(ids[0])
        elif len(ids) > 1:
            problems.append(Problem(f"page furniture names several documents: {', '.join(ids)}", printed[0][1]))

    # Date.
    date = None
    if h.date_text is None:
        problems.append(Problem("no 'Den Haag, <date>' line: the letter is undated", h.heading_line or h.nr_line))
    else:
        date = parse_date(h.date_text)
        if date is None:
            problems.append(Problem(f"cannot read the date «{h.date_text}»", h.date_line))

    # Sender: the post from the heading, the name from the signature.
    roles, roles_ok = _sender_roles(h.heading)
    if h.heading is None:
        problems.append(Problem("no 'BRIEF VAN' heading: the sender is not stated", h.nr_line))
    sig_by_key = {}
    for s in signatures:
        sroles, ok = _sender_roles(s.role)
        if ok and len(sroles) == 1:
            sig_by_key[_key(sroles[0])] = s
        else:
            sig_by_key[_key(s.role)] = s
    senders: list[dict] = []
    if roles_ok:
        for r in roles:
            s = sig_by_key.pop(_key(r), None)
            senders.append({"role": r, "name": s.name if s else None})
        for s in sig_by_key.values():
            problems.append(Problem(f"the signature «{s.role}» does not match the heading's sender(s) "
                                    f"({'; '.join(roles)}); its name is not used", s.line))
    elif h.heading:
        # Not a ministerial post: use the signature's spelling when it names the same sender.
        heading_key = _key(re.sub(r"(?i)^(?:de|het)\s+", "", normalise(h.heading)))
        s = next((s for k, s in sig_by_key.items() if k == heading_key), None)
        if s:
            senders.append({"role": s.role, "name": s.name})
        elif not h.heading.isupper():
            senders.append({"role": re.sub(r"^(?:de|het)\s+", "", normalise(h.heading)), "name": None})
        else:
            senders.append({"role": None, "name": None})
            problems.append(Problem(f"sender «{normalise(h.heading)}» is printed in capitals and is not a minister's "
                                    "post: its spelling cannot be restored", h.heading_line))
    elif signatures:
        for s in signatures:
            sroles, ok = _sender_roles(s.role)
            senders.append({"role": sroles[0] if ok and len(sroles) == 1 else s.role, "name": s.name})
    if not signatures and h.heading:
        last = [i for i in body if not lines[i].blank]
        problems.append(Problem("no signature found: the sender's name is not stated",
                                lines[last[-1]].no if last else None))

    addressees: tuple[Person, ...] = ()
    if h.addressee:
        addressees = (Person(role=h.addressee),)
    else:
        problems.append(Problem("no 'Aan de …' line: the addressee is not stated", h.heading_line or h.nr_line))

    footnotes = build_footnotes(text, layout, raws)
    references = find_references(text, raws, shims, footnotes, date, problems)
    check_consistency([], [], footnotes, layout, False, problems)

    extra: dict = {}
    if senders:
        extra["sender"] = senders[0]
        if len(senders) > 1:
            extra["co_senders"] = senders[1:]
    if h.dossier:
        extra["dossier"] = {"number": h.dossier, "title": h.dossier_title}
    if h.session:
        extra["session"] = h.session

    errors: tuple[Problem, ...] = ()
    kind = "letter"
    if h.nr is None and h.heading is None:
        kind = "unknown"
        errors = (Problem("no 'Nr.' line or 'BRIEF VAN' heading: not a Kamerstuk letter", None, "error"),)
    return Document(
        source=source, sha256=sha256, kind=kind, shape="kamerstuk-letter",
        title=h.subject or h.dossier_title, date=date, identifiers=tuple(identifiers),
        addressees=addressees, footnotes=tuple(footnotes),
        references=tuple(sorted(references, key=lambda r: r.span)), sections=tuple(sections),
        errors=errors, warnings=tuple(problems), extra=extra)
