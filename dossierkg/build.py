"""The build: parse, resolve, then each document's unit (map, serialise, validate) on every core, then the
graphs across documents (links, provenance); the files are written by appending each graph's pieces, and
the store is loaded in bulk — or, after a small change, copied from the previous build and patched."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import URIRef

from .curation import load_instruments
from .export import clean_generations, current_generation, publish
from .iris import Minter, stem
from .links import Links, curated_triples, read_links, read_organisations
from .namespace import DEFAULT_BASE, DKG, RDF
from .packed import UNREADABLE
from .parse import parse_bytes
from .parse.decode import UnreadableInput, decode
from .passages import Reuse, Searched, answer_reuse, passage_reuse
from .paths import ONTOLOGY, SHAPES
from . import collector, packed, turtle
from .pieces import Index, Pieces, Writer, graph_nquads, ntriples, pieces_of, sort_unique
from .policy import instrument_triples
from .provenance import activity_triples, build_time, inputs_key, source_triples
from .records import Document, Problem
from .resolve import Quoted, resolve
from .store import STORE_DIR, Loading, StoreCopy, copy_store, patch_store, store_change, store_counts
from .timings import Timings
from .units import Context, Unit, can_fork, forked_pool, run_units, summarise, unit_key, unit_triples

OUTPUTS = {"trig": "dossier.trig", "ttl": "dossier.ttl", "nq": "dossier.nq", "jsonld": "dossier.jsonld"}
UNITS = ".units.pickle"  # in a generation: the pickled Unit of every key in its .pieces.json (packed)
SEARCHED = ".reuse.pickle"  # in a generation: (salt, what its searches for reuse and quotations found)
STAMP = ".inputs.pickle"  # in a generation: the stamp of the inputs it was built from, its counts and its summary
# (report, notes, graphs), three pickles one after another: a build reads only as far as it needs (_read_stamp)
PARSED = ".parsed.pickle"  # in a generation: its sources' parses, the pickle of (Document, text) by key, and the
# code that made them (packed)
PARTS = ".parts"  # in a generation being written: the pieces the workers left, until copied
Progress = Callable[[str, int, int], None]


@dataclass
class Source:
    """A source file: its bytes (dropped once parsed), their sha256, its time, and its text: decoded when
    first asked for, or given by the parse cache."""

    path: Path
    data: bytes
    mtime: float
    sha256: str
    decoded: str | None = None

    @property
    def text(self) -> str:
        if self.decoded is None:
            try:
                self.decoded = decode(self.data).text
            except UnreadableInput:
                self.decoded = ""
        return self.decoded


@dataclass
class Built:
    """What a build produced and wrote. `quads` is filled by build_graph (in memory) only; a build to disk
    counts resources and triples in its store."""

    documents: list[Document]
    quads: list[tuple]
    texts: dict[str, str]
    graphs: dict[str, URIRef]
    report: object | None = None
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: tuple[Counter, int] | None = None  # (resources by class, distinct triples) when built to disk
    timings: Timings = field(default_factory=Timings)  # where the time went
    reused: int = 0  # units whose pieces were copied from the previous build
    distrusted: str | None = None  # why the previous build's files could not be copied from, if they could not
    unchanged: bool = False  # every input as in the previous build: it was kept, nothing written

    @property
    def failed(self) -> list[Document]:
        return [d for d in self.documents if d.errors]

    def classes(self) -> Counter:
        if self.counts is not None:
            return self.counts[0]
        typed = {(s, o) for s, p, o, _ in self.quads if p == RDF.type and str(o).startswith(str(DKG._NS))}
        return Counter(str(o).rsplit("#", 1)[-1] for _, o in typed)

    def triple_count(self) -> int:
        if self.counts is not None:
            return self.counts[1]
        return len({(s, p, o) for s, p, o, _ in self.quads})


def read_sources(dossier: Path) -> list[Source]:
    out = []
    for path in sorted(dossier.glob("*.txt"), key=lambda p: p.name):  # (Paths compare slower: ~2 ms at 1,000)
        data = path.read_bytes()
        out.append(Source(path, data, path.stat().st_mtime, hashlib.sha256(data).hexdigest()))
    return out


def base_iri(base: str | None) -> str:
    return base or os.environ.get("DOSSIER_KG_BASE") or DEFAULT_BASE


def _parse_one(src: Source) -> bytes:
    """A source parsed: the pickle of (its Document, its text)."""
    return pickle.dumps((parse_bytes(src.data, src.path.name), src.text), protocol=pickle.HIGHEST_PROTOCOL)


def parse_all(sources: list[Source], kept: dict | None = None, progress: Progress | None = None
              ) -> tuple[list[Document], dict]:
    """Every source parsed, on every core when many, but for those `kept` (a previous build's parses, by
    "<sha256> <file name>") has; each source's text decoded. Returns the documents and the parses by key."""
    kept = kept or {}
    keys = [f"{s.sha256} {s.path.name}" for s in sources]
    todo = [i for i, key in enumerate(keys) if key not in kept]
    if can_fork(len(todo), 64):
        with forked_pool() as pool:
            made = pool.map(_parse_one, [sources[i] for i in todo], chunksize=16)
    else:
        made = [_parse_one(sources[i]) for i in todo]
    parses = {key: kept[key] for key in keys if key in kept}
    parses.update(zip((keys[i] for i in todo), made))
    docs = []
    with collector.paused():
        for src, key in zip(sources, keys):
            try:
                doc, src.decoded = pickle.loads(parses[key])
            except UNREADABLE:
                parses[key] = _parse_one(src)  # a damaged entry of the previous build: parsed again
                doc, src.decoded = pickle.loads(parses[key])
            docs.append(doc)
    if progress:
        progress("parse", len(sources), len(sources))
    return docs, parses


def prepare(sources: list[Source], docs: list[Document], minter: Minter, curation: Path | None,
            links: Path | None, quoted: Quoted | None = None) -> Context:
    """Resolution across documents (from the previous build's search for quotations, `quoted`, where given)
    and the curated instruments: what every document's unit reads."""
    texts = {s.path.name: s.text for s in sources}
    good = [d for d in docs if not d.errors]
    res = resolve(good, texts, quoted)
    instruments: dict = {}
    if curation is not None:
        concepts, found = load_instruments(curation, {d.source: texts[d.source] for d in good})
        instruments = instrument_triples(minter, concepts, found, texts, res.document_id, res.answer_set)
    curated = frozenset(minter._iri(link.entity) for link in read_links(links)[1]) \
        if links is not None and links.exists() else frozenset()
    contexts, everyone = contexts_of(good, res, {d.source: d.sha256 for d in good}), repr(sorted(curated))
    inputs = {d.source: inputs_key(d.sha256, contexts[d.source], repr(instruments.get(d.source, [])), everyone)
              for d in good}
    times = {s.path.name: build_time([(s.path.name, "", s.mtime)]) for s in sources}
    return Context(minter, good, texts, res, read_organisations(ONTOLOGY / "organisations.csv"), instruments,
                   curated, inputs, times)


def unit_keys(ctx: Context, salt: str) -> list[str]:
    return [unit_key(salt, d, ctx) for d in ctx.docs]


def contexts_of(docs: list[Document], res, shas: dict[str, str]) -> dict[str, str]:
    """What each document's triples depend on beyond its own bytes: the identities resolution gave it, the
    documents its references and quotations point to (and which of them are postponement notices), and the
    dates inferred across the dossier."""
    quoted: dict = {}
    for q in res.quotations:
        quoted.setdefault(q.source, []).append(q)
    targets: dict = {}
    for (src, span), t in res.targets.items():
        targets.setdefault(src, []).append((str(span), t))
    dates = repr(sorted((k, v[0], v[1], v[2].span) for k, v in res.inferred_dates.items()))
    out = {}
    for doc in docs:
        people = sorted({p.name for p in list(doc.submitters) + list(doc.answerers) if p.name})
        out[doc.source] = repr((
            res.question_set.get(doc.source), res.answer_set.get(doc.source), res.document_id.get(doc.source),
            [res.person(n) for n in people], sorted(targets.get(doc.source, [])), dates,
            sorted(res.notices.intersection([t for _, t in targets.get(doc.source, [])]
                                            + [f.reference for f in doc.footnotes if f.reference])),
            [(q.where, q.span, q.target, q.target_span, q.verbatim, shas.get(q.target))
             for q in quoted.get(doc.source, [])]))
    return out


@dataclass
class Made:
    """A graph across documents made again only when this changes: what it states (`Links` or `Reuse`) and the
    activity that made it, which it states too: named by what it states and the documents' graphs it names,
    which it used (so an edit changes only the activities of the graphs that name what the edit moved)."""

    what: Links | Reuse
    graph: URIRef
    activity: str  # its inputs_key
    used: list  # the documents' graphs
    time: object  # datetime

    def triples(self, minter: Minter, texts: dict[str, str]) -> list[tuple]:
        return self.what.triples(minter, texts) + activity_triples(minter, self.activity, self.used, [self.graph],
                                                                     self.time)


def global_graphs(ctx: Context, units: list[Unit], used: list, links: Path | None, curation: Path | None,
                  earlier: Searched | None = None, searched: dict | None = None, clock: Timings | None = None
                  ) -> tuple[dict[URIRef, list | Links | Made], dict[URIRef, bytes], list[str]]:
    """The graphs across documents: links (curated, and derived from the identifiers the documents print,
    each in the graph of the first document that prints it, with what the linked resources derive from in
    every document; as `Links`), text reuse (reused answers, reused and paraphrased sentences, as a `Reuse`
    per document of the first passage of each pair; from the previous build's searches for reuse, `earlier`,
    recorded in `searched`) and provenance:
    ({graph: its triples, or the curated Links, or a `Made`}, {graph: what it states, as bytes: the Links' or
    Reuse's key, with its activity's}, notes). Each derived links and text reuse graph states the activity
    that made it from the documents' graphs it names; the provenance graph the one that made the curated
    links from the documents' graphs and `links.csv`, and describes `instruments.json` and `links.csv`. An
    activity's IRI is made from what it used and what its graph states, so it changes only when one of them
    changes (`used`: the documents' files, for the activities' time)."""
    minter, clock = ctx.minter, clock or Timings()
    lg, pg = minter.graph("links"), minter.provenance_graph
    out: dict = {}
    notes: list[str] = []
    files = [(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
             for p in (links, curation) if p is not None and p.exists()]
    with clock.part("global.links"):
        derivations: dict = {}
        for u in units:
            for s, ds in u.derivations.items():
                derivations.setdefault(s, set()).update(ds)
        if links is not None and links.exists():
            known = {URIRef(k) for u in units for k in u.known}
            curated, notes = curated_triples(minter, links, known, links.name)
            out[lg] = Links(curated, [], {})
        printed: dict = {}  # (resource, identifier) -> the first document that prints it, whose graph states it
        for u in units:
            for pair in u.identifiers:
                printed.setdefault(tuple(pair), u.source)
        by_source: dict = defaultdict(list)
        for pair, source in printed.items():
            by_source[source].append(pair)
        for source, pairs in by_source.items():  # a graph per document: an edit that moves its spans changes
            linked = Links.of([], pairs, derivations)  # only the graphs that name them
            if linked:
                out[minter.links_graph(source)] = linked
    with clock.part("global.reuse"):
        passages_of = {u.source: u.passages for u in units if u.passages is not None}
        reused = Reuse(answer_reuse(minter, ctx.docs, ctx.res, passages_of, earlier, searched),
                       passage_reuse(ctx.docs, ctx.res, ctx.texts, passages_of, earlier, searched))
        for source, found in reused.by_source():
            out[minter.reuse_graph(source)] = found
    with clock.part("global.provenance"):
        stated = {g: t.key(ctx.texts) for g, t in out.items()}
        named = {stem(name): (name, sha, mtime) for name, sha, mtime in used}
        sources, graph_of = str(minter.source("")), {}
        for g, what in out.items():
            if g != lg:  # derived links and text reuse: each graph states the activity that made it
                stems = what.stems(sources) | {str(g).rsplit("/", 1)[1]}
                read = sorted(named[stem] for stem in stems if stem in named)
                graphs = [graph_of.get(name) or graph_of.setdefault(name, minter.graph(name)) for name, _, _ in read]
                key = inputs_key([str(d) for d in graphs], str(g), hashlib.sha256(stated[g]).hexdigest())
                out[g] = Made(what, g, key, graphs, build_time(read))
                stated[g] += repr((key, out[g].time.isoformat())).encode()
        graphs = sorted(URIRef(u.graph) for u in units)
        key = inputs_key([(name, sha) for name, sha, _ in files], [str(g) for g in graphs],
                         sorted((str(g), hashlib.sha256(b).hexdigest()) for g, b in stated.items() if g == lg))
        out[pg] = activity_triples(minter, key, graphs + [minter.source(name) for name, _, _ in files],
                                   [lg] if lg in out else [], build_time(list(used) + files))
        for name, sha, _ in files:
            out[pg] += source_triples(minter, name, sha)
    return out, stated, notes


def _global_pieces(ctx: Context, units: list[Unit], used: list, links: Path | None, curation: Path | None,
                   salt: str, previous: dict[str, Unit], earlier: Searched | None = None,
                   searched: dict | None = None, clock: Timings | None = None
                   ) -> tuple[list[tuple[Unit, Pieces | None]], list[str]]:
    """The graphs across documents serialised and validated: ([(unit, pieces)], notes). A graph's key is
    its IRI and what it states (its N-Quads; the links' and the reuse graphs' key) with the code and engine
    (`salt`); a graph the previous build made (`previous`) is not made or validated again: it keeps its unit,
    and its pieces are None (they are copied from that build). The graphs made are validated in one run."""
    clock = clock or Timings()
    extra, stated, notes = global_graphs(ctx, units, used, links, curation, earlier, searched, clock)
    made: list = []
    new: list = []  # (place in made, graph, key, triples, N-Quads)
    with clock.part("global.serialise"):  # (the triples of the links and reuse graphs made again, too)
        for g, triples in sorted(extra.items()):
            said = stated.get(g) or graph_nquads(triples, g)  # (the provenance graph's N-Quads)
            what = triples.what if isinstance(triples, Made) else triples
            kind = "reuse" if isinstance(what, Reuse) else "links" if isinstance(what, Links) else "graph"
            key = f"{kind} " + hashlib.sha256(f"{salt}\n{g}\n".encode() + said).hexdigest()  # (two may state alike)
            if key in previous:
                made.append((previous[key], None))
                continue
            if kind != "graph":  # its triples are made only when the previous build did not have them
                triples = triples.triples(ctx.minter, ctx.texts)
            new.append((len(made), g, key, triples, said if kind == "graph" else graph_nquads(triples, g)))
            made.append(None)
    results: dict = {}
    if ctx.engine and new:
        from .validate import validate_quads
        with clock.part("global.validate"):
            report = validate_quads([(s, p, o, g) for _, g, _, triples, _ in new for s, p, o in triples],
                                    ctx.shapes_graph(), engine=ctx.engine, parallel=1, report_graph=False,
                                    nquads=b"".join(nq for *_, nq in new) if ctx.engine == "fast" else None)
        for r in report.results:
            results.setdefault(r.graph, []).append(r)
    with clock.part("global.serialise"):
        for at, g, key, _, nq in new:
            made[at] = (Unit(key, "", str(g), nq.count(b"\n"), results=results.get(str(g), [])), pieces_of(nq, g))
    return made, notes


def _name_across(minter: Minter, links: str, graph: str) -> str:
    """The name in Built.graphs of a graph across documents: graaf/<name> (links: the links file's name)."""
    return links if graph == str(minter.graph("links")) else graph[len(str(minter.graph(""))):]


def _used(sources: list[Source], docs: list[Document]) -> list:
    return [(s.path.name, d.sha256, s.mtime) for s, d in zip(sources, docs) if not d.errors]


def build_graph(sources: list[Source], base: str | None = None, progress: Progress | None = None,
                curation: Path | None = None, links: Path | None = None) -> Built:
    """Parse, resolve and map in memory: the quads of every named graph plus the links and provenance graphs
    (what `build` writes, for tests and small tools)."""
    minter = Minter(base_iri(base))
    docs, _ = parse_all(sources, None, progress)
    ctx = prepare(sources, docs, minter, curation, links)
    quads: list[tuple] = []
    units, graphs = [], {}
    for doc in ctx.docs:
        g = minter.graph(doc.source)
        graphs[doc.source] = g
        triples = unit_triples(doc, ctx)
        quads += [(s, p, o, g) for s, p, o in triples]
        units.append(summarise("", doc.source, g, triples, ctx.curated, len(triples)))
    extra, _, notes = global_graphs(ctx, units, _used(sources, docs), links, curation)
    for g, triples in extra.items():
        if isinstance(triples, (Links, Made)):
            triples = triples.triples(minter, ctx.texts)
        quads += [(s, p, o, g) for s, p, o in triples]
        graphs[_name_across(minter, links.name if links is not None else "links", str(g))] = g
    return Built(docs, quads, ctx.texts, graphs, notes=notes)


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
        except (OSError, *UNREADABLE):
            return None

    def put(self, kind: str, value, *key) -> None:
        """Written to a temporary name, then renamed (not synced: a cache entry lost in a crash is made again,
        and a torn one does not unpickle)."""
        path = self._path(kind, *key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)


def _code_fingerprint() -> str:
    """The library's own source, its ontology tables and the shapes: a cache made by other code (or checked
    against other shapes) is never used."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")) + sorted(ONTOLOGY.glob("*.csv")) + sorted(SHAPES.glob("*.ttl")):
        h.update(path.read_bytes())
    return h.hexdigest()


def clean_leftovers(out: Path) -> list[Path]:
    """What a stopped build left behind, all under hidden names: generations never switched to, temporary
    links, cache entries being written, and what earlier versions left (the temporaries `.dossier.trig.*`,
    `.store.new`, `.store.old`, and their parse cache, `.cache/parse`: the parses are kept in each generation
    now). The next build removes them."""
    if not out.is_dir():
        return []
    removed = clean_generations(out)
    temps = [p for name in OUTPUTS.values() for p in out.glob(f".{name}.*")]
    temps += list((out / ".cache").glob("*/.*.pickle.*")) if (out / ".cache").is_dir() else []
    for path in temps:
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    for name in (NEXT_STORE, f".{STORE_DIR}.new", f".{STORE_DIR}.old", ".cache/parse"):
        if (out / name).is_dir():
            shutil.rmtree(out / name, ignore_errors=True)
            removed.append(out / name)
    return removed


NEXT_STORE = f".{STORE_DIR}.next"  # out/.store.next: the previous store being copied, to be patched
PATCH_AT_MOST = 0.25  # share of graphs changed up to which the previous store is copied and patched


def build(dossier: Path, out: Path, base: str | None = None, validate: bool = True,
          progress: Progress | None = None, engine: str = "fast") -> Built:
    """The whole build. Outputs are replaced only when every source was read, and all at once (export.publish:
    the files and the store are written into a new hidden generation, then one rename switches to it), so a
    build stopped at any point leaves the previous build whole, or the new one.

    A source whose bytes did not change is not parsed again (each generation keeps its sources' parses); a
    graph whose inputs did not change (the document, what resolution across documents gave it, the curation
    of its file) is not mapped or validated again: its pieces are copied from the previous generation's
    files, and when few graphs changed, the previous store is copied and only they are replaced in it."""
    if engine not in ("fast", "pyshacl"):
        raise ValueError(f"unknown validation engine {engine!r}; choose one of fast, pyshacl")
    with collector.frozen():  # what the build keeps to its end is frozen as it is made (gc.freeze below)
        return _build(dossier, out, base, validate, progress, engine)


def _build(dossier: Path, out: Path, base: str | None, validate: bool, progress: Progress | None,
           engine: str) -> Built:
    clock = Timings()
    clean_leftovers(out)
    sources = read_sources(dossier)
    minter = Minter(base_iri(base))
    memo = Memo(out / ".cache", minter.base)
    with collector.paused():  # till they are frozen: a collection would walk them all once more (1,000: ~10 ms)
        docs, parses = parse_all(sources, _parses(current_generation(out), memo.salt), progress)
        docs = [_named_apart(d) for d in docs]
        for src in sources:
            src.data = b""  # parsed, and decoded
        gc.freeze()  # the documents and texts: a full collection would walk them all (10,000: ~0.4 s each time)
    clock.mark("parse")
    texts = {s.path.name: s.text for s in sources}
    if any(d.errors for d in docs):
        return Built(docs, [], texts, {}, timings=clock)  # keep the previous build
    curation, links = dossier / "instruments.json", dossier / "links.csv"
    salt = f"{memo.salt} {engine if validate else None}"  # the code, the base IRI, the validation engine
    built = Built(docs, [], texts, {d.source: minter.graph(d.source) for d in docs}, timings=clock)
    built.written = sorted(out / name for name in OUTPUTS.values())
    stamp = inputs_stamp(salt, _used(sources, docs), links, curation)
    if _keep_unchanged(out, stamp, built):  # before resolution and the shapes: a build of nothing new is quick
        return built
    current = current_generation(out)
    # the copy of the previous store, to be patched, made by the other core while this one resolves
    early = StoreCopy(current / STORE_DIR, out / NEXT_STORE) if current and (current / STORE_DIR).is_dir() else None
    try:
        searches = _searches(current, salt)  # what the previous build's searches found
        quoted = searches.get("quotations")
        ctx = prepare(sources, docs, minter, curation, links, quoted if isinstance(quoted, Quoted) else None)
        if validate:
            ctx.shapes, ctx.engine = partial(_prepared_shapes, memo, engine), engine  # prepared when first wanted
        else:
            ctx.engine = None
        keys = unit_keys(ctx, salt)
        gc.freeze()  # the resolution
        clock.mark("resolve")

        def fill(gen: Path, previous: Path | None) -> list[str]:
            with ThreadPoolExecutor(1, thread_name_prefix="parsed") as meanwhile:
                parsed = meanwhile.submit(packed.write, gen / PARSED, parses, memo.salt)
                summary = _write_generation(gen, previous, ctx, keys, salt, built, _used(sources, docs), links,
                                            curation, searches if previous == current else _searches(previous, salt),
                                            progress, clock, early)
                (gen / STAMP).write_bytes(_pickled(stamp) + _pickled(built.counts) + summary)
                parsed.result()
            return list(OUTPUTS.values()) + [STORE_DIR, Index.NAME, UNITS, SEARCHED, STAMP, PARSED, turtle.CHUNKS]

        publish(out, {}, {}, fill)
        clock.mark("publish")  # the last files synced, the switch to the new generation, the previous one removed
    finally:
        if early is not None:
            early.close()  # (removed, unless a patched store was made of it)
    return built


ACROSS = {"links": "links", "hergebruik": "text reuse", "provenance": "provenance"}  # graaf/<name> of a build


def _named_apart(doc: Document) -> Document:
    """The document, with an error when its file's graph (and its IRI: bron/<stem>) would be one of the graphs
    across documents."""
    name = stem(doc.source)
    if name not in ACROSS:
        return doc
    problem = Problem(f"its graph would be graaf/{name}, the name of the build's {ACROSS[name]} graph: "
                      "rename the file", None, "error")
    return replace(doc, errors=doc.errors + (problem,))


def _prepared_shapes(memo: Memo, engine: str):
    """The shapes graph, compiled for the fast engine once, before the workers start; from the build's cache
    when this code made them before (parsing and compiling them take ~0.2 s), with its blank nodes."""
    kept = memo.get("shapes", engine)
    if isinstance(kept, tuple) and len(kept) == 2:
        shapes, program = kept
        if program is not None:
            from .fastshacl import adopt
            adopt(shapes, program)
        return shapes
    from .validate import shapes_graph
    shapes, program = shapes_graph(), None
    if engine == "fast":
        from .fastshacl import compile_shapes
        program = compile_shapes(shapes)
    memo.put("shapes", (shapes, program), engine)
    return shapes


def inputs_stamp(salt: str, used: list, links: Path | None, curation: Path | None) -> str:
    """What a build's outputs are made from: the code with its ontology tables and shapes, the base IRI and
    the engine (`salt`), the sources with their hashes and times, the links and curation files, and
    SOURCE_DATE_EPOCH (the build activity's time). Resolution and every unit's key follow from these."""
    extra = [(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
             for p in (links, curation) if p is not None and p.exists()]
    return hashlib.sha256(repr((salt, used, extra, os.environ.get("SOURCE_DATE_EPOCH"))).encode()).hexdigest()


def _keep_unchanged(out: Path, stamp: str, built: Built) -> bool:
    """When the current build of `out` was made from the same inputs (its stamp) and is whole, keep it: fill
    `built` with its counts, report and notes, and write nothing."""
    current = current_generation(out)
    if current is None or not all((out / name).exists() for name in [*OUTPUTS.values(), STORE_DIR]):
        return False  # (out/<name> links into the current generation)
    kept = _read_stamp(current, 1)
    if kept is None or kept[0] != stamp:
        return False
    kept = _read_stamp(current)
    if kept is None or not isinstance(kept[2], tuple) or len(kept[2]) != 3:
        return False
    built.counts, (built.report, built.notes, built.graphs) = kept[1:]
    built.unchanged = True
    return True


def _read_stamp(generation: Path, parts: int = 3) -> list | None:
    """The first `parts` of what a generation's STAMP holds (its stamp, counts, and (report, notes, graphs));
    None if they cannot be read."""
    try:
        with open(generation / STAMP, "rb") as fh, collector.paused():
            return [pickle.load(fh) for _ in range(parts)]
    except (OSError, *UNREADABLE):
        return None


def _pickled(thing) -> bytes:
    return pickle.dumps(thing, protocol=pickle.HIGHEST_PROTOCOL)


def _write_pickle(path: Path, thing) -> None:
    path.write_bytes(_pickled(thing))


def _unpickled(path: Path):
    """What a pickle file of the build holds (the collector paused: many objects, no cycles); None when it
    cannot be read."""
    try:
        with collector.paused():
            return pickle.loads(path.read_bytes())
    except (OSError, *UNREADABLE):
        return None


def _write_generation(gen: Path, previous: Path | None, ctx: Context, keys: list[str], salt: str, built: Built,
                      used: list, links: Path, curation: Path, searches: dict, progress: Progress | None,
                      clock: Timings, early: StoreCopy | None = None) -> bytes:
    """The files, index and store of a new generation, reusing what the previous one has for unchanged keys
    (`searches`: what its searches found; `early`: a copy of its store begun before); the build's summary
    pickled (report, notes, graphs) for its STAMP."""
    minter = ctx.minter
    old_index = Index.read(previous)
    built.distrusted = old_index.misfit(previous) if previous is not None and old_index.entries else None
    if built.distrusted:
        old_index = Index()
    order = sorted(range(len(ctx.docs)), key=lambda i: str(minter.graph(ctx.docs[i].source)))
    reusable = {keys[i] for i in order if keys[i] in old_index.entries}  # (a unit that cannot be read: made again)
    work = [(i, keys[i]) for i in order if keys[i] not in reusable]
    patch = (previous is not None and (previous / STORE_DIR).is_dir()
             and len(work) <= PATCH_AT_MOST * max(1, len(order)))
    store = None if patch else ox.Store(str(gen / STORE_DIR))
    if early is not None and not patch:
        early.close()  # not wanted: many graphs changed
    with ThreadPoolExecutor(1, thread_name_prefix="store") as thread, \
            Loading(store, count=str(DKG._NS)) if store is not None else nullcontext() as loading, \
            Writer(gen, previous, old_index, loading=loading, union=not patch) as writer:  # (all meanwhile)
        copied = thread.submit(_store_to_patch, previous, gen, early) if patch else None  # (meanwhile)
        units: list = []  # a Unit, or the key of one copied
        added: list[bytes] = []
        made = run_units(ctx, work, gen / PARTS, cpu=clock.cpu)
        for n, i in enumerate(order, 1):
            if keys[i] in reusable:
                writer.copy(keys[i])
                units.append(keys[i])  # its unit: below, while the thread copies
            else:
                writer.send()  # the copies so far go on meanwhile
                unit, placed = next(made)
                writer.place(unit.key, placed)
                units.append(unit)
                if patch:
                    added.append(placed.read("nq"))
            if progress:
                progress("map", n, len(order))
        writer.send()  # the copies of the graphs after the last changed one go on meanwhile
        for _ in made:  # none is left: the generator ends now, the last units made whole (their passages and
            pass  # validation) while the thread copies, the workers gone (not when it is collected: they hold memory)
        writer.hand_on()  # the store loads the documents' graphs while the graphs across documents are made
        writer.sync_so_far()
        old_pickles = _unit_pickles(previous, old_index)
        old_units = _unpickled_units(old_pickles)  # while the thread copies
        old_pickles = {k: old_pickles[k] for k in old_units}
        units = _units_kept(units, old_units, ctx, order, keys, gen)
        built.reused = len(reusable)
        clock.mark("units")
        results = [r for u in units for r in u.results]
        searched: dict = {"quotations": ctx.res.quoted}
        gc.freeze()  # the units too (build: collector.frozen)
        across, built.notes = _global_pieces(ctx, units, used, links, curation, salt, old_units,
                                             _earlier(searches, old_units), searched, clock)
        for unit, pieces in across:
            if pieces is None:
                writer.copy(unit.key)  # the previous build's: the store has it
            else:
                writer.add(unit.key, pieces)
                if unit.key not in writer.old.entries:
                    added.append(pieces.nq)
            results += unit.results
            built.graphs[_name_across(minter, links.name, unit.graph)] = URIRef(unit.graph)
        removed = [writer.old_nquads(k) for k in writer.old.entries if k not in writer.index.entries] if patch else []
        writer.close()
        packed.write(gen / UNITS, _pickled_units(units + [u for u, _ in across], old_pickles))
        _write_pickle(gen / SEARCHED, (salt, searched))
        if ctx.engine:
            from .validate import Report
            built.report = Report(not any(r.severity not in ("Warning", "Info") for r in results), results)
        clock.mark("global")
        if progress:
            progress("write", 1, 2)
        if patch:
            with clock.part("store.patch"):
                change = store_change(copied.result(), b"".join(removed), b"".join(added))
                left, joined = change.left, change.joined
                patch_store(copied.result(), change)  # here: a call per quad, each waiting for the GIL in a thread
            stored = thread.submit(copied.result().flush)
            with clock.part("turtle"):
                try:
                    turtle.patch(previous / OUTPUTS["ttl"], gen / OUTPUTS["ttl"], left, joined, sync=writer.sync)
                except (OSError, ValueError, KeyError, IndexError, TypeError, SyntaxError, turtle.Mismatch):
                    writer.wait()
                    _turtle_from_pieces(gen)  # the previous dossier.ttl has no chunks, or not its triples
            stored.result()
            copied = None  # the last reference to the copy: dropping it closes the store
        else:
            loading.no_more()
            loading.loaded.wait()  # the loads use both cores; the compaction after them one
            began = time.perf_counter()
            union = sort_unique(gen / Writer.UNION)  # each triple of the named graphs once, for dossier.ttl
            turtle.write(union, gen / OUTPUTS["ttl"])  # while the store is compacted
            union.unlink()
            clock.span("turtle", began, time.perf_counter())
        summary = _pickled((built.report, built.notes, built.graphs))  # (while the files are synced)
        writer.wait()  # the files copied and synced
    if store is not None:
        for name, (began, ended) in loading.spans.items():
            clock.span(f"store.{name}", began, ended)
        store.flush()
        del store
    (gen / Writer.UNION).unlink(missing_ok=True)
    clock.mark("store")
    counted = _counts_after(previous, left, joined) if patch else loading.counts  # None: no previous counts
    if counted is None:
        counted = store_counts(gen / STORE_DIR, str(DKG._NS))
    built.counts = (Counter(counted[0]), counted[1])
    clock.mark("counts")
    if progress:
        progress("store", 1, 1)
    return summary


_TYPE = f" <{RDF.type}> <{DKG._NS}".encode()


def _counts_after(previous: Path, left: set[bytes], joined: set[bytes]) -> tuple[Counter, int] | None:
    """The previous build's counts (resources by class, distinct triples) with the triples that left the
    union and those that joined it: what counting the patched store gives. None without previous counts."""
    kept = _read_stamp(previous, 2)
    try:
        classes, triples = kept[1]
        classes, triples = Counter(classes), triples + len(joined) - len(left)
    except (TypeError, ValueError):  # no stamp, or one without counts
        return None
    for lines, step in ((left, -1), (joined, 1)):
        for line in lines:
            at = line.find(_TYPE)
            if at > 0 and line.index(b" ") == at:  # the predicate is rdf:type, the class in the ontology
                classes[line[at + len(_TYPE):-4].decode()] += step  # the line ends in '> .\n'
    return +classes, triples


def _turtle_from_pieces(gen: Path) -> None:
    """dossier.ttl of the generation's N-Quads, graph by graph (the store would not do: it keeps literals in
    canonical form, "7"^^xsd:nonNegativeInteger as 7)."""
    union = gen / Writer.UNION
    with open(gen / OUTPUTS["nq"], "rb") as nq, open(union, "wb") as out:
        for entry in Index.read(gen).entries.values():
            nq.seek(entry["nq"][0])
            out.write(ntriples(nq.read(entry["nq"][1]), entry["graph"]))
    ordered = sort_unique(union)
    turtle.write(ordered, gen / OUTPUTS["ttl"])
    ordered.unlink()


def _store_to_patch(previous: Path, gen: Path, early: StoreCopy | None) -> ox.Store:
    """The previous generation's store copied into `gen`, writable: the copy begun `early` when it is of that
    store."""
    if early is not None and early.previous == previous / STORE_DIR:
        return early.take(gen / STORE_DIR)
    return copy_store(previous / STORE_DIR, gen / STORE_DIR)


def _unit_pickles(generation: Path | None, index: Index) -> dict[str, memoryview]:
    """The pickle of each unit of a generation whose pieces are indexed in it (a unit the next generation
    keeps is not pickled again: 10,000 documents' units took 2.6 s to pickle whole)."""
    kept = packed.read(generation / UNITS) if generation is not None else None
    if kept is None:
        return {}
    return {k: p for k, p in kept[1].items() if k in index.entries}


def _unpickled_units(pickles: dict[str, memoryview]) -> dict[str, Unit]:
    """The units of `pickles` (by key) but those that cannot be read."""
    out = {}
    with collector.paused():
        for key, data in pickles.items():
            try:
                unit = pickle.loads(data)
            except UNREADABLE:
                continue
            if isinstance(unit, Unit):
                out[key] = unit
        gc.freeze()  # before a collection walks them (build: collector.frozen)
    return out


def _units_kept(units: list, old: dict[str, Unit], ctx: Context, order: list[int], keys: list[str],
                gen: Path) -> list[Unit]:
    """`units` with the key of each unit whose pieces were copied replaced by its unit of the previous build;
    one whose pickle could not be read is made again (its pieces, made from the same inputs, stay copied)."""
    copied = {u for u in units if isinstance(u, str)}
    damaged = [(i, keys[i]) for i in order if keys[i] in copied and keys[i] not in old]
    if damaged:
        with closing(run_units(ctx, damaged, gen / PARTS)) as made:
            old = {**old, **{unit.key: unit for unit, _ in made}}
    return [old[u] if isinstance(u, str) else u for u in units]


def _pickled_units(units: list[Unit], pickles: dict[str, memoryview]) -> dict[str, bytes | memoryview]:
    """What UNITS holds: each unit's pickle by its key, taken from `pickles` (the previous generation's) when
    there (a key is made from everything its unit is made from)."""
    with collector.paused():
        return {u.key: pickles.get(u.key) or pickle.dumps(u, protocol=pickle.HIGHEST_PROTOCOL) for u in units}


def _parses(generation: Path | None, salt: str) -> dict[str, memoryview]:
    """The parses of a generation's sources, if the same code (`salt`) made them; empty otherwise."""
    kept = packed.read(generation / PARSED) if generation is not None else None
    return kept[1] if kept is not None and kept[0] == salt else {}


def _searches(generation: Path | None, salt: str) -> dict:
    """What the searches of a generation built by the same code (`salt`) found, by kind: "answers" and
    "sentences" (reuse.Found), "quotations" (resolve.Quoted); empty if there is none."""
    kept = _unpickled(generation / SEARCHED) if generation is not None else None
    if not isinstance(kept, tuple) or len(kept) != 2 or kept[0] != salt or not isinstance(kept[1], dict):
        return {}
    return kept[1]


def _earlier(found: dict, units: dict[str, Unit]) -> Searched | None:
    """The searches for reuse of a generation (`found`: its `_searches`), with its documents' passages
    (`units`: its units); None if there are none."""
    return Searched(found, {u.source: u.passages for u in units.values() if u.passages is not None}) \
        if found else None
