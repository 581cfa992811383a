"""Links into open-government data: every identifier the project knows to be right, each with evidence;
`kg link --missing` for the rest."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

import kg
from dossierkg.build import build_graph, read_sources
from dossierkg.links import LinkError, read_links
from dossierkg.paths import DOSSIER

ID = "https://w3id.org/dossier-kg/id/"
WD = "http://www.wikidata.org/entity/"
TOOI = "https://identifier.overheid.nl/tooi/id/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    built = build_graph(read_sources(DOSSIER), curation=DOSSIER / "instruments.json", links=DOSSIER / "links.csv")
    g = Graph()
    for s, p, o, _ in built.quads:
        g.add((s, p, o))
    return g


def evidence_of(g: Graph, s, p, o) -> list:
    """The rdf:Statement records of a link and what each is derived from or sourced by."""
    out = []
    for st in g.subjects(RDF.subject, s):
        if (st, RDF.predicate, p) in g and (st, RDF.object, o) in g:
            out += list(g.objects(st, PROV.wasDerivedFrom)) + list(g.objects(st, DCTERMS.source))
    return out


LINKS = [
    ("persoon/jasper-van-dijk", OWL.sameAs, WD + "Q2478764"),
    ("persoon/jasper-van-dijk", SKOS.exactMatch,
     "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Persoon(8141d31f-aada-4f96-9363-8f8e6364dbf1)"),
    ("persoon/jasper-van-dijk", RDFS.seeAlso, "https://www.parlement.com/id/vhf419quojxi/"),
    ("persoon/wopke-hoekstra", OWL.sameAs, WD + "Q14520235"),
    ("persoon/wopke-hoekstra", RDFS.seeAlso, "https://www.parlement.com/id/vimafx1q1ozj/"),
    ("partij/sp", OWL.sameAs, WD + "Q849580"),
    ("partij/sp", SKOS.exactMatch,
     "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Fractie(a3689bb6-3914-4d5c-a6a8-42e24582e299)"),
    ("partij/cda", OWL.sameAs, WD + "Q273749"),
    ("partij/vvd", OWL.sameAs, WD + "Q239333"),
    ("organisatie/europese-commissie", OWL.sameAs, WD + "Q8880"),
    ("wet/vw2000", RDFS.seeAlso, "https://wetten.overheid.nl/BWBR0011823"),
    ("wet/vw2000/art43", RDFS.seeAlso, "https://wetten.overheid.nl/jci1.3:c:BWBR0011823&artikel=43"),
    ("wet/vc2000", RDFS.seeAlso, "https://wetten.overheid.nl/BWBR0012288"),
    ("wet/vluchtelingenverdrag", RDFS.seeAlso, "https://wetten.overheid.nl/BWBV0001002"),
    ("wet/schengengrenscode", OWL.sameAs, "http://data.europa.eu/eli/reg/2016/399/oj"),
    ("wet/visumcode", OWL.sameAs, "http://data.europa.eu/eli/reg/2009/810/oj"),
    ("instrument/visumfacilitatie-eu-rusland", RDFS.seeAlso, "http://data.europa.eu/eli/dec/2022/1500/oj"),
    ("instrument/visumfacilitatie-eu-rusland", SKOS.exactMatch,
     "http://publications.europa.eu/resource/celex/22007A0517(01)"),
    ("kst-19637-3018", RDFS.seeAlso, "https://zoek.officielebekendmakingen.nl/kst-19637-3018.html"),
    ("ah-tk-20212022-3441", RDFS.seeAlso, "https://zoek.officielebekendmakingen.nl/ah-tk-20212022-3441.html"),
    ("kst-19637-2909", RDFS.seeAlso, "https://zoek.officielebekendmakingen.nl/kst-19637-2909.html"),
    ("kv-tk-2023Z00468", RDFS.seeAlso, "https://zoek.officielebekendmakingen.nl/kv-tk-2023Z00468.html"),
    ("ah-tk-20222023-1663", RDFS.seeAlso, "https://zoek.officielebekendmakingen.nl/ah-tk-20222023-1663.html"),
    ("zaak/2023Z00468", RDFS.seeAlso,
     "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak?$filter=Nummer%20eq%20'2023Z00468'"),
]


@pytest.mark.parametrize("entity,relation,target", LINKS, ids=lambda x: str(x).rsplit("/", 1)[-1][:30])
def test_known_identifiers_are_linked_with_evidence(graph, entity, relation, target):
    s, o = URIRef(ID + entity), URIRef(target)
    assert (s, relation, o) in graph
    assert evidence_of(graph, s, relation, o), f"{entity} -> {target} has no evidence"


def test_ministries_and_the_tweede_kamer_are_tooi_resources(graph):
    for code in ("ministerie/mnre1013", "ministerie/mnre1058", "oorg/oorg10002"):
        iri = URIRef(TOOI + code)
        assert list(graph.objects(iri, PROV.wasDerivedFrom)), code  # seen in the texts


def test_no_guessed_links_for_entities_without_a_known_identifier(graph):
    for entity in ("persoon/eric-van-der-burg", "persoon/koekkoek", "partij/volt", "organisatie/ind",
                   "organisatie/kmar", "organisatie/dtv", "media/nos"):
        s = URIRef(ID + entity)
        assert (s, None, None) in graph, entity
        assert not list(graph.objects(s, OWL.sameAs)) and not list(graph.objects(s, SKOS.exactMatch))


def test_link_missing_lists_what_has_no_link():
    assert CliRunner().invoke(kg.cli, ["build"]).exit_code == 0
    result = CliRunner().invoke(kg.cli, ["link", "--missing"])
    assert result.exit_code == 0
    for name in ("Eric van der Burg", "Koekkoek", "Volt", "Immigratie- en Naturalisatiedienst",
                 "Koninklijke Marechaussee", "Dienst Terugkeer en Vertrek", "NOS", "Reuters"):
        assert name in result.output
    for linked in ("Jasper van Dijk", "Wopke Hoekstra", " SP ", "Europese Commissie"):
        assert linked not in result.output


def test_a_link_without_evidence_is_refused(tmp_path):
    bad = tmp_path / "links.csv"
    bad.write_text("entity,relation,target,evidence,note\npartij/volt,owl:sameAs,http://www.wikidata.org/entity/Q1,,\n")
    with pytest.raises(LinkError, match="links.csv:2: a link needs its evidence"):
        read_links(bad)


def test_a_broken_links_file_stops_the_build_and_keeps_the_previous_one(tmp_path):
    import shutil
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    (dossier / "links.csv").write_text("entity,relation,target,evidence,note\npartij/volt,sameAs,http://x/,e,\n")
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(tmp_path / "out")])
    assert result.exit_code == 3 and "links.csv:2: unknown relation" in result.output
    assert not (tmp_path / "out" / "dossier.trig").exists()


@pytest.mark.parametrize("text, found", [
    ("De Tweede Kamer der Staten-Generaal en de Tweede\nKamer; de IND, de KMar en DT&V; het COA, de AIVD en "
     "MIVD; UNHCR (VN-Vluchtelingenorganisatie), de NZa en de Europese Commissie. Niet: INDIA, KMarine.", 12),
    # some organisations only, and cues without a match (the pattern then leaves the others out)
    ("De Tweede Kamer vroeg de IND en de Dienst Justis; niet de INDIA-groep of het Tweede Plan.", 2),
    ("Geen enkele organisatie hier.", 0),
])
def test_organisations_are_found_in_one_pass_as_each_pattern_finds_them(text, found):
    """organisation_triples runs one combined pattern of the organisations whose cues are in the text; it finds
    what each organisation's own pattern finds (the aliases of different organisations never match at the
    same place)."""
    from dossierkg.iris import Minter
    from dossierkg.links import organisation_triples, read_organisations
    from dossierkg.paths import ONTOLOGY

    orgs = read_organisations(ONTOLOGY / "organisations.csv")
    minter = Minter()
    got = {(str(s), str(o)) for s, p, o in organisation_triples(minter, orgs, "x.txt", text) if p == DKG_MENTION_OF}
    expected = set()
    for org in orgs:
        iri = org.iri or str(minter._iri("organisatie/" + org.key))
        expected |= {(str(minter.span("x.txt", m.start(), m.end())), iri) for m in org.pattern.finditer(text)}
    assert got == expected and len(expected) == found


DKG_MENTION_OF = URIRef("https://w3id.org/dossier-kg/def#mentionOf")


def test_the_links_key_changes_exactly_when_the_derived_links_do():
    """Links.key stands for the links graph in an incremental build (an unchanged key: the graph is copied, not
    made): over changes to the printed identifiers and derivations, equal keys give equal triples and
    different keys different triples."""
    from dossierkg.iris import Minter
    from dossierkg.links import Links

    minter = Minter(ID)
    a, b = ID + "document/a", ID + "document/b"
    idents = [(a, "kst-36200-V-7"), (b, "2022Z18000"), (b, "not an identifier")]
    derivations = {a: {ID + "span/1"}, b: {ID + "span/2", ID + "span/3"}}
    variants = {
        "as is": (idents, derivations),
        "in another order, one twice": (idents[::-1] + idents[:1], derivations),
        "an identifier that is not linked": (idents + [(a, "foo")], derivations),
        "what an unlinked resource derives from": (idents, {**derivations, ID + "c": {ID + "span/9"}}),
        "an identifier more": (idents + [(a, "ah-tk-20222023-1663")], derivations),
        "an identifier less": (idents[1:], derivations),
        "a derivation more": (idents, {**derivations, a: {ID + "span/1", ID + "span/4"}}),
        "a derivation other": (idents, {**derivations, b: {ID + "span/2", ID + "span/5"}}),
    }
    made = {name: Links.of([], i, d) for name, (i, d) in variants.items()}
    keys = {name: links.key() for name, links in made.items()}
    triples = {name: sorted(links.triples(minter)) for name, links in made.items()}
    for one in variants:
        for other in variants:
            assert (keys[one] == keys[other]) == (triples[one] == triples[other]), (one, other)
    assert len(set(keys.values())) == 5  # the first four state the same
    seen = {(s, o) for s, p, o in triples["as is"] if p == RDFS.seeAlso}
    assert seen == {(URIRef(a), URIRef("https://zoek.officielebekendmakingen.nl/kst-36200-V-7.html")),
                    (URIRef(b), URIRef("https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak?$filter="
                                       "Nummer%20eq%20'2022Z18000'"))}
