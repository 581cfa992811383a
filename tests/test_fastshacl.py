"""The fast validator (dossierkg.fastshacl) gives pySHACL's verdict and results.

Each test validates the same data with both engines (`validate_quads(engine="fast")` and
`engine="pyshacl"`) and compares conforms and the results as a multiset of (severity, focus node, path,
source shape, graph, message):

- the built dossier (with the curated instruments and a constructed Kamerstuk letter, as test_shapes);
- every example in tests/shapes/valid and tests/shapes/invalid;
- mutations of the built dossier: for every sh:minCount, the property removed from one targeted node; for
  every other constraint component the shapes use, a value that breaks it (a wrong datatype, an ill-typed
  literal, a second value, an untyped resource, a literal where an IRI belongs, a blank node, …), on a sample
  of the property shapes with that component; each mutation is validated on the mutated named graph;
- literals the store keeps in another form than rdflib (derived integer types, trailing zeros, time zones,
  plain vs xsd:string, language tag case) and terms Oxigraph rejects;
- a shapes graph with a component the compiler does not translate (pySHACL validates that shape);
- a synthetic corpus of 100 documents (bench/synthetic.py).
"""

from __future__ import annotations

import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
import rdflib.namespace as namespace
from rdflib.namespace import RDF, SH

import kg
from dossierkg import fastshacl
from dossierkg.build import build_graph, read_sources
from dossierkg.export import serialise
from dossierkg.paths import DOSSIER, ROOT
from dossierkg.validate import shapes_graph, validate_graph, validate_quads

HERE = Path(__file__).resolve().parent / "shapes"
EXAMPLES = sorted((HERE / "valid").glob("*.ttl")) + sorted((HERE / "invalid").glob("*.ttl"))
DKG = "https://w3id.org/dossier-kg/def#"


def key(r) -> tuple:
    return (r.severity, r.focus, r.path, r.shape, r.graph, r.message)


def assert_agree(quads, **kwargs) -> tuple:
    quads = list(quads)
    fast = validate_quads(quads, engine="fast", **kwargs)
    slow = validate_quads(quads, engine="pyshacl")
    a, b = Counter(map(key, fast.results)), Counter(map(key, slow.results))
    assert fast.conforms == slow.conforms, (fast.conforms, slow.conforms, fast.text)
    assert a == b, f"only fast: {sorted((a - b).items())[:5]}\nonly pySHACL: {sorted((b - a).items())[:5]}"
    return fast, slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dossier")
    for path in DOSSIER.iterdir():
        shutil.copy(path, folder / path.name)
    shutil.copy(ROOT / "tests/fixtures/letters/kst-19637-3018-style.txt", folder / "005_letter.txt")
    return build_graph(read_sources(folder), curation=folder / "instruments.json", links=folder / "links.csv")


@pytest.fixture(scope="module")
def graphs(built) -> dict:
    out: dict = defaultdict(list)
    for s, p, o, g in built.quads:
        out[g].append((s, p, o))
    return dict(out)


# ------------------------------------------------------------------------------------------------ the compiler

def test_the_project_shapes_compile_without_falling_back_to_pyshacl():
    program = fastshacl.compile_shapes(shapes_graph())
    assert not program.unsupported, program.unsupported
    assert len(program.node_shapes) == 39
    assert len(program.property_shapes) > 150
    kinds = {c.kind for ps in program.property_shapes for c in ps.checks}
    assert kinds == {"datatype", "nodeKind", "class", "or", "pattern", "minLength", "minInclusive", "maxInclusive",
                     "in"}
    assert any(ps.equals for ps in program.property_shapes) and any(ps.less_or_equal for ps in program.property_shapes)
    assert any(ps.unique_lang for ps in program.property_shapes) and any(ps.qualified for ps in program.property_shapes)
    assert any(ps.inverse for ps in program.property_shapes)
    assert any(ns.target_selects for ns in program.node_shapes) and any(ns.node_or for ns in program.node_shapes)


def test_every_sparql_constraint_and_target_is_rewritten_into_hash_joins():
    program = fastshacl.compile_shapes(shapes_graph())
    constraints = {c.node: c for ns in program.node_shapes for c in ns.sparql}
    assert len(constraints) == 8
    for c in constraints.values():
        text = fastshacl.rewrite_select(c.select, "", c.prefixes)
        assert "GRAPH ?fs_g { {" not in text and text.count("SELECT ?fs_g") >= 2, text
    for ns in program.node_shapes:
        for select, prefixes in ns.target_selects:
            assert fastshacl.rewrite_select(select, "", prefixes).count("GRAPH ?fs_g") == 2


def test_queries_the_rewriter_does_not_handle_are_run_as_written():
    for text in ("SELECT $this WHERE { $this ?p ?o MINUS { ?o a ?x } }",
                 "SELECT $this WHERE { $this ?p [ ?q ?r ] }",
                 "SELECT * WHERE { $this ?p ?o }",
                 "SELECT $this WHERE { $this ?p ?o } LIMIT 3",
                 "SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }"):
        with pytest.raises(fastshacl.Unsupported):
            fastshacl.rewrite_select(text, "", {})


# ------------------------------------------------------------------------------------------------ agreement

def test_engines_agree_on_the_built_dossier(built):
    fast, _ = assert_agree(built.quads)
    assert fast.conforms and fast.results and not fast.fallback


def test_engines_agree_on_the_dossier_given_as_nquads(built):
    data = serialise(built.quads, "nq")
    fast = validate_quads(built.quads, nquads=data)
    slow = validate_quads(built.quads, engine="pyshacl")
    assert Counter(map(key, fast.results)) == Counter(map(key, slow.results))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_engines_agree_on_each_example(path):
    data = Graph().parse(path, format="turtle")
    fast = validate_graph(data, graph_name=path.name)
    slow = validate_graph(data, graph_name=path.name, engine="pyshacl")
    assert fast.conforms == slow.conforms
    assert Counter(map(key, fast.results)) == Counter(map(key, slow.results))
    components = lambda g: Counter(g.objects(None, SH.sourceConstraintComponent))  # noqa: E731
    assert components(fast.graph) == components(slow.graph)


# ------------------------------------------------------------------------------------------------ mutations

def min_counts():
    g = shapes_graph()
    out = []
    for ps, n in g.subject_objects(SH.minCount):
        path = g.value(ps, SH.path)
        if int(n) >= 1 and isinstance(path, URIRef):
            for ns in g.subjects(SH.property, ps):
                out.append((ns, ps, path))
    return sorted(out, key=lambda c: (str(c[0]), str(c[1])))


_FOCUS: dict = {}


def focus_nodes(graphs: dict, shape) -> list:
    """(graph, node) pairs the node shape targets: its classes and SPARQL targets."""
    if (id(graphs), shape) not in _FOCUS:
        _FOCUS[(id(graphs), shape)] = _focus_nodes(graphs, shape)
    return _FOCUS[(id(graphs), shape)]


def _focus_nodes(graphs: dict, shape) -> list:
    g = shapes_graph()
    classes = set(g.objects(shape, SH.targetClass))
    selects = [str(g.value(t, SH.select)) for t in g.objects(shape, SH.target)]
    prefixes = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace))
                for d in g.objects(URIRef("https://w3id.org/dossier-kg/shapes"), SH.declare)}
    out = set()
    for name, triples in graphs.items():
        typed = {s for s, p, o in triples if p == RDF.type and o in classes and isinstance(s, URIRef)}
        out |= {(name, n) for n in typed}
        if selects:
            data = Graph()
            for t in triples:
                data.add(t)
            for select in selects:
                out |= {(name, row[0]) for row in data.query(select, initNs=prefixes)}
    return sorted(out)


def agree_on_graph(name, triples):
    return assert_agree([(s, p, o, name) for s, p, o in triples])[0]


MIN_COUNTS = min_counts()


@pytest.mark.parametrize("constraint", MIN_COUNTS, ids=lambda c: str(c[1]).rsplit("#", 1)[-1])
def test_engines_agree_when_a_required_property_is_removed(graphs, constraint):
    shape, _, path = constraint
    candidates = [(name, node) for name, node in focus_nodes(graphs, shape)
                  if any(s == node and p == path for s, p, _ in graphs[name])]
    if not candidates:
        candidates = focus_nodes(graphs, shape)  # nothing to remove: validate the graph as it is
    assert candidates, f"{shape} targets nothing in the built dossier"
    name, focus = candidates[0]
    agree_on_graph(name, [t for t in graphs[name] if not (t[0] == focus and t[1] == path)])


def property_shapes_with(component) -> list:
    """(node shape, property shape, path, parameter) for the property shapes that have `component`, a sample
    spread over the shapes (every one when there are few)."""
    g = shapes_graph()
    found = []
    for ps, value in g.subject_objects(component):
        path = g.value(ps, SH.path)
        for ns in g.subjects(SH.property, ps):
            found.append((ns, ps, path, value))
    found.sort(key=lambda c: (str(c[0]), str(c[1])))
    return found if len(found) <= 6 else found[:: max(1, len(found) // 6)][:6]


def mutate_value(graphs, constraint, make):
    """Replace one value of the path on one focus node by make(old value); validate that graph. When no focus
    node has the path in the dossier, give the first one a value made from (focus, path, FRESH)."""
    ns, ps, path, param = constraint
    tried = 0
    focused = focus_nodes(graphs, ns)
    if isinstance(path, URIRef) and focused and not any(
            t[0] == focus and t[1] == path for name, focus in focused for t in graphs[name]):
        name, focus = focused[0]
        report = agree_on_graph(name, list(graphs[name]) + make((focus, path, FRESH), param))
        if {str(ps), str(ns)} & {r.shape for r in report.results}:
            return report
    for name, focus in focused:
        triples = graphs[name]
        if isinstance(path, URIRef):
            old = [t for t in triples if t[0] == focus and t[1] == path]
        else:
            inverse = shapes_graph().value(path, SH.inversePath)
            old = [t for t in triples if t[2] == focus and t[1] == inverse]
        for t in sorted(old)[:2]:
            report = agree_on_graph(name, [x for x in triples if x != t] + make(t, param))
            if {str(ps), str(ns)} & {r.shape for r in report.results}:
                return report  # the mutation breaks the constraint, and both engines say so alike
            tried += 1
        if tried >= 4:
            break
    raise AssertionError(f"no mutation of {path} on a focus node of {ns} breaks {ps}")


FRESH = URIRef("https://w3id.org/dossier-kg/id/untyped-thing")
VALUE_MUTATIONS = {
    # component: [(name, make(old triple, parameter) -> new triples)]
    SH.datatype: [("plain", lambda t, p: [(t[0], t[1], Literal("x") if p != namespace.XSD.string else Literal("x", lang="nl"))]),
                  ("ill-typed", lambda t, p: [(t[0], t[1], Literal("not-a-value", datatype=namespace.XSD.integer
                                                                   if str(p).endswith(("string", "String")) else p))]),
                  ("iri", lambda t, p: [(t[0], t[1], FRESH)])],
    SH.nodeKind: [("other", lambda t, p: [(t[0], t[1], FRESH if p == SH.Literal else Literal("x"))]),
                  ("blank", lambda t, p: [(t[0], t[1], BNode("b0"))])],
    SH["class"]: [("untyped", lambda t, p: [(t[0], t[1], FRESH)]),
                  ("literal", lambda t, p: [(t[0], t[1], Literal("x"))])],
    SH["or"]: [("untyped", lambda t, p: [(t[0], t[1], FRESH)]),
               ("literal", lambda t, p: [(t[0], t[1], Literal("x"))])],
    SH.pattern: [("mismatch", lambda t, p: [(t[0], t[1], Literal("does not match"))]),
                 ("iri", lambda t, p: [(t[0], t[1], FRESH)])],
    SH.minLength: [("empty", lambda t, p: [(t[0], t[1], Literal(""))])],
    SH.minInclusive: [("below", lambda t, p: [(t[0], t[1], Literal(-1))]),
                      ("string", lambda t, p: [(t[0], t[1], Literal("7"))])],
    SH.maxInclusive: [("above", lambda t, p: [(t[0], t[1], Literal("1.500", datatype=namespace.XSD.decimal))])],
    SH["in"]: [("other", lambda t, p: [(t[0], t[1], FRESH)])],
    SH.maxCount: [("second", lambda t, p: [t, (t[0], t[1], FRESH if isinstance(t[2], URIRef) else Literal("another"))])],
    SH.equals: [("other", lambda t, p: [(t[0], t[1], FRESH)])],
    SH.lessThanOrEquals: [("after", lambda t, p: [(t[0], t[1], Literal(10**9, datatype=namespace.XSD.nonNegativeInteger)
                                                   if "start" in str(t[1]) else
                                                   Literal("2999-01-01", datatype=namespace.XSD.date)
                                                   if "Date" in str(t[1]) else
                                                   Literal("2999-01-01T00:00:00", datatype=namespace.XSD.dateTime))])],
    SH.uniqueLang: [("twice", lambda t, p: [t, (t[0], t[1], Literal(f"{t[2]} (2)", lang=t[2].language or "nl"))])],
    SH.qualifiedValueShape: [("untyped", lambda t, p: [(t[0], t[1], FRESH)]),
                             ("another", lambda t, p: [t, (t[0], t[1], FRESH),
                                                       (FRESH, RDF.type, shapes_graph().value(p, SH["class"]))])],
}
VALUE_CASES = [(component, name, c) for component, makes in VALUE_MUTATIONS.items()
               for c in property_shapes_with(component) for name, _ in makes]


@pytest.mark.parametrize("case", VALUE_CASES,
                         ids=lambda c: f"{str(c[0]).rsplit('#', 1)[-1]}-{c[1]}-{str(c[2][1]).rsplit('#', 1)[-1]}")
def test_engines_agree_when_a_value_breaks_a_constraint(graphs, case):
    component, name, constraint = case
    make = dict(VALUE_MUTATIONS[component])[name]
    mutate_value(graphs, constraint, make)


@pytest.mark.parametrize("types_from", [0, 10**9], ids=["types-in-one-scan", "looked-up-per-shape"])
def test_engines_agree_however_the_focus_of_failing_values_is_found(graphs, monkeypatch, types_from):
    """A failing sh:class value is a result only where its subject is a focus node of the shape: the types of
    the candidates are read in one scan when there are many look-ups (TYPES_FROM), else looked up per shape.
    Both agree with pySHACL, on a value that fails and is a result, and on one whose subject is no focus node."""
    monkeypatch.setattr(fastshacl, "TYPES_FROM", types_from)
    for constraint in property_shapes_with(SH["class"]):
        report = mutate_value(graphs, constraint, lambda t, p: [(t[0], t[1], FRESH)])
        assert report.results
    name, triples = next((n, t) for n, t in graphs.items() if "provenance" in str(n))
    report = agree_on_graph(name, triples + [(FRESH, namespace.PROV.wasDerivedFrom, FRESH)])  # FRESH has no type
    assert not report.results


def test_the_actual_datatype_check_is_pyshacls():
    """fastshacl._actual_datatype writes out pySHACL's _assert_actual_datatype: the same answer for literals of
    every datatype it knows (and others), well and ill formed, against every datatype rule."""
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent

    XSD = namespace.XSD
    rules = [XSD.string, RDF.langString, XSD.integer, XSD.float, XSD.decimal, XSD.boolean, XSD.date, XSD.time,
             XSD.dateTime, XSD.nonNegativeInteger, XSD.gYear, XSD.anyURI, XSD.double]
    literals = [Literal("x"), Literal("x", lang="nl"), Literal("b", datatype=XSD.string)]
    for rule in rules:
        for text in ("7", "-3", "0.5", "true", "2022-12-13", "12:00:00", "2022-12-13T12:00:00Z", "x", ""):
            literals.append(Literal(text, datatype=rule))
    checked = 0
    for v in literals:
        for rule in rules:
            assert fastshacl._actual_datatype(v, rule) == \
                DatatypeConstraintComponent._assert_actual_datatype(None, v, rule), (v, v.datatype, rule)
            checked += 1
    assert checked > 1000


def test_the_literal_comparison_is_pyshacls():
    """fastshacl._compare_literal writes out pySHACL's compare_literal (sh:minInclusive, sh:maxInclusive): the same
    order, or the same error, for pairs of literals of numbers, dates, times, strings and booleans."""
    from pyshacl.rdfutil.compare import compare_literal

    XSD = namespace.XSD
    values = [Literal(-1), Literal(0), Literal(7), Literal("0.950", datatype=XSD.decimal), Literal(1.5),
              Literal("3", datatype=XSD.nonNegativeInteger), Literal("2022-12-13", datatype=XSD.date),
              Literal("2022-12-12", datatype=XSD.date), Literal("2022-12-13T12:00:00Z", datatype=XSD.dateTime),
              Literal("2022-12-13T11:00:00", datatype=XSD.dateTime), Literal("12:00:00", datatype=XSD.time),
              Literal("7"), Literal("a", lang="nl"), Literal(True), Literal("x", datatype=XSD.integer)]

    def outcome(compare, a, b):
        try:
            return compare(a, b)
        except (TypeError, NotImplementedError) as exc:
            return type(exc)
    pairs = [(a, b) for a in values for b in values]
    assert [outcome(fastshacl._compare_literal, a, b) for a, b in pairs] == [outcome(compare_literal, a, b)
                                                                            for a, b in pairs]
    assert {outcome(compare_literal, a, b) for a, b in pairs} >= {-1, 0, 1}


def test_engines_agree_on_node_level_constraints(graphs):
    g = shapes_graph()
    identity = URIRef("https://w3id.org/dossier-kg/shapes#LetterIdentityShape")
    (name, letter), *_ = focus_nodes(graphs, identity)
    unidentified = [t for t in graphs[name] if not (t[0] == letter and str(t[1]) in (
        "http://purl.org/dc/terms/identifier", DKG + "renderedIn"))]
    agree_on_graph(name, unidentified)  # sh:or of two [sh:path; sh:minCount 1]
    blank = BNode("blank-letter")
    renamed = [tuple(blank if x == letter else x for x in t) for t in graphs[name]]
    agree_on_graph(name, renamed)  # sh:nodeKind sh:IRI of dkgsh:MintedIRIShape
    assert g.value(identity, SH["or"]) is not None


# ------------------------------------------------------------------------------------------------ literals

def test_engines_agree_where_the_store_changes_literals(graphs):
    """Oxigraph stores "3"^^xsd:nonNegativeInteger as "3"^^xsd:integer, "0.950" as "0.95", "+00:00" as "Z"; rdflib
    tells plain and xsd:string literals apart; language tags are lower-cased."""
    name = next(n for n, triples in graphs.items() if any(str(p) == DKG + "datePostponed" for _, p, _ in triples))
    triples = list(graphs[name])
    postponement = next(s for s, p, _ in triples if str(p) == DKG + "datePostponed")
    position = next(s for s, p, o in triples if p == RDF.type and str(o).endswith("TextPositionSelector"))
    question = next(s for s, p, o in triples if p == RDF.type and str(o) == DKG + "Question")
    start = URIRef("http://www.w3.org/ns/oa#start")
    variants = [
        [(position, start, Literal("3", datatype=namespace.XSD.integer))],  # beside its nonNegativeInteger: two values
        [(postponement, URIRef(DKG + "datePostponed"), Literal("2023-02-01+00:00", datatype=namespace.XSD.date))],
        [(postponement, URIRef(DKG + "datePostponed"), Literal("2023-02-31", datatype=namespace.XSD.date))],
        [(question, URIRef(DKG + "numberLabel"), Literal("1", datatype=namespace.XSD.string))],
        [(question, URIRef(DKG + "numberLabel"), Literal("1"))],
        [(question, URIRef(DKG + "text"), Literal("Tekst", lang="NL"))],
        [(question, URIRef(DKG + "number"), Literal("01", datatype=namespace.XSD.positiveInteger))],
        [(question, URIRef(DKG + "number"), Literal("x", datatype=namespace.XSD.integer))],
    ]
    for extra in variants:
        agree_on_graph(name, triples + extra)


def test_a_graph_with_a_term_oxigraph_rejects_is_validated_by_pyshacl(graphs):
    name, triples = next(iter(graphs.items()))
    bad = (URIRef("https://w3id.org/dossier-kg/id/x"), RDF.type, URIRef("relative-iri"))  # rdflib takes it
    quads = [(s, p, o, name) for s, p, o in triples + [bad]]
    fast, _ = assert_agree(quads)
    assert str(name) in fast.fallback


def test_a_shape_the_compiler_does_not_translate_is_validated_by_pyshacl(graphs):
    shapes = Graph()
    for t in shapes_graph():
        shapes.add(t)
    xone = URIRef("https://example.org/shapes#QuestionXoneShape")
    shapes.add((xone, RDF.type, SH.NodeShape))
    shapes.add((xone, SH.targetClass, URIRef(DKG + "Question")))
    shapes.add((xone, SH.closed, Literal(True)))
    shapes.add((xone, SH.message, Literal("closed", lang="en")))
    name, triples = next((n, t) for n, t in graphs.items() if any(str(o) == DKG + "Question" for _, _, o in t))
    quads = [(s, p, o, name) for s, p, o in triples]
    fast = validate_quads(quads, shapes, engine="fast")
    slow = validate_quads(quads, shapes, engine="pyshacl")
    assert str(xone) in fast.unsupported
    assert fast.conforms == slow.conforms is False
    assert Counter(map(key, fast.results)) == Counter(map(key, slow.results))


# ------------------------------------------------------------------------------------------------ scale and CLI

def test_engines_agree_on_100_synthetic_documents(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import make_corpus

    corpus = make_corpus(100, tmp_path / "corpus")
    built = build_graph(read_sources(corpus[0].parent))
    fast, _ = assert_agree(built.quads, parallel=2)
    assert len({r.graph for r in fast.results}) > 50


def test_kg_validate_and_kg_build_take_an_engine(built, tmp_path):
    data = tmp_path / "dossier.trig"
    data.write_bytes(serialise(built.quads, "trig"))
    outputs = []
    for engine in ("fast", "pyshacl"):
        result = CliRunner().invoke(kg.cli, ["validate", str(data), "--engine", engine])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    result = CliRunner().invoke(kg.cli, ["validate", str(data), "--engine", "other"])
    assert result.exit_code == 2
    summaries = []
    for engine in ("fast", "pyshacl"):
        result = CliRunner().invoke(kg.cli, ["build", "--out", str(tmp_path / engine), "--engine", engine])
        assert result.exit_code == 0, result.output
        summaries.append(result.output.replace(str(tmp_path / engine), "OUT"))
    assert summaries[0] == summaries[1]
    assert "validation" in summaries[0].lower() or "conform" in summaries[0].lower(), summaries[0]


CUSTOM_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/shapes#> .
@prefix d: <https://w3id.org/dossier-kg/def#> .

ex:prefixes sh:declare [ sh:prefix "d" ; sh:namespace "https://w3id.org/dossier-kg/def#"^^xsd:anyURI ] .

ex:NumberOne a sh:NodeShape ;
    sh:targetClass d:Question ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ; sh:message "number {?value} of {$this}"@en ;
        sh:select "SELECT $this ?value WHERE { $this d:number|d:numberLabel ?value . FILTER (?value IN (1, 2)) }" ] .

ex:AnswersSomething a sh:NodeShape ;
    sh:targetClass d:Answer ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:prefixes ex:prefixes ; sh:message "answers {?q}"@en ;
        sh:select "SELECT $this ?q WHERE { $this d:answers [ d:number ?n ] ; d:answers ?q . FILTER (?n > 1) }" ] .

ex:NumberedOrAnswered a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:prefixes ;
        sh:select "SELECT ?this WHERE { { ?a d:answers ?this } UNION { ?this d:numberLabel ?l } OPTIONAL { ?this d:text ?t } BIND (1 AS ?one) FILTER (?one = 1) }" ] ;
    sh:property [ sh:path d:printedLabel ; sh:minCount 2 ; sh:message "one printed label"@en ; sh:severity sh:Warning ] ;
    sh:property [ sh:path d:number ; sh:maxInclusive 2 ; sh:message "number above 2"@en ] .
"""


def test_engines_agree_on_other_shapes_and_queries_run_as_written(graphs):
    """Prefixes of another name, a target and a constraint (with an alternative path) the rewriter takes apart,
    one it leaves as written (a blank node)."""
    shapes = Graph().parse(data=CUSTOM_SHAPES, format="turtle")
    program = fastshacl.compile_shapes(shapes)
    assert not program.unsupported, program.unsupported
    name, triples = next((n, t) for n, t in graphs.items() if any(str(p) == DKG + "answers" for _, p, _ in t))
    quads = [(s, p, o, name) for s, p, o in triples]
    fast = validate_quads(quads, shapes, engine="fast")
    slow = validate_quads(quads, shapes, engine="pyshacl")
    assert fast.results and not fast.fallback
    assert fast.conforms == slow.conforms
    assert Counter(map(key, fast.results)) == Counter(map(key, slow.results))
    shapes_reported = {r.shape for r in fast.results}
    assert {"https://example.org/shapes#NumberOne", "https://example.org/shapes#AnswersSomething"} <= shapes_reported


def test_engines_agree_when_the_data_has_subclasses(graphs):
    """pySHACL follows rdfs:subClassOf in the data graph for targets and sh:class."""
    name, triples = next((n, t) for n, t in graphs.items() if any(str(o) == DKG + "Question" for _, _, o in t))
    special = URIRef("https://example.org/SpecialQuestion")
    node = URIRef("https://w3id.org/dossier-kg/id/special-question")
    question = next(s for s, p, o in triples if p == RDF.type and str(o) == DKG + "Question")
    extra = [(special, namespace.RDFS.subClassOf, URIRef(DKG + "Question")), (node, RDF.type, special),
             (node, URIRef(DKG + "number"), Literal(0)),
             (question, URIRef("http://purl.org/dc/terms/isPartOf"), node)]  # a question set it is not
    fast = agree_on_graph(name, triples + extra)
    assert any(r.focus == str(node) for r in fast.results)
