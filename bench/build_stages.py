"""Benchmark of `kg build`: the dossier end to end as a whole process, and where the time of a build of a
synthetic corpus of N documents goes, in this process (its timings: seconds per stage, CPU seconds per part),
with peak memory.

    python bench/build_stages.py [--docs 1000] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def dossier_end_to_end(runs: int = 3) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "kg.py"), "build", "--out", out], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return times


def stages(n: int) -> dict:
    """kg build of n synthetic documents in this process, with its timings (dossierkg.timings)."""
    from synthetic import make_corpus

    from dossierkg.build import build

    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(n, Path(tmp) / "corpus")
        built = build(corpus[0].parent, Path(tmp) / "out")
        quads = sum(1 for _ in open(Path(tmp) / "out" / "dossier.nq", "rb"))
    return {"docs": n, "triples": built.triple_count(), "quads": quads, "conforms": built.report.conforms,
            "timings": built.timings.as_dict(),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    from run import stage_table

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    e2e = dossier_end_to_end()
    print(f"dossier end to end (kg build, whole process, 3 runs): "
          f"{' / '.join(f'{t:.2f}' for t in e2e)} s  (target <= 2 s)")
    result = stages(args.docs)
    print(f"{result['docs']} documents -> {result['triples']} triples ({result['quads']} quads), "
          f"conforms: {result['conforms']}")
    print(stage_table({"in process": result["timings"]}))
    print(f"peak memory: {result['peak_mb']} MB")
    if args.json:
        result.update({"dossier_end_to_end_seconds": e2e, "python": platform.python_version(),
                       "machine": platform.machine()})
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
