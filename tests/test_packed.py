"""packed: many pickles in one file, read back as views of its bytes; a file that is not whole reads as None."""

from __future__ import annotations

import pickle

import pytest

from dossierkg import packed


def test_what_is_written_is_read_back(tmp_path):
    pickles = {"a": pickle.dumps(("Document", "text")), "b": b"", "c": memoryview(pickle.dumps([1, 2, 3]))}
    packed.write(tmp_path / "f", pickles, extra="the code")
    extra, read = packed.read(tmp_path / "f")
    assert extra == "the code" and list(read) == ["a", "b", "c"]
    assert [bytes(v) for v in read.values()] == [bytes(v) for v in pickles.values()]
    assert pickle.loads(read["a"]) == ("Document", "text") and pickle.loads(read["c"]) == [1, 2, 3]
    packed.write(tmp_path / "empty", {})
    assert packed.read(tmp_path / "empty") == (None, {})


@pytest.mark.parametrize("damage", ["cut", "longer", "head", "empty", "other pickle", "missing"])
def test_a_file_that_is_not_whole_reads_as_none(tmp_path, damage):
    path = tmp_path / "f"
    packed.write(path, {"a": pickle.dumps("one"), "b": pickle.dumps("two")}, extra=1)
    data = path.read_bytes()
    if damage == "cut":
        path.write_bytes(data[:-1])
    elif damage == "longer":
        path.write_bytes(data + b"\0")
    elif damage == "head":
        path.write_bytes(data[:8] + b"\xff" * 8 + data[16:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "other pickle":  # the format before: one pickle of everything
        path.write_bytes(pickle.dumps((1, {"a": b"x"})))
    else:
        path.unlink()
    assert packed.read(path) is None
