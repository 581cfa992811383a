"""Reused text: answers of different answer sets that share most of their wording.

Similarity is the overlap coefficient of word 3-shingles, |A ∩ B| / min(|A|, |B|): an answer copied into a
longer one scores near 1. Candidate pairs come from an inverted index of shingles, so only answers that
share a shingle are compared (not all pairs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

SHINGLE = 3
MINIMUM = 0.5  # pairs below this are not recorded
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Reuse:
    a: tuple[str, int]  # (source, index of the answer in that document)
    b: tuple[str, int]
    similarity: float


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return set(zip(*(words[i:] for i in range(k))))


def find_reuse(blocks: dict[tuple[str, int], tuple[str, str]], minimum: float = MINIMUM) -> list[Reuse]:
    """blocks: key -> (group, text); pairs within one group (one answer set) are not compared."""
    keys = list(blocks)
    sets = [shingles(text) for _, text in blocks.values()]
    out = []
    for i, j, n in _shared(sets):
        score = n / min(len(sets[i]), len(sets[j]))
        if score >= minimum and blocks[keys[i]][0] != blocks[keys[j]][0]:
            a, b = sorted((keys[i], keys[j]))
            out.append(Reuse(a, b, round(score, 3)))
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))


def _shared(sets: list[set], most: int = 50):
    """(i, j, n) for sets i < j that share n shingles, through an inverted index of the shingles, one set i at
    a time (memory for one set's candidates, not for every pair at once: tens of millions at 10,000
    documents). A shingle of more than `most` sets is not counted: boilerplate shared by many blocks says
    nothing about reuse."""
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, sh in enumerate(sets):
        for s in sh:
            index[s].append(i)  # ascending
    postings = {s: ids for s, ids in index.items() if 1 < len(ids) <= most}
    del index
    for i, sh in enumerate(sets):
        later: Counter = Counter()
        for s in sh:
            ids = postings.get(s)
            if ids is not None and ids[-1] > i:
                later.update(ids[bisect_right(ids, i):])
        for j, n in later.items():
            yield i, j, n


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
    out = []
    for a, b, n in _shared(sets):
        if n >= min_shared and items[a].group != items[b].group:
            score = n / min(len(sets[a]), len(sets[b]))
            if score >= minimum:
                out.append(SentenceReuse(a, b, round(score, 3)))
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))
