"""The one place that knows the project's folders."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "dossier"
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "queries"
BUILD = ROOT / "build"
