"""The Starlette application: /sparql, the query page, the dossier overview, /id/… and the static assets.

Routes
  GET  /                    the dossier overview (also /dossier)
  GET  /query               the query page (editor, canned queries with their parameters, results table)
  GET, POST, OPTIONS /sparql   the SPARQL 1.1 Protocol endpoint (read-only; CORS for any origin)
  GET  /api/queries         the canned queries as JSON; /api/queries/{name}?param=… runs one
  GET  /id/{path}           the resource <base + path>: HTML, Turtle, N-Triples, JSON-LD or RDF/XML by
                            direct content negotiation (200 with Vary: Accept; ?format= overrides)
  GET  /resource?iri=…      the same for an IRI outside the base (e.g. a TOOI ministry)
  GET  /static/…            stylesheet and script, from this package
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..export import PREFIXES
from .pool import Pool, TimeLimit, WorkerFailed
from .sparql import GRAPH_FORMATS, RESULT_FORMATS, Refused, format_override, negotiate, parse_accept
from .worker import Config

HERE = Path(__file__).parent
MAX_QUERY_CHARS = 100_000
log = logging.getLogger("kg.serve")

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Expose-Headers": "X-Truncated, X-Row-Count, X-Row-Cap, X-Cache",
    "Access-Control-Max-Age": "86400",
}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HTML_FORMATS = {"html": ("text/html", ("application/xhtml+xml",))}
MEDIA = {name: media for name, (media, _) in {**RESULT_FORMATS, **GRAPH_FORMATS}.items()}
TEXTUAL = {"csv", "tsv", "ttl", "nt"}


@dataclass
class Settings:
    store: Path
    dossier: Path
    base: str
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    cache_mb: int = 64


class Verdicts:
    """Queries the parser has already passed (by SHA-256 of the text): parsing costs more than running
    most queries on this graph, and the store does not change while it is served."""

    def __init__(self, size: int = 4096):
        self.size, self.seen = size, OrderedDict()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, text: str) -> bool | None:
        """None for a query not seen yet, else whether it names its own dataset (FROM / FROM NAMED)."""
        k = self.key(text)
        if k in self.seen:
            self.seen.move_to_end(k)
            return self.seen[k]
        return None

    def add(self, text: str, own_dataset: bool) -> None:
        self.seen[self.key(text)] = bool(own_dataset)
        while len(self.seen) > self.size:
            self.seen.popitem(last=False)


class Answers:
    """Answers already given, by job (query text, parameters, formats, dataset, row cap), up to `limit`
    bytes, least recently used first out. The store is opened read-only and does not change while it is
    served, so an answer stays right; time-outs and worker failures are never kept. limit 0 turns off
    every reuse of answers (neither kept nor shared between identical requests running at once)."""

    def __init__(self, limit: int):
        self.limit, self.size, self.items = limit, 0, OrderedDict()

    @staticmethod
    def key(job: dict) -> str:
        job = {k: v for k, v in job.items() if k not in ("checked", "own_dataset")}
        return hashlib.sha256(json.dumps(job, sort_keys=True, default=str).encode("utf-8", "surrogatepass")).hexdigest()

    @staticmethod
    def _cost(reply: dict) -> int:
        body = reply.get("body")
        return 512 + (len(body) if isinstance(body, (bytes, str)) else len(json.dumps(reply.get("data"), default=str)))

    def get(self, key: str) -> dict | None:
        if key in self.items:
            self.items.move_to_end(key)
            return self.items[key][0]
        return None

    def put(self, key: str, reply: dict) -> None:
        cost = self._cost(reply)
        if cost > self.limit // 8:
            return  # a big answer would push out many small ones
        self.items[key] = (reply, cost)
        self.size += cost
        while self.size > self.limit and self.items:
            _, (_, c) = self.items.popitem(last=False)
            self.size -= c


def error(status: int, message: str, request: Request | None = None, headers: dict | None = None) -> Response:
    """An error as plain text (JSON when the client prefers JSON); never a traceback."""
    ranges = parse_accept(request.headers.get("accept")) if request else []
    wants_json = negotiate(request.headers.get("accept"), {"text": ("text/plain", ()),
                                                            "json": ("application/json", ())}) == "json" \
        if request and any(r[0] != "*/*" for r in ranges) else False
    if wants_json:
        return JSONResponse({"error": {"status": status, "message": message}}, status, headers=headers)
    return PlainTextResponse(f"{message}\n", status, headers=headers)


def create_app(settings: Settings) -> Starlette:
    from ..queries import discover

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    verdicts = Verdicts()
    answers = Answers(settings.cache_mb * 1024 * 1024)
    inflight: dict[str, asyncio.Future] = {}
    state: dict = {}
    canned = discover()

    def render(template: str, code: int = 200, **context) -> HTMLResponse:
        html = env.get_template(template).render(base=settings.base, **context)
        return HTMLResponse(html, code, headers=PAGE_HEADERS)

    def page_error(request: Request, status: int, message: str) -> Response:
        if negotiate(request.headers.get("accept"), {"html": ("text/html", ()), "text": ("text/plain", ())}) == "html":
            return render("error.html", status, status=status, message=message)
        return error(status, message, request)

    async def run(job: dict) -> dict:
        """The worker's reply to `job`: from the answer cache, from an identical job already running
        (one worker runs it, every waiting client gets the answer), or from a free worker."""
        if not answers.limit:  # --cache-mb 0: every request runs its own job
            return dict(await state["pool"].run(job, settings.timeout), cache="miss")
        key = Answers.key(job)
        cached = answers.get(key)
        if cached is not None:
            return dict(cached, cache="hit")
        running = inflight.get(key)
        if running is not None:
            return dict(await asyncio.shield(running), cache="shared")
        future = asyncio.get_running_loop().create_future()
        inflight[key] = future
        try:
            reply = await state["pool"].run(job, settings.timeout)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning when nobody else waits
            raise
        finally:
            inflight.pop(key, None)
        if reply.get("ok") or 400 <= reply.get("status", 500) < 500:
            answers.put(key, reply)  # a deterministic answer: the store does not change while served
        future.set_result(reply)
        return dict(reply, cache="miss")

    def job_error(request: Request, exc: Exception, headers: dict | None = None) -> Response:
        if isinstance(exc, TimeLimit):
            return error(503, exc.message, request, headers)
        return error(500, "the query worker stopped unexpectedly; the query was not answered", request, headers)

    # --- /sparql ----------------------------------------------------------------------------------------

    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=CORS)
        try:
            text, params = await _read_protocol(request)
            graphs = [("default", g) for g in params.getlist("default-graph-uri")] + \
                     [("named", g) for g in params.getlist("named-graph-uri")]
            unknown = [g for _, g in graphs if g not in state["graphs"]]
            if unknown:
                raise Refused(403, f"default-graph-uri / named-graph-uri <{unknown[0]}>: not a graph of this store")
            verdict = verdicts.get(text)
            job = {"op": "query", "text": text, "checked": verdict is not None, "own_dataset": bool(verdict),
                   "max_rows": settings.max_rows,
                   "default_graphs": [g for k, g in graphs if k == "default"],
                   "named_graphs": [g for k, g in graphs if k == "named"]}
            _formats(job, request, params.get("format"))
        except Refused as exc:
            return error(exc.status, exc.message, request, CORS)
        return await _answer(request, job, on_ok=lambda reply: verdicts.add(job["text"], reply.get("own_dataset")),
                             headers=CORS)

    async def _answer(request: Request, job: dict, on_ok=None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        try:
            reply = await run(job)
        except (TimeLimit, WorkerFailed) as exc:
            return job_error(request, exc, headers)
        if not reply.get("ok"):
            return error(reply["status"], reply["message"], request, headers)
        if on_ok:
            on_ok(reply)
        media = MEDIA[reply["format"]] + ("; charset=utf-8" if reply["format"] in TEXTUAL else "")
        headers.update({"X-Truncated": "true" if reply["truncated"] else "false", "X-Row-Count": str(reply["rows"]),
                        "X-Cache": reply.get("cache", "miss"),
                        "X-Row-Cap": str(settings.max_rows), "Vary": "Accept", "X-Content-Type-Options": "nosniff"})
        return Response(reply["body"], 200, headers=headers, media_type=media)

    def _formats(job: dict, request: Request, override: str | None) -> None:
        accept = request.headers.get("accept")
        if override:
            fmt = format_override(override, {**RESULT_FORMATS, **GRAPH_FORMATS})
            job["results_format"] = fmt if fmt in RESULT_FORMATS else None
            job["graph_format"] = fmt if fmt in GRAPH_FORMATS else None
            if fmt == "jsonld":  # ?format=json-ld for a graph, JSON for solutions
                job["results_format"] = "json"
            if fmt == "xml" or fmt == "rdfxml":
                job["results_format"], job["graph_format"] = "xml", "rdfxml"
        else:
            job["results_format"] = negotiate(accept, RESULT_FORMATS)
            job["graph_format"] = negotiate(accept, GRAPH_FORMATS)
        if job["results_format"] is None and job["graph_format"] is None:
            offers = ", ".join(m for m, _ in (*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()))
            raise Refused(406, f"no acceptable format: this endpoint answers in {offers}")

    # --- canned queries ---------------------------------------------------------------------------------

    async def api_queries(request: Request) -> Response:
        return JSONResponse([_describe_query(q) for q in canned.values()])

    async def api_query(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in canned:
            return error(404, f"no canned query named {name!r}; GET /api/queries lists them", request)
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        job = {"op": "canned", "name": name, "params": params, "max_rows": settings.max_rows}
        try:
            _formats(job, request, request.query_params.get("format"))
        except Refused as exc:
            return error(exc.status, exc.message, request)
        return await _answer(request, job)

    # --- pages ------------------------------------------------------------------------------------------

    async def overview(request: Request) -> Response:
        if "overview" not in state:
            try:
                data = await run({"op": "overview"})
            except (TimeLimit, WorkerFailed) as exc:
                return page_error(request, 503, getattr(exc, "message", "the query worker stopped unexpectedly"))
            if not data.get("ok"):
                return page_error(request, 500, data["message"])
            state["overview"] = data["data"]  # the store does not change while it is served
        return render("overview.html", d=state["overview"], href=state["site"].href)

    async def query_page(request: Request) -> Response:
        data = {"queries": [_describe_query(q) for q in canned.values()], "base": settings.base,
                "prefixes": PREFIXES, "max_rows": settings.max_rows, "timeout": settings.timeout}
        return render("query.html", data=data)

    async def resource_by_path(request: Request) -> Response:
        path = request.path_params["path"]
        return await _resource(request, settings.base + path, "/id/" + quote(path, safe="/:@-._~!$&'()*+,;="))

    async def resource_by_iri(request: Request) -> Response:
        iri = request.query_params.get("iri", "")
        if not iri:
            return page_error(request, 400, "give the resource as ?iri=…")
        if iri.startswith(settings.base):
            return RedirectResponse(state["site"].href(iri.split("#", 1)[0]), 303)
        return await _resource(request, iri, "/resource?iri=" + quote(iri, safe=""))

    async def _resource(request: Request, iri: str, here: str) -> Response:
        offers = {**HTML_FORMATS, **GRAPH_FORMATS}
        try:
            fmt = format_override(request.query_params.get("format"), offers) or \
                negotiate(request.headers.get("accept"), offers)
        except Refused as exc:
            return error(exc.status, exc.message, request)
        sep = "&" if "?" in here else "?"
        alternates = ", ".join(f'<{here}{sep}format={n}>; rel="alternate"; type="{m}"' for n, (m, _) in offers.items())
        headers = {"Vary": "Accept", "Link": alternates}
        if fmt is None:
            return error(406, "this resource is available as " + ", ".join(m for m, _ in offers.values()), request)
        try:
            reply = await run({"op": "resource" if fmt == "html" else "describe", "iri": iri, "format": fmt})
        except (TimeLimit, WorkerFailed) as exc:
            return job_error(request, exc)
        if not reply.get("ok"):
            if fmt == "html":
                return render("error.html", reply["status"], status=reply["status"], message=reply["message"])
            return error(reply["status"], reply["message"], request)
        if fmt == "html":
            resp = render("resource.html", r=reply["data"], here=here, sep=sep, formats=GRAPH_FORMATS)
            resp.headers.update(headers)
            return resp
        media = MEDIA[fmt] + ("; charset=utf-8" if fmt in TEXTUAL else "")
        return Response(reply["body"], 200, headers={**headers, "X-Content-Type-Options": "nosniff"}, media_type=media)

    async def health(request: Request) -> Response:
        pool = state["pool"]
        return JSONResponse({"ok": True, "workers": pool.size, "idle": pool.idle.qsize(), "stopped_queries": pool.killed,
                             "cache": {"answers": len(answers.items), "bytes": answers.size, "limit": answers.limit},
                             "worker_pids": sorted(p.process.pid for p in pool.procs if p.process.pid),
                             "base": settings.base, "timeout": settings.timeout, "max_rows": settings.max_rows})

    @asynccontextmanager
    async def lifespan(app):
        from .pages import Site

        pool = Pool(Config(str(settings.store), str(settings.dossier), settings.base, settings.max_rows),
                    settings.workers)
        await pool.start()
        state["pool"] = pool
        state["site"] = Site(settings.base)
        ping = await pool.run({"op": "ping"}, 30.0)
        state["graphs"] = set(ping.get("graphs", []))
        try:
            yield
        finally:
            pool.close()

    async def not_found(request: Request, exc) -> Response:
        status = getattr(exc, "status_code", 404)
        return page_error(request, status, "not found" if status == 404 else "the request could not be handled")

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("kg serve: unexpected error", exc_info=exc)
        return PlainTextResponse("internal error: the request could not be answered\n", 500)

    routes = [
        Route("/", overview, methods=["GET"]),
        Route("/dossier", overview, methods=["GET"]),
        Route("/query", query_page, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"]),
        Route("/api/queries", api_queries, methods=["GET"]),
        Route("/api/queries/{name}", api_query, methods=["GET"]),
        Route("/id/{path:path}", resource_by_path, methods=["GET"]),
        Route("/resource", resource_by_iri, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes, lifespan=lifespan,
                     exception_handlers={404: not_found, 405: not_found, Exception: server_error})


async def _read_protocol(request: Request):
    """The query text and the protocol parameters of a GET or POST to /sparql (Refused when not a query)."""
    from starlette.datastructures import QueryParams

    params = request.query_params
    if request.method == "GET":
        if "update" in params:
            raise Refused(403, "SPARQL Update is not allowed: this endpoint is read-only")
        queries = params.getlist("query")
    else:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise Refused(403, "SPARQL Update (application/sparql-update) is not allowed: this endpoint is read-only")
        if ctype == "application/x-www-form-urlencoded":
            body = await request.body()
            if len(body) > 4 * MAX_QUERY_CHARS:
                raise Refused(413, f"the request is too large (more than {4 * MAX_QUERY_CHARS} bytes)")
            form = QueryParams(body.decode("utf-8", "replace"))
            if "update" in form:
                raise Refused(403, "SPARQL Update is not allowed: this endpoint is read-only")
            queries = form.getlist("query")
            params = QueryParams(list(params.multi_items()) + [kv for kv in form.multi_items() if kv[0] != "query"])
        elif ctype == "application/sparql-query":
            body = await request.body()
            if len(body) > 4 * MAX_QUERY_CHARS:
                raise Refused(413, f"the query is too large (more than {MAX_QUERY_CHARS} characters)")
            try:
                queries = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refused(400, "the query is not UTF-8") from None
        else:
            raise Refused(415, "POST a query as application/x-www-form-urlencoded (query=…) or "
                               "application/sparql-query")
    if not queries or not queries[0].strip():
        raise Refused(400, "no query: give the SPARQL query as the `query` parameter (the query page is at /query)")
    if len(queries) > 1:
        raise Refused(400, "more than one `query` parameter")
    if len(queries[0]) > MAX_QUERY_CHARS:
        raise Refused(413, f"the query is too long (more than {MAX_QUERY_CHARS} characters)")
    return queries[0], params


def _describe_query(q) -> dict:
    return {"name": q.name, "title": q.title, "description": q.description, "text": q.text,
            "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                        "description": p.description} for p in q.params]}
