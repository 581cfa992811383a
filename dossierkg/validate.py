"""SHACL validation per named graph, returning a Report: the fast engine (dossierkg.fastshacl: the shapes compiled
to SPARQL, run on Oxigraph over every graph at once) or pySHACL itself (engine="pyshacl"), with the same
results."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .paths import SHAPES


@dataclass(frozen=True)
class Result:
    severity: str  # Violation | Warning | Info
    focus: str
    path: str | None
    message: str
    shape: str | None
    graph: str | None


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)
    fallback: dict = field(default_factory=dict)  # fast engine: graph name -> why pySHACL validated it
    unsupported: dict = field(default_factory=dict)  # fast engine: shape -> why pySHACL validated it

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def text(self) -> str:
        if not self.results:
            return "Conforms: every node satisfies its shapes."
        lines = [f"Conforms: {self.conforms} ({len(self.violations)} violation(s), "
                 f"{len(self.results) - len(self.violations)} other result(s))"]
        rank = {"Violation": 0, "Warning": 1, "Info": 2}
        for r in sorted(self.results, key=lambda r: (rank.get(r.severity, 3), r.graph or "", r.focus, r.path or "",
                                                     r.message)):
            where = f" [graph {r.graph}]" if r.graph else ""
            path = f" {r.path}:" if r.path else ""
            lines.append(f"{r.severity}: <{r.focus}>{path} {r.message}{where}")
        return "\n".join(lines)


@lru_cache(maxsize=4)
def _shapes(folder: str) -> Graph:
    g = Graph()
    for path in sorted(Path(folder).glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def shapes_graph(folder: Path = SHAPES) -> Graph:
    return _shapes(str(folder))


MESSAGE_LANGUAGES = ("en", "nl")  # the shapes give each sh:message in both; the report shows the first found


@lru_cache(maxsize=256)
def _template(text: str) -> re.Pattern:
    """A SPARQL constraint's message template ({?var}, {$this}) as a pattern its filled-in text matches."""
    return re.compile(".*?".join(re.escape(part) for part in re.split(r"\{[?$]\w+\}", text)), re.S)


def _message(report_graph: Graph, result, shapes: Graph | None) -> str:
    """The result's message in the preferred language, chosen deterministically."""
    messages = [m for m in report_graph.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    constraint = report_graph.value(result, SH.sourceConstraint)
    templates = list(shapes.objects(constraint, SH.message)) if shapes is not None and constraint is not None else []
    return pick_message(messages, templates)


def pick_message(messages: list, templates: list) -> str:
    """The message in the preferred language, chosen deterministically.

    pySHACL drops the language tag when it fills in a SPARQL constraint's message; the language is then
    that of the constraint's template (`templates`) the text matches."""
    messages = [m for m in messages if isinstance(m, Literal)]
    templates = [t for t in templates if isinstance(t, Literal) and t.language]

    def language(m: Literal) -> str:
        return m.language or next((t.language for t in templates if _template(str(t)).fullmatch(str(m))), "")

    rank = {lang: i for i, lang in enumerate(MESSAGE_LANGUAGES)}
    messages.sort(key=lambda m: (rank.get(language(m), len(rank)), language(m), str(m)))
    return str(messages[0]) if messages else ""


_PREPARED: OrderedDict[tuple, object] = OrderedDict()
_PREPARED_KEPT = 256
_patch_lock = threading.Lock()
_patch_depth = 0
_original_query = None  # rdflib's SPARQLProcessor.query (rdflib's SPARQL engine is imported when pySHACL runs)


def _query_prepared_once(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    if isinstance(strOrQuery, str):
        key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
        with _patch_lock:
            prepared = _PREPARED.get(key)
            if prepared is not None:
                _PREPARED.move_to_end(key)
        if prepared is None:
            prepared = translateQuery(parseQuery(strOrQuery), base, initNs or {})
            with _patch_lock:
                _PREPARED[key] = prepared
                while len(_PREPARED) > _PREPARED_KEPT:
                    _PREPARED.popitem(last=False)
        strOrQuery = prepared
    return _original_query(self, strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def _prepared_queries():
    """pySHACL hands rdflib a SPARQL constraint's text anew for every focus node, and rdflib parses it each
    time (most of the validation time). While validating, each query text is parsed and translated once
    (what rdflib's prepareQuery does; evaluating a prepared query does not change it)."""
    global _patch_depth, _original_query
    from rdflib.plugins.sparql.processor import SPARQLProcessor

    with _patch_lock:
        if _patch_depth == 0:
            if _original_query is None:
                _original_query = SPARQLProcessor.query
            SPARQLProcessor.query = _query_prepared_once
        _patch_depth += 1
    try:
        yield
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                SPARQLProcessor.query = _original_query


def _results(report_graph: Graph, graph_name: str | None, shapes: Graph | None = None) -> list[Result]:
    out = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        sev = report_graph.value(r, SH.resultSeverity)
        msg = _message(report_graph, r, shapes)
        path = report_graph.value(r, SH.resultPath)
        shape = report_graph.value(r, SH.sourceShape)
        out.append(Result(str(sev).rsplit("#", 1)[-1] if sev else "Violation", str(report_graph.value(r, SH.focusNode)),
                          str(path) if isinstance(path, URIRef) else None, msg,
                          str(shape) if isinstance(shape, URIRef) else None, graph_name))
    return out


ENGINES = ("fast", "pyshacl")


def validate_graph(data: Graph, shapes: Graph | None = None, graph_name: str | None = None,
                   engine: str = "fast") -> Report:
    """Validate one graph. engine "fast" (compiled queries, dossierkg.fastshacl) or "pyshacl"."""
    shapes = shapes if shapes is not None else shapes_graph()
    if engine == "fast":
        report = _validate_fast([(s, p, o, graph_name) for s, p, o in data], shapes)
        report.results = [replace(r, graph=graph_name) for r in report.results]
        return report
    if engine != "pyshacl":
        raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    from pyshacl import validate as shacl_validate  # imported when used: the fast engine does without

    with _prepared_queries():
        conforms, report_graph, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                                   allow_warnings=True)
    return Report(bool(conforms), _results(report_graph, graph_name, shapes), report_graph)


_REPORTS: OrderedDict[tuple, Report] = OrderedDict()
_REPORTS_KEPT = 64


def _digest(data: Graph) -> str:
    """The content of a graph (equal triples, equal digest)."""
    h = hashlib.sha256()
    for line in sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in data):
        h.update(line.encode("utf-8") + b"\n")
    return h.hexdigest()


def _validate_named(data: Graph, shapes: Graph, name: str) -> Report:
    """validate_graph, remembering the reports of the last named graphs seen: a named graph whose triples did
    not change since (one source's graph after a rebuild or an edit of another) is not validated again."""
    key = (id(shapes), len(shapes), name, _digest(data))
    if key in _REPORTS:
        _REPORTS.move_to_end(key)
        return _REPORTS[key]
    part = _REPORTS[key] = validate_graph(data, shapes, name, engine="pyshacl")
    while len(_REPORTS) > _REPORTS_KEPT:
        _REPORTS.popitem(last=False)
    return part


def validate_quads(quads, shapes: Graph | None = None, engine: str = "fast", parallel: int | None = None,
                   nquads: bytes | None = None, report_graph: bool = True) -> Report:
    """Validate each named graph on its own (shapes only relate resources within one source's graph).

    engine "fast" (default): every graph at once with the compiled queries (dossierkg.fastshacl), in `parallel`
    threads (default: 2 on a machine with 2+ cores for large data); `nquads` may give the same quads already
    serialised as N-Quads (what the build writes), which saves writing them anew. "pyshacl": pySHACL per graph.
    Both give the same results. `report_graph`=False: the fast engine leaves the report's RDF graph empty
    (the results are all a build keeps)."""
    shapes = shapes if shapes is not None else shapes_graph()
    if engine == "fast":
        return _validate_fast(quads, shapes, parallel, nquads, report_graph)
    if engine != "pyshacl":
        raise ValueError(f"unknown validation engine {engine!r}; choose one of {', '.join(ENGINES)}")
    by_graph: dict[str, Graph] = defaultdict(Graph)
    for s, p, o, g in quads:
        by_graph[str(g)].add((s, p, o))
    report = Report(True)
    for name in sorted(by_graph):
        part = _validate_named(by_graph[name], shapes, name)
        report.conforms = report.conforms and part.conforms
        report.results.extend(part.results)
        report.graph += part.graph
    return report


PARALLEL_FROM = 50_000  # quads: below this, a second thread for the queries is not worth starting


def _validate_fast(quads, shapes: Graph, parallel: int | None = None, nquads: bytes | None = None,
                   report_graph: bool = True) -> Report:
    from . import fastshacl

    quads = quads if isinstance(quads, list) else list(quads)
    if parallel is None:
        parallel = 2 if len(quads) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2 else 1
    outcome = fastshacl.validate(quads, shapes, parallel, nquads)
    report = Report(True, [], Graph())
    failing: set[str] = set()
    for f in outcome.findings:
        constraint_messages = list(shapes.objects(f.constraint, SH.message)) if f.constraint is not None else []
        severity = f.shape.severity
        report.results.append(Result(SEVERITY_NAME.get(severity, str(severity).rsplit("#", 1)[-1]), str(f.focus),
                                     str(f.path) if isinstance(f.path, URIRef) else None,
                                     pick_message(f.messages, constraint_messages),
                                     str(f.shape.node) if isinstance(f.shape.node, URIRef) else None, f.graph))
        if severity not in (SH.Warning, SH.Info):
            report.conforms = False
            failing.add(f.graph)
    if report_graph:
        _report_graph(report.graph, outcome, shapes, failing)
    for name, part in outcome.extra_reports:
        report.conforms = report.conforms and part.conforms
        report.results.extend(part.results)
        report.graph += part.graph
    report.fallback = dict(outcome.fallback)
    report.unsupported = {str(k): v for k, v in outcome.unsupported.items()}
    return report


def _report_graph(rg: Graph, outcome, shapes: Graph, failing: set[str]) -> None:
    """The fast engine's findings as a SHACL validation report in RDF: one sh:ValidationReport per graph."""
    reports: dict[str, BNode] = {}
    for f in outcome.findings:
        node = BNode()
        rg.add((reports.setdefault(f.graph, BNode()), SH.result, node))
        rg.add((node, RDF.type, SH.ValidationResult))
        rg.add((node, SH.focusNode, f.focus))
        rg.add((node, SH.resultSeverity, f.shape.severity))
        rg.add((node, SH.sourceShape, f.shape.node))
        rg.add((node, SH.sourceConstraintComponent, f.component))
        if f.path is not None:
            rg.add((node, SH.resultPath, f.path))
            if isinstance(f.path, BNode):
                for t in shapes.triples((f.path, None, None)):
                    rg.add(t)
        if f.value is not None:
            rg.add((node, SH.value, f.value))
        if f.constraint is not None:
            rg.add((node, SH.sourceConstraint, f.constraint))
        for m in f.messages:
            rg.add((node, SH.resultMessage, m))
    for name in outcome.graph_names:
        if name in outcome.fallback:
            continue
        node = reports.get(name) or BNode()
        rg.add((node, RDF.type, SH.ValidationReport))
        rg.add((node, SH.conforms, Literal(name not in failing)))


SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

__all__ = ["Report", "Result", "validate_graph", "validate_quads", "shapes_graph", "ENGINES"]
