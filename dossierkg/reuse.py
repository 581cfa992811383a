"""Reused text: answers of different answer sets that share most of their wording.

Similarity is the overlap coefficient of word 3-shingles, |A ∩ B| / min(|A|, |B|): an answer copied into a
longer one scores near 1. Candidate pairs come from an inverted index of shingles, so only answers that
share a shingle are compared (not all pairs).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, chain

MINIMUM = 0.5  # pairs below this are not recorded
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Reuse:
    a: tuple[str, int]  # (source, index of the answer in that document)
    b: tuple[str, int]
    similarity: float


_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, (1 << 63) - 1)
_WORD_IDS: dict[str, int] = {}  # word -> its 64-bit id, made once per process


def _word_id(word: str) -> int:
    return _WORD_IDS.setdefault(word, int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big"))


def shingles(text: str) -> array:
    """The word 3-shingles of a text as an array of distinct ints. A word's id is its 64-bit BLAKE2b hash and a
    shingle mixes its three ids into 63 bits, so a text's shingles are the same in every process and build (a
    build keeps each document's with its unit); two different shingles share an int with a chance of about
    one in 2**63 per pair."""
    words = _WORD.findall(text.lower())
    get = _WORD_IDS.get
    ids = list(map(get, words))
    if None in ids:  # a word not met before in this process
        ids = list(map(_word_id, words))
    k1, k2, mask = _MIX
    return array("q", {((a * k1) ^ (b * k2) ^ c) & mask for a, b, c in zip(ids, ids[1:], ids[2:])})


class ShingleSets:
    """The `shingles` of some texts, kept in one array (a build keeps each document's: thousands of small
    arrays took three times as long to unpickle): set i is a view of its part, read as ints."""

    def __init__(self, sets=()):
        self.flat, self.ends = array("q"), array("q")
        for s in sets:
            self.flat.extend(s)
            self.ends.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, i: int) -> memoryview:
        i = range(len(self.ends))[i]  # (an index out of range raises IndexError)
        return memoryview(self.flat)[self.ends[i - 1] if i else 0:self.ends[i]]

    def __iter__(self):
        return map(memoryview(self.flat).__getitem__, map(slice, chain((0,), self.ends), self.ends))

    def __eq__(self, other) -> bool:
        return isinstance(other, ShingleSets) and self.ends == other.ends and self.flat == other.flat


def shingle_sets(texts) -> ShingleSets:
    """The `shingles` of each text."""
    return ShingleSets(map(shingles, texts))


def _place(starts: list[int], i: int) -> tuple[int, int]:
    """(part, place in it) of item i of parts that start at `starts` (their lengths accumulated, from 0)."""
    i = range(starts[-1])[i]  # (an index out of range raises IndexError)
    n = bisect.bisect_right(starts, i) - 1
    return n, i - starts[n]


class Chained:
    """Sequences read as one, one after another (the sentences' shingle sets of all documents, without a
    list of them all: a set is made when it is read)."""

    def __init__(self, parts: list):
        self.parts = parts
        self.starts = list(accumulate(map(len, parts), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, i: int):
        n, k = _place(self.starts, i)
        return self.parts[n][k]

    def __iter__(self):
        return chain.from_iterable(self.parts)


class Keys:
    """The keys (source, k) of sets numbered from 0 within their source, one source after another, kept as
    (source, its number of sets): a list of a build's 35,000 sentences' tuples took ~9 ms to make, and a
    search from an earlier one finds a key's place without a dictionary of them all (`position`)."""

    def __init__(self, runs):
        self.runs = list(runs)  # [(source, n)], each source once
        self.starts = list(accumulate((n for _, n in self.runs), initial=0))
        self.at = {source: (start, n) for (source, n), start in zip(self.runs, self.starts)}

    def __reduce__(self):
        return Keys, (self.runs,)

    def __len__(self) -> int:
        return self.starts[-1]

    def __getitem__(self, i: int) -> tuple:
        n, k = _place(self.starts, i)
        return self.runs[n][0], k

    def __iter__(self):
        return ((source, k) for source, n in self.runs for k in range(n))

    def __eq__(self, other) -> bool:
        return isinstance(other, Keys) and self.runs == other.runs

    def position(self, key: tuple) -> int | None:
        """Where `key` is, or None."""
        start, n = self.at.get(key[0], (0, 0))
        return start + key[1] if 0 <= key[1] < n else None


def find_reuse(blocks: dict[tuple[str, int], tuple[str, str]], minimum: float = MINIMUM,
               pairs: list | None = None) -> list[Reuse]:
    """blocks: key -> (group, text); pairs within one group (one answer set) are not compared. pairs: the
    blocks' `search` (with `minimum`), when made beforehand."""
    keys = list(blocks)
    groups = [group for group, _ in blocks.values()]
    if pairs is None:
        pairs = _shared(shingle_sets([text for _, text in blocks.values()]), minimum)
    out = []
    for i, j, score in pairs:
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


@dataclass
class Found:
    """The pairs a `search` found, by the keys of their sets (the first before the second in `keys`), with
    their scores: where a search over the same sets, a few of them changed, starts from."""

    settings: tuple  # (minimum, least, most)
    keys: list
    pairs: dict  # (key, key) -> score


def search(sets: list, keys: list, minimum: float, least: int = 1, most: int = 50, earlier: Found | None = None,
           before: dict | None = None) -> tuple[list, Found]:
    """`_shared`'s pairs (i, j, score), and them as a Found. With an `earlier` Found over the sets as they
    were, and `before`, the earlier set of every key whose set changed or is gone since, only the pairs of the
    changed sets are looked for again (`_again`); the others are the earlier ones. The pairs are those of a
    search from scratch: the changes may make a shingle counted, or no longer counted (in 2 to `most` sets),
    in two sets that did not change, and then the search is made from scratch."""
    settings = (minimum, least, most)
    found = None
    if earlier is not None and before is not None and earlier.settings == settings:
        found = _again(sets, keys, minimum, least, most, earlier, before)
    if found is None:
        found = list(_shared(sets, minimum, least, most))
    kept = keys if isinstance(keys, Keys) else list(keys)
    return found, Found(settings, kept, {(keys[i], keys[j]): score for i, j, score in found})


def _again(sets: list, keys: list, minimum: float, least: int, most: int, earlier: Found,
           before: dict) -> list | None:
    """`search` from an earlier Found; None when it must be made from scratch."""
    if isinstance(keys, Keys):
        position = keys.position  # (no key twice)
    else:
        index = dict(zip(keys, range(len(keys))))
        if len(index) != len(keys):
            return None  # a key twice
        position = index.get
    if keys == earlier.keys:  # (most builds: no set came or went) no need to compare the keys one by one
        before = {k: s for k, s in before.items() if position(k) is not None}
        changed = sorted(map(position, before))
    else:
        known = set(earlier.keys)
        before = {k: s for k, s in before.items() if k in known}
        if known.difference(keys, before):
            return None  # a set gone that `before` does not give
        changed = [i for i, k in enumerate(keys) if k in before or k not in known]
    if 4 * (len(changed) + len(before)) > len(sets):
        return None  # many changed: from scratch is as quick
    gained = Counter(chain.from_iterable(sets[i] for i in changed))
    lost = Counter(chain.from_iterable(before.values()))
    holders: dict = {s: [] for s in gained.keys() | lost.keys()}  # the shingles whose count may have changed
    touched, disjoint = holders.keys(), frozenset(holders).isdisjoint
    for j, sh in enumerate(sets if holders else ()):  # (no set changed: none holds a changed shingle)
        if not disjoint(sh):  # most sets: no set made
            for s in touched & sh:
                holders[s].append(j)
    counted = set()
    for s, js in holders.items():
        now, then = len(js), len(js) - gained[s] + lost[s]
        if (1 < now <= most) != (1 < then <= most) and now - gained[s] > 1:
            return None  # counted in two unchanged sets before and not now, or the reverse
        if 1 < now <= most:
            counted.add(s)
    out = {}
    for (a, b), score in earlier.pairs.items():
        if a not in before and b not in before:
            i, j = position(a), position(b)
            if i is not None and j is not None:
                out[min(i, j), max(i, j)] = score
    for i in changed:
        size = len(sets[i])
        shared = Counter(j for s in counted.intersection(sets[i]) for j in holders[s] if j != i)
        for j, n in shared.items():
            if n >= least:
                score = n / min(len(sets[j]), size)
                if score >= minimum:
                    out[min(i, j), max(i, j)] = score
    return [(i, j, score) for (i, j), score in out.items()]


def sentences(text: str, min_words: int = 8) -> list[str]:
    """The sentences of a cleaned block of eight words or more."""
    parts = re.split(r"(?<=[.?!])\s+(?=[A-Z«(‘“\"'])", text)
    return [p.strip() for p in parts if len(p.split()) >= min_words]


SENTENCES = (0.6, 4)  # the least similarity and number of shared shingles of reused sentences
