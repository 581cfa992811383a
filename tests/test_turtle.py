"""dossier.ttl in chunks of subjects: a patched file is the file a full build writes, chunks and all."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from click.testing import CliRunner

import kg
from dossierkg import turtle
from dossierkg.export import current_generation
from dossierkg.paths import DOSSIER

CHUNK_MASK = 7  # a chunk at about one subject in eight: many chunks in a small file


@pytest.fixture(scope="module")
def union(tmp_path_factory) -> list[bytes]:
    """The dossier's union as sorted N-Triples lines."""
    out = tmp_path_factory.mktemp("built")
    result = CliRunner().invoke(kg.cli, ["build", "--dossier", str(DOSSIER), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = {line.rsplit(b" ", 2)[0] + b" .\n" for line in (out / "dossier.nq").read_bytes().splitlines()}
    return sorted(lines)


def _write(folder, lines: list[bytes]):
    folder.mkdir()
    (folder / "union.nt").write_bytes(b"".join(sorted(set(lines))))
    turtle.write(folder / "union.nt", folder / "dossier.ttl")
    return folder / "dossier.ttl"


def test_the_chunks_together_are_oxigraphs_turtle_of_the_whole(tmp_path, union, monkeypatch):
    import pyoxigraph as ox

    from dossierkg.export import PREFIXES
    monkeypatch.setattr(turtle, "MASK", CHUNK_MASK)
    path = _write(tmp_path / "a", union)
    chunks = json.loads((tmp_path / "a" / turtle.CHUNKS).read_text())
    assert len(chunks) > 50
    whole = ox.serialize(ox.parse(b"".join(union), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)
    data = path.read_bytes()
    head = turtle.trig_head()
    assert data.startswith(head) and data[len(head):] == whole[len(head):]
    assert sorted(whole[:len(head)].splitlines()) == head.splitlines()
    for first, offset, length in chunks:  # each chunk lies where it says, and starts with its first subject
        triples = ox.parse(head + data[offset:offset + length], format=ox.RdfFormat.TURTLE)
        assert str(next(iter(triples)).subject) == first


@pytest.mark.parametrize("seed", range(12))
def test_a_patched_file_is_the_file_a_full_build_writes(tmp_path, union, monkeypatch, seed):
    """Random edits: triples of some subjects removed (a chunk's first subject whole, sometimes every triple
    of a chunk), triples of new subjects added (before the first, between chunks, new chunk starts)."""
    monkeypatch.setattr(turtle, "MASK", CHUNK_MASK)
    rng = random.Random(seed)
    before = _write(tmp_path / "before", union)
    subjects = sorted({line.split(b" ", 1)[0] for line in union})
    chunks = json.loads((tmp_path / "before" / turtle.CHUNKS).read_text())
    gone_subjects = set(rng.sample(subjects, rng.randint(1, 6)))
    gone_subjects.add(rng.choice(chunks)[0].encode())  # a chunk's first subject
    removed = {line for line in union if line.split(b" ", 1)[0] in gone_subjects and rng.random() < 0.9}
    if seed % 3 == 0:  # every triple of one chunk
        k = rng.randrange(len(chunks) - 1)
        first, after = chunks[k][0].encode(), chunks[k + 1][0].encode()
        removed |= {line for line in union if first <= line.split(b" ", 1)[0] < after}
    added = {f"<http://example.org/{prefix}{rng.randrange(10 ** 6)}> <http://example.org/p> \"{n}\" .\n".encode()
             for n, prefix in enumerate(rng.choices(["", "~", "a/"], k=rng.randint(1, 40)))}
    added |= {b"<http://aaa.example/first> <http://example.org/p> <http://example.org/o> .\n"} if seed % 2 else set()
    after = [line for line in union if line not in removed] + sorted(added)
    full = _write(tmp_path / "full", after)
    (tmp_path / "patched").mkdir()
    turtle.patch(before, tmp_path / "patched" / "dossier.ttl", removed, added)
    assert (tmp_path / "patched" / "dossier.ttl").read_bytes() == full.read_bytes()
    assert (tmp_path / "patched" / turtle.CHUNKS).read_bytes() == (tmp_path / "full" / turtle.CHUNKS).read_bytes()


def test_a_triple_to_remove_that_is_not_there_is_a_mismatch(tmp_path, union):
    before = _write(tmp_path / "before", union)
    (tmp_path / "patched").mkdir()
    with pytest.raises(turtle.Mismatch):
        turtle.patch(before, tmp_path / "patched" / "dossier.ttl",
                     {b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"}, set())


def test_an_incremental_build_patches_dossier_ttl_or_makes_it_from_the_store(tmp_path, monkeypatch):
    """After one source changed, dossier.ttl is patched (not made from the N-Quads); without the previous
    chunks it is made from the N-Quads; both are the file a build from scratch writes."""
    import dossierkg.build as build_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(turtle, "MASK", CHUNK_MASK)
    dossier = tmp_path / "dossier"
    shutil.copytree(DOSSIER, dossier)
    build_module.build(dossier, tmp_path / "out")
    build_module.build(dossier, tmp_path / "bare")
    (current_generation(tmp_path / "bare") / turtle.CHUNKS).unlink()
    path = dossier / "002_c13e7b55d78e5ffc.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(" het ", " dat ", 1), encoding="utf-8")
    from_nquads = []
    real = build_module._turtle_from_pieces
    monkeypatch.setattr(build_module, "_turtle_from_pieces", lambda gen: from_nquads.append(gen) or real(gen))
    assert build_module.build(dossier, tmp_path / "out").reused == 4 and not from_nquads
    assert build_module.build(dossier, tmp_path / "bare").reused == 4 and len(from_nquads) == 1
    build_module.build(dossier, tmp_path / "full")
    full = (tmp_path / "full" / "dossier.ttl").read_bytes()
    assert (tmp_path / "out" / "dossier.ttl").read_bytes() == full == (tmp_path / "bare" / "dossier.ttl").read_bytes()
    for out in ("out", "bare"):
        assert (current_generation(tmp_path / out) / turtle.CHUNKS).read_bytes() == \
            (current_generation(tmp_path / "full") / turtle.CHUNKS).read_bytes()
