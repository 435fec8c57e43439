"""Long-form indicator tables with names and provenance, checked against the raw files."""

from __future__ import annotations

import csv
from pathlib import Path

from numpy.testing import assert_allclose

import npvr


def test_corop_population_equals_raw_sums(shared_data: Path):
    with open(shared_data / "reference" / "gemeenten_2025_corop_provincie.csv", encoding="utf-8") as fh:
        corop = {r["gm_code"]: r["corop_code"] for r in csv.DictReader(fh)}
    totals: dict[str, int] = {}
    with open(shared_data / "stats" / "kwb2024_85984NED_gemeenten.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            totals[corop[r["gm_code"]]] = totals.get(corop[r["gm_code"]], 0) + int(r["AantalInwoners_5"])
    table = npvr.indicator_table(["inwoners"], level="corop", periods=[2024])
    assert len(table) == 40
    ours = dict(zip(table["area_code"], table["value"], strict=True))
    assert ours == {k: float(v) for k, v in totals.items()}
    twente = table.set_index("area_code").loc["CR12"]
    assert twente["area_name"] == "Twente" and "85984NED" in twente["source"] and twente["unit"] == "aantal"


def test_gemeente_table_has_provenance_for_every_row():
    table = npvr.indicator_table()
    assert table["source"].str.contains(r"\d{4}").all()
    assert table["area_name"].notna().all()
    sample = table[(table.area_code == "GM0153") & (table.indicator_id == "aandeel_65plus")]
    assert set(sample["period"]) == {2024, 2025}


def test_npvr_level_matches_aggregate():
    regions = npvr.load_regions()
    table = npvr.indicator_table(["grijze_druk"], level="npvr")
    direct = npvr.aggregate(npvr.load_snapshot().values, regions.membership(), indicators=["grijze_druk"])
    assert_allclose(
        table.sort_values("area_code")["value"].to_numpy(),
        direct.sort_values("area_code")["value"].to_numpy(),
    )
