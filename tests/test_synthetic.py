"""The synthetic benchmark corpus (bench/synthetic.py): deterministic, read by the parser exactly as generated,
varied, mostly distinct text, and its cross-references resolve in a build."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from dossierkg.build import build, build_graph, read_sources
from dossierkg.namespace import DKG, RDF
from dossierkg.parse import parse_bytes
from dossierkg.reuse import sentences

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

N = 100


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """(paths, expectations, parsed documents) of the 100-document corpus."""
    paths = synthetic.make_corpus(N, tmp_path_factory.mktemp("synthetic") / "corpus")
    docs = [parse_bytes(p.read_bytes(), p.name) for p in paths]
    return paths, synthetic.expected(N), docs


def test_make_corpus_writes_n_text_files_sorted_into_a_fresh_folder(tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "stale.txt").write_text("left from an earlier run")
    paths = synthetic.make_corpus(12, out)
    assert paths == sorted(out.iterdir()) == sorted(paths)
    assert len(paths) == 12 and all(p.suffix == ".txt" for p in paths)
    assert [e["file"] for e in synthetic.expected(12)] == [p.name for p in paths]


def test_deterministic_and_every_prefix_is_the_smaller_corpus(tmp_path, corpus):
    paths = corpus[0]
    again = synthetic.make_corpus(N, tmp_path / "again")
    assert [p.name for p in again] == [p.name for p in paths]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    small = synthetic.make_corpus(30, tmp_path / "small")
    assert [p.read_bytes() for p in small] == [p.read_bytes() for p in paths[:30]]
    other = synthetic.make_corpus(30, tmp_path / "other", seed=7)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in small]


def test_every_document_is_read_as_generated(corpus):
    paths, expected, docs = corpus
    for path, exp, doc in zip(paths, expected, docs):
        where = f"{path.name}: "
        assert not doc.errors, where + str(doc.errors)
        assert not doc.warnings, where + str(doc.warnings)
        assert doc.kind == exp["kind"], where + doc.kind
        assert [list(b.numbers) for b in doc.questions] == exp["questions"], where + "questions"
        assert [[list(b.numbers), sorted(b.refers_to)] for b in doc.answers] == exp["answers"], where + "answers"
        assert set(doc.identifiers) == set(exp["identifiers"]), where + str(doc.identifiers)
        assert (doc.submitted, doc.answered) == (exp["submitted"], exp["answered"]), where + "dates"
        assert list(doc.postponements) == exp["postponements"], where + "postponements"
        assert len(doc.footnotes) == exp["footnotes"], where + "footnotes"
        assert [list(f.markers_in) for f in doc.footnotes] == exp["marker_in"], where + "marker_in"
        assert [[p.name, p.role] for p in doc.answerers] == exp["answerers"], where + "answerers"
        sender = doc.extra.get("sender")
        assert ([sender["name"], sender["role"]] if sender else None) == exp["sender"], where + "sender"
        cited = {r.target for r in doc.references if r.target} | {f.reference for f in doc.footnotes if f.reference}
        assert sorted(cited) == exp["cites"], where + "cites"
        if doc.kind == "letter":
            assert len(doc.sections) == exp["sections"], where + "sections"


def test_400_documents_parse_without_doubt():
    """Rarer layouts (a wrapped line starting with a number or 'vraag 3.', a footnote at a page bottom) show
    up only in a larger corpus."""
    for name, text, exp in synthetic.documents(400):
        doc = parse_bytes(text.encode("utf-8"), name)
        assert not doc.errors and not doc.warnings, (name, doc.errors, doc.warnings)
        assert doc.kind == exp["kind"], name
        assert [list(b.numbers) for b in doc.questions] == exp["questions"], name
        assert [list(b.numbers) for b in doc.answers] == [a for a, _ in exp["answers"]], name


def test_the_corpus_varies(corpus):
    paths, expected, docs = corpus
    shapes = Counter(e["shape"] for e in expected)
    assert set(shapes) == set(synthetic.RENDER), shapes  # every shape, postponement notices included
    assert shapes["ah-answer"] >= 20 and shapes["ah-notice"] + shapes["word-notice"] >= 5
    counts = [len({n for g in e["questions"] for n in g}) for e in expected if e["questions"]]
    assert min(counts) <= 3 and max(counts) >= 12
    answers = [a for e in expected for a in e["answers"]]
    assert sum(len(numbers) > 1 for numbers, _ in answers) >= 5  # 'Antwoord 2 en 3'
    assert sum(len(g) > 1 for e in expected for g in e["questions"]) >= 2  # 'Vraag 2 en 3'
    assert sum(bool(refers) for _, refers in answers) >= 3  # 'zie het antwoord op vraag 2'
    assert sum(e["footnotes"] for e in expected) >= 80
    members = {p.name for d in docs for p in d.submitters}
    parties = {p.party for d in docs for p in d.submitters if p.party}
    ministers = {p.name for d in docs for p in d.answerers}
    assert len(members) >= 50 and len(parties) >= 10 and len(ministers) >= 8
    assert len({e["topic"] for e in expected}) >= 8
    waits = [(date.fromisoformat(d.answered) - date.fromisoformat(d.submitted)).days
             for d in docs if d.answered and d.submitted]
    assert min(waits) > 0 and max(waits) > 42  # answers after the questions, some after six weeks


def test_documents_are_the_size_of_real_ones(corpus):
    sizes = [p.stat().st_size for p in corpus[0]]
    assert 3000 <= sum(sizes) / len(sizes) <= 10000
    answers = [p.stat().st_size for p, e in zip(*corpus[:2]) if e["answers"]]
    assert 4000 <= sorted(answers)[len(answers) // 2] <= 10000


def test_sentences_are_mostly_distinct(corpus):
    """Reuse detection needs a corpus where few sentences recur: the same questions may be rendered in the
    question document, the notice and the answers of one question set, but little else repeats."""
    paths, expected, docs = corpus
    episodes: dict[str, set] = defaultdict(set)
    answered = []
    for e, d in zip(expected, docs):
        for block in list(d.questions) + list(d.answers) + list(d.sections):
            for s in sentences(block.text):
                episodes[s].add(e["episode"])
                if block not in d.questions:
                    answered.append(s)
    assert len(answered) > 1000
    assert len(set(answered)) / len(answered) >= 0.95
    occurrences = Counter(s for d in docs for block in list(d.questions) + list(d.answers) + list(d.sections)
                          for s in sentences(block.text))
    shared = sum(n for s, n in occurrences.items() if len(episodes[s]) > 1)
    assert shared / sum(occurrences.values()) <= 0.05


def test_a_build_conforms_and_cross_references_resolve(tmp_path):
    paths = synthetic.make_corpus(30, tmp_path / "corpus")
    expected = synthetic.expected(30)
    built = build(paths[0].parent, tmp_path / "out")
    assert not built.failed
    assert built.report.conforms

    graph = build_graph(read_sources(paths[0].parent))
    rendered = {str(s) for s, p, o, g in graph.quads if p == DKG.renderedIn}
    notices = {i for e in expected if e["kind"] == "postponement-notice" for i in e["identifiers"]}
    cited = {c for e in expected for c in e["cites"]}
    assert any(c.startswith("kst-") for c in cited) and any(c.startswith("ah-tk-") for c in cited - notices)
    base = str(graph.graphs[paths[0].name]).split("graaf/")[0]
    for ident in cited - notices:  # letters and answer sets of the corpus, each rendered in one of its files
        assert base + ident in rendered, ident
    # the documents of one question set (questions, notice, answers) describe one dkg:QuestionSet
    sets: dict[int, set] = defaultdict(set)
    by_graph = {str(g): name for name, g in graph.graphs.items()}
    episode = {e["file"]: e["episode"] for e in expected if e["kind"] != "letter"}
    for s, p, o, g in graph.quads:
        if p == RDF.type and o == DKG.QuestionSet and by_graph.get(str(g)) in episode:
            sets[episode[by_graph[str(g)]]].add(str(s))
    assert sets and all(len(v) == 1 for v in sets.values()), sets
