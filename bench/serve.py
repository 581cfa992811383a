"""Benchmark `kg serve`: N concurrent clients running the canned queries against the SPARQL endpoint.

    .venv/bin/python bench/serve.py                       # start kg serve on the last build, 50 clients
    .venv/bin/python bench/serve.py --clients 50 --rounds 20 --json build/bench-serve.json
    .venv/bin/python bench/serve.py --url http://127.0.0.1:8000   # a server that is already running

Each client is a thread with its own keep-alive HTTP connection. It runs every canned query (queries/*.rq,
parameters bound as a VALUES block, exactly as `kg query --endpoint` sends them) `--rounds` times, in a
shuffled order, as POST /sparql with Accept: application/sparql-results+json. Before the timed part, one
warm-up pass runs each query once (the server parses a query text once and remembers that it passed;
the warm-up time is reported too). kg serve keeps answers it has given (the store does not change while
it is served), so repeated canned queries are mostly answered from memory; --no-cache starts the server
with --cache-mb 0 to measure running every query. An error is anything but a 200 with SPARQL JSON results; the
benchmark exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dossierkg.queries import bindings, discover, strip_header, with_values  # noqa: E402

PARAMS = {
    "answers-citing": {"document": "kst-19637-3018"},
    "questions-citing": {"document": "kst-19637-3018"},
    "provenance": {"resource": "https://w3id.org/dossier-kg/id/ah-tk-20222023-1663/antwoord/2"},
}


def canned_requests() -> list[tuple[str, str]]:
    out = []
    for name, q in discover().items():
        bound = bindings(q, PARAMS.get(name, {}))
        out.append((name, with_values(strip_header(q.text), bound)))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(build: Path, port: int, extra: list[str]) -> subprocess.Popen:
    kg = Path(sys.executable).parent / "kg"
    cmd = [str(kg)] if kg.exists() else [sys.executable, str(ROOT / "kg.py")]
    log = open(Path(tempfile.gettempdir()) / f"kg-serve-bench-{port}.log", "wb")
    proc = subprocess.Popen([*cmd, "serve", "--build", str(build), "--port", str(port), "--log-level", "warning",
                             *extra], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"kg serve exited ({proc.returncode}); see {log.name}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/health")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("kg serve did not start within 90 s")


def post(conn: http.client.HTTPConnection, text: str) -> tuple[int, bytes]:
    body = urllib.parse.urlencode({"query": text})
    conn.request("POST", "/sparql", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    return resp.status, resp.read()


def client(host: str, port: int, work: list[tuple[str, str]], latencies: list, errors: list, start: threading.Event):
    conn = http.client.HTTPConnection(host, port, timeout=60)
    start.wait()
    for name, text in work:
        t0 = time.perf_counter()
        try:
            status, body = post(conn, text)
            ok = status == 200 and "results" in json.loads(body)
        except Exception as exc:  # a refused connection, a reset, a bad body: all count as errors
            status, ok = repr(exc), False
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        latencies.append((name, time.perf_counter() - t0))
        if not ok:
            errors.append((name, status))
    conn.close()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * len(values) + 0.5) - 1))
    return values[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=10, help="passes over the canned queries per client")
    ap.add_argument("--url", default=None, help="benchmark this running server instead of starting one")
    ap.add_argument("--build", type=Path, default=ROOT / "build", help="build folder to serve (default build/)")
    ap.add_argument("--workers", type=int, default=None, help="kg serve --workers (default: kg serve's)")
    ap.add_argument("--no-cache", action="store_true", help="kg serve --cache-mb 0: every request runs its query")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    args = ap.parse_args()

    proc = None
    if args.url:
        u = urllib.parse.urlsplit(args.url)
        host, port = u.hostname, u.port or 80
    else:
        if not (args.build / "store").is_dir():
            subprocess.run([sys.executable, str(ROOT / "kg.py"), "build", "--out", str(args.build)], check=True,
                           cwd=ROOT, stdout=subprocess.DEVNULL)
        host, port = "127.0.0.1", free_port()
        extra = (["--workers", str(args.workers)] if args.workers else []) + (["--cache-mb", "0"] if args.no_cache else [])
        proc = start_server(args.build, port, extra)
    try:
        queries = canned_requests()
        conn = http.client.HTTPConnection(host, port, timeout=60)
        t0 = time.perf_counter()
        warm = []
        for name, text in queries:
            t = time.perf_counter()
            status, _ = post(conn, text)
            warm.append((name, time.perf_counter() - t, status))
        warm_total = time.perf_counter() - t0
        conn.close()

        rng = random.Random(1)
        latencies: list = []
        errors: list = []
        start = threading.Event()
        threads = []
        for _ in range(args.clients):
            work = [q for _ in range(args.rounds) for q in rng.sample(queries, len(queries))]
            t = threading.Thread(target=client, args=(host, port, work, latencies, errors, start))
            t.start()
            threads.append(t)
        t0 = time.perf_counter()
        start.set()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        if proc:
            os.kill(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)

    ms = [1000 * s for _, s in latencies]
    per_query = {}
    for name, s in latencies:
        per_query.setdefault(name, []).append(1000 * s)
    result = {
        "date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "cpus": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()}", "clients": args.clients, "rounds": args.rounds,
        "queries": len(queries), "cache": "off" if args.no_cache else ("server's" if args.url else "on"), "requests": len(ms), "errors": len(errors), "seconds": round(wall, 2),
        "requests_per_second": round(len(ms) / wall, 1), "p50_ms": round(pct(ms, 50), 1),
        "p90_ms": round(pct(ms, 90), 1), "p99_ms": round(pct(ms, 99), 1), "max_ms": round(max(ms), 1),
        "mean_ms": round(statistics.fmean(ms), 1), "warmup_ms": round(1000 * warm_total, 1),
        "per_query_p50_ms": {k: round(pct(v, 50), 1) for k, v in sorted(per_query.items())},
        "per_query_p99_ms": {k: round(pct(v, 99), 1) for k, v in sorted(per_query.items())},
    }
    print(f"{result['clients']} clients x {result['rounds']} rounds x {result['queries']} canned queries = "
          f"{result['requests']} requests in {result['seconds']} s ({result['requests_per_second']} requests/s), "
          f"{os.cpu_count()} CPUs, Python {result['python']}, answer cache {result['cache']}")
    print(f"errors {result['errors']}   p50 {result['p50_ms']} ms   p90 {result['p90_ms']} ms   "
          f"p99 {result['p99_ms']} ms   max {result['max_ms']} ms   (warm-up pass: {result['warmup_ms']} ms)")
    print(f"{'query':34} {'p50 ms':>8} {'p99 ms':>8}")
    for name in sorted(per_query):
        print(f"{name:34} {result['per_query_p50_ms'][name]:8.1f} {result['per_query_p99_ms'][name]:8.1f}")
    for name, status in errors[:10]:
        print(f"error: {name}: {status}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
