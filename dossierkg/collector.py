"""Python's cyclic garbage collector paused while many objects are made and none is left in a cycle (parsed
documents, a build's units, query rows, validation results): each collection it would start walks the
whole growing heap again (unpickling 10,000 documents' units: 2.1 s with it, 0.5 s without)."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused():
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
