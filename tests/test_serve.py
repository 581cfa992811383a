"""kg serve: the SPARQL endpoint, refusals, limits, dereferenceable IRIs and pages, against a real server.

The module builds the dossier into a temporary folder, starts `kg serve --build <tmp>` in a subprocess on
127.0.0.1 and a free port, waits until it answers, and stops it by its PID at the end (then checks that its
query workers are gone too). Every error body seen is checked for traceback text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.query import Result

import kg

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/dossier-kg/id/"
AH = ID + "ah-tk-20222023-1663"
ANSWER_2 = AH + "/antwoord/2"
DKG = rdflib.Namespace("https://w3id.org/dossier-kg/def#")
PROVENANCE = ID + "graaf/provenance"
TIMEOUT = 4.0  # the server's time limit in this module (the default is 10 s)
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
        "FILTER (STR(?c) = CONCAT(STR(?f), STR(?i), 'no such text')) }")
ERROR_BODIES: list[str] = []


# --- the server ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "kg.py")]


class Server:
    """`kg serve` in a subprocess; `with Server(build) as s: s.get(...)`."""

    def __init__(self, build: Path, *options: str, log: Path | None = None):
        self.build, self.options = build, options
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log or build / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None
        self.worker_pids: list[int] = []

    def __enter__(self) -> Server:
        self.logfile = open(self.log, "wb")
        self.proc = subprocess.Popen([*kg_command(), "serve", "--build", str(self.build), "--port", str(self.port),
                                      *self.options], stdout=self.logfile, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kg serve exited with {self.proc.returncode}:\n{self.log.read_text()}")
            try:
                status, _, body = self.get("/health")
                if status == 200:
                    self.worker_pids = json.loads(body)["worker_pids"]
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"kg serve did not answer within 90 s:\n{self.log.read_text()}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if getattr(self, "logfile", None):
            self.logfile.close()

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
                timeout: float = 30.0) -> tuple[int, dict, bytes]:
        req = urllib.request.Request(self.url + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as err:
            body = err.read()
            ERROR_BODIES.append(body.decode("utf-8", "replace"))
            return err.code, {k.lower(): v for k, v in err.headers.items()}, body

    def get(self, path: str, accept: str | None = None, **kw):
        return self.request(path, headers={"Accept": accept} if accept else {}, **kw)

    def query_get(self, query: str, accept: str | None = None, **params):
        return self.get("/sparql?" + urllib.parse.urlencode({"query": query, **params}), accept)

    def query_form(self, query: str, accept: str | None = None):
        return self.request("/sparql", urllib.parse.urlencode({"query": query}).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})})

    def query_direct(self, query: str, accept: str | None = None):
        return self.request("/sparql", query.encode(),
                            {"Content-Type": "application/sparql-query", **({"Accept": accept} if accept else {})})


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serve-build")
    result = CliRunner().invoke(kg.cli, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "store").is_dir()
    return out


@pytest.fixture(scope="module")
def server(built):
    with Server(built, "--timeout", str(TIMEOUT)) as s:
        yield s
    for pid in s.worker_pids:  # the workers stop with the server
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"query worker {pid} still runs after the server stopped")


# --- SELECT, ASK, CONSTRUCT in every format -----------------------------------------------------------

ANSWERS = f"""PREFIX dkg: <https://w3id.org/dossier-kg/def#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?answer ?number ?text WHERE {{
  ?answer dcterms:isPartOf <{AH}> ; dkg:numberLabel ?number ; dkg:text ?text .
}} ORDER BY ?answer"""

RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}


def parse_results(body: bytes, fmt: str) -> list[dict[str, str]]:
    result = Result.parse(io.BytesIO(body), format=fmt)
    return [{str(k): str(v) for k, v in row.asdict().items()} for row in result]


@pytest.mark.parametrize("method", ["get", "form", "direct"])
@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
def test_select_in_each_format(server, method, fmt):
    status, headers, body = getattr(server, f"query_{method}")(ANSWERS, RESULT_TYPES[fmt])
    assert status == 200, body
    assert headers["content-type"].startswith(RESULT_TYPES[fmt])
    assert headers["x-truncated"] == "false"
    rows = parse_results(body, fmt)
    assert len(rows) == 7
    by_answer = {r["answer"]: r for r in rows}
    assert by_answer[ANSWER_2]["number"] == "2"
    assert "bij brief van 13 december 2022" in by_answer[ANSWER_2]["text"]


def test_select_json_shape(server):
    status, headers, body = server.query_get(ANSWERS)  # no Accept: JSON
    assert status == 200 and headers["content-type"] == "application/sparql-results+json"
    data = json.loads(body)
    assert data["head"]["vars"] == ["answer", "number", "text"]
    assert data["truncated"] is False
    b = data["results"]["bindings"][1]
    assert b["answer"] == {"type": "uri", "value": ANSWER_2}
    assert b["text"]["xml:lang"] == "nl"


def test_format_parameter_overrides_accept(server):
    status, headers, body = server.query_get(ANSWERS, "application/sparql-results+json", format="csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert next(csv.reader(io.StringIO(body.decode()))) == ["answer", "number", "text"]


@pytest.mark.parametrize("fmt", list(RESULT_TYPES))
def test_ask_in_each_format(server, fmt):
    status, _, body = server.query_form(f"ASK {{ <{ANSWER_2}> ?p ?o }}", RESULT_TYPES[fmt])
    assert status == 200, body
    if fmt in ("json", "xml"):
        assert Result.parse(io.BytesIO(body), format=fmt).askAnswer is True
    else:
        assert body.decode().split()[-1] == "true"


GRAPH_TYPES = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples",
               "xml": "application/rdf+xml"}


@pytest.mark.parametrize("fmt", list(GRAPH_TYPES))
def test_construct_as_rdf(server, fmt):
    query = f"CONSTRUCT {{ <{ANSWER_2}> ?p ?o }} WHERE {{ <{ANSWER_2}> ?p ?o }}"
    status, headers, body = server.query_direct(query, GRAPH_TYPES[fmt])
    assert status == 200, body
    assert headers["content-type"].startswith(GRAPH_TYPES[fmt])
    g = rdflib.Graph().parse(data=body, format=fmt)
    assert (rdflib.URIRef(ANSWER_2), DKG.numberLabel, rdflib.Literal("2")) in g


def test_describe_as_turtle(server):
    status, _, body = server.query_get(f"DESCRIBE <{ANSWER_2}>", "text/turtle")
    assert status == 200
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(ANSWER_2), DKG.number, None) in g


def test_default_graph_is_the_union(server):
    _, _, body = server.query_get("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    graphs = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {PROVENANCE, ID + "graaf/002_c13e7b55d78e5ffc", ID + "graaf/004_90d31d1340ba21e6"} <= graphs
    _, _, body = server.query_get(f"ASK {{ <{ANSWER_2}> a ?t . <{PROVENANCE}> ?p ?o }}")
    assert json.loads(body)["boolean"] is False  # the graph name is not a subject in the union...
    _, _, body = server.query_get(f"ASK {{ <{ANSWER_2}> a ?t . ?build <http://www.w3.org/ns/prov#used> ?f }}")
    assert json.loads(body)["boolean"] is True  # ...but file graphs and the provenance graph are both in it


def test_from_a_graph_of_the_store_restricts_the_dataset(server):
    count = f"SELECT (COUNT(*) AS ?n) FROM <{PROVENANCE}> WHERE {{ ?s ?p ?o }}"
    status, _, body = server.query_get(count)
    assert status == 200, body
    in_graph = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    _, _, body = server.query_get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert 0 < in_graph < int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    # the same through the protocol's default-graph-uri, and again (the parser's verdict is cached)
    for _ in range(2):
        status, _, body = server.query_get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                           **{"default-graph-uri": PROVENANCE})
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == in_graph
    status, _, body = server.query_get(count)
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == in_graph


# --- refusals -------------------------------------------------------------------------------------------

REFUSED = {
    "insert data": ("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }", "read-only"),
    "delete where": ("DELETE WHERE { ?s ?p ?o }", "read-only"),
    "load": ("LOAD <file:///etc/passwd>", "read-only"),
    "service": ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    "service in a subquery": ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://example.org/sparql> "
                              "{ ?s ?p ?o } } } }", "SERVICE"),
    "from elsewhere": ("SELECT * FROM <http://evil/> WHERE { ?s ?p ?o }", "http://evil/"),
    "from named elsewhere": ("PREFIX e: <http://evil/> SELECT * FROM NAMED e:g WHERE { GRAPH ?g { ?s ?p ?o } }",
                             "http://evil/g"),
    "syntax error": ("SELECT * WHERE { ?s ?p", "syntax error"),
}


@pytest.mark.parametrize("name", list(REFUSED))
@pytest.mark.parametrize("method", ["get", "form", "direct"])
def test_refused(server, name, method):
    query, words = REFUSED[name]
    status, headers, body = getattr(server, f"query_{method}")(query)
    assert 400 <= status < 500, (status, body)
    text = body.decode()
    assert words.lower() in text.lower(), text
    assert "access-control-allow-origin" in headers  # the browser can read the refusal too


def test_refusal_as_json_when_asked(server):
    status, headers, body = server.query_get("DELETE WHERE { ?s ?p ?o }", "application/json")
    assert status == 403 and headers["content-type"].startswith("application/json")
    assert "read-only" in json.loads(body)["error"]["message"]


def test_sparql_update_media_type_refused(server):
    status, _, body = server.request("/sparql", b"INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
                                     {"Content-Type": "application/sparql-update"})
    assert status == 403 and b"read-only" in body
    status, _, body = server.request("/sparql", urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"read-only" in body
    status, _, body = server.get("/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"}))
    assert status == 403


def test_update_words_inside_literals_are_not_refused(server):
    query = ('SELECT ?x WHERE { BIND ("INSERT DATA { <a:b> <a:c> <a:d> } ; LOAD <file:///etc/passwd>" AS ?x) '
             "FILTER (?x != 'SERVICE <http://example.org/sparql> FROM <http://evil/>') } # DELETE WHERE")
    for method in ("get", "form", "direct"):
        status, _, body = getattr(server, f"query_{method}")(query)
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["x"]["value"].startswith("INSERT DATA")


def test_other_bad_requests(server):
    assert server.get("/sparql")[0] == 400  # no query
    assert server.request("/sparql", b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415
    assert server.query_get("SELECT * WHERE { ?s ?p ?o }", "image/png")[0] == 406
    assert server.query_get("SELECT * WHERE { ?s ?p ?o }", **{"default-graph-uri": "http://evil/"})[0] == 403
    status, _, body = server.query_form("SELECT * WHERE { ?s ?p ?o } # " + "x" * 100_001)
    assert status == 413
    assert server.get("/sparql?" + urllib.parse.urlencode([("query", "ASK {}"), ("query", "ASK {}")]))[0] == 400


# --- limits -----------------------------------------------------------------------------------------------


def test_row_cap_signals_truncation(server):
    query = "SELECT ?s ?a WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 12000"
    status, headers, body = server.query_get(query)
    assert status == 200
    assert headers["x-truncated"] == "true" and headers["x-row-cap"] == "10000"
    data = json.loads(body)
    assert data["truncated"] is True and len(data["results"]["bindings"]) == 10_000
    status, headers, body = server.query_get(query, "text/csv")
    assert headers["x-truncated"] == "true" and len(body.decode().strip().split("\r\n")) == 10_001
    status, headers, body = server.query_get(query.replace("LIMIT 12000", "LIMIT 10000"))
    assert headers["x-truncated"] == "false" and json.loads(body)["truncated"] is False


def test_max_rows_option_caps_solutions_and_triples(built):
    with Server(built, "--max-rows", "5", "--workers", "1", "--cache-mb", "0") as small:
        status, headers, body = small.query_get("SELECT * WHERE { ?s ?p ?o }")
        assert headers["x-truncated"] == "true" and headers["x-row-cap"] == "5"
        assert len(json.loads(body)["results"]["bindings"]) == 5
        status, headers, body = small.query_get("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
        assert status == 200 and headers["x-truncated"] == "true"
        assert len(body.decode().strip().splitlines()) == 5
        status, headers, body = small.query_get("SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert headers["x-truncated"] == "false"
        assert small.query_get("SELECT * WHERE { ?s ?p ?o } LIMIT 5")[1]["x-cache"] == "miss"  # no cache


def test_answers_are_cached_and_identical_queries_share_one_run(server):
    query = f"SELECT ?p ?o WHERE {{ <{AH}/antwoord/5> ?p ?o }} # cache test"
    first, second = server.query_get(query), server.query_get(query)
    assert first[1]["x-cache"] == "miss" and second[1]["x-cache"] == "hit" and first[2] == second[2]
    assert server.query_get(query, "text/csv")[1]["x-cache"] == "miss"  # another format is another answer
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?r } # ten clients at once"
    got: list = []
    threads = [threading.Thread(target=lambda: got.append(server.query_form(query))) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _, _ in got] == [200] * 10 and len({body for _, _, body in got}) == 1
    assert [h["x-cache"] for _, h, _ in got].count("miss") == 1


def test_slow_query_stops_at_the_time_limit_while_others_are_answered(server):
    slow: dict = {}

    def run_slow():
        started = time.monotonic()
        slow["status"], _, slow["body"] = server.query_form(SLOW)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)  # the slow query is running
    asked = []
    for n in range(1, 4):  # three different queries: none is answered from the cache
        started = time.monotonic()
        status, _, body = server.query_get(f"ASK {{ <{AH}/antwoord/{n}> ?p ?o }}")
        asked.append(time.monotonic() - started)
        assert status == 200 and json.loads(body)["boolean"] is True
    assert "status" not in slow, "the slow query should still be running"
    assert max(asked) < 1.0, asked
    thread.join(timeout=TIMEOUT + 20)
    assert slow["status"] == 503
    assert b"time limit" in slow["body"]
    assert TIMEOUT - 0.5 <= slow["seconds"] < TIMEOUT + 5
    status, _, body = server.get("/health")
    assert json.loads(body)["stopped_queries"] >= 1
    # the stopped worker is replaced: the server keeps answering, and soon with every worker idle
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        health = json.loads(server.get("/health")[2])
        if health["idle"] == health["workers"]:
            break
        time.sleep(0.2)
    assert health["idle"] == health["workers"]
    server.worker_pids = health["worker_pids"]


def test_error_bodies_have_no_traceback(server):
    server.query_get("SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0)")
    server.get("/id/no/such/thing", "text/turtle")
    server.get("/api/queries/answers-citing")  # a required parameter missing
    server.get("/api/queries/answers-citing?document=x&nope=1")
    assert len(ERROR_BODIES) > 20
    for body in ERROR_BODIES:
        assert "Traceback" not in body and 'File "' not in body and ".py" not in body, body


# --- dereferenceable IRIs -----------------------------------------------------------------------------------

ANSWER_2_PATH = "/id/ah-tk-20222023-1663/antwoord/2"


def test_answer_page_shows_text_and_highlighted_source(server):
    status, headers, body = server.get(ANSWER_2_PATH, "text/html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "accept" in headers["vary"].lower()
    html = body.decode()
    assert "Antwoord 2" in html
    assert "Ten aanzien van Russische dienstplichtigen" in html
    marks = [" ".join(m.split()) for m in re.findall(r"<mark>(.*?)</mark>", html, re.S)]  # the source has a
    assert marks and "13 december 2022" in marks[0]  # no-break space in "13 december"
    assert "002_c13e7b55d78e5ffc.txt" in html and "line 23" in html and "2310" in html and "4618" in html
    assert 'class="context"' in html  # text before and after the span
    assert 'href="/id/kv-tk-2023Z00468/vraag/2"' in html  # the question it answers, on this server
    assert "Incoming links" in html


def test_answer_as_turtle(server):
    status, headers, body = server.get(ANSWER_2_PATH, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(ANSWER_2), DKG.numberLabel, rdflib.Literal("2")) in g
    assert len(set(g)) == len(g)


def test_answer_as_json_ld(server):
    status, headers, body = server.get(ANSWER_2_PATH, "application/ld+json")
    assert status == 200 and headers["content-type"].startswith("application/ld+json")
    g = rdflib.Graph().parse(data=body, format="json-ld")
    assert (rdflib.URIRef(ANSWER_2), DKG.numberLabel, rdflib.Literal("2")) in g
    json.loads(body)


def test_span_includes_its_selectors(server):
    status, _, body = server.get("/id/bron/002_c13e7b55d78e5ffc/2310-4618?format=ttl")
    g = rdflib.Graph().parse(data=body, format="turtle")
    span = ID + "bron/002_c13e7b55d78e5ffc/2310-4618"
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    assert (rdflib.URIRef(span + "#position"), oa.start, None) in g
    assert "13 december 2022" in " ".join(str(g.value(rdflib.URIRef(span + "#quote"), oa.exact)).split())


def test_resource_negotiation_and_errors(server):
    assert server.get(ANSWER_2_PATH)[1]["content-type"].startswith("text/html")  # */* gives the page
    assert server.get(ANSWER_2_PATH + "?format=nt")[1]["content-type"].startswith("application/n-triples")
    assert server.get(ANSWER_2_PATH, "image/png")[0] == 406
    status, _, body = server.get("/id/no/such/thing", "text/html")
    assert status == 404 and b"no resource" in body
    # a resource outside the base (a TOOI ministry) has a page too
    status, _, body = server.get("/resource?iri=" + urllib.parse.quote(
        "https://identifier.overheid.nl/tooi/id/ministerie/mnre1013", safe=""), "text/html")
    assert status == 200 and b"Buitenlandse Zaken" in body


# --- pages, assets, CORS ------------------------------------------------------------------------------------


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.refs.append((tag, a["src"]))
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload") and a.get("href"):
            self.refs.append((tag, a["href"]))
        if tag in ("img", "iframe", "audio", "video", "source") and a.get("src"):
            self.refs.append((tag, a["src"]))


@pytest.mark.parametrize("path", ["/", "/dossier", "/query", ANSWER_2_PATH, "/no-such-page"])
def test_page_assets_are_local(server, path):
    status, headers, body = server.get(path, "text/html")
    assert status in (200, 404)
    parser = Assets()
    parser.feed(body.decode())
    assert parser.refs or status == 404
    for tag, ref in parser.refs:
        assert not re.match(r"^(https?:)?//", ref), (tag, ref)
        assert server.get(ref)[0] == 200, ref
    if status == 200:
        assert "default-src 'self'" in headers["content-security-policy"]


def test_overview_page(server):
    status, _, body = server.get("/", "text/html")
    html = body.decode()
    assert status == 200
    for section in ("Documents", "Timeline", "Questions and answers", "Citations", "Postponements"):
        assert f">{section}</h2>" in html
    assert "kv-tk-2023Z00468" in html and "ah-tk-20222023-1663" in html
    assert "2023-02-08" in html  # the postponement
    assert "bij brief van 13 december 2022" in html  # an in-text reference
    assert "The Guardian" in html  # a footnote's source
    assert 'href="/id/ah-tk-20222023-1663/antwoord/2"' in html
    assert html.count('class="block question"') >= 22 - 7  # the questions (kv-tk-2023Z00468 is in 002 and 003)


def test_query_page_lists_the_canned_queries(server):
    status, _, body = server.get("/query", "text/html")
    html = body.decode()
    assert status == 200 and "<textarea" in html and 'src="/static/query.js"' in html
    for name in ("answers-citing", "timeline", "provenance"):
        assert f'value="{name}"' in html
    status, _, body = server.get("/api/queries")
    names = {q["name"]: q for q in json.loads(body)}
    assert names["answers-citing"]["params"][0]["name"] == "document"


def test_canned_query_api(server):
    status, headers, body = server.get("/api/queries/answers-citing?document=kst-19637-3018")
    assert status == 200
    data = json.loads(body)
    assert "param_document" not in data["head"]["vars"]
    assert [b["answer"]["value"] for b in data["results"]["bindings"]] == [ANSWER_2]
    status, headers, body = server.get("/api/queries/answers-citing?document=kst-19637-3018&format=csv")
    assert headers["content-type"].startswith("text/csv") and ANSWER_2 in body.decode()
    assert server.get("/api/queries/answers-citing")[0] == 400
    assert server.get("/api/queries/no-such-query")[0] == 404


def test_cors_on_sparql_only(server):
    _, headers, _ = server.query_get("ASK {}")
    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
    status, headers, _ = server.request("/sparql", method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert "POST" in headers["access-control-allow-methods"] and "GET" in headers["access-control-allow-methods"]
    assert "content-type" in headers["access-control-allow-headers"].lower()
    for path in ("/", ANSWER_2_PATH, "/api/queries"):
        assert "access-control-allow-origin" not in server.get(path)[1]


def test_binds_localhost_by_default():
    from dossierkg.serve import default_workers  # noqa: F401  (the module imports without a server)

    help_text = CliRunner().invoke(kg.cli, ["serve", "--help"]).output
    assert "127.0.0.1" in help_text and "--timeout" in help_text and "--max-rows" in help_text


def test_serve_without_a_store(tmp_path):
    result = CliRunner().invoke(kg.cli, ["serve", "--build", str(tmp_path)])
    assert result.exit_code == 3 and "kg build" in result.output


def test_another_base_is_read_from_the_store(tmp_path):
    out = tmp_path / "build"
    result = CliRunner().invoke(kg.cli, ["build", "--out", str(out), "--base", "http://example.org/kg/", "--no-validate"])
    assert result.exit_code == 0, result.output
    with Server(out, "--workers", "1") as s:
        status, _, body = s.get("/id/ah-tk-20222023-1663/antwoord/2", "text/turtle")
        assert status == 200
        g = rdflib.Graph().parse(data=body, format="turtle")
        assert (rdflib.URIRef("http://example.org/kg/ah-tk-20222023-1663/antwoord/2"), DKG.numberLabel, None) in g
        html = s.get("/id/ah-tk-20222023-1663/antwoord/2", "text/html")[2].decode()
        assert 'href="/id/kv-tk-2023Z00468/vraag/2"' in html and "<mark>" in html
