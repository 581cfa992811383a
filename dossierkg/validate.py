"""SHACL validation with pySHACL: per named graph (shapes prepared once), returning a Report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
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

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def text(self) -> str:
        if not self.results:
            return "Conforms: every node satisfies its shapes."
        lines = [f"Conforms: {self.conforms} ({len(self.violations)} violation(s), "
                 f"{len(self.results) - len(self.violations)} other result(s))"]
        for r in sorted(self.results, key=lambda r: (r.severity != "Violation", r.graph or "", r.focus, r.message)):
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


def _results(report_graph: Graph, graph_name: str | None) -> list[Result]:
    out = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        sev = report_graph.value(r, SH.resultSeverity)
        msg = report_graph.value(r, SH.resultMessage)
        path = report_graph.value(r, SH.resultPath)
        shape = report_graph.value(r, SH.sourceShape)
        out.append(Result(str(sev).rsplit("#", 1)[-1] if sev else "Violation", str(report_graph.value(r, SH.focusNode)),
                          str(path) if isinstance(path, URIRef) else None, str(msg) if msg else "",
                          str(shape) if isinstance(shape, URIRef) else None, graph_name))
    return out


def validate_graph(data: Graph, shapes: Graph | None = None, graph_name: str | None = None) -> Report:
    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report_graph, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                               allow_warnings=True)
    return Report(bool(conforms), _results(report_graph, graph_name), report_graph)


def validate_quads(quads, shapes: Graph | None = None) -> Report:
    """Validate each named graph on its own (shapes only relate resources within one source's graph)."""
    by_graph: dict[str, Graph] = defaultdict(Graph)
    for s, p, o, g in quads:
        by_graph[str(g)].add((s, p, o))
    report = Report(True)
    for name in sorted(by_graph):
        part = validate_graph(by_graph[name], shapes, name)
        report.conforms = report.conforms and part.conforms
        report.results.extend(part.results)
        report.graph += part.graph
    return report


__all__ = ["Report", "Result", "validate_graph", "validate_quads", "shapes_graph"]
