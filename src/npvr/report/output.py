"""Atomic output folders: a report appears complete or not at all.

:func:`atomic_output_dir` builds into a hidden temporary sibling folder (same file system, so the
final ``rename`` is atomic) and moves it into place only when the ``with`` block ends without an
exception. An existing target is replaced only when it is an earlier npvr output (it holds the
marker file :data:`MARKER`) or is empty, so a mistyped ``--out`` never wipes an unrelated folder.
Every failure is an :class:`~npvr.errors.OutputError` with a Dutch and an English message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from npvr.errors import OutputError

MARKER = ".npvr-output"


def check_target(target: Path) -> Path:
    """Fail early (before any work) when ``target`` cannot become our output folder."""
    target = Path(target).expanduser().absolute()
    parent = target.parent
    if target.exists() and not target.is_dir():
        raise OutputError(
            "de uitvoermap bestaat al als bestand; kies met --out een andere map",
            en="the output folder exists as a file; choose another folder with --out",
            file=target,
        )
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputError(
            "de uitvoermap bestaat al en is geen eerder npvr-resultaat; kies een lege of nieuwe map",
            en="the output folder exists and is not an earlier npvr output; choose an empty or new folder",
            file=target,
        )
    probe = parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(
            "kan niet schrijven in deze map; kies met --out een map waar u schrijfrechten heeft",
            en="cannot write to this folder; choose a folder you can write to with --out",
            file=probe,
        )
    return target


@contextlib.contextmanager
def atomic_output_dir(target: Path | str, *, kind: str = "report") -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``target`` in one rename."""
    target = check_target(Path(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    except OSError as exc:
        raise OutputError(
            f"kan de uitvoermap niet aanmaken ({exc.strerror or exc})",
            en=f"cannot create the output folder ({exc.strerror or exc})",
            file=target,
        ) from exc
    try:
        yield tmp
        (tmp / MARKER).write_text(f"npvr {kind}\n", encoding="utf-8")
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes 0700; give the folder the user's usual mode
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(
            f"schrijven mislukt ({exc.strerror or exc}); er is niets half weggeschreven",
            en=f"writing failed ({exc.strerror or exc}); nothing was written half",
            file=target,
        ) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
