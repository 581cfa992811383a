"""What a footnote cites (publisher, date, title, URL, parliamentary document) and the document
references in running text ('bij brief van 13 december 2022', 'Kamerstuk 19 637, nr. 3018')."""

from __future__ import annotations

import re

from .dates import DATE_RE, find_dates, parse_date

_S = r"[\s\u00a0]+"
# 'Kamerstuk 19 637, nr. 3018', 'Kamerstuk 21 501-20, nr. 1850', 'Kamerstukken II 2022/23, 36 200 VI, nr. 5':
# a suffix after a hyphen ('sub') or a Roman chapter / letter after the number ('letter').
KAMERSTUK_RE = re.compile(
    rf"Kamerstuk(?:ken)?(?:{_S}I{{1,2}})?(?:{_S}\d{{4}}/\d{{2}},)?{_S}(?P<dossier>\d{{2}}{_S}?\d{{3}}|\d{{5,6}})"
    rf"(?:-(?P<sub>[\w]+))?(?:,?{_S}(?P<letter>[IVXL]{{1,6}}|[A-Z]{{1,3}})\b)?,{_S}nr\.{_S}?(?P<nr>\d+)"
)
AANHANGSEL_RE = re.compile(
    rf"Aanhangsel{_S}?(?:van{_S}de{_S})?Handelingen,?{_S}?(?:II,?{_S})?vergaderjaar{_S}(?P<y1>\d{{4}})\s*[–-]\s*(?P<y2>\d{{2,4}}),{_S}nr\.{_S}?(?P<nr>\d+)"
)
ZAAK_RE = re.compile(r"\b(?P<year>20\d\d)Z\s?(?P<nr>\d{5})\b")
URL_RE = re.compile(r"(?:https?://|www\.)[^\s()<>«»]+(?:\([^\s()]*\)[^\s()<>«»]*)*|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|com|org|eu|be|int|net|gov|uk)/[^\s()<>«»]*")
# URL_RE.search is quadratic on a long run of name characters ('verantwoor-verantwoor-…', 'a.a.a.…': every
# word boundary in the run is a start that reads to the run's end); find_url gives the same first match in
# linear time: the scheme alternative as it is, the bare domain ('nos.nl/…') found per run.
_SCHEME_URL_RE = re.compile(URL_RE.pattern.split("|\\b")[0])
_NAME_RUN_RE = re.compile(r"[\w.-]+")
_TLD_END_RE = re.compile(r"\.(?:nl|com|org|eu|be|int|net|gov|uk)\Z")
_START_RE = re.compile(r"\b[\w-]")
_PATH_RE = re.compile(r"[^\s()<>«»]*")
LETTER_RE = re.compile(
    rf"(?P<phrase>(?:\b(?:bij|in)\s+)?(?:\b(?:de|mijn|uw|haar|zijn)\s+)?\b(?:Kamer)?brief{_S}van(?:{_S})?(?P<date>{DATE_RE.pattern[2:]}))",
    re.IGNORECASE,
)
NOTE_RE = re.compile(
    rf"(?P<phrase>\b(?:de|het|in de|in het|uit de|uit het)?\s*\b(?P<what>beslisnota|beslismemo|beslisnotitie|nota|ambtsbericht)"
    rf"(?:{_S}van{_S}(?P<date>{DATE_RE.pattern[2:]}))?)",
    re.IGNORECASE,
)
# What every match of LETTER_RE and CROSS_RE holds, and where one of LETTER_RE can start: found quickly, where
# those patterns (which start with optional words) are tried at every position of a block.
LETTER_HINT = re.compile(rf"brief{_S}van", re.IGNORECASE)
LETTER_STARTS = LETTER_RE, re.compile(r"\b(?:bij|in|de|mijn|uw|haar|zijn|kamer|brief)", re.IGNORECASE)
CROSS_HINT = re.compile(r"vra(?:ag|gen)\s+\d", re.IGNORECASE)
CROSS_RE = re.compile(
    r"(?P<phrase>(?:\bzie\s+(?:ook\s+)?(?:het\s+|mijn\s+)?(?:antwoord(?:en)?\s+(?:op\s+|bij\s+)?(?:de\s+)?)?"
    r"|\b(?:antwoord(?:en)?|beantwoording)\s+(?:op\s*|van\s*|bij\s*)?(?:de\s+)?"
    r"|\b(?:aangegeven|gesteld|beschreven|vermeld|opgenomen)\s+(?:bij|in|onder)\s+)"
    r"vra(?:ag|gen)\s+(?P<nums>\d{1,2}(?:\s*(?:,|en|t/m)\s*\d{1,2})*))",
    re.IGNORECASE,
)


def kamerstuk_id(m: re.Match) -> str:
    dossier = re.sub(r"\D", "", m.group("dossier"))
    sub = f"-{m.group('sub')}" if m.group("sub") else ""
    letter = f"-{m.group('letter')}" if m.group("letter") else ""
    return f"kst-{dossier}{sub}{letter}-{m.group('nr')}"


def aanhangsel_id(m: re.Match) -> tuple[str, bool]:
    """ah-tk-20212022-3441; the flag says the second year was repaired ('2022–203')."""
    y1 = int(m.group("y1"))
    y2 = m.group("y2")
    good = len(y2) == 4 and int(y2) == y1 + 1 or len(y2) == 2 and int(y2) == (y1 + 1) % 100
    return f"ah-tk-{y1}{y1 + 1}-{m.group('nr')}", not good


def parliamentary_reference(text: str) -> str | None:
    m = KAMERSTUK_RE.search(text)
    if m:
        return kamerstuk_id(m)
    m = AANHANGSEL_RE.search(text)
    if m:
        return aanhangsel_id(m)[0]
    m = ZAAK_RE.search(text)
    if m:
        return f"{m.group('year')}Z{m.group('nr')}"
    return None


def _first_url(text: str) -> str | None:
    """URL_RE.search(text).group(0), without its quadratic worst case."""
    scheme = _SCHEME_URL_RE.search(text)
    limit = scheme.start() if scheme else len(text)  # at the same start the scheme alternative wins
    for run in _NAME_RUN_RE.finditer(text):
        a, b = run.span()
        if a >= limit:
            break
        tld = _TLD_END_RE.search(run.group())
        if text[b:b + 1] != "/" or not tld:
            continue
        # the domain's labels are not empty: it starts after the run's last '..', at a word boundary, and
        # has a label before the top-level one
        empty = run.group().rfind("..")
        start = _START_RE.search(text, a + empty + 2 if empty >= 0 else a, b)
        if start and start.start() < min(limit, a + tld.start()):
            return text[start.start():_PATH_RE.match(text, b).end()]
    return scheme.group(0) if scheme else None


def find_url(text: str) -> str | None:
    url = _first_url(text)
    if url is None:
        return None
    url = url.rstrip(".,;:")
    if url.count(")") > url.count("("):
        url = url.rstrip(")")
    return url


def guillemets(text: str) -> str | None:
    """The first «…» passage, nested guillemets kept: '«… ongekende «russofobie»»'."""
    start = text.find("«")
    depth = 0
    for i in range(start, len(text)) if start >= 0 else ():
        depth += {"«": 1, "»": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1:i].strip() or None
    return None


def describe(text: str) -> dict:
    """Publisher, date, title, url, reference of a footnote text such as
    'NOS, 22 september 2022, «Eerste Russische reservisten …» (https://nos.nl/…)'."""
    out = {"url": find_url(text), "publisher": None, "date": None, "title": None,
           "reference": parliamentary_reference(text)}
    dm = next(iter(find_dates(text)), None)
    if dm:
        m, iso, relative = dm
        out["date"] = iso
        head = text[:m.start()].strip().rstrip(",").strip()
        if head and len(head) <= 60 and "," not in head and not out["reference"]:
            out["publisher"] = head
        elif head and "," in head and len(head.split(",")[0]) <= 60 and not out["reference"]:
            out["publisher"] = head.split(",")[0].strip()
        tail = text[m.end():].lstrip(" ,")
    else:
        tail = ""
        month_year = re.search(r"^([^,]{2,60}),\s+(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)\s+\d{4},", text)
        if month_year and not out["reference"]:
            out["publisher"] = month_year.group(1).strip()
            tail = text[month_year.end():].strip()
    guil = guillemets(text)
    if guil and not out["reference"]:
        out["title"] = guil
    elif tail and not out["reference"]:
        title = re.split(r"\s+\((?=https?://|www\.|[\w.-]+\.(?:nl|com|org)/)|,\s+(?=https?://|www\.)|\s+https?://", tail)[0]
        title = title.strip().rstrip(".").strip()
        if title and not title.startswith(("http", "www", "(")):
            out["title"] = title
    return out


def resolved_date(text: str, reference: str | None) -> str | None:
    return parse_date(text, reference)
