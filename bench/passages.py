"""Cross-document stages of the build (resolve, reuse_triples, passage_triples) and provenance.span_triples:
their times (CPU seconds), and a check that they give the same results as an earlier commit's code.

    python bench/passages.py --docs 1000                  # the dossier, then a synthetic corpus of 1,000
    python bench/passages.py --docs 300 --check           # also run the old code and compare the triples
    python bench/passages.py --corpus /tmp/corpus --check --old f589beb
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import inspect
import random
import re
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dossierkg import passages, provenance, resolve  # noqa: E402
from dossierkg.iris import Minter  # noqa: E402
from dossierkg.namespace import PROV  # noqa: E402
from dossierkg.parse import parse_bytes  # noqa: E402
from dossierkg.parse.decode import decode  # noqa: E402

OLD = "f589beb"  # before issue 8 (scaling to 10,000 documents)
MODULES = ("reuse", "provenance", "resolve", "passages")  # in import order


def old_modules(commit: str) -> dict[str, types.ModuleType]:
    """MODULES as they were at a commit, importing each other (and the rest of dossierkg as it is now)."""
    out = {}
    for name in MODULES:
        code = subprocess.run(["git", "show", f"{commit}:dossierkg/{name}.py"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout
        code = re.sub(r"from \.([\w.]*) import",
                      lambda m: f"from old_{m.group(1)} import" if m.group(1) in MODULES
                      else f"from dossierkg{'.' if m.group(1) else ''}{m.group(1)} import", code)
        module = types.ModuleType(f"old_{name}")
        sys.modules[module.__name__] = module
        exec(compile(code, f"{commit}:dossierkg/{name}.py", "exec"), module.__dict__)
        out[name] = module
    return out


def load(paths: list[Path]) -> tuple[list, dict[str, str]]:
    docs, texts = [], {}
    for path in paths:
        data = path.read_bytes()
        doc = parse_bytes(data, path.name)
        texts[path.name] = decode(data).text if not doc.errors else ""
        if not doc.errors:
            docs.append(doc)
    return docs, texts


def timed(f, *args, **kwargs):
    """The result and the CPU seconds of a call (single-threaded code: its wall time on an idle machine)."""
    gc.collect()
    t = time.process_time()
    result = f(*args, **kwargs)
    return result, time.process_time() - t


def span_calls(docs, texts, n: int = 100) -> list[tuple]:
    """n spans per document: half of them blocks and references (the mapping's spans), half anywhere."""
    rng, calls = random.Random(8), []
    for doc in docs:
        text = texts[doc.source]
        known = [b.span for b in list(doc.questions) + list(doc.answers)] + [r.span for r in doc.references]
        for _ in range(n):
            a, b = rng.choice(known) if known and rng.random() < 0.5 else sorted(rng.sample(range(len(text) + 1), 2))
            calls.append((doc.source, text, a, b))
    return calls


def run(mods, docs, texts) -> dict:
    """The results and times of each stage with modules mods (resolve, passages, provenance)."""
    minter = Minter("https://w3id.org/dossier-kg/id/")
    activity = minter.activity("bench")
    calls = span_calls(docs, texts)
    spans = [mods["provenance"].span_triples(minter, *c) for c in calls[:20000]]  # kept for the check
    _, t_spans = timed(lambda: [mods["provenance"].span_triples(minter, *c) and None for c in calls])
    res, t_resolve = timed(mods["resolve"].resolve, docs, texts)
    reuse, t_reuse = timed(_generated(mods["passages"].reuse_triples, activity), minter, docs, res, texts)
    found, t_passages = timed(_generated(mods["passages"].passage_triples, activity), minter, docs, res, texts)
    seconds = {"resolve": t_resolve, "reuse_triples": t_reuse, "passage_triples": t_passages}
    if hasattr(mods["passages"], "document_passages"):  # the part of both a build does per document
        _, seconds["(document_passages)"] = timed(
            lambda: [mods["passages"].document_passages(d, texts[d.source]) for d in docs])
    seconds["span_triples (µs/call)"] = t_spans / len(calls) * 1e6
    return {"res": res, "reuse": reuse, "passages": found, "spans": spans, "seconds": seconds}


def _generated(make, activity):
    """`make` called with the build activity where it takes one (older code: each reuse named the activity
    that found it), without its prov:wasGeneratedBy triples (the reuse graph as a whole names it)."""
    if "activity" not in inspect.signature(make).parameters:
        return make
    return lambda *a, **k: [t for t in make(*a[:4], activity, *a[4:], **k) if t[1] != PROV.wasGeneratedBy]


def same_resolution(a, b) -> bool:
    """The fields both resolutions have (newer code has more) are equal, but for `quoted`: what the search for
    quotations found, kept for the next build."""
    names = {f.name for f in dataclasses.fields(a)} & {f.name for f in dataclasses.fields(b)} - {"quoted"}

    def plain(r):
        d = {name: getattr(r, name) for name in names}
        d["quotations"] = [dataclasses.astuple(q) for q in r.quotations]
        return d
    return plain(a) == plain(b)


def terms(triples) -> set:
    """Triples with each term's kind, datatype and language (rdflib's == ignores the kind of a str)."""
    return {tuple((type(x).__name__, str(x), getattr(x, "datatype", None), getattr(x, "language", None))
                  for x in t) for t in triples}


def check(new: dict, old: dict) -> list[str]:
    problems = []
    if not same_resolution(new["res"], old["res"]):
        problems.append("resolve: resolutions differ")
    for key in ("reuse", "passages"):
        if terms(new[key]) != terms(old[key]):
            problems.append(f"{key}: {len(terms(new[key]) - terms(old[key]))} triples only new, "
                            f"{len(terms(old[key]) - terms(new[key]))} only old")
    if [(i, terms(t)) for i, t in new["spans"]] != [(i, terms(t)) for i, t in old["spans"]]:
        problems.append("span_triples differ")
    return problems


def precomputed(docs, texts, res_new) -> bool:
    """reuse_triples and passage_triples with document_passages made beforehand give the same triples."""
    minter = Minter("https://w3id.org/dossier-kg/id/")
    given = {d.source: passages.document_passages(d, texts[d.source]) for d in docs}
    return all(terms(make(minter, docs, res_new, texts, passages_of=given)) ==
               terms(make(minter, docs, res_new, texts))
               for make in (passages.reuse_triples, passages.passage_triples))


def report(name: str, docs, texts, old: dict | None, commit: str) -> bool:
    current = {"resolve": resolve, "passages": passages, "provenance": provenance}
    new = run(current, docs, texts)
    print(f"{name}: {len(docs)} documents, {len(new['reuse'])} reuse triples, {len(new['passages'])} passage "
          f"triples ({len(terms(new['passages']))} distinct), {len(new['res'].quotations)} quotations")
    rows = [("new", new)]
    ok = True
    if old:
        before = run(old, docs, texts)
        rows.append((f"old ({commit})", before))
        problems = check(new, before)
        if not precomputed(docs, texts, new["res"]):
            problems.append("reuse or passage triples with passages_of differ")
        print("  equal to the old code: " + ("yes" if not problems else "NO: " + "; ".join(problems)))
        ok = not problems
    for label, r in rows:
        print(f"  {label:16}" + "  ".join(f"{k} {v:.2f}" for k, v in r["seconds"].items()))
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000, help="documents of the synthetic corpus (0: none)")
    ap.add_argument("--corpus", type=Path, help="a folder of .txt files instead of a synthetic corpus")
    ap.add_argument("--check", action="store_true", help="run the old code too and compare")
    ap.add_argument("--old", default=OLD, help="commit of the old code")
    args = ap.parse_args()
    old = old_modules(args.old) if args.check else None
    ok = report("dossier", *load(sorted((ROOT / "dossier").glob("*.txt"))), old, args.old)
    if args.corpus:
        ok &= report(str(args.corpus), *load(sorted(args.corpus.glob("*.txt"))), old, args.old)
    elif args.docs:
        from synthetic import make_corpus
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            docs, texts = load(make_corpus(args.docs, Path(tmp) / "corpus"))
            print(f"(synthetic corpus made and parsed in {time.perf_counter() - t:.1f} s)")
        ok &= report("synthetic", docs, texts, old, args.old)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
