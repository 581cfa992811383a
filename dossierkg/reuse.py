"""Reused text: answers of different answer sets that share most of their wording.

Similarity is the overlap coefficient of word 3-shingles, |A ∩ B| / min(|A|, |B|): an answer copied into a
longer one scores near 1. Candidate pairs come from an inverted index of shingles, so only answers that
share a shingle are compared (not all pairs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

SHINGLE = 3
MINIMUM = 0.5  # pairs below this are not recorded


@dataclass(frozen=True)
class Reuse:
    a: tuple[str, int]  # (source, index of the answer in that document)
    b: tuple[str, int]
    similarity: float


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + k]) for i in range(len(words) - k + 1)}


def find_reuse(blocks: dict[tuple[str, int], tuple[str, str]], minimum: float = MINIMUM) -> list[Reuse]:
    """blocks: key -> (group, text); pairs within one group (one answer set) are not compared."""
    sets = {key: shingles(text) for key, (_, text) in blocks.items()}
    index: dict[tuple, list] = defaultdict(list)
    for key, sh in sets.items():
        for s in sh:
            index[s].append(key)
    shared: dict[tuple, int] = defaultdict(int)
    for keys in index.values():
        if len(keys) > 50:  # boilerplate shared by many answers says nothing about reuse
            continue
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if blocks[a][0] != blocks[b][0]:
                    shared[(a, b) if a < b else (b, a)] += 1
    out = []
    for (a, b), n in shared.items():
        score = n / min(len(sets[a]), len(sets[b]))
        if score >= minimum:
            out.append(Reuse(a, b, round(score, 3)))
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))


@dataclass(frozen=True)
class Sentence:
    source: str
    group: str  # the document it belongs to: sentences of one document are not compared
    where: str  # "answer 2", "section 3"
    text: str


def sentences(text: str, min_words: int = 8) -> list[str]:
    """The sentences of a cleaned block of eight words or more."""
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Z«(‘“\"'])", text)
    return [p.strip() for p in parts if len(p.split()) >= min_words]


@dataclass(frozen=True)
class SentenceReuse:
    a: int  # indices into the sentence list
    b: int
    similarity: float


def find_sentence_reuse(items: list[Sentence], minimum: float = 0.6, min_shared: int = 4) -> list[SentenceReuse]:
    """Near-duplicate sentences across documents, found through an inverted index of their 3-shingles."""
    sets = [shingles(s.text) for s in items]
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        for s in sh:
            index[s].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for ids in index.values():
        if len(ids) > 50:
            continue
        for x, a in enumerate(ids):
            for b in ids[x + 1:]:
                if items[a].group != items[b].group:
                    shared[(a, b)] += 1
    out = []
    for (a, b), n in shared.items():
        score = n / min(len(sets[a]), len(sets[b]))
        if n >= min_shared and score >= minimum:
            out.append(SentenceReuse(a, b, round(score, 3)))
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))
