"""Forms of real Kamervragen documents the parser once read only one way (the synthetic corpus,
bench/synthetic.py, was shaped around them); each test is a minimal realistic text in the other form."""

from __future__ import annotations

from dossierkg.parse import parse_bytes
from dossierkg.paths import ROOT


def _parse(text: str, name: str = "constructed.txt"):
    return parse_bytes(text.encode("utf-8"), name)


# --- the header sentence broken over lines anywhere ------------------------------------------------------

BARE = (ROOT / "tests/fixtures/layouts/kv-bare-numbers.txt").read_text(encoding="utf-8")
HEADER = ("Vragen van het lid Nordkamp (GroenLinks-PvdA) aan de minister van Defensie over de aanwezigheid van "
          "Israëlische\nwapenbedrijven op de NEDS-beurs (ingezonden 5 november 2024).")


def test_the_bare_question_document_header_breaks_where_the_fixture_does():
    assert HEADER in BARE


def _rebreak(at: str) -> str:
    """The tweedekamer.nl question document with its header broken before or after the word `at`."""
    flat = HEADER.replace("\n", " ")
    return BARE.replace(HEADER, flat.replace(at, at.replace(" ", "\n", 1), 1), 1)


def test_questions_header_broken_next_to_aan_and_over():
    for at in (" aan ", "aan ", " over ", "over ", "Vragen van", " (ingezonden"):
        doc = _parse(_rebreak(at), "kv.txt")
        assert doc.kind == "written-questions", at
        assert doc.submitted == "2024-11-05" and [(p.name, p.party) for p in doc.submitters] == [
            ("Nordkamp", "GroenLinks-PvdA")], at
        assert [p.role for p in doc.addressees] == ["Minister van Defensie"], at
        assert doc.title == "de aanwezigheid van Israëlische wapenbedrijven op de NEDS-beurs", at
        assert not doc.warnings and not doc.errors, at


AANHANGSEL = """Tweede Kamer der Staten-Generaal2
Vergaderjaar 2024–2025 Aanhangsel van de Handelingen
Vragen gesteld door de leden der Kamer, met de daarop door de
regering gegeven antwoorden
593
Vragen van het lid Boomsma (Nieuw Sociaal Contract) aan de Minister van Asiel en Migratie
over het bericht «GGD-arts slaat alarm» (ingezonden 10 oktober 2024).
Antwoord van Minister Faber-Van de Klashorst (Asiel en Migratie) (ontvangen 18 november 2024). Zie
ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 528.
Vraag 1
Heeft u kennisgenomen van het artikel?
Antwoord 1
Ja.
"""


def test_aanhangsel_header_and_see_also_broken_over_lines():
    doc = _parse(AANHANGSEL)
    assert doc.kind == "written-questions-with-answers"
    assert (doc.submitted, doc.answered) == ("2024-10-10", "2024-11-18")
    assert [p.role for p in doc.addressees] == ["Minister van Asiel en Migratie"]
    assert doc.title == "het bericht «GGD-arts slaat alarm»"
    see = [r for r in doc.references if r.in_ == "header"]
    assert [(r.text, r.target) for r in see] == [
        ("Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 528", "ah-tk-20242025-528")]
    text = AANHANGSEL
    assert text[see[0].span[0]:see[0].span[1]].startswith("Zie\nook Aanhangsel")
    for broken in ("Zie ook\nAanhangsel Handelingen, ", "Zie ook Aanhangsel\nHandelingen, ",
                   "Zie ook Aanhangsel Handelingen,\n"):
        other = _parse(text.replace("Zie\nook Aanhangsel Handelingen, ", broken))
        assert [r.target for r in other.references if r.in_ == "header"] == ["ah-tk-20242025-528"], broken
