"""Where queries run.

- The embedded store (the default): Oxigraph on disk under build/store, replaced as a whole after a
  successful load.
- The in-memory store (`--store memory`): an rdflib Dataset read from build/dossier.trig, queried with
  rdflib's SPARQL engine (union of the named graphs as default graph, parameters through initBindings).
- A remote SPARQL 1.1 endpoint (`--endpoint URL`): SELECT and ASK through SPARQLWrapper, with the answer's
  headers and body checked for truncation (Virtuoso's row cap, partial "anytime" results, a body cut off).

Typed literals from the in-memory store and from endpoints are put in the canonical form Oxigraph stores
them in ("045"^^xsd:integer is 45, "…+00:00"^^xsd:dateTime is "…Z", Virtuoso's boolean "1" is "true",
xsd:nonNegativeInteger is reported as xsd:integer), so a query gives the same answer whichever store ran it.
"""

from __future__ import annotations

import ast
import http.client
import json
import os
import queue
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from pathlib import Path

import pyoxigraph as ox

from .queries import QueryError, bind_values

STORE_DIR = "store"
STORES = ("embedded", "memory")
XSD = "http://www.w3.org/2001/XMLSchema#"
VIRTUOSO_DEFAULT_MAX_ROWS = 10000


def load_store(out: Path, nquads: bytes, union: bytes | None = None) -> Path:
    """Bulk-load N-Quads into a new store and switch `out/store` to it in one step (export.publish): a reader
    finds the old store or the new one, never none. The other outputs in `out` are kept."""
    from .export import publish

    publish(out, {}, {STORE_DIR: lambda path: create_store(path, nquads, union)})
    return out / STORE_DIR


def create_store(path: Path, nquads: bytes | Path, union: bytes | Path | None = None, lenient: bool = False) -> Path:
    """A new store at `path` with the quads (N-Quads, bytes or a file); `union` (N-Triples, bytes or a file;
    triples may repeat) goes into the default graph: queries then read the union of the named graphs as a
    set. (Oxigraph's union-default-graph mode is a bag: a triple stated in many graphs comes back many times
    and joins multiply; measured 30x slower on 225k triples.) Loaded in bulk, block by block: the bulk loader
    holds memory in proportion to what it is given at once."""
    store = ox.Store(str(path))
    load(store, nquads, lenient=lenient)
    if union is not None:
        load(store, union, default_graph=True, lenient=lenient)
    store.flush()
    del store
    return path


BLOCK = 16 << 20  # 10,000 documents (5.2 M quads, then their union): 49 s, 83 CPU-s, 0.26 GB at most; 48 MB
# blocks: 55 s, 97 CPU-s, 0.43 GB; 4 MB: 46 s, 78 CPU-s, 0.15 GB (whole file in one call: 1.7 GB)


def load(store: ox.Store, data: bytes | Path, default_graph: bool = False, start: int = 0,
         end: int | None = None, lenient: bool = False) -> None:
    """Bulk-load N-Quads (or, into the default graph, N-Triples) block by block; from a file, the bytes from
    `start` to `end` only if given (whole lines). Oxigraph releases the GIL meanwhile: other threads run.
    `lenient`: IRIs are not checked again (for bytes Oxigraph has parsed strictly before; 6 % less CPU)."""
    for block in _blocks(data, start, end):
        if default_graph:
            store.bulk_load(block, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph(), lenient=lenient)
        else:
            store.bulk_load(block, format=ox.RdfFormat.N_QUADS, lenient=lenient)


def _blocks(data: bytes | Path, start: int = 0, end: int | None = None):
    """Whole lines, about BLOCK bytes at a time."""
    if isinstance(data, bytes):
        while start < len(data):
            stop = data.rfind(b"\n", start, start + BLOCK) + 1 if len(data) - start > BLOCK else len(data)
            stop = stop if stop > start else len(data)
            yield data[start:stop]
            start = stop
        return
    with open(data, "rb") as fh:
        end = os.fstat(fh.fileno()).st_size if end is None else end
        while start < end:  # each block read once into a buffer of its own, cut after its last line in place
            fh.seek(start)
            block = bytearray(min(BLOCK, end - start))
            del block[fh.readinto(block):]
            if not block:
                return
            if start + len(block) < end:
                cut = block.rfind(b"\n") + 1
                if cut:
                    del block[cut:]
                else:  # a line longer than a block: on to its end
                    block += fh.readline()
            yield block
            start += len(block)


class Loading:
    """Bulk loads into a store, one after another in a thread of their own (Oxigraph releases the GIL), of
    ranges of files given while they are being written; after the last, the store compacted in that thread
    while the caller goes on, then, with `count` (a namespace), counted through the same handle (`counts`:
    counts_of). A context: leaving it waits for the loads, the compaction and the counts and raises what
    failed; leaving it on an error drops what has not started. The bytes are the build's own, parsed
    strictly when their pieces were made (pieces.graph_pieces), so IRIs are not checked again."""

    def __init__(self, store: ox.Store, count: str | None = None):
        self.store = store
        self.count = count
        self.counts: tuple[dict[str, int], int] | None = None
        self.tasks: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self.stopped = False
        self.loaded = threading.Event()  # set when every load given is done (the compaction then starts)
        self.spans: dict[str, list[float]] = {}  # "load" (the first's start, the last's end), "compaction"
        self.thread = threading.Thread(target=self._run, name="store-loading", daemon=True)
        self.thread.start()

    def add(self, path: Path, start: int, end: int, default_graph: bool = False) -> None:
        self.tasks.put((path, start, end, default_graph))

    def _run(self) -> None:
        while (task := self.tasks.get()) is not None:
            if self.error is None and not self.stopped:
                path, start, end, default_graph = task
                began = time.perf_counter()
                try:
                    load(self.store, path, default_graph, start, end, lenient=True)
                except BaseException as exc:  # noqa: BLE001 - raised again by finish()
                    self.error = exc
                self.spans.setdefault("load", [began, began])[1] = time.perf_counter()
        self.loaded.set()
        if self.error is None and not self.stopped:
            began = time.perf_counter()
            try:  # the loads leave dozens of overlapping level-0 files per index, which every query would read
                self.store.optimize()  # (compacted: queries 1.5-5x faster at 10,000 documents)
            except BaseException as exc:  # noqa: BLE001
                self.error = exc
            self.spans["compaction"] = [began, time.perf_counter()]
        if self.error is None and not self.stopped and self.count is not None:
            began = time.perf_counter()
            try:  # (a second handle, read-only, would race the compactions RocksDB still runs: "Corruption")
                self.counts = counts_of(self.store, self.count)
            except BaseException as exc:  # noqa: BLE001
                self.error = exc
            self.spans["counts"] = [began, time.perf_counter()]

    def no_more(self) -> None:
        """Nothing more will be given: the last loads, then the compaction, start."""
        self.tasks.put(None)

    def __enter__(self) -> "Loading":
        return self

    def __exit__(self, kind, value, trace) -> None:
        self.stopped = kind is not None
        self.no_more()  # (again, if the caller said so already: the thread stops at the first)
        self.thread.join()
        self.store = None  # the caller's reference is then the last: dropping it closes the store
        if kind is None and self.error is not None:
            raise self.error


@dataclass
class StoreChange:
    """What patching a store changes: the quads of named graphs that go and come, and the triples that leave
    and join the default graph (the union of the named graphs, as a set)."""

    gone: list[ox.Quad]
    come: list[ox.Quad]
    leaving: list[ox.Quad]  # in the default graph
    joining: list[ox.Quad]

    @property
    def left(self) -> set[bytes]:
        """The N-Triples lines that left the union."""
        return {_line(q) for q in self.leaving}

    @property
    def joined(self) -> set[bytes]:
        return {_line(q) for q in self.joining}


SETTLE_FROM = 8  # a subject or object in this many changed triples is looked up once for all of them


def store_change(store: ox.Store, removed: bytes, added: bytes) -> StoreChange:
    """The change to `store` when the N-Quads `removed` (the pieces of the graphs rebuilt or gone) are
    replaced by the N-Quads `added` (their new pieces). A rebuilt graph mostly restates what it stated: only
    the lines that differ are parsed (the same quad is the same line). A triple leaves the union when no named
    graph states it any more, and joins it when none stated it before: counted in `store`, which is only
    read. A term that every quad naming it leaves, or that the store does not hold (an activity named by
    what it made, the spans of a document after an edit: in many triples), is looked up once: each of its
    triples was stated as often as it goes."""
    old, new = set(removed.splitlines(True)), set(added.splitlines(True))
    gone = list(ox.parse(b"".join(sorted(old - new)), format=ox.RdfFormat.N_QUADS))
    come = list(ox.parse(b"".join(sorted(new - old)), format=ox.RdfFormat.N_QUADS))
    default = ox.DefaultGraph()
    by_triple: dict[ox.Quad, list[int]] = {}  # the triple (in the default graph) -> [quads going, coming]
    for quads, i in ((gone, 0), (come, 1)):
        for q in quads:
            by_triple.setdefault(ox.Quad(q.subject, q.predicate, q.object, default), [0, 0])[i] += 1
    subjects, objects = _settled(store, gone, come)
    leaving, joining = [], []
    for t, (went, came) in by_triple.items():
        if t.subject in subjects or t.object in objects:
            before = went
        else:  # (counted no further than one past those going: then it stays, and did not join)
            before = _named(islice(store.quads_for_pattern(t.subject, t.predicate, t.object, None), went + 2))
        if before and before == went and not came:
            leaving.append(t)
        elif not before and came:
            joining.append(t)
    return StoreChange(gone, come, leaving, joining)


def _settled(store: ox.Store, gone: list[ox.Quad], come: list[ox.Quad]) -> tuple[set, set]:
    """The subjects and the objects in SETTLE_FROM changed triples or more whose every quad in `store` goes."""
    settled = []
    for position in ("subject", "object"):
        term = attrgetter(position)
        going = Counter(map(term, gone))
        found = set()
        for t, n in (going + Counter(map(term, come))).items():
            pattern = (t, None, None, None) if position == "subject" else (None, None, t, None)
            if n >= SETTLE_FROM and _all_go(store.quads_for_pattern(*pattern), going[t]):
                found.add(t)
        settled.append(found)
    return settled[0], settled[1]


def _all_go(quads, going: int) -> bool:
    """Whether `quads` (of a pattern, in every graph) are `going` quads of named graphs and their triples in the
    default graph: it holds each triple of the named graphs once, so at most `going` more. Read no further."""
    named = 0
    for n, q in enumerate(quads, 1):
        named += isinstance(q.graph_name, ox.NamedNode)
        if named > going or n > 2 * going:
            return False
    return named == going


def _named(quads) -> int:
    """How many of `quads` are in named graphs."""
    return sum(isinstance(q.graph_name, ox.NamedNode) for q in quads)


def copy_store(previous: Path, path: Path) -> ox.Store:
    """A writable copy at `path` of the store at `previous` (hard links to its immutable files)."""
    ox.Store.read_only(str(previous)).backup(str(path))
    return ox.Store(str(path))


class StoreCopy:
    """A copy of the store at `previous` made at `path` by a thread of its own (Oxigraph lets go of the GIL)
    while the caller goes on: `take` moves it where it is wanted, opened; what is not taken is removed at
    `close`."""

    def __init__(self, previous: Path, path: Path):
        self.previous, self.path = previous, path
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="store-copy")
        self.done = self.thread.submit(lambda: ox.Store.read_only(str(previous)).backup(str(path)))

    def take(self, where: Path) -> ox.Store:
        self.done.result()
        os.rename(self.path, where)
        return ox.Store(str(where))

    def close(self) -> None:
        self.thread.shutdown(wait=True)
        shutil.rmtree(self.path, ignore_errors=True)


def patch_store(store: ox.Store, change: StoreChange) -> None:
    """`change` made in `store` (in its log; `store.flush()` writes it to the store's tables)."""
    for q in change.gone + change.leaving:
        store.remove(q)
    store.extend(change.come + change.joining)


def _line(quad: ox.Quad) -> bytes:
    return f"{quad.subject} {quad.predicate} {quad.object} .\n".encode()


def store_counts(path: Path, namespace: str) -> tuple[dict[str, int], int]:
    """Resources by class of `namespace`, and the distinct triples (the default graph), of the store at `path`."""
    return counts_of(ox.Store.read_only(str(path)), namespace)


def counts_of(store: ox.Store, namespace: str) -> tuple[dict[str, int], int]:
    """Resources by class of `namespace`, and the distinct triples (the default graph)."""
    classes = {}
    for row in store.query("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"):
        c = row["c"].value
        if c.startswith(namespace):
            classes[c[len(namespace):]] = int(row["n"].value)
    total = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return classes, total


def query_with(store: ox.Store, text: str, **terms):
    """store.query with variables bound to Oxigraph terms by a VALUES block (queries.bind_values)."""
    return store.query(bind_values(text, {name: str(term) for name, term in sorted(terms.items())}))


def open_store(out: Path, read_only: bool = True) -> ox.Store:
    path = out / STORE_DIR
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: run `kg build` first")
    return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))


# --- the in-memory store ---------------------------------------------------------------------------------

def open_memory(out: Path):
    """An rdflib Dataset with the last build (dossier.trig); its default graph is the union of the named graphs."""
    from rdflib import Dataset

    path = out / "dossier.trig"
    if not path.exists():
        raise FileNotFoundError(f"no build at {path}: run `kg build` first")
    ds = Dataset(default_union=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's TriG parser uses ConjunctiveGraph inside
        ds.parse(path, format="trig")
    return ds


def memory_select(ds, text: str, bound: dict[str, object]):
    """Run a SELECT or ASK query on the in-memory Dataset; parameters bound through initBindings."""
    from pyparsing import ParseException
    from rdflib import Variable

    from .results import Results

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7 calls its own deprecated default_context
            result = ds.query(text, initBindings={Variable(f"param_{k}"): v for k, v in bound.items()})
            result.bindings  # evaluate now, inside the filter
    except ParseException as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except Exception as exc:  # rdflib raises plain exceptions for unsupported or unknown constructs
        raise QueryError(f"the in-memory store cannot run this query: {type(exc).__name__}: {exc}") from None
    if result.type == "ASK":
        return Results(["boolean"], [{"boolean": {"type": "literal", "value": str(bool(result.askAnswer)).lower()}}])
    if result.type != "SELECT":
        raise QueryError(f"only SELECT and ASK queries are supported, not {result.type}")
    return canonical(Results.from_json(json.loads(result.serialize(format="json"))))


# --- canonical typed literals ----------------------------------------------------------------------------

def canonical(results):
    """The results with typed literals in canonical form (Oxigraph's), "typed-literal" read as "literal"."""
    typed = {}
    for row in results.bindings:
        for value in row.values():
            if value.get("type") == "typed-literal":
                value["type"] = "literal"
            dt = value.get("datatype")
            if value.get("type") == "literal" and dt and dt.startswith(XSD) and dt != XSD + "string":
                typed[(value["value"], dt)] = None
    if not typed:
        return results
    scratch = ox.Store()
    keys = list(typed)
    for i, (lexical, dt) in enumerate(keys):
        scratch.add(ox.Quad(ox.NamedNode(f"urn:kg:{i}"), ox.NamedNode("urn:kg:v"),
                            ox.Literal(lexical, datatype=ox.NamedNode(dt))))
    for quad in scratch:
        typed[keys[int(quad.subject.value.rsplit(":", 1)[1])]] = (quad.object.value, quad.object.datatype.value)
    for row in results.bindings:
        for value in row.values():
            found = typed.get((value["value"], value.get("datatype")))
            if found:
                value["value"], value["datatype"] = found
    return results


# --- remote endpoints ------------------------------------------------------------------------------------

def redact(url: str) -> str:
    """The URL without user:password@ (never print credentials)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read past comments and the prologue. SPARQLWrapper guesses the form
    from the first keyword anywhere in the text, so a comment saying "address" makes it an ADD update."""
    from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, SELECT

    body = re.sub(r"(?m)(^|\s)#[^\n]*", " ", text)
    body = re.sub(r"(?is)^\s*((PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body)
    m = re.match(r"\s*([A-Za-z]+)", body)
    word = m.group(1) if m else ""
    return {"ASK": ASK, "CONSTRUCT": CONSTRUCT, "DESCRIBE": DESCRIBE}.get(word.upper(), SELECT)


def _first_line(data) -> str:
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    for line in str(data).splitlines():
        line = line.strip()
        if line and not line.lower().startswith(("response:", "b'", 'b"')):
            return line[:300]
    return ""


def _sparqlwrapper_message(exc) -> str:
    """The server's own words from a SPARQLWrapper exception ('…\\n\\nResponse:\\nb"…"'), else its summary."""
    head, _, tail = str(exc).partition("\n\nResponse:\n")
    detail = ""
    if tail:
        try:
            detail = _first_line(ast.literal_eval(tail.strip()))
        except (ValueError, SyntaxError):
            detail = _first_line(tail)
    return detail or head.strip().rstrip(".") or type(exc).__name__


def _retry_after(headers) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        from datetime import datetime, timezone
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            return None


class RemoteError(QueryError):
    """An endpoint that refused, failed or could not be reached; `transient` when trying again may help."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None,
                 transient: bool = False):
        super().__init__(message)
        self.status, self.retry_after, self.transient = status, retry_after, transient


def _remote_error(endpoint, message, status=None, retry_after=None, transient=False) -> RemoteError:
    return RemoteError(f"{redact(endpoint)}: {message}", status=status, retry_after=retry_after, transient=transient)


def remote_query(endpoint: str, query: str, timeout: float = 30.0, credentials: tuple | None = None):
    """POST a SELECT or ASK query with SPARQLWrapper; return (Results, headers). Raises RemoteError."""
    from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed,
                                                SPARQLWrapperException, Unauthorized)

    from .results import Results

    parts = urllib.parse.urlsplit(endpoint)
    if parts.username is not None and not credentials:  # http://user:password@host/…: sent as basic auth
        credentials = ("basic", urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    endpoint = redact(endpoint)
    client = SPARQLWrapper(endpoint)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's guess at the query form; ours follows
        client.setQuery(query)
    client.queryType = _query_form(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.timeout = timeout  # not setTimeout(): it truncates to whole seconds, and 0 means no timeout
    if credentials:
        scheme, user, password = credentials
        client.setHTTPAuth(BASIC if scheme == "basic" else DIGEST)
        client.setCredentials(user, password)
    try:
        answer = client.query()
        headers = answer.response.info()
        body = answer.response.read()
    except Unauthorized:
        raise _remote_error(endpoint, "HTTP 401: the endpoint wants (other) credentials", status=401) from None
    except QueryBadFormed as exc:
        raise _remote_error(endpoint, f"HTTP 400: the endpoint refused the query: {_sparqlwrapper_message(exc)}",
                            status=400) from None
    except EndPointNotFound:
        raise _remote_error(endpoint, "HTTP 404: no SPARQL endpoint at this URL", status=404) from None
    except EndPointInternalError as exc:
        raise _remote_error(endpoint, f"HTTP 500: {_sparqlwrapper_message(exc)}", status=500, transient=True) from None
    except SPARQLWrapperException as exc:
        raise _remote_error(endpoint, _sparqlwrapper_message(exc)) from None
    except urllib.error.HTTPError as exc:
        transient = exc.code == 429 or exc.code >= 500
        raise _remote_error(endpoint, f"HTTP {exc.code} {exc.reason}", status=exc.code,
                            retry_after=_retry_after(exc.headers), transient=transient) from None
    except http.client.IncompleteRead as exc:
        raise _remote_error(endpoint, f"the answer was cut off after {len(exc.partial)} bytes"
                            + (f" of {len(exc.partial) + exc.expected}" if exc.expected else "")) from None
    except (TimeoutError, socket.timeout):
        raise _remote_error(endpoint, f"no answer within {timeout:g} s (--timeout)", transient=True) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _remote_error(endpoint, f"no answer within {timeout:g} s (--timeout)", transient=True) from None
        raise _remote_error(endpoint, f"cannot reach the endpoint: {exc.reason}", transient=True) from None
    except (http.client.HTTPException, OSError) as exc:
        raise _remote_error(endpoint, f"cannot reach the endpoint: {type(exc).__name__}: {exc}", transient=True) from None
    try:
        data = json.loads(body)
    except ValueError as exc:
        kind = headers.get("Content-Type", "no content type")
        raise _remote_error(endpoint, f"the answer is not complete SPARQL JSON results ({len(body)} bytes of {kind}; "
                            f"cut off or not JSON: {exc})") from None
    if not isinstance(data, dict) or not ("boolean" in data or isinstance(data.get("results", {}).get("bindings"), list)
                                          and isinstance(data.get("head", {}).get("vars"), list)):
        raise _remote_error(endpoint, "the answer is JSON but not SPARQL JSON results")
    results = canonical(Results.from_json(data))
    results.warnings.extend(truncation_warnings(headers, len(results.bindings), "boolean" in data))
    return results, headers


def truncation_warnings(headers, rows: int, is_ask: bool = False) -> list[str]:
    """Signs that the endpoint answered with part of the result."""
    out = []
    state, message = headers.get("X-SQL-State"), headers.get("X-SQL-Message")
    if state or message:
        said = " ".join((message or "").split())
        said = said.split("Activity:")[0].strip() if said else ""
        out.append(f"partial result: the endpoint says X-SQL-State {state or '?'}" + (f": {said[:200]}" if said else "")
                   + " (Virtuoso's anytime query limit; the rows shown are incomplete)")
    if is_ask:
        return out
    cap = headers.get("X-SPARQL-MaxRows")
    server = headers.get("Server", "")
    if cap and cap.strip().isdigit() and rows >= int(cap):
        out.append(f"truncated: {rows} rows, exactly the endpoint's row cap (X-SPARQL-MaxRows {cap.strip()}, "
                   "Virtuoso's ResultSetMaxRows); more rows probably exist: page with LIMIT/OFFSET")
    elif not cap and "virtuoso" in server.lower() and rows == VIRTUOSO_DEFAULT_MAX_ROWS:
        out.append(f"possibly truncated: exactly {rows} rows, Virtuoso's default ResultSetMaxRows")
    return out


def remote_select(endpoint: str, query: str, timeout: float = 30.0, credentials: tuple | None = None):
    """Run a query on a SPARQL 1.1 endpoint through SPARQLWrapper; results as Results (with warnings)."""
    return remote_query(endpoint, query, timeout, credentials)[0]
