"""Python's cyclic garbage collector paused while many objects are made and none is left in a cycle (parsed
documents, a build's units, query rows, validation results): each collection it would start walks the
whole growing heap again (unpickling 10,000 documents' units: 2.1 s with it, 0.5 s without). Or the objects
a long step keeps frozen: the collector runs, but never walks them again."""

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


@contextmanager
def frozen():
    """What exists now, and what `gc.freeze()` is called on meanwhile, left out of every collection until the
    end (a build's full collections each walked its documents and units: ~1 s at 10,000 documents)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
