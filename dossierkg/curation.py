"""Curated knowledge with evidence: dossier/instruments.json (policy instruments, their facts and mentions).

Every fact names the passage that states it; `load_instruments` finds each passage in its source text and
raises CurationError (naming the instrument, file and words) when it is not there, so curation can never
drift from the documents.
"""

from __future__ import annotations

import json

from dataclasses import dataclass
from pathlib import Path

from .resolve import _flexible

FACTS = {"scope", "startDate", "endDate", "extension", "legalBasis", "advisedAgainstIn", "evidence"}


class CurationError(Exception):
    pass


@dataclass(frozen=True)
class Evidence:
    file: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Fact:
    property: str
    value: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Instrument:
    key: str
    label: str
    type: str
    status: str
    facts: tuple[Fact, ...]
    mentions: tuple[Evidence, ...]


def _find(texts: dict[str, str], file: str, words: str, line: int | None, what: str) -> Evidence:
    if file not in texts:
        raise CurationError(f"{what}: source {file} is not in the dossier")
    text = texts[file]
    start = 0
    if line:
        start = sum(len(x) + 1 for x in text.split("\n")[:line - 1])
    m = _flexible(words.split()).search(text, start)
    if m is None or (line and text.count("\n", 0, m.start()) + 1 != line):
        raise CurationError(f"{what}: «{words}» not found in {file}" + (f" at line {line}" if line else ""))
    return Evidence(file, (m.start(), m.end()))


def load_instruments(path: Path, texts: dict[str, str]) -> tuple[dict, list[Instrument]]:
    """The concepts and instruments of a curation file, every passage located in the sources."""
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CurationError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    out = []
    for item in data.get("instruments", []):
        key = item["key"]
        facts = []
        for f in item.get("facts", []):
            if f["property"] not in FACTS:
                raise CurationError(f"{path}: instrument {key}: unknown fact {f['property']!r}")
            facts.append(Fact(f["property"], f.get("value"), _find(texts, f["file"], f["quote"], None, f"{path}: {key}")))
        mentions = tuple(_find(texts, m["file"], m["as_written"], m.get("line"), f"{path}: {key} mention")
                         for m in item.get("mentions", []) if m["file"] in texts)
        out.append(Instrument(key, item["label"], item["type"], item.get("status", ""), tuple(facts), mentions))
    return data.get("concepts", {}), out


__all__ = ["CurationError", "Evidence", "Fact", "Instrument", "load_instruments"]
