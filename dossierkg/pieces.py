"""Each named graph's piece of the build's files, made once per graph and concatenated.

N-Quads, TriG and JSON-LD of a dataset whose quads are sorted by graph are the concatenation of one piece
per graph (after a header), so a graph is serialised where it is mapped (in a worker) and a build writes
its files by appending pieces in graph order. An index of where each piece lies in each file (offset,
length, and the key the piece was made from) is kept beside them, so the next build copies the pieces of
unchanged graphs from the previous files instead of making them again.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from . import collector
from .export import JSONLD_HEAD, JSONLD_TAIL, PREFIXES, jsonld_piece

FILES = {"nq": "dossier.nq", "trig": "dossier.trig", "jsonld": "dossier.jsonld"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Pieces:
    """One graph serialised: its piece of each file (N-Quads: its lines, sorted and distinct)."""

    graph: str
    nq: bytes
    trig: bytes
    jsonld: bytes

    @property
    def triples(self) -> int:
        return self.nq.count(b"\n")


def graph_pieces(triples, graph) -> Pieces:
    """The pieces of one named graph from its (s, p, o) rdflib triples."""
    return pieces_of(graph_nquads(triples, graph), graph)


def graph_nquads(triples, graph) -> bytes:
    """The N-Quads piece of one named graph from its (s, p, o) rdflib triples: its lines, sorted and distinct.
    A literal is written each time it is met (most are met once): looking it up would hash it in Python."""
    term = _Terms()
    lines = sorted({f"{term(s)} {term(p)} {_literal(o) if type(o) is Literal else term(o)} .\n"
                    for s, p, o in triples})
    return nquads("".join(lines).encode("utf-8"), str(graph))


def pieces_of(nq: bytes, graph) -> Pieces:
    """The pieces of one named graph from its N-Quads piece."""
    name = f"<{graph}>"
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    trig = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    trig = trig[trig.index(name.encode()):] if quads else b""
    return Pieces(str(graph), nq, trig, jsonld_piece(quads))


def ntriples(nq: bytes, graph: str) -> bytes:
    """The N-Triples lines of one graph's N-Quads piece."""
    return nq.replace(f" <{graph}> .\n".encode(), b" .\n")


def nquads(nt: bytes, graph: str) -> bytes:
    """N-Triples lines as N-Quads of one graph (an N-Triples line ends in " .\n", and nowhere else)."""
    return nt.replace(b" .\n", f" <{graph}> .\n".encode())


PART_FILES = (*FILES, "union")


@dataclass
class Placed:
    """A graph's pieces as a worker left them in the files of its batch (`stem`.nq, .trig, .jsonld, and .union:
    the piece's N-Triples): fmt -> [offset, length]. The build copies them from there, so the bytes never
    pass through the building process."""

    graph: str
    stem: str
    spans: dict[str, list[int]]

    def read(self, fmt: str) -> bytes:
        return read_range(f"{self.stem}.{fmt}", *self.spans[fmt])


def read_range(path: str | Path, offset: int, length: int) -> bytes:
    """`length` bytes of a file from `offset`: a piece."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read(length)


def write_part(stem: Path, made: list[Pieces]) -> list[Placed]:
    """The pieces of a batch written into files of their own, one per format, named `stem`.<format>."""
    spans: list[dict] = [{} for _ in made]
    for fmt in PART_FILES:
        with open(f"{stem}.{fmt}", "wb") as fh:
            for p, where in zip(made, spans):
                data = ntriples(p.nq, p.graph) if fmt == "union" else getattr(p, fmt)
                where[fmt] = [fh.tell(), len(data)]
                fh.write(data)
    return [Placed(p.graph, str(stem), where) for p, where in zip(made, spans)]


def remove_part(stem: str) -> None:
    for fmt in PART_FILES:
        Path(f"{stem}.{fmt}").unlink(missing_ok=True)


def copy_range(src, dst, offset: int, length: int) -> None:
    """`length` bytes of the open file `src` from `offset` appended to the open unbuffered file `dst`: by the
    kernel where it can (copy_file_range), else through a buffer."""
    while length > 0:
        try:
            n = os.copy_file_range(src.fileno(), dst.fileno(), length, offset)
        except OSError:
            n = 0
        if n <= 0:  # not supported here (or no progress): copy the rest through memory
            src.seek(offset)
            data = src.read(length)
            if len(data) != length:
                raise OSError(f"{src.name}: shorter than its index says")
            write_all(dst, data)
            return
        offset, length = offset + n, length - n


def write_all(fh, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[fh.write(view):]


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_TO_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')
_CONTROLS = {c: f"\\u{c:04X}" for c in list(range(0x20)) + [0x7F] if c not in (0x09, 0x0A, 0x0D)}
_CONTROLS.update({0x08: "\\b", 0x0C: "\\f"})
_RARE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _escaped(text: str) -> str:
    r"""A literal's text as N-Triples writes it between its quotes, as Oxigraph does (\\, \", \n, \r, \t, \b, \f,
    other controls as \u00XX). Most have nothing to escape, the rest mostly line breaks and quotes, which
    str.replace handles far quicker than str.translate."""
    if not _TO_ESCAPE.search(text):
        return text
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text.translate(_CONTROLS) if _RARE.search(text) else text


def _literal(t: Literal) -> str:
    """A literal as N-Triples writes it, as Oxigraph does (a language tag in lower case, no xsd:string)."""
    text = '"' + _escaped(str.__str__(t)) + '"'
    if t.language:
        return text + "@" + t.language.lower()
    if t.datatype is not None and str.__str__(t.datatype) != XSD_STRING:
        return text + f"^^<{t.datatype}>"
    return text


class _Terms(dict):
    """rdflib terms written as N-Triples terms, the way Oxigraph writes them, each once per graph."""

    def __missing__(self, t) -> str:
        if isinstance(t, URIRef):
            if _NOT_IN_IRI.search(t):
                raise ValueError(f"not a valid IRI: {str(t)!r}")
            text = f"<{t}>"
        elif isinstance(t, Literal):
            text = _literal(t)
        elif isinstance(t, BNode):
            text = f"_:{t}"
        else:
            raise TypeError(f"not an RDF term: {t!r}")
        self[t] = text
        return text

    __call__ = dict.__getitem__


def sort_unique(path: Path) -> Path:
    """The distinct lines of a file, sorted as bytes, in a sibling file: by `sort`, in bounded memory."""
    ordered = path.with_name(path.name + ".sorted")
    subprocess.run(["sort", "-u", "-S", "256M", "-T", str(path.parent), "-o", str(ordered), str(path)],
                   check=True, env=dict(os.environ, LC_ALL="C"))
    return ordered


@lru_cache(maxsize=1)
def trig_head() -> bytes:
    return b"".join(sorted(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in PREFIXES.items()))


@dataclass
class Index:
    """Where each graph's pieces lie in the files of a generation: key -> {graph, file: [offset, length]}."""

    entries: dict[str, dict] = field(default_factory=dict)

    NAME = ".pieces.json"

    @classmethod
    def read(cls, folder: Path | None) -> "Index":
        try:
            with collector.paused():
                entries = json.loads((folder / cls.NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            return cls()
        return cls(entries if isinstance(entries, dict) else {})

    def data(self) -> bytes:
        return (json.dumps(self.entries, sort_keys=True) + "\n").encode()

    def misfit(self, folder: Path) -> str | None:
        """Why the files of `folder` cannot hold the pieces indexed (one missing, or shorter than they need),
        or None when they can."""
        for fmt, name in FILES.items():
            try:
                need = max((e[fmt][0] + e[fmt][1] for e in self.entries.values()), default=0)
                size = (folder / name).stat().st_size
            except OSError:
                return f"{name} is missing"
            except (KeyError, IndexError, TypeError):
                return f"{self.NAME} is not an index of its pieces"
            if size < need:
                return f"{name} is shorter than {self.NAME} says"
        return None


class Writer:
    """Appends pieces to the files of a new generation, in the order given, and indexes them, and every
    graph's triples to .union.nt (for dossier.ttl and the store's default graph; not with `union=False`, when
    both are patched). Pieces come made (`add`), left in files by a worker (`place`), or from the previous
    generation (`copy`). With `loading` (store.Loading), what is written is handed to it for the store when
    asked (`hand_on`) and at `close`: N-Quads, and the union into the default graph (a triple stated in many
    graphs is stored once).

    Where a piece goes is known when it is given (after the pieces before it), so the index is made at once
    and the bytes are moved by a thread of the writer's own: the kernel's copies and, after `close`, the
    syncs to disk go on while the build does the rest (`wait` for them). Pieces that follow one another in
    the file they are copied from are copied in one go: after a small change, a few long runs."""

    UNION = ".union.nt"

    def __init__(self, folder: Path, previous: Path | None = None, old: Index | None = None, loading=None,
                 union: bool = True):
        self.folder = folder
        self.loading = loading
        self.handed = {"nq": 0, "union": 0}
        self.files = {fmt: open(folder / name, "wb", buffering=0) for fmt, name in FILES.items()}
        # unbuffered: pieces are copied in by the kernel; no union when the store and dossier.ttl are patched
        if union:
            self.files["union"] = open(folder / self.UNION, "wb", buffering=0)
        self.ends = dict.fromkeys(self.files, 0)  # the length of each file once the thread has written it all
        self.old = old or Index()  # the index of `previous`, the generation copied from
        self.sources = {fmt: open(previous / name, "rb") for fmt, name in FILES.items()} \
            if previous is not None and self.old.entries else {}
        self.index = Index()
        self.runs: dict[str, list] = {}  # file -> [source file, offset, length]: a copy not yet handed on
        self.batch: dict[str, dict] = {}  # the open files of the worker's batch being placed, by its stem
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="pieces")
        self.handed_on: list = []  # the futures of what the thread was given
        self.first_jsonld = True
        self._bytes("trig", trig_head())
        self._bytes("jsonld", JSONLD_HEAD)

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc) -> None:
        self.thread.shutdown(wait=True, cancel_futures=True)

    def add(self, key: str, pieces: Pieces) -> None:
        entry = {"graph": pieces.graph}
        for fmt in FILES:
            entry[fmt] = self._piece(fmt, getattr(pieces, fmt))
        if "union" in self.files:
            self._bytes("union", ntriples(pieces.nq, pieces.graph))
        self.index.entries[key] = entry

    def place(self, key: str, placed: Placed) -> None:
        """The pieces a worker left in its batch's files, copied from there (opened now: the batch's files
        are removed when the build goes on to the next batch, maybe before the thread copies them)."""
        if placed.stem not in self.batch:
            self._flush()
            self._submit(_close_all, [fh for files in self.batch.values() for fh in files.values()])
            self.batch = {placed.stem: {fmt: open(f"{placed.stem}.{fmt}", "rb") for fmt in PART_FILES}}
        files = self.batch[placed.stem]
        entry = {"graph": placed.graph}
        for fmt in PART_FILES:
            if fmt != "union":
                entry[fmt] = self._piece(fmt, files[fmt], *placed.spans[fmt])
            elif "union" in self.files:
                self._copy("union", files[fmt], *placed.spans[fmt])
        self.index.entries[key] = entry

    def copy(self, key: str) -> None:
        """The pieces of `key` copied from the previous generation's files, by the kernel."""
        old = self.old.entries[key]
        entry = {"graph": old["graph"]}
        for fmt in FILES:
            entry[fmt] = self._piece(fmt, self.sources[fmt], *old[fmt])
        if "union" in self.files:
            self._bytes("union", ntriples(self.old_nquads(key), old["graph"]))
        self.index.entries[key] = entry

    def old_nquads(self, key: str) -> bytes:
        """The N-Quads piece of `key` in the previous generation."""
        offset, length = self.old.entries[key]["nq"]
        data = os.pread(self.sources["nq"].fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"{self.sources['nq'].name}: shorter than its index says")
        return data

    def _piece(self, fmt: str, data, offset: int = 0, length: int | None = None) -> list[int]:
        """Append a piece: bytes, or `length` bytes of an open file from `offset`; its [offset, length] here.
        JSON-LD pieces are separated by ",\n": taken with the piece when the source has it just before."""
        size = length = len(data) if length is None else length
        if fmt == "jsonld" and length:
            if self.first_jsonld:
                self.first_jsonld = False
            elif self._continues(fmt, data, offset - 2) and os.pread(data.fileno(), 2, offset - 2) == b",\n":
                offset, length = offset - 2, length + 2
            else:
                self._bytes(fmt, b",\n")
        if isinstance(data, bytes):
            self._bytes(fmt, data)
        else:
            self._copy(fmt, data, offset, length)
        return [self.ends[fmt] - size, size]

    def _continues(self, fmt: str, source, offset: int) -> bool:
        run = self.runs.get(fmt)
        return run is not None and run[0] is source and run[1] + run[2] == offset

    def _copy(self, fmt: str, source, offset: int, length: int) -> None:
        if self._continues(fmt, source, offset):
            self.runs[fmt][2] += length
        elif length:
            self._flush(fmt)
            self.runs[fmt] = [source, offset, length]
        self.ends[fmt] += length

    def _bytes(self, fmt: str, data: bytes) -> None:
        self._flush(fmt)
        self._submit(write_all, self.files[fmt], data)
        self.ends[fmt] += len(data)

    def _flush(self, fmt: str | None = None) -> None:
        """Hand the copies not yet handed on (of one file, or all) to the thread."""
        for name in [fmt] if fmt else list(self.runs):
            run = self.runs.pop(name, None)
            if run is not None:
                self._submit(copy_range, run[0], self.files[name], run[1], run[2])

    def send(self) -> None:
        """Hand the copies gathered so far to the thread (before the build waits for something else)."""
        self._flush()

    def _submit(self, fn, *args) -> None:
        self.handed_on.append(self.thread.submit(fn, *args))

    def sync_so_far(self) -> None:
        """Start writing to disk what the files hold so far, in the thread (then the sync at `close` has
        only the rest to write, while the build goes on)."""
        self._flush()
        self._submit(_sync_all, [fh for fmt, fh in self.files.items() if fmt in FILES])

    def sync(self, fh) -> None:
        """Sync an open file to disk, and close it, in the thread."""
        self._submit(_sync_all, [fh])
        self._submit(_close_all, [fh])

    def wait(self) -> None:
        """Until the thread has done all it was given; raises what failed there."""
        self._flush()
        for future in self.handed_on:
            future.result()
        self.handed_on = []

    def hand_on(self) -> None:
        """Hand what was written since last time to `loading`. Best in few large parts: the store's background
        compactions rewrite what it holds after each load, so loading a block at a time while the rest of the
        build goes on cost 40 % more CPU (10,000 documents: ~105 CPU-s instead of ~67)."""
        if self.loading is None:
            return
        self.wait()
        for name, default_graph in (("nq", False), ("union", True)):
            if name in self.files and self.ends[name] > self.handed[name]:
                self.loading.add(Path(self.files[name].name), self.handed[name], self.ends[name], default_graph)
                self.handed[name] = self.ends[name]

    def close(self) -> None:
        """The files completed, their index written; the thread then syncs them to disk (`wait` for it)."""
        self._bytes("jsonld", JSONLD_TAIL)
        self.hand_on()
        self._flush()
        opened = [*self.files.values(), *self.sources.values(),
                  *(fh for files in self.batch.values() for fh in files.values())]
        self._submit(_sync_all, [fh for fmt, fh in self.files.items() if fmt in FILES])  # (not the union: a temporary)
        self._submit(_close_all, opened)
        (self.folder / Index.NAME).write_bytes(self.index.data())


def _sync_all(files) -> None:
    for fh in files:
        os.fsync(fh.fileno())


def _close_all(files) -> None:
    for fh in files:
        fh.close()
