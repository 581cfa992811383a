"""A pytest plugin for chaos/run.py: counts what the existing fault and hostile-query tests do.

    CHAOS_COUNTS=counts.json python -m pytest -p chaos.plugin tests/test_push.py tests/test_serve.py

- faults injected: requests the fault-injecting proxy of tests/servers.py answered with a fault (an error
  status, a swallowed write, a slow or cut-off answer, an extra header) instead of passing them on;
- queries refused: answers of `kg serve` with a 4xx or 5xx status to a query (/sparql, /api/queries, /query)
  in tests/test_serve.py (writes, SERVICE, FROM elsewhere, syntax errors, too large, the time limit, ...);
- tests passed and failed.

Nothing in the tests changes: the counting wraps Proxy._fault and test_serve.Server.request once collected.
"""

from __future__ import annotations

import json
import os
import sys

COUNTS = {"faults_injected": 0, "faults_by_kind": {}, "queries_refused": 0, "queries_sent": 0, "passed": 0,
          "failed": 0, "skipped": 0, "xfailed": 0, "failures": []}


def pytest_collection_finish(session):
    servers = sys.modules.get("servers")
    if servers is not None and not getattr(servers.Proxy._fault, "_chaos", False):
        original = servers.Proxy._fault

        def _fault(self, method, path):
            fault = original(self, method, path)
            if fault is not None:
                COUNTS["faults_injected"] += 1
                kind = f"HTTP {fault.status}" if fault.status else fault.action or "?"
                COUNTS["faults_by_kind"][kind] = COUNTS["faults_by_kind"].get(kind, 0) + 1
            return fault

        _fault._chaos = True
        servers.Proxy._fault = _fault
    test_serve = sys.modules.get("test_serve")
    if test_serve is not None and not getattr(test_serve.Server.request, "_chaos", False):
        request = test_serve.Server.request

        def counted(self, path, *args, **kw):
            status, headers, body = request(self, path, *args, **kw)
            if path.startswith(("/sparql", "/api/queries", "/query")):
                COUNTS["queries_sent"] += 1
                if status >= 400:
                    COUNTS["queries_refused"] += 1
            return status, headers, body

        counted._chaos = True
        test_serve.Server.request = counted


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if hasattr(report, "wasxfail"):
            COUNTS["xfailed"] += 1
        elif report.passed:
            COUNTS["passed"] += 1
        elif report.skipped:
            COUNTS["skipped"] += 1
        else:
            COUNTS["failed"] += 1
            COUNTS["failures"].append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    path = os.environ.get("CHAOS_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(COUNTS, fh, indent=1)
