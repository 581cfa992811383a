"""A deterministic synthetic corpus for benchmarks: the dossier and development texts, each copy made a
distinct document (its own zaak and document numbers, its own subject), so copies do not merge in the graph.

    python bench/synthetic.py --docs 1000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "dossier").glob("*.txt")) + sorted((ROOT / "tests/fixtures/dev-corpus").glob("*.txt"))


def variant(text: str, k: int) -> str:
    """Copy k of a text: new zaak/kv/ah numbers and a subject that names the copy."""
    if k == 0:
        return text
    text = re.sub(r"\b(20\d\d)Z(\s?)(\d{5})\b", lambda m: f"{m.group(1)}Z{m.group(2)}{(int(m.group(3)) + k * 7) % 100000:05d}", text)
    text = re.sub(r"\b(ah-tk-\d{8})-(\d+)\b", lambda m: f"{m.group(1)}-{int(m.group(2)) + k * 10000}", text)
    text = re.sub(r"(\s)\(ingezonden", lambda m: f" (reeks {k}){m.group(1)}(ingezonden", text, count=1)
    text = re.sub(r"^(Beleidsconsequenties mobilisatie Rusland)", rf"\1 (reeks {k})", text, count=1, flags=re.M)
    return text


def make_corpus(n: int, out: Path) -> list[Path]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = []
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        k = i // len(SEEDS)
        path = out / f"{i:05d}_{seed.stem[:40]}.txt"
        path.write_text(variant(seed.read_text(encoding="utf-8"), k), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    print(f"{len(make_corpus(args.docs, args.out))} documents in {args.out}")
