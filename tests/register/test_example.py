"""The shipped illustration of the need and the example workbook: correct, current, importable."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from numpy.testing import assert_allclose

from npvr.register import import_file, open_register
from npvr.register.example import example_need, shipped_example_path
from npvr.register.io import read_exchange
from npvr.register.validate import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "register"


def _rows(path: Path) -> dict[str, list[dict]]:
    return {k: [v for _r, v in rows] for k, rows in read_exchange(path).items()}


def test_example_need_splits_10_5_bn_by_population(snapshot):
    import npvr

    df = example_need()
    assert list(df["jaar"].unique()) == list(range(2025, 2035))
    assert sum(df["bedrag"]) == Decimal("10500000000.00")
    per_year = df.groupby("jaar")["bedrag"].sum()
    assert set(per_year) == {Decimal("1050000000.00")}
    assert (df["thema"] == "").all() and df["bron"].str.startswith("ILLUSTRATIE").all()
    # independent: population per region via the membership series of the areas API
    member = npvr.load_regions().membership()
    v = snapshot.values
    v = v[(v.indicator_id == "inwoners") & (v.period == v[v.indicator_id == "inwoners"].period.max())]
    pop = v.set_index("area_code")["value"].groupby(member).sum()
    expected = pop / pop.sum() * 1.05e9
    got = df[df.jaar == 2025].set_index("regio")["bedrag"].astype(float)
    assert_allclose(got[expected.index], expected, atol=0.01)
    assert len(got) == 11


def test_shipped_example_need_is_current():
    shipped = _rows(Path(str(shipped_example_path())))["behoefte"]
    fresh = example_need()
    assert [Decimal(r["bedrag"]) for r in shipped] == list(fresh["bedrag"])
    assert [r["regio"] for r in shipped] == list(fresh["regio"])
    assert [r["bron"] for r in shipped] == list(fresh["bron"])


def _parsed(raw, ref) -> dict[str, list[dict]]:
    batch, problems = validate(raw, ref)
    assert problems == []
    return {
        sheet: [{k: v for k, v in rec.items() if k != "row"} for rec in getattr(batch, sheet)]
        for sheet in ("plannen", "maatregelen", "bedragen", "behoefte")
    }


def test_example_workbook_matches_its_script_and_imports_cleanly(url, ref):
    spec = importlib.util.spec_from_file_location("make_example", EXAMPLES / "make_example.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    frames = mod.frames()
    from_script = _parsed(
        {
            sheet: [(i + 2, rec) for i, rec in enumerate(df.to_dict("records"))]
            for sheet, df in frames.items()
        },
        ref,
    )
    assert len(from_script["bedragen"]) == 48
    for path in (EXAMPLES / "voorbeeld-register.xlsx", EXAMPLES / "voorbeeld-csv"):
        assert _parsed(read_exchange(path), ref) == from_script, path
    result = import_file(EXAMPLES / "voorbeeld-register.xlsx", url, reference=ref)
    assert result.warnings == []
    svc = open_register(url)
    assert len(svc.measures()) == 4 and all("(illustratie)" in t for t in svc.measures()["title"])
    planned = sum(r["amount"] for r in from_script["bedragen"] if r["kind"] == "gepland")
    assert sum(svc.gap()["planned"]) == planned
