"""Audit a build against the sources as they are now: every source's sha256, every span's exact text, and
the quotations that could not be found in the document they quote."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .parse.decode import UnreadableInput, decode
from .provenance import line_of

SOURCES = """
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?file ?name ?sha256 WHERE { ?file a dkg:SourceFile ; dcterms:identifier ?name ; dkg:sha256 ?sha256 }
ORDER BY ?name"""

SPANS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
# Each pattern alone in a subquery: Oxigraph joins subqueries by hashing one scan of each, where it looked
# the patterns up span by span (10,000 documents: 6.9 s, was 29 s with the derived resources grouped and the
# rows sorted here; the few spans that changed get their resources from DERIVED and are sorted in Python).
SELECT DISTINCT ?span ?name ?start ?end ?exact WHERE {
  { SELECT ?span ?position WHERE { ?span oa:hasSelector ?position } }
  { SELECT ?position ?start WHERE { ?position oa:start ?start } }
  { SELECT ?position ?end WHERE { ?position oa:end ?end } }
  { SELECT ?span ?quote WHERE { ?span oa:hasSelector ?quote } }
  { SELECT ?quote ?exact WHERE { ?quote oa:exact ?exact } }
  { SELECT ?span ?file WHERE { ?span oa:hasSource ?file } }
  { SELECT ?file ?name WHERE {
      ?file a dkg:SourceFile . { SELECT ?file ?name WHERE { ?file dcterms:identifier ?name } } } }
}"""

DERIVED = """
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?span (MIN(STR(?r)) AS ?resource) WHERE { VALUES ?span { %s } ?r prov:wasDerivedFrom ?span } GROUP BY ?span"""

UNFOUND = """
PREFIX dkg: <https://w3id.org/dossier-kg/def#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?quoting ?block ?name ?start ?exact ?verbatim WHERE {
  ?quoting dkg:verbatim ?verbatim ; dcterms:isPartOf ?block ; oa:hasSource/dcterms:identifier ?name ;
           oa:hasSelector ?position , ?quote .
  ?position oa:start ?start . ?quote oa:exact ?exact .
  FILTER NOT EXISTS { ?quoting prov:wasQuotedFrom ?passage }
} ORDER BY ?name ?start"""


@dataclass(frozen=True)
class Finding:
    kind: str  # source-changed | source-missing | span-changed | quote-not-found
    file: str
    line: int | None
    resource: str | None
    expected: str | None
    found: str | None

    def describe(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        about = f" ({self.resource})" if self.resource else ""
        if self.kind == "span-changed":
            return f"{where}: span changed{about}: expected «{self.expected}», found «{self.found}»"
        if self.kind == "source-changed":
            return f"{where}: source changed since the build: sha256 {self.expected[:12]}… is now {self.found[:12]}…"
        if self.kind == "source-missing":
            return f"{where}: source file missing ({self.found})"
        return f"{where}: quotation not found in the dossier{about}: «{self.expected}»"


def _value(term) -> str:
    return term.value if term is not None else None


def audit(store, dossier: Path) -> tuple[int, int, list[Finding]]:
    """(sources checked, spans checked, findings)."""
    findings: list[Finding] = []
    texts: dict[str, str | None] = {}
    sources = list(store.query(SOURCES))
    for row in sources:
        name, recorded = _value(row["name"]), _value(row["sha256"])
        path = dossier / name
        if not path.exists():
            findings.append(Finding("source-missing", name, None, None, recorded, f"no {path}"))
            texts[name] = None
            continue
        data = path.read_bytes()
        now = hashlib.sha256(data).hexdigest()
        if now != recorded:
            findings.append(Finding("source-changed", name, None, None, recorded, now))
        try:
            texts[name] = decode(data).text
        except UnreadableInput as exc:
            findings.append(Finding("source-missing", name, exc.problem.line, None, recorded, exc.problem.message))
            texts[name] = None
    spans = 0
    changed = []
    for row in store.query(SPANS):
        name = _value(row["name"])
        text = texts.get(name)
        if text is None:
            continue
        spans += 1
        start, end, exact = int(_value(row["start"])), int(_value(row["end"])), _value(row["exact"])
        found = text[start:end]
        if found != exact:
            changed.append((name, start, end, _value(row["span"]), exact, found))
    resources = derived_resources(store, [span for _, _, _, span, _, _ in changed])
    for name, start, end, span, exact, found in sorted(changed):
        findings.append(Finding("span-changed", name, line_of(texts[name], start), resources.get(span, span),
                                exact, found))
    for row in store.query(UNFOUND):
        text = texts.get(_value(row["name"]))
        start = int(_value(row["start"]))
        findings.append(Finding("quote-not-found", _value(row["name"]), line_of(text, start) if text else None,
                                _value(row["block"]), _value(row["exact"]), None))
    return len(sources), spans, findings


def derived_resources(store, spans: list[str], chunk: int = 500) -> dict[str, str]:
    """span IRI -> the first (by IRI) resource derived from it, for the spans that have one."""
    out: dict[str, str] = {}
    for i in range(0, len(spans), chunk):
        values = " ".join(f"<{span}>" for span in spans[i:i + chunk])
        for row in store.query(DERIVED % values):
            out[_value(row["span"])] = _value(row["resource"])
    return out
