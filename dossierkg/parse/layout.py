"""Page layout of extracted PDF/Word text: page footers, footnote zones at page bottoms, footnote markers.

Works on the document's structure, not on known files: a page ends at a footer line ('Tweede Kamer,
vergaderjaar …, Aanhangsel 2', possibly glued to the next label; '…, 21 501-20, nr. 1850 2' in a Kamerstuk),
with the id, ISSN and place/year lines above it, or, in some extractions, at a line that starts with a
single space; a footnote zone is the run of lines at a page's bottom that starts with the next
expected footnote number; markers are digits glued to words ('leger?1', 'TOELT1', '20223' = 2022 + 3) or
stranded at a line start ('2 Het …', '6). Daarin').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..records import Problem
from .dates import _MONTH_ALT

Piece = tuple[int, int]

_PLACE_YEAR = r"[’'‘`]?s-Gravenhage\s*\d{4}"  # '’s-Gravenhage 2022', the printer's place and year
# A page footer, possibly after the ISSN and place/year furniture glued to it: 'Tweede Kamer, vergaderjaar
# 2022–2023, Aanhangsel 2' or, for a Kamerstuk, '…, 19 637, nr. 3018 1', '…, 21 501-20, nr. 1850 2',
# '…, 36 410 XII, nr. 12 3' (dossier with a suffix or a Roman chapter; the number may be a letter).
FOOTER_RE = re.compile(
    rf"^\s*+(?:ISSN[^\n]{{0,60}}?)?(?:{_PLACE_YEAR})?\s*"
    r"(?:Tweede|Eerste)\s+Kamer,\s*vergaderjaar\s*\d{4}\s*[–-]\s*\d{4},\s*"
    r"(?:Aanhangsel|(?P<dossier>\d+(?:\s\d+)?(?:\s*[-‑–]\s*[0-9A-Z]{1,4})?(?:\s+[IVXL]{1,6})?),\s*"
    r"nr\.\s*(?P<nr>\d+|[A-Z]{1,3}))(?:\s*\d{1,3}(?!\d))?"
)
PAGE_MARK_RE = re.compile(r"^\s*(?:Pagina \d+ van \d+|\d+ van \d+)\s*$")
# Furniture lines above a footer: the document's id ('ah-tk-20222023-3649', 'kst-19637-3018',
# 'kst-21501-20-1850', 'kst-36410-XII-45'), the ISSN, the printer's place and year, or ISSN and place together.
ID_LINE_RE = re.compile(
    r"^\s*(?:(?P<id>(?:ah|kv|h)-tk-[\w-]+|kst-\d{5,6}(?:-[0-9A-Za-z]{1,6})*-(?:\d{1,5}|[A-Z]{1,3}))"
    rf"|ISSN [\d -]+\S*(?:\s*{_PLACE_YEAR})?|{_PLACE_YEAR})\s*$"
)
MASTHEAD_RE = re.compile(
    r"^\s*(?:Tweede Kamer der Staten-Generaal\d?|Vergaderjaar \d{4}\s*[–-]\s*\d{4}\s+Aanhangsel van de Handelingen"
    r"|Vragen gesteld door de leden der Kamer, met de daarop door de|regering gegeven antwoorden)\s*$"
)
CITATION_HINT = re.compile(
    r"https?://|www\.|\w\.(?:nl|com|org|eu|be|int|net|gov|uk)\b|«|»|\b(?:19|20)\d\d\b|Kamerstuk|Aanhangsel|Handelingen"
    r"|\bnr\.|\bZie\b|\bzie\b|Kamer\b|\d{4}Z\d{5}|\bp\. \d|Staatscourant|Stcrt|Trb\.|\bBijlage\b",
)
LIST_NUMBERS = re.compile(r"^\s*(\d{1,2})((?:\s*(?:,|en)\s*\d{1,2}|\s+\d{1,2})*)\s*$")
NOOT_RE = re.compile(r"^\s*X\s*Noot\s*$")
MAX_FOOTNOTE_LINES = 6
_SENTENCE_END = tuple(".?!:»”)\"")
# A number at a line start is not a stranded footnote marker when it is a date's day ('(ontvangen' / '1 november
# 2020)'), or when the line before ends in a word a number follows ('het antwoord op vraag' / '2, volgt') or a
# marker cannot ('waarvan' / '4 in Breda': an article, preposition or conjunction).
_MONTH_AFTER = re.compile(rf"\s+(?:{_MONTH_ALT})\b", re.I)
_NUMBER_AFTER = re.compile(
    r"(?i)(?<![\w-])(?:vra(?:ag|gen)|nr\.|nummer|artikel|lid|punt|pagina|p\.|de|het|een|van|voor|op|in|aan|met|bij|"
    r"tot|t/m|en|of|om|over|naar|uit|door|te|per|dan|sinds|waarvan|circa|ruim|bijna|ongeveer)\s*$")
# Footnote markers glued to a word or a year. Each pattern starts with a lookbehind, which makes re try it at every
# position of a line; `matches_where` tries it only where its candidate (the same without the lookbehind)
# matches: a digit, five digits, a full stop before a digit.
_GLUED_TO_YEAR = re.compile(r"(?<![\w/.,])(?<!\dZ\s)((?:19|20)\d\d)(\d{1,2})(?!\d)"), re.compile(r"\d{5,6}(?!\d)")
_GLUED = re.compile(r"(?<=[^\s\d/.,:;(\[-])(\d{1,2})(?=[\s,.;:)]|$)"), re.compile(r"\d{1,2}(?=[\s,.;:)]|$)")
_AFTER_FULL_STOP = re.compile(r"(?<=[a-z)»?!])\.(\d{1,2})(?=\s|$)"), re.compile(r"\.\d{1,2}(?=\s|$)")
_DIGIT = re.compile(r"\d")


def matches_where(patterns: tuple[re.Pattern, re.Pattern], text: str):
    """pattern.finditer(text) for (pattern, candidate), the pattern tried only where the candidate matches: the
    same matches, when each of them starts where the candidate matches and no candidate's match covers the
    start of one (quicker where re would try the pattern at every position and the candidate it would not)."""
    pattern, candidate = patterns
    end = 0
    for c in candidate.finditer(text):
        if c.start() >= end:
            m = pattern.match(text, c.start())
            if m:
                end = m.end()
                yield m


def printed_id(line: str) -> str | None:
    """The document id printed on an id line ('kst-21501-20-1850') or in a Kamerstuk page footer
    ('…, 36 410 XII, nr. 45 1' -> 'kst-36410-XII-45')."""
    m = ID_LINE_RE.match(line)
    if m:
        return m.group("id")
    m = FOOTER_RE.match(line)
    if m and m.group("dossier"):
        dossier = re.sub(r"\s+", "", m.group("dossier"))
        dossier = re.sub(r"[‑–]", "-", re.sub(r"(?<=\d)(?=[IVXL]+$)", "-", dossier))
        return f"kst-{dossier}-{m.group('nr')}"
    return None


@dataclass
class Line:
    no: int
    start: int
    end: int
    text: str
    skip_to: int = 0  # characters at the line start that belong to a glued page footer

    @property
    def body(self) -> str:
        return self.text[self.skip_to:]

    @property
    def body_start(self) -> int:
        return self.start + self.skip_to

    @property
    def blank(self) -> bool:
        return not self.body.strip()


@dataclass
class Marker:
    number: int
    start: int
    end: int
    line: int


@dataclass
class RawFootnote:
    number: int
    lines: list[int]  # indices into Layout.lines
    pieces: list[list[Piece]]
    start: int
    end: int


@dataclass
class Layout:
    text: str
    lines: list[Line]
    body: list[int] = field(default_factory=list)  # line indices in reading order
    pieces: dict[int, list[Piece]] = field(default_factory=dict)  # body line -> pieces without markers
    markers: list[Marker] = field(default_factory=list)
    footnotes: list[RawFootnote] = field(default_factory=list)
    furniture: list[int] = field(default_factory=list)  # footers, page marks, id lines, masthead
    problems: list[Problem] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for no, raw in enumerate(text.split("\n"), 1):
        end = pos + len(raw)
        if raw.endswith("\r"):
            raw, end = raw[:-1], end - 1
        lines.append(Line(no, pos, end, raw))
        pos = end + (2 if text[end:end + 2] == "\r\n" else 1)
    return lines


def _footnote_start(line: Line, expected: int):
    """If the line starts footnote `expected` ('1 NOS', '1NOS', '22023 Annual', '1) Kamerstuk'), return
    the offset where its text begins."""
    s = line.body
    m = re.match(r"\s*", s)
    i = m.end()
    num = str(expected)
    if not s.startswith(num, i):
        return None
    j = i + len(num)
    rest = s[j:]
    if not rest.strip():
        return None
    c = rest[0]
    if c.isdigit():
        if not re.match(r"(?:19|20)\d\d", rest):
            return None
    elif c in ".)":
        k = 1 + (1 if rest[1:2] in ")." else 0)
        if not rest[k:k + 1].isspace():
            return None
        j += k
    elif not (c.isspace() or c.isalpha() or c in "«(“\"'‘"):
        return None
    while j < len(s) and s[j].isspace():
        j += 1
    return line.body_start + j


def _page_ends(lines: list[Line], leading_space_pages: bool) -> list[tuple[int, int]]:
    """Split line indices into pages; footer lines become furniture (or keep their glued tail)."""
    pages, first = [], 0
    furniture: set[int] = set()
    for i, line in enumerate(lines):
        m = FOOTER_RE.match(line.text)
        if m or PAGE_MARK_RE.match(line.text):
            last = i - 1
            while last >= first and (lines[last].blank or ID_LINE_RE.match(lines[last].text)):
                furniture.add(last)
                last -= 1
            pages.append((first, last))
            if m and line.text[m.end():].strip():
                line.skip_to = m.end()
                first = i
            else:
                furniture.add(i)
                first = i + 1
        elif leading_space_pages and i > 0 and re.match(r"^ \S", line.text):
            pages.append((first, i - 1))
            first = i
    pages.append((first, len(lines) - 1))
    return [(a, b) for a, b in pages if a <= b], furniture


def _zone(lines: list[Line], a: int, b: int, expected: int, marker_seen: bool, labels: re.Pattern):
    """Find the footnote zone at the bottom of page a..b; return (zone start, [(number, line idx, offset)])."""
    while b >= a and lines[b].blank:
        b -= 1
    best = None
    for k in range(b, a - 1, -1):
        if labels.match(lines[k].body.strip()):
            break
        if b - k > 4 * MAX_FOOTNOTE_LINES:
            break
        first = _footnote_start(lines[k], expected)
        if first is None:
            continue
        starts, n, ok = [(expected, k, first)], expected + 1, True
        count = 1
        for j in range(k + 1, b + 1):
            if lines[j].blank:
                continue
            nxt = _footnote_start(lines[j], n)
            if nxt is not None:
                starts.append((n, j, nxt))
                n += 1
                count = 1
            else:
                count += 1
                if count > MAX_FOOTNOTE_LINES:
                    ok = False
                    break
        if not ok:
            continue
        head = lines[k].text[first - lines[k].start:]
        if marker_seen or CITATION_HINT.search(head):
            best = (k, starts, b)
            break  # the bottom-most valid start wins: footnotes sit at the very end of the page
    return best


def _strip_markers(line: Line, state: dict, prev_body: str | None, markers: list[Marker], in_header: bool):
    """Return the line's pieces with footnote markers cut out; record the markers."""
    text = line.body
    cuts: list[tuple[int, int, int]] = []
    if in_header:
        return _cut(line, cuts, markers)
    nm = state["next"]
    known = state["defined"]

    m = LIST_NUMBERS.match(text)
    if m and not in_header:
        nums = [int(x) for x in re.findall(r"\d+", text)]
        if nums[0] in (nm, nm + 1) or (nums[0] in known):
            for n in nums:
                cuts.append((n, 0, len(text)))
            state["next"] = max(nm, max(nums) + 1)
            return _cut(line, cuts, markers)
    if not in_header:
        m = re.match(r"^(\s*)(\d{1,2})(\)\.?|\.|,)?(?=\s)", text)
        if m and int(m.group(2)) == nm and not re.match(r"\s*(?:19|20)\d\d", text) \
                and not _MONTH_AFTER.match(text, m.end()) and not _NUMBER_AFTER.search(prev_body or ""):
            punct = m.group(3)
            prev_mid = prev_body is not None and prev_body.rstrip() and not prev_body.rstrip().endswith(_SENTENCE_END)
            if punct is None or punct.startswith(")") or prev_mid:
                cuts.append((nm, m.start(2), m.end(2) + (1 if punct == ")" or punct == ")." else 0)))
                nm += 1
    if not _DIGIT.search(text):  # what follows finds digits only (half the lines have none)
        state["next"] = nm
        return _cut(line, cuts, markers)
    # a year with a marker glued on ('2022' + '3'), not in a case number: '2024Z19041', '2024Z 19041' (Word files)
    for g in matches_where(_GLUED_TO_YEAR, text):
        if int(g.group(2)) == nm and not in_header:
            cuts.append((nm, g.start(2), g.end(2)))
            nm += 1
    for g in matches_where(_GLUED, text):
        n = int(g.group(1))
        word = _word_before(text, g.start())
        prev_char = text[g.start() - 1]
        if prev_char.isalpha():
            if n != nm or len(word) < 3 or re.search(r"\d", word):
                continue
        elif prev_char in "?!»”’)\"'":
            if not (n == nm or (n < nm) or n in known):
                continue
        else:
            continue
        if any(a <= g.start() < b for _, a, b in cuts):
            continue
        if in_header and n != nm:
            continue
        cuts.append((n, g.start(1), g.end(1)))
        nm = max(nm, n + 1)
    for g in matches_where(_AFTER_FULL_STOP, text):
        n = int(g.group(1))
        if (n == nm or n < nm) and not any(a <= g.start(1) < b for _, a, b in cuts):
            cuts.append((n, g.start(1), g.end(1)))
            nm = max(nm, n + 1)
    state["next"] = nm
    return _cut(line, cuts, markers)


_WORD_CHAR = re.compile(r"\w")


def _word_before(text: str, end: int) -> str:
    r"""re.search(r"(\w*)\W*$", text[:end]).group(1): the last word before `end`, read backwards from there
    (searching the whole line before each marker candidate was quadratic on a long line)."""
    j = end
    while j > 0 and not _WORD_CHAR.match(text, j - 1):
        j -= 1
    k = j
    while k > 0 and _WORD_CHAR.match(text, k - 1):
        k -= 1
    return text[k:j]


def _cut(line: Line, cuts, markers: list[Marker]) -> list[Piece]:
    base = line.body_start
    pieces, pos = [], 0
    for n, a, b in sorted(cuts, key=lambda c: c[1]):
        markers.append(Marker(n, base + a, base + b, line.no))
        if a > pos:
            pieces.append((base + pos, base + a))
        pos = max(pos, b)
    if pos < len(line.body):
        pieces.append((base + pos, line.end))
    return pieces


def _html_notes(lines: list[Line], labels: re.Pattern) -> tuple[list[RawFootnote], set[int]]:
    """The officielebekendmakingen HTML text layout: 'X Noot' / '1' / footnote text, anywhere in the text.
    That text has one line per paragraph, and a footnote is one paragraph: exactly the line after the
    number; what follows it is running text again."""
    notes, consumed = [], set()
    i = 0
    while i < len(lines):
        if NOOT_RE.match(lines[i].text):
            j = i + 1
            while j < len(lines) and lines[j].blank:
                j += 1
            num = re.match(r"^\s*(\d{1,3})\s*$", lines[j].text) if j < len(lines) else None
            k = j + 1
            if num and k < len(lines) and not lines[k].blank and not NOOT_RE.match(lines[k].text) \
                    and not labels.match(lines[k].text.strip()):
                note = lines[k]
                offset = note.start + len(note.text) - len(note.text.lstrip())
                end = note.start + len(note.text.rstrip())
                notes.append(RawFootnote(int(num.group(1)), [k], [[(offset, note.end)]], offset, end))
                consumed.update(range(i, k + 1))
                i = k + 1
                continue
        i += 1
    return notes, consumed


def analyse(text: str, labels: re.Pattern, *, defined_footnotes: set[int] | None = None,
            header_end: int = 0, find_zones: bool = True) -> Layout:
    """Classify every line of a PDF/Word extraction: furniture, footnote zones, body text with markers."""
    lines = split_lines(text)
    leading = sum(1 for ln in lines if re.match(r"^ \S", ln.text) and not ln.text.startswith(" •")) >= 1 \
        and not any(ln.text.startswith(" • ") for ln in lines)
    pages, furniture = _page_ends(lines, leading)
    layout = Layout(text, lines)
    for i, ln in enumerate(lines):
        if MASTHEAD_RE.match(ln.text):
            furniture.add(i)
    notes, consumed = _html_notes(lines, labels)
    layout.footnotes.extend(notes)
    furniture.update(consumed)
    state = {"next": 1, "defined": set(defined_footnotes or ()) | {n.number for n in notes}}
    expected = 1
    zone_lines: set[int] = set()
    prev_body: str | None = None
    for a, b in pages:
        zone = _zone(lines, a, b, expected, True, labels) if find_zones else None
        stop = zone[0] if zone else b + 1

        def read_body(first: int, last: int) -> None:
            nonlocal prev_body
            for i in range(first, last):
                if i in furniture:
                    continue
                ln = lines[i]
                layout.body.append(i)
                if ln.blank:
                    layout.pieces[i] = []
                    continue
                in_header = ln.start < header_end or bool(labels.match(ln.body.strip()))
                layout.pieces[i] = _strip_markers(ln, state, prev_body, layout.markers, in_header=in_header)
                prev_body = "".join(text[x:y] for x, y in layout.pieces[i])

        read_body(a, stop)
        if zone:
            k, starts, last = zone
            head = text[starts[0][2]:lines[k].end]
            seen = any(m.number == expected for m in layout.markers)
            if not seen and not CITATION_HINT.search(head):
                layout.problems.append(Problem(
                    f"lines {lines[k].no}-{lines[last].no} look like footnote {expected} but no marker points "
                    "to it; read as running text", lines[k].no))
                zone = None
                read_body(stop, b + 1)
        if zone:
            k, starts, last = zone
            for idx, (num, line_i, offset) in enumerate(starts):
                stop_line = starts[idx + 1][1] - 1 if idx + 1 < len(starts) else last
                pieces, used = [], []
                for j in range(line_i, stop_line + 1):
                    ln = lines[j]
                    if ln.blank:
                        continue
                    s = offset if j == line_i else ln.body_start
                    pieces.append([(s, ln.end)])
                    used.append(j)
                    zone_lines.add(j)
                end = lines[used[-1]].end if used else offset
                while end > offset and text[end - 1].isspace():
                    end -= 1
                layout.footnotes.append(RawFootnote(num, used, pieces, offset, end))
            expected = starts[-1][0] + 1
            state["defined"].update(n for n, _, _ in starts)
    layout.furniture = sorted(furniture)
    return layout
