"""Text spans as Web Annotation selectors, and the build's activities in PROV-O."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from functools import lru_cache

from rdflib import Literal, URIRef

from . import __version__
from .iris import Minter
from .namespace import DCTERMS, DKG, OA, PROV, RDF, XSD

CONTEXT = 32  # characters of oa:prefix / oa:suffix


def line_of(text: str, offset: int) -> int:
    """1-based line of a code-point offset (counted in C: quicker than indexing a text's lines for the few
    spans most texts have)."""
    return text.count("\n", 0, offset) + 1


_SPAN_TERMS = (RDF.type, OA.SpecificResource, OA.hasSource, OA.hasSelector, OA.TextPositionSelector, OA.start,
               OA.end, DKG.line, OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix)
_OFFSET, _LINE = XSD.nonNegativeInteger, XSD.positiveInteger
_SOURCES: dict[tuple[str, str], tuple[URIRef, str]] = {}


def _source(minter: Minter, filename: str) -> tuple[URIRef, str]:
    """The IRI of a source file, and what the IRIs of its spans start with (memoised per base and file)."""
    key = (minter.base, filename)
    if key not in _SOURCES:
        _SOURCES[key] = minter.source(filename), str(minter.span(filename, 0, 0)).removesuffix("0-0")
    return _SOURCES[key]


@lru_cache(maxsize=1 << 16)
def number_literal(value: int, datatype: URIRef) -> Literal:
    """An integer literal (offsets and lines recur across the spans of a build)."""
    return Literal(value, datatype=datatype)


def text_literal(text: str, lang: str | None = None) -> Literal:
    """Literal(text, lang=lang) for a str: the same object, made without rdflib's look for a datatype it does
    not have (~10x quicker; every span states three, every question and answer two more). A test compares
    every slot with rdflib's."""
    literal = str.__new__(Literal, text)
    literal._language, literal._datatype, literal._value, literal._ill_typed = lang, None, text, None
    return literal


def _trusted(iri: str) -> URIRef:
    """A URIRef without rdflib's validity check, for a minted IRI followed by digits and a fragment."""
    return str.__new__(URIRef, iri)


def span_triples(minter: Minter, filename: str, text: str, start: int, end: int):
    """The oa:SpecificResource for text[start:end] of a source file, with both selectors."""
    type_, specific, has_source, has_selector, position_selector, start_, end_, line, quote_selector, exact, \
        prefix, suffix = _SPAN_TERMS
    source, stem = _source(minter, filename)
    iri = _trusted(f"{stem}{start}-{end}")
    position, quote = _trusted(f"{iri}#position"), _trusted(f"{iri}#quote")
    return iri, [
        (iri, type_, specific),
        (iri, has_source, source),
        (iri, has_selector, position),
        (iri, has_selector, quote),
        (position, type_, position_selector),
        (position, start_, number_literal(start, _OFFSET)),
        (position, end_, number_literal(end, _OFFSET)),
        (position, line, number_literal(line_of(text, start), _LINE)),
        (quote, type_, quote_selector),
        (quote, exact, text_literal(text[start:end])),
        (quote, prefix, text_literal(text[max(0, start - CONTEXT):start])),
        (quote, suffix, text_literal(text[end:end + CONTEXT])),
    ]


def span_read(text: str, start: int, end: int) -> tuple[int, str]:
    """What span_triples reads of a text for text[start:end]: the line, and the text with its prefix and suffix."""
    return line_of(text, start), text[max(0, start - CONTEXT):end + CONTEXT]


def build_time(sources: list[tuple[str, str, float]]) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the newest source's modification time: rebuilds stay identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    newest = max((m for _, _, m in sources), default=0.0)
    return datetime.fromtimestamp(int(newest), tz=timezone.utc)


def source_triples(minter: Minter, name: str, sha: str) -> list[tuple]:
    """A source file: its name, the sha256 of its bytes, its format."""
    source = minter.source(name)
    return [(source, RDF.type, DKG.SourceFile), (source, RDF.type, PROV.Entity),
            (source, DCTERMS.identifier, Literal(name)), (source, DKG.sha256, Literal(sha)),
            (source, DCTERMS["format"], Literal("text/plain; charset=utf-8"))]


def inputs_key(*parts) -> str:
    """The sha256 (hex) of what an activity of the build is given (`parts`) and this version of dossier-kg."""
    return hashlib.sha256(repr((__version__,) + parts).encode()).hexdigest()


def activity_triples(minter: Minter, key: str, used: list[URIRef], generated: list[URIRef],
                     when: datetime) -> list[tuple]:
    """An activity of the build, its IRI made from `key` (inputs_key of what it was given): what it used, the
    software that ran it and its version, its time, and the graphs it generated. A document's graph states
    the activity that made it from its file; the provenance graph the one that made the graphs across
    documents from the documents' graphs."""
    activity, software = minter.activity(key[:16]), minter.software(__version__)
    time = Literal(when.isoformat(), datatype=XSD.dateTime)
    triples = [
        (activity, RDF.type, PROV.Activity),
        (activity, PROV.wasAssociatedWith, software),
        (activity, PROV.startedAtTime, time),
        (activity, PROV.endedAtTime, time),
        (software, RDF.type, PROV.SoftwareAgent),
        (software, DCTERMS.title, Literal("dossier-kg")),
        (software, DCTERMS.hasVersion, Literal(__version__)),
    ]
    triples += [(activity, PROV.used, entity) for entity in used]
    for graph in generated:
        triples += [(graph, RDF.type, PROV.Entity), (graph, PROV.wasGeneratedBy, activity)]
    return triples
