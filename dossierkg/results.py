"""Query results as SPARQL 1.1 Query Results JSON, and their renderings: table, csv, json, md."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import collector


@dataclass
class Results:
    """vars and bindings exactly as in SPARQL 1.1 Query Results JSON."""

    vars: list[str]
    bindings: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict) -> Results:
        if "boolean" in data:
            return cls(["boolean"], [{"boolean": {"type": "literal", "value": str(data["boolean"]).lower()}}])
        return cls(list(data["head"]["vars"]), list(data["results"]["bindings"]))

    @classmethod
    def from_oxigraph(cls, solutions, without_params: bool = False) -> Results:
        """The results of an Oxigraph query; without_params: without the projected parameter columns (as
        without_params() would give, without making every row again)."""
        if isinstance(solutions, ox.QueryBoolean):
            return cls(["boolean"], [{"boolean": {"type": "literal", "value": str(bool(solutions)).lower()}}])
        # The dictionaries SPARQL 1.1 Query Results JSON gives, made from the terms directly: serialising to
        # JSON and parsing it again cost a third more (21,585 rows: 100 against 65 ms). The collector is off
        # while the rows are made: it would walk the growing list of dictionaries again and again.
        names = [v.value for v in solutions.variables]
        columns = [(i, n) for i, n in enumerate(names) if not (without_params and n.startswith("param_"))]
        with collector.paused():
            rows = []
            for solution in solutions:
                row = {}
                for i, name in columns:
                    t = solution[i]
                    if t is not None:
                        row[name] = _json_term(t)
                rows.append(row)
        return cls([n for _, n in columns], rows)

    def without_params(self) -> Results:
        """The results without the projected parameter columns (?param_…)."""
        keep = [v for v in self.vars if not v.startswith("param_")]
        if len(keep) == len(self.vars):
            return self
        return Results(keep, [{k: v for k, v in b.items() if k in keep} for b in self.bindings], self.warnings)

    def distinct(self) -> Results:
        """The rows without exact repeats, in their order: what a SELECT DISTINCT promises and some servers do
        not keep (Virtuoso 7.2 repeated 871 of the 5,515 rows of response-times at 10,000 documents)."""
        seen, rows = set(), []
        for b in self.bindings:
            key = json.dumps(b, sort_keys=True)
            if key not in seen:
                seen.add(key)
                rows.append(b)
        if len(rows) == len(self.bindings):
            return self
        repeated = len(self.bindings) - len(rows)
        note = f"the endpoint repeated {repeated} row{'s' if repeated != 1 else ''} of a SELECT DISTINCT: dropped"
        return Results(self.vars, rows, [*self.warnings, note])

    def values(self) -> list[dict[str, str | None]]:
        """Plain values per row (None when unbound)."""
        return [{v: (b[v]["value"] if v in b else None) for v in self.vars} for b in self.bindings]

    def to_json(self) -> str:
        return json.dumps({"head": {"vars": self.vars}, "results": {"bindings": self.bindings}},
                          ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.vars)
        for row in self.values():
            writer.writerow(["" if row[v] is None else row[v] for v in self.vars])
        return out.getvalue()

    def to_md(self) -> str:
        def cell(x):
            return "" if x is None else x.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(self.vars) + " |", "|" + "---|" * len(self.vars)]
        lines += ["| " + " | ".join(cell(r[v]) for v in self.vars) + " |" for r in self.values()]
        return "\n".join(lines) + "\n"

    def to_table(self, width: int = 60) -> str:
        def cell(x):
            x = "" if x is None else " ".join(x.split())
            return x if len(x) <= width else x[:width - 1] + "…"
        rows = [[cell(r[v]) for v in self.vars] for r in self.values()]
        widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(self.vars)]
        line = "  ".join(v.ljust(w) for v, w in zip(self.vars, widths)).rstrip()
        out = [line, "  ".join("-" * w for w in widths)]
        out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out) + "\n"

    def render(self, fmt: str) -> str:
        return {"json": self.to_json, "csv": self.to_csv, "md": self.to_md, "table": self.to_table}[fmt]()


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _json_term(t) -> dict:
    """A term as in SPARQL 1.1 Query Results JSON, exactly as Oxigraph writes it (keys in its order too)."""
    kind = type(t)
    if kind is ox.NamedNode:
        return {"type": "uri", "value": t.value}
    if kind is ox.Literal:
        language = t.language
        if language:
            direction = t.direction
            if direction is not None:
                return {"type": "literal", "value": t.value, "xml:lang": language, "its:dir": str(direction)}
            return {"type": "literal", "value": t.value, "xml:lang": language}
        datatype = t.datatype.value
        if datatype == _XSD_STRING:
            return {"type": "literal", "value": t.value}
        return {"type": "literal", "value": t.value, "datatype": datatype}
    if kind is ox.BlankNode:
        return {"type": "bnode", "value": t.value}
    if kind is ox.Triple:
        return {"type": "triple", "value": {"subject": _json_term(t.subject), "predicate": _json_term(t.predicate),
                                             "object": _json_term(t.object)}}
    raise TypeError(f"unexpected term in query results: {t!r}")
