"""Benchmark the register at scale: import and export a workbook of 100,000 amount rows.

Run on demand (not a test)::

    python benchmarks/bench_register.py [--rows 100000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

It generates a workbook (2,000 measures of the 11 NPVR regions, 10 years, five amounts per
measure and year = 100,000 amount rows, plus a need row per region, theme and year), then on
SQLite and on PostgreSQL times

* ``import_file`` into an empty register (read the workbook, validate every row, write all rows
  and their audit entries in one transaction),
* ``import_file`` of the same workbook again (validate everything, nothing changes),
* ``export_file`` to a new workbook,

and prints each against a baseline measured in the same run: the bare floor of the same work
(openpyxl read-only iteration of the cells for the import, a plain executemany of the same rows
into an unconstrained table for the write, a write-only workbook of the same cells for the
export). The target is under 15 s for the import and for the export on each backend.
PostgreSQL runs in a schema of its own, dropped afterwards; it is skipped with a note when the
server cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import sqlalchemy as sa

from npvr.register import export_file, import_file, init_register, open_register
from npvr.register.io import read_exchange, write_exchange
from npvr.register.models import THEMES
from npvr.register.reference import default_reference
from npvr.register.validate import SHEETS

TARGET_S = 15.0
SOURCES = [
    ("gepland", "rijk", "BZK", "Regio Deal"),
    ("gepland", "provincie", "Provincie", "Regionale investeringen"),
    ("gepland", "eu", "EFRO", "OP Oost"),
    ("toegezegd", "rijk", "BZK", "Regio Deal"),
    ("betaald", "rijk", "BZK", "Regio Deal"),
]


def make_frames(rows: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """A register with ``rows`` amount rows (a multiple of 50), valid against the shipped reference."""
    rng = random.Random(seed)
    ref = default_reference()
    regions = sorted(ref.regions)
    n_measures = rows // (10 * len(SOURCES))
    cols = {s: [c.name for c in cs] for s, cs in SHEETS.items()}
    measures, amounts = [], []
    for i in range(n_measures):
        region = regions[i % len(regions)]
        members = sorted(ref.regions[region])
        code = f"{region[:3].upper()}-{i:05d}"
        gms = ", ".join(rng.sample(members, min(2, len(members))))
        theme = THEMES[i % len(THEMES)]
        title = f"Maatregel {i} (benchmark)"
        measures.append([code, region, None, title, None, theme, None, gms, None, None])
        for year in range(2025, 2035):
            planned = rng.randint(10_000, 5_000_000) * 100
            for kind, src, party, scheme in SOURCES:
                cents = planned if kind == "gepland" else planned // (2 if kind == "toegezegd" else 4)
                amounts.append([code, year, kind, src, party, scheme, Decimal(cents).scaleb(-2), None, None])
    need = [
        [r, t, y, Decimal(rng.randint(10**6, 10**8)), "benchmark", None]
        for r in regions
        for t in ("", *THEMES[:3])
        for y in range(2025, 2035)
    ]
    return {
        "plannen": pd.DataFrame([], columns=cols["plannen"]),
        "maatregelen": pd.DataFrame(measures, columns=cols["maatregelen"]),
        "bedragen": pd.DataFrame(amounts, columns=cols["bedragen"]),
        "behoefte": pd.DataFrame(need, columns=cols["behoefte"]),
    }


CPU: dict[str, float] = {}


def _timed(fn, *args, label: str = "", **kw):  # type: ignore[no-untyped-def]
    """Wall time (returned) and this process's CPU time (kept in CPU[label]; the machine is shared)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn(*args, **kw)
    CPU[label] = time.process_time() - c
    return time.perf_counter() - t, out


def floor_read(path: Path) -> float:
    """Baseline: iterate every cell of the workbook with openpyxl read-only, nothing else."""
    from openpyxl import load_workbook

    t = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    wb.close()
    return time.perf_counter() - t


def floor_write(url: str, frames: dict[str, pd.DataFrame]) -> float:
    """Baseline: one executemany of the amount rows into a bare table (no checks, no audit)."""
    eng = sa.create_engine(url)
    md = sa.MetaData()
    t_ = sa.Table(
        f"bench_floor_{uuid.uuid4().hex[:6]}",
        md,
        sa.Column("measure", sa.String(64)),
        sa.Column("year", sa.Integer),
        sa.Column("kind", sa.String(16)),
        sa.Column("source", sa.String(16)),
        sa.Column("amount", sa.BigInteger),
    )
    md.create_all(eng)
    b = frames["bedragen"]
    rows = [
        {"measure": m, "year": y, "kind": k, "source": s, "amount": int(a * 100)}
        for m, y, k, s, a in zip(b["maatregel"], b["jaar"], b["soort"], b["bron"], b["bedrag"], strict=True)
    ]
    t = time.perf_counter()
    with eng.begin() as conn:
        conn.execute(sa.insert(t_), rows)
    dt_ = time.perf_counter() - t
    md.drop_all(eng)
    eng.dispose()
    return dt_


def floor_export(frames: dict[str, pd.DataFrame], out: Path) -> float:
    """Baseline: a write-only workbook of the same cells, no formats, no checks."""
    from openpyxl import Workbook

    t = time.perf_counter()
    wb = Workbook(write_only=True)
    for sheet, df in frames.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(df.columns))
        for row in df.itertuples(index=False):
            ws.append([None if isinstance(v, float) and v != v else v for v in row])
    wb.save(out)
    return time.perf_counter() - t


def run_backend(name: str, url: str, workbook: Path, frames: dict[str, pd.DataFrame], tmp: Path) -> None:
    init_register(url)
    ref = default_reference()
    n = len(frames["bedragen"])
    t_read, _raw = _timed(read_exchange, workbook, label="read")
    t_import, result = _timed(import_file, workbook, url, actor="bench", reference=ref, label="import")
    assert result.counts["bedragen"] == n, result.counts
    svc = open_register(url)
    assert len(svc.amounts()) == n
    log_rows = len(svc.log())
    t_again, _ = _timed(import_file, workbook, url, actor="bench", reference=ref, label="again")
    assert len(svc.log()) == log_rows  # nothing changed, nothing logged
    out = tmp / f"export-{name}.xlsx"
    t_export, _ = _timed(export_file, out, url, label="export")
    t_floor_read = floor_read(workbook)
    t_floor_write = floor_write(url, frames)
    t_floor_export = floor_export(frames, tmp / f"floor-{name}.xlsx")
    floor_import = t_floor_read + t_floor_write

    def line(label: str, t: float, base: float, cpu: float, target: float | None = None) -> str:
        verdict = "" if target is None else ("  OK" if t < target else f"  ABOVE TARGET {target:.0f} s")
        return (
            f"  {label:<28} {t:7.2f} s wall ({cpu:6.2f} s cpu)   floor {base:6.2f} s   "
            f"ratio {t / base:5.2f}x{verdict}"
        )

    print(f"{name}: {n:,} amount rows, {log_rows:,} audit entries")
    print(line("import (empty register)", t_import, floor_import, CPU["import"], TARGET_S))
    print(f"    of which reading the workbook {t_read:7.2f} s wall ({CPU['read']:6.2f} s cpu)")
    print(line("import again (no changes)", t_again, floor_import, CPU["again"]))
    print(line("export", t_export, t_floor_export, CPU["export"], TARGET_S))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--only", choices=["sqlite", "postgres"], default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="npvr-bench-register-") as d:
        tmp = Path(d)
        t, frames = _timed(make_frames, args.rows, label="make")
        workbook = tmp / "register.xlsx"
        t2, _ = _timed(write_exchange, frames, workbook, label="write")
        n = len(frames["bedragen"])
        print(f"generated {n:,} amount rows in {t:.1f} s, workbook written in {t2:.1f} s")
        load = os.getloadavg()[0]
        print(
            f"machine: {os.cpu_count()} cores, load average {load:.1f} — wall times stretch with the load; "
            "the cpu column is this process's own work"
        )
        if args.only in (None, "sqlite"):
            run_backend("SQLite", f"sqlite:///{tmp / 'bench.sqlite'}", workbook, frames, tmp)
        if args.only in (None, "postgres"):
            schema = f"npvr_bench_{uuid.uuid4().hex[:8]}"
            try:
                admin = sa.create_engine(args.pg, connect_args={"connect_timeout": 3})
                with admin.begin() as conn:
                    conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
            except sa.exc.OperationalError as exc:
                print(f"PostgreSQL: not reachable at {args.pg} ({exc.orig}); skipped")
                return
            sep = "&" if "?" in args.pg else "?"
            url = f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}"
            try:
                run_backend("PostgreSQL", url, workbook, frames, tmp)
            finally:
                from npvr.register import db

                db.make_engine(url).dispose()
                with admin.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()


if __name__ == "__main__":
    main()
