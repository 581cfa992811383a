"""kg report: one self-contained HTML page about the dossier, from the last build's store.

The page has the timeline and the citation network as inline SVG, the response times, the quotations and
the reused answers, and for every finding the source passage it was read from (the span in <mark>). It
has no script and fetches nothing: inline CSS, inline SVG, a Content-Security-Policy of default-src 'none'.
The same build gives the same bytes.

- `data.py`: the store (canned queries and a few of its own) -> plain records, sorted
- `passages.py`: spans -> the source text around them, read from the dossier folder
- `svg.py`: the timeline and the network, laid out in Python
- `page.py`: the HTML
"""

from __future__ import annotations

from pathlib import Path

from .data import Report, read_report
from .page import render

__all__ = ["Report", "read_report", "render", "report_html", "write_report"]


def report_html(store, dossier: Path) -> str:
    return render(read_report(store, dossier))


def write_report(store, dossier: Path, out: Path) -> int:
    """Write the report to `out` atomically; returns its size in bytes."""
    from ..export import write_atomically

    data = report_html(store, dossier).encode("utf-8")
    write_atomically({out: data})
    return len(data)
