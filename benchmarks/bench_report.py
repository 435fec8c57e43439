"""Benchmark ``npvr report`` on the shipped snapshot: wall time and peak memory, with a baseline.

Run on demand (not a test)::

    /work/venv/bin/python benchmarks/bench_report.py [--repeat 1]

Each run is a fresh Python process (imports count, as for a user). Memory is the peak of the sum
of resident set sizes over the process tree (the report draws PNGs in up to 2 worker processes),
sampled every 50 ms from /proc (proportional set size: pages shared
by fork count once). CPU seconds of the whole tree are printed too: unlike wall time they do not
depend on how busy the shared machine is. The bar from the issue: the whole report with its 11
region pages and 11 PDFs (headless Chromium) < 30 s wall, < 1 GB, and the monitor page's HTML
< 8 MB. Chromium's CPU is counted too (its processes are children of the report).

Baseline, measured in the same run: the floor every report pays - start Python, load the
snapshot and the region set, aggregate all indicators for NPVR / rest / NL, and write one HTML file
with plotly.js inline. The printed ratio is full report / baseline.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FULL = """
from npvr.report.build import build_report
r = build_report({out!r})
assert len(r.region_pages) == 11 and len(r.region_pdfs) == 11, (r.region_pdfs, r.notes)
"""

BASELINE = """
import npvr
from npvr.monitor.gaps import group_values
from npvr.report.assets import plotly_js
snap = npvr.load_snapshot()
regions = npvr.load_regions()
groups = regions.groups(snap.gemeenten.index)
ids = [i for i, ind in snap.catalogue.items() if ind.aggregation != "sum"]
group_values(snap.values, groups, snap.catalogue, indicators=ids)
import os
os.makedirs({out!r}, exist_ok=True)
open(os.path.join({out!r}, "index.html"), "w").write("<script>" + plotly_js() + "</script>")
"""


def _tree_rss_kb(pid: int) -> int:
    """Sum of proportional set size (Pss) over ``pid`` and its descendants.

    Pss splits pages shared after fork() between the processes, so forked workers are not
    counted twice (plain RSS would be).
    """
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def measure(code: str) -> tuple[float, float, float]:
    """(wall seconds, peak MB, CPU seconds of the whole process tree) of ``code`` in a fresh interpreter.

    CPU seconds do not depend on how busy the shared machine is; wall time does.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code])
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark process failed with exit code {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, peak / 1024, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for i in range(args.repeat):
            b = measure(BASELINE.format(out=str(Path(tmp) / f"base{i}")))
            f = measure(FULL.format(out=str(Path(tmp) / f"full{i}")))
            rows.append((b, f))
        try:
            load = os.getloadavg()[0]
        except OSError:
            load = float("nan")
        print(f"cpus={os.cpu_count()} load1={load:.2f}")
        for i, ((bt, bm, bc), (ft, fm, fc)) in enumerate(rows):
            print(
                f"run {i}: baseline {bt:6.2f} s (cpu {bc:5.2f} s) {bm:6.0f} MB | "
                f"full report {ft:6.2f} s (cpu {fc:5.2f} s) {fm:6.0f} MB | "
                f"ratio wall {ft / bt:5.2f}x cpu {fc / bc:5.2f}x memory {fm / bm:5.2f}x"
            )
        best_t = min(f[0] for _, f in rows)
        worst_m = max(f[1] for _, f in rows)
        full = Path(tmp) / "full0"
        html_mb = (full / "rapport.html").stat().st_size / 1e6
        pdfs = sorted((full / "regio").glob("*.pdf"))
        pages = sorted((full / "regio").glob("*.html"))
        print(
            f"monitor page {html_mb:.2f} MB, {len(pages)} region pages "
            f"({sum(p.stat().st_size for p in pages) / 1e6:.1f} MB), {len(pdfs)} PDFs "
            f"({sum(p.stat().st_size for p in pdfs) / 1e6:.1f} MB)"
        )
        ok = best_t < 30 and worst_m < 1024 and html_mb < 8 and len(pdfs) == 11
        print(
            f"bar (<30 s with 11 PDFs, <1 GB, HTML <8 MB): {'met' if ok else 'NOT met'} "
            f"(best {best_t:.2f} s, peak {worst_m:.0f} MB, HTML {html_mb:.2f} MB; load1 {load:.1f} on "
            f"{os.cpu_count()} cores)"
        )


if __name__ == "__main__":
    main()
