"""Fast SHACL validation: the shapes compiled once into SPARQL queries that answer for every named graph at once.

pySHACL validates one named graph at a time and evaluates each constraint focus node by focus node in Python
(~40 µs per triple; a SPARQL constraint is a query per focus node). Here the shapes graph is compiled once
into SPARQL SELECT queries over an in-memory Oxigraph store holding every named graph: each triple pattern
reads `GRAPH ?fs_g { … }`, so a query finds the results of all graphs in one pass, each graph validated on its
own as `validate.validate_quads` requires. What is compiled (anything else: pySHACL validates that shape):

- targets: sh:targetClass (rdf:type/rdfs:subClassOf* when the data has a subclass axiom), sh:targetSubjectsOf,
  sh:targetObjectsOf, SPARQL targets (sh:target [ sh:select … ]);
- property shapes whose path is an IRI or the inverse of one: sh:minCount, sh:maxCount, sh:datatype, sh:class,
  sh:nodeKind, sh:pattern (sh:flags), sh:minLength, sh:maxLength, sh:minInclusive, sh:maxInclusive, sh:in,
  sh:or of one-class / one-datatype / one-node-kind shapes, sh:equals, sh:lessThanOrEquals, sh:uniqueLang,
  sh:qualifiedValueShape [ sh:class C ] with qualified counts;
- node shapes: sh:nodeKind, sh:or of [ sh:path p ; sh:minCount n ] or [ sh:class C ], sh:sparql.

How it runs:

- Oxigraph evaluates a multi-pattern `GRAPH ?g { … }` graph by graph and joins patterns by look-ups; a join
  of subqueries that each read one pattern is a hash join over one scan, 10-50x faster. So every query is
  written that way, and SPARQL constraints and targets are rewritten into it (`rewrite_select`: each triple
  pattern a subquery, a sequence path a chain of them, EXISTS read in the graph at hand). A SPARQL
  constraint, which pySHACL runs per focus node with $this pre-bound, runs once joined with the focus nodes:
  allowed when its own patterns bind $this in every solution and $this is in no sub-select, MINUS or aggregate
  (then the join gives the rows the pre-binding gives). A query the rewriter does not take runs as written.
- Value checks of one value on its own (datatype, pattern, lengths, ranges, sh:in, node kind, and sh:class /
  sh:or for literals) are made in Python while the data is loaded, with pySHACL's rules on the very rdflib
  terms pySHACL sees: Oxigraph stores typed literals in canonical form ("3"^^xsd:nonNegativeInteger becomes
  "3"^^xsd:integer, "0.950" becomes "0.95"), so it could not tell which literals pySHACL rejects.
- Most queries need no focus nodes: for each path, one query finds the (graph, subject, value) that break a
  class check, a maximum count, sh:equals, sh:lessThanOrEquals or sh:uniqueLang, for every shape on that
  path; the few subjects found (and those of failing values) are then looked up among the focus nodes of the
  shapes concerned. Minimum counts, qualified counts, node-level constraints and SPARQL constraints start
  from the focus nodes.
- Loading: the quads are written as N-Quads in chunks that a thread loads meanwhile (Oxigraph's parser
  releases the GIL); literals no query compares or returns are loaded as stand-ins, one per distinct rdflib
  literal (so counts are pySHACL's), and predicates no query reads are left out. For large data the named
  graphs are shared out between two forked processes.
- A named graph goes to pySHACL when the store cannot hold it faithfully: a term Oxigraph rejects, or, among
  the literals whose values the queries use, two that pySHACL tells apart but the store merges where that
  matters, or one whose lexical form the store changes (or ill-typed) that a SPARQL constraint reads.
  `Outcome.fallback` and `Outcome.unsupported` say what pySHACL validated, and why.

The results are pySHACL's: the same focus node, path, value, severity, source shape, source constraint and
component, and messages (a SPARQL constraint's filled in as pySHACL fills it), per named graph.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from . import collector

# ------------------------------------------------------------------------------------------------ vocabulary

NODE_KINDS = {  # node kind -> (matches an IRI, a blank node, a literal)
    SH.IRI: (True, False, False), SH.BlankNode: (False, True, False), SH.Literal: (False, False, True),
    SH.BlankNodeOrIRI: (True, True, False), SH.BlankNodeOrLiteral: (False, True, True),
    SH.IRIOrLiteral: (True, False, True),
}
COMPONENT = {
    "datatype": SH.DatatypeConstraintComponent, "nodeKind": SH.NodeKindConstraintComponent,
    "class": SH.ClassConstraintComponent, "or": SH.OrConstraintComponent, "pattern": SH.PatternConstraintComponent,
    "minLength": SH.MinLengthConstraintComponent, "maxLength": SH.MaxLengthConstraintComponent,
    "minInclusive": SH.MinInclusiveConstraintComponent, "maxInclusive": SH.MaxInclusiveConstraintComponent,
    "in": SH.InConstraintComponent, "minCount": SH.MinCountConstraintComponent,
    "maxCount": SH.MaxCountConstraintComponent, "equals": SH.EqualsConstraintComponent,
    "lessThanOrEquals": SH.LessThanOrEqualsConstraintComponent, "uniqueLang": SH.UniqueLangConstraintComponent,
    "qualifiedMin": SH.QualifiedMinCountConstraintComponent, "qualifiedMax": SH.QualifiedMaxCountConstraintComponent,
    "sparql": SH.SPARQLConstraintComponent,
}
# Predicates of the sh: namespace a shape may carry without the compiler losing anything.
DESCRIPTIVE = {SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group, SH.deactivated,
               SH.defaultValue}
PROPERTY_PARAMETERS = DESCRIPTIVE | {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags, SH.minLength,
    SH.maxLength, SH.minInclusive, SH.maxInclusive, SH["in"], SH["or"], SH.equals, SH.lessThanOrEquals,
    SH.uniqueLang, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
NODE_PARAMETERS = DESCRIPTIVE | {SH.targetClass, SH.target, SH.targetSubjectsOf, SH.targetObjectsOf, SH.property,
                                 SH.sparql, SH.nodeKind, SH["or"], SH.declare, SH.prefixes}
GRAPH_PREFIX = "urn:x-dossierkg-fastshacl:graph:"
META = "urn:x-dossierkg-fastshacl:"
TYPE = f"<{RDF.type}>"
SUBCLASS_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


LOCAL_CHECKS = {"datatype", "nodeKind", "pattern", "minLength", "maxLength", "minInclusive", "maxInclusive", "in"}


class Unsupported(Exception):
    """A shape (or part of one) the compiler does not translate: pySHACL validates it."""


# ------------------------------------------------------------------------------------------------ pySHACL's value rules

# the terms the value rules compare with, read once (each use of a namespace's attribute costs ~1 µs)
_LITERAL, _DATATYPE, _LANG_STRING, _STRING = RDFS.Literal, RDFS.Datatype, RDF.langString, XSD.string


def _same(a, b) -> bool:
    """rdflib's `a == b` of two terms or None (the same type and text), without calling its __eq__ (Python)."""
    return a is b or (type(a) is type(b) and str.__eq__(a, b))


def _value_string(v) -> str:
    """pySHACL's string of a value node for sh:pattern and the length constraints."""
    if isinstance(v, Literal):
        dt = v.datatype
        if v.value is not None and (dt is None or _same(dt, _LANG_STRING) or _same(dt, _STRING)):
            return str(v.value)
        return str(v)
    return str(v)


_ACTUAL_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
                 XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}


def _actual_datatype(v: Literal, rule) -> bool:
    """pySHACL's DatatypeConstraintComponent._assert_actual_datatype: the Python value rdflib made of the
    literal has the type the datatype stands for (any other datatype passes). Written out, not imported: the
    import of pySHACL took ~0.2 s of every build (tests/test_fastshacl.py compares the two)."""
    kind = _ACTUAL_TYPES.get(rule)
    return kind is None or isinstance(v.value, kind)


def _datatype_ok(v, rule) -> bool:
    """pySHACL's DatatypeConstraintComponent for one value node."""
    if not isinstance(v, Literal):
        return False
    datatype, lang = v.datatype, v.language
    if _same(datatype, rule):
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual_datatype(v, rule)
    if _same(rule, _LITERAL):
        return True
    if _same(rule, _DATATYPE) and datatype:
        return True
    if datatype is None and lang is None and _same(rule, _STRING):
        return _actual_datatype(v, rule)
    if _same(rule, _LANG_STRING) and lang:
        return _actual_datatype(v, rule)
    return False


def _compare_literal(a: Literal, b: Literal) -> int:
    """pySHACL's rdfutil.compare.compare_literal, written out like _actual_datatype: 0, 1 or -1; TypeError
    (or NotImplementedError) for literals that do not compare."""
    if a.eq(b):
        return 0
    if a.value.__class__ in (datetime, time):
        return 0 if a.value == b.value else 1 if a.value > b.value else -1
    return 1 if a > b else -1


def _range_ok(v, bound: Literal, kind: str) -> bool:
    """pySHACL's Min/MaxInclusiveConstraintComponent for one value node."""
    if not isinstance(v, Literal):
        return False
    bound_is_string = isinstance(bound.value, str)
    v_is_string = isinstance(v.value, str)
    if bound_is_string != v_is_string:
        return False
    try:
        cmp = _compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return cmp >= 0 if kind == "minInclusive" else cmp <= 0


def _ltoe_fails(v, w) -> bool:
    """pySHACL's LessThanOrEqualsConstraintComponent for one (value, compared value) pair (blank nodes excluded)."""
    def plain(x):
        if isinstance(x, URIRef):
            return str(x), True
        if isinstance(x, Literal) and isinstance(x.value, str):
            return x.value, True
        return x, False
    a, a_str = plain(v)
    b, b_str = plain(w)
    if a_str != b_str:
        return True
    return not a <= b


@dataclass(eq=False)
class Check:
    """A constraint on each value node on its own: a result per failing value node."""

    kind: str  # datatype | nodeKind | class | or | pattern | minLength | maxLength | minInclusive | maxInclusive | in
    param: object
    members: tuple = ()  # sh:or: (kind, param) per member shape

    @property
    def component(self) -> URIRef:
        return COMPONENT[self.kind]

    def value_ok(self, v) -> bool:
        """The check on a value node that is a literal, an IRI or a blank node, as pySHACL makes it; sh:class (and
        sh:or of classes) only for literals (which are never instances)."""
        k, p = self.kind, self.param
        if k == "datatype":
            return _datatype_ok(v, p)
        if k == "nodeKind":
            iri, blank, literal = NODE_KINDS[p]
            return literal if isinstance(v, Literal) else blank if isinstance(v, BNode) else iri
        if k == "class":
            if isinstance(v, Literal):
                return False
            raise AssertionError("sh:class of a resource is checked in the store")
        if k == "or":
            if not isinstance(v, Literal):
                raise AssertionError("sh:or of a resource is checked in the store")
            return any(Check(mk, mp).value_ok(v) for mk, mp in self.members if mk != "class")
        if k == "pattern":
            if isinstance(v, BNode):
                return False
            s = _value_string(v)
            return bool(p.match(s) or p.search(s))
        if k in ("minLength", "maxLength"):
            if k == "minLength" and p == 0:
                return True
            if isinstance(v, BNode):
                return False
            n = len(_value_string(v))
            return n >= p if k == "minLength" else n <= p
        if k in ("minInclusive", "maxInclusive"):
            return _range_ok(v, p, k)
        if k == "in":
            return v in p
        raise AssertionError(k)

    def resource_condition(self, v: str, class_path: str) -> str:
        """A SPARQL expression, true when the check may fail for the IRI or blank node `v` (the string
        constraints of an IRI are then checked in Python: python_for_resources)."""
        k, p = self.kind, self.param
        if k == "datatype" or k in ("minInclusive", "maxInclusive"):
            return "true"
        if k == "nodeKind":
            iri, blank, _ = NODE_KINDS[p]
            ok = [f"isIRI({v})"] * iri + [f"isBlank({v})"] * blank
            return f"!({' || '.join(ok)})" if ok else "true"
        if k == "class":
            return f"NOT EXISTS {{ {v} {class_path} <{p}> }}"
        if k == "or":
            ok = []
            for mk, mp in self.members:
                if mk == "class":
                    ok.append(f"EXISTS {{ {v} {class_path} <{mp}> }}")
                elif mk == "nodeKind":
                    iri, blank, _ = NODE_KINDS[mp]
                    ok += [f"isIRI({v})"] * iri + [f"isBlank({v})"] * blank
            return f"!({' || '.join(ok)})" if ok else "true"
        if k == "in":
            terms = [t for t in p if not isinstance(t, Literal)]
            return f"!({' || '.join(f'sameTerm({v}, {_sparql_term(t)})' for t in terms)})" if terms else "true"
        if k in ("pattern", "minLength", "maxLength"):
            return f"(isBlank({v}) || isIRI({v}))" if not (k == "minLength" and p == 0) else "false"
        raise AssertionError(k)

    @property
    def python_for_resources(self) -> bool:
        return self.kind in ("pattern", "minLength", "maxLength")


def _sparql_term(t) -> str:
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, BNode):
        raise Unsupported("blank node in a constraint parameter")
    return t.n3()


# ------------------------------------------------------------------------------------------------ the compiled shapes

@dataclass
class SparqlConstraint:
    node: object
    select: str
    prefixes: dict
    variables: list  # projected, in order (this, value, path, …)
    messages: list
    predicates: frozenset  # IRIs it mentions (an over-approximation of the predicates it reads)
    datatype_sensitive: bool


@dataclass(eq=False)
class Shape:
    node: object
    index: int
    severity: URIRef
    messages: list
    path: object = None  # property shapes: the sh:path node
    predicate: URIRef | None = None
    inverse: bool = False
    checks: list = field(default_factory=list)
    min_count: int | None = None
    max_count: int | None = None
    equals: list = field(default_factory=list)
    less_or_equal: list = field(default_factory=list)
    unique_lang: bool = False
    qualified: list = field(default_factory=list)  # (class, min, max)
    # node shapes
    classes: list = field(default_factory=list)
    subjects_of: list = field(default_factory=list)
    objects_of: list = field(default_factory=list)
    target_selects: list = field(default_factory=list)  # (select text, prefixes)
    target_reads: list = field(default_factory=list)  # the IRIs each mentions ("*": a variable predicate)
    properties: list = field(default_factory=list)
    node_kind: URIRef | None = None
    node_or: list = field(default_factory=list)  # list of alternatives: each a list of (kind, param)
    sparql: list = field(default_factory=list)

    @property
    def sparql_path(self) -> str:
        return f"^<{self.predicate}>" if self.inverse else f"<{self.predicate}>"


@dataclass
class Program:
    node_shapes: list
    property_shapes: list
    unsupported: dict  # node shape -> reason
    shapes: Graph
    checks_by_predicate: dict  # predicate IRI (str) -> [(property shape index, check index)]
    literal_predicates: dict  # predicate IRI (str) -> index, for the predicates a literal check reads
    guarded: list  # (name, predicates, datatype sensitive, kind): where merged/changed literals would matter
    parents: dict = field(default_factory=dict)  # property shape index -> node shapes that have it
    resource_checks: dict = field(default_factory=dict)  # predicate -> (fail for any IRI, any blank node, per IRI)
    read: frozenset | None = None  # the predicates any query reads (None: all)
    valued: frozenset | None = None  # the predicates whose literal values queries use (None: all); the others'
    # literals are loaded as stand-ins ("<id>"^^<…literal>), one per distinct rdflib literal


def _one(g: Graph, s, p):
    values = list(g.objects(s, p))
    if len(values) > 1:
        raise Unsupported(f"more than one {p}")
    return values[0] if values else None


def _int(node) -> int:
    if not isinstance(node, Literal) or not isinstance(node.value, int) or isinstance(node.value, bool):
        raise Unsupported("not an integer")
    return int(node.value)


def _check_keys(g: Graph, node, allowed: set) -> None:
    for p in set(g.predicates(node, None)):
        if str(p).startswith(str(SH)) and p not in allowed:
            raise Unsupported(f"{p.n3(g.namespace_manager)} is not compiled")
    deactivated = _one(g, node, SH.deactivated)
    if deactivated is not None and not (isinstance(deactivated, Literal) and deactivated.value is False):
        raise Unsupported("sh:deactivated")


def _prefixes(g: Graph, node) -> dict:
    out = {}
    for ontology in g.objects(node, SH.prefixes):
        for d in g.objects(ontology, SH.declare):
            prefix, ns = g.value(d, SH.prefix), g.value(d, SH.namespace)
            if prefix is None or ns is None:
                raise Unsupported("incomplete sh:declare")
            out[str(prefix)] = str(ns)
    return out


def _member(g: Graph, node) -> tuple:
    """A member of an sh:or or a qualified value shape: one class, datatype or node kind."""
    keys = {p for p in g.predicates(node, None) if p != RDF.type}
    if keys == {SH["class"]}:
        return "class", _one(g, node, SH["class"])
    if keys == {SH.datatype}:
        return "datatype", _one(g, node, SH.datatype)
    if keys == {SH.nodeKind}:
        kind = _one(g, node, SH.nodeKind)
        if kind not in NODE_KINDS:
            raise Unsupported("unknown node kind")
        return "nodeKind", kind
    raise Unsupported("sh:or member other than one sh:class, sh:datatype or sh:nodeKind")


def _severity_and_messages(g: Graph, node) -> tuple:
    severity = next(iter(set(g.objects(node, SH.severity))), SH.Violation)
    messages = [m for m in g.objects(node, SH.message)]
    return severity, messages


SELECT_START = re.compile(r"^\s*SELECT\b", re.I)
_PARSED: dict = {}


def _parse(text: str, prefixes: dict):
    """rdflib's prepared query (parsed once per text and prefixes)."""
    from rdflib.plugins.sparql import prepareQuery

    key = (text, tuple(sorted(prefixes.items())))
    if key not in _PARSED:
        _PARSED[key] = prepareQuery(text, initNs=prefixes)
    return _PARSED[key]


def _analyse_select(text: str, prefixes: dict, need_this: bool) -> list:
    """The projected variables of a SELECT; Unsupported unless running it once as a subquery joined with the focus
    nodes gives the rows pySHACL gets by pre-binding $this per focus node."""
    if not SELECT_START.match(text):
        raise Unsupported("a SPARQL query with a prologue or not a SELECT")
    try:
        query = _parse(text, prefixes)
    except Exception as exc:  # noqa: BLE001 - pySHACL would fail on it too; leave it to pySHACL
        raise Unsupported(f"SPARQL query rdflib cannot parse: {exc}") from None
    names = [str(v) for v in query.algebra.PV]
    if not need_this:
        if "this" not in names:
            raise Unsupported("SPARQL target without ?this")
        return names
    if "this" not in names:
        raise Unsupported("SPARQL constraint that does not select $this")
    if "this" not in _bound(query.algebra["p"]):
        raise Unsupported("SPARQL constraint whose patterns do not bind $this")
    return names


def _analyse(text: str, prefixes: dict, need_this: bool) -> tuple[list, frozenset]:
    """The projected variables of a SELECT and the IRIs it mentions ("*": a variable predicate), read off its
    tokens when the rewriter takes it (rdflib's SPARQL parser is slow), else off rdflib's algebra."""
    if not SELECT_START.match(text):
        raise Unsupported("a SPARQL query with a prologue or not a SELECT")
    try:
        names, iris, this_bound = read_select(text, prefixes)
        if "this" in names and (this_bound or not need_this):
            return names, iris
    except Unsupported:
        pass
    names = _analyse_select(text, prefixes, need_this)
    iris, variable = _terms_of(_parse(text, prefixes))
    return names, frozenset(["*"]) if variable else iris


def _vars_in(node) -> set:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    out = set()
    if isinstance(node, Variable):
        out.add(str(node))
    elif isinstance(node, CompValue):
        for v in node.values():
            out |= _vars_in(v)
    elif isinstance(node, (list, tuple, set)):
        for v in node:
            out |= _vars_in(v)
    return out


def _bound(node) -> set:
    """Variables bound in every solution of an rdflib algebra pattern; Unsupported for what pre-binding $this
    would change (sub-selects, MINUS, VALUES or aggregates that mention it)."""
    from rdflib.term import Variable

    name = node.name
    if name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy", "Filter"):
        if name == "Project" and "this" in _vars_in(node["p"]) and not any(str(v) == "this" for v in node["PV"]):
            raise Unsupported("$this in a sub-select that does not project it")
        return _bound(node["p"])
    if name == "Extend":
        return _bound(node["p"]) | {str(node["var"])}
    if name == "BGP":
        out = set()
        for t in node["triples"]:
            out |= {str(x) for x in t if isinstance(x, Variable)}
            if not isinstance(t[1], (URIRef, Variable)):  # a property path: its ends are bound
                pass
        return out
    if name == "Join":
        return _bound(node["p1"]) | _bound(node["p2"])
    if name == "LeftJoin":
        _bound(node["p2"])
        return _bound(node["p1"])
    if name == "Union":
        return _bound(node["p1"]) & _bound(node["p2"])
    if name == "Graph":
        raise Unsupported("GRAPH in a SPARQL constraint")
    if name == "Minus":
        if "this" in _vars_in(node["p2"]):
            raise Unsupported("$this in MINUS")
        return _bound(node["p1"])
    if name == "ToMultiSet":
        if "this" in _vars_in(node["p"]):
            raise Unsupported("$this in a sub-select or VALUES")
        return _bound(node["p"]) if hasattr(node["p"], "name") and node["p"].name != "values" else set()
    if name in ("Group", "AggregateJoin"):
        raise Unsupported("aggregates in a SPARQL constraint")
    if name == "values":
        return set()
    raise Unsupported(f"SPARQL algebra {name}")


def _terms_of(query) -> tuple[frozenset, bool]:
    """The IRIs a parsed query mentions (a superset of the predicates it reads), and whether a triple pattern
    has a variable as its predicate."""
    from rdflib.paths import Path
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    iris: set = set()
    variable_predicate = False

    def walk(node):
        nonlocal variable_predicate
        if isinstance(node, URIRef):
            iris.add(str(node))
        elif isinstance(node, Path):
            for attr in ("args", "arg", "path"):
                sub = getattr(node, attr, None)
                if sub is not None:
                    walk(sub)
        elif isinstance(node, CompValue):
            if node.name in ("BGP", "TriplesBlock"):
                triples = node.get("triples") or []
                flat = [x for t in triples for x in (t if isinstance(t, (list, tuple)) else [t])]
                for i in range(1, len(flat), 3):
                    if isinstance(flat[i], Variable):
                        variable_predicate = True
            for v in node.values():
                walk(v)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple, set)):
            for v in node:
                walk(v)

    walk(query.algebra)
    return frozenset(iris), variable_predicate


def _compile_sparql_constraint(g: Graph, node) -> SparqlConstraint:
    _check_keys(g, node, DESCRIPTIVE | {SH.select, SH.prefixes})
    if g.value(node, SH.ask) is not None:
        raise Unsupported("sh:ask")
    selects = list(g.objects(node, SH.select))
    if len(selects) != 1 or not isinstance(selects[0], Literal):
        raise Unsupported("a SPARQL constraint without exactly one sh:select")
    text = str(selects[0])
    if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text):
        raise Unsupported("$PATH, $currentShape or $shapesGraph in a SPARQL constraint")
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper as Helper

    for name in ("has_minus_regex", "has_values_regex", "has_service_regex", "has_nested_select_regex"):
        if getattr(Helper, name).search(text):  # pySHACL refuses these: let it say so
            raise Unsupported(f"a SPARQL constraint pySHACL refuses ({name})")
    prefixes = _prefixes(g, node)
    variables, predicates = _analyse(text, prefixes, need_this=True)
    if "failure" in variables:
        raise Unsupported("?failure in a SPARQL constraint")
    messages = list(g.objects(node, SH.message))
    return SparqlConstraint(node, text, prefixes, variables, messages, predicates,
                            bool(re.search(r"\b(DATATYPE|STRDT|sameTerm)\s*\(", text, re.I)))


def _compile_property(g: Graph, node, index: int) -> Shape:
    _check_keys(g, node, PROPERTY_PARAMETERS)
    severity, messages = _severity_and_messages(g, node)
    if not messages:
        raise Unsupported("a property shape without sh:message (pySHACL makes a generic one)")
    path = _one(g, node, SH.path)
    shape = Shape(node, index, severity, messages, path=path)
    if isinstance(path, URIRef):
        shape.predicate = path
    elif isinstance(path, BNode) and set(g.predicate_objects(path)) and \
            {p for p, _ in g.predicate_objects(path)} == {SH.inversePath} and \
            isinstance(g.value(path, SH.inversePath), URIRef):
        shape.predicate, shape.inverse = g.value(path, SH.inversePath), True
    else:
        raise Unsupported("a path other than an IRI or the inverse of one")
    n = _one(g, node, SH.minCount)
    shape.min_count = _int(n) if n is not None else None
    n = _one(g, node, SH.maxCount)
    shape.max_count = _int(n) if n is not None else None
    datatype = _one(g, node, SH.datatype)
    if datatype is not None:
        shape.checks.append(Check("datatype", datatype))
    kind = _one(g, node, SH.nodeKind)
    if kind is not None:
        if kind not in NODE_KINDS:
            raise Unsupported("unknown node kind")
        shape.checks.append(Check("nodeKind", kind))
    for c in g.objects(node, SH["class"]):
        if not isinstance(c, URIRef):
            raise Unsupported("sh:class that is not an IRI")
        shape.checks.append(Check("class", c))
    patterns = list(g.objects(node, SH.pattern))
    if patterns:
        flags = _one(g, node, SH.flags)
        re_flags = 0
        if flags:
            f = str(flags.value).lower()
            re_flags |= (re.I if "i" in f else 0) | (re.M if "m" in f else 0)
        for p in patterns:
            if not isinstance(p, Literal):
                raise Unsupported("sh:pattern that is not a literal")
            source = str(p.value) if p.value is not None and len(p.value) > 1 else str(p)
            shape.checks.append(Check("pattern", re.compile(source, re_flags)))
    for key in ("minLength", "maxLength"):
        n = _one(g, node, SH[key])
        if n is not None:
            shape.checks.append(Check(key, _int(n)))
    for key in ("minInclusive", "maxInclusive"):
        for m in g.objects(node, SH[key]):
            if not isinstance(m, Literal):
                raise Unsupported(f"sh:{key} that is not a literal")
            shape.checks.append(Check(key, m))
    for lst in g.objects(node, SH["in"]):
        shape.checks.append(Check("in", frozenset(g.items(lst))))
        for t in g.items(lst):
            _sparql_term(t)
    for lst in g.objects(node, SH["or"]):
        members = tuple(_member(g, m) for m in g.items(lst))
        if not members:
            raise Unsupported("empty sh:or")
        shape.checks.append(Check("or", None, members))
    for key, target in ((SH.equals, shape.equals), (SH.lessThanOrEquals, shape.less_or_equal)):
        for other in g.objects(node, key):
            if not isinstance(other, URIRef):
                raise Unsupported("sh:equals / sh:lessThanOrEquals that is not an IRI")
            target.append(other)
    unique = _one(g, node, SH.uniqueLang)
    if unique is not None:
        if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
            raise Unsupported("sh:uniqueLang that is not a boolean")
        shape.unique_lang = unique.value
    for qvs in g.objects(node, SH.qualifiedValueShape):
        kind, param = _member(g, qvs)
        if kind != "class":
            raise Unsupported("a qualified value shape other than one sh:class")
        if g.value(node, SH.qualifiedValueShapesDisjoint) is not None:
            raise Unsupported("sh:qualifiedValueShapesDisjoint")
        lo, hi = _one(g, node, SH.qualifiedMinCount), _one(g, node, SH.qualifiedMaxCount)
        shape.qualified.append((param, _int(lo) if lo is not None else None, _int(hi) if hi is not None else None))
    if shape.inverse:
        for c in shape.checks:  # the values are subjects: no literals, every check is made in the store
            pass
    return shape


def _node_or_member(g: Graph, node) -> tuple:
    keys = {p for p in g.predicates(node, None) if p != RDF.type}
    if keys == {SH.path, SH.minCount} and isinstance(g.value(node, SH.path), URIRef):
        return "minCount", (g.value(node, SH.path), _int(g.value(node, SH.minCount)))
    if keys == {SH["class"]} and isinstance(g.value(node, SH["class"]), URIRef):
        return "class", g.value(node, SH["class"])
    raise Unsupported("node-level sh:or member other than [sh:path p; sh:minCount n] or [sh:class C]")


def _compile_node(g: Graph, node, index: int, property_index: dict, constraints: dict) -> Shape:
    _check_keys(g, node, NODE_PARAMETERS)
    severity, messages = _severity_and_messages(g, node)
    shape = Shape(node, index, severity, messages)
    if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, URIRef(str(RDFS) + "Class")) in g:
        raise Unsupported("implicit class target")
    if g.value(node, SH.targetNode) is not None:
        raise Unsupported("sh:targetNode")
    for c in g.objects(node, SH.targetClass):
        if not isinstance(c, URIRef):
            raise Unsupported("sh:targetClass that is not an IRI")
        shape.classes.append(c)
    shape.subjects_of = [p for p in g.objects(node, SH.targetSubjectsOf)]
    shape.objects_of = [p for p in g.objects(node, SH.targetObjectsOf)]
    for t in g.objects(node, SH.target):
        selects = list(g.objects(t, SH.select))
        if len(selects) != 1 or set(g.objects(t, RDF.type)) - {SH.SPARQLTarget}:
            raise Unsupported("a target other than a SPARQL target")
        prefixes = _prefixes(g, t)
        _, mentioned = _analyse(str(selects[0]), prefixes, need_this=False)
        shape.target_selects.append((str(selects[0]), prefixes))
        shape.target_reads.append(mentioned)
    kind = _one(g, node, SH.nodeKind)
    if kind is not None:
        if kind not in NODE_KINDS:
            raise Unsupported("unknown node kind")
        shape.node_kind = kind
    for lst in g.objects(node, SH["or"]):
        shape.node_or.append([_node_or_member(g, m) for m in g.items(lst)])
    if (shape.node_kind is not None or shape.node_or) and not messages:
        raise Unsupported("a node shape with constraints but no sh:message")
    for ps in g.objects(node, SH.property):
        if ps not in property_index:
            raise Unsupported(f"property shape {ps}: {property_index.get(('error', ps), 'not compiled')}")
        shape.properties.append(property_index[ps])
    for c in g.objects(node, SH.sparql):
        if c not in constraints:
            constraints[c] = _compile_sparql_constraint(g, c)
        shape.sparql.append(constraints[c])
    _prologue(*[p for _, p in shape.target_selects], *[c.prefixes for c in shape.sparql])  # they agree
    return shape


_PROGRAMS: OrderedDict = OrderedDict()  # id(shapes graph) -> (the graph, its size, its program)
_PROGRAMS_KEPT = 8
_programs_lock = threading.Lock()


def compile_shapes(shapes: Graph) -> Program:
    """The shapes graph compiled, once per shapes graph (the same object, unchanged in size)."""
    with _programs_lock:
        kept = _PROGRAMS.get(id(shapes))
        if kept is not None and kept[0] is shapes and kept[1] == len(shapes):
            _PROGRAMS.move_to_end(id(shapes))
            return kept[2]
    program = _compile(shapes)
    adopt(shapes, program)
    return program


def adopt(shapes: Graph, program: Program) -> None:
    """`program`, compiled from `shapes` before (and kept with it: the build's cache), is what compile_shapes
    gives for them."""
    with _programs_lock:
        _PROGRAMS[id(shapes)] = (shapes, len(shapes), program)
        while len(_PROGRAMS) > _PROGRAMS_KEPT:
            _PROGRAMS.popitem(last=False)


TARGETS = (SH.targetClass, SH.target, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def _compile(g: Graph) -> Program:
    unsupported: dict = {}
    if any(g.subjects(RDF.type, SH.ConstraintComponent)) or any(g.subjects(SH.rule, None)) \
            or any(g.subjects(SH.js, None)) or any(g.subjects(SH.expression, None)):
        everything = "custom constraint components, rules, JavaScript or expressions in the shapes"
        nodes = {s for p in TARGETS for s in g.subjects(p, None)}
        return Program([], [], {n: everything for n in nodes}, g, {}, {}, [])
    property_index: dict = {}
    property_shapes: list = []
    for ps in sorted(set(g.objects(None, SH.property)), key=str):
        try:
            shape = _compile_property(g, ps, len(property_shapes))
        except Unsupported as exc:
            property_index[("error", ps)] = str(exc)
            continue
        property_index[ps] = shape
        property_shapes.append(shape)
    node_shapes = []
    constraints: dict = {}  # SPARQL constraint node -> compiled (a constraint may serve several shapes)
    for node in sorted({s for p in TARGETS for s in g.subjects(p, None)}, key=str):
        if (node, SH.path, None) in g:
            unsupported[node] = "a property shape with targets"
            continue
        deactivated = g.value(node, SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.value is True:
            continue
        try:
            node_shapes.append(_compile_node(g, node, len(node_shapes), property_index, constraints))
        except Unsupported as exc:
            unsupported[node] = str(exc)
    used = {id(ps) for ns in node_shapes for ps in ns.properties}
    property_shapes = [ps for ps in property_shapes if id(ps) in used]
    for i, ps in enumerate(property_shapes):
        ps.index = i
    parents = {ps.index: [ns for ns in node_shapes if any(p is ps for p in ns.properties)] for ps in property_shapes}
    checks_by_predicate: dict = defaultdict(list)
    for ps in property_shapes:
        if ps.inverse:
            continue
        for i, check in enumerate(ps.checks):
            checks_by_predicate[str(ps.predicate)].append((ps.index, i))
    literal_predicates = {p: i for i, p in enumerate(sorted(checks_by_predicate))}
    resource_checks: dict = {}
    some_iri, some_blank = URIRef("urn:x-dossierkg-fastshacl:an-iri"), BNode()
    for pred, pairs in checks_by_predicate.items():
        iri_fail, blank_fail, per_iri = [], [], []
        for ps_index, ci in pairs:
            check = property_shapes[ps_index].checks[ci]
            if check.kind not in LOCAL_CHECKS:
                continue
            if not check.value_ok(some_blank):
                blank_fail.append((ps_index, ci))
            if check.kind in ("in", "pattern", "minLength", "maxLength"):
                per_iri.append((ps_index, ci, check))
            elif not check.value_ok(some_iri):
                iri_fail.append((ps_index, ci))
        if iri_fail or blank_fail or per_iri:
            resource_checks[pred] = (tuple(iri_fail), tuple(blank_fail), per_iri)
    guarded = []
    read: set = {str(RDF.type), str(RDFS.subClassOf)}  # predicates a query reads
    valued: set = set()  # predicates whose literal values a query compares, computes with or returns
    for ns in node_shapes:
        read |= {str(p) for p in ns.subjects_of + ns.objects_of}
        for mentioned in ns.target_reads:
            read |= mentioned
            valued |= mentioned
        for alternatives in ns.node_or:
            read |= {str(param[0]) for kind, param in alternatives if kind == "minCount"}
        for c in ns.sparql:
            guarded.append((f"sparql {c.node}", c.predicates, c.datatype_sensitive, "graph"))
            read |= c.predicates
            valued |= c.predicates
        for ps in ns.properties:
            read.add(str(ps.predicate))
            for other in ps.equals + ps.less_or_equal:
                read.add(str(other))
                valued |= {str(ps.predicate), str(other)}
            if ps.unique_lang:
                valued.add(str(ps.predicate))
            for other in ps.equals:
                guarded.append((f"equals {ps.node}", frozenset({str(ps.predicate), str(other)}), True, "subject"))
    return Program(node_shapes, property_shapes, unsupported, g, dict(checks_by_predicate), literal_predicates,
                   guarded, parents, resource_checks, None if "*" in read else frozenset(read),
                   None if "*" in valued else frozenset(valued))


# ------------------------------------------------------------------------------------------------ loading the data

@dataclass
class Loaded:
    store: ox.Store
    graph_names: list  # index -> the graph's name (str of the rdflib graph term)
    graph_nodes: list  # index -> ox.NamedNode standing for it in the store
    candidates: dict  # (graph index, subject key, property shape index, check index) -> set of value keys
    subjects: dict  # subject key -> (rdflib term, ox term)
    literals: list  # literal id -> rdflib Literal
    fallback: dict  # graph index -> why pySHACL validates it
    subclasses: bool
    canonical: dict = field(default_factory=dict)  # ox literal as stored -> rdflib literal (unique ones)
    blank_nodes: bool = False  # any blank node in the data
    values: dict = field(default_factory=dict)  # value key of a failing IRI or blank node -> rdflib term

    def value(self, key):
        return self.literals[key] if isinstance(key, int) else self.values[key]


class _Conversion(Exception):
    pass


def _to_ox_literal(lit: Literal):
    if lit.language:
        return ox.Literal(str(lit), language=lit.language)
    if _same(lit.datatype, _LANG_STRING):
        raise _Conversion("an rdf:langString literal without a language")
    if lit.datatype is not None:
        return ox.Literal(str(lit), datatype=ox.NamedNode(str(lit.datatype)))
    return ox.Literal(str(lit))


def _term(t):
    if type(t) is URIRef:
        return ox.NamedNode(str.__str__(t))
    if type(t) is BNode:
        return ox.BlankNode(str.__str__(t))
    if type(t) is Literal:
        return _to_ox_literal(t)
    raise _Conversion(f"a {type(t).__name__} term")


class _Loader(threading.Thread):
    """Loads N-Quads chunks into the store while the caller goes on (Oxigraph's parser releases the GIL)."""

    def __init__(self, store: ox.Store):
        super().__init__(daemon=True)
        self.store = store
        self.chunks: queue.Queue = queue.Queue(maxsize=3)
        self.error: Exception | None = None

    def run(self) -> None:
        while True:
            data = self.chunks.get()
            if data is None:
                return
            if self.error is None:
                try:
                    self.store.load(data, format=ox.RdfFormat.N_QUADS)
                except Exception as exc:  # noqa: BLE001 - reported by finish()
                    self.error = exc

    def finish(self) -> None:
        self.chunks.put(None)
        self.join()
        if self.error is not None:
            raise self.error


CHUNK = 50_000  # quads per N-Quads chunk handed to the loading thread


def load(quads, program: Program, nquads: bytes | None = None, part: tuple | None = None) -> Loaded:
    """The quads in an in-memory Oxigraph store, with the checks of each value on its own made on the way.

    The quads are written as N-Quads, chunk by chunk, for a thread that loads them meanwhile (each named graph
    under a stand-in IRI; quads with blank nodes are added as terms, which keeps their labels). `nquads`: the
    same quads already serialised (named graphs only, no blank nodes), loaded as they are. `part` (k, n): only
    the graphs k, k + n, k + 2n, … in the order they first appear."""
    if part is not None:
        nquads = None
    store = ox.Store()
    loader = _Loader(store)
    loader.start()
    text = nquads is None
    if not text:
        loader.chunks.put(nquads)
    graph_ids: dict = {}  # id(graph term) -> index
    graph_by_name: dict = {}  # name -> index (-1: another part's)
    graph_names: list = []
    graph_nodes: list = []
    graph_text: list = []
    nt: dict = {}  # IRI -> its N-Triples text
    bnodes: dict = {}
    lit_ids: dict = {}
    literals: list = []
    lit_ox: list = []
    lit_nt: list = []
    fallback: dict = {}
    shapes = program.property_shapes
    pred_index = program.literal_predicates
    pred_checks = {i: [(ps, ci, shapes[ps].checks[ci]) for ps, ci in program.checks_by_predicate[p]]
                   for p, i in pred_index.items()}
    resource_checks = program.resource_checks  # predicate -> (fail for any IRI, for any blank node, per IRI)
    read, valued = program.read, program.valued
    iri_cache: dict = {}
    seen_pairs: dict = {}  # (predicate index, literal id) -> (failing checks, graph indexes)
    candidates: dict = defaultdict(set)
    subjects: dict = {}
    values: dict = {}
    term_quads: list = []  # quads with blank nodes, as Oxigraph terms
    parts: list = []
    append = parts.append
    sstr = str.__str__
    nt_get = nt.get
    lget = lit_ids.get
    gget = graph_ids.get
    rget = resource_checks.get
    pget = pred_index.get
    spget = seen_pairs.get
    no_failures = ()
    count = 0

    def iri_text(k: str) -> str:
        text_ = nt[k] = str(ox.NamedNode(k))
        return text_

    def new_graph(g) -> int:
        name = str(g)
        gi = graph_by_name.get(name)
        if gi is None and part is not None and len(graph_by_name) % part[1] != part[0]:
            gi = graph_by_name[name] = -1
        if gi is None:
            gi = graph_by_name[name] = len(graph_names)
            graph_names.append(name)
            if text:
                node = ox.NamedNode(f"{GRAPH_PREFIX}{gi}")
            elif type(g) is URIRef:
                node = ox.NamedNode(name)
            else:
                raise _Conversion("a graph that is not an IRI")
            graph_nodes.append(node)
            graph_text.append(str(node))
        graph_ids[id(g)] = gi
        return gi

    def fail(gi, s, failures, key, value):
        sk = sstr(s) if type(s) is URIRef else "_:" + sstr(s)
        if sk not in subjects:
            if type(s) not in (URIRef, BNode):
                raise _Conversion(f"a {type(s).__name__} subject")
            subjects[sk] = (s, ox.NamedNode(sk) if type(s) is URIRef else ox.BlankNode(sstr(s)))
        if not isinstance(key, int):
            values[key] = value
        for ps, ci in failures:
            candidates[(gi, sk, ps, ci)].add(key)

    predicates: dict = {}  # predicate IRI -> (IRI, index, literal checks index, resource checks, N-Triples, read, valued)
    pinfo = predicates.get

    def predicate(p):
        if type(p) is not URIRef:
            raise _Conversion(f"a {type(p).__name__} predicate")
        pk = sstr(p)
        info = predicates[pk] = (pk, len(predicates), pget(pk), rget(pk), nt_get(pk) or iri_text(pk),
                                 read is None or pk in read, not text or valued is None or pk in valued)
        return info

    for s, p, o, g in quads:
        gi = gget(id(g))
        if gi is None:
            try:
                gi = new_graph(g)
            except (_Conversion, ValueError):
                if not text:
                    loader.finish()
                    return load(quads, program)
                raise
        if gi < 0:
            continue
        try:
            info = pinfo(sstr(p)) or predicate(p)
            to = type(o)
            if to is Literal:
                dt, lang = o._datatype, o._language
                lkey = (sstr(o), dt if dt is None else sstr(dt), lang if lang is None else lang.lower())
                lid = lget(lkey)
                if lid is None:
                    lo = _to_ox_literal(o)
                    lid = lit_ids[lkey] = len(literals)
                    literals.append(o)
                    lit_ox.append(lo)
                    lit_nt.append(str(lo))
                pair = (info[1], lid)
                entry = spget(pair)
                if entry is None:
                    pi = info[2]
                    failures = no_failures if pi is None else tuple(
                        (ps, ci) for ps, ci, check in pred_checks[pi] if not check.value_ok(o))
                    entry = seen_pairs[pair] = (failures, {gi} if info[6] else None)
                elif info[6]:
                    entry[1].add(gi)
                if entry[0]:
                    fail(gi, s, entry[0], lid, o)
            elif info[3] is not None:
                rc = info[3]
                if to is URIRef:
                    failures = rc[0]
                    if rc[2]:
                        key = (info[0], sstr(o))
                        extra = iri_cache.get(key)
                        if extra is None:
                            extra = iri_cache[key] = tuple((ps, ci) for ps, ci, check in rc[2] if not check.value_ok(o))
                        failures = failures + extra
                    if failures:
                        fail(gi, s, failures, ("i", sstr(o)), o)
                elif to is BNode:
                    if rc[1]:
                        fail(gi, s, rc[1], ("b", sstr(o)), o)
                else:
                    raise _Conversion(f"a {to.__name__} object")
            if not info[5]:
                continue  # no query reads this predicate
            ts = type(s)
            if ts is BNode or to is BNode:
                if not text:
                    loader.finish()
                    return load(quads, program, part=part)
                term_quads.append(ox.Quad(_term(s), _term(p), _term(o), graph_nodes[gi]))
                bnodes[gi] = True
                continue
            if ts is not URIRef:
                raise _Conversion(f"a {ts.__name__} subject")
            if text:
                k = sstr(s)
                st = nt_get(k) or iri_text(k)
                if to is URIRef:
                    k = sstr(o)
                    ot = nt_get(k) or iri_text(k)
                elif to is Literal:
                    ot = lit_nt[lid] if info[6] else f'"{lid}"^^<{META}literal>'
                else:
                    raise _Conversion(f"a {to.__name__} object")
                append(f"{st} {info[4]} {ot} {graph_text[gi]} .\n")
                count += 1
                if count == CHUNK:
                    loader.chunks.put("".join(parts).encode())
                    parts.clear()
                    count = 0
        except (_Conversion, ValueError, TypeError) as exc:
            fallback.setdefault(gi, f"a term Oxigraph does not take: {exc}")
            continue
    if parts:
        loader.chunks.put("".join(parts).encode())
        parts.clear()
    try:
        loader.finish()
    except (SyntaxError, ValueError, OSError) as exc:  # a term the parser refuses although Oxigraph built it
        store.clear()
        for gi in range(len(graph_names)):
            fallback.setdefault(gi, f"the N-Quads could not be loaded: {exc}")
    if term_quads:
        store.extend(term_quads)
    for gi in fallback:
        store.remove_graph(graph_nodes[gi])
    names = {info[1]: info[0] for info in predicates.values()}
    pairs = {(names[pid], lid): graphs for (pid, lid), (_, graphs) in seen_pairs.items() if graphs is not None}
    canonical = _guard_literals(store, program, literals, lit_ox, pairs, quads, graph_by_name, fallback)
    subclasses = store.query(f"ASK {{ GRAPH ?g {{ ?a <{RDFS.subClassOf}> ?b }} }}")
    return Loaded(store, graph_names, graph_nodes, dict(candidates), subjects, literals, fallback, bool(subclasses),
                  canonical, bool(bnodes), values)


def _guard_literals(store, program, literals, lit_ox, seen_pairs, quads, graph_index, fallback) -> dict:
    """Where the store would not tell literals apart as pySHACL does, or changes their text, hand the graph to
    pySHACL. Returns the stored (canonical) form -> the rdflib literal, for the forms only one literal has.

    Only the literals of predicates whose values the queries use (`seen_pairs`) are loaded as they are; the
    others are stand-ins, one per rdflib literal."""
    loaded_as_is = sorted({lid for _, lid in seen_pairs})
    typed = [i for i in loaded_as_is if literals[i].datatype is not None and literals[i].datatype != XSD.string]
    canon = {i: lit_ox[i] for i in loaded_as_is}
    if typed:
        scratch = ox.Store()
        scratch.extend(ox.Quad(ox.NamedNode(f"{META}literal:{i}"), ox.NamedNode(f"{META}value"), lit_ox[i])
                       for i in typed)
        for q in scratch:
            canon[int(q.subject.value.rsplit(":", 1)[1])] = q.object
    by_form: dict = defaultdict(list)
    for i, c in canon.items():
        by_form[c].append(i)
    merged = {i for ids in by_form.values() if len(ids) > 1 for i in ids}
    changed = set()  # lexical form changed, or ill-typed
    retyped = set()  # only the datatype changed
    for i in typed:
        lit, c = literals[i], canon[i]
        if getattr(lit, "ill_typed", None) is True or c.value != str(lit):
            changed.add(i)
        elif c.datatype.value != str(lit.datatype):
            retyped.add(i)
    for i in loaded_as_is:  # language tags are lower-cased
        lit = literals[i]
        if lit.language and lit.language != lit.language.lower():
            changed.add(i)
    suspicious = merged | changed | retyped
    if suspicious:
        # which (predicate, literal) pairs could matter, and in which graphs
        by_predicate: dict = defaultdict(set)
        for (pk, lid), gs in seen_pairs.items():
            if lid in suspicious:
                by_predicate[pk].add(lid)
        flagged: dict = {}
        # merged literals on the same subject and predicate: counts and sets differ -> needs the per-subject look
        need_subject_look = set()
        for pk, ids in by_predicate.items():
            forms = defaultdict(int)
            for lid in ids & merged:
                forms[canon[lid]] += 1
            if any(n > 1 for n in forms.values()):
                need_subject_look.add(pk)
        for name, predicates, datatype_sensitive, scope in program.guarded:
            preds = set(by_predicate) if "*" in predicates else predicates & set(by_predicate)
            if not preds:
                continue
            ids = set().union(*(by_predicate[p] for p in preds))
            bad = ids & changed if scope == "graph" else set()
            if scope == "graph" and datatype_sensitive:
                bad |= ids & retyped
            if bad:
                for p in preds:
                    for lid in by_predicate[p] & bad:
                        for gi in seen_pairs[(p, lid)]:
                            flagged.setdefault(gi, f"{name}: a literal the store changes ({literals[lid].n3()})")
            forms = defaultdict(set)
            for lid in ids & merged:
                forms[canon[lid]].add(lid)
            if any(len(v) > 1 for v in forms.values()):
                if scope == "graph":  # merged literals in one graph among the predicates it reads
                    per_graph = defaultdict(lambda: defaultdict(set))
                    for p in preds:
                        for lid in by_predicate[p] & merged:
                            for gi in seen_pairs[(p, lid)]:
                                per_graph[gi][canon[lid]].add(lid)
                    for gi, f in per_graph.items():
                        if any(len(v) > 1 for v in f.values()):
                            flagged.setdefault(gi, f"{name}: literals the store merges")
                else:
                    need_subject_look |= preds
        if need_subject_look:
            flagged.update(_subject_collisions(quads, graph_index, need_subject_look, merged, canon, literals,
                                               program))
        for gi, why in flagged.items():
            if gi >= 0 and gi not in fallback:
                fallback[gi] = why
    return {c: literals[ids[0]] for c, ids in by_form.items() if len(ids) == 1}


def _subject_collisions(quads, graph_index, predicates, merged, canon, literals, program) -> dict:
    """Graphs where one subject has two literals the store merges, on one predicate or on two an sh:equals
    compares."""
    groups: dict = {}
    for name, preds, _, scope in program.guarded:
        if scope == "subject":
            for p in preds:
                groups.setdefault(p, set()).update(preds)
    merged_literals = {literals[i] for i in merged}
    index = {lit: i for i, lit in enumerate(literals) if i in merged}
    seen: dict = defaultdict(set)
    flagged = {}
    for s, p, o, g in quads:
        if type(o) is not Literal or str(p) not in predicates or o not in merged_literals:
            continue
        gi = graph_index.get(str(g), -1)
        lid = index[o]
        for key in {str(p)} | {f"group:{min(groups[str(p)])}"} if str(p) in groups else {str(p)}:
            bucket = seen[(gi, str(s), key, canon[lid])]
            bucket.add(lid)
            if len(bucket) > 1:
                flagged[gi] = "literals the store merges on one subject"
    return flagged


# ------------------------------------------------------------------------------------------------ SPARQL rewriting
#
# Oxigraph evaluates a multi-pattern `GRAPH ?g { … }` graph by graph (~90 µs per graph and query) and joins
# patterns by index look-ups (~20 µs each); a join of subqueries that each read one triple pattern of
# `GRAPH ?g` is a hash join over whole-store scans, 10-50x faster here. A SPARQL constraint's (or target's)
# WHERE clause is rewritten that way: each triple pattern becomes `{ SELECT ?fs_g <its variables> WHERE
# { GRAPH ?fs_g { s p o } } }` (a sequence path p1/p2 a chain of them), and each EXISTS { P } inside an
# expression becomes EXISTS { GRAPH ?fs_g { P } } (?fs_g is bound there). Anything else (MINUS, GRAPH,
# SERVICE, VALUES, sub-selects, blank nodes, solution modifiers) keeps the query as written inside
# GRAPH ?fs_g, which is slower but the same.

TOKEN = re.compile(r'''
    (?P<ws>\s+|\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<dt>\^\^)
  | (?P<number>[+-]?(?:\d+\.\d+(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?))
  | (?P<bnode>_:[A-Za-z0-9_.-]+)
  | (?P<pname>(?:[A-Za-z][A-Za-z0-9_.-]*)?:(?:[A-Za-z0-9_:%-](?:[A-Za-z0-9_.:%-]*[A-Za-z0-9_:%-])?)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||!=|<=|>=|\^|[{}()\[\].;,/|*+?!=<>-])
''', re.X)
GRAPH_VAR = "?fs_g"


@dataclass
class Tok:
    kind: str
    text: str

    def word(self, *words) -> bool:
        return self.kind == "word" and self.text.upper() in words


def _tokens(text: str) -> list:
    out, pos = [], 0
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"cannot read the query at {text[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            out.append(Tok(m.lastgroup, m.group()))
    out.append(Tok("end", ""))
    return out


class _Rewriter:
    def __init__(self, tokens: list):
        self.t = tokens
        self.i = 0
        self.fresh = 0
        self.variable_predicate = False

    def peek(self, k: int = 0) -> Tok:
        return self.t[self.i + k]

    def take(self) -> Tok:
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            raise Unsupported(f"expected {text!r}, found {tok.text!r}")

    # -- expressions: kept as written, EXISTS groups read in the graph being validated
    def balanced(self) -> str:
        """From an opening '(' to its ')', as written, with each EXISTS { … } put in GRAPH ?fs_g."""
        self.expect("(")
        out, depth = ["("], 1
        while depth:
            tok = self.peek()
            if tok.kind == "end":
                raise Unsupported("unbalanced parentheses")
            if tok.word("EXISTS"):
                self.take()
                out.append("EXISTS " + self.exists_group())
                continue
            self.take()
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif tok.text in ("{", "}"):
                raise Unsupported("a group inside an expression")
            out.append(tok.text)
        return " ".join(out)

    def exists_group(self) -> str:
        if self.peek().text != "{":
            raise Unsupported("EXISTS without a group")
        start = self.i
        depth = 0
        while True:
            tok = self.take()
            if tok.kind == "end":
                raise Unsupported("unbalanced braces")
            if tok.text == "{":
                depth += 1
            elif tok.text == "}":
                depth -= 1
                if depth == 0:
                    break
            elif tok.word("GRAPH", "SERVICE"):
                raise Unsupported("GRAPH or SERVICE inside EXISTS")
        inner = " ".join(t.text for t in self.t[start + 1:self.i - 1])
        return f"{{ GRAPH {GRAPH_VAR} {{ {inner} }} }}"

    def constraint(self) -> str:
        """A FILTER's constraint: a bracketted expression, a function call or [NOT] EXISTS { … }."""
        tok = self.peek()
        if tok.text == "(":
            return self.balanced()
        if tok.word("NOT") and self.peek(1).word("EXISTS"):
            self.take(), self.take()
            return "NOT EXISTS " + self.exists_group()
        if tok.word("EXISTS"):
            self.take()
            return "EXISTS " + self.exists_group()
        if tok.kind in ("word", "pname", "iri") and self.peek(1).text == "(":
            self.take()
            return tok.text + " " + self.balanced()
        raise Unsupported(f"FILTER {tok.text}")

    # -- graph patterns
    def group(self, head: str = "", head_vars: frozenset = frozenset()) -> tuple[str, bool, set, set, bool]:
        """A group { … } rewritten: its text, whether it binds ?fs_g (has a triple pattern of its own), the
        variables every solution of it binds, the variables it may bind, and whether it is made of triple
        patterns only (in groups and UNIONs)."""
        self.expect("{")
        parts = [head] if head else []
        binds = bool(head)
        bound, mentioned = set(head_vars), set(head_vars)
        plain = True
        exists = []  # FILTER [NOT] EXISTS { … } standing alone: (negated, where the group starts)
        filters_need_graph = False
        while self.peek().text != "}":
            tok = self.peek()
            if tok.kind == "end":
                raise Unsupported("unbalanced braces")
            if tok.text == ".":
                self.take()
            elif tok.text == "{":
                alternatives, everywhere = [], None
                while True:
                    sub, _, sub_bound, sub_mentioned, sub_plain = self.group()
                    alternatives.append(sub)
                    everywhere = sub_bound if everywhere is None else everywhere & sub_bound
                    mentioned |= sub_mentioned
                    plain &= sub_plain
                    if not self.peek().word("UNION"):
                        break
                    self.take()
                parts.append(" UNION ".join(alternatives))
                bound |= everywhere
            elif tok.word("OPTIONAL"):
                self.take()
                sub, _, _, sub_mentioned, _ = self.group()
                parts.append("OPTIONAL " + sub)
                mentioned |= sub_mentioned
                plain = False
            elif tok.word("FILTER"):
                self.take()
                plain = False
                negated = self.peek().word("NOT") and self.peek(1).word("EXISTS") and self.peek(2).text == "{"
                if negated or (self.peek().word("EXISTS") and self.peek(1).text == "{"):
                    self.i += 2 if negated else 1
                    exists.append((negated, self.i))
                    self.exists_group()  # skipped for now: how to read it depends on the whole group
                    filters_need_graph = True
                    continue
                text = self.constraint()
                filters_need_graph |= "EXISTS" in text.upper()
                parts.append("FILTER " + text)
            elif tok.word("BIND"):
                self.take()
                text = self.balanced()
                filters_need_graph |= "EXISTS" in text.upper()
                parts.append("BIND " + text)
                mentioned |= {"?" + t.text[1:] for t in self.t[self.i - 3:self.i] if t.kind == "var"}
                plain = False
            elif tok.kind == "word" and tok.text.lower() != "a" and tok.text.lower() not in ("true", "false"):
                raise Unsupported(f"{tok.text} in a graph pattern")
            else:
                out, variables = self.triples()
                parts.extend(out)
                binds = True
                bound |= variables
                mentioned |= variables
        self.expect("}")
        if filters_need_graph and not binds:
            raise Unsupported("EXISTS in a group without a triple pattern")
        for negated, at in exists:
            parts.append(self.exists_part(negated, at, bound, mentioned))
        return "{ " + " ".join(parts) + " }", binds, bound, mentioned, plain

    def exists_part(self, negated: bool, at: int, bound: set, mentioned: set) -> str:
        """FILTER [NOT] EXISTS { P } of a group whose solutions bind `bound` (and may bind `mentioned`): when P is
        triple patterns whose variables the group binds in every solution or not at all, NOT EXISTS is MINUS
        { P' } and EXISTS a join with the distinct matches of P' (P' rewritten into hash joins: per focus node
        look-ups are ~20 µs each); else P is looked up as written, in the graph at hand."""
        here = self.i
        sub = _Rewriter(self.t)
        sub.i, sub.fresh = at, self.fresh
        try:
            text, binds, _, sub_mentioned, plain = sub.group()
            ok = plain and binds and not ((sub_mentioned & mentioned) - bound)
        except Unsupported:
            ok = False
        self.fresh = max(self.fresh, sub.fresh)
        if ok:
            if negated:
                return f"MINUS {text}"
            shared = " ".join(sorted(sub_mentioned & bound))
            return f"{{ SELECT DISTINCT {GRAPH_VAR} {shared} WHERE {text} }}"
        self.i = at
        written = self.exists_group()
        self.i = here
        return f"FILTER {'NOT ' if negated else ''}EXISTS {written}"

    def term(self) -> tuple[str, list]:
        """A subject or object: its text and its variables."""
        tok = self.take()
        if tok.kind == "var":
            return "?" + tok.text[1:], ["?" + tok.text[1:]]
        if tok.kind in ("iri", "pname", "number"):
            return tok.text, []
        if tok.kind == "word" and tok.text in ("true", "false"):
            return tok.text, []
        if tok.kind == "string":
            text = tok.text
            if self.peek().kind == "lang":
                text += self.take().text
            elif self.peek().kind == "dt":
                self.take()
                dt = self.take()
                if dt.kind not in ("iri", "pname"):
                    raise Unsupported("a datatype that is not an IRI")
                text += "^^" + dt.text
            return text, []
        raise Unsupported(f"{tok.text!r} as a subject or object (blank nodes and collections are not rewritten)")

    def path(self):
        """A verb: ('var', text) | ('iri', text) | ('seq', [(inverse, text)]) | ('path', text)."""
        tok = self.peek()
        if tok.kind == "var":
            self.take()
            return "var", "?" + tok.text[1:]
        start = self.i
        steps, simple = [], True
        while True:
            inverse = False
            if self.peek().text == "^":
                self.take()
                inverse = True
            tok = self.take()
            if tok.kind in ("iri", "pname"):
                text = tok.text
            elif tok.kind == "word" and tok.text == "a":
                text = f"<{RDF.type}>"
            elif tok.text in ("(", "!"):
                simple = False
                depth = 1 if tok.text == "(" else 0
                while depth:
                    t2 = self.take()
                    if t2.kind == "end":
                        raise Unsupported("unbalanced path")
                    depth += (t2.text == "(") - (t2.text == ")")
                text = None
            else:
                raise Unsupported(f"{tok.text!r} as a predicate")
            if self.peek().text in ("*", "+", "?") and self.peek().kind == "op":
                self.take()
                simple = False
            steps.append((inverse, text))
            if self.peek().text == "/":
                self.take()
                continue
            if self.peek().text == "|":
                self.take()
                simple = False
                continue
            break
        if simple:
            return ("iri", steps[0][1]) if len(steps) == 1 and not steps[0][0] else ("seq", steps)
        return "path", " ".join(t.text for t in self.t[start:self.i])

    def triple_patterns(self, s, s_vars, verb, o, o_vars) -> list:
        kind, p = verb
        if kind in ("iri", "var"):
            return [(s, s_vars, p, [p] if kind == "var" else [], o, o_vars)]
        if kind == "path":
            return [(s, s_vars, p, [], o, o_vars)]
        out, prev = [], (s, s_vars)
        for n, (inverse, iri) in enumerate(p):
            if n == len(p) - 1:
                nxt = (o, o_vars)
            else:
                self.fresh += 1
                name = f"?fs_step{self.fresh}"
                nxt = (name, [name])
            a, b = (nxt, prev) if inverse else (prev, nxt)
            out.append((a[0], a[1], iri, [], b[0], b[1]))
            prev = nxt
        return out

    def triples(self) -> tuple[list, set]:
        """Triple patterns as subqueries, and their variables."""
        s, s_vars = self.term()
        out, variables = [], set(s_vars)
        while True:
            verb = self.path()
            self.variable_predicate |= verb[0] == "var"
            while True:
                o, o_vars = self.term()
                variables |= set(o_vars) | ({verb[1]} if verb[0] == "var" else set())
                for ts, tsv, tp, tpv, to, tov in self.triple_patterns(s, s_vars, verb, o, o_vars):
                    projected = " ".join(dict.fromkeys([GRAPH_VAR] + tsv + tpv + tov))
                    out.append(f"{{ SELECT {projected} WHERE {{ GRAPH {GRAPH_VAR} {{ {ts} {tp} {to} }} }} }}")
                if self.peek().text == ",":
                    self.take()
                    continue
                break
            if self.peek().text == ";":
                while self.peek().text == ";":
                    self.take()
                if self.peek().text in (".", "}") or self.peek().kind == "word" and \
                        self.peek().word("FILTER", "OPTIONAL", "BIND", "UNION", "MINUS", "VALUES", "GRAPH"):
                    break
                continue
            break
        return out, variables


AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)


def rewrite_select(text: str, head: str, prefixes: dict) -> str:
    """`SELECT <projection> WHERE { P }` as `SELECT ?fs_g <projection> WHERE { head P' }` (P rewritten as above,
    prefixed names written out in full). Unsupported if the query is not of that form."""
    return _rewrite(text, head, prefixes)[0]


def read_select(text: str, prefixes: dict) -> tuple[list, frozenset, bool]:
    """What the rewriter reads off a SELECT it takes: the projected variables, the IRIs it mentions (or "*" for a
    variable predicate), whether its patterns bind ?this in every solution. Unsupported otherwise."""
    _, r, projection = _rewrite(text, "", prefixes)
    if AGGREGATE.search(" ".join(t.text for t in projection)):
        raise Unsupported("aggregates")
    names, depth, after_as = [], 0, False
    for tok in projection:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.word("AS"):
            after_as = True
        elif tok.kind == "var" and (depth == 0 or after_as):
            names.append(tok.text[1:])
            after_as = False
    iris = frozenset(["*"]) if r.variable_predicate else frozenset(
        [t.text[1:-1] for t in r.t if t.kind == "iri"] + ([str(RDF.type)] if any(
            t.kind == "word" and t.text == "a" for t in r.t) else []))
    return names, iris, r.binds_this


def _rewrite(text: str, head: str, prefixes: dict):
    tokens = _tokens(text)
    for tok in tokens:
        if tok.kind == "pname":
            prefix, _, local = tok.text.partition(":")
            if prefix not in prefixes or "\\" in local or "%" in local:
                raise Unsupported(f"prefixed name {tok.text}")
            tok.kind, tok.text = "iri", f"<{prefixes[prefix]}{local}>"
    if any(t.kind == "var" and t.text[1:].startswith("fs_") for t in tokens):
        raise Unsupported("variables named fs_…")
    if not tokens[0].word("SELECT"):
        raise Unsupported("not a SELECT")
    r = _Rewriter(tokens)
    r.take()
    projection = []
    while not (r.peek().text == "{" or r.peek().word("WHERE")):
        tok = r.take()
        if tok.kind == "end" or tok.text == "*":
            raise Unsupported("SELECT * or no WHERE clause")
        projection.append(tok)
    if r.peek().word("WHERE"):
        r.take()
    body, _, bound, _, _ = r.group(head, frozenset({"?this"}) if head else frozenset())
    r.binds_this = "?this" in bound
    if r.peek().kind != "end":
        raise Unsupported("solution modifiers")
    keyword = []
    if projection and projection[0].text.upper() in ("DISTINCT", "REDUCED"):
        keyword = [projection.pop(0).text]
    text = " ".join(["SELECT"] + keyword + [GRAPH_VAR] + [t.text for t in projection] + ["WHERE", body])
    return text, r, projection


# ------------------------------------------------------------------------------------------------ the queries
#
# Two kinds of query. Focus queries start from a shape's focus nodes: a minimum count (the focus nodes
# without enough values), node-level constraints, qualified counts and SPARQL constraints. Value queries do
# not: they find, for one path, every (graph, subject, value) that breaks a value check (class, node kind,
# sh:in…), a maximum count, sh:equals, sh:lessThanOrEquals or sh:uniqueLang, for all the shapes on that path
# at once; usually nothing breaks, and the few subjects found are then looked up among the focus nodes of
# the shapes concerned (as are the subjects of failing literals, checked while loading).

def _prologue(*prefix_maps) -> str:
    merged: dict = {}
    for m in prefix_maps:
        for k, v in m.items():
            if merged.get(k, v) != v:
                raise Unsupported(f"prefix {k}: declared twice")
            merged[k] = v
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(merged.items()))


@dataclass(eq=False)
class Query:
    kind: str
    text: str
    ns: Shape | None = None
    ps: Shape | None = None
    extra: object = None


G = GRAPH_VAR
FOCUS = "{FOCUS}"


def _type_pattern(var: str, cls, subclasses: bool) -> str:
    return f"GRAPH {G} {{ {var} {SUBCLASS_PATH if subclasses else TYPE} <{cls}> }}"


def _focus_parts(ns: Shape, subclasses: bool) -> tuple[list, list]:
    """Patterns (each binding ?fs_g and ?this) whose union is the shape's focus nodes, and the prefixes those
    patterns need (SPARQL targets kept as written)."""
    parts = [_type_pattern("?this", c, subclasses) for c in ns.classes]
    parts += [f"GRAPH {G} {{ ?this <{p}> ?fs_any }}" for p in ns.subjects_of]
    parts += [f"GRAPH {G} {{ ?fs_any <{p}> ?this }}" for p in ns.objects_of]
    needed = []
    for select, prefixes in ns.target_selects:
        try:
            parts.append("{ " + rewrite_select(select, "", prefixes) + " }")
        except Unsupported:
            parts.append(f"GRAPH {G} {{ {{ {select} }} }}")
            needed.append(prefixes)
    return parts, needed


def _focus_head(ns: Shape, subclasses: bool) -> str:
    """The prologue the shape's focus pattern needs."""
    return _prologue(*_focus_parts(ns, subclasses)[1])


def _focus_inline(ns: Shape, subclasses: bool) -> str:
    parts, _ = _focus_parts(ns, subclasses)
    if len(parts) == 1 and (ns.classes or ns.subjects_of or ns.objects_of):
        return f"{{ SELECT {G} ?this WHERE {{ {parts[0]} }} }}"
    return f"{{ SELECT DISTINCT {G} ?this WHERE {{ {' UNION '.join(f'{{ {p} }}' for p in parts)} }} }}"


def _simple_focus(ns: Shape, subclasses: bool) -> bool:
    return len(ns.classes) == 1 and not (ns.subjects_of or ns.objects_of or ns.target_selects or subclasses)


def _triple(pred, inverse: bool, subject: str = "?this", value: str = "?fs_v") -> str:
    return f"{value} <{pred}> {subject}" if inverse else f"{subject} <{pred}> {value}"


def _values(pred, inverse: bool, var: str = "?fs_v") -> str:
    """The (graph, subject, value) rows of a path."""
    return f"{{ SELECT {G} ?this {var} WHERE {{ GRAPH {G} {{ {_triple(pred, inverse, value=var)} }} }} }}"


def _has(pred, n: int = 1, inverse: bool = False) -> str:
    """(graph, node) rows of the nodes with at least n values of pred."""
    triple = _triple(pred, inverse, value="?fs_x")
    if n <= 1:
        return f"{{ SELECT {G} ?this WHERE {{ GRAPH {G} {{ {triple} }} }} }}"
    return (f"{{ SELECT {G} ?this WHERE {{ GRAPH {G} {{ {triple} }} }} GROUP BY {G} ?this "
            f"HAVING (COUNT(?fs_x) >= {n}) }}")  # one pattern: the rows are distinct values


def _instances(var: str, classes, subclasses: bool) -> str:
    """(graph, node) rows of the instances of any of the classes."""
    parts = [_type_pattern(var, c, subclasses) for c in classes]
    body = parts[0] if len(parts) == 1 else " UNION ".join(f"{{ {p} }}" for p in parts)
    return f"{{ SELECT DISTINCT {G} {var} WHERE {{ {body} }} }}"


_REWRITTEN: dict = {}


def _sparql_query(ns: Shape, c: SparqlConstraint, inline: str, focus_head: str) -> tuple[str, str]:
    """A SPARQL constraint as one query over every graph, and its prologue: rewritten into hash joins when it
    can be, else run as written in each graph."""
    key = (c.select, inline, focus_head)
    if key not in _REWRITTEN:
        projected = " ".join(f"?{v}" for v in c.variables if v != "this")
        try:
            body = rewrite_select(c.select, FOCUS, c.prefixes)
            text = f"SELECT DISTINCT {G} ?this {projected} WHERE {{ {{ {body} }} }}"
            ox.Store().query(focus_head + text.replace(FOCUS, inline))  # it parses
            head = focus_head
        except (Unsupported, SyntaxError, ValueError, OSError):
            text = f"SELECT DISTINCT {G} ?this {projected} WHERE {{ {FOCUS} GRAPH {G} {{ {{ {c.select} }} }} }}"
            head = _prologue(*_focus_parts(ns, False)[1], c.prefixes)  # they agree: _compile_node checks
        _REWRITTEN[key] = (text, head)
    return _REWRITTEN[key]


def plan(program: Program, subclasses: bool, blank_nodes: bool = True) -> tuple[list, list, set]:
    """The updates that materialise focus nodes, every query but the focus look-ups, and the node shapes whose
    focus nodes the updates materialise. Without blank nodes in the data, a node kind that admits IRIs is not
    checked on focus nodes that are subjects."""
    materialised: set = set()
    class_path = SUBCLASS_PATH if subclasses else TYPE
    updates, out = [], []
    minima: dict = defaultdict(list)  # (predicate, inverse, n) -> [(node shape, property shape)]
    min_uses: dict = {}
    focus_of: dict = {}
    head_of: dict = {}
    by_path: dict = defaultdict(list)  # (predicate, inverse) -> property shapes
    for ps in program.property_shapes:
        by_path[(ps.predicate, ps.inverse)].append(ps)
    for ns in program.node_shapes:
        head = _focus_head(ns, subclasses)
        inline = _focus_inline(ns, subclasses)
        here: list = []
        subjects_only = not (ns.objects_of or ns.target_selects)
        if ns.node_kind is not None and not (not blank_nodes and subjects_only and NODE_KINDS[ns.node_kind][0]):
            cond = Check("nodeKind", ns.node_kind).resource_condition("?this", class_path)
            here.append(Query("nodeKind", f"SELECT {G} ?this WHERE {{ {FOCUS} FILTER (isLiteral(?this) || ({cond})) }}",
                              ns))
        for alternatives in ns.node_or:
            minus = []
            for kind, param in alternatives:
                if kind == "class":
                    minus.append(_instances("?this", [param], subclasses))
                else:
                    pred, n = param
                    if n <= 0:
                        minus = None
                        break
                    minus.append(_has(pred, n=n))
            if minus is not None:
                here.append(Query("or", f"SELECT {G} ?this WHERE {{ {FOCUS} "
                                        f"{' '.join(f'MINUS {{ {m} }}' for m in minus)} }}", ns))
        for c in ns.sparql:
            text, q_head = _sparql_query(ns, c, inline, head)
            q = Query("sparql", text, ns, None, c)
            q.head = q_head
            here.append(q)
        for ps in ns.properties:
            if ps.min_count is not None and ps.min_count > 0:
                minima[(ps.predicate, ps.inverse, ps.min_count)].append((ns, ps))
                min_uses[ns.index] = min_uses.get(ns.index, 0) + 1
            for cls, qlo, qhi in ps.qualified:
                n = "COUNT(?fs_v)"  # distinct: one row per value (the instances are distinct)
                conds = ([f"{n} < {qlo}"] if qlo is not None else []) + ([f"{n} > {qhi}"] if qhi is not None else [])
                if conds:
                    here.append(Query("qualified", f"SELECT {G} ?this ({n} AS ?n) WHERE {{ {FOCUS} OPTIONAL {{ "
                                                   f"{_values(ps.predicate, ps.inverse)} "
                                                   f"{_instances('?fs_v', [cls], subclasses)} }} }} GROUP BY {G} ?this "
                                                   f"HAVING ({' || '.join(conds)})", ns, ps, (cls, qlo, qhi)))
        if not _simple_focus(ns, subclasses) and len(here) + min_uses.get(ns.index, 0) > 1:
            focus = f"?this <{META}focus:{ns.index}> {G} ."
            updates.append(f"{head}INSERT {{ ?this <{META}focus:{ns.index}> {G} }} WHERE {{ {inline} }}")
            materialised.add(ns.index)
        else:
            focus = inline
        focus_of[ns.index] = focus
        head_of[ns.index] = head
        for q in here:
            q.text = getattr(q, "head", head) + q.text.replace(FOCUS, focus)
            out.append(q)
    for (pred, inverse, n), pairs in minima.items():
        by_head: dict = defaultdict(lambda: defaultdict(list))  # only shapes whose focus needs the same prefixes
        for ns, ps in pairs:
            by_head[head_of[ns.index]][ns.index].append(ps)
        for head, shapes_of in by_head.items():
            union = " UNION ".join(f"{{ {focus_of[i]} BIND ({i} AS ?fs_ns) }}" for i in sorted(shapes_of))
            out.append(Query("min", f"{head}SELECT {G} ?this ?fs_ns WHERE {{ {union} MINUS {{ "
                                    f"{_has(pred, n, inverse)} }} }}", extra=dict(shapes_of)))
    for (pred, inverse), shapes in by_path.items():
        V = _values(pred, inverse)
        maxima = defaultdict(list)
        for ps in shapes:
            if ps.max_count is not None:
                maxima[ps.max_count].append(ps)
        for hi, group in maxima.items():
            out.append(Query("max", f"SELECT {G} ?this WHERE {{ GRAPH {G} {{ {_triple(pred, inverse)} }} }} "
                                    f"GROUP BY {G} ?this HAVING (COUNT(?fs_v) > {hi})", extra=group))
        conditions: dict = {}  # SPARQL condition -> [(ps, check index)]
        minus_checks: dict = defaultdict(list)  # (classes, node kind condition) -> [(ps, check index)]
        for ps in shapes:
            for i, check in enumerate(ps.checks):
                if check.kind == "class":
                    minus_checks[((check.param,), "")].append((ps, i))
                elif check.kind == "or":
                    classes = tuple(sorted(str(mp) for mk, mp in check.members if mk == "class"))
                    ok = []
                    for mk, mp in check.members:
                        if mk == "nodeKind":
                            iri, blank, _ = NODE_KINDS[mp]
                            ok += ["isIRI(?fs_v)"] * iri + ["isBlank(?fs_v)"] * blank
                    minus_checks[(classes, f" && !({' || '.join(ok)})" if ok else "")].append((ps, i))
                elif inverse:  # forward paths: checked in Python while loading
                    cond = check.resource_condition("?fs_v", class_path)
                    if cond != "false":
                        conditions.setdefault(cond, []).append((ps, i))
        for (classes, cond), checks in minus_checks.items():
            minus = f" MINUS {{ {_instances('?fs_v', classes, subclasses)} }}" if classes else ""
            out.append(Query("resource", f"SELECT DISTINCT {G} ?this ?fs_v (true AS ?fs_c0) WHERE {{ {V} "
                                         f"FILTER (!isLiteral(?fs_v){cond}){minus} }}", extra=[checks]))
        if conditions:
            items = list(conditions.items())
            binds = " ".join(f"BIND (({cond}) AS ?fs_c{j})" for j, (cond, _) in enumerate(items))
            flags = " || ".join(f"?fs_c{j}" for j in range(len(items)))
            out.append(Query("resource", f"SELECT DISTINCT {G} ?this ?fs_v "
                                         f"{' '.join(f'?fs_c{j}' for j in range(len(items)))} WHERE {{ {V} "
                                         f"FILTER (!isLiteral(?fs_v)) {binds} FILTER ({flags}) }}",
                             extra=[checks for _, checks in items]))
        for other in sorted({o for ps in shapes for o in ps.equals}, key=str):
            W = f"{{ SELECT {G} ?this ?fs_v WHERE {{ GRAPH {G} {{ ?this <{other}> ?fs_v }} }} }}"
            out.append(Query("equals", f"SELECT DISTINCT {G} ?this ?fs_v WHERE {{ {{ {V} MINUS {{ {W} }} }} UNION "
                                       f"{{ {W} MINUS {{ {V} }} }} }}", extra=[ps for ps in shapes if other in ps.equals]))
        for other in sorted({o for ps in shapes for o in ps.less_or_equal}, key=str):
            W = f"{{ SELECT {G} ?this ?fs_w WHERE {{ GRAPH {G} {{ ?this <{other}> ?fs_w }} }} }}"
            out.append(Query("lessThanOrEquals", f"SELECT DISTINCT {G} ?this ?fs_v ?fs_w WHERE {{ {V} {W} "
                                                 f"FILTER (!COALESCE(?fs_v <= ?fs_w, false)) }}",
                             extra=[ps for ps in shapes if other in ps.less_or_equal]))
        if any(ps.unique_lang for ps in shapes):
            out.append(Query("uniqueLang", f"SELECT DISTINCT {G} ?this ?fs_lang WHERE {{ {V} "
                                           f"{_values(pred, inverse, '?fs_w')} FILTER (isLiteral(?fs_v) && "
                                           f"isLiteral(?fs_w) && !sameTerm(?fs_v, ?fs_w) && LANG(?fs_v) != \"\" && "
                                           f"LCASE(LANG(?fs_v)) = LCASE(LANG(?fs_w))) "
                                           f"BIND (LCASE(LANG(?fs_v)) AS ?fs_lang) }}",
                             extra=[ps for ps in shapes if ps.unique_lang]))
    return updates, out, materialised


LOOKUP_MAX = 20_000  # candidates of one shape looked up one by one; more: joined with a scan of the focus nodes
TYPES_FROM = 2_000  # candidate subjects from which their types are read in one scan (class targets)


def membership_query(ns: Shape, subclasses: bool, count: int, materialised: bool) -> str:
    """The (graph, node) rows of candidate subjects (`?this <…candidate:i> ?fs_g`) that are focus nodes."""
    candidate = f"?this <{META}candidate:{ns.index}> {G} ."
    if materialised:
        return f"SELECT {G} ?this WHERE {{ {candidate} FILTER EXISTS {{ ?this <{META}focus:{ns.index}> {G} }} }}"
    if _simple_focus(ns, subclasses) and count <= LOOKUP_MAX:
        return f"SELECT {G} ?this WHERE {{ {candidate} FILTER EXISTS {{ {_type_pattern('?this', ns.classes[0], False)} }} }}"
    return f"{_focus_head(ns, subclasses)}SELECT DISTINCT {G} ?this WHERE {{ {candidate} {_focus_inline(ns, subclasses)} }}"


# ------------------------------------------------------------------------------------------------ results

@dataclass
class Finding:
    """One validation result, before it is put into words."""

    graph: str  # the graph's name
    focus: object  # rdflib term
    shape: Shape  # source shape
    component: URIRef
    messages: list  # rdflib Literals, as pySHACL writes them into the report
    path: object = None
    value: object = None
    constraint: object = None  # sh:sourceConstraint (SPARQL constraints)


@dataclass
class Outcome:
    findings: list
    graph_names: list
    fallback: dict  # graph name -> why pySHACL validated it
    unsupported: dict  # shape -> why pySHACL validated it
    extra_reports: list  # (graph name, validate.Report) from pySHACL


def _to_rdflib(term, loaded: Loaded):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        original = loaded.canonical.get(term)
        if original is not None:
            return original
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    return None


def _format(msg: str, bound: dict) -> str:
    """pySHACL's filling in of a SPARQL constraint's message."""
    for var, val in bound.items():
        msg = re.sub("{{[?$]{}}}".format(var), str(val), msg)
    return msg


def _rows(store: ox.Store, text: str) -> list:
    return [tuple(s) for s in store.query(text)]


def run_queries(program: Program, loaded: Loaded, threads: int = 1) -> list[Finding]:
    """Run every query on the loaded store (in `threads` threads: Oxigraph releases the GIL) and turn the rows
    into findings."""
    store = loaded.store
    updates, qs, materialised = plan(program, loaded.subclasses, loaded.blank_nodes)
    for u in updates:
        store.update(u)
    names = {node.value: loaded.graph_names[i] for i, node in enumerate(loaded.graph_nodes)}
    skip = {loaded.graph_names[gi] for gi in loaded.fallback}
    findings: list = []
    candidates: dict = defaultdict(list)  # (graph name, ox subject) -> [(((ps, component), ...), value)]
    for q, rows in _run_all(store, [q.text for q in qs], threads, qs):
        shared = _shared_pairs(q)
        for row in rows:
            name = names[row[0].value]
            if name in skip:
                continue
            _rows_to_findings(q, name, row, loaded, findings, candidates, skip, shared)
    # the subjects of failing values checked while loading
    for (gi, skey, ps_index, ci), keys in loaded.candidates.items():
        name = loaded.graph_names[gi]
        if name in skip:
            continue
        ps = program.property_shapes[ps_index]
        _, so = loaded.subjects[skey]
        for key in keys:
            candidates[(name, so)].append((((ps, ps.checks[ci].component),), loaded.value(key)))
    if not candidates:
        return findings
    graph_node = {loaded.graph_names[i]: node for i, node in enumerate(loaded.graph_nodes)}
    # a failing value is a result only where its subject is a focus node of a parent of the shape: many
    # are not (a predicate several shapes constrain), so the subjects are grouped by the parents they would
    # need before any is tested, and a value is given its checks one by one only where a parent holds
    parents_of: dict = {}  # id of a tuple of (ps, component) -> the indexes of their parent node shapes
    by_parents: dict = defaultdict(set)  # those indexes -> (graph name, ox subject)
    for key, found in candidates.items():
        for pairs, _ in found:
            parents = parents_of.get(id(pairs))
            if parents is None:
                parents = parents_of[id(pairs)] = frozenset(ns.index for ps, _ in pairs
                                                            for ns in program.parents[ps.index])
            by_parents[parents].add(key)
    wanted: dict = defaultdict(set)  # node shape index -> (graph name, ox subject)
    for parents, keys in by_parents.items():
        for i in parents:
            wanted[i] |= keys
    members: dict = {}
    simple = {i for i in wanted if _simple_focus(program.node_shapes[i], loaded.subclasses)}
    typed = set().union(*(wanted[i] for i in simple)) if simple else set()
    if sum(len(wanted[i]) for i in simple) > TYPES_FROM:  # many look-ups: the types in one scan, the test here
        candidate = ox.NamedNode(f"{META}candidate")
        store.extend(ox.Quad(so, candidate, graph_node[name], ox.DefaultGraph()) for name, so in typed)
        types: dict = defaultdict(set)
        for row in _rows(store, f"SELECT {G} ?this ?c WHERE {{ {{ SELECT {G} ?this WHERE {{ ?this <{candidate.value}> "
                                f"{G} }} }} {{ SELECT {G} ?this ?c WHERE {{ GRAPH {G} {{ ?this {TYPE} ?c }} }} }} }}"):
            types[(names[row[0].value], row[1])].add(row[2].value)
        for i in simple:
            cls = str(program.node_shapes[i].classes[0])
            members[i] = {key for key in wanted[i] if cls in types.get(key, ())}
    order = [i for i in wanted if i not in members]
    store.extend(ox.Quad(so, ox.NamedNode(f"{META}candidate:{i}"), graph_node[name], ox.DefaultGraph())
                 for i in order for name, so in wanted[i])
    texts = [membership_query(program.node_shapes[i], loaded.subclasses, len(wanted[i]), i in materialised)
             for i in order]
    for i, rows in _run_all(store, texts, threads, order):
        members[i] = {(names[row[0].value], row[1]) for row in rows}
    in_any = {parents: set().union(*(members[i] for i in parents)) for parents in by_parents}
    for (name, so), found in candidates.items():
        focus = None
        for pairs, value in found:
            if (name, so) not in in_any[parents_of[id(pairs)]]:
                continue
            for ps, component in pairs:
                for ns in program.parents[ps.index]:
                    if (name, so) in members[ns.index]:
                        focus = focus if focus is not None else _to_rdflib(so, loaded)
                        findings.append(Finding(name, focus, ps, component, ps.messages, ps.path, value))
    return findings


def _shared_pairs(q: Query) -> dict:
    """The (property shape, component) pairs a query's rows fail, made once per query: for a "resource"
    query, per flag whose checks need no test in Python; for "max", "equals", "lessThanOrEquals" and
    "uniqueLang", all of them."""
    if q.kind == "resource":
        return {j: tuple((p, p.checks[ci].component) for p, ci in checks) for j, checks in enumerate(q.extra)
                if not any(p.checks[ci].python_for_resources for p, ci in checks)}
    component = {"max": "maxCount", "equals": "equals", "lessThanOrEquals": "lessThanOrEquals",
                 "uniqueLang": "uniqueLang"}.get(q.kind)
    return {"all": tuple((p, COMPONENT[component]) for p in q.extra)} if component else {}


def _run_all(store: ox.Store, texts: list, threads: int, tags: list):
    """(tag, rows) for each query, as they finish: the longest queries first when threads > 1."""
    if threads <= 1 or len(texts) <= 1:
        for tag, text in zip(tags, texts):
            yield tag, _rows(store, text)
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = {pool.submit(_rows, store, text): tag for tag, text in zip(tags, texts)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _rows_to_findings(q: Query, name: str, row, loaded: Loaded, out: list, candidates: dict, skip: set,
                      shared: dict) -> None:
    ns, ps, kind = q.ns, q.ps, q.kind
    if kind == "nodeKind":
        focus = _to_rdflib(row[1], loaded)
        out.append(Finding(name, focus, ns, COMPONENT["nodeKind"], ns.messages, None, focus))
    elif kind == "or":
        focus = _to_rdflib(row[1], loaded)
        out.append(Finding(name, focus, ns, COMPONENT["or"], ns.messages, None, focus))
    elif kind == "min":
        focus = _to_rdflib(row[1], loaded)
        for p in q.extra[int(row[2].value)]:
            out.append(Finding(name, focus, p, COMPONENT["minCount"], p.messages, p.path))
    elif kind == "qualified":
        _, qlo, qhi = q.extra
        n = int(row[2].value)
        focus = _to_rdflib(row[1], loaded)
        if qhi is not None and n > qhi:
            out.append(Finding(name, focus, ps, COMPONENT["qualifiedMax"], ps.messages, ps.path))
        if qlo is not None and n < qlo:
            out.append(Finding(name, focus, ps, COMPONENT["qualifiedMin"], ps.messages, ps.path))
    elif kind == "max":
        candidates[(name, row[1])].append((shared["all"], None))
    elif kind == "resource":
        value = None
        for j, checks in enumerate(q.extra):
            flag = row[3 + j]
            if flag is None or flag.value != "true":
                continue
            value = value if value is not None else _to_rdflib(row[2], loaded)
            pairs = shared.get(j)
            if pairs is None:  # a check made in Python
                pairs = tuple((p, p.checks[ci].component) for p, ci in checks
                              if not (p.checks[ci].python_for_resources and p.checks[ci].value_ok(value)))
            if pairs:
                candidates[(name, row[1])].append((pairs, value))
    elif kind == "equals":
        candidates[(name, row[1])].append((shared["all"], _to_rdflib(row[2], loaded)))
    elif kind == "lessThanOrEquals":
        v, w = _to_rdflib(row[2], loaded), _to_rdflib(row[3], loaded)
        if isinstance(v, BNode) or isinstance(w, BNode):
            loaded.fallback[loaded.graph_names.index(name)] = "sh:lessThanOrEquals on a blank node (pySHACL raises)"
            skip.add(name)
            return
        if _ltoe_fails(v, w):
            candidates[(name, row[1])].append((shared["all"], v))
    elif kind == "uniqueLang":
        candidates[(name, row[1])].append((shared["all"], None))
    elif kind == "sparql":
        c: SparqlConstraint = q.extra
        focus = _to_rdflib(row[1], loaded)
        names = [v for v in c.variables if v != "this"]
        bound = {}
        for var, term in zip(names, row[2:]):
            if term is not None:
                bound[var] = _to_rdflib(term, loaded)
        path = bound.pop("path", None)
        value = bound.pop("value", None)
        if value is None:
            value = focus
        fdict = dict(bound)
        fdict["this"] = focus
        if path is not None:
            fdict["path"] = path
        fdict["value"] = value
        shape_messages = list(ns.messages)
        messages = []
        for m in c.messages:
            if m in shape_messages:
                continue
            messages.append(Literal(_format(str(m.value), fdict)) if isinstance(m, Literal) else m)
        for m in shape_messages:
            messages.append(Literal(_format(str(m.value), fdict)) if isinstance(m, Literal) else m)
        out.append(Finding(name, focus, ns, COMPONENT["sparql"], messages, path, value, c.node))


# ------------------------------------------------------------------------------------------------ validation

def _part(quads, program: Program, nquads, part, threads: int) -> tuple[list, list, dict]:
    """Load and validate the graphs of one part: (findings, graph names, fallback graph name -> why)."""
    loaded = load(quads, program, nquads, part)
    findings = run_queries(program, loaded, threads)
    fallback = {loaded.graph_names[gi]: why for gi, why in loaded.fallback.items()}
    return [f for f in findings if f.graph not in fallback], list(loaded.graph_names), fallback


def _encode(program: Program, findings: list) -> list:
    index = {id(s): ("n", s.index) for s in program.node_shapes}
    index.update({id(s): ("p", s.index) for s in program.property_shapes})
    return [(f.graph, f.focus, index[id(f.shape)], f.component, f.messages, f.path, f.value, f.constraint)
            for f in findings]


def _decode(program: Program, rows: list) -> list:
    out = []
    for graph, focus, (kind, i), component, messages, path, value, constraint in rows:
        shape = program.node_shapes[i] if kind == "n" else program.property_shapes[i]
        out.append(Finding(graph, focus, shape, component, messages, path, value, constraint))
    return out


def _parts_forked(quads, program: Program, n: int) -> list:
    """The graphs shared out between this process and n - 1 forked ones (which see the quads without copying
    them), each validating its part; a part whose process fails is validated here."""
    import pickle

    children = []
    for k in range(1, n):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its part, back through the pipe, then leave at once
            os.close(read)
            status = 1
            try:
                findings, names, fallback = _part(quads, program, None, (k, n), 1)
                data = pickle.dumps((_encode(program, findings), names, fallback), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as f:
                    f.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        children.append((k, pid, read))
    parts = [_part(quads, program, None, (0, n), 1)]
    for k, pid, read in children:
        with os.fdopen(read, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            rows, names, fallback = pickle.loads(data)
            parts.append((_decode(program, rows), names, fallback))
        else:
            parts.append(_part(quads, program, None, (k, n), 1))
    return parts


def validate(quads, shapes: Graph, parallel: int = 1, nquads: bytes | None = None) -> Outcome:
    """Validate each named graph of `quads` against `shapes`: compiled queries where possible, pySHACL for the
    shapes and graphs the compiler leaves out.

    `parallel` > 1: the named graphs are shared out between that many processes (forked: they read the quads
    where they are), or, given `nquads` (the same quads serialised as N-Quads, named graphs only, loaded as
    they are), the queries between that many threads."""
    quads = quads if isinstance(quads, list) else list(quads)
    program = compile_shapes(shapes)
    with collector.paused():  # millions of new objects, none in cycles: the collector would only rescan the heap
        if parallel > 1 and nquads is None and hasattr(os, "fork"):
            parts = _parts_forked(quads, program, parallel)
        else:
            parts = [_part(quads, program, nquads, None, parallel)]
    findings, names, fallback = [], [], {}
    for f, n, fb in parts:
        findings += f
        names += n
        fallback.update(fb)
    extra = []
    if fallback or program.unsupported:
        extra = _pyshacl_parts(quads, shapes, program, set(fallback), set(names))
    return Outcome(findings, names, fallback, dict(program.unsupported), extra)


def _pyshacl_parts(quads, shapes: Graph, program: Program, whole: set, names: set) -> list:
    """pySHACL's reports: every shape for the graphs in `whole`, the unsupported shapes for the other graphs."""
    from .validate import validate_graph

    by_graph: dict = defaultdict(Graph)
    wanted = whole | (names if program.unsupported else set())
    for s, p, o, g in quads:
        k = str(g)
        if k in wanted:
            by_graph[k].add((s, p, o))
    out = []
    partial = None
    if program.unsupported:
        partial = Graph()
        for t in shapes:
            partial.add(t)
        for ns in program.node_shapes:
            partial.remove((ns.node, SH.deactivated, None))
            partial.add((ns.node, SH.deactivated, Literal(True)))
    for name in sorted(by_graph):
        if name in whole:
            out.append((name, validate_graph(by_graph[name], shapes, name, engine="pyshacl")))
        elif partial is not None:
            out.append((name, validate_graph(by_graph[name], partial, name, engine="pyshacl")))
    return out


__all__ = ["compile_shapes", "validate", "Outcome", "Finding", "Program", "Unsupported"]
