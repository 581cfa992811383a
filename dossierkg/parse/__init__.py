"""Source files to records. `parse_file` picks the parser from the document's structure."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..records import Document, Problem
from . import decision_note, kamervragen, letter, openkamer
from .decode import UnreadableInput, decode


def parse_bytes(data: bytes, source: str) -> Document:
    """Parse one source; never raises for bad input: problems are reported in the Document."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        decoded = decode(data)
    except UnreadableInput as exc:
        return Document(source=source, sha256=sha, errors=(exc.problem,))
    text = decoded.text
    doc = None
    for parser in _PARSERS:
        if parser.looks_like(text):
            doc = parser.parse(text, source, sha)
            break
    if doc is None:
        doc = Document(source=source, sha256=sha, errors=(Problem(
            "not a parliamentary document this parser knows: no Kamervragen header, question or answer labels, "
            "decision-note sections or letter heading found", None, "error"),))
    if decoded.warnings:
        doc = _with_warnings(doc, decoded.warnings)
    return doc


def _with_warnings(doc: Document, extra) -> Document:
    from dataclasses import replace
    return replace(doc, warnings=tuple(extra) + doc.warnings)


def parse_file(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Document(source=path.name, sha256="", errors=(Problem(f"cannot read file: {exc.strerror}", None, "error"),))
    return parse_bytes(data, path.name)


_PARSERS = [letter, openkamer, decision_note, kamervragen]
