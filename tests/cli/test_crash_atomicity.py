"""kill -9 at a random moment: the old state or the complete new one, no orphan worker, no stray temp."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from npvr.output import MARKER, clean_leftovers

NPVR = [sys.executable, "-c", "from npvr.cli import main; main()"]


def _children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, pp in parents.items() if pp == p}
        found |= kids
        todo.extend(kids)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _kill_during(cmd: list[str], delay: float, cwd: Path) -> set[int]:
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: set[int] = set()
    end = time.monotonic() + delay
    while time.monotonic() < end and proc.poll() is None:
        seen |= _children(proc.pid)
        time.sleep(0.05)
    seen |= _children(proc.pid)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return seen


def _check_after_crash(target: Path, before: str, workers: set[int], complete: list[str]) -> None:
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = [w for w in workers if _alive(w)]
    assert not orphans, f"worker processes outlived their parent: {orphans}"
    clean_leftovers(target)  # what the next run does first
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name], "stray temporary files"
    if _digest(target) != before:  # not the old state: then the complete new one
        for name in complete:
            assert (target / name).is_file(), name
        assert (target / MARKER).is_file()


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_during_report(tmp_path: Path, seed: int):
    target = tmp_path / "out" / "rapport"
    subprocess.run([*NPVR, "report", "--out", str(target)], check=True, cwd=tmp_path, capture_output=True)
    before = _digest(target)
    delay = random.Random(seed).uniform(0.5, 4.0)
    workers = _kill_during([*NPVR, "report", "--out", str(target)], delay, tmp_path)
    _check_after_crash(target, before, workers, ["rapport.html", "tabellen.xlsx", "report.json"])


def test_kill_9_during_data_build(tmp_path: Path, shared_data: Path):
    target = tmp_path / "out" / "snapshot"
    subprocess.run(
        [*NPVR, "data", "build", "--source", str(shared_data), "--out", str(target)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    before = _digest(target)
    for seed in (3, 4):
        delay = random.Random(seed).uniform(0.3, 1.8)
        cmd = [*NPVR, "data", "build", "--source", str(shared_data), "--out", str(target)]
        workers = _kill_during(cmd, delay, tmp_path)
        _check_after_crash(target, before, workers, ["values.parquet", "manifest.json", "gemeente.geojson"])
