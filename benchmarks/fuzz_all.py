"""Fuzz every npvr parser with mutated inputs; print accepted / refused / crashed / hang per parser.

    python benchmarks/fuzz_all.py [--cases 10800] [--seed 0] [--shallow] [--save DIR]

Inputs are mutated from the shipped examples (region file, index configs, policies, grenstoets
form, register workbook and CSVs) plus generated ``profile`` queries and ``--out``/``--db`` values
(see ``tests/fuzz/fuzzkit.py``). Accepted inputs also run the job (toets, index build, register
import into a scratch SQLite) unless ``--shallow``. Each case has a 10 s limit (a hang). Target:
0 crashed, 0 hang. Crashes are grouped by exception and place; ``--save`` writes a reproducer per
crash class.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

import fuzzkit

SHARE = {  # relative number of cases per parser
    "regions": 18,
    "index_config": 14,
    "policy": 18,
    "grensform": 12,
    "register_csv": 14,
    "register_xlsx": 8,
    "profile": 4,
    "out": 6,
    "db": 6,
}
LIMIT_S = 10


class Hang(Exception):
    pass


def _alarm(_sig: int, _frame: object) -> None:
    raise Hang()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=10_800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shallow", action="store_true", help="parse only; do not run the jobs")
    ap.add_argument("--save", type=Path, default=None, help="folder for one reproducer per crash class")
    ap.add_argument("--only", default=None, help="comma-separated parsers")
    args = ap.parse_args()

    kinds = args.only.split(",") if args.only else list(SHARE)
    total_share = sum(SHARE[k] for k in kinds)
    plan = {k: max(1, round(args.cases * SHARE[k] / total_share)) for k in kinds}
    rnd = random.Random(args.seed)
    counts: dict[str, collections.Counter[str]] = {k: collections.Counter() for k in kinds}
    crashes: dict[tuple[str, str, str], tuple[int, object]] = {}
    slowest: dict[str, float] = collections.defaultdict(float)
    signal.signal(signal.SIGALRM, _alarm)
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="npvr-fuzz-") as scratch:
        cwd = os.getcwd()
        os.chdir(scratch)  # relative paths (sqlite files, --out) land in the scratch folder
        try:
            runners = fuzzkit.Runners(Path(scratch), deep=not args.shallow)
            xlsx_seed = (fuzzkit.EXAMPLES / "register" / "voorbeeld-register.xlsx").read_bytes()
            for kind in kinds:
                run = getattr(runners, kind)
                for _ in range(plan[kind]):
                    case = fuzzkit.make_case(kind, rnd, xlsx_seed)
                    t0 = time.perf_counter()
                    signal.alarm(LIMIT_S)
                    try:
                        out = fuzzkit.classify(lambda c=case, r=run: r(c))
                    except Hang:
                        out = fuzzkit.Outcome("hang", f"over {LIMIT_S} s")
                    finally:
                        signal.alarm(0)
                    slowest[kind] = max(slowest[kind], time.perf_counter() - t0)
                    counts[kind][out.status] += 1
                    if out.status in ("crashed", "hang"):
                        key = (kind, out.detail.split(":")[0], out.where)
                        n, first = crashes.get(key, (0, case))
                        crashes[key] = (n + 1, first)
        finally:
            os.chdir(cwd)
    elapsed = time.perf_counter() - t_all
    n_all = sum(sum(c.values()) for c in counts.values())
    print(f"{'parser':<15}{'cases':>7}{'accepted':>10}{'refused':>9}{'crashed':>9}{'hang':>6}{'max s':>8}")
    for kind in kinds:
        c = counts[kind]
        print(
            f"{kind:<15}{sum(c.values()):>7}{c['accepted']:>10}{c['refused']:>9}{c['crashed']:>9}"
            f"{c['hang']:>6}{slowest[kind]:>8.2f}"
        )
    n_crash = sum(c["crashed"] + c["hang"] for c in counts.values())
    print(
        f"{'total':<15}{n_all:>7}  crashed+hang: {n_crash}  ({elapsed:.0f} s, {n_all / elapsed:.0f} cases/s)"
    )
    if crashes:
        print("\ncrash classes (parser, exception, place: count):")
        for (kind, exc, where), (n, case) in sorted(crashes.items(), key=lambda kv: -kv[1][0]):
            print(f"  {kind:<14} {exc:<28} {where:<45} {n}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                name = f"{kind}-{exc}-{where.replace('/', '_').replace(':', '_')}"
                data = case if isinstance(case, bytes) else str(case).encode("utf-8", "surrogatepass")
                (args.save / name).write_bytes(data)
    return 1 if n_crash else 0


if __name__ == "__main__":
    raise SystemExit(main())
