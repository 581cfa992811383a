"""`kg build` stopped with SIGKILL at many points: the previous build stays whole and usable.

Each case copies a finished build (the "old" build) into a fresh folder, starts `kg build` there for a
build whose every output differs (another SOURCE_DATE_EPOCH: the build time is in the provenance graph of
every file and of the store), and kills it (its process group) — when something appears in the output
folder (the new generation, its store, its files, a cache entry), when the `.current` link is switched, or at
a fraction of the time an uninterrupted build takes. Then:

- every `dossier.*` file is complete and byte-identical to the old build's (or, when the kill came after the
  switch, to the new build's): never a half-written file, never a mix of the two builds;
- `store` is there and answers `response-times`, from the same build as the files;
- anything else left in the folder has a hidden name (a generation never switched to, a temporary link);
- the next `kg build` succeeds, gives the new build byte for byte and removes every leftover.

No test-only hooks in the code: the points are found by watching the folder. chaos/run.py runs the same
cases at 20 points (`KILL_POINTS`); this module runs a few of them, and checks each file-system step of
`export.publish` (the switch) directly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from dossierkg.build import OUTPUTS, PARSED
from dossierkg.export import CURRENT, GENERATION, REPLACED, clean_generations, publish, write_atomically
from dossierkg.queries import get, run, run_local
from dossierkg.store import STORE_DIR, create_store, load_store, open_store

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "dossier"
FILES = sorted(OUTPUTS.values())
OLD_EPOCH, NEW_EPOCH = "1700000000", "1700086400"  # 2023-11-14 and a day later
TIME_QUERY = "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?t WHERE { ?a prov:endedAtTime ?t }"


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, str(ROOT / "kg.py")]


def build_command(out: Path, validate: bool = False) -> list[str]:
    return [*kg_command(), "build", "--dossier", str(DOSSIER), "--out", str(out), *([] if validate else ["--no-validate"])]


def build_env(epoch: str) -> dict:
    return {**os.environ, "SOURCE_DATE_EPOCH": epoch}


def run_build(out: Path, epoch: str, validate: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(build_command(out, validate), env=build_env(epoch), capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


# --- what a build folder holds --------------------------------------------------------------------------

def store_answers(out: Path) -> tuple[str, str]:
    """(build time, response-times as CSV) from the folder's store; raises if it cannot be opened or asked."""
    store = open_store(out)
    try:
        when = run_local(store, TIME_QUERY, {}).render("csv")
        rows = run(get("response-times"), {}, store=store).render("csv")
    finally:
        del store
    return when, rows


@dataclass
class Snapshot:
    files: dict[str, bytes]
    when: str
    response_times: str


def snapshot(out: Path) -> Snapshot:
    return Snapshot({name: (out / name).read_bytes() for name in FILES}, *store_answers(out))


@dataclass
class References:
    old: Snapshot
    new: Snapshot
    old_dir: Path
    duration: float = 0.0  # seconds an uninterrupted build takes over the old one (with its cache)
    duration_cold: float = 0.0  # the same without the cache
    duration_validate: float = 0.0  # the same with validation (make_references(validate=True))

    def generation(self, name: str, data: bytes) -> str | None:
        return "old" if data == self.old.files[name] else "new" if data == self.new.files[name] else None


def make_references(tmp: Path, validate: bool = False) -> References:
    old_dir, new_dir = tmp / "reference-old", tmp / "reference-new"
    for folder, epoch in ((old_dir, OLD_EPOCH), (new_dir, NEW_EPOCH)):
        done = run_build(folder, epoch)
        assert done.returncode == 0, done.stderr
    old, new = snapshot(old_dir), snapshot(new_dir)
    assert all(old.files[n] != new.files[n] for n in FILES) and old.when != new.when
    assert old.response_times == new.response_times and len(old.response_times.splitlines()) == 4
    _parse_all(old_dir)
    refs = References(old, new, old_dir)
    times: dict[str, list[float]] = {}
    for kind in ("warm", "warm", "warm", "cold") + (("validate",) if validate else ()):
        # how long a build over the old one takes: the kill times are fractions of it
        trial = tmp / "timing"
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(old_dir, trial, symlinks=True)
        if kind == "cold":
            make_cold(trial)
        started = time.monotonic()
        done = run_build(trial, NEW_EPOCH, validate=kind == "validate")
        assert done.returncode == 0, done.stderr
        times.setdefault(kind, []).append(time.monotonic() - started)
        assert not recovery_problems(trial, refs)
    shutil.rmtree(tmp / "timing")
    refs.duration, refs.duration_cold = sorted(times["warm"])[1], times["cold"][0]
    refs.duration_validate = times.get("validate", [0.0])[0]
    return refs


def make_cold(out: Path) -> None:
    """Take the build's caches away: `.cache` (the compiled shapes) and the parses its generation keeps (the
    next build parses every source again, and writes the shapes' cache entry when it validates)."""
    shutil.rmtree(out / ".cache", ignore_errors=True)
    (out / CURRENT / PARSED).unlink(missing_ok=True)


def _parse_all(folder: Path) -> None:
    """The reference files are complete RDF (a file equal to one of them byte for byte is too)."""
    from dossierkg.export import load_quads

    for name in FILES:
        assert load_quads(folder / name), name


def user_visible(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if not p.name.startswith(".")}


def hidden(out: Path) -> set[str]:
    return {p.name for p in out.iterdir() if p.name.startswith(".")}


def replaced_removed(out: Path, seconds: float = 30) -> bool:
    """Whether the generations a publish replaced (moved aside, removed in the background) are gone within
    `seconds`."""
    end = time.monotonic() + seconds
    while list(out.glob(f"{REPLACED}*")):
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def damage(out: Path, refs: References) -> tuple[str | None, list[str]]:
    """After a kill: which build the folder holds ('old' or 'new') and what is wrong with it (nothing, we hope)."""
    problems: list[str] = []
    gens: set[str] = set()
    for name in FILES:
        path = out / name
        if not path.is_file():
            problems.append(f"{name} is missing")
            continue
        gen = refs.generation(name, path.read_bytes())
        if gen is None:
            problems.append(f"{name} is neither the old nor the new build ({path.stat().st_size:,} bytes): half-written")
        else:
            gens.add(gen)
    try:
        when, rows = store_answers(out)
    except Exception as exc:  # noqa: BLE001 - any failure to answer is the finding
        problems.append(f"the store does not answer: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    else:
        gen = "old" if when == refs.old.when else "new" if when == refs.new.when else None
        if gen is None:
            problems.append(f"the store is from neither build: {when!r}")
        else:
            gens.add(gen)
        if rows != refs.old.response_times:
            problems.append("response-times answers differently")
    if len(gens) > 1:
        problems.append(f"a mix of the old and the new build: {describe_mix(out, refs)}")
    extra = user_visible(out) - set(FILES) - {STORE_DIR}
    if extra:
        problems.append(f"not hidden: {sorted(extra)}")
    return (gens.pop() if len(gens) == 1 else None), problems


def describe_mix(out: Path, refs: References) -> str:
    parts = [f"{n} {refs.generation(n, (out / n).read_bytes())}" for n in FILES if (out / n).is_file()]
    try:
        parts.append(f"store {'old' if store_answers(out)[0] == refs.old.when else 'new'}")
    except Exception:  # noqa: BLE001
        parts.append("store unreadable")
    return ", ".join(parts)


def recovery_problems(out: Path, refs: References) -> list[str]:
    """After the next complete build: the new build exactly, and no leftovers."""
    problems = []
    now = snapshot(out)
    for name in FILES:
        if now.files[name] != refs.new.files[name]:
            problems.append(f"{name} differs from the new build")
    if now.when != refs.new.when:
        problems.append("the store is not the new build's")
    current = _readlink(out / CURRENT)
    replaced_removed(out)
    left = hidden(out) - {".cache", CURRENT, current}
    if left:
        problems.append(f"leftovers after the next build: {sorted(left)}")
    temps = [p for p in (out / ".cache").rglob(".*") if p.is_file()] if (out / ".cache").is_dir() else []
    if temps:
        problems.append(f"cache temporaries left: {[p.name for p in temps]}")
    if user_visible(out) != set(FILES) | {STORE_DIR}:
        problems.append(f"unexpected files: {sorted(user_visible(out))}")
    return problems


# --- killing -----------------------------------------------------------------------------------------------

@dataclass
class KillPoint:
    """Kill when a path matching the glob `appears` (relative to the output folder) is created, or when the
    link `changes` points elsewhere — then `delay` seconds later — or, with neither, at `fraction` of the
    time an uninterrupted build takes. `cold`: without the build's cache (slower; the cache is written).
    `expect`: the build the folder must hold after the kill ('old', 'new'; None: either)."""

    name: str
    appears: str | None = None
    changes: str | None = None
    delay: float = 0.0
    fraction: float | None = None
    validate: bool = False
    cold: bool = False
    expect: str | None = None


@dataclass
class Outcome:
    point: KillPoint
    killed: bool
    seconds: float
    state: str | None = None
    problems: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)


def kill_build(out: Path, point: KillPoint, duration: float, epoch: str = NEW_EPOCH,
               timeout: float = 120.0) -> tuple[bool, float]:
    """Start `kg build` in `out` and SIGKILL it (its whole process group) at the point; (killed?, when)."""
    before = set(out.glob(point.appears)) if point.appears else set()
    link = _readlink(out / point.changes) if point.changes else None
    proc = subprocess.Popen(build_command(out, point.validate), env=build_env(epoch), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    fire_at = None
    if point.appears is None and point.changes is None:
        fire_at = started + (point.fraction * duration if point.fraction is not None else point.delay)
    try:
        while proc.poll() is None:
            now = time.monotonic()
            if now - started > timeout:
                raise TimeoutError(f"kg build did not finish within {timeout} s")
            if fire_at is None:
                if point.appears is not None:
                    if set(out.glob(point.appears)) - before:
                        fire_at = now + point.delay
                elif _readlink(out / point.changes) != link:
                    fire_at = now + point.delay
            if fire_at is not None and now >= fire_at:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
                return proc.returncode == -signal.SIGKILL, now - started
            time.sleep(0.0002)
        return False, time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(30)


def _readlink(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None


def kill_case(folder: Path, point: KillPoint, refs: References) -> Outcome:
    """One case: copy the old build, kill a new build at the point, check, build again, check again."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(refs.old_dir, folder, symlinks=True)
    if point.cold:
        make_cold(folder)
    duration = refs.duration_validate if point.validate else refs.duration_cold if point.cold else refs.duration
    killed, seconds = kill_build(folder, point, duration)
    state, problems = damage(folder, refs)
    outcome = Outcome(point, killed, seconds, state, problems)
    done = run_build(folder, NEW_EPOCH)
    if done.returncode != 0:
        outcome.recovered.append(f"the next build failed with exit {done.returncode}: {done.stderr[-500:]}")
    else:
        outcome.recovered += recovery_problems(folder, refs)
    return outcome


# The points chaos/run.py uses (20); the test below runs some of them.
GEN = GENERATION + "?" * 16
KILL_POINTS = [
    KillPoint("new generation begun", appears=GEN, expect="old"),
    KillPoint("new generation begun, +5 ms", appears=GEN, delay=0.005, expect="old"),
    KillPoint("store being loaded", appears=f"{GEN}/{STORE_DIR}", expect="old"),
    KillPoint("store files being written", appears=f"{GEN}/{STORE_DIR}/*.sst", expect="old"),
    KillPoint("first file written", appears=f"{GEN}/dossier.trig", expect="old"),
    KillPoint("last file written", appears=f"{GEN}/dossier.jsonld", expect="old"),
    KillPoint("last file written, +2 ms", appears=f"{GEN}/dossier.jsonld", delay=0.002, expect="old"),
    KillPoint("switched", changes=CURRENT, expect="new"),
    KillPoint("cache entry being written", appears=".cache/*/.*.pickle.*", cold=True, validate=True, expect="old"),
    KillPoint("during validation", fraction=0.6, validate=True),
    KillPoint("halfway, without the cache", fraction=0.5, cold=True),
] + [KillPoint(f"at {f:.0%} of a build", fraction=f) for f in (0.1, 0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)]
TEST_POINTS = ["last file written", "store being loaded", "switched", "cache entry being written", "at 85% of a build"]


@pytest.fixture(scope="module")
def refs(tmp_path_factory) -> References:
    return make_references(tmp_path_factory.mktemp("kill-references"))


@pytest.mark.parametrize("name", TEST_POINTS)
def test_kill_leaves_the_previous_build_whole(refs, tmp_path, name):
    point = next(p for p in KILL_POINTS if p.name == name)
    outcome = kill_case(tmp_path / "out", point, refs)
    assert not outcome.problems, outcome.problems
    assert not outcome.recovered, outcome.recovered
    if outcome.killed and point.expect:
        assert outcome.state == point.expect, f"killed at '{name}': expected the {point.expect} build"


# --- publish, step by step ------------------------------------------------------------------------------------

def _outputs(out: Path, value: str) -> tuple[dict[str, bytes], dict]:
    nq = b'<http://example.org/s> <http://example.org/p> "%s" <http://example.org/g> .\n' % value.encode()
    return ({"a.txt": f"a {value}".encode(), "b.txt": f"b {value}".encode()},
            {STORE_DIR: lambda path: create_store(path, nq)})


def _state(out: Path) -> tuple:
    """What a reader of out/a.txt, out/b.txt and out/store sees (None for what is missing)."""
    def read(name):
        try:
            return (out / name).read_bytes().decode().split()[1]
        except OSError:
            return None
    try:
        store = ox.Store.read_only(str(out / STORE_DIR))
        value = next(iter(store.quads_for_pattern(None, None, None, None))).object.value
        del store
    except OSError:
        value = None
    return read("a.txt"), read("b.txt"), value


class Steps:
    """Run a function with every file-system change (rename, replace, link, unlink, removal) followed by a
    look at what a reader sees."""

    NAMES = ("replace", "rename", "symlink", "link", "unlink")

    def __init__(self, out: Path, monkeypatch):
        self.out, self.seen = out, []
        for name in self.NAMES:
            monkeypatch.setattr(os, name, self._wrap(getattr(os, name), name))
        monkeypatch.setattr(shutil, "rmtree", self._wrap(shutil.rmtree, "rmtree"))

    def _wrap(self, real, name):
        def step(*args, **kw):
            result = real(*args, **kw)
            self.seen.append((name, _state(self.out)))
            return result
        return step


def test_every_step_of_publish_shows_all_old_or_all_new(tmp_path, monkeypatch):
    files, folders = _outputs(tmp_path, "1")
    publish(tmp_path, files, folders)
    assert _state(tmp_path) == ("1", "1", "1")
    steps = Steps(tmp_path, monkeypatch)
    publish(tmp_path, *_outputs(tmp_path, "2"))
    monkeypatch.undo()
    assert {state for _, state in steps.seen} == {("1", "1", "1"), ("2", "2", "2")}, steps.seen
    assert _state(tmp_path) == ("2", "2", "2")
    assert replaced_removed(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {"a.txt", "b.txt", STORE_DIR, CURRENT, os.readlink(tmp_path / CURRENT)}


def test_the_replaced_generation_is_removed_by_a_process_of_its_own(tmp_path, monkeypatch):
    """Publish returns with the previous generation moved aside, not removed: a command started in the
    background removes it; one that cannot start leaves it to be removed in process."""
    import dossierkg.export as export

    publish(tmp_path, *_outputs(tmp_path, "1"))
    first = os.readlink(tmp_path / CURRENT)
    started = []
    monkeypatch.setattr(export.subprocess, "run", lambda args, **kw: started.append((args, kw)))
    publish(tmp_path, *_outputs(tmp_path, "2"))
    aside = tmp_path / (REPLACED + first.rsplit(".", 1)[-1])
    assert aside.is_dir() and not (tmp_path / first).exists() and _state(tmp_path) == ("2", "2", "2")
    [(args, kw)] = started
    assert args[-1] == str(aside) and kw["start_new_session"]
    monkeypatch.undo()
    subprocess.run(args, check=True)  # what publish started, for real
    assert replaced_removed(tmp_path)

    def no_shell(*args, **kw):
        raise FileNotFoundError("sh")

    monkeypatch.setattr(export.subprocess, "run", no_shell)
    second = os.readlink(tmp_path / CURRENT)
    publish(tmp_path, *_outputs(tmp_path, "3"))
    assert not list(tmp_path.glob(f"{REPLACED}*")) and not (tmp_path / second).exists()
    assert _state(tmp_path) == ("3", "3", "3")


def test_a_file_written_atomically_is_synced_unless_asked_not_to(tmp_path, monkeypatch):
    """`kg build --timings` writes its measurement unsynced: a sync then waits for the disk to take the
    previous generation's removal (~0.06 s of an incremental build)."""
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    write_atomically({tmp_path / "a.json": b"1"})
    assert len(synced) == 1
    write_atomically({tmp_path / "a.json": b"2"}, sync=False)
    assert len(synced) == 1 and (tmp_path / "a.json").read_bytes() == b"2"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_outputs_from_before_are_adopted_then_replaced_at_once(tmp_path, monkeypatch):
    """A folder written before generations (regular files, a store folder): switching is still one step; only
    the move of the store folder into its generation, once, leaves `store` missing for a moment."""
    files, folders = _outputs(tmp_path, "1")
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    folders[STORE_DIR](tmp_path / STORE_DIR)
    steps = Steps(tmp_path, monkeypatch)
    publish(tmp_path, *_outputs(tmp_path, "2"))
    monkeypatch.undo()
    states = [state for _, state in steps.seen]
    assert set(states) <= {("1", "1", "1"), ("2", "2", "2"), ("1", "1", None)}, steps.seen
    assert states.count(("1", "1", None)) <= 1 and states[-1] == ("2", "2", "2")
    assert all((tmp_path / n).is_symlink() for n in ("a.txt", "b.txt", STORE_DIR))


def test_outputs_not_given_are_kept(tmp_path):
    publish(tmp_path, *_outputs(tmp_path, "1"))
    nq = b'<http://example.org/s> <http://example.org/p> "9" <http://example.org/g> .\n'
    load_store(tmp_path, nq)  # the store alone
    assert _state(tmp_path) == ("1", "1", "9")


def test_a_link_missing_after_a_stop_is_put_back(tmp_path):
    publish(tmp_path, *_outputs(tmp_path, "1"))
    (tmp_path / STORE_DIR).unlink()  # as if stopped between adopting a store folder and linking it
    clean_generations(tmp_path)
    assert _state(tmp_path) == ("1", "1", "1")


def test_leftovers_of_a_stopped_publish_are_removed(tmp_path):
    publish(tmp_path, *_outputs(tmp_path, "1"))
    current = os.readlink(tmp_path / CURRENT)
    stale = tmp_path / f"{GENERATION}0123456789abcdef"
    stale.mkdir()
    create_store(stale / STORE_DIR, b"")
    (stale / "a.txt").write_text("half")
    os.symlink(stale.name, tmp_path / f"{CURRENT}.new")
    os.symlink(f"{CURRENT}/{STORE_DIR}", tmp_path / f".{STORE_DIR}.link")
    aside = tmp_path / f"{REPLACED}fedcba9876543210"  # a replaced generation whose removal was stopped
    shutil.copytree(stale, aside)
    removed = clean_generations(tmp_path)
    assert sorted(p.name for p in removed) == sorted([stale.name, f"{CURRENT}.new", f".{STORE_DIR}.link", aside.name])
    assert replaced_removed(tmp_path)
    assert {p.name for p in tmp_path.iterdir() if p.name.startswith(".")} == {CURRENT, current}
    assert _state(tmp_path) == ("1", "1", "1")


def test_an_output_replaced_by_hand_is_adopted(tmp_path):
    """`kg export --out build/dossier.ttl` (or an editor) puts a regular file where the link was, or a store
    folder is copied in: the next publish takes them over and still switches in one step."""
    publish(tmp_path, *_outputs(tmp_path, "1"))
    (tmp_path / "a.txt").unlink()
    (tmp_path / "a.txt").write_bytes(b"a edited")
    shutil.rmtree(tmp_path / STORE_DIR) if not (tmp_path / STORE_DIR).is_symlink() else (tmp_path / STORE_DIR).unlink()
    _outputs(tmp_path, "3")[1][STORE_DIR](tmp_path / STORE_DIR)
    assert _state(tmp_path) == ("edited", "1", "3")
    publish(tmp_path, *_outputs(tmp_path, "2"))
    assert _state(tmp_path) == ("2", "2", "2")
    assert all((tmp_path / n).is_symlink() for n in ("a.txt", "b.txt", STORE_DIR))
    assert len(list(tmp_path.glob(f"{GENERATION}*"))) == 1


def test_without_symbolic_links_each_output_is_still_replaced_atomically(tmp_path, monkeypatch):
    import dossierkg.export as export

    monkeypatch.setattr(export, "_symlinks_work", lambda out: False)
    publish(tmp_path, *_outputs(tmp_path, "1"))
    publish(tmp_path, *_outputs(tmp_path, "2"))
    assert _state(tmp_path) == ("2", "2", "2")
    assert not any(p.is_symlink() for p in tmp_path.iterdir()) and not hidden(tmp_path)
