"""The one atomic writer: every file or folder npvr writes appears complete or not at all.

* :func:`atomic_file` / :func:`write_text` / :func:`write_bytes` — one file. Written under a hidden
  temporary name in the target's folder, fsync'ed, then renamed over the target in one step.
* :func:`atomic_dir` — one folder (a report, an export, a snapshot). Built in a hidden temporary
  sibling, every file fsync'ed, then swapped in with two renames; on failure the old folder is put
  back.

Rules, the same for every caller:

* Nothing is deleted or replaced that npvr did not create. An existing file is replaced only when
  the caller passes ``replace=True`` (the user named it as output on purpose); an existing folder only
  when it is empty or holds the marker :data:`MARKER` of an earlier npvr output (or passes the
  caller's ``owned`` test, e.g. a snapshot's manifest). A mistyped ``--out`` never wipes a folder.
* Temporary names carry the writing process id (``.NAME.npvr-tmp-PID-XXXX``). A crash (kill -9)
  can leave one behind; the next write to the same target removes those of dead processes and, if the
  crash fell between the two renames, restores the old folder first.
* Output gets the user's usual modes (0666/0777 minus the umask), not the private 0600/0700 of
  :mod:`tempfile`.
* Every failure is an :class:`~npvr.errors.OutputError` with a Dutch and an English message.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from npvr.errors import OutputError

MARKER = ".npvr-output"
_TMP = "npvr-tmp"
_OLD = "npvr-old"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode of an ordinary new file for this user (0666 minus the umask)."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    """The mode of an ordinary new folder for this user (0777 minus the umask)."""
    return 0o777 & ~_umask()


def _fail(nl: str, en: str, target: Path, exc: BaseException | None = None) -> OutputError:
    reason = ""
    if exc is not None:
        why = getattr(exc, "strerror", None) or str(exc)
        reason = f" ({why})"
    return OutputError(nl + reason, en=en + reason, file=str(target))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path) -> Iterator[tuple[Path, str, int]]:
    """Temporary siblings of ``target`` left by earlier writes: (path, kind, pid)."""
    suffix = re.escape(target.suffix)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.({_TMP}|{_OLD})-(\d+)-[0-9a-f]+(?:{suffix})?$")
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        m = pattern.match(entry.name)
        if m:
            yield entry, m.group(1), int(m.group(2))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def clean_leftovers(target: str | Path) -> None:
    """Remove what a crashed earlier write to ``target`` left behind; restore a half-swapped folder."""
    target = Path(target).expanduser().absolute()
    for path, kind, pid in sorted(_leftovers(target), key=lambda t: t[1] != _OLD):
        if _pid_alive(pid):
            continue
        if kind == _OLD and not os.path.lexists(target):
            with contextlib.suppress(OSError):
                os.rename(path, target)  # the crash fell between the two renames: old state back
                continue
        _remove(path)


def _sibling(target: Path, kind: str, *, keep_suffix: bool = False) -> Path:
    """A hidden temporary name beside ``target``; files keep their suffix (writers pick the format by it)."""
    suffix = target.suffix if keep_suffix else ""
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}{suffix}")


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _writable_parent(target: Path) -> None:
    probe = target.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(
            "kan niet schrijven in deze map; kies een map waar u schrijfrechten heeft",
            en="cannot write to this folder; choose a folder you can write to",
            file=str(probe),
        )


def check_file_target(target: str | Path, *, replace: bool = False, create_parent: bool = True) -> Path:
    """Fail early (before any work) when ``target`` cannot become our output file."""
    try:
        return _check_file_target(target, replace=replace, create_parent=create_parent)
    except OSError as exc:  # a name too long, a loop of links, no permission to look
        raise _fail(
            "ongeldige of onbereikbare bestandsnaam",
            "invalid or unreachable file name",
            Path(str(target)),
            exc,
        ) from None


def _check_file_target(target: str | Path, *, replace: bool, create_parent: bool) -> Path:
    try:
        target = Path(target).expanduser().absolute()
    except (RuntimeError, ValueError) as exc:
        raise _fail("ongeldige bestandsnaam", "invalid file name", Path(str(target)), exc) from None
    if "\x00" in str(target):
        raise OutputError("ongeldige bestandsnaam", en="invalid file name", file=repr(str(target)))
    if target.is_dir():
        raise OutputError(
            "dit is een bestaande map; geef een bestandsnaam",
            en="this is an existing folder; give a file name",
            file=str(target),
        )
    if os.path.lexists(target) and not replace:
        raise OutputError(
            "het bestand bestaat al; npvr overschrijft geen bestaande bestanden, kies een nieuwe naam",
            en="the file already exists; npvr does not overwrite existing files, choose a new name",
            file=str(target),
        )
    if not create_parent and not target.parent.is_dir():
        raise OutputError(
            f"map '{target.parent}' bestaat niet",
            en=f"folder '{target.parent}' does not exist",
            file=str(target),
        )
    _writable_parent(target)
    return target


@contextlib.contextmanager
def atomic_file(target: str | Path, *, replace: bool = False, create_parent: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success it becomes ``target`` in one rename.

    ``replace=True`` allows replacing an existing file the user named as output; without it an
    existing file is refused. ``create_parent=False`` refuses a missing folder instead of creating it.
    """
    target = check_file_target(target, replace=replace, create_parent=create_parent)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail("kan de map niet aanmaken", "cannot create the folder", target.parent, exc) from None
    clean_leftovers(target)
    tmp = _sibling(target, _TMP, keep_suffix=True)
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError("er is niets geschreven", en="nothing was written", file=str(target))
        os.chmod(tmp, file_mode())
        _fsync_file(tmp)
        if not replace and os.path.lexists(target):
            raise OutputError(
                "het bestand is intussen door iets anders aangemaakt; er is niets overschreven",
                en="the file was created by something else meanwhile; nothing was overwritten",
                file=str(target),
            )
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        _remove(tmp)
        raise _fail(
            "schrijven mislukt; er is niets half weggeschreven",
            "writing failed; nothing was written half",
            target,
            exc,
        ) from None
    except BaseException:
        _remove(tmp)
        raise


def write_bytes(target: str | Path, data: bytes, *, replace: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_file`)."""
    with atomic_file(target, replace=replace) as tmp:
        tmp.write_bytes(data)
    return Path(target).expanduser().absolute()


def write_text(target: str | Path, text: str, *, replace: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically (see :func:`atomic_file`)."""
    return write_bytes(target, text.encode("utf-8"), replace=replace)


def check_dir_target(target: str | Path, *, owned: Callable[[Path], bool] | None = None) -> Path:
    """Fail early (before any work) when ``target`` cannot become our output folder."""
    try:
        return _check_dir_target(target, owned=owned)
    except OSError as exc:  # a name too long, a loop of links, no permission to look
        raise _fail(
            "ongeldige of onbereikbare mapnaam", "invalid or unreachable folder name", Path(str(target)), exc
        ) from None


def _check_dir_target(target: str | Path, *, owned: Callable[[Path], bool] | None) -> Path:
    try:
        target = Path(target).expanduser().absolute()
    except (RuntimeError, ValueError) as exc:
        raise _fail("ongeldige mapnaam", "invalid folder name", Path(str(target)), exc) from None
    if "\x00" in str(target):
        raise OutputError("ongeldige mapnaam", en="invalid folder name", file=repr(str(target)))
    clean_leftovers(target)
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(
            "de uitvoermap bestaat al als bestand; kies een andere map",
            en="the output folder exists as a file; choose another folder",
            file=str(target),
        )
    if target.is_dir() and not _ours(target, owned):
        raise OutputError(
            "de uitvoermap bestaat al en is geen eerder npvr-resultaat; kies een lege of nieuwe map",
            en="the output folder exists and is not an earlier npvr output; choose an empty or new folder",
            file=str(target),
        )
    _writable_parent(target)
    return target


def _ours(folder: Path, owned: Callable[[Path], bool] | None) -> bool:
    try:
        if not any(folder.iterdir()):
            return True
    except OSError:
        return False
    return (folder / MARKER).is_file() or (owned is not None and owned(folder))


@contextlib.contextmanager
def atomic_dir(
    target: str | Path, *, kind: str = "output", owned: Callable[[Path], bool] | None = None
) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``target`` (see the module rules).

    ``kind`` is written into the marker file; ``owned(folder)`` may recognise earlier outputs made
    before the marker existed (e.g. a snapshot folder by its manifest).
    """
    target = check_dir_target(target, owned=owned)
    tmp = _sibling(target, _TMP)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir(mode=0o700)
    except OSError as exc:
        raise _fail(
            "kan de uitvoermap niet aanmaken", "cannot create the output folder", target, exc
        ) from None
    old: Path | None = None
    try:
        yield tmp
        (tmp / MARKER).write_text(f"npvr {kind}\n", encoding="utf-8")
        for root, _dirs, files in os.walk(tmp):
            for name in files:
                _fsync_file(Path(root) / name)
            _fsync_dir(Path(root))
        os.chmod(tmp, dir_mode())
        if target.exists():
            if not _ours(target, owned):  # checked again: something may have appeared meanwhile
                raise OutputError(
                    "de uitvoermap is intussen door iets anders gevuld; er is niets vervangen",
                    en="the output folder was filled by something else meanwhile; nothing was replaced",
                    file=str(target),
                )
            old = _sibling(target, _OLD)
            os.rename(target, old)
        try:
            os.rename(tmp, target)
        except BaseException:
            if old is not None:
                os.rename(old, target)
                old = None
            raise
        _fsync_dir(target.parent)
    except OSError as exc:
        _remove(tmp)
        raise _fail(
            "schrijven mislukt; er is niets half weggeschreven",
            "writing failed; nothing was written half",
            target,
            exc,
        ) from None
    except BaseException:
        _remove(tmp)
        raise
    if old is not None:
        _remove(old)


def exit_with_parent(poll_seconds: float = 0.2) -> None:
    """Make this worker process end when its parent dies (even by kill -9).

    Call it first thing in a worker (a pool initializer). A daemon thread watches the parent id;
    when the parent is gone the worker is re-parented and exits at once, so no orphan keeps hundreds
    of MB or writes into a temporary folder after a crash.
    """
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="npvr-exit-with-parent", daemon=True).start()


def _pdeathsig() -> None:  # pragma: no cover - runs in the child between fork and exec
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def child_dies_with_parent() -> Callable[[], None] | None:
    """``preexec_fn`` for :class:`subprocess.Popen`: the child gets SIGKILL when npvr dies (Linux).

    For helper programs (chromium printing PDFs) that would otherwise outlive a kill -9 of npvr.
    """
    import sys

    return _pdeathsig if sys.platform.startswith("linux") else None

