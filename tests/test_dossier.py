"""The bundled dossier is what dossier/README.md says it is."""

import hashlib
import re

from dossierkg.paths import DOSSIER


def test_readme_lists_every_file_with_its_sha256():
    listed = dict(re.findall(r"\| `(\d{3}_[0-9a-f]+\.txt)` \|.*\| `([0-9a-f]{64})` \|", (DOSSIER / "README.md").read_text()))
    files = sorted(p.name for p in DOSSIER.glob("*.txt"))
    assert sorted(listed) == files and len(files) == 5
    for name in files:
        assert hashlib.sha256((DOSSIER / name).read_bytes()).hexdigest() == listed[name], name
