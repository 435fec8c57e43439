"""Benchmark the index what-if of the web app: the server recompute for the 342 gemeenten.

Run on demand (not a test)::

    python benchmarks/bench_web_whatif.py [--repeat 50]

Three timings in the same run, each the median over ``--repeat`` calls with different weights:

* baseline: a full ``npvr.index.build_index`` with the changed weights (prepare + build), what a
  naive route would do on every slider move;
* library: the web adapter's recompute, ``npvr.web.views.whatif`` (the prepared data is reused;
  only normalise/aggregate/rank run again) - the figure the issue asks to keep under 20 ms;
* request: ``POST /api/index/whatif`` through the whole app in-process (JSON of 342 rows).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    out = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    import tempfile

    from fastapi.testclient import TestClient

    from npvr.index import build_index, load_config
    from npvr.register import init_register
    from npvr.web import WebSettings, create_app, views

    opts = views.index_options()
    domains = [d["id"] for d in opts["domains"]]
    rng = np.random.default_rng(0)
    weights = [
        dict(zip(domains, rng.uniform(0.2, 3.0, len(domains)).round(2).tolist(), strict=True))
        for _ in range(args.repeat)
    ]
    cfg = load_config(None)

    def baseline(i: int) -> None:
        c = cfg.model_copy(deep=True)
        c.methods.weights = "manual"
        for d in c.domains:
            d.weight = weights[i][d.id]
            for ind in d.indicators:
                ind.weight = 1.0
        build_index(c)

    def library(i: int) -> None:
        views.whatif(weights[i], {})

    # same result both ways (ranks), checked once
    baseline(0)
    c0 = cfg.model_copy(deep=True)
    c0.methods.weights = "manual"
    for d in c0.domains:
        d.weight = weights[0][d.id]
        for ind in d.indicators:
            ind.weight = 1.0
    ranks_base = build_index(c0).scores.set_index("code")["rank"]
    ranks_web = {s["code"]: s["rank"] for s in views.whatif(weights[0], {})["scores"]}
    agree = all(ranks_web[c] == r for c, r in ranks_base.items())

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/r.sqlite"
        init_register(url)
        client = TestClient(create_app(WebSettings(db_url=url, secure_cookies=False)))

        def request(i: int) -> None:
            r = client.post("/api/index/whatif", json={"weights": weights[i]})
            assert r.status_code == 200

        request(0)
        t_base = timed(baseline, args.repeat)
        t_lib = timed(library, args.repeat)
        t_req = timed(request, args.repeat)
    print(
        f"what-if for {opts['n_units']} gemeenten, median of {args.repeat} "
        f"(ranks agree with build_index: {agree})"
    )
    print(f"  baseline build_index        {t_base:8.1f} ms")
    print(f"  library  views.whatif       {t_lib:8.1f} ms   ({t_base / t_lib:.1f}x faster; target < 20 ms)")
    print(f"  request  POST /api/index/whatif {t_req:8.1f} ms")


if __name__ == "__main__":
    main()
