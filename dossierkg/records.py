"""Frozen records: the contract between parsing and mapping (see the README's `kg parse --json`).

Missing values are None or empty tuples, never ''. Spans are [start, end) code-point offsets into the
decoded source text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True)
class Problem:
    """Something the parser could not read, or read with doubt."""

    message: str
    line: int | None = None
    severity: str = "warning"  # "warning" | "error"

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Person:
    """A submitter, addressee or answerer; `role` is a post such as 'Minister van Buitenlandse Zaken'."""

    name: str | None = None
    party: str | None = None
    role: str | None = None
    on_behalf_of: tuple[Person, ...] = ()
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.name is not None:
            out["name"] = self.name
        if self.party is not None:
            out["party"] = self.party
        if self.role is not None:
            out["role"] = self.role
        if self.on_behalf_of:
            out["on_behalf_of"] = [p.to_json() for p in self.on_behalf_of]
        if self.span is not None:
            out["span"] = list(self.span)
        return out


@dataclass(frozen=True)
class Block:
    """A question or an answer as printed: one label, possibly several question numbers."""

    kind: str  # "question" | "answer"
    label: str | None
    numbers: tuple[int, ...]
    text: str
    span: Span
    line: int
    footnotes: tuple[int, ...] = ()
    refers_to: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "numbers": list(self.numbers),
            "text": self.text,
            "span": list(self.span),
            "line": self.line,
            "footnotes": list(self.footnotes),
        }
        if self.kind == "answer":
            out["refers_to"] = list(self.refers_to)
        return out


@dataclass(frozen=True)
class Footnote:
    """A footnote body and what it cites."""

    number: int
    text: str
    span: Span
    line: int
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    title: str | None = None
    reference: str | None = None
    markers_in: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "span": list(self.span),
            "line": self.line,
            "url": self.url,
            "publisher": self.publisher,
            "date": self.date,
            "title": self.title,
            "reference": self.reference,
            "marker_in": list(self.markers_in),
        }


@dataclass(frozen=True)
class Reference:
    """A document or answer cited in running text ('bij brief van 13 december 2022')."""

    text: str
    span: Span
    line: int
    in_: str
    kind: str  # "document" | "answer"
    target: str | None = None
    numbers: tuple[int, ...] = ()
    date: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "span": list(self.span),
            "line": self.line,
            "in": self.in_,
            "kind": self.kind,
            "target": self.target,
        }
        if self.numbers:
            out["numbers"] = list(self.numbers)
        if self.date:
            out["date"] = self.date
        return out


@dataclass(frozen=True)
class Section:
    """A numbered section, sub-section or advice of a decision note or letter."""

    number: str
    title: str
    text: str
    span: Span
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "text": self.text,
                "span": list(self.span), "line": self.line}


@dataclass(frozen=True)
class Document:
    """Everything read from one source file."""

    source: str
    sha256: str
    kind: str = "unknown"
    shape: str | None = None
    title: str | None = None
    date: str | None = None
    identifiers: tuple[str, ...] = ()
    submitted: str | None = None
    answered: str | None = None
    postponements: tuple[str, ...] = ()
    submitters: tuple[Person, ...] = ()
    addressees: tuple[Person, ...] = ()
    answerers: tuple[Person, ...] = ()
    questions: tuple[Block, ...] = ()
    answers: tuple[Block, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    references: tuple[Reference, ...] = ()
    sections: tuple[Section, ...] = ()
    advices: tuple[Section, ...] = ()
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "sha256": self.sha256,
            "kind": self.kind,
            "shape": self.shape,
            "title": self.title,
            "date": self.date,
            "identifiers": list(self.identifiers),
            "submitted": self.submitted,
            "answered": self.answered,
            "postponements": list(self.postponements),
            "submitters": [p.to_json() for p in self.submitters],
            "addressees": [p.to_json() for p in self.addressees],
            "answerers": [p.to_json() for p in self.answerers],
            "questions": [b.to_json() for b in self.questions],
            "answers": [b.to_json() for b in self.answers],
            "footnotes": [f.to_json() for f in self.footnotes],
            "references": [r.to_json() for r in self.references],
        }
        if self.sections:
            out["sections"] = [s.to_json() for s in self.sections]
        if self.advices:
            out["advices"] = [s.to_json() for s in self.advices]
        out.update(self.extra)
        out["errors"] = [p.to_json() for p in self.errors]
        out["warnings"] = [p.to_json() for p in self.warnings]
        return out
