"""Benchmark of `kg audit` and of reuse detection on N synthetic documents (bench/synthetic.py).

Reuse detection indexes 3-shingles (answers, then sentences), so only blocks that share a shingle are
compared; the naive all-pairs count is printed beside it for scale.

    python bench/audit_reuse.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    args = ap.parse_args()
    from synthetic import make_corpus

    from dossierkg.audit import audit
    from dossierkg.build import build, read_sources
    from dossierkg.passages import passage_triples, reuse_triples
    from dossierkg.iris import Minter
    from dossierkg.parse import parse_bytes
    from dossierkg.resolve import resolve
    from dossierkg.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(args.docs, Path(tmp) / "corpus")
        sources = read_sources(corpus[0].parent)
        docs = [parse_bytes(s.data, s.path.name) for s in sources]
        texts = {s.path.name: s.text for s in sources}
        res = resolve(docs, texts)
        minter = Minter()
        t = time.perf_counter()
        answers = reuse_triples(minter, docs, res, texts)
        t_answers = time.perf_counter() - t
        t = time.perf_counter()
        passages = passage_triples(minter, docs, res, texts)
        t_passages = time.perf_counter() - t
        n_answers = sum(len(d.answers) for d in docs)
        build(corpus[0].parent, Path(tmp) / "out", validate=False)
        store = open_store(Path(tmp) / "out")
        t = time.perf_counter()
        n_sources, n_spans, findings = audit(store, corpus[0].parent)
        t_audit = time.perf_counter() - t
    print(f"{args.docs} documents, {n_answers} answers (naive all pairs: {n_answers * (n_answers - 1) // 2:,})")
    print(f"reuse, answers:    {t_answers:7.2f} s  ({len(answers) // 8} pairs recorded)")
    print(f"reuse, sentences:  {t_passages:7.2f} s  ({len(passages)} triples)")
    print(f"audit:             {t_audit:7.2f} s  ({n_sources} sources, {n_spans:,} spans, {len(findings)} findings)")


if __name__ == "__main__":
    main()
