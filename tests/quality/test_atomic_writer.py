"""The one atomic writer: complete or nothing, never touches what it did not create, cleans crashes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from npvr.errors import OutputError
from npvr.output import MARKER, atomic_dir, atomic_file, clean_leftovers, dir_mode, file_mode, write_text


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_file_written_with_usual_mode_and_no_temp_left(tmp_path: Path):
    out = write_text(tmp_path / "sub" / "a.csv", "x\n")
    assert out.read_text() == "x\n"
    assert _mode(out) == file_mode()  # not the private 0600 of tempfile
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["a.csv"]


def test_existing_file_refused_unless_replace(tmp_path: Path):
    target = tmp_path / "mine.txt"
    target.write_text("keep")
    with pytest.raises(OutputError, match="bestaat al"):
        write_text(target, "new")
    assert target.read_text() == "keep"
    write_text(target, "new", replace=True)
    assert target.read_text() == "new"


def test_failed_file_write_leaves_old_and_no_temp(tmp_path: Path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(target, replace=True) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_folder_as_file_target_refused(tmp_path: Path):
    with pytest.raises(OutputError, match="bestaande map"):
        write_text(tmp_path, "x")


def test_dir_foreign_folder_untouched(tmp_path: Path):
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("years of work")
    with pytest.raises(OutputError, match="geen eerder npvr-resultaat"), atomic_dir(foreign):
        pass
    assert (foreign / "thesis.docx").read_text() == "years of work"
    existing_file = tmp_path / "f"
    existing_file.write_text("x")
    with pytest.raises(OutputError, match="als bestand"), atomic_dir(existing_file):
        pass
    assert existing_file.read_text() == "x"


def test_dir_replaces_own_output_and_restores_on_failure(tmp_path: Path):
    target = tmp_path / "rapport"
    with atomic_dir(target, kind="report") as tmp:
        (tmp / "a.html").write_text("v1")
    assert (target / MARKER).is_file() and _mode(target) == dir_mode()
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "a.html").write_text("half")
        raise RuntimeError("boom")
    assert (target / "a.html").read_text() == "v1"
    with atomic_dir(target) as tmp:
        (tmp / "b.html").write_text("v2")
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "b.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"]


def test_owned_predicate_recognises_older_outputs(tmp_path: Path):
    snap = tmp_path / "snapshot"
    snap.mkdir()
    (snap / "manifest.json").write_text("{}")
    with atomic_dir(snap, owned=lambda p: (p / "manifest.json").is_file()) as tmp:
        (tmp / "manifest.json").write_text('{"new": 1}')
    assert (snap / "manifest.json").read_text() == '{"new": 1}'


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_crash_leftovers_cleaned_and_half_swap_restored(tmp_path: Path):
    pid = _dead_pid()
    target = tmp_path / "rapport"
    stale_tmp = tmp_path / f".rapport.npvr-tmp-{pid}-abcd1234"
    stale_tmp.mkdir()
    (stale_tmp / "big.png").write_bytes(b"x" * 100)
    old = tmp_path / f".rapport.npvr-old-{pid}-abcd1234"  # crash between the two renames
    old.mkdir()
    (old / MARKER).write_text("npvr report\n")
    (old / "a.html").write_text("v1")
    other = tmp_path / f".rapport.npvr-tmp-{os.getpid()}-ffff0000"  # a live writer's: left alone
    other.mkdir()
    clean_leftovers(target)
    assert (target / "a.html").read_text() == "v1"
    assert not stale_tmp.exists() and not old.exists() and other.exists()
