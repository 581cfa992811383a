"""Kamerstuk letters (dossierkg.parse.letter) on constructed letters in the official Kamerstuk layout
(tests/fixtures/letters/README.md), plus degraded variants made from them in the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossierkg.parse import letter, parse_bytes, parse_file
from dossierkg.parse.clean import normalise
from dossierkg.records import Person
from kg import cli

ROOT = Path(__file__).resolve().parent.parent
LETTERS = ROOT / "tests" / "fixtures" / "letters"
CANONICAL = LETTERS / "kst-19637-3018-style.txt"
VARIANT = LETTERS / "kst-21501-20-1850-style.txt"
NO_BLANKS = LETTERS / "kst-36045-120-style.txt"
CHAIR = Person(role="Voorzitter van de Tweede Kamer der Staten-Generaal")
NOT_LETTERS = sorted((ROOT / "dossier").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "dev-corpus").glob("*.txt"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def parsed(path: Path):
    return letter.parse(read(path), path.name, "0" * 64)


def all_spans(doc):
    for s in doc.sections:
        yield f"section {s.number}", s.span
    for f in doc.footnotes:
        yield f"footnote {f.number}", f.span
    for r in doc.references:
        yield f"reference {r.text}", r.span


# --- recognition ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.name)
def test_looks_like_letters(path):
    assert letter.looks_like(read(path))


@pytest.mark.parametrize("path", NOT_LETTERS, ids=lambda p: p.name)
def test_does_not_fire_on_kamervragen(path):
    assert NOT_LETTERS, "no dossier or dev-corpus texts found"
    assert not letter.looks_like(path.read_text(encoding="utf-8", errors="replace"))


def test_looks_like_needs_structure():
    # Another kind of Kamerstuk under a number, and running text that merely mentions a letter.
    assert not letter.looks_like("36 045 Situatie in Oekraïne\nNr. 5 MEMORIE VAN TOELICHTING\n"
                                 "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n")
    assert not letter.looks_like("Vraag 1\nKent u de brief van de Minister van Buitenlandse Zaken?\n"
                                 "Brief van de minister van 4 november 2022.\n")
    assert letter.looks_like("Nr. 12\nAan de Voorzitter van de Tweede Kamer der Staten-Generaal\nDen Haag, 1 maart 2023\n")


@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.name)
def test_dispatch_picks_letter(path):
    doc = parse_file(path)
    assert doc.kind == "letter"
    assert doc.shape == "kamerstuk-letter"
    assert not doc.errors


# --- the canonical letter ------------------------------------------------------------------------------

def test_canonical_header():
    doc = parsed(CANONICAL)
    assert doc.kind == "letter"
    assert doc.identifiers == ("kst-19637-3018",)
    assert doc.title == "Vreemdelingenbeleid"
    assert doc.date == "2022-12-13"
    assert doc.addressees == (CHAIR,)
    assert doc.answerers == () and doc.submitters == ()
    assert doc.submitted is None and doc.answered is None
    assert doc.extra["sender"] == {"role": "Staatssecretaris van Justitie en Veiligheid", "name": "E. van der Burg"}
    assert doc.extra["dossier"] == {"number": "19637", "title": "Vreemdelingenbeleid"}
    assert doc.extra["session"] == "2022-2023"
    assert doc.warnings == ()


def test_canonical_sections():
    doc = parsed(CANONICAL)
    assert [s.number for s in doc.sections] == ["1", "2", "3"]
    assert all(s.title is None for s in doc.sections)
    first, second, third = doc.sections
    assert first.line == 12
    assert first.text.endswith("tijdens het commissiedebat van 5 oktober jl.")  # marker 1 removed
    # hyphenation repaired; footnote, id line, ISSN, place line and page footer left out
    assert "De verantwoordelijkheid voor de beoordeling" in second.text
    assert second.text.endswith("blijft bij de IND.")
    assert third.text == ("De IND beoordeelt elke aanvraag afzonderlijk en zorgvuldig. Waar dat nodig is, pas ik het "
                          "beleid op korte termijn aan en informeer ik uw Kamer daarover.")
    for s in doc.sections:
        assert "Staatssecretaris" not in s.text and "kst-" not in s.text and "vergaderjaar" not in s.text


def test_canonical_footnote_and_references():
    doc = parsed(CANONICAL)
    assert len(doc.footnotes) == 1
    note = doc.footnotes[0]
    assert note.number == 1
    assert note.text == "Kamerstuk 19 637, nr. 3012 (verslag van het commissiedebat van 5 oktober 2022)"
    assert note.reference == "kst-19637-3012"
    assert note.markers_in == ("section 1",)
    assert note.line == 23
    refs = {r.text: r for r in doc.references}
    assert refs["Kamerstuk 19 637, nr. 3001"].target == "kst-19637-3001"
    assert refs["Kamerstuk 19 637, nr. 3001"].in_ == "section 2"
    assert refs["in mijn brief van 4 november 2022"].date == "2022-11-04"


# --- the variant ---------------------------------------------------------------------------------------

def test_variant_header():
    doc = parsed(VARIANT)
    assert doc.identifiers == ("kst-21501-20-1850",)
    assert doc.title == "Europese Raad"
    assert doc.date == "2022-11-04"  # ’s-Gravenhage, 4 november 2022
    assert doc.addressees == (CHAIR,)
    assert doc.extra["sender"] == {"role": "Minister van Buitenlandse Zaken", "name": "W.B. Hoekstra"}
    assert doc.extra["dossier"] == {"number": "21501-20", "title": "Europese Raad"}
    assert doc.warnings == ()


def test_variant_headed_sections_across_a_suffixed_footer():
    doc = parsed(VARIANT)
    assert [(s.number, s.title) for s in doc.sections] == [
        ("1", None), ("2", "Inzet van het kabinet"), ("3", "Vervolg")]
    intro, inzet, vervolg = doc.sections
    assert intro.text == ("Hierbij ontvangt u de geannoteerde agenda voor de bijeenkomst van de Europese Raad die op "
                          "15 en 16 december in Brussel plaatsvindt.")  # salutation left out, marker removed
    assert inzet.text.count("\n\n") == 1  # two paragraphs under the heading
    assert vervolg.text == ("Over de uitkomsten van de bijeenkomst informeer ik uw Kamer zoals gebruikelijk met "
                            "een verslag.")  # 'Hoogachtend,' and the signature are not section text
    assert read(VARIANT)[vervolg.span[0]:].startswith("Vervolg\n")
    note = doc.footnotes[0]
    assert (note.number, note.text, note.reference) == (1, "Kamerstuk 21 501-20, nr. 1849", "kst-21501-20-1849")
    assert note.markers_in == ("section 1",)


# --- no blank lines, two senders -----------------------------------------------------------------------

def test_no_blank_lines_two_senders():
    doc = parsed(NO_BLANKS)
    assert doc.identifiers == ("kst-36045-120",)
    assert doc.title == "Situatie in Oekraïne"
    assert doc.date == "2023-01-20"
    assert "session" not in doc.extra  # no Vergaderjaar line: not guessed
    assert doc.extra["sender"] == {"role": "Minister van Buitenlandse Zaken", "name": "W.B. Hoekstra"}
    assert doc.extra["co_senders"] == [{"role": "Minister voor Buitenlandse Handel en Ontwikkelingssamenwerking",
                                        "name": "E.N.A.J. Schreinemacher"}]
    assert len(doc.sections) == 1
    assert doc.sections[0].text.startswith("Met deze brief informeren wij")
    assert doc.sections[0].text.endswith("die wij periodiek sturen.")
    assert [w.line for w in doc.warnings] == [7]  # paragraphs cannot be told apart: said, not guessed
    assert "blank lines" in doc.warnings[0].message


# --- spans, CLI ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(LETTERS.glob("*.txt")), ids=lambda p: p.name)
def test_spans_are_stripped_source_slices(path):
    text = read(path)
    doc = parse_file(path)
    spans = list(all_spans(doc))
    assert spans
    for where, (a, b) in spans:
        raw = text[a:b]
        assert raw and raw == raw.strip(), where
    for f in doc.footnotes:
        assert normalise(text[f.span[0]:f.span[1]]) == f.text
    for r in doc.references:
        assert normalise(text[r.span[0]:r.span[1]]) == r.text
    for s in doc.sections:
        words = normalise(text[s.span[0]:s.span[1]])
        assert words.startswith((s.title or s.text)[:20])


@pytest.mark.parametrize("path", [CANONICAL, VARIANT], ids=lambda p: p.name)
def test_kg_parse_json_reports_a_letter(path):
    result = CliRunner().invoke(cli, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["documents"][0]
    assert doc["kind"] == "letter"
    assert doc["source"] == path.name
    assert doc["identifiers"] and doc["identifiers"][0].startswith("kst-")
    assert doc["sender"]["role"] and doc["sender"]["name"]
    assert doc["answerers"] == [] and doc["sections"]


# --- HTML text -----------------------------------------------------------------------------------------

HTML_LETTER = """Tweede Kamer der Staten-Generaal
Vergaderjaar 2022-2023
19637 Vreemdelingenbeleid
Nr. 3019 Brief van de staatssecretaris van Justitie en Veiligheid
Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
Den Haag, 20 december 2022
Met deze brief informeer ik uw Kamer over de uitvoering van het landgebonden asielbeleid voor Rusland, zoals ik heb toegezegd in mijn vorige brief aan uw Kamer.1
X Noot
1
Kamerstuk 19 637, nr. 3018
De IND beoordeelt elke aanvraag afzonderlijk. Waar dat nodig is, pas ik het beleid op korte termijn aan en informeer ik uw Kamer daarover opnieuw.
De Staatssecretaris van Justitie en Veiligheid,
E. van der Burg
"""


def test_html_text_one_paragraph_per_line():
    doc = parse_bytes(HTML_LETTER.encode(), "html.txt")
    assert doc.kind == "letter"
    assert doc.identifiers == ("kst-19637-3019",)
    assert doc.date == "2022-12-20"
    assert doc.extra["sender"] == {"role": "Staatssecretaris van Justitie en Veiligheid", "name": "E. van der Burg"}
    # the footnote is its one line; the paragraph after it is letter text, not footnote text
    assert [(f.number, f.text, f.reference) for f in doc.footnotes] == [(1, "Kamerstuk 19 637, nr. 3018", "kst-19637-3018")]
    assert [s.text[:17] for s in doc.sections] == ["Met deze brief in", "De IND beoordeelt"]
    assert doc.sections[0].text.endswith("brief aan uw Kamer.")
    for _, (a, b) in all_spans(doc):
        assert HTML_LETTER[a:b] == HTML_LETTER[a:b].strip()
    assert doc.warnings == ()


# --- degrading gracefully ------------------------------------------------------------------------------

def variant_of(path: Path, old: str, new: str):
    text = read(path)
    assert old in text
    changed = text.replace(old, new, 1)
    return letter.parse(changed, path.name, "0" * 64)


def test_no_date_line():
    doc = variant_of(CANONICAL, "Den Haag, 13 december 2022\n", "")
    assert doc.kind == "letter" and doc.date is None
    assert [(w.line, "undated" in w.message) for w in doc.warnings] == [(6, True)]


def test_unreadable_date():
    doc = variant_of(CANONICAL, "Den Haag, 13 december 2022", "Den Haag, 31 februari 2022")
    assert doc.date is None
    assert [(w.line, "31 februari 2022" in w.message) for w in doc.warnings] == [(10, True)]


def test_sender_in_capitals_that_is_not_a_post():
    doc = variant_of(CANONICAL, "BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID", "BRIEF VAN DE ALGEMENE REKENKAMER")
    assert doc.extra["sender"] == {"role": None, "name": None}  # capitalisation not guessed
    assert doc.warnings and doc.warnings[0].line == 6


def test_signature_of_someone_else_gives_no_name():
    doc = variant_of(CANONICAL, "De Staatssecretaris van Justitie en Veiligheid,", "De Minister van Justitie en Veiligheid,")
    assert doc.extra["sender"] == {"role": "Staatssecretaris van Justitie en Veiligheid", "name": None}
    assert [w.line for w in doc.warnings] == [31]


def test_no_signature():
    doc = variant_of(CANONICAL, "De Staatssecretaris van Justitie en Veiligheid,\nE. van der Burg\n", "")
    assert doc.extra["sender"] == {"role": "Staatssecretaris van Justitie en Veiligheid", "name": None}
    assert len(doc.sections) == 3
    assert len(doc.warnings) == 1 and "signature" in doc.warnings[0].message and doc.warnings[0].line == 29


def test_page_furniture_disagreeing_with_heading():
    doc = variant_of(CANONICAL, "kst-19637-3018\nTweede", "kst-19637-3017\nTweede")
    assert doc.identifiers == ("kst-19637-3018",)  # the heading's number is what the letter states
    assert [w.line for w in doc.warnings] == [33]


def test_no_nr_line_uses_the_id_line():
    doc = variant_of(CANONICAL, "Nr. 3018 BRIEF VAN", "BRIEF VAN")
    assert doc.kind == "letter"
    assert doc.identifiers == ("kst-19637-3018",)  # stated on the id lines
    assert any("Nr." in w.message and w.line == 6 for w in doc.warnings)


def test_footnote_without_marker_is_reported():
    doc = variant_of(CANONICAL, "van 5 oktober jl.1", "van 5 oktober jl.")
    assert [f.number for f in doc.footnotes] == [1]
    assert doc.footnotes[0].markers_in == ()
    assert any("no marker" in w.message for w in doc.warnings)


NUMBERED = """Tweede Kamer der Staten-Generaal 2
Vergaderjaar 2023–2024

36 410 XII Vaststelling van de begrotingsstaten van het Ministerie van
Infrastructuur en Waterstaat (XII) voor het jaar 2024

Nr. 45 BRIEF VAN DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN

Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Den Haag, 2 februari 2024

1. Inleiding
Met deze brief informeer ik uw Kamer over de stand van zaken.

2. Vervolg
Ik houd uw Kamer op de hoogte van de verdere ontwikkelingen.1

1 Kamerstuk 36 410 XII, nr. 12
kst-36410-XII-45
ISSN 0921 - 7371
’s-Gravenhage 2024
Tweede Kamer, vergaderjaar 2023–2024, 36 410 XII, nr. 45 1
De Minister-President, Minister van Algemene Zaken,
M. Rutte
"""


def test_numbered_headings_chapter_and_prime_minister():
    doc = letter.parse(NUMBERED, "numbered.txt", "0" * 64)
    assert doc.identifiers == ("kst-36410-XII-45",)
    assert doc.title == ("Vaststelling van de begrotingsstaten van het Ministerie van Infrastructuur en Waterstaat "
                         "(XII) voor het jaar 2024")
    assert doc.extra["sender"] == {"role": "Minister-President", "name": "M. Rutte"}
    # '1.' opens a heading, not a footnote marker
    assert [(s.number, s.title) for s in doc.sections] == [("1", "Inleiding"), ("2", "Vervolg")]
    assert doc.sections[1].text == "Ik houd uw Kamer op de hoogte van de verdere ontwikkelingen."
    assert [(f.number, f.text, f.markers_in) for f in doc.footnotes] == [(1, "Kamerstuk 36 410 XII, nr. 12", ("section 2",))]
    assert doc.footnotes[0].reference == "kst-36410-XII-12"  # the chapter is part of the dossier
    assert doc.warnings == ()
