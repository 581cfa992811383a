"""Text reuse, the build's graphs graaf/hergebruik/<document>: answers reused across answer sets, sentences
reused across documents, and paraphrases of cited dossier documents, each in the graph of the document of its
first passage. What is found (`answer_reuse`, `passage_reuse`: a `Reuse`) is kept apart from the triples that
state it, so a build can tell a graph did not change without making it.

Where each sentence stands in the raw text, and the shingles of the sentences and of the answers, depend only
on one document and its text (`document_passages`): a build makes them per document (in a worker, kept with
its unit) and hands them to the searches (`passages_of=`)."""

from __future__ import annotations

import bisect
import hashlib
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from rdflib import Literal, URIRef

from .iris import Minter, stem
from .namespace import DKG, PROV, RDF, XSD
from .provenance import span_read, span_triples
from .records import Document
from .resolve import _flexible
from .reuse import MINIMUM, SENTENCES, Chained, Keys, ShingleSets, find_reuse, search, sentences, shingle_sets


class Places:
    """(block, raw span) of each sentence of a document, kept in two arrays and a list of the blocks' names: a
    tuple per sentence took half the time a build spends unpickling the units it keeps."""

    def __init__(self, places=()):
        self.blocks: list[str] = []
        self.which, self.spans = array("I"), array("q")  # each sentence's block (in `blocks`); start, end, ...
        index: dict[str, int] = {}
        for block, (start, end) in places:
            if block not in index:
                index[block] = len(self.blocks)
                self.blocks.append(block)
            self.which.append(index[block])
            self.spans.extend((start, end))

    def __len__(self) -> int:
        return len(self.which)

    def __getitem__(self, k: int) -> tuple[str, tuple[int, int]]:
        k = range(len(self.which))[k]  # (an index out of range raises IndexError)
        return self.blocks[self.which[k]], (self.spans[2 * k], self.spans[2 * k + 1])

    def __iter__(self):
        return map(self.__getitem__, range(len(self.which)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Places) and list(self) == list(other)


@dataclass
class Passages:
    """What reuse detection needs of one document, made from it and its text alone."""

    sentences: Places  # (block, raw span) of each sentence `document_sentences` found
    sentence_shingles: ShingleSets  # the `shingles` of each sentence (their text is not kept)
    answer_shingles: ShingleSets  # the `shingles` of each answer


def document_passages(doc: Document, text: str) -> Passages:
    found = document_sentences(doc, text)
    return Passages(Places((where, span) for where, _, span in found), shingle_sets(s for _, s, _ in found),
                    shingle_sets(a.text for a in doc.answers))


@dataclass
class Searched:
    """A build's searches for reuse: what each found (`found`: "answers" or "sentences" -> reuse.Found,
    "paraphrases" -> what `_paraphrases` found per citing document) and the documents' passages they searched
    (`passages`). Given the previous build's (`earlier=`), a search looks again only at the documents whose
    passages changed."""

    found: dict = field(default_factory=dict)
    passages: dict = field(default_factory=dict)  # source -> Passages


_SHINGLES = {"answers": "answer_shingles", "sentences": "sentence_shingles"}  # the Passages field of each search


def _search(kind: str, sets: list, keys: list, settings: tuple, passages_of: dict | None, earlier: Searched | None,
            searched: dict | None) -> list:
    """reuse.search over `sets` (keyed (source, k)) from the earlier build's Found of this kind, recorded in
    `searched` (kind -> Found); the sets are the `kind` shingles of `passages_of` where given."""
    before = None
    if earlier is not None and kind in earlier.found:
        attr, now = _SHINGLES[kind], passages_of or {}
        before = {}
        for source, old in earlier.passages.items():
            new = now.get(source)
            if new is old:
                continue
            then, current = getattr(old, attr), getattr(new, attr, None)
            if current is not None and len(current) == len(then):  # the same keys: only the sets that differ
                before.update(((source, k), s) for k, (s, n) in enumerate(zip(then, current)) if s != n)
            elif current != then:
                before.update(((source, k), s) for k, s in enumerate(then))
    pairs, found = search(sets, keys, *settings, earlier=earlier.found.get(kind) if earlier else None, before=before)
    if searched is not None:
        searched[kind] = found
    return pairs


@dataclass(frozen=True)
class Reuse:
    """What text reuse graphs state: reused answers (`answer_reuse`) and reused or paraphrased passages
    (`passage_reuse`). Its triples are made from this and the texts alone (`triples`), so this and the
    texts around its passages (`key`) tell whether a graph changed without making it."""

    answers: list
    passages: list

    def __bool__(self) -> bool:
        return bool(self.answers or self.passages)

    def key(self, texts: dict[str, str]) -> bytes:
        passages = sorted({passage for pair in self.passages for passage in pair[:2]})
        read = [span_read(texts[source], *span) for source, span in passages]
        return repr((self.answers, self.passages, read)).encode()

    def triples(self, minter: Minter, texts: dict[str, str]) -> list[tuple]:
        return answer_reuse_triples(minter, self.answers) + passage_reuse_triples(minter, texts, self.passages)

    def stems(self, sources: str = "") -> set[str]:
        """The stems of the files whose passages it names (`sources`: as links.Links.stems; not needed here)."""
        return {stem(f[k]) for f in self.answers for k in (1, 4)} | \
            {stem(f[k][0]) for f in self.passages for k in (0, 1)}

    def by_source(self) -> list[tuple[str, "Reuse"]]:
        """The reuse found from each document's passages (the first of each pair's), by source, in order: a
        graph each, so an edit that moves a document's spans remakes only the graphs that name them."""
        parts: dict = defaultdict(lambda: Reuse([], []))
        for found in self.answers:
            parts[found[1]].answers.append(found)
        for found in self.passages:
            parts[found[0][0]].passages.append(found)
        return sorted(parts.items())


def reuse_triples(minter: Minter, docs: list[Document], res, texts: dict[str, str],
                  passages_of: dict[str, Passages] | None = None, earlier: Searched | None = None,
                  searched: dict | None = None) -> list[tuple]:
    """The triples of the answers reused across answer sets (`answer_reuse`)."""
    return answer_reuse_triples(minter, answer_reuse(minter, docs, res, passages_of, earlier, searched))


def answer_reuse(minter: Minter, docs: list[Document], res, passages_of: dict[str, Passages] | None = None,
                 earlier: Searched | None = None, searched: dict | None = None) -> list[tuple]:
    """Answers reused across answer sets: (answer a, its source, its raw span, the same of answer b, similarity).
    passages_of: `document_passages` of some sources, made beforehand (their answers' shingles are used);
    earlier: the previous build's searches (`Searched`); searched: this one's Found is recorded in it."""
    blocks, answers, sets = {}, {}, []
    for doc in docs:
        if doc.source not in res.answer_set:
            continue
        given = (passages_of or {}).get(doc.source)
        sets += given.answer_shingles if given else shingle_sets(a.text for a in doc.answers)
        for i, a in enumerate(doc.answers):
            blocks[(doc.source, i)] = (res.answer_set[doc.source], a.text)
            answers[(doc.source, i)] = a
    pairs = _search("answers", sets, list(blocks), (MINIMUM, 1, 50), passages_of, earlier, searched)

    def named(key: tuple[str, int]) -> tuple:  # (IRI, source, raw span): only for the answers of a pair
        a = answers[key]
        return str(minter.answer(minter.document(res.answer_set[key[0]]), a.numbers)), key[0], tuple(a.span)

    return [(*named(r.a), *named(r.b), f"{r.similarity:.3f}") for r in find_reuse(blocks, pairs=pairs)]


def answer_reuse_triples(minter: Minter, found: list[tuple]) -> list[tuple]:
    """The triples of `answer_reuse`."""
    out = []
    for a, source_a, span_a, b, source_b, span_b, similarity in found:
        a, b = URIRef(a), URIRef(b)
        iri = URIRef(f"{a}/hergebruik/{hashlib.sha1(str(b).encode()).hexdigest()[:12]}")
        out += [(iri, RDF.type, DKG.TextReuse), (iri, RDF.type, PROV.Entity), (iri, DKG.reuses, a),
                (iri, DKG.reuses, b), (iri, DKG.similarity, Literal(similarity, datatype=XSD.decimal)),
                (iri, PROV.wasDerivedFrom, minter.span(source_a, *span_a)),
                (iri, PROV.wasDerivedFrom, minter.span(source_b, *span_b))]
    return out


class Squeezed:
    """A raw text with its whitespace and line-end hyphens ('-' before whitespace) taken out, and where each of
    its parts (the runs between two gaps) starts in both: words that `resolve._flexible` would match stand
    side by side."""

    _GAP = re.compile(r"(-?\s+)")

    def __init__(self, text: str):
        self.text = text
        pieces = self._GAP.split(text)  # part, gap, part, gap, ..., part
        ends = list(accumulate(map(len, pieces)))
        self.raw = [0] + ends[1::2]  # where each part starts in the raw text
        self.lengths = list(map(len, pieces[::2]))
        self.starts = [0] + list(accumulate(self.lengths))[:-1]  # and in the squeezed text
        self.squeezed = "".join(pieces[::2])

    def _raw(self, i: int) -> int:
        """The raw offset of the squeezed text's character i."""
        k = bisect.bisect_right(self.starts, i) - 1
        return self.raw[k] + i - self.starts[k]

    def _squeezed(self, pos: int) -> int:
        """How many of the squeezed text's characters stand before the raw offset `pos`."""
        k = bisect.bisect_right(self.raw, pos) - 1
        return self.starts[k] + min(pos - self.raw[k], self.lengths[k]) if k >= 0 else 0

    def search(self, words: list[str], pos: int, end: int) -> tuple[int, int] | None:
        """The span of `_flexible(words).search(text, pos, end)`: found here, then checked in the raw text."""
        if any(w.endswith("-") for w in words):  # its hyphen may be squeezed out: ask the regex
            m = _flexible(words).search(self.text, pos, end)
            return m.span() if m else None
        needle, last = "".join(words), self._squeezed(end)
        i = self.squeezed.find(needle, self._squeezed(pos), last)
        while i >= 0:
            at = self._raw(i)
            stop = _match(self.text, at, end, words)
            if stop is not None:
                return at, stop
            i = self.squeezed.find(needle, i + 1, last)
        return None


def _match(text: str, pos: int, end: int, words: list[str]) -> int | None:
    """Where `_flexible(words).match(text, pos, end)` ends: each word, then a hyphen or not and whitespace."""
    for n, word in enumerate(words):
        if n:
            gap = pos = pos + (pos < end and text[pos] == "-")
            while pos < end and text[pos].isspace():
                pos += 1
            if pos == gap:
                return None
        if not text.startswith(word, pos, end):
            return None
        pos += len(word)
    return pos


def _blocks(doc: Document) -> list[tuple[str, str, tuple[int, int]]]:
    """(name, cleaned text, raw span) of the question, answer and section blocks of a document."""
    blocks = [(f"{b.kind} {' en '.join(map(str, b.numbers))}", b.text, b.span)
              for b in list(doc.questions) + list(doc.answers)]
    return blocks + [(f"section {x.number}", x.text, x.span) for x in doc.sections]


def document_sentences(doc: Document, text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(block, sentence, raw span) of each sentence of a document's blocks found in its raw text (from its
    first three words to its last three). Depends only on the document and its text."""
    out, raw = [], Squeezed(text)
    for where, cleaned, (a, b) in _blocks(doc):
        for sentence in sentences(cleaned):
            words = sentence.split()
            head = raw.search(words[:3], a, b)
            tail = raw.search(words[-3:], head[1], b) if head else None
            if tail:
                out.append((where, sentence, (head[0], tail[1])))
    return out


def passage_triples(minter: Minter, docs: list[Document], res, texts: dict[str, str],
                    passages_of: dict[str, Passages] | None = None, earlier: Searched | None = None,
                    searched: dict | None = None) -> list[tuple]:
    """The triples of the passages reused or paraphrased across documents (`passage_reuse`)."""
    return passage_reuse_triples(minter, texts, passage_reuse(docs, res, texts, passages_of, earlier, searched))


def passage_reuse(docs: list[Document], res, texts: dict[str, str], passages_of: dict[str, Passages] | None = None,
                  earlier: Searched | None = None, searched: dict | None = None) -> list[tuple]:
    """Sentence-level reuse across documents (similarity >= 0.6), and for every block that cites a document
    of the dossier, each of its sentences linked to the closest passage of that document (a paraphrase):
    (passage a, passage b, similarity), each passage a (source, raw span). passages_of: `document_passages`
    of some sources, made beforehand; the others are made here. earlier: the previous build's searches
    (`Searched`); searched: what this one found is recorded in it."""
    given = [(doc, (passages_of or {}).get(doc.source) or document_passages(doc, texts[doc.source]))
             for doc in docs]
    located = _Located(given, res)
    sets = Chained([p.sentence_shingles for _, p in given])
    keys = Keys((doc.source, len(p.sentences)) for doc, p in given)
    found = _search("sentences", sets, keys, (*SENTENCES, 50), passages_of, earlier, searched)
    group = located.group  # sentences of one document are not compared
    pairs = {(i, j): round(score, 3) for i, j, score in found if group(i) != group(j)}
    paraphrases: dict = {}
    for i, j, score in _paraphrases(docs, res, located, sets, earlier, paraphrases):
        pairs.setdefault((min(i, j), max(i, j)), score)
    if searched is not None:
        searched["paraphrases"] = paraphrases
    best: dict = {}
    for (i, j), score in sorted(pairs.items()):
        a, b = located.passage(i), located.passage(j)
        if a != b:  # two sentences located at the same span (same first and last words) are one passage
            best[a, b] = max(score, best.get((a, b), 0.0))
    return [(a, b, score) for (a, b), score in best.items()]


def passage_reuse_triples(minter: Minter, texts: dict[str, str], found: list[tuple]) -> list[tuple]:
    """The triples of `passage_reuse`: each passage a span of its source, each pair a dkg:TextReuse."""
    out, iris = [], {}
    for a, b, score in found:
        for source, span in (a, b):
            if (source, span) not in iris:
                iris[source, span], triples = span_triples(minter, source, texts[source], *span)
                out += triples
        a, b = iris[a], iris[b]
        iri = minter._iri("hergebruik/" + hashlib.sha1(f"{a} {b}".encode()).hexdigest()[:16])
        out += _passage_reuse(iri, a, b, score)
    return out


_REUSE_TERMS = (RDF.type, DKG.TextReuse, PROV.Entity, DKG.reuses, DKG.similarity, PROV.wasDerivedFrom)


def _passage_reuse(iri: URIRef, a: URIRef, b: URIRef, score: float) -> list[tuple]:
    type_, reuse, entity, reuses, similarity, derived = _REUSE_TERMS
    return [(iri, type_, reuse), (iri, type_, entity), (iri, reuses, a), (iri, reuses, b),
            (iri, similarity, _decimal(score)), (iri, derived, a), (iri, derived, b)]


@lru_cache(maxsize=None)
def _decimal(score: float) -> Literal:
    """A similarity (rounded to three decimals: a thousand values at most)."""
    return Literal(f"{score:.3f}", datatype=XSD.decimal)


class _Located:
    """The sentences of the documents' passages, in order: a sentence's index is its place in the search."""

    def __init__(self, given: list[tuple[Document, Passages]], res):
        self.given, self.res = given, res
        self.starts = list(accumulate((len(p.sentences) for _, p in given), initial=0))
        self.place = {doc.source: n for n, (doc, _) in enumerate(given)}

    def _at(self, i: int) -> tuple[Document, Passages, int]:
        n = bisect.bisect_right(self.starts, i) - 1
        return *self.given[n], i - self.starts[n]

    def group(self, i: int) -> str:
        """The document sentence i belongs to."""
        source = self._at(i)[0].source
        return self.res.document_id.get(source, source)

    def passage(self, i: int) -> tuple[str, tuple[int, int]]:
        """(source, raw span) of sentence i."""
        doc, passages, k = self._at(i)
        return doc.source, passages.sentences[k][1]

    def passages_of(self, source: str) -> Passages | None:
        n = self.place.get(source)
        return None if n is None else self.given[n][1]

    def of(self, source: str) -> range:
        """The sentences of a source."""
        n = self.place.get(source)
        return range(0) if n is None else range(self.starts[n], self.starts[n + 1])

    def in_block(self, source: str, block: str) -> list[int]:
        """The sentences of one block of a source ("answer 2")."""
        if source not in self.place:
            return []
        first = self.starts[self.place[source]]
        return [first + k for k, (where, _) in enumerate(self.given[self.place[source]][1].sentences)
                if where == block]


def _paraphrases(docs: list[Document], res, located: _Located, sets: list, earlier: Searched | None = None,
                 found: dict | None = None):
    """(i, j, overlap >= 0.3) for each sentence i of a block citing a dossier document and the sentence j of
    that document its shingles overlap most (the last such j on a tie). sets: the sentences' shingle_sets.
    A citing document that cites what it cited in the previous build (`earlier`), where it and the documents
    it cites have the passages they had, keeps what was found there; `found` records what each citing
    document gave: source -> (its citations, [(k, cited source, k', overlap)]), k and k' numbering the
    sentences within their documents."""
    ids_of = {v: k for k, v in res.document_id.items()}
    before = earlier.found.get("paraphrases", {}) if earlier is not None else {}
    index: dict[str, dict[int, list[int]]] = {}  # cited source -> shingle -> its sentences
    for doc in docs:
        cites = []
        for ref in doc.references:
            target = res.targets.get((doc.source, ref.span))
            cited = ids_of.get(target) if target else None
            if cited is not None:
                cites.append((ref.in_, cited))
        if not cites:
            continue
        kept = before.get(doc.source)
        involved = {doc.source, *(c for _, c in cites)}  # (a block may cite two documents)
        if kept is not None and kept[0] == cites and all(
                located.passages_of(source) is earlier.passages.get(source) for source in involved):
            pairs = kept[1]
        else:
            pairs = _cited_paraphrases(doc.source, cites, located, sets, index)
        if found is not None:
            found[doc.source] = (cites, pairs)
        first = located.of(doc.source).start
        for k, cited, k2, score in pairs:
            yield first + k, located.of(cited).start + k2, score


def _cited_paraphrases(source: str, cites: list[tuple[str, str]], located: _Located, sets: list,
                       index: dict) -> list[tuple]:
    """_paraphrases of one citing document, `cites` its (block, cited source); index: cited source -> shingle
    -> its sentences, filled as needed."""
    out = []
    first = located.of(source).start
    for block, cited in cites:
        if cited not in index:
            index[cited] = defaultdict(list)
            for j in located.of(cited):
                for s in sets[j]:
                    index[cited][s].append(j)
        start = located.of(cited).start
        for i in located.in_block(source, block):
            shared: dict[int, int] = defaultdict(int)
            for s in sets[i]:
                for j in index[cited].get(s, ()):
                    shared[j] += 1
            best = max(((n / min(len(sets[i]), len(sets[j])), j) for j, n in shared.items()), default=(0, None))
            if best[0] >= 0.3:
                out.append((i - first, cited, best[1] - start, round(best[0], 3)))
    return out
