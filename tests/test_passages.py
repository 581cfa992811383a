"""Sentences located in the raw text without a regex per sentence, exactly where `resolve._flexible` finds
them; span triples built without rdflib's checks, the same as built with them."""

import os
import pickle
import random
import subprocess
import sys
from collections import Counter

import pytest
from rdflib import Literal, URIRef

from dossierkg import namespace as ns
from dossierkg.iris import Minter
from dossierkg.parse import parse_bytes
from dossierkg.parse.decode import decode
from dossierkg.passages import (Places, Reuse, Squeezed, answer_reuse, document_passages, document_sentences,
                                passage_reuse, passage_triples, reuse_triples)
from dossierkg.paths import DOSSIER, ROOT
from dossierkg.provenance import CONTEXT, line_of, span_triples
from dossierkg.resolve import _WordIndex, _flexible, resolve
from dossierkg.reuse import _WORD, Chained, Keys, _again, _shared, search, sentences, shingle_sets, shingles

CORPUS = sorted(DOSSIER.glob("*.txt")) + sorted((ROOT / "tests/fixtures/dev-corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def parsed():
    docs, texts = [], {}
    for path in CORPUS:
        data = path.read_bytes()
        docs.append(parse_bytes(data, path.name))
        texts[path.name] = decode(data).text
    return [d for d in docs if not d.errors], texts


def flexible(text, words, pos, end):
    m = _flexible(words).search(text, pos, end)
    return m.span() if m else None


def sentence_span(text, block_span, sentence):
    """The regex way: from the sentence's first three words to its last three, inside the block."""
    words, (a, b) = sentence.split(), block_span
    head = flexible(text, words[:3], a, b)
    tail = flexible(text, words[-3:], head[1], b) if head else None
    return (head[0], tail[1]) if tail else None


def test_every_sentence_of_the_corpus_where_the_regex_finds_it(parsed):
    docs, texts = parsed
    checked = 0
    for doc in docs:
        text = texts[doc.source]
        expected = []
        for block in list(doc.questions) + list(doc.answers) + list(doc.sections):
            for sentence in sentences(block.text):
                expected.append((sentence, sentence_span(text, block.span, sentence)))
        found = {(s, span) for _, s, span in document_sentences(doc, text)}
        assert found == {(s, span) for s, span in expected if span}, doc.source
        checked += len(expected)
    assert checked > 500


@pytest.mark.parametrize("text, words, found", [
    ("de minis-\nter van Defensie", ["de", "minister", "van"], None),  # hyphen inside a word: the regex misses it
    ("de minis\nter van Defensie", ["de", "minister", "van"], None),  # a word broken without hyphen: missed too
    ("aan de minis\nter, aan de minister van", ["de", "minister", "van"], "de minister van"),  # found further on
    ("gevraagd voor-\n   de minister", ["voor", "de", "minister"], "voor-\n   de minister"),  # line-end hyphen
    ("de  minister\t\tvan", ["de", "minister", "van"], "de  minister\t\tvan"),  # double spaces, tabs
    ("de\u00a0minister\u2003van", ["de", "minister", "van"], "de\u00a0minister\u2003van"),  # no-break, em space
    ("Noord-\nHolland en", ["Noord-Holland", "en"], None),
    ("Noord- en Zuid-Holland", ["Noord-", "en", "Zuid-Holland"], "Noord- en Zuid-Holland"),  # the regex decides
    ("a- -b c", ["a", "-b", "c"], "a- -b c"),
    ("a--  b", ["a-", "b"], "a--  b"),
    ("a -\nb", ["a", "b"], None),
    ("xde minister", ["de", "minister"], "de minister"),  # a match may start inside a word, as the regex's does
    ("de minister-", ["de", "minister"], "de minister"),
])
def test_tricky_cases(text, words, found):
    span = Squeezed(text).search(words, 0, len(text))
    assert (text[slice(*span)] if span else None) == found
    for pos in range(len(text) + 1):
        for end in range(pos, len(text) + 1):
            assert Squeezed(text).search(words, pos, end) == flexible(text, words, pos, end), (pos, end)


def test_random_texts():
    rng = random.Random(8)
    tokens = ["de", "minister", "-", "a-", "-b", "x", "dex", "ministe", "r"]
    gaps = [" ", "  ", "\n", "-\n", "- ", "", "\u00a0", "-", " -\n "]
    for _ in range(3000):
        text = "".join(rng.choice(tokens) + rng.choice(gaps) for _ in range(rng.randint(1, 12)))
        words = [rng.choice(tokens) for _ in range(rng.randint(1, 3))]
        pos = rng.randint(0, len(text))
        end = rng.randint(pos, len(text))
        assert Squeezed(text).search(words, pos, end) == flexible(text, words, pos, end), (text, words, pos, end)


def test_precomputed_passages_give_the_same_triples(parsed):
    docs, texts = parsed
    minter = Minter("https://w3id.org/dossier-kg/id/")
    res = resolve(docs, texts)
    given = {d.source: document_passages(d, texts[d.source]) for d in docs[::2]}
    for make in (passage_triples, reuse_triples):
        triples = make(minter, docs, res, texts)
        assert triples
        assert set(make(minter, docs, res, texts, passages_of=given)) == set(triples)


def test_the_reuse_graphs_key_changes_when_and_only_when_its_triples_do(parsed):
    """A build copies the previous text reuse graph when the key of what it states is the same, without making
    its triples: the key must read of the texts whatever the triples read (a passage's line, its text, prefix
    and suffix), here one character changed before, in, around and after a passage."""
    docs, texts = parsed
    minter = Minter("https://w3id.org/dossier-kg/id/")
    res = resolve(docs, texts)
    reuse = Reuse(answer_reuse(minter, docs, res), passage_reuse(docs, res, texts))
    assert reuse.answers and reuse.passages
    key, triples = reuse.key(texts), set(reuse.triples(minter, texts))
    (source, (start, end)), _, _ = reuse.passages[0]
    text = texts[source]
    tried = Counter()
    for at in (0, start - CONTEXT - 1, start - CONTEXT, start - 1, start, end - 1, end, end + CONTEXT - 1,
               end + CONTEXT):
        for char in "X\n":
            if text[at] == char:
                continue
            changed = dict(texts, **{source: text[:at] + char + text[at + 1:]})
            same = reuse.key(changed) == key
            assert same == (set(reuse.triples(minter, changed)) == triples), (at, char)
            tried[same] += 1
    assert tried[True] >= 2 and tried[False] >= 8


def test_a_texts_shingles_depend_on_it_alone():
    """A build keeps each document's shingles with its unit: they may not depend on the texts shingled before
    in the process, nor on the process (Python's own str hash does, by PYTHONHASHSEED)."""
    text = "De minister van Financiën heeft dat gezegd"
    code = "from dossierkg.reuse import shingles; {} print(sorted(shingles({!r})))"
    runs = {subprocess.run([sys.executable, "-c", code.format(first, text)], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed, first in (("1", ""), ("2", "shingles('gezegd heeft de minister niet');"))}
    assert runs == {f"{sorted(shingles(text))}\n"}
    assert len(shingles(text)) == 5


def test_shingle_sets_are_each_texts_shingles_and_survive_a_pickle():
    texts = ["De minister van Financiën heeft dat gezegd", "", "twee woorden", "De minister van Financiën zei"]
    sets = shingle_sets(texts)
    assert len(sets) == 4 and [list(s) for s in sets] == [list(shingles(t)) for t in texts]
    assert [list(sets[i]) for i in (0, 1, 3, -1)] == [list(shingles(texts[i])) for i in (0, 1, 3, 3)]
    with pytest.raises(IndexError):
        sets[4]
    again = pickle.loads(pickle.dumps(sets))
    assert again == sets and [list(s) for s in again] == [list(s) for s in sets]
    assert again != shingle_sets(texts[:3]) and again != shingle_sets(texts[::-1])


def test_the_word_index_finds_whole_words_and_words_before_a_line_end_hyphen():
    """Which texts may hold a quotation: those holding each of its inner words whole, or before a hyphen that
    ends a line (a PDF split it); not a word inside another, nor one with a hyphen inside it."""
    texts = ["de minis-\nter van Financiën", "administratie", "de minister", "minis-ter", "\u00a0woord-\x1c", ""]
    index = _WordIndex(texts, {"minis", "minister", "de", "woord", "ter"})
    assert index.holders == {"minis": {0}, "minister": {2}, "de": {0, 2}, "woord": {4}, "ter": {0}}
    assert index.candidates(["de", "minis"]) == [0]
    assert index.candidates([]) == list(range(len(texts)))


def word_shingles(text: str) -> set[tuple[str, ...]]:
    """The word 3-shingles of a text as tuples of words: the plain form `shingles` hashes into ints."""
    words = _WORD.findall(text.lower())
    return set(zip(words, words[1:], words[2:]))


def shared_reference(texts, minimum, least, most=50):
    """_shared the plain way: sets of word tuples, every pair compared."""
    sets = [word_shingles(t) for t in texts]
    counts = Counter(s for sh in sets for s in sh)
    out = []
    for j in range(len(sets)):
        for i in range(j):
            n = sum(1 for s in sets[i] & sets[j] if 1 < counts[s] <= most)
            if n and n >= least and n / min(len(sets[i]), len(sets[j])) >= minimum:
                out.append((i, j, n / min(len(sets[i]), len(sets[j]))))
    return sorted(out)


def test_places_are_the_sentences_blocks_and_spans_and_survive_a_pickle(parsed):
    docs, texts = parsed
    found = [(where, span) for where, _, span in document_sentences(docs[0], texts[docs[0].source])]
    places = Places(found)
    assert len(found) > 5 and len(places) == len(found) and list(places) == found
    assert [places[k] for k in (0, 3, -1)] == [found[k] for k in (0, 3, -1)]
    assert len(places.blocks) == len({where for where, _ in found}) < len(found)
    with pytest.raises(IndexError):
        places[len(found)]
    again = pickle.loads(pickle.dumps(places))
    assert again == places and list(again) == found
    assert again != Places(found[:-1]) and again != Places(found[::-1]) and Places() == Places([])


def test_hashed_shingles_give_the_pairs_of_word_tuples():
    rng = random.Random(3)
    words = ["de", "minister", "van", "Financiën", "heeft", "dat", "niet", "gezegd", "ç", "42"]
    common = "het kabinet deelt deze mening niet"  # in more than 50 texts: not counted
    texts = []
    for _ in range(200):
        if texts and rng.random() < 0.3:  # an earlier text with a word changed
            copy = texts[rng.randrange(len(texts))].split()
            k = rng.randrange(len(copy) + 1)
            texts.append(" ".join(copy[:k] + [rng.choice(words)] + copy[k + 1:]))
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 14)))
                         + (f" {common}" if rng.random() < 0.4 else ""))
    sets = shingle_sets(texts)
    assert [len(s) for s in sets] == [len(word_shingles(t)) for t in texts]
    assert len(set().union(*sets)) == len(set().union(*map(word_shingles, texts)))  # one int per distinct shingle
    for minimum, least, most in [(0.0, 1, 50), (0.5, 1, 50), (0.6, 4, 50), (0.0, 1, 1000)]:
        expected = shared_reference(texts, minimum, least, most)
        assert expected
        assert sorted(_shared(sets, minimum, least, most)) == expected
    assert shared_reference(texts, 0.0, 1, 1000) != shared_reference(texts, 0.0, 1)  # the common words count


def edited(texts: list[str], rng: random.Random, words: list[str]) -> list[str]:
    """Some texts with a word changed, added or taken out."""
    out = list(texts)
    for k in rng.sample(range(len(texts)), 4):
        split = out[k].split()
        at = rng.randrange(len(split) + 1)
        out[k] = " ".join(split[:at] + [rng.choice(words)] + split[at + rng.randrange(2):])
    return out


@pytest.mark.parametrize("keys", ["changed", "the same", "the same, as Keys"])
@pytest.mark.parametrize("seed", range(6))
def test_a_search_from_an_earlier_one_finds_the_pairs_of_a_search_from_scratch(seed, keys):
    """A build searches for reuse again only among the sets of the documents that changed, from what the
    previous build found; that must be what a search from scratch finds, also when a set is gone or new
    (the keys "changed"; else they are the earlier ones, as after most edits, in a list or as a build gives
    its sentences' keys, `Keys`, with their sets `Chained`) and when a changed count makes a shingle counted,
    or no longer, in sets that did not change (most=3)."""
    rng = random.Random(seed)
    words = ["de", "minister", "van", "Financiën", "heeft", "dat", "niet", "gezegd", "zij", "42", "ook", "wel"]
    texts = []
    for _ in range(240):
        if texts and rng.random() < 0.4:  # an earlier text with its last word changed
            texts.append(" ".join(texts[rng.randrange(len(texts))].split()[:-1] + [rng.choice(words)]))
        else:
            texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 16))))
    listed = [(f"doc{k // 3:03d}.txt", k % 3) for k in range(len(texts))]
    later = edited(texts, rng, words)
    sets, later_sets = shingle_sets(texts), shingle_sets(later)
    earlier_keys = later_keys = listed
    if keys == "changed":
        gone, new = rng.randrange(len(texts)), ("doc999.txt", 0)
        later_keys = [k for i, k in enumerate(listed) if i != gone] + [new]
        later = [t for i, t in enumerate(later) if i != gone] + [texts[rng.randrange(len(texts))] + " ook"]
        later_sets = shingle_sets(later)
    elif keys == "the same, as Keys":
        earlier_keys = later_keys = Keys((f"doc{d:03d}.txt", 3) for d in range(len(texts) // 3))
        assert list(later_keys) == listed and [later_keys[i] for i in range(len(listed))] == listed
        later_sets = Chained([shingle_sets(later[k:k + 3]) for k in range(0, len(later), 3)])
        assert list(later_sets) == list(shingle_sets(later)) and later_sets[-1] == shingle_sets(later)[-1]
    at = {k: i for i, k in enumerate(later_keys)}
    before = {k: s for k, s, t in zip(listed, sets, texts) if k not in at or later[at[k]] != t}
    assert 3 <= len(before) <= 5
    again = 0
    for minimum, least, most in [(0.5, 1, 50), (0.6, 4, 50), (0.0, 1, 3)]:
        _, found = search(sets, earlier_keys, minimum, least, most)
        expected = sorted(_shared(later_sets, minimum, least, most))
        assert expected
        pairs, _ = search(later_sets, later_keys, minimum, least, most, earlier=found, before=before)
        assert sorted(pairs) == expected
        again += _again(later_sets, later_keys, minimum, least, most, found, before) is not None
        same, _ = search(sets, earlier_keys, minimum, least, most, earlier=found, before={})  # nothing changed
        assert sorted(same) == sorted(_shared(sets, minimum, least, most))
    assert again >= 2  # the search from the earlier one was made, not only the one from scratch


def test_keys_name_the_sets_of_each_source_in_order():
    keys = Keys([("a.txt", 2), ("b.txt", 0), ("c.txt", 3)])
    assert list(keys) == [("a.txt", 0), ("a.txt", 1), ("c.txt", 0), ("c.txt", 1), ("c.txt", 2)] and len(keys) == 5
    assert keys[2] == ("c.txt", 0) and keys[-1] == ("c.txt", 2)
    assert [keys.position(k) for k in keys] == list(range(5))
    assert keys.position(("a.txt", 2)) is keys.position(("b.txt", 0)) is keys.position(("d.txt", 0)) is None
    assert keys.position(("c.txt", -1)) is None
    with pytest.raises(IndexError):
        keys[5]
    again = pickle.loads(pickle.dumps(keys))
    assert again == keys and again.position(("c.txt", 1)) == 3 and keys != list(keys)
    assert keys != Keys([("a.txt", 2), ("c.txt", 3)])


@pytest.mark.parametrize("base", ["https://w3id.org/dossier-kg/id/", "http://example.org/kg#"])
def test_span_triples_as_rdflib_builds_them(parsed, base):
    _, texts = parsed
    minter = Minter(base)
    for name, text in list(texts.items())[:3]:
        for start, end in [(0, 10), (5, 5), (len(text) - 7, len(text)), (len(text) // 2, len(text) // 2 + 300)]:
            iri = URIRef(str(minter.span(name, start, end)))
            position, quote = URIRef(f"{iri}#position"), URIRef(f"{iri}#quote")
            expected = [
                (iri, ns.RDF.type, ns.OA.SpecificResource), (iri, ns.OA.hasSource, minter.source(name)),
                (iri, ns.OA.hasSelector, position), (iri, ns.OA.hasSelector, quote),
                (position, ns.RDF.type, ns.OA.TextPositionSelector),
                (position, ns.OA.start, Literal(start, datatype=ns.XSD.nonNegativeInteger)),
                (position, ns.OA.end, Literal(end, datatype=ns.XSD.nonNegativeInteger)),
                (position, ns.DKG.line, Literal(line_of(text, start), datatype=ns.XSD.positiveInteger)),
                (quote, ns.RDF.type, ns.OA.TextQuoteSelector), (quote, ns.OA.exact, Literal(text[start:end])),
                (quote, ns.OA.prefix, Literal(text[max(0, start - 32):start])),
                (quote, ns.OA.suffix, Literal(text[end:end + 32]))]
            got_iri, got = span_triples(minter, name, text, start, end)
            assert got_iri == iri and got == expected
            assert [[type(x) for x in t] for t in got] == [[type(x) for x in t] for t in expected]
            assert [o.value for *_, o in got if isinstance(o, Literal)] == \
                [o.value for *_, o in expected if isinstance(o, Literal)]


@pytest.mark.parametrize("lang", [None, "nl"])
def test_a_text_literal_is_the_literal_rdflib_makes(lang):
    """provenance.text_literal fills the slots rdflib's Literal fills, with the same values, for any text: a
    slot rdflib adds one day is missing from it, and this fails."""
    from dossierkg.provenance import text_literal
    slots = [name for cls in Literal.__mro__ for name in getattr(cls, "__slots__", ()) if name != "__weakref__"]
    assert {"_language", "_datatype", "_value", "_ill_typed"} <= set(slots)
    for text in ["", "plain", "1", "true", "2022-12-13", " spaced \n", "é ß — “x” \U0001F600", "\x00\x7f"]:
        made, expected = text_literal(text, lang), Literal(text, lang=lang)
        assert type(made) is Literal and str(made) == str(expected)
        assert [getattr(made, slot) for slot in slots] == [getattr(expected, slot) for slot in slots]
        assert made == expected and hash(made) == hash(expected) and made.n3() == expected.n3()


def test_line_of_counts_the_line_breaks_before_an_offset():
    text = "een\ntwee\n\ndrie"
    assert [line_of(text, i) for i in range(len(text) + 1)] == \
        [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 4, 4, 4, 4]
    assert line_of("", 0) == 1
