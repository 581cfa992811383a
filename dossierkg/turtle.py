"""dossier.ttl: the union of the named graphs, each triple once, in N-Triples order, as Turtle — written in
chunks of subjects, so a build after a small change makes again only the chunks whose triples changed.

A chunk starts at the first triple, and at each subject whose CRC-32 ends in four zero bits: where chunks start
depends only on the subjects there are, so a patched file cuts them where a full build does. Oxigraph's Turtle
of consecutive chunks is the Turtle of the whole (each subject's statements end with " ." before the next), so
the file is the same either way; where each chunk lies is kept beside it (`CHUNKS`).
"""

from __future__ import annotations

import bisect
import json
import os
import zlib
from pathlib import Path

import pyoxigraph as ox

from .export import PREFIXES
from .pieces import copy_range, trig_head, write_all

CHUNKS = ".ttl.json"  # in a generation: [first subject, offset, length] of each chunk of dossier.ttl
MASK = 15  # a chunk starts at about one subject in 16 (after a small change, ~15 chunks are made again)


class Mismatch(Exception):
    """The previous file does not hold what the patch removes from it."""


def write(ntriples: Path, target: Path) -> None:
    """dossier.ttl (`target`) of a sorted N-Triples file without repeated lines, and its chunks beside it;
    read a chunk at a time."""
    with open(ntriples, "rb") as lines:
        _write(target, ((None, _turtle(chunk), _subject(chunk)) for chunk in _chunks(lines)))


def patch(previous: Path, target: Path, removed: set[bytes], added: set[bytes], sync=None) -> None:
    """dossier.ttl (`target`) from the previous build's (`previous`, with its chunks beside it) with the
    N-Triples lines `removed` taken out of the union and `added` put in: the chunks they fall in are made
    again (with the one before when a chunk's first subject is gone), the others copied (by the kernel, a run
    at a time). The file is synced to disk here, or handed open to `sync`, which syncs and closes it."""
    chunks = json.loads((previous.parent / CHUNKS).read_text(encoding="utf-8"))
    if not chunks:
        raise Mismatch(f"{previous}: no chunks to patch")
    starts = [c[0].encode() for c in chunks]
    touched: dict[int, tuple[set, set]] = {}
    for lines, side in ((removed, 0), (added, 1)):
        for line in lines:
            i = max(0, bisect.bisect_right(starts, _subject(line)) - 1)
            touched.setdefault(i, (set(), set()))[side].add(line)
    parts: list = []  # (previous chunk to copy, or None; made Turtle; first subject)
    with open(previous, "rb") as old:
        i = 0
        while i < len(chunks):
            if i not in touched:
                parts.append((chunks[i], None, starts[i]))
                i += 1
                continue
            j, gone, come = i, set(), set()
            while j < len(chunks) and j in touched:  # a run of touched chunks
                gone |= touched[j][0]
                come |= touched[j][1]
                j += 1
            lines = set().union(*(_lines(old, chunks[k]) for k in range(i, j)))
            while True:
                if not gone <= lines:
                    raise Mismatch(f"{previous}: a triple to remove is not in it")
                kept = sorted((lines - gone) | come)
                if i == 0 or (kept and _subject(kept[0]) == starts[i]):
                    break
                i -= 1  # the run's first subject is gone: what is left of it belongs to the chunk before
                parts.pop()
                lines |= _lines(old, chunks[i])
            parts += [(None, _turtle(chunk), _subject(chunk)) for chunk in _chunks(kept)]
            i = j
        _write(target, parts, old, sync)


def _write(target: Path, parts: list, old=None, sync=None) -> None:
    chunks = []
    out = open(target, "wb", buffering=0)
    try:
        head = trig_head()
        write_all(out, head)  # (unbuffered: a write may take less than it is given)
        at = len(head)
        run = None  # [offset, length] in the previous file of the chunks to copy next
        for copied, made, subject in parts:
            if copied is not None:
                if run and run[0] + run[1] == copied[1]:
                    run[1] += copied[2]
                else:
                    if run:
                        copy_range(old, out, *run)
                    run = [copied[1], copied[2]]
                size = copied[2]
            else:
                if run:
                    copy_range(old, out, *run)
                    run = None
                write_all(out, made)
                size = len(made)
            chunks.append([subject.decode(), at, size])
            at += size
        if run:
            copy_range(old, out, *run)
    except BaseException:
        out.close()
        raise
    if sync is None:
        os.fsync(out.fileno())
        out.close()
    else:
        sync(out)
    (target.parent / CHUNKS).write_text(json.dumps(chunks) + "\n", encoding="utf-8")


def _chunks(lines):
    """The chunks of sorted N-Triples lines (an iterable of lines), each as bytes."""
    chunk: list[bytes] = []
    previous = None
    for line in lines:
        subject = _subject(line)
        if subject != previous:
            if chunk and zlib.crc32(subject) & MASK == 0:
                yield b"".join(chunk)
                chunk = []
            previous = subject
        chunk.append(line)
    if chunk:
        yield b"".join(chunk)


def _subject(data: bytes) -> bytes:
    return data[:data.index(b" ")]


def _lines(old, chunk: list) -> set[bytes]:
    """The N-Triples lines of one chunk of the previous file."""
    old.seek(chunk[1])
    triples = ox.parse(trig_head() + old.read(chunk[2]), format=ox.RdfFormat.TURTLE)
    return set(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(True))


def _turtle(ntriples: bytes) -> bytes:
    """Oxigraph's Turtle of some N-Triples lines, without its @prefix lines (written once, sorted, by _write)."""
    data = ox.serialize(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES)
    return data[len(trig_head()):]
