"""`kg serve`: serve the built store read-only over HTTP (Starlette on uvicorn).

What is served (see dossierkg/web/app.py for the routes): a SPARQL 1.1 Protocol endpoint at /sparql, the
query page at /query, the dossier overview at /, and every resource IRI under the build's base at
/id/<path>: https://w3id.org/dossier-kg/id/<path> is served as http://HOST:PORT/id/<path>.

Queries run in a small pool of worker processes (dossierkg/web/pool.py explains why processes), each
with the store open read-only; a query that passes the time limit is stopped by killing its worker.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from .namespace import DEFAULT_BASE
from .store import STORE_DIR

PROVENANCE_GRAPH = "graaf/provenance"


class ServeError(Exception):
    """The server cannot start (no store, a bad option)."""


def detect_base(store_dir: Path) -> str | None:
    """The base IRI the build used, read from the name of its provenance graph (<base>graaf/provenance)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(store_dir))
    try:
        for g in store.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value.endswith(PROVENANCE_GRAPH):
                return g.value[: -len(PROVENANCE_GRAPH)]
    finally:
        del store
    return None


def default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 2))


def settings_for(build: Path, dossier: Path, base: str | None, timeout: float, max_rows: int, workers: int | None,
                 cache_mb: int = 64):
    from .web.app import Settings

    store_dir = build / STORE_DIR
    if not store_dir.is_dir():
        raise ServeError(f"no store at {store_dir}: run `kg build` first (or give --build DIR)")
    if timeout <= 0:
        raise ServeError("--timeout must be more than 0 seconds")
    if max_rows < 1:
        raise ServeError("--max-rows must be at least 1")
    try:
        detected = detect_base(store_dir)
    except OSError as exc:
        raise ServeError(f"cannot open the store at {store_dir}: {str(exc).splitlines()[0]}") from None
    base = base or detected or os.environ.get("DOSSIER_KG_BASE") or DEFAULT_BASE
    if not base.endswith(("/", "#")):
        raise ServeError(f"--base must end with '/' or '#': {base!r}")
    return Settings(store=store_dir, dossier=dossier, base=base, timeout=timeout, max_rows=max_rows,
                    workers=workers or default_workers(), cache_mb=max(0, cache_mb))


def serve(settings, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the server until it is stopped (Ctrl-C, SIGTERM)."""
    import uvicorn

    from .web.app import create_app

    logging.basicConfig(level=log_level.upper(), format="%(message)s")
    shown = f"[{host}]" if ":" in host else host
    logging.getLogger("kg.serve").info(
        "kg serve: http://%s:%d/  SPARQL endpoint /sparql, query page /query; %s<path> is served at /id/<path>; "
        "%d workers, time limit %g s, row cap %d, answer cache %d MB", shown, port, settings.base, settings.workers,
        settings.timeout, settings.max_rows, settings.cache_mb)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5,
                server_header=False)
