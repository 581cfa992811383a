"""Legal references in Dutch policy text, at article level, with exact spans.

    artikel 42, vierde lid, onder b, Vw        -> vw2000  art42-lid4-onder-b
    artikel 45 lid 4 van de Vreemdelingenwet 2000 -> vw2000  art45-lid4
    art. 3.2 Vb 2000                           -> vb2000  art3.2
    paragraaf C3/2 van de Vc 2000              -> vc2000  C3/2
    WBV 2022/22                                -> wbv     2022/22
    artikel 1F van het Vluchtelingenverdrag    -> vluchtelingenverdrag  art1F
    1F-zaken                                   -> vluchtelingenverdrag  art1F
    EU-visumcode                               -> visumcode  (no provision)

The recogniser is a small grammar, not a list of phrases:

    mention   := article | paragraph | numbered | compound | act
    article   := ("artikel" | "art.") NUMBER modifier* [","] [("van" | "uit") ("de" | "het")] act
    modifier  := [","] ORDINAL "lid" | [","] "lid" N | "(" N ")" | [","] ["aanhef en"] ("onder" | "sub") ITEM
    paragraph := ("paragraaf" | "par.") VC_CODE [[","] [("van" | "uit") "de"] act]     (a Vc code names the Vc)
               | ("paragraaf" | "par.") NUMBER  [","] [("van" | "uit") ("de" | "het")] act
               | VC_CODE [","] [("van" | "uit") "de"] act                             (bare code: act required)
    numbered  := ABBREVIATION NUMBER/NUMBER      e.g. 'WBV 2022/22' (the decree's own number is the provision)
    compound  := ARTICLE-"-"word                  e.g. '1F-zaken' (compounds formed on a well-known article)
    act       := a full name (any case, words joined by any whitespace, optional year) or an abbreviation
                 (exact case, optional year), never glued to a letter, digit or hyphen ('Vw-golf' is no act)

An article or non-Vc paragraph that names no act ('artikel 12 van deze wet') is not reported: the key of
the act would be a guess. Words may be separated by spaces and by at most two line breaks (PDF text puts a
blank line after every line), so a mention never runs across a paragraph break.

All patterns are free of nested ambiguous repetition: every quantified piece starts with a character the
piece before it cannot end with, so matching is linear in the text (a 2 MB line is fine).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class LegalMention:
    text: str  # the words as printed, whitespace-normalised
    span: tuple[int, int]  # [start, end) code-point offsets into the text given
    line: int  # 1-based line of start
    act: str  # stable act key, see ACTS
    provision: str | None  # 'art43', 'art42-lid4-onder-b', 'C2/3.2', '2022/22', ...; None when only the act is named


@dataclass(frozen=True)
class Act:
    key: str
    names: tuple[str, ...] = ()  # full names: case-insensitive, any whitespace between words
    abbreviations: tuple[str, ...] = ()  # exact case
    year: str | None = None  # 'Vreemdelingenwet 2000': the year may follow any alias; another year rejects it
    numbered: tuple[str, ...] = ()  # abbreviations only valid with a decree number: 'WBV 2022/22'
    compounds: tuple[str, ...] = ()  # articles that form compounds: '1F' -> '1F-zaken', "1F'ers"


ACTS: tuple[Act, ...] = (
    Act("vw2000", names=("Vreemdelingenwet",), abbreviations=("Vw",), year="2000"),
    Act("vb2000", names=("Vreemdelingenbesluit",), abbreviations=("Vb",), year="2000"),
    Act("vc2000", names=("Vreemdelingencirculaire",), abbreviations=("Vc",), year="2000"),
    Act("wbv", names=("Wijzigingsbesluit Vreemdelingencirculaire",), numbered=("WBV",), year="2000"),
    Act("vluchtelingenverdrag",
        names=("Vluchtelingenverdrag", "Verdrag betreffende de status van vluchtelingen"),
        compounds=("1F",)),
    Act("schengengrenscode", names=("Schengengrenscode", "Schengengrenzencode", "Schengen grenscode")),
    Act("visumcode", names=("Visumcode", "EU-visumcode", "Gemeenschappelijke visumcode")),
    Act("evrm", names=("Europees Verdrag tot bescherming van de rechten van de mens en de fundamentele vrijheden",
                       "Europees Verdrag voor de rechten van de mens"), abbreviations=("EVRM",)),
    Act("awb", names=("Algemene wet bestuursrecht",), abbreviations=("Awb",)),
    Act("kwalificatierichtlijn", names=("Kwalificatierichtlijn",)),
    Act("procedurerichtlijn", names=("Procedurerichtlijn",)),
    Act("opvangrichtlijn", names=("Opvangrichtlijn",)),
    Act("terugkeerrichtlijn", names=("Terugkeerrichtlijn",)),
    Act("dublinverordening", names=("Dublinverordening",)),
)

ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7, "achtste": 8,
    "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12,
}

# --- whitespace ------------------------------------------------------------------------------------------
# Horizontal space is a space or a tab: the text is searched with its no-break and thin spaces made spaces
# (`_plain`: the same offsets). A class of characters past Latin-1, repeated in every gap, made compiling the
# patterns take ~28 ms instead of ~8 on every start of kg.
_H = r"[ \t]"
_NL = rf"\r?\n{_H}*"
G = rf"(?:{_H}+(?:{_NL}){{0,2}}|(?:{_NL}){{1,2}})"  # a gap between words: spaces, at most two line breaks
OG = rf"(?:{G})?"  # an optional gap
_B = r"(?<![\w-])"  # not glued to a preceding word or hyphen
_E = r"(?![\w-])"  # nor to a following one


def _words(phrase: str) -> str:
    return G.join(re.escape(w) for w in phrase.split())


def _alias_patterns() -> list[tuple[str, str]]:
    """(pattern, act key) per alias; the patterns have no capturing groups."""
    out = []
    for act in ACTS:
        year = ""
        if act.year:
            # the act's own year may follow; any other year means another act ('Vreemdelingenwet 1965')
            year = rf"(?:{G}{act.year}(?![\w/]))?(?!{G}(?:1[89]|20)\d\d(?![\w/]))"
        alts = [rf"(?i:{_words(n)})" for n in act.names] + [re.escape(a) for a in act.abbreviations]
        if alts:
            out.append((rf"(?:{'|'.join(alts)}){_E}{year}", act.key))
    return out


_ALIASES = _alias_patterns()
_ACT_KEYS = [key for _, key in _ALIASES]
ACT_RE = re.compile(_B + "(?:" + "|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_ALIASES)) + ")")

_ORD = "|".join(ORDINALS)
NUMBER = r"\d+(?:[.:]\d+)*(?:[A-Za-z](?![\w]))?"  # 43, 3.2, 4:6, 1F, 3a
VC_CODE = r"[A-C]\d+/\d+(?:\.\d+)*"  # C2/3.2, C3/2, A3/7.1.1

_HEADS = {
    "article": rf"(?:[Aa]rtikel|ARTIKEL|[Aa]rt\.){OG}(?P<art>{NUMBER})(?![\w/])",
    "vcpar": rf"(?:[Pp]aragraaf|[Pp]ar\.){OG}(?P<vc>{VC_CODE})(?![\w/.])",
    "par": rf"(?:[Pp]aragraaf|[Pp]ar\.){OG}(?P<parno>\d+(?:\.\d+)*[a-z]?)(?![\w/])",
    "vccode": rf"(?P<code>{VC_CODE})(?![\w/.])",
    "numbered": rf"(?P<nabbr>{'|'.join(re.escape(a) for act in ACTS for a in act.numbered)}){G}"
                r"(?P<nr>\d{4}/\d{1,4})(?![\w/])",
    "compound": rf"(?P<comp>{'|'.join(re.escape(c) for act in ACTS for c in act.compounds)})"
                r"(?:-[^\W\d_]+|['’]ers?)",
}
_NUMBERED = {a: act.key for act in ACTS for a in act.numbered}
_COMPOUND = {c: act.key for act in ACTS for c in act.compounds}

# Heads and bare acts in one alternation: the leftmost wins, so 'artikel 43 van de Vw' is read as an article
# before its 'Vw' could be read as a bare act.
MASTER_RE = re.compile(
    _B + "(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _HEADS.items()) + rf"|(?P<act>{ACT_RE.pattern[len(_B):]})"
    + f"){_E}"
)

_LID_ORD = re.compile(rf"(?:{OG},)?{G}(?P<ord>{_ORD}|\d{{1,2}}(?:e|de|ste)){G}lid{_E}", re.I)
_LID_NUM = re.compile(rf"(?:{OG},)?{G}lid{G}(?P<num>\d{{1,2}}){_E}", re.I)
_LID_PAREN = re.compile(rf"{OG}\((?P<num>\d{{1,2}})\)")
_ONDER = re.compile(
    rf"(?:{OG},)?{G}(?:aanhef{G}en{G})?(?:onder(?:deel)?|sub){G}"
    rf"(?P<item>\d{{1,2}}°?|[a-z](?![\w°])|(?:iv|ix|v?i{{1,3}}|v|x)(?![\w]))",
)
_LINK = re.compile(rf"(?:{OG},)?{G}(?:(?:van|uit){G}(?:de|het){G})?")

_MARGIN = 512  # how far past `end` a mention may be read to see where it stops


def _act_at(text: str, pos: int, endpos: int) -> tuple[str, int] | None:
    m = ACT_RE.match(text, pos, endpos)
    if not m:
        return None
    return _ACT_KEYS[int(m.lastgroup[1:])], m.end()


def _linked_act(text: str, pos: int, endpos: int) -> tuple[str, int] | None:
    """', Vw' / ' van de Vreemdelingenwet 2000' / ' uit het Vluchtelingenverdrag' right after pos."""
    link = _LINK.match(text, pos, endpos)
    if not link:
        return None
    return _act_at(text, link.end(), endpos)


def _modifiers(text: str, pos: int, endpos: int) -> tuple[str, int]:
    """', vierde lid, onder b' -> ('-lid4-onder-b', end)."""
    lid = onder = None
    while True:
        if lid is None:
            m = _LID_ORD.match(text, pos, endpos)
            if m:
                o = m.group("ord").lower()
                lid = str(ORDINALS[o]) if o in ORDINALS else re.match(r"\d+", o).group(0)
                pos = m.end()
                continue
            m = _LID_NUM.match(text, pos, endpos) or _LID_PAREN.match(text, pos, endpos)
            if m:
                lid, pos = m.group("num"), m.end()
                continue
        if onder is None:
            m = _ONDER.match(text, pos, endpos)
            if m:
                onder, pos = m.group("item").rstrip("°"), m.end()
                continue
        break
    return (f"-lid{lid}" if lid else "") + (f"-onder-{onder}" if onder else ""), pos


def _read(m: re.Match, text: str, endpos: int) -> tuple[str, str | None, int] | None:
    """The mention starting at a MASTER_RE match: (act, provision, end) or None."""
    kind = m.lastgroup
    if kind == "article":
        number = m.group("art")
        mods, pos = _modifiers(text, m.end("art"), endpos)
        act = _linked_act(text, pos, endpos)
        return (act[0], f"art{number}{mods}", act[1]) if act else None
    if kind == "vcpar":
        act = _linked_act(text, m.end(), endpos)
        if act and act[0] == "vc2000":
            return "vc2000", m.group("vc"), act[1]
        return "vc2000", m.group("vc"), m.end()
    if kind == "par":
        act = _linked_act(text, m.end(), endpos)
        return (act[0], f"par{m.group('parno')}", act[1]) if act else None
    if kind == "vccode":
        act = _linked_act(text, m.end(), endpos)
        return ("vc2000", m.group("code"), act[1]) if act and act[0] == "vc2000" else None
    if kind == "numbered":
        return _NUMBERED[m.group("nabbr")], m.group("nr"), m.end()
    if kind == "compound":
        comp = m.group("comp")
        return _COMPOUND[comp], f"art{comp}", m.end()
    found = _act_at(text, m.start(), endpos)
    return (found[0], None, found[1]) if found else None


def normalise(s: str) -> str:
    return " ".join(s.split())


def _plain(text: str) -> str:
    """`text` with its no-break and thin spaces made spaces (the same length)."""
    if text.isascii():
        return text
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


def find_legal_mentions(text: str, start: int = 0, end: int | None = None) -> list[LegalMention]:
    """Legal references lying wholly in text[start:end], in order; spans and lines refer to the whole text."""
    text = _plain(text)
    n = len(text)
    end = n if end is None else max(0, min(end, n))
    start = max(0, min(start, end))
    endpos = min(n, end + _MARGIN)
    out: list[LegalMention] = []
    pos = start
    line, counted = 1, 0
    while pos < end:
        m = MASTER_RE.search(text, pos, endpos)
        if not m or m.start() >= end:
            break
        read = _read(m, text, endpos)
        if read is None:
            pos = m.end()
            continue
        act, provision, stop = read
        if stop > end:
            pos = m.end()
            continue
        a = m.start()
        line += text.count("\n", counted, a)
        counted = a
        out.append(LegalMention(normalise(text[a:stop]), (a, stop), line, act, provision))
        pos = stop
    return out
