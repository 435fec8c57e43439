"""Load benchmark of ``npvr serve``: concurrent clients on the read pages and API, loopback only.

Run on demand (not a test; needs PostgreSQL, default $NPVR_TEST_POSTGRES_URL or
postgresql+psycopg://postgres@127.0.0.1:5432/test)::

    python benchmarks/bench_web_load.py [--clients 50] [--seconds 60] [--workers 2] [--think 1.0]

What it does: creates a fresh PostgreSQL schema, initialises and seeds the register with the
shipped example workbook, starts ``npvr serve --workers N`` on 127.0.0.1 (a free port) as a
subprocess, warms each worker up, then runs ``--clients`` concurrent clients (asyncio + httpx) for
``--seconds``; each client loops over the read pages and their JSON twins (home, the 11 region
pages, the indicator explorer at every level, the index what-if with random weights), waiting
``--think`` seconds between requests like a person reading (0 = as fast as possible). It prints
requests, errors (non-2xx or transport errors), throughput and the p50/p95/p99 latency overall and
per route, and a baseline measured in the same run: one client, no think time, same routes.
Everything is bounded by --seconds and torn down at the end (server stopped, schema dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]


INDICATORS = ("aandeel_65plus", "inwoners", "afstand_huisarts", "bevolkingsgroei", "grijze_druk")


def routes(rng: random.Random, region_ids: list[str]) -> tuple[str, str, dict | None]:
    """One random read request: (route name, path, JSON body for POST or None)."""
    r = rng.choice(region_ids)
    level = rng.choice(["gemeente", "corop", "provincie", "npvr"])
    ind = rng.choice(INDICATORS)
    w = {d: round(rng.uniform(0, 3), 1) for d in ("inkomen", "werk", "gezondheid", "opleiding")}
    choices = [
        ("page /", "/", None),
        ("page /regio", f"/regio/{r}", None),
        ("page /indicatoren", f"/indicatoren?indicator={ind}&level={level}", None),
        ("page /index", "/index?" + "&".join(f"w_{k}={v}" for k, v in w.items()), None),
        ("api home", "/api/home", None),
        ("api region", f"/api/regions/{r}", None),
        ("api explorer", f"/api/explorer?indicator={ind}&level={level}", None),
        ("api whatif", "/api/index/whatif", {"weights": w}),
    ]
    return rng.choice(choices)


async def client_loop(
    base: str, until: float, think: float, seed: int, out: list, region_ids: list[str]
) -> None:
    import httpx

    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        await asyncio.sleep(rng.uniform(0, think or 0.01))  # spread the starts
        while time.monotonic() < until:
            name, path, body = routes(rng, region_ids)
            t = time.perf_counter()
            try:
                r = await (c.post(path, json=body) if body is not None else c.get(path))
                ok = 200 <= r.status_code < 300
            except httpx.HTTPError:
                ok = False
            out.append((name, time.perf_counter() - t, ok))
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))


def run_load(base: str, clients: int, seconds: float, think: float, region_ids: list[str]) -> list:
    out: list = []
    until = time.monotonic() + seconds

    async def main() -> None:
        await asyncio.gather(*(client_loop(base, until, think, i, out, region_ids) for i in range(clients)))

    asyncio.run(main())
    return out


def report(title: str, results: list, seconds: float) -> None:
    lat = sorted(x[1] * 1000 for x in results)
    errors = sum(1 for x in results if not x[2])

    def pct(v: list[float], q: float) -> float:
        return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")

    print(
        f"\n{title}: {len(results)} requests in {seconds:.0f} s ({len(results) / seconds:.1f}/s), "
        f"errors {errors}"
    )
    print(
        f"  latency ms: p50 {pct(lat, 0.5):.1f}  p95 {pct(lat, 0.95):.1f}  p99 {pct(lat, 0.99):.1f}  "
        f"max {lat[-1]:.1f}"
    )
    by: dict[str, list[float]] = {}
    for name, t, _ok in results:
        by.setdefault(name, []).append(t * 1000)
    for name in sorted(by):
        v = sorted(by[name])
        print(f"    {name:18s} n={len(v):5d}  p50 {statistics.median(v):7.1f}  p95 {pct(v, 0.95):7.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--settle", type=float, default=20, help="wait after the first answer (s)")
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a client's requests (s)")
    ap.add_argument(
        "--pg",
        default=os.environ.get("NPVR_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    args = ap.parse_args()
    if args.seconds > 600 or args.clients > 500:
        sys.exit("bounded benchmark: at most 600 s and 500 clients")

    import httpx
    import sqlalchemy as sa

    import npvr
    from npvr.register import import_file, init_register

    schema = f"npvr_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(args.pg)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.pg else "?"
    url = f"{args.pg}{sep}options={quote(f'-csearch_path={schema}')}"
    proc = None
    try:
        init_register(url)
        import_file(REPO / "examples" / "register" / "voorbeeld-register.xlsx", url, actor="bench")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "NPVR_REGISTER_URL": url}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from npvr.cli import main; main()",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--insecure-cookies",
                "--no-init",
            ],
            env=env,
            start_new_session=True,
        )
        region_ids = [r.id for r in npvr.load_regions().regions]
        missing = set(INDICATORS) - set(npvr.load_snapshot().catalogue)
        if missing:
            sys.exit(f"unknown indicators in the benchmark: {sorted(missing)}")
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/api/home", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                sys.exit("server did not start")
            time.sleep(0.5)
        time.sleep(args.settle)  # the other workers may still be filling their caches
        # warm every worker's per-process caches (each request may land on any worker)
        run_load(base, 2 * args.workers, 8, 0, region_ids)
        base_res = run_load(base, 1, 10, 0, region_ids)
        print(f"npvr serve --workers {args.workers} on PostgreSQL, loopback; {os.cpu_count()} CPU cores")
        report("baseline (1 client, no think time, 10 s)", base_res, 10)
        res = run_load(base, args.clients, args.seconds, args.think, region_ids)
        report(
            f"load ({args.clients} clients, think {args.think} s, {args.seconds:.0f} s)", res, args.seconds
        )
        lat = sorted(x[1] * 1000 for x in res)
        p95 = lat[int(0.95 * len(lat))]
        errors = sum(1 for x in res if not x[2])
        verdict = "MEETS" if errors == 0 and p95 < 200 else "MISSES"
        print(f"\n{verdict} the target (0 errors, p95 < 200 ms): errors {errors}, p95 {p95:.1f} ms")
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        from npvr.register import db

        db.make_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
