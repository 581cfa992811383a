"""Policy instruments (curated, with evidence) and legal references (recognised) -> triples.

A fact lives in the named graph of the source that states it; every mention is a span typed dkg:Mention.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from .curation import Evidence, Instrument
from .iris import Minter
from .namespace import DKG, ELI, PROV, RDF, RDFS, SKOS, XSD
from .parse.legal import ACTS, find_legal_mentions
from .provenance import span_triples

ACT_LABELS = {a.key: f"{a.names[0]} {a.year}".strip() if a.year and a.key != "wbv" else
              (a.names[0] if a.names else a.key) for a in ACTS}


def _span(minter: Minter, texts: dict[str, str], ev: Evidence) -> tuple[URIRef, list]:
    return span_triples(minter, ev.file, texts[ev.file], *ev.span)


def legal_triples(minter: Minter, source: str, text: str) -> list[tuple]:
    """Acts and provisions named in one source, each mention a span."""
    out: list[tuple] = []
    for m in find_legal_mentions(text):
        act = minter.act(m.act)
        out += [(act, RDF.type, DKG.LegalAct), (act, RDF.type, ELI.LegalResource),
                (act, RDFS.label, Literal(ACT_LABELS.get(m.act, m.act), lang="nl"))]
        target = act
        if m.provision:
            target = minter.provision(m.act, m.provision)
            out += [(target, RDF.type, DKG.LegalProvision), (target, RDF.type, ELI.LegalResourceSubdivision),
                    (target, ELI.is_part_of, act),
                    (target, RDFS.label, Literal(f"{ACT_LABELS.get(m.act, m.act)}, {m.provision}", lang="nl"))]
        span, triples = span_triples(minter, source, text, *m.span)
        out += triples
        out += [(span, RDF.type, DKG.Mention), (span, DKG.mentionOf, target), (target, DKG.mentionedIn, span)]
        out.append((target, PROV.wasDerivedFrom, span))
    return out


def _value(minter: Minter, ins: Instrument, prop: str, value: str | None, doc_ids: dict[str, str],
           ev: Evidence, answer_sets: dict[str, str]):
    if prop in ("startDate", "endDate"):
        return Literal(value, datatype=XSD.date)
    if prop == "extension":
        return Literal(value, datatype=XSD.duration)
    if prop == "scope":
        return Literal(value, lang="nl")
    if prop == "legalBasis":
        act, provision = value.split("/", 1)
        return minter.provision(act, provision)
    if prop == "advisedAgainstIn":
        kind, number = value.split("/", 1)
        if kind == "advies":
            return URIRef(f"{minter.document(doc_ids[ev.file])}/advies/{number}")
        return URIRef(f"{minter.document(answer_sets[ev.file])}/antwoord/{number}")
    return None


def instrument_triples(minter: Minter, concepts: dict, instruments: list[Instrument], texts: dict[str, str],
                       doc_ids: dict[str, str], answer_sets: dict[str, str]) -> dict[str, list[tuple]]:
    """Triples per source file: each fact and mention in the graph of the file it comes from."""
    by_file: dict[str, list[tuple]] = {}
    for ins in instruments:
        iri = minter.instrument(ins.key)
        concept = minter._iri("begrip/" + ins.type)
        labels = concepts.get(ins.type, {})
        head = [(iri, RDF.type, DKG.PolicyInstrument), (iri, SKOS.prefLabel, Literal(ins.label, lang="nl")),
                (iri, DKG.instrumentType, concept), (concept, RDF.type, SKOS.Concept)]
        head += [(concept, SKOS.prefLabel, Literal(v, lang=k)) for k, v in sorted(labels.items())]
        if ins.status:
            head.append((iri, SKOS.note, Literal(ins.status, lang="en")))
        for fact in ins.facts:
            out = by_file.setdefault(fact.evidence.file, [])
            out += head
            span, triples = _span(minter, texts, fact.evidence)
            out += triples
            out.append((iri, PROV.wasDerivedFrom, span))
            prop = getattr(DKG, fact.property) if fact.property != "evidence" else None
            value = _value(minter, ins, fact.property, fact.value, doc_ids, fact.evidence, answer_sets)
            if prop is not None and value is not None:
                out.append((iri, prop, value))
                if fact.property == "legalBasis":
                    out += [(value, RDF.type, DKG.LegalProvision), (value, RDF.type, ELI.LegalResourceSubdivision)]
        for ev in ins.mentions:
            out = by_file.setdefault(ev.file, [])
            out += head
            span, triples = _span(minter, texts, ev)
            out += triples
            out += [(span, RDF.type, DKG.Mention), (span, DKG.mentionOf, iri), (iri, DKG.mentionedIn, span)]
    return by_file


__all__ = ["legal_triples", "instrument_triples"]
