"""bench/run.py, the whole-process benchmark of issue 8, on ten documents: it runs to the end and its JSON
holds every measurement the README's numbers come from (its speed is the benchmark's business, not a test's)."""

from __future__ import annotations

import json
import subprocess
import sys

from dossierkg import queries
from dossierkg.paths import ROOT


def test_run_measures_every_stage_query_and_the_lower_bound(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--docs", "10", "--no-push",
                           "--json", str(out)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["docs"] == 10 and result["quads"] > 1000
    for key in ("parse_s", "build_s", "incremental_build_s", "incremental_floor_s", "audit_s", "lower_bound_s"):
        assert result[key] > 0, key
    assert result["ratio_to_lower_bound"] == round(result["build_s"] / result["lower_bound_s"], 1)
    assert len(result["incremental_runs_s"]) == 3 and len(result["incremental_moved_runs_s"]) == 3
    assert result["incremental_moved_s"] > 0
    assert result["build_peak_mb"] > 0 and result["peak_mb"] >= result["build_peak_mb"] - 0.5  # (one is rounded)
    full, incremental = result["build_timings"], result["incremental_timings"]
    assert list(full["stages_s"]) == ["parse", "resolve", "units", "global", "store", "counts", "publish"]
    assert full["cpu_s"]["units.validate"] > 0 and "store.load" in full["spans_s"]
    assert "store.patch" in incremental["cpu_s"]
    assert set(result["queries_ms"]) == set(queries.discover())
    assert all(0 < q["p50"] <= q["p95"] for q in result["queries_ms"].values())
    for line in ("build / lower bound", "CPU units.serialise", "from-to store.load", "span-text-violation"):
        assert line in proc.stdout, line
