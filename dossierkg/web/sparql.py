"""What the endpoint accepts, in which formats it answers, and the writers for capped results.

Checking a query: the text is parsed with rdflib's SPARQL 1.1 grammar (a real parser: a keyword inside a
string literal, an IRI or a comment is not a keyword). A query is refused when it is not a query at all
(SPARQL Update, including LOAD, is parsed with the update grammar to say so), when it contains SERVICE
anywhere (Oxigraph would otherwise make the HTTP call), or when FROM / FROM NAMED name a graph this store
does not hold. Oxigraph then parses and runs the same text.

Results are written here rather than by Oxigraph's serializer because the endpoint stops reading at the
row cap: the first `max_rows` solutions are written in SPARQL 1.1 Query Results JSON, XML, CSV or TSV.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class Refused(Exception):
    """A request the endpoint will not run: `status` is the HTTP status, the message says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# --- checking a query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _walk(node):
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n
            stack.extend(n.values())
        elif isinstance(n, (ParseResults, list, tuple)):
            stack.extend(n)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__


def check_query(text: str, graphs: set[str]) -> Checked:
    """Parse `text` as a SPARQL query and decide whether this read-only endpoint runs it (else Refused)."""
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except Exception as exc:  # pyparsing's ParseException, or anything else the grammar raises
        try:
            parseUpdate(text)
        except Exception:
            raise Refused(400, f"SPARQL syntax error: {_first_line(exc)}") from None
        raise Refused(403, "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD) is not "
                           "allowed: this endpoint is read-only") from None
    prologue, query = parsed[0], parsed[1]
    form = _FORMS.get(query.name)
    if form is None:
        raise Refused(400, f"not a SPARQL query form: {query.name}")
    for node in _walk(query):
        if node.name == "ServiceGraphPattern":
            raise Refused(403, "SERVICE (federated query) is not allowed: this endpoint queries only its own store")
    try:
        resolved = translatePrologue(prologue, None)
        default, named = [], []
        for clause in query["datasetClause"] if "datasetClause" in query else []:
            for kind, iri in clause.items():
                (default if kind == "default" else named).append(str(resolved.absolutize(iri)))
    except Exception as exc:  # an undeclared prefix in FROM
        raise Refused(400, f"SPARQL syntax error: {_first_line(exc)}") from None
    unknown = [g for g in default + named if g not in graphs]
    if unknown:
        raise Refused(403, f"FROM / FROM NAMED <{unknown[0]}>: not a graph of this store; the graphs are listed "
                           "by SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    return Checked(form, tuple(default), tuple(named))


# --- content negotiation ----------------------------------------------------------------------------

# name -> (media type, other media types that select it)
RESULT_FORMATS = {
    "json": ("application/sparql-results+json", ("application/json",)),
    "xml": ("application/sparql-results+xml", ("application/xml", "text/xml")),
    "csv": ("text/csv", ()),
    "tsv": ("text/tab-separated-values", ()),
}
GRAPH_FORMATS = {
    "ttl": ("text/turtle", ("application/x-turtle",)),
    "nt": ("application/n-triples", ("text/plain",)),
    "jsonld": ("application/ld+json", ("application/json",)),
    "rdfxml": ("application/rdf+xml", ("application/xml", "text/xml")),
}
ALIASES = {"turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdf": "rdfxml",
           "html": "html"}
OX_GRAPH = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """[(media range, q)] from an Accept header; no header means */*."""
    out = []
    for part in (header or "*/*").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        out.append((fields[0].lower(), q))
    return out or [("*/*", 1.0)]


def _quality(ranges: list[tuple[str, float]], media: str) -> float:
    """q of the most specific range matching `media` (0 when none does)."""
    best, best_q = -1, 0.0
    major = media.split("/")[0]
    for rng, q in ranges:
        spec = 2 if rng == media else 1 if rng == f"{major}/*" else 0 if rng == "*/*" else -1
        if spec > best:
            best, best_q = spec, q
    return best_q if best >= 0 else 0.0


def negotiate(accept: str | None, offers: dict[str, tuple[str, tuple[str, ...]]]) -> str | None:
    """The offered format name the client prefers (ties go to the order of `offers`), or None."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for name, (media, others) in offers.items():
        q = max(_quality(ranges, m) for m in (media, *others))
        if q > best_q:
            best, best_q = name, q
    return best


def format_override(value: str | None, offers: dict) -> str | None:
    """`?format=csv` (or a media type) chooses the format; Refused when it is not on offer."""
    if not value:
        return None
    v = ALIASES.get(value.lower(), value.lower())
    if v in offers:
        return v
    for name, (media, _others) in offers.items():
        if v == media:
            return name
    raise Refused(406, f"format {value!r} is not available here; use one of: {', '.join(offers)}")


# --- writing capped results -------------------------------------------------------------------------


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": _term_json(t.subject), "predicate": _term_json(t.predicate),
                                            "object": _term_json(t.object)}}
    return {"type": "literal", "value": str(t)}


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_term_xml(t.subject)}</subject><predicate>{_term_xml(t.predicate)}</predicate>"
                f"<object>{_term_xml(t.object)}</object></triple>")
    return f"<literal>{escape(str(t))}</literal>"


def _term_csv(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def write_solutions(fmt: str, variables: list[str], rows: list[list], truncated: bool) -> bytes:
    """SELECT results (rows of terms or None, in the order of `variables`) in SPARQL results format `fmt`."""
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}, "truncated": truncated},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in variables]
        out.append("</head>")
        if truncated:
            out.append("<!-- truncated: more rows than the endpoint's row cap -->")
        out.append("<results>")
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        w.writerows([_term_csv(t) for t in row] for row in rows)
        return buf.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def write_boolean(fmt: str, value: bool) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>").encode()
    if fmt == "csv":
        return f"_askResult\r\n{str(value).lower()}\r\n".encode()
    return f"?_askResult\n{str(value).lower()}\n".encode()


def _iris(t):
    for term in (t.subject, t.predicate, t.object):
        if isinstance(term, ox.NamedNode):
            yield term.value
        elif isinstance(term, ox.Literal):
            yield term.datatype.value
        elif isinstance(term, ox.Triple):
            yield from _iris(term)


def write_triples(fmt: str, triples: list, prefixes: dict[str, str]) -> bytes:
    """Triples in an RDF format; Turtle declares only the prefixes it uses."""
    if fmt != "ttl":
        return ox.serialize(triples, format=OX_GRAPH[fmt])
    iris = {i for t in triples for i in _iris(t)}
    used = {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) and "/" not in i[len(ns):] for i in iris)}
    return ox.serialize(triples, format=OX_GRAPH[fmt], prefixes=used)
