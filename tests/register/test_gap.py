"""The gap view equals sums computed independently, in plain Python, from the input itself."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from numpy.testing import assert_allclose

from npvr.errors import ConfigError
from npvr.register import SOURCE_TYPES, compute_gap, gap_table, open_register

SOURCES = [
    ("rijk", "BZK", "Regio Deal"),
    ("rijk", "IenW", "BDU"),
    ("provincie", "Gelderland", "RIA"),
    ("eu", "EFRO", "OP Oost"),
    ("gemeenten", "Aalten", ""),
    ("privaat", "Bedrijf", ""),
]


def _fill(url, ref, seed=0):
    """Random measures/amounts/need; returns the input as plain tuples for the independent sums."""
    rng = random.Random(seed)
    svc = open_register(url, reference=ref)
    measures = [
        ("M1", "achterhoek", "gezondheid"),
        ("M2", "achterhoek", "gezondheid"),
        ("M3", "twente", "huisvesting"),
    ]
    for code, region, theme in measures:
        svc.create_measure(code, region=region, title=code, theme=theme)
    amounts = {}
    for code, region, theme in measures:
        for year in (2025, 2026):
            for src in rng.sample(SOURCES, 3):
                for kind in ("gepland", "toegezegd", "betaald"):
                    cents = rng.randint(0, 10**9)
                    amounts[(code, region, theme, year, src, kind)] = Decimal(cents).scaleb(-2)
    # write through the bulk import (fast) — the same rows the test sums below
    rows = [
        (
            None,
            {
                "maatregel": k[0],
                "jaar": k[3],
                "soort": k[5],
                "bron": k[4][0],
                "partij": k[4][1],
                "regeling": k[4][2],
                "bedrag": v,
            },
        )
        for k, v in amounts.items()
    ]
    svc.import_rows({"bedragen": rows})
    need = {
        ("achterhoek", "gezondheid", 2025): Decimal("1000000.00"),
        ("twente", "huisvesting", 2026): Decimal("5.55"),
    }
    need[("twente", "gezondheid", 2025)] = Decimal("123.45")  # a need without any money
    for (region, theme, year), v in need.items():
        svc.set_need(region, year=year, theme=theme, amount=v)
    return svc, amounts, need


def test_gap_equals_independent_sums(url, ref):
    svc, amounts, need = _fill(url, ref)
    df = svc.gap()
    cells = {(r.region, r.theme, r.year): r for r in df.itertuples()}
    expected_cells = {(k[1], k[2], k[3]) for k in amounts} | set(need)
    assert set(cells) == expected_cells
    for cell, row in cells.items():
        tot = {
            kind: sum(
                (v for k, v in amounts.items() if (k[1], k[2], k[3]) == cell and k[5] == kind), Decimal(0)
            )
            for kind in ("gepland", "toegezegd", "betaald")
        }
        assert (row.planned, row.committed, row.paid) == (tot["gepland"], tot["toegezegd"], tot["betaald"])
        n = need.get(cell)
        assert row.need == n
        assert row.gap == (n - tot["toegezegd"] if n is not None else None)
        assert row.gap_planned == (n - tot["gepland"] if n is not None else None)
        planned_by_type = defaultdict(Decimal)
        schemes = set()
        for k, v in amounts.items():
            if (k[1], k[2], k[3]) == cell and k[5] == "gepland":
                planned_by_type[k[4][0]] += v
                if v > 0:
                    schemes.add(k[4])
        if tot["gepland"]:
            shares = [float(planned_by_type[t] / tot["gepland"]) for t in SOURCE_TYPES]
            assert_allclose([getattr(row, f"share_{t}") for t in SOURCE_TYPES], shares, rtol=1e-12)
            assert_allclose(sum(shares), 1.0)
            assert row.schemes == len(schemes)
            assert_allclose(row.schemes_per_eur_m, len(schemes) / float(tot["gepland"] / Decimal(10**6)))
        else:
            assert row.schemes == 0 and math.isnan(row.schemes_per_eur_m)
    assert cells[("twente", "gezondheid", 2025)].planned == Decimal("0.00")
    assert cells[("twente", "gezondheid", 2025)].gap == Decimal("123.45")


def test_gap_by_region_sums_the_cells(url, ref):
    svc, amounts, need = _fill(url, ref, seed=1)
    by_region = svc.gap(by=["region"]).set_index("region")
    for region in ("achterhoek", "twente"):
        committed = sum((v for k, v in amounts.items() if k[1] == region and k[5] == "toegezegd"), Decimal(0))
        n = sum((v for k, v in need.items() if k[0] == region), Decimal(0))
        assert by_region.loc[region, "committed"] == committed
        assert by_region.loc[region, "gap"] == n - committed
    # gap_table (the report's entry point) is the same view
    assert gap_table(url).equals(svc.gap())
    with pytest.raises(ConfigError, match="kan niet groeperen op gemeente"):
        svc.gap(by=["gemeente"])


def test_fragmentation_by_hand():
    """Two schemes for €500,000 planned = 4 schemes per €1 m; shares 0.8 / 0.2."""
    import pandas as pd

    need = pd.DataFrame(
        [{"region": "r", "theme": "gezondheid", "year": 2025, "amount": Decimal("1000000.00")}]
    )
    amounts = pd.DataFrame(
        [
            {"region": "r", "theme": "gezondheid", "year": 2025, "kind": "gepland", "source_type": "rijk",
             "party": "BZK", "scheme": "A", "amount": Decimal("400000.00")},
            {"region": "r", "theme": "gezondheid", "year": 2025, "kind": "gepland", "source_type": "eu",
             "party": "EFRO", "scheme": "", "amount": Decimal("100000.00")},
            {"region": "r", "theme": "gezondheid", "year": 2025, "kind": "toegezegd", "source_type": "rijk",
             "party": "BZK", "scheme": "A", "amount": Decimal("250000.00")},
        ]
    )  # fmt: skip
    row = compute_gap(need, amounts).iloc[0]
    assert row["schemes"] == 2 and row["schemes_per_eur_m"] == pytest.approx(4.0)
    assert (row["share_rijk"], row["share_eu"]) == (pytest.approx(0.8), pytest.approx(0.2))
    assert row["gap"] == Decimal("750000.00") and row["coverage"] == pytest.approx(0.25)
