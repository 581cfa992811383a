"""The project's own vocabulary and the standard namespaces it reuses.

`DKG` fails on typos (`DefinedNamespace` with `_fail = True`); tests/test_ontology.py checks that these
terms and those declared in ontology/dossier.ttl are the same, each labelled (nl, en) and commented.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/dossier-kg/def"
DEFAULT_BASE = "https://w3id.org/dossier-kg/id/"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("https://schema.org/")
TOOI = Namespace("https://identifier.overheid.nl/tooi/def/ont/")
TOOI_ID = Namespace("https://identifier.overheid.nl/tooi/id/")


class DKG(DefinedNamespace):
    """dossier-kg ontology terms (https://w3id.org/dossier-kg/def#)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # documents
    ParliamentaryDocument: URIRef
    QuestionSet: URIRef
    AnswerSet: URIRef
    PostponementNotice: URIRef
    Letter: URIRef
    DecisionNote: URIRef
    SourceFile: URIRef
    # parts of documents
    Question: URIRef
    Answer: URIRef
    Footnote: URIRef
    InTextReference: URIRef
    Section: URIRef
    Advice: URIRef
    # sources cited
    NewsArticle: URIRef
    NewsOutlet: URIRef
    # actors
    Person: URIRef
    Party: URIRef
    Post: URIRef
    Ministry: URIRef
    # cases, policy and law
    Case: URIRef
    PolicyInstrument: URIRef
    LegalAct: URIRef
    LegalProvision: URIRef
    Mention: URIRef
    TextReuse: URIRef
    # roles in an attribution
    AnsweringRole: URIRef
    OnBehalfOfRole: URIRef
    PostponingRole: URIRef

    # properties
    number: URIRef
    printedLabel: URIRef
    text: URIRef
    answers: URIRef
    refersToAnswer: URIRef
    questionSet: URIRef
    answerSet: URIRef
    postpones: URIRef
    postponedBy: URIRef
    submittedBy: URIRef
    addressedTo: URIRef
    answeredBy: URIRef
    dateReceived: URIRef
    datePostponed: URIRef
    renderedIn: URIRef
    case: URIRef
    phrase: URIRef
    sha256: URIRef
    memberOfParty: URIRef
    holderOf: URIRef
    instrumentType: URIRef
    scope: URIRef
    startDate: URIRef
    endDate: URIRef
    extension: URIRef
    legalBasis: URIRef
    advisedAgainstIn: URIRef
    mentionOf: URIRef
    mentionedIn: URIRef
    quotes: URIRef
    verbatim: URIRef
    similarity: URIRef
    numberLabel: URIRef
    line: URIRef
    reuses: URIRef


__all__ = ["CITO", "DCTERMS", "DEFAULT_BASE", "DKG", "ELI", "ELI_DL", "FOAF", "OA", "ONTOLOGY_IRI", "ORG", "OWL",
           "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "TOOI", "TOOI_ID", "XSD"]


def _materialise(*namespaces) -> None:
    """Make each declared term a plain class attribute, with the value rdflib would give. rdflib resolves every
    attribute of a DefinedNamespace in its metaclass's __getattr__ (a membership test and a new URIRef each
    time); the mapping reads ~300 of them per document. Undeclared names still fail (DKG) as before."""
    for ns in namespaces:
        for name in ns.__annotations__:
            type.__setattr__(ns, name, ns._NS[name])


_materialise(DKG, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD)
