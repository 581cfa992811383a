"""Deterministic serialisations: quads are sorted before writing, so the same graph gives the same bytes.

Turtle, TriG, N-Quads and N-Triples are written by Oxigraph (fast at scale); JSON-LD by rdflib with the
project's local context (ontology/context.jsonld), then with its nodes and keys sorted.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef

from .namespace import DEFAULT_BASE
from .paths import ONTOLOGY

PREFIXES = {
    "dkg": "https://w3id.org/dossier-kg/def#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "cito": "http://purl.org/spar/cito/",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS,
    "nt": ox.RdfFormat.N_TRIPLES, "jsonld": None,
}


def to_ox(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _key(term) -> tuple:
    return (type(term).__name__, str(term), getattr(term, "datatype", None) and str(term.datatype) or "",
            getattr(term, "language", None) or "")


def sorted_quads(quads) -> list[ox.Quad]:
    """(s, p, o, g) rdflib terms -> Oxigraph quads in a canonical order (graph, subject, predicate, object)."""
    unique = set(quads)
    ordered = sorted(unique, key=lambda q: (str(q[3]), _key(q[0]), str(q[1]), _key(q[2])))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())
            for s, p, o, g in ordered]


def serialise(quads, fmt: str, base: str = DEFAULT_BASE) -> bytes:
    """The named-graph quads in one of: ttl, trig, nq, nt, jsonld (ttl and nt give the union graph)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    prefixes = PREFIXES
    if fmt == "jsonld":
        return _jsonld(quads)
    if fmt in ("ttl", "nt"):
        triples = sorted({(s, p, o) for s, p, o, _ in quads}, key=lambda t: (_key(t[0]), str(t[1]), _key(t[2])))
        oxt = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]
        return _sorted_prefixes(ox.serialize(oxt, format=FORMATS[fmt], prefixes=prefixes if fmt == "ttl" else None))
    return _sorted_prefixes(ox.serialize(sorted_quads(quads), format=FORMATS[fmt],
                                         prefixes=prefixes if fmt == "trig" else None))


def _sorted_prefixes(data: bytes) -> bytes:
    """Oxigraph writes @prefix lines in hash order; sort them so the bytes do not vary between runs."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def context() -> dict:
    return json.loads((ONTOLOGY / "context.jsonld").read_text(encoding="utf-8"))


def _sort_json(value):
    if isinstance(value, dict):
        return {k: _sort_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        items = [_sort_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(quads) -> bytes:
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    ctx = context()
    data = json.loads(ds.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
    data = _sort_json(data)
    if isinstance(data, dict) and "@context" in data:
        data["@context"] = "context.jsonld"
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def parse_back(data: bytes, fmt: str) -> Dataset:
    """Read an export back into an rdflib Dataset (tests compare it with the built graph)."""
    ds = Dataset()
    if fmt == "jsonld":
        doc = json.loads(data)
        doc["@context"] = context()["@context"]
        ds.parse(data=json.dumps(doc), format="json-ld")
    else:
        ds.parse(data=data, format={"ttl": "turtle", "trig": "trig", "nq": "nquads", "nt": "nt"}[fmt])
    return ds


def write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary sibling, then rename them all into place: a crash never leaves a
    half-written file where a reader looks, and the previous output stays until the new one is complete."""
    temps = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            temps.append((tmp, path))
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def graph_of(quads) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


class UnreadableGraph(Exception):
    """An RDF file that does not parse; the message names the file (and line where the parser says)."""


READ_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
                ".json": "json-ld"}


def load_quads(path: Path) -> list[tuple]:
    """Read an RDF file into (s, p, o, g) quads, parsing into a fresh dataset (a failed parse leaves nothing)."""
    fmt = READ_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableGraph(f"{path}: unknown RDF format (use {', '.join(READ_FORMATS)})")
    ds = Dataset(default_union=False)
    try:
        data = path.read_bytes()
        if fmt == "json-ld":
            doc = json.loads(data)
            if doc.get("@context") == "context.jsonld":
                doc["@context"] = context()["@context"]
            data = json.dumps(doc).encode()
        ds.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except (OSError, ValueError, SyntaxError, IndexError, AssertionError, KeyError, TypeError, AttributeError) as exc:
        raise UnreadableGraph(f"{path}: not valid {fmt}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    quads = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if hasattr(g, "identifier") else g
        quads.append((s, p, o, name))
    return quads
