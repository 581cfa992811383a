"""Reused text: answers of different answer sets that share most of their wording.

Similarity is the overlap coefficient of word 3-shingles, |A ∩ B| / min(|A|, |B|): an answer copied into a
longer one scores near 1. Candidate pairs come from an inverted index of shingles, so only answers that
share a shingle are compared (not all pairs).
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain

MINIMUM = 0.5  # pairs below this are not recorded
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Reuse:
    a: tuple[str, int]  # (source, index of the answer in that document)
    b: tuple[str, int]
    similarity: float


class Shingler:
    """Word 3-shingles as one int each: every word gets an id (in the order first met), and a shingle packs its
    three ids into `width` bits each. The packing is exact (no hashing): two shingles are one int only when
    they are the same three words. A text's shingles are an array of distinct ints (8 bytes each; a set of
    word tuples takes some 300). Raises OverflowError when a word id reaches 2**width."""

    def __init__(self, width: int = 21):
        self.ids: dict[str, int] = {}
        self.width, self.limit = width, 1 << width
        self.compact = 3 * width <= 63  # fits array('q')

    def __call__(self, text: str):
        ids, w = self.ids, self.width
        words = _WORD.findall(text.lower())
        known = list(map(ids.get, words))
        if None in known:  # a new word
            known = [ids.setdefault(word, len(ids)) for word in words]
            if len(ids) > self.limit:
                raise OverflowError(f"more than 2**{w} distinct words")
        packed = {(a << 2 * w) | (b << w) | c for a, b, c in zip(known, known[1:], known[2:])}
        return array("q", packed) if self.compact else tuple(packed)


def shingle_sets(texts, width: int = 21) -> list:
    """The 3-shingles of each text (`Shingler`, one word id per word across all texts): an array of ints per
    text. With more than 2**21 distinct words, made again with 64-bit ids (tuples of Python ints)."""
    try:
        shingler = Shingler(width)
        return [shingler(t) for t in texts]
    except OverflowError:
        shingler = Shingler(64)
        return [shingler(t) for t in texts]


def find_reuse(blocks: dict[tuple[str, int], tuple[str, str]], minimum: float = MINIMUM) -> list[Reuse]:
    """blocks: key -> (group, text); pairs within one group (one answer set) are not compared."""
    keys = list(blocks)
    groups = [group for group, _ in blocks.values()]
    out = []
    for i, j, score in _shared(shingle_sets([text for _, text in blocks.values()]), minimum):
        if groups[i] != groups[j]:
            a, b = sorted((keys[i], keys[j]))
            out.append(Reuse(a, b, round(score, 3)))
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))


def _shared(sets: list, minimum: float, least: int = 1, most: int = 50):
    """(i, j, score) for sets i < j that share n >= least shingles, with score = n / min(|i|, |j|) >= minimum,
    through an inverted index of the shingles. A shingle of more than `most` sets is not counted: boilerplate
    shared by many blocks says nothing about reuse; nor is one of a single set. The shingles are counted first
    (in C), so only those of 2 to `most` sets get a postings list; then the sets are taken in order, each
    one's shared shingles giving it the earlier sets of their postings before it is added to them (memory for
    one set's candidates, not for every pair at once: tens of millions at 10,000 documents)."""
    counts = Counter(chain.from_iterable(sets))
    postings: dict = {s: [] for s, n in counts.items() if 1 < n <= most}
    del counts
    keys = postings.keys()
    sizes = list(map(len, sets))
    for j, sh in enumerate(sets):
        earlier: list[int] = []
        for s in keys & sh:  # a set: the shingles of j with a postings list
            ids = postings[s]
            earlier += ids
            ids.append(j)
        if len(earlier) >= least:
            size = sizes[j]
            for i, n in Counter(earlier).items():
                if n >= least:
                    score = n / min(sizes[i], size)
                    if score >= minimum:
                        yield i, j, score


@dataclass(frozen=True, slots=True)
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


def find_sentence_reuse(items: list[Sentence], minimum: float = 0.6, min_shared: int = 4,
                        sets: list | None = None) -> list[SentenceReuse]:
    """Near-duplicate sentences across documents, found through an inverted index of their 3-shingles.
    sets: the items' `shingle_sets`, when made beforehand."""
    if sets is None:
        sets = shingle_sets([s.text for s in items])
    out = [SentenceReuse(a, b, round(score, 3)) for a, b, score in _shared(sets, minimum, least=min_shared)
           if items[a].group != items[b].group]
    return sorted(out, key=lambda r: (-r.similarity, r.a, r.b))
