"""Where a build's time goes (`kg build --timings FILE`, and the benchmarks): the wall-clock seconds of each
stage, one after another; the resident memory at the end of each; the CPU seconds of each part of the work,
summed over the worker processes and threads that did it; and when work that runs beside the stages
(the store's bulk loads and compaction, `dossier.ttl`) started and ended."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from contextlib import contextmanager


class Timings:
    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.stages: dict[str, float] = {}  # wall seconds, in the order the stages ran
        self.memory: dict[str, float] = {}  # resident MB of this process at the end of each stage
        self.cpu: Counter = Counter()  # part -> CPU seconds
        self.spans: dict[str, list[float]] = {}  # part -> [start, end], seconds since the build started

    def mark(self, stage: str) -> None:
        """The stage that ran since the last mark ends now."""
        now = time.perf_counter()
        self.stages[stage] = now - self.last
        self.last = now
        try:
            with open("/proc/self/statm") as fh:
                pages = int(fh.read().split()[1])
            self.memory[stage] = pages * os.sysconf("SC_PAGE_SIZE") / 2**20
        except (OSError, ValueError, IndexError):
            pass

    @contextmanager
    def part(self, name: str):
        """The CPU time of this thread within the block, added to `name`."""
        with cpu_part(self.cpu, name):
            yield

    def span(self, name: str, start: float, end: float) -> None:
        """Work beside the stages, between two perf_counter() readings."""
        self.spans[name] = [start - self.start, end - self.start]

    def as_dict(self) -> dict:
        """Seconds to the millisecond, megabytes to a tenth."""
        return {"stages_s": {k: round(v, 3) for k, v in self.stages.items()},
                "total_s": round(self.last - self.start, 3),
                "memory_mb": {k: round(v, 1) for k, v in self.memory.items()},
                "cpu_s": {k: round(self.cpu[k], 3) for k in sorted(self.cpu)},
                "spans_s": {k: [round(a, 3), round(b, 3)] for k, (a, b) in sorted(self.spans.items())}}

    def json(self) -> bytes:
        return (json.dumps(self.as_dict(), indent=2) + "\n").encode()


@contextmanager
def cpu_part(cpu: Counter, name: str):
    """The CPU time of this thread within the block, added to cpu[name]."""
    t = time.thread_time()
    try:
        yield
    finally:
        cpu[name] += time.thread_time() - t
