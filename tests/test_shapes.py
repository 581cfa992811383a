"""The SHACL shapes (shapes/*.ttl): hand-written examples, the built dossier, and mutations of it.

- every constraint carries a message (en and nl) and an explicit severity (policy: shapes/README.md);
- tests/shapes/valid/*.ttl conform without any result;
- each tests/shapes/invalid/*.ttl breaks one constraint, named in its header comments
  (`# shape:`, and `# path:`, `# constraint:` or `# component:`, optionally `# severity:`), and fails on
  exactly that one;
- the dossier as built conforms;
- mutation: for every property shape with sh:minCount >= 1, remove that property from one node the shape
  targets in the built dossier, write the dataset as TriG and run `kg validate` on it: it must name the node
  (and fail, exit 1, when the constraint is a Violation).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

import kg
from dossierkg.build import build_graph, read_sources
from dossierkg.export import serialise
from dossierkg.paths import DOSSIER, ROOT
from dossierkg.validate import shapes_graph, validate_graph, validate_quads

HERE = Path(__file__).resolve().parent / "shapes"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
SHAPES_ONTOLOGY = URIRef("https://w3id.org/dossier-kg/shapes")
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

# The classes the mapping writes that must each have a node shape of their own (sh:targetClass).
CLASSES = ["dkg:QuestionSet", "dkg:AnswerSet", "dkg:PostponementNotice", "dkg:Letter", "dkg:DecisionNote",
           "dkg:Question", "dkg:Answer", "dkg:Footnote", "dkg:InTextReference", "dkg:Section", "dkg:Advice",
           "dkg:NewsArticle", "dkg:NewsOutlet", "dkg:Person", "dkg:Party", "dkg:Post", "dkg:Ministry", "dkg:Case",
           "dkg:SourceFile", "oa:SpecificResource", "oa:TextPositionSelector", "oa:TextQuoteSelector",
           "prov:Activity", "prov:Attribution"]
# The SPARQL constraints the shapes must have, each with at least one invalid example.
SPARQL_CONSTRAINTS = ["answer-after-question", "answered-question-exists", "answer-number-matches",
                      "answer-in-own-question-set", "question-number-unique", "citation-backed", "span-length",
                      "postponement-within-term"]


def expand(curie: str) -> URIRef:
    return shapes_graph().namespace_manager.expand_curie(curie)


def node_shape(shape) -> object:
    """The node shape a result's source shape belongs to (a property shape's owner, else itself)."""
    return next(shapes_graph().subjects(SH.property, shape), shape)


def property_shapes(g: Graph):
    return sorted({ps for ps in g.objects(None, SH.property)}, key=str)


def node_level_shapes(g: Graph):
    """Node shapes that carry constraints of their own (not only sh:property / sh:sparql)."""
    node_params = {SH.nodeKind, SH["or"], SH["and"], SH["not"], SH.xone, SH["class"], SH.closed}
    return sorted({s for s in g.subjects(RDF.type, SH.NodeShape) if any(g.value(s, p) is not None
                                                                          for p in node_params)}, key=str)


def prefixes(g: Graph) -> dict[str, str]:
    return {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(SHAPES_ONTOLOGY, SH.declare)}


# ------------------------------------------------------------------------------------------------ the shapes

def test_shapes_declare_their_prefixes_once():
    g = shapes_graph()
    assert prefixes(g)["dkg"] == "https://w3id.org/dossier-kg/def#"
    used = set(g.objects(None, SH.prefixes))
    assert used == {SHAPES_ONTOLOGY}


@pytest.mark.parametrize("curie", CLASSES)
def test_every_class_has_a_node_shape_with_property_constraints(curie):
    g = shapes_graph()
    shapes = [s for s in g.subjects(SH.targetClass, expand(curie)) if g.value(s, SH.property) is not None]
    assert shapes, f"no node shape with property shapes targets {curie}"


def test_every_constraint_has_a_message_in_english_and_dutch_and_a_severity():
    g = shapes_graph()
    constrained = property_shapes(g) + list(g.objects(None, SH.sparql)) + node_level_shapes(g)
    assert len(constrained) > 100
    for shape in constrained:
        languages = {m.language for m in g.objects(shape, SH.message) if isinstance(m, Literal)}
        assert {"en", "nl"} <= languages, f"{shape}: sh:message in en and nl"
        assert g.value(shape, SH.severity) in SEVERITIES, f"{shape}: explicit sh:severity"


def test_node_shapes_of_classes_have_no_message_of_their_own():
    """pySHACL adds a node shape's sh:message to the results of its SPARQL constraints: keep them apart."""
    g = shapes_graph()
    for shape in g.subjects(SH.sparql, None):
        assert g.value(shape, SH.message) is None, shape


def test_the_sparql_constraints_exist_and_each_has_an_invalid_example():
    g = shapes_graph()
    labels = {str(g.value(c, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))): c
              for c in g.objects(None, SH.sparql)}
    assert set(SPARQL_CONSTRAINTS) <= set(labels)
    for name, node in labels.items():
        assert node == expand(f"dkgsh:{name}"), "each SPARQL constraint is named dkgsh:<its label>"
        assert g.value(node, SH.select) is not None
    examples = {header(p).get("constraint") for p in INVALID}
    missing = {f"dkgsh:{name}" for name in labels} - examples
    assert not missing, f"SPARQL constraints without an invalid example: {sorted(missing)}"


# ------------------------------------------------------------------------------------------------ examples

def header(path: Path) -> dict[str, str]:
    """`# key: value` lines at the top of an example."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*(shape|path|constraint|component|severity):\s*(\S+)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_example_conforms(path):
    report = validate_graph(Graph().parse(path, format="turtle"), graph_name=path.name)
    assert report.conforms, report.text
    assert not report.results, report.text


def test_there_are_invalid_examples_and_each_names_its_shape():
    assert len(INVALID) >= 15
    for path in INVALID:
        assert path.read_text(encoding="utf-8").startswith("# shape: "), path.name
        h = header(path)
        assert {"path", "constraint", "component"} & set(h) or h["shape"] == "dkgsh:MintedIRIShape", path.name


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_example_fails_on_exactly_its_constraint(path):
    expected = header(path)
    severity = expected.get("severity", "Violation")
    report = validate_graph(Graph().parse(path, format="turtle"), graph_name=path.name)
    assert report.conforms is (severity != "Violation"), report.text
    rg = report.graph
    found = []
    for r in rg.subjects(RDF.type, SH.ValidationResult):
        sev = SEVERITIES[rg.value(r, SH.resultSeverity)]
        if sev == "Info":
            continue
        found.append((sev, node_shape(rg.value(r, SH.sourceShape)), rg.value(r, SH.resultPath),
                      rg.value(r, SH.sourceConstraint), rg.value(r, SH.sourceConstraintComponent)))
    assert found, report.text
    for sev, shape, result_path, constraint, component in found:
        assert sev == severity, report.text
        assert shape == expand(expected["shape"]), report.text
        if "path" in expected:
            assert result_path == expand(expected["path"]), report.text
        if "constraint" in expected:
            assert constraint == expand(expected["constraint"]), report.text
        if "component" in expected:
            assert component == expand(expected["component"]), report.text
    messages = [r.message for r in report.results if r.severity == severity]
    assert all(messages) and all("{?" not in m for m in messages), messages


# ------------------------------------------------------------------------------------------------ the dossier

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The dossier as `kg build` makes it (with the curated policy instruments), plus one constructed Kamerstuk
    letter (tests/fixtures/letters) so that every class, letters included, has nodes to mutate."""
    folder = tmp_path_factory.mktemp("dossier")
    for path in DOSSIER.iterdir():
        shutil.copy(path, folder / path.name)
    shutil.copy(ROOT / "tests/fixtures/letters/kst-19637-3018-style.txt", folder / "005_letter.txt")
    return build_graph(read_sources(folder), curation=folder / "instruments.json")


def test_built_dossier_conforms(built):
    report = validate_quads(built.quads)
    assert report.conforms, report.text
    assert not report.violations, report.text
    graphs = {str(g) for *_, g in built.quads}
    assert {r.graph for r in report.results} <= graphs


def test_kg_validate_passes_the_unmutated_dossier(built, tmp_path):
    data = tmp_path / "dossier.trig"
    data.write_bytes(serialise(built.quads, "trig"))
    result = CliRunner().invoke(kg.cli, ["validate", str(data)])
    assert result.exit_code == 0, result.output
    assert "Violation:" not in result.output


# ------------------------------------------------------------------------------------------------ mutation

def min_count_constraints() -> list[tuple[URIRef, URIRef, URIRef, str]]:
    """(node shape, property shape, path, severity) for each property shape with sh:minCount >= 1."""
    g = shapes_graph()
    out = []
    for ps, n in g.subject_objects(SH.minCount):
        path = g.value(ps, SH.path)
        if int(n) < 1 or not isinstance(path, URIRef):
            continue
        for ns in g.subjects(SH.property, ps):
            out.append((ns, ps, path, SEVERITIES[g.value(ps, SH.severity, default=SH.Violation)]))
    return sorted(out, key=lambda c: (str(c[0]), str(c[1])))


MIN_COUNTS = min_count_constraints()


def focus_nodes(built, shape) -> list[tuple[URIRef, URIRef]]:
    """(graph, node) pairs the node shape targets in the built dossier: sh:targetClass or a SPARQL target."""
    g = shapes_graph()
    classes = set(g.objects(shape, SH.targetClass))
    selects = [str(g.value(t, SH.select)) for t in g.objects(shape, SH.target)]
    out = set()
    for name, data in named_graphs(built).items():
        for cls in classes:
            out |= {(name, n) for n in data.subjects(RDF.type, cls) if isinstance(n, URIRef)}
        for select in selects:
            out |= {(name, row[0]) for row in data.query(select, initNs=prefixes(g))}
    return sorted(out)


_NAMED_GRAPHS: dict[int, dict[URIRef, Graph]] = {}


def named_graphs(built) -> dict[URIRef, Graph]:
    """The built dossier's named graphs, each as a Graph (made once per build)."""
    if id(built) not in _NAMED_GRAPHS:
        graphs: dict[URIRef, Graph] = {}
        for s, p, o, name in built.quads:
            graphs.setdefault(name, Graph()).add((s, p, o))
        _NAMED_GRAPHS.clear()
        _NAMED_GRAPHS[id(built)] = graphs
    return _NAMED_GRAPHS[id(built)]


def targeted_with(built, shape, path) -> list[tuple[URIRef, URIRef]]:
    """(graph, node) pairs the shape targets whose node has `path` in that graph."""
    graphs = named_graphs(built)
    return [(name, node) for name, node in focus_nodes(built, shape) if (node, path, None) in graphs[name]]


def test_mutation_exercises_at_least_15_violation_min_counts(built):
    exercised = [c for c in MIN_COUNTS if c[3] == "Violation" and targeted_with(built, c[0], c[2])]
    assert len(exercised) >= 15, [str(c[1]) for c in exercised]


@pytest.mark.parametrize("constraint", MIN_COUNTS, ids=lambda c: str(c[1]).rsplit("#", 1)[-1])
def test_mutation_removing_a_required_property_is_reported_by_kg_validate(built, constraint, tmp_path):
    shape, _, path, severity = constraint
    candidates = targeted_with(built, shape, path)
    assert candidates, f"no node targeted by {shape} has {path} in the built dossier"
    _, focus = candidates[0]
    mutated = [q for q in built.quads if not (q[0] == focus and q[1] == path)]
    assert len(mutated) < len(built.quads)
    data = tmp_path / "mutated.trig"
    data.write_bytes(serialise(mutated, "trig"))
    result = CliRunner().invoke(kg.cli, ["validate", str(data)])
    line = re.compile(rf"^{severity}: <{re.escape(str(focus))}> <?{re.escape(str(path))}>?:", re.M)
    assert line.search(result.output), f"{severity} for <{focus}> {path} not reported:\n{result.output}"
    if severity == "Violation":
        assert result.exit_code == 1, result.output
    else:  # a warning alone does not fail validation; what else the removal breaks may
        assert result.exit_code == (1 if re.search(r"^Violation: ", result.output, re.M) else 0), result.output
