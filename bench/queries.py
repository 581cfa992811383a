"""Benchmark of the canned queries on the embedded Oxigraph store: p50/p95 per query on the dossier and on
a synthetic store of about 1 M triples (the synthetic corpus, built and bulk-loaded once).

    python bench/queries.py [--triples 1000000] [--runs 20] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dossierkg import queries  # noqa: E402
from dossierkg.build import build_graph, read_sources  # noqa: E402
from dossierkg.export import serialise_all  # noqa: E402
from dossierkg.store import load_store, open_store  # noqa: E402

PARAMS = {"answers-citing": {"document": "kst-19637-3018"}, "questions-citing": {"document": "kst-19637-3018"},
          "provenance": {"resource": "https://w3id.org/dossier-kg/id/ah-tk-20222023-1663/antwoord/2"}}


def store_for(folder: Path, out: Path):
    built = build_graph(read_sources(folder), curation=folder / "instruments.json")
    out.mkdir(parents=True, exist_ok=True)
    data = serialise_all(built.quads, ["nq", "nt"])
    load_store(out, data["nq"], union=data["nt"])
    return open_store(out), built.triple_count()


def timings(store, runs: int) -> dict[str, dict]:
    out = {}
    for name, q in queries.discover().items():
        times, rows = [], 0
        for _ in range(runs):
            t = time.perf_counter()
            rows = len(queries.run(q, PARAMS.get(name, {}), store=store).bindings)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        out[name] = {"p50_ms": round(statistics.median(times), 2),
                     "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2), "rows": rows}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from synthetic import make_corpus

    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        store, n = store_for(ROOT / "dossier", Path(tmp) / "dossier")
        result["dossier"] = {"triples": n, "queries": timings(store, args.runs)}
        docs = max(17, args.triples // 380)
        corpus = make_corpus(docs, Path(tmp) / "corpus")
        t = time.perf_counter()
        store, n = store_for(corpus[0].parent, Path(tmp) / "big")
        result["synthetic"] = {"documents": docs, "triples": n, "build_and_load_s": round(time.perf_counter() - t, 1),
                               "queries": timings(store, max(3, args.runs // 4))}
    print(f"{'query':34} {'dossier p50':>12} {'p95':>8} {'rows':>5}   {'synthetic p50':>14} {'p95':>8} {'rows':>6}")
    for name in result["dossier"]["queries"]:
        a, b = result["dossier"]["queries"][name], result["synthetic"]["queries"][name]
        print(f"{name:34} {a['p50_ms']:10.1f}ms {a['p95_ms']:6.1f}ms {a['rows']:5}   "
              f"{b['p50_ms']:12.1f}ms {b['p95_ms']:6.1f}ms {b['rows']:6}")
    print(f"dossier: {result['dossier']['triples']} triples; synthetic: {result['synthetic']['documents']} documents, "
          f"{result['synthetic']['triples']} triples (built and loaded in {result['synthetic']['build_and_load_s']} s)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
