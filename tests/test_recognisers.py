"""The small recognisers: Dutch dates, label numbers, de-hyphenation, footnote markers, references, layouts."""

from __future__ import annotations

import json
import re

import pytest

from dossierkg.parse import layout, parse_bytes, parse_file
from dossierkg.parse.citations import describe, parliamentary_reference
from dossierkg.parse.clean import join_lines, normalise
from dossierkg.parse.dates import parse_date
from dossierkg.parse.labels import numbers
from dossierkg.paths import ROOT

GOLD = json.loads((ROOT / "tests/fixtures/gold/seeds.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text,reference,iso", [
    ("ontvangen 7 november 2022", None, "2022-11-07"),
    ("Ingediend 18\u00a0januari 2023", None, "2023-01-18"),
    ("de beslisnota van 12 december jl.", "2023-02-22", "2022-12-12"),
    ("de richtsnoeren van 30 september jl.", "2022-11-07", "2022-09-30"),
    ("op 28 oktober jl.", "2023-02-22", "2022-10-28"),
    ("(ingezonden\n30 oktober 2024)", None, "2024-10-30"),
    ("31 februari 2023", None, None),
    ("bij brief van 13 december 20221", None, "2022-12-13"),  # 2022 + footnote marker 1
    ("de brief van 2 januari 202412.", None, "2024-01-02"),  # 2024 + marker 12
    ("op 13 december 2022123", None, None),  # not a year and a marker
])
def test_dutch_dates(text, reference, iso):
    assert parse_date(text, reference) == iso


@pytest.mark.parametrize("spec,expected", [
    ("1", (1,)), ("2 en 3", (2, 3)), ("2, 3 en 4", (2, 3, 4)), ("2 t/m 6", (2, 3, 4, 5, 6)),
    ("1,2,3,4 en 5", (1, 2, 3, 4, 5)), ("8 en 9", (8, 9)),
])
def test_label_numbers(spec, expected):
    assert numbers(spec) == expected


@pytest.mark.parametrize("case", GOLD["line_break_hyphens_all"], ids=lambda c: c["printed"][:24])
def test_every_line_break_hyphen_of_the_dossier(case):
    """Hyphens at line ends in the dossier, each as the gold decided (pyphen decides word breaks)."""
    before, after = case["printed"].split("\n")
    assert join_lines([before, after]) == case["joined"]


@pytest.mark.parametrize("before,after,joined", [
    ("niet-", "militaire", "niet-militaire"), ("West-", "Europa", "West-Europa"), ("18-", "jarigen", "18-jarigen"),
    ("(https://", "nos.nl/artikel/2541672-x)", "(https://nos.nl/artikel/2541672-x)"),
])
def test_real_hyphens_and_broken_urls(before, after, joined):
    assert join_lines([before, after]) == joined


def test_normalise_takes_every_whitespace_character_as_a_regular_expression_does():
    """Each character a regular expression's \\s matches, NBSP, zero-width space and NUL: a run of them is one
    space, none at the ends."""
    spaces = [c for c in map(chr, range(0x3100)) if re.fullmatch(r"[\s\u00a0\u200b\x00]", c)]
    assert len(spaces) == 31 and "\u200b" in spaces and "\u2009" in spaces
    for c in spaces:
        assert normalise(f"{c}a{c}{c}b \u00e9{c}") == "a b \u00e9"
    assert normalise("\u200b") == "" and normalise("x\u200cy") == "x\u200cy"  # a zero-width non-joiner is no space


def _doc(body: str):
    head = ("Vragen van het lid Test (SP) aan de Minister van Buitenlandse Zaken over een test "
            "(ingezonden 1 maart 2024).\nAntwoord van Minister Test (Buitenlandse Zaken) (ontvangen 2 april 2024).\n")
    return parse_bytes((head + body).encode("utf-8"), "constructed.txt")


def test_markers_glued_to_years_and_words_and_stranded():
    doc = _doc("Vraag 1\nWat vindt u van het bericht van 2 januari 20241 en het rapport van TOELT2 en\n"
               "het verslag3\nVraag 2\nEn het besluit van 5 maart 2024?\n"
               "4). Daarna volgt niets.\n"
               "1 NOS, 2 januari 2024, «Een bericht» (https://nos.nl/artikel/1)\n"
               "2 Kamerstuk 19 637, nr. 3018.\n3 Aanhangsel Handelingen, vergaderjaar 2021–2022, nr. 3441\n"
               "4 Zie https://example.org/x\n"
               "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1Antwoord 1\nJa.\nAntwoord 2\nNee.\n")
    q1, q2 = doc.questions
    assert q1.footnotes == (1, 2, 3)
    assert "van 2 januari 2024 en het rapport van TOELT en het verslag" in q1.text
    assert q2.footnotes == (4,) and q2.text.endswith(". Daarna volgt niets.")
    assert [f.reference for f in doc.footnotes] == [None, "kst-19637-3018", "ah-tk-20212022-3441", None]
    assert [a.text for a in doc.answers] == ["Ja.", "Nee."]  # the label glued to the page footer is found
    assert not doc.warnings


def test_cross_references_and_references_in_running_text():
    doc = _doc("Vraag 1\nA?\nVraag 2 en 3\nB? C?\nVraag 4\nD?\nAntwoord 1\nJa.\nAntwoord 2 en 3\n"
               "Zoals ook gesteld in antwoord op\nvraag 1, zie Aanhangsel Handelingen, vergaderjaar 2021–2022, nr. 3441.\n"
               "Antwoord 4\nZie het antwoord op vraag 2 en 3 en de brief van 13 december 2022 (Kamerstuk 19 637, nr. 3018).\n")
    a1, a23, a4 = doc.answers
    assert a23.numbers == (2, 3) and a23.refers_to == (1,)
    assert a4.refers_to == (2, 3)
    targets = {(r.in_, r.kind, r.target) for r in doc.references}
    assert ("answer 2 en 3", "document", "ah-tk-20212022-3441") in targets
    assert ("answer 4", "document", "kst-19637-3018") in targets
    letter = next(r for r in doc.references if "brief" in r.text)
    assert letter.date == "2022-12-13" and letter.text == "de brief van 13 december 2022"


def test_answers_that_answer_nothing_asked_are_reported():
    doc = _doc("Vraag 1\nA?\nAntwoord 1\nJa.\nAntwoord 7\nNee.\n")
    assert any("7" in w.message and "does not ask" in w.message and w.line == 7 for w in doc.warnings)


@pytest.mark.parametrize("text,ref", [
    ("Kamerstuk 19 637, nr. 3018.", "kst-19637-3018"),
    ("Kamerstukken II 2024/25, 19 637, nr. 3308", "kst-19637-3308"),
    ("Kamerstuk 21 501-20, nr. 2018.", "kst-21501-20-2018"),
    ("Kamerstuk 36 410 XII, nr. 12", "kst-36410-XII-12"),  # a Roman chapter of a budget dossier
    ("Kamerstukken II 2022/23, 36 200 VI, nr. 5", "kst-36200-VI-5"),
    ("Kamerstuk 36 200 XVIII, nr. 3", "kst-36200-XVIII-3"),
    ("Aanhangsel Handelingen vergaderjaar 2021–2022, nr. 3441", "ah-tk-20212022-3441"),
    ("(Aanhangsel Handelingen, vergaderjaar 2022–203, nr. 844).", "ah-tk-20222023-844"),
    ("NOS, 22 september 2022, «Titel»", None),
])
def test_parliamentary_references(text, ref):
    assert parliamentary_reference(text) == ref


def test_footnote_description_with_nested_guillemets_and_link_text():
    d = describe("HLN, 24 september 2022, «Russische Minister Lavrov beschuldigt het Westen van ongekende "
                 "«russofobie»» (Russische Minister Lavrov … | Buitenland | hln.be).")
    assert d["publisher"] == "HLN" and d["date"] == "2022-09-24" and d["url"] is None
    assert d["title"] == "Russische Minister Lavrov beschuldigt het Westen van ongekende «russofobie»"


def test_officielebekendmakingen_html_text_layout():
    doc = parse_file(ROOT / "tests/fixtures/layouts/ob-html-kamervragen.txt")
    assert doc.kind == "written-questions-with-answers"
    assert [q.footnotes for q in doc.questions] == [(1,), (2,)]
    assert [f.number for f in doc.footnotes] == [1, 2]
    assert doc.footnotes[0].publisher == "NOS" and doc.footnotes[0].url.startswith("https://nos.nl/artikel/2445552")
    assert doc.footnotes[1].reference == "ah-tk-20212022-3441"
    assert [a.text for a in doc.answers] == ["Ja.", "Ja. Zie ook Kamerstuk 19 637, nr. 3018."]
    assert not doc.warnings


def test_question_document_with_bare_numbers():
    doc = parse_file(ROOT / "tests/fixtures/layouts/kv-bare-numbers.txt")
    assert doc.kind == "written-questions"
    assert doc.identifiers == ("2024Z17972",) and doc.submitted == "2024-11-05"
    assert [(p.name, p.party) for p in doc.submitters] == [("Nordkamp", "GroenLinks-PvdA")]
    assert [q.numbers for q in doc.questions] == [(1,), (2,), (3,)]
    assert doc.questions[0].footnotes == (1,) and doc.questions[0].text.endswith("NEDS NIDV 2024?")
    assert doc.footnotes[0].url == "https://www.nidv.eu/neds/exposanten"


@pytest.mark.parametrize("case", ["2024Z19041", "2023Z20012", "2022Z19999"])
def test_case_numbers_are_not_read_as_a_year_with_a_footnote_marker(case):
    """'2024Z19041' holds '1904' + '1', which looks like a year with marker 1 glued on; a year is never glued
    to a letter before it."""
    text = (ROOT / "tests/fixtures/layouts/kv-bare-numbers.txt").read_text(encoding="utf-8")
    doc = parse_bytes(text.replace("2024Z17972", case, 1).encode(), "kv.txt")
    assert doc.identifiers == (case,) and [f.number for f in doc.footnotes] == [1]


@pytest.mark.parametrize("label", ["VRAAG 1", "Vraag 1:", "Vraag 1.", "vraag 1"])
def test_label_spellings(label):
    doc = _doc(f"{label}\nBent u bekend met het bericht?\nAntwoord 1\nJa.\n")
    assert [q.numbers for q in doc.questions] == [(1,)] and doc.answers[0].text == "Ja."


# --- Kamerstuk page furniture (layout.FOOTER_RE, layout.ID_LINE_RE) ---------------------------------------

@pytest.mark.parametrize("line,printed", [
    ("Tweede Kamer, vergaderjaar 2022–2023, 19 637, nr. 3018 1", "kst-19637-3018"),
    ("Tweede Kamer, vergaderjaar 2022–2023, 21 501-20, nr. 1850 2", "kst-21501-20-1850"),
    ("Tweede Kamer, vergaderjaar 2023–2024, 36 410 XII, nr. 12 3", "kst-36410-XII-12"),
    ("ISSN 0921 - 7371 ’s-Gravenhage 2022 Tweede Kamer, vergaderjaar 2022–2023, 21 501-20, nr. 1850 1",
     "kst-21501-20-1850"),
    ("ISSN 0921 - 7398’s-Gravenhage 2023Tweede Kamer, vergaderjaar 2022–2023, Aanhangsel 1", None),
])
def test_kamerstuk_page_footers(line, printed):
    m = layout.FOOTER_RE.match(line)
    assert m and not line[m.end():].strip()  # the page number belongs to the footer
    assert layout.printed_id(line) == printed


@pytest.mark.parametrize("line,printed", [
    ("kst-19637-3018", "kst-19637-3018"), ("kst-21501-20-1850", "kst-21501-20-1850"),
    ("kst-36410-XII-45", "kst-36410-XII-45"), ("ah-tk-20222023-3649", "ah-tk-20222023-3649"),
    ("ISSN 0921 - 7371", None), ("’s-Gravenhage 2022", None), ("ISSN 0921 - 7371 ’s-Gravenhage 2022", None),
])
def test_id_and_furniture_lines(line, printed):
    assert layout.ID_LINE_RE.match(line)
    assert layout.printed_id(line) == printed


@pytest.mark.parametrize("line", ["kst-tk-19637-3018", "’s-Gravenhage, 4 november 2022", "Den Haag 2022",
                                  "Tweede Kamer, vergaderjaar 2022–2023, over de begroting"])
def test_not_furniture(line):
    assert not layout.ID_LINE_RE.match(line) and not layout.FOOTER_RE.match(line)


def test_furniture_above_a_suffixed_footer_is_not_footnote_text():
    text = ("Dit is de tekst van de brief.1\n\n1 Kamerstuk 21 501-20, nr. 1849\nkst-21501-20-1850\n"
            "ISSN 0921 - 7371 ’s-Gravenhage 2022\n"
            "Tweede Kamer, vergaderjaar 2022–2023, 21 501-20, nr. 1850 1\nVervolg van de brief.\n")
    lay = layout.analyse(text, re.compile(r"(?!)"))
    assert [text[n.start:n.end] for n in lay.footnotes] == ["Kamerstuk 21 501-20, nr. 1849"]
    assert [lay.lines[i].no for i in lay.furniture] == [4, 5, 6]
    assert [lay.lines[i].text for i in lay.body if not lay.lines[i].blank] == [
        "Dit is de tekst van de brief.1", "Vervolg van de brief."]


def test_html_footnote_is_the_one_line_after_its_number():
    """officielebekendmakingen HTML text: one line per paragraph; the paragraph after a footnote is body text."""
    text = ("Zoals ik heb toegezegd in mijn vorige brief aan uw Kamer.1\nX Noot\n1\nKamerstuk 19 637, nr. 3018\n"
            "De IND beoordeelt elke aanvraag afzonderlijk.\nWaar dat nodig is, pas ik het beleid aan.\n")
    lay = layout.analyse(text, re.compile(r"(?!)"))
    assert [(n.number, text[n.start:n.end]) for n in lay.footnotes] == [(1, "Kamerstuk 19 637, nr. 3018")]
    assert [lay.lines[i].no for i in lay.furniture] == [2, 3, 4]
    assert [lay.lines[i].no for i in lay.body if not lay.lines[i].blank] == [1, 5, 6]
    assert [(m.number, m.line) for m in lay.markers] == [(1, 1)]


def test_chaptered_kamerstuk_in_running_text_has_a_whole_span():
    doc = _doc("Vraag 1\nA?\nAntwoord 1\nZie de begroting (Kamerstukken II 2022/23, 36 200 VI, nr. 5).\n")
    ref = next(r for r in doc.references if r.target)
    assert (ref.target, ref.text) == ("kst-36200-VI-5", "Kamerstukken II 2022/23, 36 200 VI, nr. 5")


def test_letter_date_with_a_glued_marker_resolves_through_the_footnote():
    body = ("Vraag 1\nA?\nAntwoord 1\nDat staat in de brief van 13 december 20221 aan uw Kamer.\n"
            "1 Kamerstuk 19 637, nr. 3018\nTweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1\n")
    text = ("Vragen van het lid Test (SP) aan de Minister van Justitie en Veiligheid over een brief "
            "(ingezonden 1 maart 2024).\nAntwoord van Minister Test (Justitie en Veiligheid) (ontvangen 2 april 2024).\n"
            + body)
    doc = parse_bytes(text.encode("utf-8"), "constructed.txt")
    assert doc.answers[0].text == "Dat staat in de brief van 13 december 2022 aan uw Kamer."
    ref = next(r for r in doc.references if "brief" in r.text)
    assert (ref.text, ref.date, ref.target) == ("in de brief van 13 december 2022", "2022-12-13", "kst-19637-3018")
    assert text[ref.span[0]:ref.span[1]] == ref.text  # the span ends at the year, before the marker
