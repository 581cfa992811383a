"""The build: parse, resolve, map, validate, then write the exports atomically and load the store."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rdflib import URIRef

from .curation import load_instruments
from .export import clean_generations, publish, serialise_all, write_atomically
from .iris import Minter
from .links import curated_triples, derived_triples, organisation_triples, read_organisations
from .mapping import map_document
from .namespace import DEFAULT_BASE, DKG, RDF
from .parse import parse_bytes
from .parse.decode import UnreadableInput, decode
from .paths import ONTOLOGY
from .policy import instrument_triples, legal_triples
from .provenance import activity_triples
from .records import Document
from .resolve import resolve
from .passages import passage_triples, reuse_triples
from .store import STORE_DIR, create_store

OUTPUTS = {"trig": "dossier.trig", "ttl": "dossier.ttl", "nq": "dossier.nq", "jsonld": "dossier.jsonld"}
Progress = Callable[[str, int, int], None]


@dataclass
class Source:
    path: Path
    data: bytes
    text: str
    mtime: float


@dataclass
class Built:
    """What a build produced (in memory) and wrote."""

    documents: list[Document]
    quads: list[tuple]
    texts: dict[str, str]
    graphs: dict[str, URIRef]
    report: object | None = None
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Document]:
        return [d for d in self.documents if d.errors]

    def classes(self) -> Counter:
        typed = {(s, o) for s, p, o, _ in self.quads if p == RDF.type and str(o).startswith(str(DKG._NS))}
        return Counter(str(o).rsplit("#", 1)[-1] for _, o in typed)

    def triple_count(self) -> int:
        return len({(s, p, o) for s, p, o, _ in self.quads})


def read_sources(dossier: Path) -> list[Source]:
    out = []
    for path in sorted(dossier.glob("*.txt")):
        data = path.read_bytes()
        try:
            text = decode(data).text
        except UnreadableInput:
            text = ""
        out.append(Source(path, data, text, path.stat().st_mtime))
    return out


def base_iri(base: str | None) -> str:
    return base or os.environ.get("DOSSIER_KG_BASE") or DEFAULT_BASE


def build_graph(sources: list[Source], base: str | None = None, progress: Progress | None = None,
                curation: Path | None = None, links: Path | None = None, cache: Path | None = None) -> Built:
    """Parse, resolve and map: the quads of every named graph plus the provenance graph.

    With a cache folder, a source whose bytes did not change is not parsed again, and a document whose bytes
    and cross-document context (identities, references, quotations) did not change is not mapped again."""
    minter = Minter(base_iri(base))
    memo = Memo(cache, minter.base) if cache else None
    docs = []
    for i, src in enumerate(sources, 1):
        doc = memo.get("parse", src.data, src.path.name) if memo else None
        if doc is None:
            doc = parse_bytes(src.data, src.path.name)
            if memo:
                memo.put("parse", doc, src.data, src.path.name)
        docs.append(doc)
        if progress:
            progress("parse", i, len(sources))
    texts = {s.path.name: s.text for s in sources}
    good = [d for d in docs if not d.errors]
    res = resolve(good, texts)
    quads: list[tuple] = []
    graphs: dict[str, URIRef] = {}
    organisations = read_organisations(ONTOLOGY / "organisations.csv")
    for i, doc in enumerate(good, 1):
        g = minter.graph(doc.source)
        graphs[doc.source] = g
        context = (doc.sha256, context_of(doc, res, {d.source: d.sha256 for d in good}))
        triples = memo.get("map", *context) if memo else None
        if triples is None:
            triples = map_document(doc, texts[doc.source], res, minter, texts)
            triples += legal_triples(minter, doc.source, texts[doc.source])
            triples += organisation_triples(minter, organisations, doc.source, texts[doc.source])
            if memo:
                memo.put("map", triples, *context)
        quads.extend((s, p, o, g) for s, p, o in triples)
        if progress:
            progress("map", i, len(good))
    if curation is not None:
        concepts, instruments = load_instruments(curation, {d.source: texts[d.source] for d in good})
        per_file = instrument_triples(minter, concepts, instruments, texts, res.document_id, res.answer_set)
        for name, triples in sorted(per_file.items()):
            quads.extend((s, p, o, graphs[name]) for s, p, o in triples)
    used = [(s.path.name, d.sha256, s.mtime) for s, d in zip(sources, docs) if not d.errors]
    notes: list[str] = []
    lg = minter.graph("links")
    derived = derived_triples(minter, quads)
    if links is not None and links.exists():
        known = {s for s, *_ in quads}
        curated, notes = curated_triples(minter, links, known, links.name)
        quads.extend((s, p, o, lg) for s, p, o in curated)
        used.append((links.name, hashlib.sha256(links.read_bytes()).hexdigest(), links.stat().st_mtime))
        graphs[links.name] = lg
    if derived:
        quads.extend((s, p, o, lg) for s, p, o in derived)
        graphs.setdefault(links.name if links is not None else "links", lg)
    if curation is not None and curation.exists():
        used.append((curation.name, hashlib.sha256(curation.read_bytes()).hexdigest(), curation.stat().st_mtime))
    activity, prov = activity_triples(minter, used, list(graphs.values()))
    pg = minter.provenance_graph
    quads.extend((s, p, o, pg) for s, p, o in prov)
    quads.extend((s, p, o, pg) for s, p, o in reuse_triples(minter, good, res, texts, activity))
    quads.extend((s, p, o, pg) for s, p, o in passage_triples(minter, good, res, texts, activity))
    return Built(docs, quads, texts, graphs, notes=notes)


def context_of(doc: Document, res, shas: dict[str, str]) -> str:
    """What a document's triples depend on beyond its own bytes: the identities resolution gave it and the
    documents its references and quotations point to."""
    people = sorted({p.name for p in list(doc.submitters) + list(doc.answerers) if p.name})
    quoted = [q for q in res.quotations if q.source == doc.source]
    targets = sorted((str(span), t) for (src, span), t in res.targets.items() if src == doc.source)
    return repr((res.question_set.get(doc.source), res.answer_set.get(doc.source), res.document_id.get(doc.source),
                 [res.person(n) for n in people], targets,
                 sorted((k, v[0], v[1], v[2].span) for k, v in res.inferred_dates.items()),
                 [(q.where, q.span, q.target, q.target_span, q.verbatim, shas.get(q.target)) for q in quoted]))


class Memo:
    """A pickle per key in the build's cache folder, keyed also by the code that made it."""

    def __init__(self, folder: Path, base: str):
        self.folder = folder
        self.salt = _code_fingerprint() + base

    def _path(self, kind: str, *key) -> Path:
        digest = hashlib.sha256(repr((self.salt,) + key).encode()).hexdigest()
        return self.folder / kind / f"{digest}.pickle"

    def get(self, kind: str, *key):
        path = self._path(kind, *key)
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, kind: str, value, *key) -> None:
        path = self._path(kind, *key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically({path: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)})


def _code_fingerprint() -> str:
    """The library's own source: a cache made by other code is never used."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")) + sorted((ONTOLOGY).glob("*.csv")):
        h.update(path.read_bytes())
    return h.hexdigest()


def clean_leftovers(out: Path) -> list[Path]:
    """What a stopped build left behind, all under hidden names: generations never switched to, temporary
    links, cache entries being written, and the temporaries of earlier versions (`.dossier.trig.*`,
    `.store.new`, `.store.old`). The next build removes them."""
    if not out.is_dir():
        return []
    removed = clean_generations(out)
    temps = [p for name in OUTPUTS.values() for p in out.glob(f".{name}.*")]
    temps += list((out / ".cache").glob("*/.*.pickle.*")) if (out / ".cache").is_dir() else []
    for path in temps:
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    for name in (f".{STORE_DIR}.new", f".{STORE_DIR}.old"):
        if (out / name).is_dir():
            shutil.rmtree(out / name, ignore_errors=True)
            removed.append(out / name)
    return removed


def build(dossier: Path, out: Path, base: str | None = None, validate: bool = True,
          progress: Progress | None = None, engine: str = "fast") -> Built:
    """The whole build. Outputs are replaced only when every source was read, and all at once (export.publish:
    the files and the store are written into a new hidden generation, then one rename switches to it), so a
    build stopped at any point leaves the previous build whole, or the new one."""
    clean_leftovers(out)
    built = build_graph(read_sources(dossier), base, progress, dossier / "instruments.json", dossier / "links.csv",
                        cache=out / ".cache")
    if validate:
        from .validate import validate_quads
        built.report = validate_quads(built.quads, engine=engine)  # engine "pyshacl": pySHACL itself
        if progress:
            progress("validate", 1, 1)
    if built.failed:
        return built  # keep the previous build: a source could not be read
    data = serialise_all(built.quads, list(OUTPUTS) + ["nt"])
    files = {out / name: data[fmt] for fmt, name in OUTPUTS.items()}
    if progress:
        progress("write", 1, 2)
    publish(out, {path.name: content for path, content in files.items()},
            {STORE_DIR: lambda path: create_store(path, data["nq"], union=data["nt"])})
    built.written = sorted(files)
    if progress:
        progress("store", 1, 1)
    return built
