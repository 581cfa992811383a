"""Links into open-government data, each with its evidence.

- Curated links (dossier/links.csv): owl:sameAs only where identity is certain, skos:exactMatch for a
  database record of the same thing, rdfs:seeAlso for a page about it. Every link is also stated as an
  rdf:Statement carrying its evidence (where the identifier was seen) and derived from its line of the CSV.
- Derived links: the officielebekendmakingen page of every kv-tk/ah-tk/kst identifier printed in the
  dossier, and the Tweede Kamer open-data record of every case (zaak) number; their evidence is the span
  where the identifier stands.
- Organisations named in the texts (ontology/organisations.csv, a gazetteer with aliases): each mention a
  span; an organisation with a TOOI identifier is minted with that IRI.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef

from .iris import Minter
from .namespace import DCTERMS, DKG, ORG, OWL, PROV, RDF, RDFS, SKOS
from .provenance import span_triples

RELATIONS = {"owl:sameAs": OWL.sameAs, "skos:exactMatch": SKOS.exactMatch, "skos:closeMatch": SKOS.closeMatch,
             "rdfs:seeAlso": RDFS.seeAlso}
OFFICIAL = re.compile(r"^(?:kv-tk-\d{4}Z\d{5}|ah-tk-\d{8}-\d+|kst-[\w-]+-\d+)$")
ZAAK = re.compile(r"\d{4}Z\d{5}")  # a case number: its Tweede Kamer open-data record
ODATA_ZAAK = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0/Zaak?$filter=Nummer%20eq%20'{}'"


class LinkError(Exception):
    pass


@dataclass(frozen=True)
class Link:
    entity: str
    relation: str
    target: str
    evidence: str
    note: str
    span: tuple[int, int]  # the line in the CSV file


def read_links(path: Path) -> tuple[str, list[Link]]:
    """The curated links with the character span of each CSV line; errors name the file and line."""
    if not path.exists():
        return "", []
    text = path.read_text(encoding="utf-8")
    out, offset = [], 0
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines, 1):
        start, offset = offset, offset + len(line)
        if number == 1 or not line.strip():
            continue
        try:
            row = next(csv.reader(io.StringIO(line)))
            entity, relation, target, evidence, note = (row + [""] * 5)[:5]
        except (csv.Error, StopIteration) as exc:
            raise LinkError(f"{path}:{number}: not a CSV row: {exc}") from None
        if relation not in RELATIONS:
            raise LinkError(f"{path}:{number}: unknown relation {relation!r} (use {', '.join(RELATIONS)})")
        if not re.match(r"^https?://\S+$", target):
            raise LinkError(f"{path}:{number}: target is not an http(s) IRI: {target!r}")
        if not evidence.strip():
            raise LinkError(f"{path}:{number}: a link needs its evidence (where the identifier was seen)")
        out.append(Link(entity.strip(), relation, target.strip(), evidence.strip(), note.strip(),
                        (start, start + len(line.rstrip("\r\n")))))
    return text, out


def _statement(minter: Minter, subject, predicate, obj, evidence: str | None) -> tuple[URIRef, list]:
    key = hashlib.sha256(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]
    st = minter._iri("link/" + key)
    triples = [(subject, predicate, obj), (st, RDF.type, RDF.Statement), (st, RDF.subject, subject),
               (st, RDF.predicate, predicate), (st, RDF.object, obj)]
    if evidence:
        triples.append((st, DCTERMS.source, Literal(evidence)))
    return st, triples


def curated_triples(minter: Minter, path: Path, known: set[URIRef], source_name: str) -> tuple[list, list[str]]:
    """Triples of the curated links whose entity is in the graph (or is an official document identifier)."""
    text, links = read_links(path)
    out, skipped = [], []
    for link in links:
        entity = minter._iri(link.entity)
        if entity not in known:
            if not OFFICIAL.match(link.entity):
                skipped.append(f"{path.name}: {link.entity} is not in the graph; link to {link.target} not made")
                continue
            out += [(entity, RDF.type, DKG.ParliamentaryDocument), (entity, DCTERMS.identifier, Literal(link.entity))]
        span, triples = span_triples(minter, source_name, text, *link.span)
        out += triples
        st, st_triples = _statement(minter, entity, RELATIONS[link.relation], URIRef(link.target), link.evidence)
        out += st_triples + [(st, PROV.wasDerivedFrom, span)]
        if link.note:
            out.append((st, RDFS.comment, Literal(link.note)))
        if entity not in known:
            out.append((entity, PROV.wasDerivedFrom, span))
    return out, skipped


def _linked(ident: str) -> bool:
    """Whether a printed identifier gets a derived link: a document's, or a case (zaak) number."""
    return bool(OFFICIAL.match(ident) or ZAAK.fullmatch(ident))


def derived_triples(minter: Minter, idents: list[tuple], derivations: dict) -> list[tuple]:
    """officielebekendmakingen pages and Tweede Kamer case records for identifiers printed in the dossier:
    `idents` are (resource, identifier) pairs whose identifier is linked (`Links.of`), sorted and distinct;
    `derivations` what each of those resources derives from."""
    out = []
    for resource, ident in idents:
        target = URIRef(f"https://zoek.officielebekendmakingen.nl/{ident}.html" if OFFICIAL.match(ident)
                        else ODATA_ZAAK.format(ident))
        st, triples = _statement(minter, URIRef(resource), RDFS.seeAlso, target, None)
        out += triples
        out += [(st, PROV.wasDerivedFrom, URIRef(d)) for d in sorted(derivations.get(resource, ()))]
    return out


@dataclass
class Links:
    """What the links graph states, before its triples are made: the curated links' triples, and the printed
    identifiers that derived links are made for, as strings: (resource, identifier) pairs, sorted and
    distinct, and what each of those resources derives from. The derived triples follow from these alone
    (`triples`), so `key` tells whether the graph changed without making them."""

    curated: list
    idents: list
    derivations: dict

    @classmethod
    def of(cls, curated: list, idents, derivations: dict) -> "Links":
        linked = sorted({(r, i) for r, i in idents if _linked(i)})
        return cls(curated, linked, {r: sorted(derivations.get(r, ())) for r in sorted({r for r, _ in linked})})

    def __bool__(self) -> bool:
        return bool(self.curated or self.idents)

    def key(self, texts: dict[str, str] | None = None) -> bytes:
        return repr((self.curated, self.idents, self.derivations)).encode()

    def triples(self, minter: Minter, texts: dict[str, str] | None = None) -> list[tuple]:
        return self.curated + derived_triples(minter, self.idents, self.derivations)

    def stems(self, sources: str) -> set[str]:
        """The stems of the files whose spans its derived links name (`sources`: what a file's IRI starts with)."""
        return {d[len(sources):].split("/", 1)[0] for ds in self.derivations.values() for d in ds
                if d.startswith(sources)}


@dataclass(frozen=True)
class Organisation:
    key: str
    label: str
    pattern: re.Pattern
    iri: str | None
    cues: tuple[str, ...] = ()  # the first word of each alias: a text without any of them has no match


def read_organisations(path: Path) -> list[Organisation]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            aliases = sorted(row["aliases"].split("|"), key=len, reverse=True)
            words = [r"[\s\u00a0]+".join(re.escape(w) for w in a.split()) for a in aliases]
            pattern = re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])")
            cues = tuple(sorted({a.split()[0] for a in aliases}))
            out.append(Organisation(row["key"], row["label"], pattern, row["iri"] or None, cues))
    return out


def organisation_triples(minter: Minter, organisations: list[Organisation], source: str, text: str) -> list:
    out = []
    found: dict[int, list] = {}
    present = tuple(k for k, org in enumerate(organisations) if any(cue in text for cue in org.cues))
    for m in _any_organisation(tuple(organisations), present).finditer(text) if present else ():
        found.setdefault(int(m.lastgroup[1:]), []).append(m)  # one pass for all of them
    for k, matches in sorted(found.items()):
        org = organisations[k]
        iri = URIRef(org.iri) if org.iri else minter._iri("organisatie/" + org.key)
        out += [(iri, RDF.type, ORG.FormalOrganization), (iri, SKOS.prefLabel, Literal(org.label, lang="nl"))]
        for m in matches:
            span, triples = span_triples(minter, source, text, m.start(), m.end())
            out += triples + [(span, RDF.type, DKG.Mention), (span, DKG.mentionOf, iri), (iri, DKG.mentionedIn, span),
                              (iri, PROV.wasDerivedFrom, span)]
    return out


@lru_cache(maxsize=256)
def _any_organisation(organisations: tuple, present: tuple[int, ...]) -> re.Pattern:
    """One pattern with a group per organisation present (o0, o1, …: their numbers among all); their aliases do
    not overlap. Leaving out those that cannot match finds the same and runs ~4x faster."""
    return re.compile("|".join(f"(?P<o{k}>{organisations[k].pattern.pattern})" for k in present))


ENTITY_QUERY = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
SELECT DISTINCT ?kind ?entity ?label WHERE {
  VALUES (?class ?kind) { (foaf:Person "person") (dkg:Party "party") (org:FormalOrganization "organisation")
                          (schema:NewsMediaOrganization "news outlet") }
  ?entity a ?class .
  FILTER NOT EXISTS { ?entity a dkg:Party . FILTER (?class != dkg:Party) }
  FILTER (!STRSTARTS(STR(?entity), "https://identifier.overheid.nl/tooi/id/"))
  OPTIONAL { ?entity foaf:name ?name } OPTIONAL { ?entity skos:prefLabel ?pref } OPTIONAL { ?entity schema:name ?sname }
  BIND (COALESCE(?name, ?pref, ?sname, STR(?entity)) AS ?label)
} ORDER BY ?kind ?label"""
"""Persons, parties, organisations and news outlets with a readable label (TOOI organisations left out: their
IRI is already the official one)."""

UNLINKED = """
  FILTER NOT EXISTS { ?entity <http://www.w3.org/2002/07/owl#sameAs>|skos:exactMatch|skos:closeMatch|<http://www.w3.org/2000/01/rdf-schema#seeAlso> ?target }"""


def missing_links(store) -> list[dict]:
    """Persons, parties and organisations in the store without any link (owl:sameAs, skos:*Match, rdfs:seeAlso)."""
    query = ENTITY_QUERY.replace("\n  FILTER (!STRSTARTS", UNLINKED + "\n  FILTER (!STRSTARTS", 1)
    return [{k: str(row[k].value) for k in ("kind", "entity", "label")} for row in store.query(query)]


__all__ = ["LinkError", "Links", "curated_triples", "derived_triples", "organisation_triples",
           "read_organisations", "missing_links"]
