"""The whole-process benchmark of issue 8: a synthetic corpus of N documents (bench/synthetic.py), then, each
as a separate process where it is a command: parse, build, every canned query (p50/p95), push to a local
Oxigraph server, audit; peak memory; and a lower bound measured in the same run: reading the texts plus
bulk-loading the same quads into a fresh Oxigraph store; and the floor of an incremental build
(`incremental_floor`). The full and incremental builds are timed in runs of their own, without sampling
their memory (sampling walks the process's pages: it made them 4-8 % slower); those runs report where
their time went (`kg build --timings`): seconds per stage, CPU seconds per part (map, serialise, validate,
write, sentences and shingles, reuse detection, ...) and when the store's loads ran.

    python bench/run.py --docs 1000 [--json OUT]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
KG = [str(Path(sys.executable).with_name("kg"))]  # the kg command, as a user runs it (dossierkg/__main__.py)


def tree_pss_mb(pid: int) -> float:
    """Memory of a process and its descendants, shared pages shared out (Pss, /proc/*/smaps_rollup): what
    the build really holds, workers included."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def timed(cmd: list[str], env: dict | None = None, memory: bool = True) -> tuple[float, float, str]:
    """(seconds, peak MB of the process tree, stdout) of one whole process; memory sampled every 0.1 s (after
    5 s every 0.5 s). Sampling walks the process's pages and slows it (a one-second build by ~8 %): without
    `memory`, it is only timed (peak 0)."""
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        peak = 0.0
        while memory and proc.poll() is None:
            peak = max(peak, tree_pss_mb(proc.pid))
            time.sleep(0.1 if time.perf_counter() - t < 5 else 0.5)
        proc.wait()
        seconds = time.perf_counter() - t
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])} … failed ({proc.returncode}): {stderr[-500:]}")
    return seconds, peak, stdout


def lower_bound(corpus: Path, nquads: Path) -> float:
    """Reading the texts plus bulk-loading the same quads into a fresh on-disk Oxigraph store, the fastest way
    known here (dossierkg.store.create_store without the union graph, in blocks of store.BLOCK, faster than
    one call; lenient: IRIs not checked, as the build loads its own pieces)."""
    from dossierkg.store import create_store
    t = time.perf_counter()
    for p in sorted(corpus.glob("*.txt")):
        p.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        create_store(Path(tmp) / "store", nquads, lenient=True)
    return time.perf_counter() - t


def incremental_floor(build: Path) -> float:
    """The least an incremental build does when its four files are to stay byte-identical to a full build's
    and no crash may lose them: a Python process started, the files written anew (here copied whole, by the
    kernel: quicker than making them) and synced to disk, and the previous ones removed."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    with tempfile.TemporaryDirectory(dir=build) as tmp:
        for name in ("dossier.nq", "dossier.trig", "dossier.ttl", "dossier.jsonld"):
            copy = Path(tmp) / name
            shutil.copyfile(build / name, copy)
            with open(copy, "rb+") as fh:
                os.fsync(fh.fileno())
    return time.perf_counter() - t


def stage_table(runs: dict[str, dict]) -> str:
    """`kg build --timings` of some builds side by side: wall seconds per stage, CPU seconds per part (summed
    over the workers), and when the work beside the stages ran (seconds from the build's start)."""
    names = list(runs)
    head = f"  {'build (s)':32}" + "".join(f" {n:>12}" for n in names)
    lines = [head]
    for key, label in (("stages_s", ""), ("cpu_s", "CPU ")):
        parts = list(dict.fromkeys(p for t in runs.values() for p in t[key]))  # stages in the order they ran
        if key == "cpu_s":
            parts.sort()
        for part in parts:
            cells = "".join(f" {runs[n][key][part]:12.2f}" if part in runs[n][key] else f" {'':>12}" for n in names)
            lines.append(f"  {label + part:32}{cells}")
        if key == "stages_s":
            lines.append(f"  {'total':32}" + "".join(f" {runs[n]['total_s']:12.2f}" for n in names))
    for part in sorted({p for t in runs.values() for p in t["spans_s"]}):
        cells = "".join(f" {'%.1f-%.1f' % tuple(runs[n]['spans_s'][part]) if part in runs[n]['spans_s'] else '':>12}"
                        for n in names)
        lines.append(f"  {'from-to ' + part:32}{cells}")
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--no-push", action="store_true", help="skip the push to a local Oxigraph server")
    args = ap.parse_args()
    compileall.compile_dir(ROOT / "dossierkg", quiet=1)  # as pip does: else every process compiles it again
    from synthetic import make_corpus

    from dossierkg import queries
    from dossierkg.store import open_store
    from queries import PARAMS  # bench/queries.py

    out: dict = {"docs": args.docs}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = make_corpus(args.docs, tmp / "corpus")[0].parent
        files = [str(p) for p in sorted(corpus.glob("*.txt"))]
        out["bytes"] = sum(os.path.getsize(f) for f in files)
        s, mb, _ = timed(KG + ["parse", "--json", *files])
        out["parse_s"], out["parse_peak_mb"], peak = round(s, 2), round(mb), mb
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        build = KG + ["build", "--dossier", str(corpus), "--out", str(tmp / "build")]
        _, mb, summary = timed(build, env)  # its memory; then its time, from scratch again, not sampled
        shutil.rmtree(tmp / "build")
        s, _, _ = timed(build + ["--timings", str(tmp / "timings.json")], env, memory=False)
        out["build_s"], out["build_peak_mb"], peak = round(s, 2), round(mb), max(peak, mb)
        out["build_timings"] = json.loads((tmp / "timings.json").read_text())
        out["build_summary"] = summary.strip().splitlines()[-3:]
        nq = tmp / "build" / "dossier.nq"
        out["quads"] = sum(1 for _ in nq.open("rb"))
        store = open_store(tmp / "build")  # as a full build leaves it
        out["queries_ms"] = {}
        for name, q in queries.discover().items():
            times = []
            for _ in range(5):  # fewer when a run takes seconds
                t = time.perf_counter()
                queries.run(q, PARAMS.get(name, {}), store=store)
                times.append((time.perf_counter() - t) * 1000)
                if sum(times) > 20_000 and len(times) >= 3:
                    break
            times.sort()
            out["queries_ms"][name] = {"p50": round(statistics.median(times), 1), "p95": round(times[-1], 1)}
        del store
        # incremental: one source changed (a word changed, back, again, ...): its memory once, its time three
        # times without sampling memory (the median)
        changed = Path(files[len(files) // 2])
        text = changed.read_text(encoding="utf-8")
        edited = text.replace(" het ", " dat ", 1)
        assert edited != text, changed
        runs, timings = [], []
        for n, version in enumerate((edited, text, edited, text)):
            changed.write_text(version, encoding="utf-8")
            s, mb, summary = timed(KG + ["build", "--dossier", str(corpus), "--out", str(tmp / "build"),
                                         "--timings", str(tmp / "timings.json")], env, memory=n == 0)
            if n == 0:
                out["incremental_peak_mb"], peak = round(mb), max(peak, mb)
            else:
                runs.append(round(s, 2))
                timings.append(json.loads((tmp / "timings.json").read_text()))
        out["incremental_runs_s"] = runs
        out["incremental_build_s"] = statistics.median(runs)
        out["incremental_timings"] = timings[runs.index(out["incremental_build_s"])]  # the median run's
        out["incremental_share"] = round(out["incremental_build_s"] / out["build_s"], 3)
        out["incremental_summary"] = [line for line in summary.splitlines() if line.startswith("incremental")]
        # an edit that moves the text after it (a word made longer) in three files, each put back after: it
        # moves the spans of the file after it, and the text reuse and links that name them
        moved = []
        for path in (Path(files[len(files) // 4]), Path(files[len(files) * 3 // 4]), Path(files[len(files) // 3])):
            text = path.read_text(encoding="utf-8")
            word = " het " if " het " in text else " de "
            edited = text.replace(word, word[:-1] + "zelfde ", 1)
            assert edited != text, path
            for n, version in enumerate((edited, text)):
                path.write_text(version, encoding="utf-8")
                s, _, _ = timed(KG + ["build", "--dossier", str(corpus), "--out", str(tmp / "build")], env,
                                memory=False)
                if n == 0:
                    moved.append(round(s, 2))
        out["incremental_moved_runs_s"] = moved
        out["incremental_moved_s"] = statistics.median(moved)
        out["incremental_moved_share"] = round(out["incremental_moved_s"] / out["build_s"], 3)
        out["incremental_floor_s"] = round(statistics.median(incremental_floor(tmp / "build") for _ in range(3)), 2)
        out["incremental_floor_share"] = round(out["incremental_floor_s"] / out["build_s"], 3)
        s, mb, _ = timed(KG + ["audit", "--dossier", str(corpus), "--build", str(tmp / "build")])
        out["audit_s"], out["audit_peak_mb"], peak = round(s, 2), round(mb), max(peak, mb)
        if not args.no_push:
            sys.path.insert(0, str(ROOT / "tests"))
            from servers import Oxigraph
            with Oxigraph(tmp / "oxigraph") as server:
                s, mb, _ = timed(KG + ["push", "--endpoint", server.query_url, "--build", str(tmp / "build")])
                out["push_s"], peak = round(s, 2), max(peak, mb)
        out["lower_bound_s"] = round(lower_bound(corpus, nq), 2)
        out["ratio_to_lower_bound"] = round(out["build_s"] / out["lower_bound_s"], 1)
        out["peak_mb"] = round(peak, 1)
    print(f"{args.docs} documents ({out['bytes'] / 1e6:.1f} MB) -> {out['quads']:,} quads")
    for key in ("parse_s", "build_s", "incremental_build_s", "incremental_moved_s", "incremental_floor_s", "audit_s",
                "push_s", "lower_bound_s"):
        if key in out:
            print(f"  {key:22} {out[key]:9.2f}")
    print(f"  build / lower bound    {out['ratio_to_lower_bound']:9.1f}x")
    print(f"  incremental / full     {out['incremental_share']:9.1%} (its floor: {out['incremental_floor_share']:.1%}; "
          f"an edit that moves the text after it: {out['incremental_moved_share']:.1%})")
    print("  peak memory (MB, process tree, Pss): " + ", ".join(f"{k[:-8]} {out[k]:,}" for k in out
                                                             if k.endswith("_peak_mb")))
    print(stage_table({"full": out["build_timings"], "incremental": out["incremental_timings"]}))
    print(f"  {'query (ms)':32} {'p50':>9} {'p95':>9}")
    for name, q in sorted(out["queries_ms"].items(), key=lambda kv: kv[1]["p50"]):
        print(f"  {name:32} {q['p50']:9.1f} {q['p95']:9.1f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
