"""kg build: the dossier graph says what the documents say, with exact spans, deterministically."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from dossierkg.build import build_graph, read_sources
from dossierkg.export import load_quads, parse_back, serialise
from dossierkg.namespace import CITO, DCTERMS, DKG, ELI, OA, ORG, PROV, RDF
from dossierkg.paths import DOSSIER, ROOT
from dossierkg.store import open_store

ID = "https://w3id.org/dossier-kg/id/"
KV = URIRef(ID + "kv-tk-2023Z00468")
AH = URIRef(ID + "ah-tk-20222023-1663")


@pytest.fixture(scope="module")
def built():
    return build_graph(read_sources(DOSSIER), curation=DOSSIER / "instruments.json")


@pytest.fixture(scope="module")
def graph(built) -> Graph:
    g = Graph()
    for s, p, o, _ in built.quads:
        g.add((s, p, o))
    return g


def source_of(graph: Graph, resource) -> set[str]:
    return {str(graph.value(span, OA.hasSource)).rsplit("/", 1)[-1]
            for span in graph.objects(resource, PROV.wasDerivedFrom)}


def test_every_span_quotes_its_source_exactly(built, graph):
    texts = {Path(n).stem: t for n, t in built.texts.items()}
    spans = list(graph.subjects(RDF.type, OA.SpecificResource))
    assert len(spans) > 100
    for span in spans:
        source = str(graph.value(span, OA.hasSource)).rsplit("/", 1)[-1]
        selectors = list(graph.objects(span, OA.hasSelector))
        pos = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        start, end = int(graph.value(pos, OA.start)), int(graph.value(pos, OA.end))
        assert str(graph.value(quote, OA.exact)) == texts[source][start:end], span
        assert end > start


def test_every_extracted_resource_has_a_span(graph):
    extracted = [DKG.Question, DKG.Answer, DKG.Footnote, DKG.InTextReference, DKG.QuestionSet, DKG.AnswerSet,
                 DKG.Person, DKG.Post, DKG.Section, DKG.Advice, DKG.NewsArticle, DKG.PostponementNotice]
    for cls in extracted:
        for r in graph.subjects(RDF.type, cls):
            spans = list(graph.objects(r, PROV.wasDerivedFrom))
            assert spans and all((s, RDF.type, OA.SpecificResource) in graph for s in spans), r


def test_two_renderings_give_one_question_set(graph):
    assert {str(o).rsplit("/", 1)[-1] for o in graph.objects(KV, DKG.renderedIn)} == \
        {"002_c13e7b55d78e5ffc", "003_ab754fb98c3b7ac6"}
    questions = sorted(graph.subjects(DCTERMS.isPartOf, KV))
    assert len(questions) == 7
    for q in questions:
        assert source_of(graph, q) == {"002_c13e7b55d78e5ffc.txt".removesuffix(".txt"), "003_ab754fb98c3b7ac6"}


def test_grouped_answer_is_one_resource_answering_two_questions(graph):
    answers = [a for a in graph.subjects(RDF.type, DKG.Answer)
               if sorted(int(n) for n in graph.objects(a, DKG.number)) == [2, 3]]
    assert len(answers) == 1
    answered = list(graph.objects(answers[0], DKG.answers))
    assert len(answered) == 1 and sorted(int(n) for n in graph.objects(answered[0], DKG.number)) == [2, 3]


def test_one_person_apart_from_the_post_and_mede_namens(graph):
    hoekstra = URIRef(ID + "persoon/wopke-hoekstra")
    assert (hoekstra, RDF.type, DKG.Person) in graph
    post = URIRef(ID + "functie/minister-van-buitenlandse-zaken")
    assert (hoekstra, ORG.holds, post) in graph and (post, ORG.heldBy, hoekstra) in graph
    assert (post, ORG.postIn, URIRef("https://identifier.overheid.nl/tooi/id/ministerie/mnre1013")) in graph
    answer_sets = set(graph.subjects(DKG.answeredBy, hoekstra))
    assert len(answer_sets) == 3  # 000, 001 ("Minister Hoekstra") and 002 ("Wopke Hoekstra")
    behalf = [a for s in answer_sets for a in graph.objects(s, PROV.qualifiedAttribution)
              if (a, PROV.hadRole, DKG.OnBehalfOfRole) in graph]
    assert len(behalf) == 2
    assert {graph.value(a, PROV.agent) for a in behalf} == {URIRef(ID + "functie/staatssecretaris-van-justitie-en-veiligheid")}


def test_a_word_taken_in_with_a_name_does_not_rename_the_person_across_documents():
    """The fullest name seen of a surname names the person in every document, but not one that starts with a
    word no name starts with ('Vragen van hetzelfde lid Van Leeuwen'): an edit of one header would rename
    them everywhere."""
    from dossierkg.records import Document, Person
    from dossierkg.resolve import resolve

    names = ["Yvonne van Leeuwen", "hetzelfde lid Van Leeuwen", "van der Burg", "Hart", "’t Hart"]
    docs = [Document(f"{n}.txt", str(n), submitters=(Person(name=name),)) for n, name in enumerate(names)]
    res = resolve(docs, {d.source: "" for d in docs})
    assert res.person("hetzelfde lid Van Leeuwen") == res.person("Van Leeuwen") == "Yvonne van Leeuwen"
    assert res.person("Van der Burg") == "van der Burg"
    assert res.person("Hart") == "’t Hart"


def test_dates_and_postponement(graph):
    assert graph.value(KV, DCTERMS.dateSubmitted) == Literal("2023-01-18", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert str(graph.value(AH, DKG.dateReceived)) == "2023-02-22"
    notices = list(graph.objects(KV, DKG.postponedBy))
    assert len(notices) == 1 and str(graph.value(notices[0], DKG.datePostponed)) == "2023-02-08"
    assert (notices[0], DKG.postpones, KV) in graph


def test_the_letter_of_13_december_is_one_resource(graph):
    letter = URIRef(ID + "kst-19637-3018")
    assert (letter, RDF.type, DKG.Letter) in graph
    assert str(graph.value(letter, ELI.date_document)) == "2022-12-13"
    citing = set(graph.subjects(CITO.hasCitedEntity, letter))
    kinds = {(graph.value(c, RDF.type) if (c, RDF.type, DKG.Footnote) not in graph else DKG.Footnote) for c in citing}
    assert DKG.Footnote in kinds and DKG.InTextReference in kinds
    by = {graph.value(c, CITO.hasCitingEntity) for c in citing}
    assert URIRef(f"{KV}/vraag/3") in by and URIRef(f"{AH}/antwoord/2") in by


def test_decision_note_is_what_questions_4_5_and_answer_4_refer_to(graph):
    note = next(graph.subjects(RDF.type, DKG.DecisionNote))
    assert "004_90d31d1340ba21e6" in source_of(graph, note)  # and the passages of 002 and 003 that cite it
    assert str(graph.value(note, ELI.date_document)) == "2022-12-12"
    citing = {graph.value(c, CITO.hasCitingEntity) for c in graph.subjects(CITO.hasCitedEntity, note)}
    assert {URIRef(f"{KV}/vraag/4"), URIRef(f"{KV}/vraag/5"), URIRef(f"{AH}/antwoord/4")} <= citing


def test_question_5_quotation_is_linked_to_the_passage_it_quotes(graph, built):
    q5 = URIRef(f"{KV}/vraag/5")
    passages = list(graph.objects(q5, DKG.quotes))
    assert len(passages) == 1
    passage = passages[0]
    assert str(graph.value(passage, OA.hasSource)).endswith("004_90d31d1340ba21e6")
    quoting = list(graph.subjects(PROV.wasQuotedFrom, passage))
    assert quoting and all(graph.value(q, DKG.verbatim).toPython() is True for q in quoting)
    exact = [str(graph.value(s, OA.exact)) for s in graph.objects(passage, OA.hasSelector) if graph.value(s, OA.exact)]
    assert " ".join(exact[0].split()) == ("dat bezwaren tegen mobilisatie, hetzij juridisch hetzij via de alternatieve "
                                          "dienstplicht, uiteindelijk in de praktijk bijna altijd worden ingewilligd.")


def test_footnotes_cite_typed_sources(graph):
    articles = list(graph.subjects(RDF.type, DKG.NewsArticle))
    nos = [a for a in articles if str(graph.value(a, URIRef("https://schema.org/publisher"))).endswith("/media/nos")]
    assert len(nos) == 3  # NOS: 3 distinct articles (002 and 003 share one)


def test_named_graph_per_source_plus_links_reuse_and_provenance(built):
    graphs = {str(g) for *_, g in built.quads}
    reuse = {g for g in graphs if g.startswith(ID + "graaf/hergebruik/")}
    links = {g for g in graphs if g.startswith(ID + "graaf/links/")}
    assert graphs == {ID + "graaf/" + Path(n).stem for n in built.texts} | {ID + "graaf/provenance"} | reuse | links
    # (the curated links, graaf/links, are made of links.csv, which this build was not given)
    assert len(reuse) > 1 and reuse <= {ID + "graaf/hergebruik/" + Path(n).stem for n in built.texts}
    assert len(links) > 1 and links <= {ID + "graaf/links/" + Path(n).stem for n in built.texts}


def test_a_documents_graph_states_its_file_and_the_activity_that_made_the_graph_from_it(built):
    """The file's name, sha256 and format, and the activity that made the graph from the file (what it used,
    the software, its time), are in the graph read from it: they change only with what the graph is made
    from. Each document has its own activity; the provenance graph's activity used the documents' graphs,
    and describes the files that are not documents (instruments.json)."""
    prov = URIRef(ID + "graaf/provenance")
    activities = set()
    for doc in built.documents:
        source, graph = URIRef(ID + "bron/" + Path(doc.source).stem), built.graphs[doc.source]
        assert (source, DKG.sha256, Literal(doc.sha256), graph) in built.quads
        assert (source, RDF.type, DKG.SourceFile, graph) in built.quads
        assert not [q for q in built.quads if q[0] == source and q[3] == prov]
        [activity] = [s for s, p, o, g in built.quads if p == PROV.used and o == source]
        assert (graph, PROV.wasGeneratedBy, activity, graph) in built.quads
        assert (activity, RDF.type, PROV.Activity, graph) in built.quads
        [software] = [o for s, p, o, g in built.quads if s == activity and p == PROV.wasAssociatedWith]
        assert (software, RDF.type, PROV.SoftwareAgent, graph) in built.quads
        assert {p for s, p, o, g in built.quads if s == activity} == \
            {RDF.type, PROV.used, PROV.wasAssociatedWith, PROV.startedAtTime, PROV.endedAtTime}
        assert {g for s, p, o, g in built.quads if activity in (s, o)} == {graph}
        activities.add(activity)
        assert any(q[1] == PROV.used and q[2] == graph and q[3] == prov for q in built.quads)
    assert len(activities) == len(built.documents)
    assert (URIRef(ID + "bron/instruments"), RDF.type, DKG.SourceFile, prov) in built.quads


def test_text_reuse_is_in_graphs_of_its_own_each_stating_the_activity_that_made_it(built):
    """The text reuse graphs say which answers and passages are reused, each pair in the graph of the document
    of its first passage (graaf/hergebruik/<stem>), and each the activity that made it: one of its own, which
    used the graphs of the documents whose passages it names. The provenance graph's activity is not theirs."""
    prov = URIRef(ID + "graaf/provenance")
    typed = {(s, g) for s, p, o, g in built.quads if p == RDF.type and o == DKG.TextReuse}
    reuse = {g for _, g in typed}
    assert len(reuse) > 1 and all(str(g).startswith(ID + "graaf/hergebruik/") for g in reuse)
    for s, g in typed:
        first = [o for s2, p, o, g2 in built.quads if s2 == s and p == PROV.wasDerivedFrom and g2 == g
                 and str(o).startswith(ID + "bron/")]
        stems = {str(o)[len(ID + "bron/"):].split("/")[0] for o in first}
        assert str(g).rsplit("/", 1)[1] == min(stems)  # the document of its first passage (in file order)
    activities = set()
    for g in reuse:
        [activity] = [o for s, p, o, g2 in built.quads if s == g and p == PROV.wasGeneratedBy and g2 == g]
        assert (activity, RDF.type, PROV.Activity, g) in built.quads
        used = {o for s, p, o, g2 in built.quads if s == activity and p == PROV.used}
        named = {str(o)[len(ID + "bron/"):].split("/")[0] for s, p, o, g2 in built.quads
                 if g2 == g and p == PROV.wasDerivedFrom and str(o).startswith(ID + "bron/")}
        assert used == {URIRef(ID + "graaf/" + stem) for stem in named}
        assert {g2 for s, p, o, g2 in built.quads if activity in (s, o)} == {g}
        activities.add(activity)
    assert len(activities) == len(reuse)
    assert not activities & {s for s, p, o, g in built.quads if g == prov}


def test_an_activity_across_documents_is_named_by_what_it_used_and_what_it_made(tmp_path, monkeypatch):
    """A text reuse graph's activity changes when the pairs it states change, and only its own; the provenance
    graph's activity (the curated links) when a file it used changes, not when text reuse does: a document's
    edit changes only the activities of the graphs that name what it moved."""
    import dossierkg.build as build_module

    def activities(links: Path) -> dict:
        built = build_graph(read_sources(DOSSIER), curation=DOSSIER / "instruments.json", links=links)
        return {g: s for s, p, o, g in built.quads if p == RDF.type and o == PROV.Activity
                and ("/graaf/provenance" in str(g) or "/graaf/hergebruik/" in str(g))}

    first = activities(DOSSIER / "links.csv")
    prov = URIRef(ID + "graaf/provenance")
    assert activities(DOSSIER / "links.csv") == first and len(first) > 2
    real = build_module.passage_reuse
    monkeypatch.setattr(build_module, "passage_reuse", lambda *a: real(*a)[1:])  # one passage pair fewer
    fewer = activities(DOSSIER / "links.csv")
    assert fewer[prov] == first[prov] and sum(fewer[g] != first.get(g) for g in fewer) == 1
    monkeypatch.setattr(build_module, "passage_reuse", real)
    links = tmp_path / "links.csv"
    links.write_bytes((DOSSIER / "links.csv").read_bytes() + b"\n")  # the same links, another sha256
    other = activities(links)
    assert other[prov] != first[prov] and {g: a for g, a in other.items() if g != prov} == \
        {g: a for g, a in first.items() if g != prov}


def _dataset(quads) -> Dataset:
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    return ds


@pytest.mark.parametrize("fmt", ["trig", "nq", "ttl", "nt", "jsonld"])
def test_every_export_parses_back_isomorphic(built, fmt):
    data = serialise(built.quads, fmt)
    back = parse_back(data, fmt)
    if fmt in ("ttl", "nt"):
        union = Graph()
        for s, p, o, _ in built.quads:
            union.add((s, p, o))
        got = Graph()
        for t in back.triples((None, None, None)):
            got.add(t)
        assert isomorphic(union, got)
    else:
        expected = _dataset(built.quads)
        for g in {q[3] for q in built.quads}:
            assert isomorphic(expected.graph(g), back.graph(g)), g


def _kg_build(out: Path, seed: str, epoch: str | None) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    subprocess.run([sys.executable, str(ROOT / "kg.py"), "build", "--out", str(out)], env=env, check=True,
                   capture_output=True)


@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_two_builds_are_byte_identical(tmp_path, epoch):
    _kg_build(tmp_path / "a", "1", epoch)
    _kg_build(tmp_path / "b", "987", epoch)
    names = ["dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"]
    for name in names:
        a, b = (tmp_path / "a" / name).read_bytes(), (tmp_path / "b" / name).read_bytes()
        assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest(), name
    if epoch:
        assert b"2023-11-14T22:13:20+00:00" in (tmp_path / "a" / "dossier.trig").read_bytes()


def test_build_conforms_and_summarises(tmp_path):
    result = CliRunner().invoke(kg.cli, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "SHACL: conforms" in result.output and "Question 22" in result.output
    assert (tmp_path / "store").is_dir()
    assert load_quads(tmp_path / "dossier.nq")


STAGES = ["parse", "resolve", "units", "global", "store", "counts", "publish"]


def test_build_timings_say_where_the_time_went_without_changing_the_outputs(tmp_path):
    """`kg build --timings FILE`: seconds of each stage in the order they ran (adding up to the total), CPU
    seconds of each part of the units' work and of the graphs across documents, the span of the store's
    loads; an incremental build patches instead, and a build of nothing new only parses. The outputs are
    those of a build without it."""
    dossier, out, plain = tmp_path / "dossier", tmp_path / "out", tmp_path / "plain"
    shutil.copytree(DOSSIER, dossier)
    timings = tmp_path / "t" / "timings.json"

    def timed_build() -> dict:
        result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out),
                                             "--timings", str(timings)])
        assert result.exit_code == 0, result.output
        return json.loads(timings.read_text())

    full = timed_build()
    assert list(full["stages_s"]) == STAGES
    assert all(v >= 0 for v in full["stages_s"].values())
    assert abs(sum(full["stages_s"].values()) - full["total_s"]) < 0.01
    assert {"units.map", "units.serialise", "units.validate", "units.passages", "units.write", "global.links",
            "global.reuse", "global.validate"} <= set(full["cpu_s"])
    assert full["cpu_s"]["units.validate"] > 0 and full["cpu_s"]["units.map"] > 0
    start, end = full["spans_s"]["store.load"]
    assert full["stages_s"]["parse"] < start < end <= full["total_s"]
    assert set(full["memory_mb"]) == set(STAGES)
    assert CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(plain)]).exit_code == 0
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (out / name).read_bytes() == (plain / name).read_bytes(), name

    answers = dossier / "003_ab754fb98c3b7ac6.txt"
    answers.write_text(answers.read_text(encoding="utf-8").replace(" de ", " het ", 1), encoding="utf-8")
    incremental = timed_build()
    assert list(incremental["stages_s"]) == STAGES
    assert "store.patch" in incremental["cpu_s"] and "store.load" not in incremental["spans_s"]
    assert 0 < incremental["cpu_s"]["units.map"] < full["cpu_s"]["units.map"]  # one document of five mapped

    unchanged = timed_build()
    assert list(unchanged["stages_s"]) == ["parse"] and not unchanged["cpu_s"]


def test_timings_that_cannot_be_written_are_a_usage_error_and_the_build_stays(tmp_path):
    """A folder is refused before building; a path under a file, once the build is written: it is kept."""
    (tmp_path / "t").mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(kg.cli, ["build", "--out", str(out), "--timings", str(tmp_path / "t")])
    assert result.exit_code == 2 and "is a directory" in result.output and not out.exists()
    (tmp_path / "file").write_text("")
    result = CliRunner().invoke(kg.cli, ["build", "--out", str(out), "--timings", str(tmp_path / "file" / "t.json")])
    assert result.exit_code == 2 and "file/t.json: cannot write the timings" in result.output
    assert "SHACL: conforms" in result.output and load_quads(out / "dossier.nq")


def test_a_bad_source_keeps_the_previous_build(tmp_path):
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    out = tmp_path / "out"
    assert CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("dossier.*")}
    (dossier / "005_broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)])
    assert result.exit_code == 3
    assert "005_broken.txt" in result.output and "previous build is kept" in result.output
    assert {p.name: p.read_bytes() for p in out.glob("dossier.*")} == before


@pytest.mark.parametrize("name", ["provenance.txt", "hergebruik.txt", "links.txt"])
def test_a_source_named_as_a_graph_across_documents_is_refused(tmp_path, name):
    """Its graph would be the build's provenance, text reuse or links graph: exit 3, the file named, the
    previous build kept."""
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    out = tmp_path / "out"
    assert CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.glob("dossier.*")}
    shutil.copy(dossier / "003_ab754fb98c3b7ac6.txt", dossier / name)
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)])
    assert result.exit_code == 3
    assert f"error: {name}: its graph would be graaf/{name[:-4]}" in result.output
    assert "previous build is kept" in result.output
    assert {p.name: p.read_bytes() for p in out.glob("dossier.*")} == before


def test_validate_rejects_unreadable_rdf(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> ")
    result = CliRunner().invoke(kg.cli, ["validate", str(bad)])
    assert result.exit_code == 3 and "bad.ttl" in result.output


def test_export_writes_atomically(tmp_path):
    CliRunner().invoke(kg.cli, ["build"])
    out = tmp_path / "graph.nt"
    result = CliRunner().invoke(kg.cli, ["export", "--format", "nt", "--out", str(out)])
    assert result.exit_code == 0
    assert len(out.read_text().splitlines()) > 2000


def test_policy_instruments_with_type_scope_dates_and_legal_basis(graph):
    bvm = URIRef(ID + "instrument/bvm-dienstplichtigen")
    assert (bvm, RDF.type, DKG.PolicyInstrument) in graph
    assert str(graph.value(bvm, DKG.startDate)) == "2022-06-29" and str(graph.value(bvm, DKG.endDate)) == "2022-12-29"
    assert str(graph.value(bvm, DKG.extension)) == "P6M"
    assert "18 tot en met 27 jaar" in str(graph.value(bvm, DKG.scope))
    assert set(graph.objects(bvm, DKG.legalBasis)) == {URIRef(ID + "wet/vw2000/art43"), URIRef(ID + "wet/vw2000/art45-lid4")}
    proposed = URIRef(ID + "instrument/bvm-mobilisatie")
    assert URIRef(ID + "beslisnota-beleidsconsequenties-mobilisatie-rusland/advies/1") in set(
        graph.objects(proposed, DKG.advisedAgainstIn))
    visa = URIRef(ID + "instrument/visumfacilitatie-eu-rusland")
    assert len(list(graph.objects(visa, DKG.mentionedIn))) == 2
    assert len(list(graph.objects(bvm, DKG.mentionedIn))) >= 20


@pytest.mark.parametrize("provision", ["vw2000/art43", "vw2000/art42-lid4-onder-b", "vw2000/art45-lid4",
                                       "vc2000/c2-3-2", "vc2000/c3-2", "wbv/2022-22", "vluchtelingenverdrag/art1f",
                                       "vluchtelingenverdrag/art1a"])
def test_legal_references_at_article_level_with_mentions(graph, provision):
    iri = URIRef(ID + "wet/" + provision)
    assert (iri, RDF.type, DKG.LegalProvision) in graph
    assert graph.value(iri, ELI.is_part_of) is not None
    mentions = list(graph.objects(iri, DKG.mentionedIn))
    assert mentions and all((m, RDF.type, DKG.Mention) in graph for m in mentions)
    if provision == "wbv/2022-22":
        assert len(mentions) == 3


@pytest.mark.parametrize("act", ["schengengrenscode", "visumcode"])
def test_eu_acts_are_mentioned(graph, act):
    assert len(list(graph.objects(URIRef(ID + "wet/" + act), DKG.mentionedIn))) >= 3


def test_curation_that_does_not_match_the_sources_fails_clearly(tmp_path):
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    path = dossier / "instruments.json"
    path.write_text(path.read_text(encoding="utf-8").replace("met een half jaar te verlengen", "met een jaar te verlengen"),
                    encoding="utf-8")
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "bvm-dienstplichtigen" in result.output and "met een jaar te verlengen" in result.output
    assert not (tmp_path / "out" / "dossier.trig").exists()


def test_incremental_build_equals_a_full_build(tmp_path):
    """Unchanged sources are not parsed again (the cache), unchanged graphs not mapped again (their pieces
    are copied from the previous build, the store patched), and the outputs are byte-identical to a build
    from scratch, also after one source changed."""
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    env_epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
    run = lambda out: CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)],
                                         env=env_epoch)
    assert run(tmp_path / "inc").exit_code == 0
    assert (tmp_path / "inc" / ".current" / ".parsed.pickle").is_file()
    path = dossier / "001_226e791fff0d628a.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Ja, ik herinner", "Nee, ik herinner")
                    if "Ja, ik herinner" in path.read_text(encoding="utf-8")
                    else path.read_text(encoding="utf-8").replace("Het is niet aan het kabinet hierover te speculeren.",
                                                                 "Het is niet aan het kabinet hierover te oordelen."),
                    encoding="utf-8")
    result = run(tmp_path / "inc")  # incremental: the other graphs are copied
    assert result.exit_code == 0 and "4 of 5 document graphs unchanged" in result.output, result.output
    assert run(tmp_path / "full").exit_code == 0  # from scratch
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert b"hierover te oordelen" in (tmp_path / "inc" / "dossier.nq").read_bytes()
    inc, full = open_store(tmp_path / "inc"), open_store(tmp_path / "full")  # patched and loaded alike
    assert set(inc) == set(full) and len(inc) == len(full)


def test_the_previous_store_is_copied_while_the_build_resolves_and_what_is_not_patched_is_removed(
        tmp_path, monkeypatch):
    """The copy of the previous store that an incremental build patches is begun before resolution, in a thread
    of its own: it becomes the new generation's store. When too much changed to patch it, it is removed; a
    copy a stopped build left is removed by the next."""
    import dossierkg.build as build_module
    from dossierkg.build import NEXT_STORE
    from dossierkg.store import StoreCopy

    copies = []

    class Recorded(StoreCopy):
        def __init__(self, *args):
            super().__init__(*args)
            copies.append(self)

    def not_again(*args):
        raise AssertionError("the store copied again")

    monkeypatch.setattr(build_module, "StoreCopy", Recorded)
    monkeypatch.setattr(build_module, "copy_store", not_again)
    dossier, run = _dossier_and_kg_build(tmp_path)
    out = tmp_path / "out"
    assert run(out).exit_code == 0 and not copies  # nothing to copy yet
    before = set(open_store(out))
    path = dossier / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    assert run(out).exit_code == 0
    [copy] = copies
    assert copy.done.done()
    assert not (out / NEXT_STORE).exists() and set(open_store(out)) != before  # taken, and patched
    (out / NEXT_STORE).mkdir()  # as a stopped build leaves it
    (out / NEXT_STORE / "000001.sst").write_bytes(b"half")
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out),
                                         "--base", "https://example.org/elders/"])  # every graph changes
    assert result.exit_code == 0, result.output
    assert len(copies) == 2 and "document graphs unchanged" not in result.output
    assert not (out / NEXT_STORE).exists()
    iris = {q.subject.value for q in open_store(out) if isinstance(q.subject, ox.NamedNode)}
    assert any(i.startswith("https://example.org/elders/") for i in iris)  # loaded afresh, not patched
    assert not any(i.startswith("https://w3id.org/dossier-kg/id/") for i in iris)


def _dossier_and_kg_build(tmp_path: Path):
    """A copy of the dossier, and `kg build` of it into a folder (SOURCE_DATE_EPOCH set)."""
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    return dossier, lambda out: CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)],
                                                   env={"SOURCE_DATE_EPOCH": "1700000000"})


@pytest.mark.parametrize("damage", ["truncate", "remove"])
def test_a_previous_build_whose_files_do_not_hold_its_pieces_is_not_copied_from(tmp_path, damage):
    """A previous build's file shorter than its index says (or gone) is not copied from: the build says so,
    makes every graph again, and writes what a build from scratch writes."""
    dossier, run = _dossier_and_kg_build(tmp_path)
    assert run(tmp_path / "inc").exit_code == 0
    trig = (tmp_path / "inc" / "dossier.trig").resolve()
    if damage == "truncate":
        os.truncate(trig, trig.stat().st_size // 2)
    else:
        trig.unlink()
    path = dossier / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    result = run(tmp_path / "inc")
    said = "is shorter than .pieces.json says" if damage == "truncate" else "is missing"
    assert result.exit_code == 0 and f"the previous build's dossier.trig {said}: every graph made again" \
        in result.output, result.output
    assert run(tmp_path / "full").exit_code == 0
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name


@pytest.mark.parametrize("damage", [b"not a pickle", pickle.dumps("a pickle, not a unit")])
def test_a_previous_unit_that_cannot_be_read_is_made_again(tmp_path, damage):
    """The previous build keeps each graph's unit (what the build needs of it across documents) as a pickle of
    its own. One that cannot be read, of a graph that did not change, is made again (its pieces are still
    copied): the build says what a build from scratch says, writes what it writes, and keeps a sound unit."""
    from dossierkg import packed
    from dossierkg.build import UNITS, _unit_pickles, _unpickled_units
    from dossierkg.pieces import Index

    dossier, run = _dossier_and_kg_build(tmp_path)
    assert run(tmp_path / "inc").exit_code == 0
    generation = (tmp_path / "inc" / ".current").resolve()
    _, pickles = packed.read(generation / UNITS)
    note = next(k for k, p in pickles.items() if b"003_" in bytes(p))  # a unit of a document that stays as it is
    packed.write(generation / UNITS, {**pickles, note: damage})
    path = dossier / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    inc = run(tmp_path / "inc")
    full = run(tmp_path / "full")
    assert inc.exit_code == full.exit_code == 0
    assert "incremental: 4 of 5 document graphs unchanged, copied from the previous build" in inc.output
    assert [line for line in inc.output.replace("/inc/", "/full/").splitlines()
            if not line.startswith("incremental")] == full.output.splitlines()
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    kept = _unit_pickles(tmp_path / "inc" / ".current", Index.read(tmp_path / "inc" / ".current"))
    assert _unpickled_units(kept) == _unpickled_units(
        _unit_pickles(tmp_path / "full" / ".current", Index.read(tmp_path / "full" / ".current")))


def test_an_incremental_build_searches_for_reuse_again_only_where_documents_changed(tmp_path, monkeypatch):
    """After one source that reuses text changed and another was taken out, the searches for reuse start from
    what the previous build found and look again only at the changed documents' sets, and paraphrases are
    looked for again only in the documents whose passages or cited documents changed; the outputs are
    byte-identical to a build from scratch, and so are the units it keeps for the next build (those of the
    unchanged graphs are the previous build's pickles, kept as they were)."""
    import pickle

    from dossierkg import passages, reuse
    from dossierkg.build import SEARCHED, _unit_pickles, _unpickled_units, build
    from dossierkg.pieces import Index

    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = tmp_path / "corpus"
    synthetic.make_corpus(60, corpus)
    build(corpus, tmp_path / "inc")
    _, found = pickle.loads((tmp_path / "inc" / ".current" / SEARCHED).read_bytes())
    reusing = sorted({a for a, _ in found["sentences"].pairs} | {b for _, b in found["sentences"].pairs})
    assert reusing and found["answers"].keys
    citing = {source for source, (_, pairs) in found["paraphrases"].items() if pairs}
    assert len(citing) > 5
    changed = corpus / reusing[0][0]
    changed.write_text(changed.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    gone = next(p for p in sorted(corpus.glob("*.txt")) if p.name not in {k[0] for k in reusing})
    gone.unlink()
    again, paraphrased = [], []
    real_again, real_paraphrases = reuse._again, passages._cited_paraphrases
    monkeypatch.setattr(reuse, "_again", lambda *a: again.append(real_again(*a)) or again[-1])
    monkeypatch.setattr(passages, "_cited_paraphrases", lambda source, *a: paraphrased.append(source) or
                        real_paraphrases(source, *a))
    build(corpus, tmp_path / "inc")
    assert len(again) == 2 and all(pairs is not None for pairs in again)  # both searches started from before
    assert set(paraphrased) == {source for source, (cites, _) in found["paraphrases"].items() if source != gone.name
                                and {source, *(c for _, c in cites)} & {changed.name, gone.name}}
    build(corpus, tmp_path / "full")
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert b"TextReuse" in (tmp_path / "full" / "dossier.nq").read_bytes()
    inc_pickles, full_pickles = (_unit_pickles(tmp_path / d / ".current", Index.read(tmp_path / d / ".current"))
                                 for d in ("inc", "full"))
    inc, full = _unpickled_units(inc_pickles), _unpickled_units(full_pickles)
    assert len(inc) > 50 and inc == full and inc_pickles.keys() == full_pickles.keys()
    cited = {c for _, (cites, _) in found["paraphrases"].items() for _, c in cites}
    edited = corpus / sorted(citing - cited - {changed.name})[0]  # a citing document no other cites
    edited.write_text(edited.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    paraphrased.clear()
    build(corpus, tmp_path / "inc")
    assert paraphrased == [edited.name]
    build(corpus, tmp_path / "full")
    assert (tmp_path / "inc" / "dossier.nq").read_bytes() == (tmp_path / "full" / "dossier.nq").read_bytes()


def test_a_graph_across_documents_that_did_not_change_is_not_validated_or_patched_again(tmp_path, monkeypatch):
    """After one source changed (not in a reused passage), the links and text reuse graphs are the same: they
    keep the previous build's results (they are what validating them gives), their pieces are copied, and the
    store patch leaves them alone; the links' and the reuse graph's triples are not even made (their keys say
    they are the same). So is the provenance graph, whose activity is named by what it used and what the
    others state."""
    import dossierkg.build as build_module
    import dossierkg.validate as validate_module
    from dossierkg.links import Links
    from dossierkg.passages import Reuse
    from dossierkg.build import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    first = build(dossier, tmp_path / "out")
    links_graph, prov_graph = URIRef(ID + "graaf/links"), URIRef(ID + "graaf/provenance")
    validated, patched = [], []
    real_validate, real_change, real_counts = validate_module.validate_quads, build_module.store_change, \
        build_module.store_counts
    monkeypatch.setattr(validate_module, "validate_quads",
                        lambda quads, *a, **k: validated.append({q[3] for q in quads}) or real_validate(quads, *a, **k))
    monkeypatch.setattr(build_module, "store_change",
                        lambda old, removed, added: patched.append((removed, added)) or real_change(old, removed, added))
    monkeypatch.setattr(build_module, "store_counts", None)
    real_triples, real_links = Reuse.triples, Links.triples
    monkeypatch.setattr(Reuse, "triples", None)
    monkeypatch.setattr(Links, "triples", None)
    path = dossier / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    second = build(dossier, tmp_path / "out")
    monkeypatch.setattr(build_module, "store_counts", real_counts)
    monkeypatch.setattr(Reuse, "triples", real_triples)
    monkeypatch.setattr(Links, "triples", real_links)
    assert second.reused == 4 and len(patched) == 1
    changed = URIRef(ID + "graaf/002_c13e7b55d78e5ffc")
    assert validated == [{changed}]
    removed, added = patched[0]
    assert {line.rsplit(b" ", 2)[-2] for line in (added + removed).splitlines()} == {f"<{changed}>".encode()}
    fresh = build(dossier, tmp_path / "fresh")
    assert second.counts == fresh.counts  # counted from the patch (store_counts is not called), as from the store
    key = lambda r: (r.graph or "", r.focus, r.path or "", r.message)
    assert sorted(second.report.results, key=key) == sorted(fresh.report.results, key=key)
    across = {URIRef(r.graph) for r in first.report.results if r.graph.startswith((ID + "graaf/hergebruik/",
                                                                                     ID + "graaf/links/"))}
    for graph in (links_graph, *across, prov_graph):
        assert [r for r in second.report.results if r.graph == str(graph)] == \
            [r for r in first.report.results if r.graph == str(graph)]
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name
    assert open_store(tmp_path / "out").query("ASK { GRAPH ?g { ?s ?p ?o } }") and \
        set(open_store(tmp_path / "out")) == set(open_store(tmp_path / "fresh"))


def _graphs_naming(nq: bytes, stem: str) -> dict[str, bool]:
    """Each text reuse and derived links graph of a build's N-Quads, and whether it names a span of the
    document `stem`."""
    out: dict = {}
    for line in nq.splitlines():
        graph = line.rsplit(b" ", 2)[-2].decode()[1:-1]
        if graph.startswith((ID + "graaf/hergebruik/", ID + "graaf/links/")):
            out[graph] = out.get(graph, False) or f"<{ID}bron/{stem}/".encode() in line
    return out


def test_an_edit_that_moves_a_documents_spans_remakes_only_the_graphs_across_documents_that_name_them(
        tmp_path, monkeypatch):
    """Text reuse and derived links are graphs per document (of each pair's first passage; of the document
    that prints the identifier), so an edit that moves the spans after it (a longer word) makes and validates
    again the reuse and links graphs that name the document's spans, not the others; the outputs are those of
    a full build."""
    import dossierkg.build as build_module
    from dossierkg.build import build

    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = tmp_path / "corpus"
    synthetic.make_corpus(60, corpus)
    build(corpus, tmp_path / "inc")
    before = (tmp_path / "inc" / "dossier.nq").read_bytes()
    naming = {p: _graphs_naming(before, p.stem) for p in sorted(corpus.glob("*.txt"))}
    changed = max(naming, key=lambda p: (sum(naming[p].values()), p.name))  # named by the most reuse graphs
    assert 1 < sum(naming[changed].values()) < len(naming[changed]) - 5
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace(" het ", " hetzelfde ", 1), encoding="utf-8")
    made = []
    real_pieces_of = build_module.pieces_of
    monkeypatch.setattr(build_module, "pieces_of", lambda nq, g: made.append(str(g)) or real_pieces_of(nq, g))
    build(corpus, tmp_path / "inc")
    after = _graphs_naming((tmp_path / "inc" / "dossier.nq").read_bytes(), changed.stem)
    remade = {g for g in made if "/graaf/hergebruik/" in g or "/graaf/links/" in g}
    assert remade and remade <= {g for g, names in after.items() if names} | \
        {g for g, names in naming[changed].items() if names}
    assert {g for g in remade if "/graaf/links/" in g} and len(remade) < len(after) - 5
    build(corpus, tmp_path / "full")
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "inc" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name
    assert set(open_store(tmp_path / "inc")) == set(open_store(tmp_path / "full"))


def test_counts_after_a_patch_are_the_previous_counts_with_the_triples_that_left_and_joined(tmp_path):
    import pickle

    from dossierkg.build import STAMP, _counts_after

    parts = ("stamp", (Counter({"Question": 2, "Answer": 1}), 10), (None, [], {}))
    (tmp_path / STAMP).write_bytes(b"".join(map(pickle.dumps, parts)))
    typed = lambda s, c: f"<{ID}{s}> <{RDF.type}> <{DKG._NS}{c}> .\n".encode()
    left = {typed("q1", "Question"), typed("a1", "Answer"), f"<{ID}q1> <{DKG.text}> \"x\" .\n".encode()}
    joined = {typed("q3", "Question"), typed("q3", "Thing").replace(str(DKG._NS).encode(), b"http://example.org/")}
    assert _counts_after(tmp_path, left, joined) == (Counter({"Question": 2}), 9)
    assert _counts_after(tmp_path / "none", left, joined) is None


def test_store_loading_in_the_background_loads_the_ranges_and_raises_what_failed(tmp_path):
    """store.Loading: loads the byte ranges given, in order; a bad range is raised when the context is left,
    unless the caller left it on an error of its own (that error is not masked)."""
    import pyoxigraph as ox
    from dossierkg.store import Loading

    good, bad = tmp_path / "good.nq", tmp_path / "bad.nq"
    good.write_bytes(b"<http://x/s> <http://x/p> <http://x/o> <http://x/g> .\n"
                     b"<http://x/s> <http://x/p> <http://x/o2> <http://x/g> .\n")
    bad.write_bytes(b"<http://x/s> <http://x/p> not-a-term <http://x/g> .\n")
    first = good.read_bytes().index(b"\n") + 1
    store = ox.Store()
    with Loading(store) as loading:
        loading.add(good, 0, first)
        loading.add(good, first, good.stat().st_size)
    assert len(store) == 2
    with pytest.raises(SyntaxError):
        with Loading(ox.Store()) as loading:
            loading.add(bad, 0, bad.stat().st_size)
    with pytest.raises(RuntimeError, match="the build failed"):
        with Loading(ox.Store()) as loading:
            loading.add(bad, 0, bad.stat().st_size)
            raise RuntimeError("the build failed")


def test_store_loading_leaves_the_store_compacted(tmp_path, monkeypatch):
    """Every bulk load writes files of its own for each index; left as they are, a query reads all of them
    (at 10,000 documents: queries 1.5-5x slower). Loading compacts the store after its last load, and says
    when the loads are done (`loaded`, after `no_more`) while the compaction still runs."""
    import pyoxigraph as ox
    from dossierkg import store as store_module

    monkeypatch.setattr(store_module, "BLOCK", 1 << 10)  # a load per kilobyte: dozens of loads
    data = tmp_path / "data.nq"
    data.write_bytes(b"".join(f"<http://x/s{i}> <http://x/p{i % 7}> \"o {i}\" <http://x/g{i % 3}> .\n".encode()
                              for i in range(5000)))

    def tables(compact: bool) -> int:
        path = tmp_path / f"store-{compact}"
        store = ox.Store(str(path))
        if compact:
            with store_module.Loading(store) as loading:
                loading.add(data, 0, data.stat().st_size)
                loading.no_more()
                assert loading.loaded.wait(60)
        else:
            store_module.load(store, data)
        assert len(store) == 5000
        store.flush()
        del store
        return len(list(path.glob("*.sst")))

    loose, compacted = tables(False), tables(True)
    assert compacted <= 11 < loose, (loose, compacted)  # Oxigraph has 11 column families (indexes)


def test_the_new_store_is_counted_through_the_handle_that_loaded_it(tmp_path, monkeypatch):
    """A full build counts its store in the loading thread, after the compaction, through the same handle: a
    second handle, opened while the first still compacts in the background, races RocksDB (which deletes
    files the reader opens: "Corruption"). The counts are what a fresh read of the closed store gives."""
    from dossierkg import build as build_module
    from dossierkg import store as store_module

    threads = []
    real = store_module.counts_of

    def counts_of(store, namespace):
        threads.append(threading.current_thread().name)
        return real(store, namespace)

    monkeypatch.setattr(store_module, "counts_of", counts_of)
    monkeypatch.setattr(build_module, "store_counts", None)  # not called: the counts came with the loads
    built = build_module.build(DOSSIER, tmp_path / "out")
    assert threads == ["store-loading"]
    classes, triples = real(ox.Store.read_only(str(tmp_path / "out" / "store")), str(DKG._NS))
    assert built.counts == (Counter(classes), triples) and triples > 1000 and classes["Question"] > 10
    assert "store.counts" in built.timings.as_dict()["spans_s"]


def test_a_file_is_loaded_in_blocks_of_whole_lines(tmp_path, monkeypatch):
    """store._blocks: a range of a file in blocks that end at line ends, a line longer than a block whole."""
    from dossierkg import store

    monkeypatch.setattr(store, "BLOCK", 64)
    lines = [f"<http://x/s{i}> <http://x/p> \"{'o' * (i * 7 % 90)}\" <http://x/g> .\n".encode() for i in range(40)]
    path = tmp_path / "a.nq"
    path.write_bytes(b"".join(lines))
    start = len(lines[0]) + len(lines[1])
    end = start + sum(len(x) for x in lines[2:30])
    blocks = list(store._blocks(path, start, end))
    assert b"".join(blocks) == b"".join(lines[2:30])
    assert all(b.endswith(b"\n") and (len(b) <= 64 or b.count(b"\n") == 1) for b in blocks)
    assert b"".join(store._blocks(path)) == path.read_bytes()


@pytest.mark.parametrize("settle_from", [1, 10**9], ids=["terms-looked-up-once", "each-triple-looked-up"])
def test_a_patched_store_holds_what_a_fresh_load_holds(tmp_path, monkeypatch, settle_from):
    """store_change and patch_store: a graph rebuilt with a triple changed, a graph gone, a graph new, a triple
    stated in three graphs (one of them unchanged: the triple stays) and one moving between graphs: the named
    graphs and the default graph (their union as a set) end up as if loaded from scratch, whether a term's
    triples are decided by looking the term up once (every quad naming it goes, or none is stored) or each
    triple is looked up."""
    from dossierkg import store as store_module
    from dossierkg.store import copy_store, create_store, patch_store, store_change

    monkeypatch.setattr(store_module, "SETTLE_FROM", settle_from)

    def nq(graph, *triples):
        return "".join(f"<http://x/{s}> <http://x/{p}> <http://x/{o}> <http://x/{graph}> .\n"
                       for s, p, o in triples).encode()

    shared, moving = ("s", "p", "shared"), ("s", "p", "moving")
    a_old, a_new = nq("a", shared, ("s", "p", "1"), moving), nq("a", shared, ("s", "p", "2"))
    b_old, c_new = nq("b", shared, ("t", "p", "only-b")), nq("c", moving, ("u", "p", "only-c"))
    d = nq("d", shared)
    union = lambda data: re.sub(rb" <http://x/[a-d]> \.", b" .", data)
    create_store(tmp_path / "old", a_old + b_old + d, union(a_old + b_old + d))
    copy = copy_store(tmp_path / "old", tmp_path / "patched")
    change = store_change(copy, a_old + b_old, a_new + c_new)
    assert change.left == {b"<http://x/s> <http://x/p> <http://x/1> .\n", b"<http://x/t> <http://x/p> <http://x/only-b> .\n"}
    assert change.joined == {b"<http://x/s> <http://x/p> <http://x/2> .\n", b"<http://x/u> <http://x/p> <http://x/only-c> .\n"}
    patch_store(copy, change)
    del copy
    create_store(tmp_path / "fresh", a_new + c_new + d, union(a_new + c_new + d))
    import pyoxigraph as ox
    patched, fresh = ox.Store.read_only(str(tmp_path / "patched")), ox.Store.read_only(str(tmp_path / "fresh"))
    assert set(patched) == set(fresh) and len(patched) == len(fresh) == 9


@pytest.mark.parametrize("ctx", ["http://example.org/context.jsonld", ["https://schema.org/"],
                                 {"@import": "http://example.org/c.jsonld"}])
def test_jsonld_with_a_remote_context_is_refused_without_network(tmp_path, ctx):
    bad = tmp_path / "remote.jsonld"
    bad.write_text(json.dumps({"@context": ctx, "@id": "http://example.org/x", "name": "x"}))
    result = CliRunner().invoke(kg.cli, ["validate", str(bad)])
    assert result.exit_code == 3 and "remote JSON-LD context" in result.output


def test_the_files_a_build_writes_hold_what_it_built(tmp_path):
    """dossier.nq, .trig and .jsonld are assembled from each graph's pieces and dossier.ttl from the sorted
    union: each reads back as exactly the quads (or, Turtle, the triples) of the graphs built in memory."""
    from dossierkg.build import build
    build(DOSSIER, tmp_path, validate=False)
    in_memory = build_graph(read_sources(DOSSIER), curation=DOSSIER / "instruments.json", links=DOSSIER / "links.csv")
    expected = set(in_memory.quads)
    for name in ("dossier.nq", "dossier.trig", "dossier.jsonld"):
        assert set(load_quads(tmp_path / name)) == expected, name
    union = {(s, p, o) for s, p, o, _ in load_quads(tmp_path / "dossier.ttl")}
    assert union == {(s, p, o) for s, p, o, _ in expected}


@pytest.mark.parametrize("value", ["gewoon", "https://schema.org/ als tekst", 'zie "http://purl.org/dc/terms/x"',
                                   'eindigt op \\', '\\"https://schema.org/"'])
def test_jsonld_pieces_read_back_with_iris_compacted_outside_string_values(value):
    """IRIs are compacted in the bytes; a string value keeps the IRIs it contains, wherever they stand."""
    import pyoxigraph as ox
    from dossierkg.export import JSONLD_HEAD, JSONLD_TAIL, jsonld_piece
    g, s = ox.NamedNode(ID + "graaf/x"), ox.NamedNode(ID + "x")
    quads = [ox.Quad(s, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DKG.Question)), g),
             ox.Quad(s, ox.NamedNode(str(DCTERMS.title)), ox.Literal(value), g),
             ox.Quad(s, ox.NamedNode("https://schema.org/url"), ox.NamedNode("https://schema.org/x"), g)]
    data = JSONLD_HEAD + jsonld_piece(quads) + JSONLD_TAIL
    assert b'"dkg:Question"' in data and b'"schema:url"' in data
    back = {(str(s), str(p), str(o)) for s, p, o, _ in parse_back(data, "jsonld").quads()}
    assert back == {(q.subject.value, q.predicate.value, q.object.value) for q in quads}


def test_the_unit_workers_have_ended_when_the_step_across_documents_starts(tmp_path, monkeypatch):
    """The forked unit workers hold memory; they end with the last unit, not when the build is over."""
    import multiprocessing

    from dossierkg import build as build_module
    from dossierkg import units
    from dossierkg.units import INLINE_BELOW

    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    synthetic.make_corpus(INLINE_BELOW + 12, tmp_path / "corpus")
    seen = []
    global_pieces = build_module._global_pieces

    def watched(*args, **kwargs):
        seen.append(len(multiprocessing.active_children()))
        return global_pieces(*args, **kwargs)

    monkeypatch.setattr(build_module, "_global_pieces", watched)
    started = []
    run_units = build_module.run_units

    def counted(*args, **kwargs):
        for item in run_units(*args, **kwargs):
            started.append(len(multiprocessing.active_children()))
            yield item

    monkeypatch.setattr(build_module, "run_units", counted)
    monkeypatch.setattr(units, "BATCH", 7)  # several batches, each leaving its pieces in files of its own
    built = build_module.build(tmp_path / "corpus", tmp_path / "out")
    assert started and max(started) >= 1  # the units ran in workers
    assert built.timings.cpu["units.validate"] > 0 and built.timings.cpu["units.map"] > 0  # the workers' CPU
    assert seen == [0]
    assert not list((tmp_path / "out").glob(".*/.parts"))  # the workers' files are gone
    monkeypatch.setattr(units, "INLINE_BELOW", 10 ** 6)
    build_module.build(tmp_path / "corpus", tmp_path / "inline")
    for name in ("dossier.trig", "dossier.ttl", "dossier.nq", "dossier.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes(), name


def test_parsing_and_units_leave_no_garbage_in_cycles(tmp_path, monkeypatch):
    """The forked workers run without the cyclic collector (units.forked_pool): that loses nothing only while
    what they do frees all it made by reference counting. Checked on the dossier and a synthetic corpus."""
    import gc

    from dossierkg import build as build_module
    from dossierkg import units
    from dossierkg.iris import Minter
    from dossierkg.validate import shapes_graph

    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    synthetic.make_corpus(40, tmp_path / "corpus")
    for folder in (DOSSIER, tmp_path / "corpus"):
        sources = read_sources(folder)
        minter = Minter(build_module.base_iri(None))
        gc.collect()
        gc.disable()
        try:
            docs = [pickle.loads(build_module._parse_one(s))[0] for s in sources]
            assert gc.collect() == 0
            ctx = build_module.prepare(sources, docs, minter, folder / "instruments.json", folder / "links.csv")
            ctx.shapes = shapes_graph()
            keys = build_module.unit_keys(ctx, "test")
            monkeypatch.setattr(units, "_CTX", ctx)
            monkeypatch.setattr(units, "_PARTS", tmp_path)
            units._run_batch([(i, keys[i]) for i in range(len(ctx.docs))])  # warm: caches and compiled shapes
            gc.collect()
            units._run_batch([(i, keys[i]) for i in range(len(ctx.docs))])
            assert gc.collect() == 0
        finally:
            gc.enable()


def test_a_see_also_in_the_answer_header_is_a_reference_of_the_answer_set(tmp_path):
    """"Zie ook Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 3276." under "Antwoord van …" (a real answer
    set, tests/fixtures/dev-corpus): cited by the answer set, with its phrase and span; the cited number is only
    known to be a document (in a header it is often the postponement notice), and the graph conforms."""
    from dossierkg.validate import validate_quads

    name = "009_ah-tk-20222023-3649_bromet-stalvloer.txt"
    (tmp_path / "d").mkdir()
    shutil.copy(ROOT / "tests/fixtures/dev-corpus" / name, tmp_path / "d" / name)
    built = build_graph(read_sources(tmp_path / "d"))
    g = Graph()
    for s, p, o, _ in built.quads:
        g.add((s, p, o))
    aset, cited = URIRef(ID + "ah-tk-20222023-3649"), URIRef(ID + "ah-tk-20222023-3276")
    refs = [r for r in g.subjects(CITO.hasCitedEntity, cited) if (r, RDF.type, DKG.InTextReference) in g]
    assert len(refs) == 1
    assert g.value(refs[0], CITO.hasCitingEntity) == aset and (aset, RDF.type, DKG.AnswerSet) in g
    assert str(g.value(refs[0], DKG.phrase)) == "Zie ook Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 3276"
    assert (aset, DCTERMS.references, cited) in g
    assert set(g.objects(cited, RDF.type)) == {DKG.ParliamentaryDocument}
    span = g.value(refs[0], PROV.wasDerivedFrom)
    assert built.texts[name][int(g.value(URIRef(f"{span}#position"), OA.start)):
                             int(g.value(URIRef(f"{span}#position"), OA.end))].startswith("Zie ook Aanhangsel")
    assert validate_quads(built.quads).conforms


def test_a_build_from_the_same_inputs_keeps_the_previous_one(tmp_path, monkeypatch):
    """Nothing changed: the previous build is kept as it is (same generation, nothing written) and summarised
    as it was, without resolving the documents or reading the shapes again. A changed source, links file,
    curation file, validation choice or SOURCE_DATE_EPOCH, or a previous build missing a part, builds."""
    import dossierkg.build
    import dossierkg.validate

    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    out = tmp_path / "out"

    def run(epoch="1700000000", *options):
        result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out), *options],
                                    env={"SOURCE_DATE_EPOCH": epoch})
        assert result.exit_code == 0, result.output
        return result.output, os.readlink(out / ".current")

    first, gen = run()
    with monkeypatch.context() as patch:  # a kept build decides before resolution and the shapes
        def refused(*args, **kwargs):
            raise AssertionError("a build of unchanged inputs resolved the documents or read the shapes")
        patch.setattr(dossierkg.build, "prepare", refused)
        patch.setattr(dossierkg.validate, "shapes_graph", refused)
        again, kept = run()
    assert kept == gen and "unchanged: every input is as the previous build had it" in again
    assert [l for l in again.splitlines() if not l.startswith(("unchanged", "kept"))] == \
        [l for l in first.splitlines() if not l.startswith("written")]
    output, unvalidated = run("1700000000", "--no-validate")
    assert unvalidated != gen and "unchanged: every input" not in output
    output, validated = run()
    assert validated != unvalidated and "unchanged: every input" not in output
    curation = dossier / "instruments.json"
    curation.write_text(curation.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    output, curated = run()
    assert curated != validated and "unchanged: every input" not in output
    _, gen = run("1700000001")  # the build activity's time
    assert gen != kept
    links = dossier / "links.csv"
    links.write_text(links.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    output, changed = run("1700000001")
    assert changed != gen and "unchanged: every input" not in output
    shutil.rmtree(out / ".current" / "store")  # a previous build missing its store is not kept
    output, rebuilt = run("1700000001")
    assert rebuilt != changed and "unchanged: every input" not in output and open_store(out) is not None
    (out / "dossier.ttl").unlink()  # a missing link into the kept build is put back
    output, relinked = run("1700000001")
    assert relinked == rebuilt and (out / "dossier.ttl").exists() and "unchanged: every input" in output
    path = dossier / "003_ab754fb98c3b7ac6.txt"
    path.write_bytes(path.read_bytes() + b"\n")
    output, _ = run("1700000001")
    assert "incremental: 4 of 5 document graphs unchanged" in output, output


def test_a_graphs_nquads_are_oxigraphs_for_every_character_a_literal_may_hold():
    """pieces.graph_nquads writes the N-Triples terms itself (quicker than making Oxigraph terms): for each
    control character, quote, backslash, line break and non-ASCII letter, alone and among text, the bytes are
    those Oxigraph writes for the same quads."""
    import pyoxigraph as ox

    from dossierkg.export import to_ox
    from dossierkg.pieces import graph_nquads

    graph, s, p = URIRef(ID + "graaf/t"), URIRef(ID + "s"), URIRef(ID + "p")
    texts = [chr(c) for c in range(0x80)] + [f'a{chr(c)}b"\\\n{chr(c)}' for c in range(0x20)] + \
        ["plain", "é ß — “x” \u2028 \U0001F600", 'tab\tquote"back\\slash\r\nend', "\x7f\x00"]
    xsd = "http://www.w3.org/2001/XMLSchema#"
    triples = [(s, p, Literal(t)) for t in texts] + [(s, p, Literal(t, lang="nl")) for t in texts[:40]] + \
        [(s, p, Literal("3", datatype=URIRef(xsd + "integer"))), (s, p, Literal("x", datatype=URIRef(xsd + "string"))),
         (s, p, Literal("y", lang="NL-be")), (s, p, URIRef(ID + "o")), (s, p, BNode("b1"))]
    quads = [ox.Quad(to_ox(a), to_ox(b), to_ox(c), to_ox(graph)) for a, b, c in triples]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    assert graph_nquads(triples, graph) == b"".join(sorted(set(lines), key=lambda line: line.decode()))
