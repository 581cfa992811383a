"""Legal references (acts, articles, leden, Vc paragraphs) in the dossier texts and in small made-up cases."""

from __future__ import annotations

import random
import re

import pytest

from dossierkg.parse.legal import LegalMention, find_legal_mentions
from dossierkg.paths import ROOT


def _norm(s: str) -> str:
    return " ".join(s.split())


def _text(prefix: str) -> str:
    (path,) = (ROOT / "dossier").glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def _check_spans(text: str, mentions: list[LegalMention]) -> None:
    last = -1
    for m in mentions:
        a, b = m.span
        assert 0 <= a < b <= len(text)
        assert _norm(text[a:b]) == m.text
        assert text[a:b] == text[a:b].strip(), "span has no surrounding whitespace"
        assert m.line == text.count("\n", 0, a) + 1
        assert a >= last, "in order, not overlapping"
        last = b


def _find(mentions, text, act, provision):
    return [m for m in mentions if m.text == text and m.act == act and m.provision == provision]


def _block(text: str, label: str, next_label: str) -> tuple[int, int]:
    """Offsets of an answer block: from its label line to the next label line."""
    a = re.search(rf"^\s*{label}\s*$", text, re.M).start()
    b = re.search(rf"^\s*{next_label}\s*$", text[a:], re.M).start() + a
    return a, b


# --- the decision note ------------------------------------------------------------------------------------

NOTE_EXPECTED = [
    ("artikel 43 van de Vreemdelingenwet 2000", "vw2000", "art43", 1),
    ("artikel 42, vierde lid, onder b, Vw", "vw2000", "art42-lid4-onder-b", 1),
    ("artikel 45 lid 4 van de Vreemdelingenwet 2000", "vw2000", "art45-lid4", 1),
    ("paragraaf C2/3.2 Vc", "vc2000", "C2/3.2", 1),
    ("paragraaf C3/2 van de Vc 2000", "vc2000", "C3/2", 1),
    ("WBV 2022/22", "wbv", "2022/22", 3),
    ("artikel 1F van het Vluchtelingenverdrag", "vluchtelingenverdrag", "art1F", 1),
    ("artikel 1A uit het Vluchtelingenverdrag", "vluchtelingenverdrag", "art1A", 1),
    ("1F-zaken", "vluchtelingenverdrag", "art1F", 1),
]


@pytest.mark.parametrize("printed,act,provision,count", NOTE_EXPECTED, ids=[e[0] for e in NOTE_EXPECTED])
def test_decision_note(printed, act, provision, count):
    text = _text("004")
    mentions = find_legal_mentions(text)
    _check_spans(text, mentions)
    assert len(_find(mentions, printed, act, provision)) == count


def test_decision_note_nothing_else():
    """Every mention in the note is one of the expected ones: no bare 'Vw' inside 'artikel … Vw' etc."""
    text = _text("004")
    got = sorted((m.text, m.act, m.provision) for m in find_legal_mentions(text))
    want = sorted((p, a, v) for p, a, v, n in NOTE_EXPECTED for _ in range(n))
    assert got == want


# --- the answers to the written questions -----------------------------------------------------------------

@pytest.mark.parametrize("prefix,label,next_label", [
    ("000", "Antwoord 3", "Vraag 4"),
    ("001", "Antwoord 2 en 3", "Vraag 4"),
    ("001", "Antwoord 8 en 9", "Vraag 10"),
])
def test_schengengrenscode(prefix, label, next_label):
    text = _text(prefix)
    a, b = _block(text, label, next_label)
    mentions = find_legal_mentions(text, a, b)
    _check_spans(text, mentions)
    assert [(m.text, m.act, m.provision) for m in mentions] == [("Schengengrenscode", "schengengrenscode", None)]
    assert all(a <= m.span[0] and m.span[1] <= b for m in mentions)


def test_visumcode():
    text = _text("001")
    a = re.search(r"^\s*Antwoord 11\s*$", text, re.M).start()
    mentions = find_legal_mentions(text, a)
    _check_spans(text, mentions)
    assert [(m.text, m.act, m.provision) for m in mentions] == [
        ("Visumcode", "visumcode", None),
        ("EU-visumcode", "visumcode", None),
        ("visumcode", "visumcode", None),
        ("Visumcode", "visumcode", None),
    ]
    assert [m.line for m in mentions] == [174, 180, 181, 192]


def test_no_mentions_in_the_rest_of_the_corpus():
    """002/003 only speak of news 'artikelen' and a URL '/artikel/2459973-…': nothing legal."""
    for prefix in ("002", "003"):
        assert find_legal_mentions(_text(prefix)) == []


# --- the grammar on small cases ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,printed,act,provision", [
    ("op grond van artikel 43 van de \n\nVreemdelingenwet 2000 de", "artikel 43 van de Vreemdelingenwet 2000",
     "vw2000", "art43"),
    ("de in artikel 42,\nvierde lid,\n\nonder b, Vw neergelegde", "artikel 42, vierde lid, onder b, Vw", "vw2000",
     "art42-lid4-onder-b"),
    ("zie art. 3.2 Vb 2000.", "art. 3.2 Vb 2000", "vb2000", "art3.2"),
    ("Artikel 3, eerste lid, aanhef en onder a, van de Vreemdelingenwet", None, "vw2000", "art3-lid1-onder-a"),
    ("artikel 29, tiende lid, Vw 2000", None, "vw2000", "art29-lid10"),
    ("artikel 8 2e lid Vw", None, "vw2000", "art8-lid2"),
    ("artikel 6(1) EVRM", None, "evrm", "art6-lid1"),
    ("artikel 4:6 Awb", None, "awb", "art4:6"),
    ("volgens artikel 3a van het Vreemdelingenbesluit", "artikel 3a van het Vreemdelingenbesluit", "vb2000",
     "art3a"),
    ("artikel 1F van het Verdrag betreffende de status\nvan vluchtelingen", None, "vluchtelingenverdrag", "art1F"),
    ("Uit C2/3.2 Vc volgt", "C2/3.2 Vc", "vc2000", "C2/3.2"),
    ("zie paragraaf A3/7.1.1 (tabel)", "paragraaf A3/7.1.1", "vc2000", "A3/7.1.1"),
    ("paragraaf 3.1 van het Vb", None, "vb2000", "par3.1"),
    ("met 1F'ers", "1F'ers", "vluchtelingenverdrag", "art1F"),
    ("in de Vreemdelingencirculaire 2000.", "Vreemdelingencirculaire 2000", "vc2000", None),
    ("(Vw)", "Vw", "vw2000", None),
    ("het vluchtelingenverdrag", "vluchtelingenverdrag", "vluchtelingenverdrag", None),
])
def test_grammar(text, printed, act, provision):
    mentions = find_legal_mentions(text)
    _check_spans(text, mentions)
    assert [(m.text, m.act, m.provision) for m in mentions] == [(printed or _norm(text), act, provision)]


@pytest.mark.parametrize("text", [
    "artikelen in de krant",
    "het artikel «Deel EU-landen zit met deserterende Russen in de maag»",
    "de Vw-golf en een VW Golf",
    "de Vwo en Vws",
    "Vreemdelingenwetgeving en vreemdelingenwetten",
    "artikel 12 van deze wet",
    "artikel 1F",
    "de Vreemdelingenwet 1965",
    "een WBV zonder nummer",
    "de Visumfacilitatie-overeenkomst en visumaanvragers",
    "https://nos.nl/artikel/2445552-eerste-russische-reservisten",
    "nummer C2/3.2 in de tabel",
])
def test_negative(text):
    assert find_legal_mentions(text) == []


def test_no_break_and_thin_spaces_are_spaces():
    """Read as spaces (the patterns only know spaces and tabs), with spans in the text as it is."""
    text = "op grond van artikel\u00a043, eerste\u2009lid, van de\u202fVreemdelingenwet\u00a02000 is"
    mentions = find_legal_mentions(text)
    _check_spans(text, mentions)
    assert [(m.text, m.act, m.provision) for m in mentions] == [
        ("artikel 43, eerste lid, van de Vreemdelingenwet 2000", "vw2000", "art43-lid1")]
    a, b = mentions[0].span
    assert text[a:b] == "artikel\u00a043, eerste\u2009lid, van de\u202fVreemdelingenwet\u00a02000"


def test_no_mention_across_a_paragraph_break():
    text = "op grond van artikel 43 van de\n\n \n\nVreemdelingenwet 2000 is"
    mentions = find_legal_mentions(text)
    assert [(m.text, m.provision) for m in mentions] == [("Vreemdelingenwet 2000", None)]
    assert mentions[0].line == 5


def test_window_keeps_whole_text_offsets():
    text = "Inleiding\n\nartikel 43 Vw en\nartikel 45 Vw\n"
    second = text.index("artikel 45")
    mentions = find_legal_mentions(text, second)
    assert [(m.text, m.span, m.line) for m in mentions] == [("artikel 45 Vw", (second, second + 13), 4)]
    # a mention that does not lie wholly in the window is left out
    assert find_legal_mentions(text, 0, second + 10) == [
        LegalMention("artikel 43 Vw", (11, 24), 3, "vw2000", "art43")]
    # a window starting inside a word does not see half a word
    assert find_legal_mentions("EU-visumcode", 3) == []


# --- no catastrophic backtracking -------------------------------------------------------------------------

def _random_words(n: int) -> str:
    rng = random.Random(7)
    vocab = ["artikel", "art.", "lid", "vierde", "onder", "b,", "van", "de", "het", "Vw", "Vc", "2000", "WBV",
             "2022/22", "paragraaf", "C2/3.2", "1F-zaken", "Vreemdelingenwet", "Verdrag", "betreffende", "krant",
             "43", "\n", "\n\n", ",", "(1)", "status", "visumcode"]
    out, size = [], 0
    while size < n:
        w = rng.choice(vocab)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)[:n]


@pytest.mark.parametrize("text", [
    "artikel " * (2_000_000 // 8),
    "artikel" + " " * 2_000_000 + "43",
    "artikel " + "1" * 2_000_000,
    ("artikel 4" + ", vierde lid" * 180_000),
    "Verdrag betreffende de status van " * 60_000,
    _random_words(2_000_000),
], ids=["artikel-repeated", "long-gap", "long-number", "long-modifiers", "partial-name", "random-words"])
def test_two_megabyte_line(text):
    mentions = find_legal_mentions(text)
    assert isinstance(mentions, list)
