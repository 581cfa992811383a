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
    """The N-Quads piece of one named graph from its (s, p, o) rdflib triples: its lines, sorted and distinct."""
    term = _Terms()
    lines = sorted({f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples})
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
            _write_all(dst, data)
            return
        offset, length = offset + n, length - n


def _write_all(fh, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[fh.write(view):]


_ESCAPES = {c: f"\\u{c:04X}" for c in list(range(0x20)) + [0x7F]}
_ESCAPES.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


class _Terms(dict):
    """rdflib terms written as N-Triples terms, the way Oxigraph writes them, each once per graph."""

    def __missing__(self, t) -> str:
        if isinstance(t, URIRef):
            if _NOT_IN_IRI.search(t):
                raise ValueError(f"not a valid IRI: {str(t)!r}")
            text = f"<{t}>"
        elif isinstance(t, Literal):
            text = '"' + str(t).translate(_ESCAPES) + '"'
            if t.language:
                text += "@" + t.language.lower()
            elif t.datatype is not None and str(t.datatype) != XSD_STRING:
                text += f"^^<{t.datatype}>"
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
    both are patched). Pieces come made (`add`),
    left in files by a worker (`place`), or from the previous generation (`copy`). With `loading`
    (store.Loading), what is written is handed to it for the store when asked (`hand_on`) and at `close`:
    N-Quads, and the union into the default graph (a triple stated in many graphs is stored once)."""

    UNION = ".union.nt"

    def __init__(self, folder: Path, previous: Path | None = None, old: Index | None = None, loading=None,
                 union: bool = True):
        self.folder = folder
        self.loading = loading
        self.handed = {"nq": 0, "union": 0}
        self.files = {fmt: open(folder / name, "wb", buffering=0) for fmt, name in FILES.items()}
        # unbuffered: pieces are copied in by the kernel; no union when the store and dossier.ttl are patched
        self.union = open(folder / self.UNION, "wb", buffering=0) if union else None
        self.old = old or Index()  # the index of `previous`, the generation copied from
        self.sources = {fmt: open(previous / name, "rb") for fmt, name in FILES.items()} \
            if previous is not None and self.old.entries else {}
        self.index = Index()
        self.first_jsonld = True
        _write_all(self.files["trig"], trig_head())
        _write_all(self.files["jsonld"], JSONLD_HEAD)

    def add(self, key: str, pieces: Pieces) -> None:
        entry = {"graph": pieces.graph}
        for fmt in FILES:
            entry[fmt] = self._append(fmt, getattr(pieces, fmt))
        if self.union:
            _write_all(self.union, ntriples(pieces.nq, pieces.graph))
        self.index.entries[key] = entry

    def place(self, key: str, placed: Placed) -> None:
        """The pieces a worker left in its batch's files, copied from there."""
        entry = {"graph": placed.graph}
        for fmt in PART_FILES:
            offset, length = placed.spans[fmt]
            with open(f"{placed.stem}.{fmt}", "rb") as src:
                if fmt == "union":
                    if self.union:
                        copy_range(src, self.union, offset, length)
                else:
                    entry[fmt] = self._append(fmt, src, offset, length)
        self.index.entries[key] = entry

    def copy(self, key: str) -> None:
        """The pieces of `key` copied from the previous generation's files, by the kernel."""
        old = self.old.entries[key]
        entry = {"graph": old["graph"]}
        for fmt in FILES:
            entry[fmt] = self._append(fmt, self.sources[fmt], *old[fmt])
        if self.union:
            _write_all(self.union, ntriples(self._old(key, "nq"), old["graph"]))
        self.index.entries[key] = entry

    def old_nquads(self, key: str) -> bytes:
        return self._old(key, "nq")

    def _old(self, key: str, fmt: str) -> bytes:
        offset, length = self.old.entries[key][fmt]
        fh = self.sources[fmt]
        fh.seek(offset)
        data = fh.read(length)
        if len(data) != length:
            raise OSError(f"{fh.name}: shorter than its index says")
        return data

    def _append(self, fmt: str, data, offset: int = 0, length: int | None = None) -> list[int]:
        """Append bytes, or `length` bytes of an open file from `offset`; the piece's [offset, length] here."""
        fh = self.files[fmt]
        length = len(data) if length is None else length
        if fmt == "jsonld" and length:
            if not self.first_jsonld:
                _write_all(fh, b",\n")
            self.first_jsonld = False
        at = fh.tell()
        if isinstance(data, bytes):
            _write_all(fh, data)
        else:
            copy_range(data, fh, offset, length)
        return [at, length]

    def hand_on(self) -> None:
        """Hand what was written since last time to `loading`. Best in few large parts: the store's background
        compactions rewrite what it holds after each load, so loading a block at a time while the rest of the
        build goes on cost 40 % more CPU (10,000 documents: ~105 CPU-s instead of ~67)."""
        if self.loading is None:
            return
        for name, fh, default_graph in (("nq", self.files["nq"], False), ("union", self.union, True)):
            if fh is not None and fh.tell() > self.handed[name]:
                self.loading.add(Path(fh.name), self.handed[name], fh.tell(), default_graph)
                self.handed[name] = fh.tell()

    def close(self) -> None:
        self.hand_on()
        _write_all(self.files["jsonld"], JSONLD_TAIL)
        for fh in [*self.files.values(), *([self.union] if self.union else [])]:
            os.fsync(fh.fileno())
            fh.close()
        for fh in self.sources.values():
            fh.close()
        (self.folder / Index.NAME).write_bytes(self.index.data())
