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


def _frames(needs, amounts):
    import pandas as pd

    need = pd.DataFrame(
        [{"region": r, "theme": t, "year": y, "amount": Decimal(a)} for r, t, y, a in needs],
        columns=["region", "theme", "year", "amount"],
    )
    money = pd.DataFrame(
        [
            {"region": r, "theme": t, "year": y, "kind": k, "source_type": "rijk", "party": "BZK",
             "scheme": "A", "amount": Decimal(a)}
            for r, t, y, k, a in amounts
        ]
    )  # fmt: skip
    return need, money


def test_need_without_theme_meets_the_money_of_the_other_themes():
    """Regression: need rows were theme '(alle)' and money per theme, so every need row showed 0 %.

    By hand: achterhoek 2025 needs 1,000 for gezondheid and 10,000 for the rest; committed money
    is 300 on gezondheid, 2,000 on werk and 500 on huisvesting. So gezondheid is covered 30 %, the
    rest (werk + huisvesting = 2,500) 25 %. Twente has only money: no need, coverage None.
    """
    need, money = _frames(
        [("achterhoek", "gezondheid", 2025, "1000"), ("achterhoek", "", 2025, "10000")],
        [
            ("achterhoek", "gezondheid", 2025, "toegezegd", "300"),
            ("achterhoek", "werk", 2025, "toegezegd", "2000"),
            ("achterhoek", "huisvesting", 2025, "toegezegd", "500"),
            ("twente", "werk", 2025, "toegezegd", "7"),
        ],
    )
    df = compute_gap(need, money).set_index(["region", "theme", "year"])
    assert df.loc[("achterhoek", "gezondheid", 2025), "coverage"] == pytest.approx(0.30)
    assert df.loc[("achterhoek", "", 2025), "committed"] == Decimal("2500.00")
    assert df.loc[("achterhoek", "", 2025), "coverage"] == pytest.approx(0.25)
    assert ("achterhoek", "werk", 2025) not in df.index  # its money is in the '' row, not twice
    assert df.loc[("twente", "werk", 2025), "need"] is None
    # every view keeps the totals: by region 11,000 need against 2,800 committed
    by_region = compute_gap(need, money, by=["region"]).set_index("region")
    assert by_region.loc["achterhoek", "need"] == Decimal("11000.00")
    assert by_region.loc["achterhoek", "committed"] == Decimal("2800.00")
    assert sum(df["committed"]) == sum(by_region["committed"]) == Decimal("2807.00")
    by_theme = compute_gap(need, money, by=["theme"]).set_index("theme")
    assert by_theme.loc["", "coverage"] == pytest.approx(0.25)


def test_money_by_region_year_by_hand():
    from npvr.register import MONEY_BY_REGION_YEAR, money_by_region_year

    need, money = _frames(
        [("achterhoek", "", 2025, "1000"), ("achterhoek", "", 2026, "1000")],
        [
            ("achterhoek", "werk", 2025, "gepland", "600"),
            ("achterhoek", "gezondheid", 2025, "gepland", "200"),
            ("achterhoek", "werk", 2025, "toegezegd", "500"),
            ("achterhoek", "werk", 2025, "betaald", "100"),
            ("twente", "werk", 2027, "gepland", "5"),
        ],
    )
    df = money_by_region_year(need, money)
    assert list(df.columns) == list(MONEY_BY_REGION_YEAR)
    rows = [
        tuple(r)
        for r in df[["region", "year", "need", "planned", "committed", "paid"]].itertuples(index=False)
    ]
    d = Decimal
    assert rows == [
        ("achterhoek", 2025, d("1000.00"), d("800.00"), d("500.00"), d("100.00")),
        ("achterhoek", 2026, d("1000.00"), d("0.00"), d("0.00"), d("0.00")),
        ("twente", 2027, None, d("5.00"), d("0.00"), d("0.00")),
    ]
    assert df["coverage"].iloc[0] == pytest.approx(0.5)
    assert len(money_by_region_year(need, money, region="twente")) == 1


def test_shipped_example_shows_coverage_for_regions_with_money(url, ref):
    """Issue 12: with the shipped example, `npvr register gap` without options shows coverage > 0
    for a region that has money, and the figure equals committed / need computed from the files."""
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from npvr.cli import app
    from npvr.register import import_file, money_table

    example = Path(__file__).resolve().parents[2] / "examples" / "register" / "voorbeeld-register.xlsx"
    import_file(example, url, reference=ref)
    r = CliRunner().invoke(app, ["register", "gap", "--db", url, "--json"])
    assert r.exit_code == 0, r.output
    rows = {(x["region"], x["theme"], x["year"]): x for x in json.loads(r.output)}
    # independent: the example's committed money for Achterhoek in 2025 from its own script
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", example.parent / "make_example.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    f = mk.frames()
    b = f["bedragen"]
    measures = f["maatregelen"].set_index("code")["regio"]
    committed = sum(
        Decimal(str(v))
        for m, y, k, v in zip(b["maatregel"], b["jaar"], b["soort"], b["bedrag"], strict=True)
        if measures[m] == "achterhoek" and y == 2025 and k == "toegezegd"
    )
    need = f["behoefte"]
    need_ach = Decimal(
        str(need[(need.regio == "achterhoek") & (need.jaar.astype(int) == 2025)]["bedrag"].iloc[0])
    )
    row = rows[("achterhoek", "", 2025)]
    assert Decimal(row["committed"]) == committed > 0
    assert row["coverage"] == pytest.approx(float(committed / need_ach))
    assert row["coverage"] > 0
    # the plain table (no options) shows the same percentage, in Dutch notation
    table = CliRunner().invoke(app, ["register", "gap", "--db", url])
    pct = f"{100 * row['coverage']:.1f}%".replace(".", ",")
    assert pct in table.output
    # and the stacked-bar data carries the same figures
    mt = money_table(url, region="achterhoek").set_index("year")
    assert mt.loc[2025, "committed"] == committed and mt.loc[2025, "need"] == need_ach
