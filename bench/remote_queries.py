"""The canned queries on real SPARQL servers at scale: a build of N synthetic documents (or --build DIR), its
dossier.nq loaded by each server's own bulk loader, then every canned query through kg's endpoint path (p50
of 3 runs), its row count compared with the embedded store's.

- Virtuoso 7 (virtuoso-t): ld_dir + rdf_loader_run; queries on /sparql, whose default graph is every graph.
- Oxigraph (`oxigraph load`, then `oxigraph serve-read-only --union-default-graph`).

Both default graphs are bags: a triple stated in n named graphs matches n times (the embedded store's default
graph is the union as a set), so joins over shared resources grow before DISTINCT takes the repeats away.

    python bench/remote_queries.py --docs 1000 [--build DIR] [--only virtuoso|oxigraph] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from dossierkg import queries  # noqa: E402
from dossierkg.store import open_store  # noqa: E402
from queries import PARAMS  # noqa: E402 - bench/queries.py
from servers import Oxigraph, Virtuoso, oxigraph_command  # noqa: E402 - tests/servers.py

TIMEOUT = 60.0  # both servers stop a query after this long (Virtuoso: MaxQueryExecutionTime)


def build(docs: int, tmp: Path) -> Path:
    from synthetic import make_corpus
    corpus = make_corpus(docs, tmp / "corpus")[0].parent
    subprocess.run([sys.executable, str(ROOT / "kg.py"), "build", "--dossier", str(corpus), "--out", str(tmp / "build")],
                   check=True, stdout=subprocess.DEVNULL)
    return tmp / "build"


def time_queries(endpoint: str, local) -> dict[str, dict]:
    """p50 (ms) and rows per canned query on `endpoint`; rows of the embedded store beside them."""
    out = {}
    for name, q in queries.discover().items():
        params = PARAMS.get(name, {})
        expected = len(queries.run(q, params, store=local).bindings)
        times, rows, error = [], None, None
        for _ in range(3):
            t = time.perf_counter()
            try:
                rows = len(queries.run(q, params, endpoint=endpoint, timeout=TIMEOUT).bindings)
            except Exception as exc:  # noqa: BLE001 - reported: a timeout or the server's error
                error = str(exc).splitlines()[0][-160:]
                break
            times.append((time.perf_counter() - t) * 1000)
            if times[-1] > 10_000:
                break
        out[name] = {"p50_ms": round(statistics.median(times), 1) if times else None, "rows": rows,
                     "embedded_rows": expected, "error": error}
        print(f"  {name:34} {_cell(out[name])}", flush=True)
    return out


def _cell(r: dict) -> str:
    if r["error"]:
        return f"failed: {r['error']}"
    same = "" if r["rows"] == r["embedded_rows"] else f"  (embedded store: {r['embedded_rows']} rows)"
    return f"{r['p50_ms']:10.1f} ms  {r['rows']:6} rows{same}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--build", type=Path, help="an existing build folder (instead of building --docs documents)")
    ap.add_argument("--only", choices=["virtuoso", "oxigraph"])
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = args.build or build(args.docs, tmp)
        nquads = (out / "dossier.nq").resolve()
        result["quads"] = sum(1 for _ in nquads.open("rb"))
        local = open_store(out)
        if args.only in (None, "virtuoso"):
            with Virtuoso(tmp / "virtuoso", max_rows=1_000_000, buffers=340_000, query_mem="2G") as server:
                t = time.perf_counter()
                server.bulk_load(nquads)
                load_s = round(time.perf_counter() - t, 1)
                print(f"virtuoso: {result['quads']:,} quads bulk-loaded in {load_s} s", flush=True)
                result["virtuoso"] = {"load_s": load_s, "queries": time_queries(server.query_url, local)}
        if args.only in (None, "oxigraph"):
            location = tmp / "oxigraph"
            t = time.perf_counter()
            subprocess.run([oxigraph_command(), "load", "--location", str(location), "--file", str(nquads), "--lenient"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            load_s = round(time.perf_counter() - t, 1)
            print(f"oxigraph: {result['quads']:,} quads loaded in {load_s} s", flush=True)
            with Oxigraph(location, read_only=True, timeout_s=int(TIMEOUT)) as server:
                result["oxigraph"] = {"load_s": load_s, "queries": time_queries(server.query_url, local)}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
