"""The ontology (ontology/dossier.ttl) and the DKG namespace in dossierkg/namespace.py say the same thing:
the same terms, each labelled in Dutch and English, commented and defined by the ontology; and every dkg:
term the build writes is one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from dossierkg.build import build
from dossierkg.namespace import DKG, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "dossier.ttl"
DOSSIER = ROOT / "dossier"
NS = ONTOLOGY_IRI + "#"
ONTOLOGY = URIRef(ONTOLOGY_IRI)
KINDS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}


def in_dkg(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(NS)


def local(term) -> str:
    return str(term)[len(NS):]


def diff(left_name: str, left: set[str], right_name: str, right: set[str]) -> str:
    parts = []
    if left - right:
        parts.append(f"in {left_name} but not in {right_name}: {sorted(left - right)}")
    if right - left:
        parts.append(f"in {right_name} but not in {left_name}: {sorted(right - left)}")
    return "; ".join(parts)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def declared(ontology) -> set[str]:
    """Local names of the dkg: terms the ontology says anything about."""
    return {local(s) for s in ontology.subjects() if in_dkg(s)}


@pytest.fixture(scope="module")
def built_quads(tmp_path_factory) -> list[tuple]:
    out = tmp_path_factory.mktemp("build")
    built = build(DOSSIER, out, validate=False)
    assert not built.failed, [d.source for d in built.failed]
    written = Dataset()
    written.parse(out / "dossier.nq", format="nquads")
    return list(built.quads) + list(written.quads())


def test_ontology_parses_and_describes_itself(ontology):
    assert len(ontology) > 0
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    titles = {t.language for t in ontology.objects(ONTOLOGY, URIRef("http://purl.org/dc/terms/title"))}
    assert {"nl", "en"} <= titles
    assert Literal("0.1.0") in set(ontology.objects(ONTOLOGY, OWL.versionInfo))
    vann = "http://purl.org/vocab/vann/"
    assert Literal("dkg") in set(ontology.objects(ONTOLOGY, URIRef(vann + "preferredNamespacePrefix")))
    assert {str(o) for o in ontology.objects(ONTOLOGY, URIRef(vann + "preferredNamespaceUri"))} == {NS}


def test_every_term_is_labelled_commented_and_defined_by_the_ontology(ontology, declared):
    problems = []
    for name in sorted(declared):
        term = URIRef(NS + name)
        langs = {lbl.language for lbl in ontology.objects(term, RDFS.label) if isinstance(lbl, Literal)}
        missing = {"nl", "en"} - langs
        if missing:
            problems.append(f"dkg:{name}: no rdfs:label in {sorted(missing)}")
        comments = [c for c in ontology.objects(term, RDFS.comment) if isinstance(c, Literal)]
        if not any(c.language == "en" for c in comments):
            problems.append(f"dkg:{name}: no English rdfs:comment")
        if set(ontology.objects(term, RDFS.isDefinedBy)) != {ONTOLOGY}:
            problems.append(f"dkg:{name}: rdfs:isDefinedBy is not <{ONTOLOGY_IRI}>")
    assert not problems, "\n".join(problems)


def test_every_term_is_declared_exactly_once_as_one_kind(ontology, declared):
    problems = []
    for name in sorted(declared):
        term = URIRef(NS + name)
        kinds = set(ontology.objects(term, RDF.type)) & KINDS
        if len(kinds) != 1:
            problems.append(f"dkg:{name}: declared as {sorted(map(str, kinds)) or 'nothing'}")
        if OWL.NamedIndividual in kinds and PROV.Role not in set(ontology.objects(term, RDF.type)):
            problems.append(f"dkg:{name}: a named individual that is not a prov:Role")
    roles = {local(s) for s in ontology.subjects(RDF.type, PROV.Role) if in_dkg(s)}
    assert roles == {"AnsweringRole", "OnBehalfOfRole", "PostponingRole"}
    assert not problems, "\n".join(problems)


def test_ontology_and_namespace_have_the_same_terms(declared):
    in_code = set(DKG.__annotations__)
    assert declared == in_code, diff("ontology/dossier.ttl", declared, "dossierkg.namespace.DKG", in_code)


def test_every_dkg_term_the_build_uses_is_declared(declared, built_quads):
    used = set()
    for s, p, o, _ in built_quads:
        if in_dkg(p):
            used.add(local(p))
        if p == RDF.type and in_dkg(o):
            used.add(local(o))
        if in_dkg(o):  # roles (prov:hadRole dkg:AnsweringRole) and any other term used as a value
            used.add(local(o))
        if in_dkg(s):
            used.add(local(s))
    assert used, "the build wrote no dkg: terms"
    undeclared = used - declared
    assert not undeclared, f"used in the built graph but not declared in ontology/dossier.ttl: {sorted(undeclared)}"


def test_namespace_fails_on_a_typo():
    with pytest.raises(AttributeError):
        DKG.Qeustion  # noqa: B018
    assert DKG.Question == URIRef(NS + "Question")


def test_the_build_uses_properties_as_the_ontology_declares_them(ontology, built_quads):
    """Object properties get IRIs, datatype properties literals of their declared range."""
    xsd_string = URIRef("http://www.w3.org/2001/XMLSchema#string")
    problems = set()
    for s, p, o, _ in built_quads:
        if not in_dkg(p):
            continue
        kinds = set(ontology.objects(p, RDF.type))
        if OWL.ObjectProperty in kinds and not isinstance(o, URIRef):
            problems.add(f"dkg:{local(p)} (object property) has the literal {o!r}")
        if OWL.DatatypeProperty in kinds:
            if not isinstance(o, Literal):
                problems.add(f"dkg:{local(p)} (datatype property) has the resource {o}")
                continue
            ranges = set(ontology.objects(p, RDFS.range))
            datatype = RDF.langString if o.language else (o.datatype or xsd_string)
            if ranges and datatype not in ranges:
                problems.add(f"dkg:{local(p)}: {o!r} is not of range {sorted(map(str, ranges))}")
    assert not problems, "\n".join(sorted(problems))
