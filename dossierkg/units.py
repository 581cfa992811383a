"""A document's unit of work: its named graph's triples, their pieces of the build's files, their SHACL
results, and the few facts the build needs across documents (identifiers, curated entities, passages).

Units run in batches on every core (forked worker processes that share the parsed documents); a batch is
validated at once, since shapes only relate resources within one source's graph.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .links import organisation_triples
from .mapping import map_document
from .namespace import DCTERMS, DKG, PROV, RDF
from .passages import document_passages
from .pieces import Pieces, Placed, graph_pieces, remove_part, write_part
from .policy import legal_triples
from .provenance import activity_triples, source_triples
from .timings import cpu_part

BATCH = 100  # documents validated together: each validation run has a fixed cost (~200 queries)
INLINE_BELOW = 48  # fewer units than this run in this process (starting workers costs more)


@dataclass
class Context:
    """What every unit reads: the minter, the parsed documents and their texts, the resolution across
    documents, curated instrument triples per file, the entities the curated links name, and per file what
    its graph is made from (provenance.inputs_key) and the time of the activity that makes it."""

    minter: object
    docs: list
    texts: dict
    res: object
    organisations: list
    instruments: dict
    curated: frozenset
    inputs: dict = field(default_factory=dict)
    times: dict = field(default_factory=dict)
    shapes: object = None  # the shapes graph, or a function that prepares it (called when first wanted)
    engine: str | None = "fast"

    def shapes_graph(self):
        """The shapes graph, prepared now if it was not yet."""
        if callable(self.shapes):
            self.shapes = self.shapes()
        return self.shapes


@dataclass
class Unit:
    """What the build keeps of a document's unit once its pieces are written."""

    key: str
    source: str
    graph: str
    triples: int
    identifiers: list = field(default_factory=list)  # (resource, identifier)
    derivations: dict = field(default_factory=dict)  # resource with an identifier -> what it derives from
    known: list = field(default_factory=list)  # curated entities among this graph's subjects
    results: list = field(default_factory=list)  # validation.Result of this graph
    passages: object = None  # passages.document_passages of the document


def unit_key(salt: str, doc, ctx: Context) -> str:
    """What a document's unit is made from: its inputs, its activity's time and the code (`salt`)."""
    return hashlib.sha256(repr((salt, ctx.inputs[doc.source], ctx.times[doc.source])).encode()).hexdigest()


def unit_triples(doc, ctx: Context) -> list[tuple]:
    """The triples of a document's named graph: its source file, the activity that made the graph from it,
    and what was read from it."""
    text, minter = ctx.texts[doc.source], ctx.minter
    triples = source_triples(minter, doc.source, doc.sha256)
    triples += activity_triples(minter, ctx.inputs[doc.source], [minter.source(doc.source)],
                                [minter.graph(doc.source)], ctx.times[doc.source])
    triples += map_document(doc, text, ctx.res, ctx.minter, ctx.texts)
    triples += legal_triples(ctx.minter, doc.source, text)
    triples += organisation_triples(ctx.minter, ctx.organisations, doc.source, text)
    triples += ctx.instruments.get(doc.source, [])
    return triples


_TYPE, _SOURCE_FILE = frozenset([RDF.type]), frozenset([DKG.SourceFile])
_IDENTIFIER, _DERIVED_FROM = frozenset([DCTERMS.identifier]), frozenset([PROV.wasDerivedFrom])


def summarise(key: str, source: str, graph: URIRef, triples: list[tuple], curated: frozenset, count: int) -> Unit:
    """The unit of a document's graph: its identifiers (what it states as dcterms:identifier, but of its
    file: a file's name is not an identifier it prints) and their derivations, the curated entities it names.
    One pass, each predicate looked up `in` a set: rdflib's == and a literal's hash are slow."""
    files, named, derived, known = set(), [], [], set()
    for s, p, o in triples:
        if p in _TYPE:
            if o in _SOURCE_FILE:
                files.add(s)
        elif p in _IDENTIFIER:
            named.append((s, o))
        elif p in _DERIVED_FROM:
            derived.append((s, o))
        if s in curated:
            known.add(str(s))
    idents = sorted({(str(s), str(o)) for s, o in named if s not in files})
    with_ident = {s for s, _ in idents}
    derivations: dict = {}
    for s, o in derived:
        if str(s) in with_ident:
            derivations.setdefault(str(s), set()).add(str(o))
    return Unit(key, source, str(graph), count, idents, {k: sorted(v) for k, v in derivations.items()}, sorted(known))


_CTX: Context | None = None  # the context of the running build, inherited by forked workers
_PARTS: Path | None = None  # the folder where batches leave their pieces


def _run_batch(batch: list[tuple[int, str]]) -> tuple[list[tuple[Unit, Placed]], Counter]:
    """The units of a batch, and the CPU seconds of each part of their work."""
    made, quads, cpu = _mapped(batch)
    _finish(batch, made, quads, cpu)
    return _written(batch, made, cpu), cpu


def _mapped(batch: list[tuple[int, str]]) -> tuple[list[tuple[Unit, Pieces]], list[tuple], Counter]:
    """The units of a batch mapped and serialised, without their passages and validation results (`_finish`):
    ([(unit, pieces)], the quads, the CPU seconds of each part of the work)."""
    ctx = _CTX
    cpu: Counter = Counter()
    made = []
    quads = []
    for i, key in batch:
        doc = ctx.docs[i]
        graph = ctx.minter.graph(doc.source)
        with cpu_part(cpu, "units.map"):
            triples = unit_triples(doc, ctx)
        with cpu_part(cpu, "units.serialise"):
            pieces = graph_pieces(triples, graph)
        with cpu_part(cpu, "units.map"):
            made.append((summarise(key, doc.source, graph, triples, ctx.curated, pieces.triples), pieces))
            quads += [(s, p, o, graph) for s, p, o in triples]
    return made, quads, cpu


def _written(batch: list[tuple[int, str]], made: list[tuple[Unit, Pieces]], cpu: Counter
             ) -> list[tuple[Unit, Placed]]:
    """The units of a batch with where their pieces were written (a file of the batch's own, in _PARTS)."""
    with cpu_part(cpu, "units.write"):
        placed = write_part(_PARTS / f"{batch[0][0]:06d}", [p for _, p in made])
    return [(unit, where) for (unit, _), where in zip(made, placed)]


def _finish(batch: list[tuple[int, str]], made: list[tuple[Unit, Pieces]], quads: list[tuple],
            cpu: Counter) -> None:
    """The `_mapped` units of a batch given their passages and the results of validating their graphs."""
    ctx = _CTX
    for (i, _), (unit, _) in zip(batch, made):
        with cpu_part(cpu, "units.passages"):
            unit.passages = document_passages(ctx.docs[i], ctx.texts[unit.source])
    if ctx.engine:
        from .validate import validate_quads
        with cpu_part(cpu, "units.validate"):
            report = validate_quads(quads, ctx.shapes_graph(), engine=ctx.engine, parallel=1, report_graph=False,
                                    nquads=b"".join(p.nq for _, p in made) if ctx.engine == "fast" else None)
        by_graph: dict = {}
        for r in report.results:
            by_graph.setdefault(r.graph, []).append(r)
        for unit, _ in made:
            unit.results = by_graph.get(unit.graph, [])


def can_fork(items: int, at_least: int) -> bool:
    return items >= at_least and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def forked_pool(workers: int | None = None, tasks_per_worker: int | None = None):
    """A pool of forked workers (one per core, at most 8) that inherit this process's objects. The objects
    are frozen first (gc.freeze): the collector never scans them in the workers, so their pages stay shared.
    In the workers the cyclic collector is off: parsing and units leave no garbage in cycles (a test checks),
    and its passes over what a batch holds took ~10 % of their CPU. With `tasks_per_worker`, a worker is
    replaced after that many tasks (what it freed goes back to the system)."""
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers or min(os.cpu_count() or 1, 8), initializer=gc.disable,
                                                       maxtasksperchild=tasks_per_worker) as pool:
            yield pool
    finally:
        gc.unfreeze()


def run_units(ctx: Context, work: list[tuple[int, str]], parts: Path, workers: int | None = None,
              cpu: Counter | None = None):
    """Yield (Unit, Placed) for each (document index, key) of `work`, in order. Workers leave the pieces
    in files in the folder `parts` (pieces.write_part), a batch's removed when the caller asks for what follows
    its last unit; the folder when the generator ends or is closed. A batch made in this process (few units)
    is yielded before its passages and validation are made, when the caller asks for what follows (its pieces
    are written meanwhile): the units are whole when the generator has ended. The CPU seconds of each part of
    the units' work are added to `cpu`."""
    global _CTX, _PARTS
    batches = [work[i:i + BATCH] for i in range(0, len(work), BATCH)]
    _CTX, _PARTS = ctx, parts
    parts.mkdir(exist_ok=True)
    inline = not can_fork(len(work), INLINE_BELOW) or workers == 1
    try:
        if inline:
            for batch in batches:
                made, quads, spent = _mapped(batch)
                yield from _handed_on(_written(batch, made, spent))
                _finish(batch, made, quads, spent)
                if cpu is not None:
                    cpu.update(spent)
            return
        if ctx.engine:
            ctx.shapes_graph()  # before the workers are forked
        with forked_pool(workers, tasks_per_worker=8) as pool:
            for made, spent in pool.imap(_run_batch, batches):
                if cpu is not None:
                    cpu.update(spent)
                yield from _handed_on(made)
    finally:
        _CTX = _PARTS = None
        shutil.rmtree(parts, ignore_errors=True)  # with what batches still in flight when stopped left


def _handed_on(made: list[tuple[Unit, Placed]]):
    """Yield a batch's units; its pieces' file is removed when the caller asks for what follows."""
    try:
        yield from made
    finally:
        remove_part(made[0][1].stem)
