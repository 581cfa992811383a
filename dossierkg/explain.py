"""Explain a resource: every fact about it, the source passages it comes from (file, line, the span in
its sentence) and the activities of the build that made the graphs stating it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .export import PREFIXES
from .parse.decode import decode
from .provenance import line_of
from .store import query_with

LABEL = re.compile(r"^(?P<id>\S+)\s+(?P<kind>vraag|antwoord|question|answer)\s+(?P<n>\d+)$", re.I)
P = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items()) + "\n"


class ExplainError(Exception):
    pass


@dataclass
class Passage:
    file: str
    line: int
    start: int
    end: int
    sentence: str  # the sentence(s) around the span, whitespace normalised
    mark: tuple[int, int]  # the span inside `sentence`
    via: str | None = None  # what the passage supports ("dcterms:references kst-19637-3018")


@dataclass
class Explanation:
    iri: str
    types: list[str]
    facts: list[tuple[str, str, str]] = field(default_factory=list)  # predicate, object, graph
    passages: list[Passage] = field(default_factory=list)
    activities: list[dict[str, str]] = field(default_factory=list)  # graph, activity, software, time


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def resolve_target(store, target: str) -> str:
    """An IRI as given, or a label such as '2023Z00468 antwoord 2' / 'ah-tk-20222023-1663 antwoord 2'."""
    if re.match(r"^https?://", target):
        return target
    m = LABEL.match(target.strip())
    if not m:
        raise ExplainError(f"not an IRI or a label like '2023Z00468 antwoord 2': {target!r}")
    kind = "Answer" if m.group("kind").lower() in ("antwoord", "answer") else "Question"
    query = P + f"""
    SELECT DISTINCT ?id ?n ?block WHERE {{
      {{ ?doc dcterms:identifier ?id }} UNION {{ ?doc dkg:case/dcterms:identifier ?id }}
      {{ BIND (?doc AS ?set) }} UNION {{ ?doc dkg:answerSet ?set }} UNION {{ ?doc dkg:questionSet ?set }}
      ?block dcterms:isPartOf ?set ; a dkg:{kind} ; dkg:number ?n .
    }}"""
    from rdflib import Literal
    from rdflib.namespace import XSD
    values = f"VALUES (?id ?n) {{ ({Literal(m.group('id')).n3()} {Literal(int(m.group('n')), datatype=XSD.integer).n3()}) }}"
    rows = list(store.query(query.replace("WHERE {", "WHERE {\n      " + values, 1)))
    if not rows:
        raise ExplainError(f"no {m.group('kind')} {m.group('n')} in a document identified as {m.group('id')}")
    return rows[0]["block"].value


def sentence_around(text: str, start: int, end: int) -> tuple[str, tuple[int, int]]:
    """The sentence(s) containing text[start:end], whitespace normalised, and where the span is in it."""
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start),
               text.rfind("\n\n", 0, start), text.rfind("\n ", 0, start))
    left = left + 2 if left >= 0 else 0
    right = len(text)
    for m in re.finditer(r"[.?!](?=\s|$)", text[end:end + 600]):
        right = end + m.end()
        break
    before, inside, after = (" ".join(x.split()) for x in (text[left:start], text[start:end], text[end:right]))
    sentence = " ".join(x for x in (before, inside, after) if x)
    sentence = re.sub(r"\s+([.,;:?!])", r"\1", sentence)
    at = sentence.find(inside)
    return sentence, (at, at + len(inside))


def explain(store, target: str, dossier: Path) -> Explanation:
    import pyoxigraph as ox
    iri = resolve_target(store, target)
    node = ox.NamedNode(iri)
    types = sorted({curie(r["t"].value) for r in query_with(store, P + "SELECT ?r ?t WHERE { ?r a ?t }", r=node)})
    if not types:
        raise ExplainError(f"no resource {iri} in the build")
    ex = Explanation(iri, types)
    seen = set()
    for r in query_with(store, P + "SELECT ?r ?p ?o ?g WHERE { GRAPH ?g { ?r ?p ?o } } ORDER BY ?g ?p ?o", r=node):
        fact = (curie(r["p"].value), curie(r["o"].value) if isinstance(r["o"], ox.NamedNode) else r["o"].value,
                r["g"].value.rsplit("/", 1)[-1])
        if fact not in seen:
            seen.add(fact)
            ex.facts.append(fact)
    spans = P + """
    SELECT DISTINCT ?r ?via ?name ?start ?end WHERE {
      { ?r prov:wasDerivedFrom ?span . BIND ("" AS ?via) }
      UNION
      { ?part cito:hasCitingEntity ?r ; prov:wasDerivedFrom ?span .
        OPTIONAL { ?part cito:hasCitedEntity ?cited . OPTIONAL { ?cited dcterms:identifier ?cid } }
        BIND (CONCAT("cites ", COALESCE(?cid, STR(?cited), "(unresolved)")) AS ?via) }
      ?span oa:hasSource/dcterms:identifier ?name ; oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
    } ORDER BY ?via ?name ?start"""
    texts: dict[str, str] = {}
    for r in query_with(store, spans, r=node):
        name, start, end = r["name"].value, int(r["start"].value), int(r["end"].value)
        if name not in texts:
            path = dossier / name
            texts[name] = decode(path.read_bytes()).text if path.exists() else ""
        text = texts[name]
        if not text:
            sentence, mark = "(source file missing)", (0, 0)
        elif r["via"].value:
            sentence, mark = sentence_around(text, start, end)
        else:  # the resource's own passage: as printed, shortened
            sentence = " ".join(text[start:end].split())
            sentence = sentence if len(sentence) <= 400 else sentence[:399] + "…"
            mark = (0, len(sentence))
        ex.passages.append(Passage(name, line_of(text, start) if text else 0, start, end, sentence, mark,
                                   r["via"].value or None))
    made = P + """SELECT DISTINCT ?g ?a ?sw ?t WHERE { GRAPH ?g { ?r ?p ?o } ?g prov:wasGeneratedBy ?a .
                                                     ?a prov:wasAssociatedWith ?sw ; prov:endedAtTime ?t } ORDER BY ?g"""
    ex.activities = [{"graph": r["g"].value.rsplit("/", 1)[-1], "activity": r["a"].value, "software": r["sw"].value,
                      "time": r["t"].value} for r in query_with(store, made, r=node)]
    return ex
