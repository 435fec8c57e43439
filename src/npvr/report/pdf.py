"""Region pages as A4 PDFs, printed by headless Chromium (a real browser engine, no second layout).

The region page has a print style sheet (A4, static PNG figures instead of interactive ones,
black-and-white-safe symbols next to every colour), so the PDF is exactly what a reader gets when
printing the page. Chromium is the Debian package that CI installs for the browser test; without
it the report is still complete and says that the PDFs were skipped.

Two Chromium processes print at a time (the machine is shared); each gets its own throw-away
profile folder and a time limit, and is killed if it overruns, so no browser outlives the report.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from npvr.i18n import t
from npvr.output import child_dies_with_parent

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
)
TIMEOUT = 60.0


def chromium() -> str | None:
    """The Chromium executable (``$NPVR_CHROMIUM``, else ``chromium`` or ``chromium-browser`` on PATH)."""
    env = os.environ.get("NPVR_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def print_pdfs(
    root: Path,
    pages: list[str],
    *,
    lang: str = "nl",
    parallel: int = 2,
    targets: list[str] | None = None,
) -> tuple[list[str], str]:
    """Print ``root/<page>`` to a PDF beside it for every page; returns (PDFs, note).

    ``targets`` names the page each PDF is called after (``regio/x.html`` -> ``regio/x.pdf``), when
    the printed file is a twin of it. The note is empty on success and says in ``lang`` why PDFs are
    missing otherwise.
    """
    exe = chromium()
    if exe is None:
        return [], t("pdf_no_chromium", lang)
    names = dict(zip(pages, targets or pages, strict=True))
    todo = list(pages)
    running: list[tuple[subprocess.Popen[bytes], str, str, float]] = []
    done: list[str] = []
    failed: list[str] = []
    import time

    while todo or running:
        while todo and len(running) < parallel:
            page = todo.pop(0)
            pdf = str(Path(names[page]).with_suffix(".pdf"))
            # inside the (temporary) output folder: a crash leaves nothing in /tmp, the next run cleans it
            profile = tempfile.mkdtemp(prefix=".npvr-pdf-", dir=root)
            cmd = [
                exe,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={root / pdf}",
                (root / page).resolve().as_uri(),
            ]
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=child_dies_with_parent(),
            )
            running.append((proc, pdf, profile, time.monotonic()))
        time.sleep(0.05)
        still = []
        for proc, pdf, profile, started in running:
            code = proc.poll()
            if code is None and time.monotonic() - started < TIMEOUT:
                still.append((proc, pdf, profile, started))
                continue
            if code is None:
                proc.kill()
                proc.wait()
            shutil.rmtree(profile, ignore_errors=True)
            if code == 0 and (root / pdf).exists() and (root / pdf).stat().st_size > 1000:
                done.append(pdf)
            else:
                failed.append(pdf)
        running = still
    note = t("pdf_failed", lang, pages=", ".join(sorted(failed))) if failed else ""
    return sorted(done), note
