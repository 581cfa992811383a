"""Parse throughput: how fast `parse_bytes` reads documents, beside a bare regex pass over the same texts.

Not a test. Run from the project root:

    .venv/bin/python bench/parse_throughput.py [--docs N] [--json OUT]

The corpus is the dossier's *.txt files and tests/fixtures/dev-corpus/*.txt, repeated round-robin up to N
documents, all parsed in one process. The regex pass decodes each text and finds its question and answer
labels: a floor for "reading the text at all", so the table shows what the parser's work costs beyond it.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossierkg.parse import parse_bytes  # noqa: E402

LABELS = re.compile(r"^(Vraag|Antwoord) \d+", re.M)


def corpus() -> list[tuple[str, bytes]]:
    files = sorted((ROOT / "dossier").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "dev-corpus").glob("*.txt"))
    if not files:
        sys.exit("no *.txt files in dossier/ or tests/fixtures/dev-corpus/")
    return [(p.name, p.read_bytes()) for p in files]


def workload(files: list[tuple[str, bytes]], n: int) -> list[tuple[str, bytes]]:
    return [files[i % len(files)] for i in range(n)]


def time_it(fn, docs) -> tuple[float, int]:
    start = time.perf_counter()
    found = fn(docs)
    return time.perf_counter() - start, found


def run_parser(docs) -> int:
    kinds = 0
    for name, data in docs:
        doc = parse_bytes(data, name)
        kinds += doc.kind != "unknown"
    return kinds


def run_regex(docs) -> int:
    labels = 0
    for _name, data in docs:
        text = data.decode("utf-8")
        labels += sum(1 for _ in LABELS.finditer(text))
    return labels


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents to parse (default 1000)")
    ap.add_argument("--json", dest="json_out", metavar="OUT", help="also write the results as JSON to OUT")
    args = ap.parse_args(argv)
    if args.docs < 1:
        ap.error("--docs must be at least 1")

    files = corpus()
    docs = workload(files, args.docs)
    total_bytes = sum(len(d) for _, d in docs)
    # One warm-up pass over each distinct file: imports, compiled regexes and caches are not what we measure.
    run_parser(files)

    rows = []
    for name, fn, what in (("parse_bytes", run_parser, "documents understood"),
                           ("regex labels", run_regex, "labels found")):
        seconds, found = time_it(fn, docs)
        rows.append({"pass": name, "seconds": round(seconds, 4),
                     "mb_per_s": round(total_bytes / 1e6 / seconds, 2),
                     "docs_per_s": round(len(docs) / seconds, 1),
                     "found": found, "found_what": what})

    print(f"{len(docs)} documents ({len(files)} distinct files round-robin), {total_bytes / 1e6:.2f} MB, "
          f"Python {platform.python_version()}")
    print(f"{'pass':<14} {'seconds':>9} {'MB/s':>9} {'docs/s':>10}  found")
    for r in rows:
        print(f"{r['pass']:<14} {r['seconds']:>9.3f} {r['mb_per_s']:>9.2f} {r['docs_per_s']:>10.1f}  "
              f"{r['found']} {r['found_what']}")
    ratio = rows[1]["docs_per_s"] / rows[0]["docs_per_s"]
    print(f"the regex pass is {ratio:,.0f}x faster than parsing")

    if args.json_out:
        out = {
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                        "python": platform.python_version()},
            "documents": len(docs), "distinct_files": len(files), "bytes": total_bytes,
            "results": rows,
        }
        Path(args.json_out).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
