"""Benchmark ``npvr data build`` against a baseline measured in the same run.

Run on demand (not a test)::

    python benchmarks/bench_build.py [--source ../shared/data] [--repeat 3]

The build (read every raw file, carry older divisions to 2025, derive, write the snapshot) runs in a
fresh process each time, so no in-process cache helps it. The baseline is the floor any build pays:
reading every raw file the build uses into pandas, also in a fresh process. The script prints the
median wall and CPU time of each, the ratio, and the snapshot's size against the 5 MB budget and the
30 s target (the machine is shared: CPU time is the steadier number).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = """
import sys
from npvr.data.build import build_snapshot
build_snapshot(sys.argv[1], sys.argv[2])
"""
BASELINE = """
import sys
from pathlib import Path
import pandas as pd
from npvr.data.build import RAW_FILES
src = Path(sys.argv[1])
for rel in RAW_FILES:
    p = src / rel
    if p.suffix == ".csv":
        pd.read_csv(p, sep=None, engine="python", dtype=str, encoding="utf-8-sig", on_bad_lines="skip")
    else:
        p.read_bytes()
"""


def _run(code: str, *args: str) -> tuple[float, float]:
    """Wall and CPU seconds of a fresh Python process running ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=os.environ.get("NPVR_SHARED_DATA", "../shared/data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    builds, bases = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "snapshot"
        for _ in range(args.repeat):
            bases.append(_run(BASELINE, args.source))
            builds.append(_run(BUILD, args.source, str(out)))
        size = sum(f.stat().st_size for f in out.iterdir())
    bw, bc = statistics.median(w for w, _ in builds), statistics.median(c for _, c in builds)
    rw, rc = statistics.median(w for w, _ in bases), statistics.median(c for _, c in bases)
    print(f"baseline (read the raw files): wall {rw:6.2f} s  cpu {rc:6.2f} s")
    print(f"npvr data build:               wall {bw:6.2f} s  cpu {bc:6.2f} s")
    print(f"ratio build / baseline:        wall {bw / rw:6.2f}x   cpu {bc / rc:6.2f}x")
    print(f"target < 30 s: {'met' if bw < 30 else 'NOT met'} (wall), {'met' if bc < 30 else 'NOT met'} (cpu)")
    print(f"snapshot size: {size / 1e6:.2f} MB (budget 5 MB: {'met' if size < 5e6 else 'NOT met'})")


if __name__ == "__main__":
    main()
