"""Benchmark of `kg push`: the dossier and a synthetic corpus of N documents pushed to a local Oxigraph server,
as `kg push` does by default (graphs the server lacks by its bulk loader, the others by Graph Store Protocol),
by Graph Store Protocol alone (`--no-bulk`) and by SPARQL Update, first into an empty store, then again
(forced and unchanged). Every push is verified (triple counts read back), as `kg push` always does.

    python bench/push.py [--docs 1000] [--runs 3] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))


def measure(build_dir: Path, workdir: Path, runs: int) -> list[dict]:
    from servers import Oxigraph

    from dossierkg.push import Target, local_graphs, push

    graphs = local_graphs(build_dir / "dossier.nq")
    triples = sum(g.triples for g in graphs.values())
    rows = []
    for protocol in ("default", "gsp", "update"):
        timings: dict[str, list] = {"into an empty store": [], "again, --force": [], "again, unchanged": []}
        for run in range(runs):
            with Oxigraph(workdir / f"{protocol}-{run}") as server:
                target = Target(server.query_url, update_url=server.update_url if protocol == "update" else None)
                state = build_dir / "push-state.json"
                state.unlink(missing_ok=True)
                for mode, force in (("into an empty store", False), ("again, --force", True), ("again, unchanged", False)):
                    report = push(build_dir, target, force=force, log=lambda m: None, bulk=protocol == "default")
                    assert report.verified == triples, (report.verified, triples)
                    timings[mode].append((report.seconds, len(report.sent), report.requests))
        for mode, got in timings.items():
            seconds = statistics.median(t for t, _, _ in got)
            rows.append({"protocol": protocol, "mode": mode, "graphs": len(graphs), "sent": got[0][1],
                         "triples": triples, "seconds": seconds, "runs": [round(t, 4) for t, _, _ in got],
                         "requests": got[0][2], "triples_per_s": triples / seconds if got[0][1] else None})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="documents in the synthetic corpus")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is shown)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    args = ap.parse_args()

    from synthetic import make_corpus

    from dossierkg.build import build
    from dossierkg.paths import DOSSIER

    results = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
               "machine": f"{platform.machine()}, {platform.system()} {platform.release()}", "corpora": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = {"dossier (5 files)": DOSSIER}
        make_corpus(args.docs, tmp / "corpus")
        corpora[f"synthetic ({args.docs} documents)"] = tmp / "corpus"
        for name, folder in corpora.items():
            out = tmp / f"build-{len(results['corpora'])}"
            t = time.perf_counter()
            built = build(folder, out, validate=False)
            print(f"{name}: built in {time.perf_counter() - t:.1f} s, {len(built.failed)} unreadable", file=sys.stderr)
            results["corpora"][name] = measure(out, tmp / f"servers-{len(results['corpora'])}", args.runs)

    print(f"kg push to a local Oxigraph server (127.0.0.1), median of {args.runs} runs, Python {results['python']}")
    print(f"{'corpus':28} {'protocol':8} {'push':22} {'graphs':>7} {'sent':>6} {'triples':>9} {'requests':>9} "
          f"{'seconds':>8} {'triples/s':>10}")
    for name, rows in results["corpora"].items():
        for r in rows:
            rate = f"{r['triples_per_s']:,.0f}" if r["triples_per_s"] else "-"
            print(f"{name:28} {r['protocol']:8} {r['mode']:22} {r['graphs']:>7} {r['sent']:>6} {r['triples']:>9,} "
                  f"{r['requests']:>9} {r['seconds']:>8.3f} {rate:>10}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
