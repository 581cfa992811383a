"""make chaos: hostile input, killed builds, failing servers and hostile queries, with the figures.

    .venv/bin/python chaos/run.py [--inputs 100000] [--kill-points 20] [--push-rounds 30] [--seed 1]

1. Fuzzing (chaos/fuzz.py): more than 100,000 random, mutated and hostile inputs through the parser and the
   recognisers; every exception other than a broken promise is unexpected.
2. Killed builds (tests/test_kill.py): `kg build` is stopped with SIGKILL at 20 points (things appearing in the
   output folder, fractions of a build's time); the previous build must stay whole and usable, the next build
   must succeed and clean up.
3. Push under faults: rounds of `kg push` to a real Oxigraph server through the fault-injecting proxy of
   tests/servers.py (5xx, 429, writes swallowed, answers cut off or slow, graphs deleted on the server between
   rounds); a push that reports success must have every triple on the server, and one without faults after it
   must repair whatever a failed one left.
4. The existing fault tests of kg push (tests/test_push.py) and hostile-query tests of kg serve
   (tests/test_serve.py) run again under a plugin that counts the faults injected and the queries refused.

Prints the figures; exit 1 when anything that must be 0 is not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

import fuzz  # noqa: E402  (chaos/fuzz.py)


def say(text: str) -> None:
    print(text, flush=True)


# --- 2. killed builds -------------------------------------------------------------------------------------------

def kill_builds(points: int, work: Path) -> dict:
    import test_kill

    refs = test_kill.make_references(work / "references", validate=True)
    chosen = test_kill.KILL_POINTS[:points]
    out = {"points": len(chosen), "killed": 0, "finished_first": 0, "damaged": 0, "not_recovered": 0, "old": 0,
           "new": 0, "unexpected_state": 0, "details": []}
    for i, point in enumerate(chosen):
        outcome = test_kill.kill_case(work / f"kill-{i:02d}", point, refs)
        out["killed" if outcome.killed else "finished_first"] += 1
        if outcome.state in ("old", "new"):
            out[outcome.state] += 1
        out["damaged"] += bool(outcome.problems)
        out["not_recovered"] += bool(outcome.recovered)
        wrong = outcome.killed and point.expect and outcome.state != point.expect
        out["unexpected_state"] += bool(wrong)
        line = (f"  {point.name:32} {'killed' if outcome.killed else 'finished'} at {outcome.seconds:5.3f} s: "
                f"{outcome.state or 'DAMAGED'} build" + (f" (expected {point.expect})" if wrong else ""))
        for problem in outcome.problems + outcome.recovered:
            line += f"\n      {problem}"
        say(line)
        shutil.rmtree(work / f"kill-{i:02d}", ignore_errors=True)
    return out


# --- 3. push under faults ---------------------------------------------------------------------------------------

def push_under_faults(rounds: int, seed: int, work: Path) -> dict:
    import httpx
    from servers import Fault, Oxigraph, Proxy

    from dossierkg.build import build
    from dossierkg.paths import DOSSIER
    from dossierkg.push import PushError, Target, local_graphs, push

    built = work / "push-build"
    build(DOSSIER, built, validate=False)
    local = {g.iri: g.triples for g in local_graphs(built / "dossier.nq").values()}
    rnd = random.Random(seed)
    out = {"rounds": rounds, "faults_injected": 0, "graphs_deleted_on_server": 0, "pushes_ok": 0,
           "pushes_refused": 0, "silent_loss": 0, "lost_after_repair": 0, "kinds": {}}

    def counts(query_url: str) -> dict[str, int]:
        q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        r = httpx.post(query_url, data={"query": q}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        r.raise_for_status()
        return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}

    def missing(query_url: str) -> int:
        on_server = counts(query_url)
        return sum(max(0, n - on_server.get(g, 0)) for g, n in local.items())

    catalogue = [
        lambda: Fault("PUT", "/store", times=rnd.randint(1, 3), status=rnd.choice([500, 502, 503, 504])),
        lambda: Fault("PUT", "/store", times=rnd.randint(1, 2), status=429, headers={"Retry-After": "0"}),
        lambda: Fault("PUT", "/store", action="swallow"),
        lambda: Fault("POST", "/query", times=rnd.randint(1, 2), status=rnd.choice([500, 503])),
        lambda: Fault("POST", "/query", action=rnd.choice(["cut", "cut-no-length"])),
        lambda: Fault("PUT", "/store", action="slow", seconds=1.5),  # past the 1 s timeout: retried
        lambda: Fault("POST", "/update", times=rnd.randint(1, 2), status=rnd.choice([500, 503, 413])),
        lambda: Fault("PUT", "/store", times=99, status=rnd.choice([400, 403])),  # refused for good
        # the bulk loads of the graphs the server lost
        lambda: Fault("POST", "/store", times=rnd.randint(1, 2), status=rnd.choice([500, 503])),
        lambda: Fault("POST", "/store", action="swallow"),
        lambda: Fault("POST", "/store", action="slow", seconds=1.5),  # retried: the same quads loaded twice
    ]
    with Oxigraph(work / "push-db") as server, Proxy(server.base) as proxy:
        proxy.server.handle_error = lambda request, address: None  # a client that gave up (slow): no traceback
        graphs = list(local)
        for i in range(rounds):
            if i and rnd.random() < 0.3:  # the server loses a graph between pushes
                g = rnd.choice(graphs)
                httpx.delete(server.store_url, params={"graph": g}, timeout=30)
                out["graphs_deleted_on_server"] += 1
            faults = [rnd.choice(catalogue)() for _ in range(rnd.randint(1, 4))]
            initial = [f.times for f in faults]
            proxy.faults = []
            proxy.add(*faults)
            update = rnd.random() < 0.25
            target = Target(proxy.url("/query"), update_url=proxy.url("/update") if update else None,
                            timeout=1.0, retries=3)
            try:
                push(built, target, force=rnd.random() < 0.5, log=lambda m: None, sleep=lambda s: None)
                out["pushes_ok"] += 1
                out["silent_loss"] += missing(server.query_url)  # said ok: everything must be there
            except PushError:
                out["pushes_refused"] += 1
            for f, times in zip(faults, initial):  # each use of a fault counts down its `times`
                kind = f"HTTP {f.status}" if f.status else f.action
                if times > f.times:
                    out["kinds"][kind] = out["kinds"].get(kind, 0) + times - f.times
                out["faults_injected"] += times - f.times
            # then a push without faults repairs whatever is missing
            push(built, Target(server.query_url, timeout=30.0, retries=3), log=lambda m: None, sleep=lambda s: None)
            out["lost_after_repair"] += missing(server.query_url)
    return out


# --- 4. the existing fault and hostile-query tests ------------------------------------------------------------

def existing_tests(work: Path) -> dict:
    counts = work / "pytest-counts.json"
    env = {**os.environ, "CHAOS_COUNTS": str(counts), "PYTHONPATH": os.pathsep.join(
        [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []))}
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "chaos.plugin",
                           "-W", "ignore::DeprecationWarning", "tests/test_push.py", "tests/test_serve.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    result = json.loads(counts.read_text()) if counts.exists() else {"failed": 1, "failures": ["(no counts)"]}
    result["exit"] = done.returncode
    result["seconds"] = time.monotonic() - started
    if done.returncode != 0:
        say(done.stdout[-3000:] + done.stderr[-2000:])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--kill-points", type=int, default=20)
    ap.add_argument("--push-rounds", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    started = time.monotonic()
    figures: dict = {}
    with tempfile.TemporaryDirectory(prefix="kg-chaos-") as tmp:
        work = Path(tmp)

        say(f"== 1. fuzzing the parser and the recognisers: {args.inputs:,} inputs (seed {args.seed})")
        fuzzed = fuzz.fuzz(args.inputs, args.seed, args.jobs)
        say(fuzz.report(fuzzed))
        figures["fuzz"] = {k: v for k, v in fuzzed.items() if k not in ("unexpected", "broken")} | {
            "unexpected": len(fuzzed["unexpected"]), "broken": len(fuzzed["broken"])}

        say(f"\n== 2. kg build killed with SIGKILL at {args.kill_points} points")
        t = time.monotonic()
        figures["kill"] = kill_builds(args.kill_points, work)
        figures["kill"]["seconds"] = time.monotonic() - t

        say(f"\n== 3. kg push under faults: {args.push_rounds} rounds against Oxigraph through the fault proxy")
        t = time.monotonic()
        figures["push"] = push_under_faults(args.push_rounds, args.seed, work)
        figures["push"]["seconds"] = time.monotonic() - t
        p = figures["push"]
        say(f"  {p['faults_injected']} faults injected ({', '.join(f'{k} {v}' for k, v in sorted(p['kinds'].items()))}),"
            f" {p['graphs_deleted_on_server']} graphs deleted on the server; pushes: {p['pushes_ok']} verified,"
            f" {p['pushes_refused']} failed with exit 3; triples missing after a verified push: {p['silent_loss']},"
            f" after the repair push: {p['lost_after_repair']}")

        say("\n== 4. the fault tests of kg push and the hostile-query tests of kg serve (tests/test_push.py, "
            "tests/test_serve.py)")
        figures["tests"] = existing_tests(work)
        ts = figures["tests"]
        say(f"  {ts.get('passed', 0)} passed, {ts.get('failed', 0)} failed"
            + (f", {ts['xfailed']} expected failures" if ts.get("xfailed") else "") + ";"
            f" {ts.get('faults_injected', 0)} faults injected by the proxy"
            f" ({', '.join(f'{k} {v}' for k, v in sorted(ts.get('faults_by_kind', {}).items()))});"
            f" {ts.get('queries_refused', 0)} of {ts.get('queries_sent', 0)} queries refused; {ts['seconds']:.0f} s")

    k, p, ts, fz = figures["kill"], figures["push"], figures["tests"], figures["fuzz"]
    lost = p["silent_loss"] + p["lost_after_repair"] + k["not_recovered"]
    rows = [
        ("inputs fuzzed", f"{fz['inputs']:,}"),
        ("unexpected exceptions", fz["unexpected"]),
        ("broken promises (spans, lines, NUL, JSON)", fz["broken"]),
        ("slowest input (s)", f"{fz['slowest'][0]:.2f}"),
        ("builds killed", f"{k['killed']} of {k['points']} points ({k['finished_first']} finished first)"),
        ("previous builds damaged", k["damaged"] + k["unexpected_state"]),
        ("next builds that failed or left leftovers", k["not_recovered"]),
        ("faults injected", f"{ts.get('faults_injected', 0) + p['faults_injected'] + p['graphs_deleted_on_server']}"
                            f" (push tests {ts.get('faults_injected', 0)}, push rounds {p['faults_injected']}"
                            f" + {p['graphs_deleted_on_server']} graphs deleted on the server)"),
        ("queries refused", f"{ts.get('queries_refused', 0)} (of {ts.get('queries_sent', 0)} sent by the serve tests)"),
        ("tests failed", ts.get("failed", 0)),
        ("data lost (triples, outputs)", lost),
    ]
    say(f"\n== figures ({time.monotonic() - started:.0f} s)")
    for name, value in rows:
        say(f"  {name:45} {value}")
    bad = fz["unexpected"] or fz["broken"] or k["damaged"] or k["unexpected_state"] or lost or ts.get("failed", 0) \
        or ts.get("exit", 1) != 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
