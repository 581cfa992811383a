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


# --- footnotes and references in a block labelled with a range ('Vraag 2 t/m 4') -------------------------

RANGE = """Vragen van het lid Boomsma (Nieuw Sociaal Contract) aan de Minister van Asiel en Migratie over het
bericht «GGD-arts slaat alarm» (ingezonden 10 oktober 2024).
Antwoord van Minister Faber-Van de Klashorst (Asiel en Migratie) (ontvangen 18 november 2024).
Vraag 1
Heeft u kennisgenomen van het artikel?1
Antwoord 1
Ja.
Vraag 2 t/m 4
Kunt u de brandbrief van de GGD-arts met de Kamer delen?2 Klopt het dat kinderen daar zijn afgevallen?
Kunt u deze vragen één voor één beantwoorden?
Antwoord 2 t/m 4
Voor de beantwoording van de vragen verwijs ik u graag naar mijn brief van 4 november jl.
3 waarin ik een reactie heb gegeven op de opvangsituatie in Assen.
1 RTV Noord, 9 oktober 2024, «GGD-arts slaat alarm» (www.rtvnoord.nl/politiek/1221721/ggd-arts)
2 GGD Drenthe, 8 oktober 2024, «Brandbrief» (https://www.ggddrenthe.nl/brandbrief)
3 Kamerstukken II 2024/25, 19 637, nr. 3308
Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1
"""


def test_footnotes_and_references_of_a_range_block_belong_to_every_number(tmp_path):
    doc = _parse(RANGE)
    assert [(q.numbers, q.footnotes) for q in doc.questions] == [((1,), (1,)), ((2, 3, 4), (2,))]
    assert [(a.numbers, a.footnotes) for a in doc.answers] == [((1,), ()), ((2, 3, 4), (3,))]
    assert [f.markers_in for f in doc.footnotes] == [("question 1",), ("question 2 en 3 en 4",),
                                                     ("answer 2 en 3 en 4",)]
    letter = next(r for r in doc.references if "brief" in r.text)
    assert (letter.in_, letter.target) == ("answer 2 en 3 en 4", "kst-19637-3308")
    assert not doc.warnings

    from dossierkg.build import build_graph, read_sources
    from dossierkg.namespace import CITO, DCTERMS
    (tmp_path / "range.txt").write_text(RANGE, encoding="utf-8")
    graph = build_graph(read_sources(tmp_path))
    citing = {str(s).rsplit("/", 1)[-1]: str(o).rsplit("/", 2)[-2:] for s, p, o, g in graph.quads
              if p == CITO.hasCitingEntity and "/voetnoot/" in str(s)}
    assert citing == {"1": ["vraag", "1"], "2": ["vraag", "2-3-4"], "3": ["antwoord", "2-3-4"]}
    answer = next(str(s) for s, p, o, g in graph.quads if p == DCTERMS.references and str(o).endswith("kst-19637-3308"))
    assert answer.endswith("/antwoord/2-3-4")


# --- the ministry's Word file of a postponement notice naming one member ----------------------------------

WORD_NOTICE = """AH 615
2024Z17538
Mededeling van staatssecretaris Rummenie (Landbouw, Visserij, Voedselzekerheid en Natuur) (ontvangen 20 november 2024)

Op 6 november jl. {verb} {who} schriftelijke vragen gesteld aan de minister van Landbouw, Visserij, Voedselzekerheid en Natuur over de berichten dat Zeeuwse buffels te veel PFAS binnenkrijgen.

Vanwege de nodige afstemming betreffende de beantwoording kunnen de vragen niet binnen de gebruikelijke termijn van drie weken worden beantwoord. Ik zal de Kamer zo spoedig mogelijk de antwoorden op de vragen doen toekomen.
"""


def test_word_notice_of_one_member_and_of_two():
    for verb, who, members in [
            ("heeft", "het lid Bromet (GroenLinks-PvdA)", [("Bromet", "GroenLinks-PvdA")]),
            ("hebben", "de leden Gabriëls en Bromet (beiden GroenLinks-PvdA)",
             [("Gabriëls", "GroenLinks-PvdA"), ("Bromet", "GroenLinks-PvdA")])]:
        doc = _parse(WORD_NOTICE.format(verb=verb, who=who), "notice.txt")
        assert doc.kind == "postponement-notice"
        assert (doc.submitted, doc.postponements) == ("2024-11-06", ("2024-11-20",))
        assert [(p.name, p.party) for p in doc.submitters] == members
        assert [p.role for p in doc.addressees] == ["Minister van Landbouw, Visserij, Voedselzekerheid en Natuur"]
        assert doc.title == "de berichten dat Zeeuwse buffels te veel PFAS binnenkrijgen"
        assert doc.identifiers == ("2024Z17538",) and not doc.warnings


# --- a post whose portfolio holds a comma: letter signatures and openkamer answerers ----------------------

LETTER = (ROOT / "tests/fixtures/letters/kst-19637-3018-style.txt").read_text(encoding="utf-8")


def _letter_from(heading: str, signature: str):
    """The letter fixture sent by another post: its heading and its signature replaced."""
    text = (LETTER.replace("BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID", heading)
            .replace("De Staatssecretaris van Justitie en Veiligheid,\nE. van der Burg", signature))
    return _parse(text, "kst-19637-3018.txt")


def test_letter_signed_by_a_post_with_a_comma():
    doc = _letter_from("BRIEF VAN DE MINISTER VAN ONDERWIJS, CULTUUR EN WETENSCHAP",
                       "De Minister van Onderwijs, Cultuur en Wetenschap,\nR.H. Dijkgraaf")
    assert doc.kind == "letter"
    assert doc.extra["sender"] == {"role": "Minister van Onderwijs, Cultuur en Wetenschap", "name": "R.H. Dijkgraaf"}
    assert doc.sections[-1].text.endswith("informeer ik uw Kamer daarover.")  # the signature is no section text
    assert not doc.warnings


def test_letter_signature_of_the_prime_minister_and_a_sentence_ending_in_a_comma():
    doc = _letter_from("BRIEF VAN DE MINISTER-PRESIDENT, MINISTER VAN ALGEMENE ZAKEN",
                       "De Minister-President, Minister van Algemene Zaken,\nM. Rutte")
    assert doc.extra["sender"] == {"role": "Minister-President", "name": "M. Rutte"}
    from dossierkg.parse.letter import SIGN_ROLE_RE
    assert not SIGN_ROLE_RE.match("De minister heeft in dat verband, na overleg met de provincies,")


OPENKAMER = (ROOT / "dossier/002_c13e7b55d78e5ffc.txt").read_text(encoding="utf-8")


def test_openkamer_answerer_with_a_comma_in_the_portfolio():
    original = ("Beantwoord door Wopke Hoekstra (viceminister-president , minister buitenlandse zaken) (CDA), "
                "Eric van der Burg (staatssecretaris justitie en veiligheid) (VVD)")
    assert original in OPENKAMER
    doc = _parse(OPENKAMER, "002.txt")
    assert [(p.name, p.role) for p in doc.answerers] == [
        ("Wopke Hoekstra", "Minister van Buitenlandse Zaken"),
        ("Eric van der Burg", "Staatssecretaris van Justitie en Veiligheid")]
    doc = _parse(OPENKAMER.replace(original, "Beantwoord door Conny Helder (minister volksgezondheid, welzijn en "
                                             "sport) (VVD), Maarten van Ooijen (staatssecretaris volksgezondheid, "
                                             "welzijn en sport) (ChristenUnie)"), "002.txt")
    assert [(p.name, p.party, p.role) for p in doc.answerers] == [
        ("Conny Helder", "VVD", "Minister van Volksgezondheid, Welzijn en Sport"),
        ("Maarten van Ooijen", "ChristenUnie", "Staatssecretaris van Volksgezondheid, Welzijn en Sport")]


# --- a case number over 19000 written with a space, as the ministry's Word files do ------------------------

WORD_ANSWER = (ROOT / "tests/fixtures/dev-corpus/017_docx-AH617_nordkamp-neds.txt").read_text(encoding="utf-8")


def test_spaced_case_number_is_not_a_year_with_a_footnote_marker():
    assert "\n2024Z 17972\n" in WORD_ANSWER
    for printed, case in [("2024Z 17972", "2024Z17972"), ("2024Z 19041", "2024Z19041"), ("2023Z 20012", "2023Z20012"),
                          ("2024Z19041", "2024Z19041")]:
        doc = _parse(WORD_ANSWER.replace("2024Z 17972", printed, 1), "AH617.txt")
        assert doc.identifiers == (case,), printed
        assert not doc.footnotes and not doc.warnings, printed


# --- running text broken before 'antwoord op vraag 3.' or before a number ----------------------------------

def _qa(body: str):
    head = ("Vragen van het lid Test (SP) aan de Minister van Buitenlandse Zaken over een test "
            "(ingezonden 1 maart 2024).\nAntwoord van Minister Test (Buitenlandse Zaken) (ontvangen 2 april 2024).\n")
    return _parse(head + body)


def test_a_line_of_running_text_that_starts_like_a_lowercase_label():
    doc = _qa("Vraag 1\nHoeveel asielaanvragen zijn er?\nVraag 2\nWat doet u daaraan?\nVraag 3\nEn in Assen?\n"
              "Antwoord 1\nHet waren er 4.000 in 2023.\nAntwoord 2\nDe IND zet extra medewerkers in. Zie ook het\n"
              "antwoord op vraag 1. Het kabinet volgt de ontwikkelingen.\n"
              "Antwoord 3\nVoor Assen verwijs ik naar het antwoord op\nvraag 2.\n")
    assert [a.numbers for a in doc.answers] == [(1,), (2,), (3,)]
    assert doc.answers[1].text == ("De IND zet extra medewerkers in. Zie ook het antwoord op vraag 1. Het kabinet "
                                   "volgt de ontwikkelingen.")
    assert [a.refers_to for a in doc.answers] == [(), (1,), (2,)]
    assert not doc.warnings
    doc = _qa("vraag 1\nHoeveel asielaanvragen zijn er?\nantwoord 1\nHet waren er 4.000.\n")  # lowercase labels
    assert [(b.kind, b.numbers) for b in list(doc.questions) + list(doc.answers)] == [("question", (1,)),
                                                                                      ("answer", (1,))]


def test_a_line_of_running_text_that_starts_with_a_number():
    doc = _qa("Vraag 1\nHeeft u kennisgenomen van het bericht?1\nVraag 2\nHoeveel kinderen verblijven in de "
              "noodopvang?\nAntwoord 1\nJa.\nAntwoord 2\nHet ging om 4.000 kinderen, waarvan\n"
              "2 in Assen. Zoals aangegeven in het antwoord op vraag\n2, volgt het kabinet dit. Sinds de brief van\n"
              "4 november jl.\n2 waarin ik op verzoek van uw Kamer3 reageerde, is dat zo.\n"
              "1 NOS, 2 januari 2024, «Een bericht» (https://nos.nl/artikel/1)\n"
              "2 Kamerstuk 19 637, nr. 3018.\n3 Kamerstuk 19 637, nr. 3019.\n"
              "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1\n")
    answer = doc.answers[1]
    assert "waarvan 2 in Assen. Zoals aangegeven in het antwoord op vraag 2, volgt" in answer.text
    assert "Sinds de brief van 4 november jl. waarin ik op verzoek van uw Kamer reageerde" in answer.text
    assert [f.markers_in for f in doc.footnotes] == [("question 1",), ("answer 2",), ("answer 2",)]
    assert answer.footnotes == (2, 3) and not doc.warnings  # '2' at a line start after 'jl.' is a marker


def test_a_date_broken_before_its_day():
    doc = _parse(AANHANGSEL.replace("(ontvangen 18 november 2024)", "(ontvangen\n18 november 2024)")
                 .replace("(ingezonden 10 oktober 2024)", "(ingezonden\n10 oktober 2024)"))
    assert (doc.submitted, doc.answered) == ("2024-10-10", "2024-11-18")
    doc = _qa("Vraag 1\nWanneer is de brief verstuurd?\nAntwoord 1\nDe brief is op\n"
              "1 maart 2024 verstuurd.1\n1 Kamerstuk 19 637, nr. 3018.\n")
    assert doc.answers[0].text == "De brief is op 1 maart 2024 verstuurd." and doc.answers[0].footnotes == (1,)


# --- an answer citing a postponement notice by its Aanhangsel number ---------------------------------------

def test_a_cited_postponement_notice_is_a_document_not_an_answer_set(tmp_path):
    """An Aanhangsel number is an answer set's, unless it is a postponement notice's (dev-corpus 015, in
    this dossier): then the citing graph types it as a parliamentary document."""
    from dossierkg.build import build_graph, read_sources
    from dossierkg.namespace import RDF

    fixtures = ROOT / "tests/fixtures/dev-corpus"
    notice = next(fixtures.glob("015_*.txt"))
    answer = next(fixtures.glob("013_*.txt")).read_text(encoding="utf-8").replace(
        "Antwoord 1\nJa.", "Antwoord 1\nJa. Zie Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 545 en\n"
        "Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 548.", 1)
    (tmp_path / "answer.txt").write_text(answer, encoding="utf-8")
    def types(folder) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for s, p, o, g in build_graph(read_sources(folder)).quads:
            name = str(s).rsplit("/", 1)[-1]
            if p == RDF.type and name in ("ah-tk-20242025-545", "ah-tk-20242025-548"):
                out.setdefault(name, set()).add(str(o).rsplit("#", 1)[-1])
        return out

    assert types(tmp_path) == {"ah-tk-20242025-545": {"AnswerSet"}, "ah-tk-20242025-548": {"AnswerSet"}}
    (tmp_path / notice.name).write_bytes(notice.read_bytes())
    found = types(tmp_path)
    assert found["ah-tk-20242025-545"] == {"ParliamentaryDocument"}
    assert found["ah-tk-20242025-548"] == {"AnswerSet"}
