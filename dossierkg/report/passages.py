"""Source passages: a span of the build (an oa:SpecificResource) as the text around it in its source file.

A span names its file by the source's dcterms:identifier (a file name in the dossier folder), and its
place by code-point offsets into the decoded file, so the file is decoded exactly as the build decoded it.
When the file is missing, or no longer has the quoted text at those offsets, the passage shows the quoted
text alone and says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..parse.decode import UnreadableInput, decode
from ..store import query_with

CONTEXT_CHARS = 200  # characters of context before and after a span

PREFIXES = """PREFIX dkg: <https://w3id.org/dossier-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

SPAN = PREFIXES + """SELECT DISTINCT ?span ?file ?start ?end ?line ?exact WHERE {
  ?span oa:hasSource ?source ; oa:hasSelector ?position , ?quote .
  ?source dcterms:identifier ?file .
  ?position oa:start ?start ; oa:end ?end .
  ?quote oa:exact ?exact .
  OPTIONAL { ?position dkg:line ?line }
}"""

# (Oxigraph substitutes only variables of the projection, so the bound ones are selected too)
DERIVED = PREFIXES + """SELECT DISTINCT ?resource ?span WHERE { ?resource prov:wasDerivedFrom ?span }"""


@dataclass(frozen=True)
class Passage:
    """A span with the source text around it; `marked` is the span's own text."""

    key: str  # an HTML id, the same for the same span
    file: str
    line: int | None
    start: int
    end: int
    before: str
    marked: str
    after: str
    clipped_before: bool
    clipped_after: bool
    status: str  # empty when the source still has the quoted text at the span's offsets

    @property
    def where(self) -> str:
        line = f", line {self.line}" if self.line is not None else ""
        return f"{self.file}{line}, characters {self.start}–{self.end}"


def passage_key(file: str, start: int, end: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", file.rsplit(".", 1)[0])
    return f"p-{stem}-{start}-{end}"


class Passages:
    """Reads spans from the store and their context from the dossier folder (each file decoded once)."""

    def __init__(self, store: ox.Store, dossier: Path):
        self.store, self.dossier = store, dossier
        self._texts: dict[str, str | None] = {}
        self._spans: dict[str, Passage | None] = {}

    def of(self, resource: str) -> list[Passage]:
        """The passages a resource was derived from (prov:wasDerivedFrom), in file and offset order."""
        rows = query_with(self.store, DERIVED, resource=ox.NamedNode(resource))
        found = [self.span(row["span"].value) for row in rows if isinstance(row["span"], ox.NamedNode)]
        return sorted({p.key: p for p in found if p}.values(), key=lambda p: (p.file, p.start, p.end))

    def span(self, iri: str) -> Passage | None:
        """One span by its IRI (None when the IRI is not a span with a position and a quote)."""
        if iri not in self._spans:
            self._spans[iri] = self._read(iri)
        return self._spans[iri]

    def _read(self, iri: str) -> Passage | None:
        rows = sorted(((r["file"].value, int(r["start"].value), int(r["end"].value),
                        int(r["line"].value) if r["line"] is not None else None, r["exact"].value)
                       for r in query_with(self.store, SPAN, span=ox.NamedNode(iri))),
                      key=lambda r: (r[0], r[1], r[2], r[3] or 0, r[4]))
        if not rows:
            return None
        file, start, end, line, exact = rows[0]
        key = passage_key(file, start, end)
        text = self.text(file)
        if text is None:
            return Passage(key, file, line, start, end, "", exact, "", False, False,
                           f"{file} is not in {self.dossier.name}/: showing the quoted text only")
        if text[start:end] != exact:
            return Passage(key, file, line, start, end, "", exact, "", False, False,
                           f"{file} has changed since the build: the offsets no longer select the quoted text")
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        return Passage(key, file, line, start, end, text[lo:start], exact, text[end:hi], lo > 0, hi < len(text), "")

    def text(self, file: str) -> str | None:
        if file not in self._texts:
            self._texts[file] = None
            if "/" not in file and "\\" not in file and not file.startswith("."):
                try:
                    self._texts[file] = decode((self.dossier / file).read_bytes()).text
                except (OSError, UnreadableInput):
                    pass
        return self._texts[file]
