"""Query results as SPARQL 1.1 Query Results JSON, and their renderings: table, csv, json, md."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

import pyoxigraph as ox


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
    def from_oxigraph(cls, solutions) -> Results:
        if isinstance(solutions, ox.QueryBoolean):
            return cls(["boolean"], [{"boolean": {"type": "literal", "value": str(bool(solutions)).lower()}}])
        return cls.from_json(json.loads(solutions.serialize(format=ox.QueryResultsFormat.JSON)))

    def without_params(self) -> Results:
        """The results without the projected parameter columns (?param_…)."""
        keep = [v for v in self.vars if not v.startswith("param_")]
        return Results(keep, [{k: v for k, v in b.items() if k in keep} for b in self.bindings], self.warnings)

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
