"""A query worker: a process that opens the store read-only and answers jobs sent over a pipe.

Jobs are dicts with an "op": "query" (SPARQL text), "canned" (a query of queries/*.rq with parameters),
"resource" / "describe" (a resource page's data, a resource's triples), "overview" (the dossier page) and
"ping". Replies are dicts: {"ok": True, ...} or {"ok": False, "status": <HTTP status>, "message": ...}.
An unexpected error is logged here (stderr, with its traceback) and answered with a plain message: no
traceback ever reaches a client.

The worker dies with the server: Linux's PR_SET_PDEATHSIG where available (the pool starts workers from
the server's main thread, which lives as long as the server), and a closed pipe ends the loop.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..export import PREFIXES
from .pages import Pages, Site, description
from .sparql import (GRAPH_FORMATS, RESULT_FORMATS, Refused, check_query, write_boolean, write_solutions,
                     write_triples)


@dataclass(frozen=True)
class Config:
    store: str
    dossier: str
    base: str
    max_rows: int


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:
            pass


class Worker:
    def __init__(self, config: Config):
        self.config = config
        self.store = ox.Store.read_only(config.store)
        self.graphs = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        self.site = Site(config.base)
        self.pages = Pages(self.store, self.site, Path(config.dossier))
        self.prefixes = dict(PREFIXES)
        check_query("ASK { ?s ?p ?o }", self.graphs)  # warm the parser up: its first run is slow

    def handle(self, job: dict) -> dict:
        op = job.get("op")
        if op == "query":
            return self.query(job)
        if op == "canned":
            return self.canned(job)
        if op == "resource":
            data = self.pages.resource(job["iri"])
            if data is None:
                raise Refused(404, f"no resource <{job['iri']}> in this graph")
            return {"ok": True, "data": data}
        if op == "describe":
            triples = description(self.store, job["iri"])
            if not triples and not self.pages.resource(job["iri"]):
                raise Refused(404, f"no resource <{job['iri']}> in this graph")
            return {"ok": True, "body": write_triples(job["format"], triples, self.prefixes), "rows": len(triples)}
        if op == "overview":
            return {"ok": True, "data": self.pages.overview()}
        if op == "ping":
            return {"ok": True, "pid": os.getpid(), "graphs": sorted(self.graphs)}
        raise Refused(400, f"unknown job {op!r}")

    # --- SPARQL ----------------------------------------------------------------------------------------

    def query(self, job: dict) -> dict:
        text = job["text"]
        own_dataset = bool(job.get("own_dataset"))
        if not job.get("checked"):
            checked = check_query(text, self.graphs)
            own_dataset = bool(checked.default_graphs or checked.named_graphs)
        default, named = job.get("default_graphs") or [], job.get("named_graphs") or []
        if default or named:
            # the protocol's default-graph-uri / named-graph-uri replace the query's FROM / FROM NAMED
            # (SPARQL 1.1 Protocol 2.1.4); the server has checked that each is a graph of this store
            options: dict = {"named_graphs": [ox.NamedNode(g) for g in named] or None}
            if default:
                options["default_graph"] = [ox.NamedNode(g) for g in default]
            # else: the store's default graph, which holds the union of the named graphs (a set)
        else:
            options = {}  # the query's FROM / FROM NAMED, or the store's default graph: the union of the named graphs
        try:
            result = self.store.query(text, **options)
        except SyntaxError as exc:
            raise Refused(400, f"SPARQL syntax error: {exc}") from None
        reply = self.write(result, job, drop=())
        reply["checked"], reply["own_dataset"] = True, own_dataset
        return reply

    def canned(self, job: dict) -> dict:
        from ..queries import QueryError, bindings, get, with_values

        try:
            q = get(job["name"])
            bound = bindings(q, job.get("params") or {})
        except QueryError as exc:
            raise Refused(404 if "no query named" in str(exc) else 400, str(exc)) from None
        result = self.store.query(with_values(q.text, bound))  # planned with the values (queries.run_local)
        return self.write(result, job, drop=("param_",))

    def write(self, result, job: dict, drop: tuple[str, ...]) -> dict:
        max_rows = int(job.get("max_rows") or self.config.max_rows)
        if isinstance(result, ox.QueryBoolean):
            fmt = self._need(job.get("results_format"), "ASK", RESULT_FORMATS)
            return {"ok": True, "kind": "boolean", "format": fmt, "body": write_boolean(fmt, bool(result)),
                    "rows": 1, "truncated": False}
        if isinstance(result, ox.QuerySolutions):
            fmt = self._need(job.get("results_format"), "SELECT", RESULT_FORMATS)
            keep = [(i, v.value) for i, v in enumerate(result.variables) if not v.value.startswith(drop or "\0")]
            rows = [[sol[i] for i, _ in keep] for sol in itertools.islice(result, max_rows + 1)]
            truncated = len(rows) > max_rows
            rows = rows[:max_rows]
            return {"ok": True, "kind": "solutions", "format": fmt, "rows": len(rows), "truncated": truncated,
                    "body": write_solutions(fmt, [v for _, v in keep], rows, truncated)}
        fmt = self._need(job.get("graph_format"), "CONSTRUCT and DESCRIBE", GRAPH_FORMATS)
        triples = list(itertools.islice(result, max_rows + 1))
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
        return {"ok": True, "kind": "graph", "format": fmt, "rows": len(triples), "truncated": truncated,
                "body": write_triples(fmt, triples, self.prefixes)}

    @staticmethod
    def _need(fmt: str | None, form: str, offers: dict) -> str:
        if fmt is None:
            media = ", ".join(m for m, _ in offers.values())
            raise Refused(406, f"{form} results are available as {media}; the Accept header allows none of them")
        return fmt


def main(conn, config: Config) -> None:
    """The worker process: open the store, say ready, then answer jobs until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops the workers
    try:
        worker = Worker(config)
    except Exception as exc:  # the store cannot be opened
        conn.send({"ok": False, "status": 500, "message": f"cannot open the store: {str(exc).splitlines()[0]}"})
        return
    conn.send({"ok": True, "ready": True, "pid": os.getpid()})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = worker.handle(job)
        except Refused as exc:
            reply = {"ok": False, "status": exc.status, "message": exc.message}
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            reply = {"ok": False, "status": 500, "message": f"the query failed: {type(exc).__name__}: "
                                                               f"{str(exc).splitlines()[0][:300] if str(exc) else ''}"}
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return
