"""The embedded store: Oxigraph on disk under build/store, replaced as a whole after a successful load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

STORE_DIR = "store"


def load_store(out: Path, nquads: bytes) -> Path:
    """Bulk-load N-Quads into a fresh store next to the current one, then swap it in."""
    target = out / STORE_DIR
    fresh = out / f".{STORE_DIR}.new"
    old = out / f".{STORE_DIR}.old"
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    store = ox.Store(str(fresh))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    if old.exists():
        shutil.rmtree(old)
    return target


def open_store(out: Path, read_only: bool = True) -> ox.Store:
    path = out / STORE_DIR
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: run `kg build` first")
    return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))


def remote_select(endpoint: str, query: str, timeout: float = 30.0):
    """Run a query on a SPARQL 1.1 endpoint through SPARQLWrapper; results as Results."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    from .queries import QueryError
    from .results import Results

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    try:
        data = client.queryAndConvert()
    except SPARQLWrapperException as exc:
        raise QueryError(f"{endpoint}: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise QueryError(f"{endpoint}: cannot reach the endpoint: {exc}") from None
    if not isinstance(data, dict):
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON results")
    return Results.from_json(data)
