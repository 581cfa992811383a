"""kg audit and kg explain: prove where every fact comes from, and notice when a source changed."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import kg
from dossierkg.paths import DOSSIER

FILES = sorted(p.name for p in DOSSIER.glob("*.txt"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("audit")
    dossier, out = root / "dossier", root / "out"
    shutil.copytree(DOSSIER, dossier)
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(dossier), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return dossier, out


def test_audit_passes_on_a_fresh_build(built):
    dossier, out = built
    result = CliRunner().invoke(kg.cli, ["audit", "--dossier", str(dossier), "--build", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 finding(s)" in result.output and "spans checked" in result.output


@pytest.mark.parametrize("name", FILES)
def test_one_changed_character_is_caught_and_named(built, name, tmp_path):
    dossier, out = built
    changed = tmp_path / "dossier"
    shutil.copytree(dossier, changed)
    text = (changed / name).read_text(encoding="utf-8")
    i = text.index("mobilisatie") + 3  # inside a word every dossier file uses, inside some span
    (changed / name).write_text(text[:i] + ("X" if text[i] != "X" else "Y") + text[i + 1:], encoding="utf-8")
    result = CliRunner().invoke(kg.cli, ["audit", "--dossier", str(changed), "--build", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{name}: source changed since the build" in result.output
    others = [f for f in FILES if f != name]
    assert not any(f"{f}: source changed" in result.output for f in others)


def test_a_changed_span_names_resource_file_line_and_both_texts(built, tmp_path):
    dossier, out = built
    changed = tmp_path / "dossier"
    shutil.copytree(dossier, changed)
    path = changed / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("bij brief van 13", "bij brief van 14"), encoding="utf-8")
    result = CliRunner().invoke(kg.cli, ["audit", "--dossier", str(changed), "--build", str(out)])
    assert result.exit_code == 1
    line = next(x.replace("\xa0", " ") for x in result.output.splitlines() if "span changed" in x and "brief van 14" in x)
    assert line.startswith("002_c13e7b55d78e5ffc.txt:23: span changed")
    assert "expected «bij brief van 13 december 2022», found «bij brief van 14 december 2022»" in line
    assert "ah-tk-20222023-1663/antwoord/2" in line


def test_a_missing_source_is_a_finding(built, tmp_path):
    dossier, out = built
    changed = tmp_path / "dossier"
    shutil.copytree(dossier, changed)
    (changed / "004_90d31d1340ba21e6.txt").unlink()
    result = CliRunner().invoke(kg.cli, ["audit", "--dossier", str(changed), "--build", str(out)])
    assert result.exit_code == 1 and "004_90d31d1340ba21e6.txt: source file missing" in result.output


def test_explain_answer_2_shows_the_letter_sentence_with_file_and_line(built):
    dossier, out = built
    result = CliRunner().invoke(kg.cli, ["explain", "ah-tk-20222023-1663 antwoord 2", "--dossier", str(dossier),
                                         "--build", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    i = next(n for n, x in enumerate(lines) if "Uw Kamer is hierover bij brief van 13 december 2022 geïnformeerd." in x)
    assert "002_c13e7b55d78e5ffc.txt, line 23" in lines[i - 1] and "cites kst-19637-3018" in lines[i - 1]
    assert lines[i + 1].strip() == "^" * len("bij brief van 13 december 2022")
    assert "dkg:numberLabel 2" in result.output
    made = lines[lines.index("made by:") + 1:]
    assert made and all(" (https://w3id.org/dossier-kg/id/software/dossier-kg/" in x for x in made)
    assert any(x.endswith("[graph 002_c13e7b55d78e5ffc]") for x in made)  # the activity that made its graph
    same = CliRunner().invoke(kg.cli, ["explain", "2023Z00468 antwoord 2", "--dossier", str(dossier), "--build", str(out)])
    assert same.output == result.output  # the case number names the same answer


def test_explain_refuses_what_it_cannot_find(built):
    _, out = built
    result = CliRunner().invoke(kg.cli, ["explain", "2023Z00468 antwoord 99", "--build", str(out)])
    assert result.exit_code == 3 and "no antwoord 99" in result.output


def test_every_span_is_checked_once_and_changed_spans_come_in_file_and_line_order(built, tmp_path):
    from dossierkg.audit import audit
    from dossierkg.store import open_store

    dossier, out = built
    changed = tmp_path / "dossier"
    shutil.copytree(dossier, changed)
    for name in FILES[1:3]:
        path = changed / name
        path.write_text(path.read_text(encoding="utf-8").replace("mobilisatie", "mobilisaties"), encoding="utf-8")
    store = open_store(out)
    q = ("SELECT (COUNT(DISTINCT ?span) AS ?n) WHERE { ?span <http://www.w3.org/ns/oa#hasSource> ?f ; "
         "<http://www.w3.org/ns/oa#hasSelector> ?s }")
    sources, spans, findings = audit(store, changed)
    assert sources >= len(FILES) and spans == int(next(iter(store.query(q)))["n"].value)
    moved = [(f.file, f.line) for f in findings if f.kind == "span-changed"]
    assert len({file for file, _ in moved}) == 2 and moved == sorted(moved) and len(moved) > 10
