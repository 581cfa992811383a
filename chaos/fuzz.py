"""Fuzz the parser and the recognisers with many seeded random inputs (the generators and the checks are
tests/test_fuzz.py's: `fuzz_one` draws an input, `run_one` feeds it and checks the promises).

    .venv/bin/python chaos/fuzz.py [--inputs 100000] [--seed 1] [--jobs N]

Input i of seed s is drawn from random.Random(s * 1_000_003 + i), so any finding can be replayed alone:
`chaos/fuzz.py --replay s:i` prints the input's kind and size and runs it with the full traceback.
Prints the figures; exit 1 if any input raised (an unexpected exception) or broke a promise.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_fuzz  # noqa: E402  (tests/test_fuzz.py: generators and checks)

SLOW = 2.0  # seconds: an input that takes longer is reported (not a failure)


def rng(seed: int, i: int) -> random.Random:
    return random.Random(seed * 1_000_003 + i)


def _chunk(args: tuple[int, int, int]) -> dict:
    seed, start, stop = args
    out = {"inputs": 0, "kinds": {}, "unexpected": [], "broken": [], "slowest": (0.0, None), "slow": 0}
    for i in range(start, stop):
        r = rng(seed, i)
        kind, value = test_fuzz.fuzz_one(r)
        started = time.perf_counter()
        try:
            test_fuzz.run_one(kind, value, r)
        except AssertionError as exc:
            out["broken"].append((f"{seed}:{i}", kind, str(exc)[:300]))
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
            tb = traceback.format_exc(limit=-3)
            out["unexpected"].append((f"{seed}:{i}", kind, f"{type(exc).__name__}: {exc}"[:300], tb[-1500:]))
        took = time.perf_counter() - started
        if took > out["slowest"][0]:
            out["slowest"] = (took, f"{seed}:{i} ({kind}, {len(value):,} {'bytes' if isinstance(value, bytes) else 'chars'})")
        out["slow"] += took > SLOW
        out["inputs"] += 1
        out["kinds"][kind] = out["kinds"].get(kind, 0) + 1
    return out


def fuzz(inputs: int, seed: int = 1, jobs: int | None = None, chunk: int = 500, progress=None) -> dict:
    jobs = jobs or os.cpu_count() or 1
    tasks = [(seed, a, min(a + chunk, inputs)) for a in range(0, inputs, chunk)]
    total = {"inputs": 0, "kinds": {}, "unexpected": [], "broken": [], "slowest": (0.0, None), "slow": 0}
    started = time.monotonic()
    with mp.get_context("fork").Pool(jobs) as pool:
        for part in pool.imap_unordered(_chunk, tasks):
            total["inputs"] += part["inputs"]
            total["slow"] += part["slow"]
            for k, v in part["kinds"].items():
                total["kinds"][k] = total["kinds"].get(k, 0) + v
            total["unexpected"] += part["unexpected"]
            total["broken"] += part["broken"]
            total["slowest"] = max(total["slowest"], part["slowest"], key=lambda x: x[0])
            if progress:
                progress(total["inputs"], inputs)
    total["seconds"] = time.monotonic() - started
    return total


def replay(ident: str) -> None:
    seed, i = (int(x) for x in ident.split(":"))
    r = rng(seed, i)
    kind, value = test_fuzz.fuzz_one(r)
    print(f"input {ident}: {kind}, {len(value):,} {'bytes' if isinstance(value, bytes) else 'characters'}")
    print(repr(value[:2000]))
    test_fuzz.run_one(kind, value, r)
    print("ok")


def report(total: dict) -> str:
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(total["kinds"].items()))
    lines = [f"inputs fuzzed: {total['inputs']:,} ({kinds}) in {total['seconds']:.0f} s",
             f"unexpected exceptions: {len(total['unexpected'])}",
             f"broken promises: {len(total['broken'])}",
             f"slowest input: {total['slowest'][0]:.2f} s ({total['slowest'][1]}); over {SLOW:g} s: {total['slow']}"]
    for ident, kind, message, tb in total["unexpected"][:10]:
        lines.append(f"  unexpected {ident} ({kind}): {message}\n{tb}")
    for ident, kind, message in total["broken"][:10]:
        lines.append(f"  broken {ident} ({kind}): {message}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--replay", metavar="SEED:I")
    args = ap.parse_args()
    if args.replay:
        replay(args.replay)
        return 0

    def progress(done, total):
        if sys.stderr.isatty():
            print(f"\rfuzz: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    total = fuzz(args.inputs, args.seed, args.jobs, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(report(total))
    return 1 if total["unexpected"] or total["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
