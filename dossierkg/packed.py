"""Many pickles in one file, each read without being copied: the length of a head, the head (a pickle of what
else the file keeps and of where each pickle lies), then the pickles one after another. A build keeps its
sources' parses and its units this way (~11 MB each at 1,000 documents): one pickle of them all was copied
whole, holding the GIL, to be written and again to be read."""

from __future__ import annotations

import pickle
import struct
from pathlib import Path

_LENGTH = struct.Struct("<Q")
# what unpickling bytes that are damaged, or were pickled by other code, raises
UNREADABLE = (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def write(path: Path, pickles: dict[str, bytes], extra=None) -> None:
    """`pickles` (bytes, or a view of them) by key, and `extra`, into `path`."""
    places, at = {}, 0
    for key, data in pickles.items():
        places[key] = (at, len(data))
        at += len(data)
    head = pickle.dumps((extra, places), protocol=pickle.HIGHEST_PROTOCOL)
    with open(path, "wb") as out:
        out.write(_LENGTH.pack(len(head)))
        out.write(head)
        for data in pickles.values():
            out.write(data)


def read(path: Path) -> tuple[object, dict[str, memoryview]] | None:
    """(extra, each pickle by key, as a view of the file's bytes) of a file `write` wrote; None when it cannot
    be read whole."""
    try:
        data = path.read_bytes()
        (length,) = _LENGTH.unpack_from(data)
        view = memoryview(data)
        extra, places = pickle.loads(view[_LENGTH.size:_LENGTH.size + length])
        base = _LENGTH.size + length
        if base + sum(size for _, size in places.values()) != len(data):
            return None  # cut short, or more than it says
        return extra, {key: view[base + at:base + at + size] for key, (at, size) in places.items()}
    except (OSError, struct.error, *UNREADABLE):
        return None
