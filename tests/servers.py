"""Real servers for tests and benchmarks, bound to 127.0.0.1 on free ports and stopped by PID.

- Oxigraph: the `oxigraph` command (pip package `oxigraph`, in the test extras), read-write or read-only.
- Virtuoso: Debian's virtuoso-opensource (`virtuoso-t`), a private instance from a generated virtuoso.ini
  in a temporary folder (database, log and lock files there), with a small ResultSetMaxRows.
- Proxy: an HTTP proxy in a thread in front of a real server that injects faults on request (5xx, 429
  with Retry-After, refusals, swallowed writes, slow or cut-off answers, basic auth).

Every class is a context manager: the server is stopped (SIGTERM, then SIGKILL) by the PID it was started
with, also when the test fails.
"""

from __future__ import annotations

import base64
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, n: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


def wait_until_answers(url: str, proc: subprocess.Popen, log: Path, timeout: float, name: str) -> None:
    """Poll `url` until the server answers 200 (fail at once, with its log, if the process dies)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with code {proc.returncode} while starting:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{name} did not answer {url} within {timeout:.0f} s (last: {last}):\n{_tail(log)}")


def stop_pid(proc: subprocess.Popen | None, grace: float = 15.0) -> None:
    """Stop one process we started, by its PID: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc is None or proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)


# --- Oxigraph ----------------------------------------------------------------------------------------------

def oxigraph_command() -> str:
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise RuntimeError("the `oxigraph` command is missing: `pip install oxigraph` (it is in the test extras)")
    return found


class Oxigraph:
    """`oxigraph serve` (or `serve-read-only`) on a folder, union default graph, 127.0.0.1:<free port>."""

    def __init__(self, location: Path, read_only: bool = False, timeout_s: int | None = None):
        self.location, self.read_only, self.timeout_s = Path(location), read_only, timeout_s
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    query_url = property(lambda self: self.base + "/query")
    update_url = property(lambda self: self.base + "/update")
    store_url = property(lambda self: self.base + "/store")

    def start(self) -> Oxigraph:
        self.location.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        log = self.location.parent / f"{self.location.name}.oxigraph.log"
        cmd = [oxigraph_command(), "serve-read-only" if self.read_only else "serve", "--location", str(self.location),
               "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        cmd += ["--timeout-s", str(self.timeout_s)] if self.timeout_s else []
        with open(log, "wb") as fh:
            self.proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_until_answers(self.query_url + "?query=ASK%7B%7D", self.proc, log, 30, "oxigraph")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        stop_pid(self.proc)
        self.proc = None

    def __enter__(self) -> Oxigraph:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- Virtuoso ----------------------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty}
MaxQueryMem          = {query_mem}
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 10
ServerThreads        = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 60
"""


def virtuoso_command() -> str:
    found = shutil.which("virtuoso-t")
    if not found:
        raise RuntimeError("Virtuoso is missing: `apt-get install -y virtuoso-opensource` (.ci/run installs it)")
    return found


class Virtuoso:
    """A private Virtuoso instance: its own database in `folder`, SQL and HTTP on free loopback ports."""

    def __init__(self, folder: Path, max_rows: int = 1000, buffers: int = 10000, query_mem: str = "200M"):
        self.folder, self.max_rows = Path(folder), max_rows
        self.buffers, self.query_mem = buffers, query_mem  # buffers of 8 KB; bench/remote_queries.py wants more
        self.proc: subprocess.Popen | None = None
        self.sql_port = self.http_port = 0
        self.password = "dba"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    query_url = property(lambda self: self.base + "/sparql")
    update_url = property(lambda self: self.base + "/sparql-auth")
    gsp_url = property(lambda self: self.base + "/sparql-graph-crud-auth")

    def start(self) -> Virtuoso:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        while self.http_port == self.sql_port:
            self.http_port = free_port()
        ini = self.folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(dir=self.folder, sql_port=self.sql_port, http_port=self.http_port,
                                           max_rows=self.max_rows, buffers=self.buffers,
                                           dirty=self.buffers * 3 // 5, query_mem=self.query_mem), encoding="utf-8")
        log = self.folder / "stdout.log"
        with open(log, "wb") as fh:
            self.proc = subprocess.Popen([virtuoso_command(), "-f", "-c", str(ini)], cwd=self.folder, stdout=fh,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            wait_until_answers(self.query_url + "?query=ASK%7B%7D", self.proc, self.folder / "virtuoso.log", 120,
                               "virtuoso-t")
        except BaseException:
            self.stop()
            raise
        return self

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL as dba through isql; its output. An error raises."""
        isql = shutil.which("isql-vt") or shutil.which("isql")
        if not isql:
            raise RuntimeError("isql-vt (virtuoso-opensource) is missing")
        done = subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", self.password, f"EXEC={sql}"],
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or "Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")  # not the SQL: it may hold a password
        return done.stdout

    def set_password(self, new: str) -> None:
        """Change dba's password (fresh databases start with dba/dba)."""
        self.isql(f"USER_CHANGE_PASSWORD('dba', '{self.password}', '{new}');")
        self.password = new

    def bulk_load(self, nquads: Path) -> None:
        """Load an N-Quads file with Virtuoso's bulk loader (ld_dir, rdf_loader_run), from a hard link (or a
        copy) inside the database folder, the one folder it may read."""
        data = self.folder / "data"
        data.mkdir(exist_ok=True)
        target = data / "load.nq"
        target.unlink(missing_ok=True)
        try:
            os.link(nquads, target)
        except OSError:
            shutil.copyfile(nquads, target)
        self.isql(f"ld_dir('{data}', 'load.nq', 'urn:x-unused'); rdf_loader_run(); checkpoint;", timeout=3600)
        errors = self.isql("SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        if "0 Rows" not in errors:
            raise RuntimeError(f"Virtuoso's bulk loader failed: {errors}")

    def stop(self) -> None:
        stop_pid(self.proc, grace=30)
        self.proc = None

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- a fault-injecting proxy -------------------------------------------------------------------------------

@dataclass
class Fault:
    """What to do with the next `times` requests matching method and path prefix.

    status: answer with this status (and headers/body) instead of forwarding;
    action: "swallow" (answer 204, forward nothing), "cut" (forward, then send half the body with the full
    Content-Length and close), "cut-no-length" (half the body, no Content-Length, close), "slow" (wait
    `seconds` before forwarding), "header" (forward, add `headers` to the answer)."""

    method: str
    path: str = "/"
    times: int = 1
    status: int | None = None
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    action: str | None = None
    seconds: float = 0.0


class Proxy:
    def __init__(self, upstream: str):
        parts = urllib.parse.urlsplit(upstream)
        self.host, self.upstream_port = parts.hostname, parts.port
        self.faults: list[Fault] = []
        self.log: list[tuple[str, str, int]] = []  # (method, path, status) per request received
        self.basic: tuple[str, str] | None = None  # require these credentials (Basic)
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def requests(self, method: str | None = None, path: str = "/") -> list[tuple[str, str, int]]:
        return [r for r in self.log if (method is None or r[0] == method) and r[1].startswith(path)]

    def _fault(self, method: str, path: str) -> Fault | None:
        with self.lock:
            for f in self.faults:
                if f.method == method and path.startswith(f.path) and f.times:
                    f.times -= 1
                    return f
        return None

    def start(self) -> Proxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            upstream_server = "proxy"

            def version_string(self):
                return self.upstream_server

            def log_message(self, *args):
                pass

            def _handle(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method, path = self.command, self.path
                if proxy.basic:
                    want = "Basic " + base64.b64encode(":".join(proxy.basic).encode()).decode()
                    if self.headers.get("Authorization") != want:
                        return self._answer(401, {"WWW-Authenticate": 'Basic realm="kg-test"'}, b"", method, path)
                fault = proxy._fault(method, path)
                if fault and fault.status:
                    return self._answer(fault.status, fault.headers, fault.body, method, path)
                if fault and fault.action == "swallow":
                    return self._answer(204, {}, b"", method, path)
                if fault and fault.action == "slow":
                    time.sleep(fault.seconds)
                conn = http.client.HTTPConnection(proxy.host, proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization", "connection")}
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                out = {k: v for k, v in resp.getheaders()
                       if k.lower() not in ("server", "content-length", "transfer-encoding", "connection", "date")}
                self.upstream_server = resp.getheader("Server") or "proxy"
                conn.close()
                if fault and fault.action == "header":
                    out.update(fault.headers)
                if fault and fault.action in ("cut", "cut-no-length"):
                    proxy.log.append((method, path, resp.status))
                    self.send_response(resp.status)
                    for k, v in out.items():
                        self.send_header(k, v)
                    if fault.action == "cut":
                        self.send_header("Content-Length", str(len(data)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self._answer(resp.status, out, data, method, path)

            def _answer(self, status, headers, data, method, path):
                proxy.log.append((method, path, status))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> Proxy:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
