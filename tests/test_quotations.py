"""The search for quotations across documents: started from the previous build's search, it finds what a
search from scratch finds."""

from __future__ import annotations

import random

import pytest

from dossierkg import resolve as resolve_module
from dossierkg.parse import parse_bytes
from dossierkg.resolve import find_quotations

WORDS = ("de minister heeft het kabinet over asiel mobilisatie brief beslisnota moratorium dienstplicht "
         "Rusland vertrek besluit kamer vragen antwoord wordt gesteld").split()


def _phrase(rng: random.Random) -> list[str]:
    return [rng.choice(WORDS) for _ in range(rng.randint(6, 9))]


def _printed(words: list[str], rng: random.Random) -> str:
    """Words as a PDF prints them: a line break now and then, one after a hyphen."""
    return words[0] + "".join(rng.choice([" ", " ", " ", "\n", "-\n"]) + w for w in words[1:])


def _document(rng: random.Random, phrases: list[list[str]]) -> str:
    """Three questions: words, phrases of the pool printed in the text, and quotations of phrases (some with an
    elision: found only through it, not verbatim; some of a phrase of their own)."""
    blocks = []
    for n in range(1, 4):
        parts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))]
        for _ in range(rng.randint(0, 2)):
            parts.append(_printed(rng.choice(phrases), rng))
        if rng.random() < 0.7:
            quoted = rng.choice(phrases) if rng.random() < 0.8 else _phrase(rng)  # or one found nowhere
            inner = " ".join(quoted)
            if rng.random() < 0.2:
                cut = rng.randint(2, len(quoted) - 2)
                inner = " ".join(quoted[:cut]) + " ... " + " ".join(rng.choice(phrases)[:3])
            parts.append(f"Zij schreef «{inner}»?")
        blocks.append(f"Vraag {n}\n" + " ".join(parts) + "\n")
    return "".join(blocks)


def _corpus(rng: random.Random, n: int, phrases) -> dict[str, str]:
    return {f"{k:03d}.txt": _document(rng, phrases) for k in range(n)}


def _search(texts: dict[str, str], ids: dict[str, str], earlier=None):
    docs = [parse_bytes(texts[name].encode(), name) for name in sorted(texts)]
    return find_quotations(docs, texts, ids, earlier)


@pytest.mark.parametrize("seed", range(6))
def test_a_search_for_quotations_from_an_earlier_one_finds_what_a_search_from_scratch_finds(seed, monkeypatch):
    """Rounds of changes — a document rewritten (a quoted text among them), taken out, added, one given the
    identity of another (two renderings of one document do not quote each other) — each searched from the
    round before and from scratch: the same quotations, in the same order, the same targets and spans."""
    rng = random.Random(seed)
    phrases = [_phrase(rng) for _ in range(8)]
    texts = _corpus(rng, 30, phrases)
    ids = {name: f"doc-{k % 26}" for k, name in enumerate(sorted(texts))}  # 000 and 026 are one document
    found, quoted = _search(texts, ids)
    assert sum(q.target is not None for q in found) >= 10 and any(q.target is None for q in found)
    again = []
    real = resolve_module._again
    monkeypatch.setattr(resolve_module, "_again", lambda *a: again.append(real(*a)) or again[-1])
    for round_ in range(6):
        targets = sorted({q.target for q in found if q.target})
        change = rng.choice(targets)  # the text a quotation was found in
        texts[change] = _document(rng, phrases)
        texts[rng.choice(sorted(texts))] = _document(rng, phrases)
        if round_ % 2:
            del texts[rng.choice(sorted(set(texts) - {change}))]
        name = f"{100 + round_:03d}.txt"
        texts[name] = _document(rng, phrases)
        ids[name] = ids[change] if round_ % 3 == 0 else f"new-{round_}"
        ids = {k: v for k, v in ids.items() if k in texts}
        same, other = rng.sample(sorted(texts), 2)  # an unchanged text becomes a rendering of another, or apart
        ids[same] = ids[other] if round_ % 2 else f"apart-{round_}"
        from_scratch, _ = _search(texts, ids)
        found, quoted = _search(texts, ids, quoted)
        assert again[-1] is not None  # started from the previous search
        assert found == from_scratch


def test_an_unchanged_document_whose_identity_changed_is_searched_again_as_a_changed_one(monkeypatch):
    """Two texts that quote each other become renderings of one document (an edit in one made their question
    sets' fingerprints equal): neither quotes the other any more. The search starts from the previous one all
    the same (rendering the two as changed), and finds what a search from scratch finds."""
    rng = random.Random(1)
    phrases = [_phrase(rng) for _ in range(8)]
    texts = _corpus(rng, 12, phrases)
    unique = "zeer bijzondere woorden die verder nergens staan"
    texts["004.txt"] = texts["004.txt"].replace("Vraag 1\n", f"Vraag 1\nZij schreef «{unique}»?\n")
    texts["003.txt"] += f"Vraag 4\nHier staan {unique}.\n"
    ids = {name: name for name in texts}
    before, quoted = _search(texts, ids)
    assert any(q.source == "004.txt" and q.target == "003.txt" for q in before)
    ids["003.txt"] = ids["004.txt"]
    docs = [parse_bytes(texts[name].encode(), name) for name in sorted(texts)]
    assert resolve_module._again(docs, texts, ids, {d.source: d.sha256 for d in docs}, quoted) is not None
    after = _search(texts, ids, quoted)[0]
    assert after == _search(texts, ids)[0]
    assert not any(q.source == "004.txt" and q.target == "003.txt" for q in after)
