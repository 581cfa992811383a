"""kg push: load the named graphs of the last build into a remote SPARQL 1.1 store, verified and incremental.

Per named graph of <build>/dossier.nq:

- Graph Store Protocol: `PUT <gsp-url>?graph=<iri>` with the graph as N-Triples (replaces the graph), when a
  GSP URL is given or known for the server (Oxigraph: /store; Virtuoso: /sparql-graph-crud-auth), else
- SPARQL Update: `DROP SILENT GRAPH <iri>` and `INSERT DATA { GRAPH <iri> { … } }` in batches, POSTed as
  `update=` (several small graphs share a request; a big graph spans several).

On Oxigraph (its Server header), the graphs the server does not hold yet go in bulk instead: their N-Quads,
many graphs per request, POSTed to the store URL with `no_transaction` (Oxigraph's bulk loader; 2-4x faster
than a PUT per graph, each a RocksDB transaction). Adding a graph the server lacks is replacing it, and
adding the same quads twice gives the same dataset, so a retried request cannot duplicate data; graphs the
server holds are replaced by PUT as above, and graphs with blank nodes always go by PUT (blank node labels
are scoped per request). `bulk=False` (`kg push --no-bulk`) writes every graph in a request of its own.

Writes go through httpx (timeouts, digest or basic auth, connection reuse); they are retried with
exponential back-off on connection errors, timeouts, 5xx and 429 (Retry-After honoured), never on other
4xx. Every write is idempotent (PUT replaces, DROP + INSERT DATA of the same triples gives the same graph),
so a retried request cannot duplicate data.

Verification: a SELECT (through SPARQLWrapper, like every query) reads back each graph's triple count;
a count that differs from the local one is an error naming the graph.

Incremental: <build>/push-state.json keeps, per endpoint, the sha256 of each graph's sorted N-Triples and
its triple count. A graph is skipped only when its hash is unchanged AND the server still holds the
recorded number of triples; graphs pushed earlier from this build folder that the build no longer has are
dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import httpx
import pyoxigraph as ox

from .pieces import Index, ntriples, read_range
from .pieces import nquads as graph_nquads
from .store import RemoteError, redact, remote_query

STATE_FILE = "push-state.json"
BATCH_BYTES = 1_000_000  # SPARQL Update request size (several graphs per request, a big graph split)
BULK_BYTES = 16_000_000  # N-Quads per bulk request to Oxigraph (whole graphs)
MIN_BATCH_BYTES = 4_000  # smallest request size tried when a server says a request is too large
COUNT_CHUNK = 200        # graphs per verification query
MAX_BACKOFF = 30.0       # seconds between attempts when the server gives no Retry-After
MAX_RETRY_AFTER = 120.0  # longest Retry-After honoured


class PushError(Exception):
    """A push that was refused or failed; the message names the endpoint and the graph."""


class PushUsageError(PushError):
    """Options that do not fit together (exit 2)."""


class Refused(PushError):
    """The server answered a write with an error that trying again will not mend."""

    def __init__(self, message: str, status: int, said: str):
        super().__init__(message)
        self.status, self.said = status, said

    @property
    def too_large(self) -> bool:
        """HTTP 413, or Virtuoso's "SP031: … The length of generated SQL text has exceeded 10000 lines"."""
        return self.status == 413 or "SP031" in self.said or "exceeded" in self.said and "lines" in self.said


@dataclass(frozen=True)
class Graph:
    iri: str
    triples: int
    sha256: str  # of its N-Triples: distinct triples, sorted, one per line
    blank_nodes: bool
    data: bytes | None = field(default=None, repr=False)  # the N-Triples, or:
    piece: tuple[str, int, int] | None = None  # (file, offset, length) of its N-Quads, read when sent
    piece_sha256: str | None = None  # of that piece's bytes as they were read

    @property
    def ntriples(self) -> bytes:
        """Its canonical N-Triples. A build's piece is read again: when its lines are those hashed when the
        build was read, it is that already (not parsed a second time); else it is made canonical again."""
        if self.data is not None:
            return self.data
        path, offset, length = self.piece
        try:
            raw = read_range(path, offset, length)
        except OSError as exc:
            raise PushError(f"graph <{self.iri}>: {exc}") from None
        data = ntriples(raw, self.iri)
        if hashlib.sha256(data).hexdigest() == self.sha256:
            return data
        data = _canonical(raw, self.iri)[0]
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise PushError(f"graph <{self.iri}>: {path} changed while it was being pushed (a new build?)")
        return data

    @property
    def nquads(self) -> bytes:
        """Its N-Triples as N-Quads of the graph."""
        return graph_nquads(self.ntriples, self.iri)


@dataclass
class Target:
    endpoint: str                      # the SPARQL query URL (verification, discovery, state key)
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "auto"                 # auto (answer the server's challenge), digest or basic
    timeout: float = 30.0
    retries: int = 3
    graph_param: str = "graph"         # GSP query parameter; old Virtuoso versions want graph-uri


@dataclass
class Report:
    endpoint: str
    protocol: str
    url: str
    sent: list[str] = field(default_factory=list)
    bulk: list[str] = field(default_factory=list)  # of `sent`: added by Oxigraph's bulk loader
    skipped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    requests: int = 0

    @property
    def verified(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        n = len(self.sent) + len(self.skipped)
        return (f"{n} graph{'s' if n != 1 else ''}: {len(self.sent)} sent, {len(self.skipped)} skipped (unchanged)"
                + (f", {len(self.dropped)} dropped" if self.dropped else "")
                + f"; {self.verified} triples verified in {self.seconds:.2f} s")


# --- the local side ----------------------------------------------------------------------------------------

def local_graphs(nquads: Path, parallel_from: int = 256, remembered: dict | None = None) -> dict[str, Graph]:
    """The named graphs of an N-Quads file with their triple count and the sha256 of their sorted N-Triples.
    A build's file is read one graph at a time, by the index of where each graph's piece lies in it (memory
    for one graph, not all: 10,000 documents held at once took 3.4 GB), and a graph's N-Triples are made
    again when it is sent; another file is read whole. From `parallel_from` graphs on, the pieces are read
    on every core (forked workers; the server is idle meanwhile). `remembered` (`remembered_pieces` of an
    earlier read): a piece whose bytes hash as they did then is taken as it was then, not parsed again
    (10,000 documents, 1.4 GB: hashed in ~1 s, parsed in ~8 s)."""
    if not nquads.exists():
        raise PushError(f"{nquads}: no build (run `kg build` first, or give --build DIR)")
    pieces = _pieces(nquads)
    if pieces is None:
        return _whole_file_graphs(nquads)
    from .units import can_fork, forked_pool

    path = os.path.realpath(nquads)  # the generation's file: a build meanwhile switches to another
    remembered = remembered or {}
    todo = [(path, iri, offset, length, remembered.get(iri)) for iri, offset, length in pieces]
    if can_fork(len(todo), parallel_from):
        with forked_pool() as pool:
            graphs = pool.map(_piece_graph, todo, chunksize=64)
    else:
        graphs = list(map(_piece_graph, todo))
    return dict(sorted((g.iri, g) for g in graphs))


def _piece_graph(piece: tuple[str, str, int, int, list | None]) -> Graph:
    path, iri, offset, length, known = piece
    raw = read_range(path, offset, length)
    raw_sha256 = hashlib.sha256(raw).hexdigest()
    if known is not None and known[0] == raw_sha256:
        _, sha256, count, bnodes = known
    else:
        data, count, bnodes = _canonical(raw, iri)
        sha256 = hashlib.sha256(data).hexdigest()
    return Graph(iri, count, sha256, bnodes, piece=(path, offset, length), piece_sha256=raw_sha256)


def remembered_pieces(graphs: dict[str, Graph]) -> dict[str, list]:
    """What reading a build found of each graph's piece, for the next read (`local_graphs`): {graph: [sha256
    of the piece's bytes, sha256 of its N-Triples, triples, blank nodes]}."""
    return {iri: [g.piece_sha256, g.sha256, g.triples, g.blank_nodes] for iri, g in graphs.items() if g.piece_sha256}


def _remembered(state: dict) -> dict[str, list]:
    """The state's `remembered_pieces`, without entries of another shape (a state file edited by hand)."""
    pieces = state.get("pieces")
    if not isinstance(pieces, dict):
        return {}
    return {iri: known for iri, known in pieces.items()
            if isinstance(known, list) and len(known) == 4 and isinstance(known[0], str) and isinstance(known[1], str)
            and type(known[2]) is int and type(known[3]) is bool}


def _pieces(nquads: Path) -> list[tuple[str, int, int]] | None:
    """(graph, offset, length) of each graph's piece of a build's N-Quads file (pieces.Index beside it), when
    the pieces cover the file end to end, once each; else None."""
    entries = Index.read(Path(os.path.realpath(nquads)).parent).entries.values()  # {graph, nq: [offset, length]}
    try:
        spans = sorted((e["nq"][0], e["nq"][1], e["graph"]) for e in entries)
    except (KeyError, IndexError, TypeError):
        return None
    at = 0
    for offset, length, _ in spans:
        if offset != at:
            return None
        at += length
    if not spans or at != nquads.stat().st_size or len({g for _, _, g in spans}) != len(spans):
        return None
    return [(g, offset, length) for offset, length, g in spans if length]


def _canonical(piece: bytes, graph: str) -> tuple[bytes, int, bool]:
    """One graph's N-Quads as its canonical N-Triples (distinct, sorted), their count, whether blank nodes.

    A build's piece is that already: a quad per line, the lines sorted and distinct, each term written as
    Oxigraph writes it. So once parsed (every quad in the graph), a piece whose lines are one quad each, in
    strictly increasing order, without a \\u escape (which Oxigraph may write otherwise), is taken as it is
    (half the time); anything else is written again from the parsed triples."""
    node = ox.NamedNode(graph)
    count = 0
    try:
        for q in ox.parse(piece, format=ox.RdfFormat.N_QUADS):
            if q.graph_name != node:
                raise PushError(f"graph <{graph}>: its piece of the build holds quads of another graph")
            count += 1
    except (SyntaxError, ValueError) as exc:
        raise PushError(f"graph <{graph}>: not readable N-Quads: {exc}") from None
    lines = piece.split(b"\n")
    if (count and lines.pop() == b"" and len(lines) == count and b"\\u" not in piece and b"\\U" not in piece
            and all(line[:1] == b"<" or line[:2] == b"_:" for line in lines)
            and all(a < b for a, b in zip(lines, lines[1:]))):
        data = ntriples(piece, graph)
        return data, count, b"_:" in data  # (a "_:" in a literal only sends the graph by PUT)
    quads = ox.parse(piece, format=ox.RdfFormat.N_QUADS)
    return _ntriples({ox.Triple(q.subject, q.predicate, q.object) for q in quads})


def _ntriples(triples: set) -> tuple[bytes, int, bool]:
    lines = sorted(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines())
    bnodes = any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
    return ("\n".join(lines) + "\n").encode("utf-8"), len(lines), bnodes


def _whole_file_graphs(nquads: Path) -> dict[str, Graph]:
    triples: dict[str, set] = defaultdict(set)
    default = 0
    try:
        for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            if isinstance(q.graph_name, ox.DefaultGraph):
                default += 1
            else:
                triples[str(q.graph_name.value)].add(ox.Triple(q.subject, q.predicate, q.object))
    except (SyntaxError, ValueError, OSError) as exc:
        raise PushError(f"{nquads}: not readable N-Quads: {exc}") from None
    if default:
        raise PushError(f"{nquads}: {default} triples are in the default graph; kg push sends named graphs only")
    out = {}
    for iri, ts in sorted(triples.items()):
        data, count, bnodes = _ntriples(ts)
        out[iri] = Graph(iri, count, hashlib.sha256(data).hexdigest(), bnodes, data=data)
    return out


def read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        return state if isinstance(state, dict) and isinstance(state.get("endpoints"), dict) else {"endpoints": {}}
    except (OSError, ValueError):
        return {"endpoints": {}}


def write_state(path: Path, state: dict) -> None:
    from .export import write_atomically
    write_atomically({path: (json.dumps(state, indent=1, sort_keys=True) + "\n").encode("utf-8")})


# --- HTTP with retries -----------------------------------------------------------------------------------

class _Transient(Exception):
    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def backoff(attempt: int) -> float:
    return min(MAX_BACKOFF, 0.5 * 2 ** attempt)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime
        try:
            seconds = (parsedate_to_datetime(value) - datetime.now(timezone.utc)).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


class ChallengeAuth(httpx.Auth):
    """Answer whichever challenge the server sends (Digest, as Virtuoso does, or Basic) and remember it."""

    def __init__(self, user: str, password: str):
        self.scheme: str | None = None
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)

    def auth_flow(self, request):
        if self.scheme:
            yield from (self._digest if self.scheme == "digest" else self._basic).auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("WWW-Authenticate", "").strip().lower()
        if challenge.startswith("digest"):
            self.scheme = "digest"
            yield from self._digest.auth_flow(request)
        elif challenge.startswith("basic"):
            self.scheme = "basic"
            yield from self._basic.auth_flow(request)


def _auth(target: Target):
    if not target.user:
        return None
    if target.auth == "basic":
        return httpx.BasicAuth(target.user, target.password or "")
    if target.auth == "digest":
        return httpx.DigestAuth(target.user, target.password or "")
    return ChallengeAuth(target.user, target.password or "")


class Session:
    """httpx for writes, SPARQLWrapper (through store.remote_query) for counts; both retried."""

    def __init__(self, target: Target, log: Callable[[str], None], sleep: Callable[[float], None] = time.sleep):
        from . import __version__

        self.target, self.log, self.sleep = target, log, sleep
        self.auth = _auth(target)
        self.client = httpx.Client(timeout=httpx.Timeout(target.timeout), auth=self.auth, follow_redirects=True,
                                   headers={"User-Agent": f"dossier-kg/{__version__} (kg push)"})
        self.requests = 0
        self.query_credentials: tuple | None = None

    def close(self) -> None:
        self.client.close()

    def scrub(self, text: str) -> str:
        """Never let a password through, whatever a server or library echoes."""
        pw = self.target.password
        return text.replace(pw, "***") if pw and len(pw) >= 3 else text

    def retrying(self, what: str, action: Callable):
        for attempt in range(self.target.retries + 1):
            try:
                return action()
            except _Transient as exc:
                if attempt >= self.target.retries:
                    tries = attempt + 1
                    raise PushError(self.scrub(f"{what}: {exc} (gave up after {tries} attempt{'s' if tries > 1 else ''})")) from None
                delay = exc.retry_after if exc.retry_after is not None else backoff(attempt)
                self.log(self.scrub(f"{what}: {exc}; retrying in {delay:.1f} s ({attempt + 1}/{self.target.retries})"))
                self.sleep(delay)

    def _scheme(self) -> str:
        """The scheme the query endpoint asks for: --auth, else learnt from its challenge (one small request)."""
        if self.target.auth != "auto":
            return self.target.auth
        if not getattr(self.auth, "scheme", None):
            try:
                r = self.client.post(self.target.endpoint, data={"query": "ASK {}"})
                self.requests += 1
                if r.status_code == 401:
                    return "digest"
            except httpx.HTTPError:
                pass
        return getattr(self.auth, "scheme", None) or "digest"

    def write(self, method: str, url: str, what: str, **kwargs):
        """One write request; 2xx returns the response, 4xx (but 429) raises PushError at once."""
        shown = redact(url)

        def attempt():
            self.requests += 1
            try:
                r = self.client.request(method, url, **kwargs)
            except httpx.TimeoutException:
                raise _Transient(f"no answer within {self.target.timeout:g} s (--timeout)") from None
            except httpx.TransportError as exc:
                raise _Transient(f"cannot reach {shown}: {type(exc).__name__}: {exc}") from None
            if (r.status_code == 429 or r.status_code >= 500) and not _permanent(r):
                raise _Transient(f"HTTP {r.status_code} {_said(r)}".strip(), _retry_after(r.headers.get("Retry-After")))
            if r.status_code >= 400:
                hint = ""
                if r.status_code == 401:
                    hint = (f" (authentication refused for user {self.target.user})" if self.target.user
                            else " (the server wants credentials: --user U --password-env VAR)")
                raise Refused(self.scrub(f"{shown} refused {what}: HTTP {r.status_code} {_said(r)}{hint}".rstrip()),
                              r.status_code, self.scrub(r.text[:2000]))
            return r

        return self.retrying(f"{shown}: {what}", attempt)

    def select(self, query: str, what: str):
        """A SELECT on the query endpoint (SPARQLWrapper), retried; credentials only if the endpoint asks."""
        def attempt():
            try:
                return remote_query(self.target.endpoint, query, self.target.timeout, self.query_credentials)
            except RemoteError as exc:
                if exc.status == 401 and self.target.user and self.query_credentials is None:
                    self.query_credentials = (self._scheme(), self.target.user, self.target.password or "")
                    return attempt()
                if exc.transient:
                    raise _Transient(str(exc), exc.retry_after) from None
                raise PushError(self.scrub(f"{what}: {exc}")) from None
        self.requests += 1
        return self.retrying(what, attempt)


VIRTUOSO_ERROR = re.compile(r"Virtuoso (\w{5}) Error")
VIRTUOSO_TRANSIENT = ("40001", "S1T00", "HYT00", "08")  # deadlock, timeouts, connection errors


def _permanent(r) -> bool:
    """Virtuoso answers every error with HTTP 500, also those that will never pass ("42000 Error SR186:
    SECURITY: No permission", "22023 Error SR553" for an xsd:duration in INSERT DATA): not worth retrying."""
    m = VIRTUOSO_ERROR.search(r.text[:2000]) if r.status_code == 500 else None
    return bool(m) and not m.group(1).startswith(VIRTUOSO_TRANSIENT)


def _said(r) -> str:
    """The server's own words (first line of the body), short."""
    for line in r.text.splitlines():
        line = " ".join(line.split())
        if line and not line.startswith("<"):
            return f"{r.reason_phrase}: {line[:200]}" if r.reason_phrase else line[:200]
    return r.reason_phrase or ""


# --- counts ------------------------------------------------------------------------------------------------

def remote_counts(session: Session, iris: list[str]) -> tuple[dict[str, int], dict]:
    """Triples per graph on the server (0 for a graph it does not have); also the first answer's headers."""
    counts: dict[str, int] = {}
    headers: dict = {}
    for i in range(0, len(iris), COUNT_CHUNK):
        chunk = iris[i:i + COUNT_CHUNK]
        values = " ".join(f"<{g}>" for g in chunk)
        query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
        results, h = session.select(query, f"{redact(session.target.endpoint)}: counting triples")
        headers = headers or {k.lower(): v for k, v in h.items()}
        for row in results.values():
            counts[row["g"]] = int(row["n"])
    return {g: counts.get(g, 0) for g in iris}, headers


# --- where to write ------------------------------------------------------------------------------------

def _sibling(url: str, name: str) -> str:
    """The URL with its last path segment replaced by `name` (query string and fragment dropped)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    base = path.rsplit("/", 1)[0] if "/" in path else ""
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"{base}/{name}", "", ""))


def discover(target: Target, server: str) -> tuple[str, str, str | None]:
    """(protocol, url, fallback update url): what was given, else what the server (its Server header) is known
    to offer. Oxigraph: /store and /update; Virtuoso: /sparql-graph-crud(-auth) and /sparql(-auth);
    Fuseki: <dataset>/data and <dataset>/update; anything else: SPARQL Update at the query URL."""
    server = server.lower()
    if target.gsp_url:
        return "gsp", target.gsp_url, None
    if target.update_url:
        return "update", target.update_url, None
    auth = bool(target.user)
    if "oxigraph" in server:
        return "gsp", _sibling(target.endpoint, "store"), _sibling(target.endpoint, "update")
    if "virtuoso" in server:
        return ("gsp", _sibling(target.endpoint, "sparql-graph-crud-auth" if auth else "sparql-graph-crud"),
                _sibling(target.endpoint, "sparql-auth" if auth else "sparql"))
    if "fuseki" in server:
        return "gsp", _sibling(target.endpoint, "data"), _sibling(target.endpoint, "update")
    return "update", target.endpoint, None


# --- writing ---------------------------------------------------------------------------------------------

def put_graph(session: Session, url: str, graph: Graph) -> None:
    params = {session.target.graph_param: graph.iri}
    session.write("PUT", url, f"graph <{graph.iri}>", params=params, content=graph.ntriples,
                  headers={"Content-Type": "application/n-triples; charset=utf-8"})


def bulk_requests(graphs: list[Graph], limit: int = BULK_BYTES):
    """(graphs, their N-Quads) of requests of about `limit` bytes each, whole graphs in each."""
    names: list[str] = []
    data: list[bytes] = []
    size = 0
    for g in graphs:
        quads = g.nquads
        if names and size + len(quads) > limit:
            yield names, data
            names, data, size = [], [], 0
        names.append(g.iri)
        data.append(quads)
        size += len(quads)
    if names:
        yield names, data


def bulk_load(session: Session, url: str, graphs: list[Graph]) -> list[str]:
    """The graphs POSTed as N-Quads to Oxigraph's store URL with `no_transaction` (its bulk loader), in
    requests of BULK_BYTES; the graphs loaded. [] when the server refuses the first request as one it does
    not take (404, 405, 415, 501): the caller writes them one by one."""
    loaded: list[str] = []
    for names, quads in bulk_requests(graphs):
        what = (f"the bulk load of {len(names)} graphs, <{names[0]}> to <{names[-1]}>" if len(names) > 1
                else f"the bulk load of graph <{names[0]}>")
        try:  # the graphs' bytes streamed one after another (not joined: a copy of each request held at once)
            session.write("POST", url, what, params={"no_transaction": ""}, content=quads,
                          headers={"Content-Type": "application/n-quads; charset=utf-8",
                                   "Content-Length": str(sum(map(len, quads)))})
        except Refused as exc:
            if not loaded and exc.status in (404, 405, 415, 501):
                session.log(f"kg push: {redact(url)}: no bulk load there ({exc}); sending a graph per request")
                return []
            raise
        finally:
            quads.clear()  # freed now: httpx's response holds its request in a cycle until the collector runs
        loaded += names
    return loaded


def delete_graph(session: Session, protocol: str, url: str, iri: str) -> None:
    if protocol == "gsp":
        try:
            session.write("DELETE", url, f"dropping graph <{iri}>", params={session.target.graph_param: iri})
        except PushError as exc:
            if "HTTP 404" not in str(exc):  # already gone
                raise
    else:
        post_update(session, url, f"DROP SILENT GRAPH <{iri}>", f"dropping graph <{iri}>")


def post_update(session: Session, url: str, update: str, what: str) -> None:
    session.write("POST", url, what, data={"update": update})


def update_requests(graphs: list[Graph], limit: int = BATCH_BYTES) -> list[tuple[list[str], str]]:
    """SPARQL Update requests for the graphs: (graphs touched, update text). DROP SILENT GRAPH + INSERT DATA
    per graph; small graphs share a request, a graph over `limit` bytes spans several (never a graph with
    blank nodes: INSERT DATA makes them fresh in every request)."""
    parts: list[tuple[str, str]] = []
    for g in graphs:
        parts.append((g.iri, f"DROP SILENT GRAPH <{g.iri}>"))
        lines = g.ntriples.decode("utf-8").splitlines()
        chunks, chunk, size = [], [], 0
        for line in lines:
            if chunk and size + len(line) > limit and not g.blank_nodes:
                chunks.append(chunk)
                chunk, size = [], 0
            chunk.append(line)
            size += len(line) + 1
        if chunk:
            chunks.append(chunk)
        inserts = [f"INSERT DATA {{ GRAPH <{g.iri}> {{\n" + "\n".join(c) + "\n} }" for c in chunks]
        if inserts:
            parts[-1] = (g.iri, parts[-1][1] + " ;\n" + inserts[0])
        parts += [(g.iri, text) for text in inserts[1:]]
    out: list[tuple[list[str], str]] = []
    ops: list[str] = []
    touched: list[str] = []
    size = 0
    for iri, text in parts:
        if ops and size + len(text) > limit:
            out.append((touched, " ;\n".join(ops)))
            ops, touched, size = [], [], 0
        ops.append(text)
        size += len(text) + 3
        if iri not in touched:
            touched.append(iri)
    if ops:
        out.append((touched, " ;\n".join(ops)))
    return out


# --- the push --------------------------------------------------------------------------------------------

def push(build: Path, target: Target, force: bool = False, log: Callable[[str], None] = print,
         sleep: Callable[[float], None] = time.sleep, bulk: bool = True) -> Report:
    """Push the build's named graphs to the target; raises PushError (exit 3) when anything is refused or
    does not verify. The state file is updated for the graphs that verified. `bulk`: graphs an Oxigraph
    server lacks go by its bulk loader."""
    started = time.perf_counter()
    if target.retries < 0 or target.timeout <= 0:
        raise PushUsageError("--retries must be 0 or more and --timeout more than 0")
    if target.graph_param not in ("graph", "graph-uri"):
        raise PushUsageError("--graph-param is graph or graph-uri")
    state_path = build / STATE_FILE
    state = read_state(state_path)
    graphs = local_graphs(build / "dossier.nq", remembered=_remembered(state))
    state["pieces"] = remembered_pieces(graphs)
    key = redact(target.endpoint)
    known = state["endpoints"].setdefault(key, {}).setdefault("graphs", {})
    session = Session(target, log, sleep)
    try:
        stale = sorted(set(known) - set(graphs))
        before, headers = remote_counts(session, sorted(graphs) + stale)
        protocol, url, fallback = discover(target, headers.get("server", ""))
        report = Report(key, protocol, redact(url))
        changed = []
        for iri, g in graphs.items():
            rec = known.get(iri)
            if not force and rec and rec.get("sha256") == g.sha256 and rec.get("triples") == g.triples == before[iri]:
                report.skipped.append(iri)
                report.counts[iri] = before[iri]
            else:
                changed.append(g)
        for g in changed:
            known.pop(g.iri, None)  # until it verifies
        try:
            if bulk and protocol == "gsp" and "oxigraph" in headers.get("server", "").lower():
                report.bulk = bulk_load(session, url, [g for g in changed if not before[g.iri] and not g.blank_nodes])
            loaded = set(report.bulk)
            report.protocol, report.url = send(session, protocol, url, fallback,
                                               [g for g in changed if g.iri not in loaded], log)
            for iri in stale:
                delete_graph(session, report.protocol, report.url, iri)
                known.pop(iri, None)
                report.dropped.append(iri)
            after, _ = remote_counts(session, [g.iri for g in changed] + stale) if changed or stale else ({}, {})
            bad = []
            for g in changed:
                report.counts[g.iri] = after[g.iri]
                if after[g.iri] != g.triples:
                    bad.append(f"graph <{g.iri}>: the server holds {after[g.iri]} triples, the build has {g.triples}")
                else:
                    known[g.iri] = {"sha256": g.sha256, "triples": g.triples}
                    report.sent.append(g.iri)
            bad += [f"graph <{iri}>: still {after[iri]} triples after dropping it" for iri in stale if after[iri]]
            if bad:
                raise PushError(f"{key}: verification failed: " + "; ".join(bad))
        finally:
            entry = state["endpoints"][key]
            entry.update({"protocol": report.protocol, "url": report.url,
                          "pushed": datetime.now(timezone.utc).isoformat(timespec="seconds")})
            write_state(state_path, state)
        report.requests = session.requests
        report.seconds = time.perf_counter() - started
        return report
    finally:
        session.close()


def send(session: Session, protocol: str, url: str, fallback: str | None, graphs: list[Graph],
         log: Callable[[str], None]) -> tuple[str, str]:
    """Write the graphs; a discovered GSP URL that turns out not to exist falls back to SPARQL Update."""
    if protocol == "gsp":
        for i, g in enumerate(graphs):
            try:
                put_graph(session, url, g)
            except Refused as exc:
                if i == 0 and fallback and exc.status in (404, 405, 415, 501):
                    log(f"kg push: {redact(url)}: no Graph Store Protocol there ({exc}); using SPARQL Update at "
                        f"{redact(fallback)}")
                    return send(session, "update", fallback, None, graphs, log)
                raise
        return "gsp", url
    limit, todo = BATCH_BYTES, list(graphs)
    while todo:
        for touched, update in update_requests(todo, limit):
            names = ", ".join(f"<{t}>" for t in touched[:3]) + (f" and {len(touched) - 3} more" if len(touched) > 3 else "")
            try:
                post_update(session, url, update, f"graph{'s' if len(touched) > 1 else ''} {names}")
            except Refused as exc:
                if not exc.too_large or limit <= MIN_BATCH_BYTES:
                    raise
                limit //= 4  # resend from the first graph of the refused request, in smaller requests
                log(f"kg push: {redact(url)}: the request was too large for the server; sending {limit:,}-byte requests")
                todo = todo[[g.iri for g in todo].index(touched[0]):]
                break
        else:
            todo = []
    return "update", url
