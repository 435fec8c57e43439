"""Aggregation rules on a hand example, and on the real snapshot against the raw files."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import npvr
from npvr.data.aggregate import aggregate
from npvr.data.catalogue import Catalogue, Indicator


def _ind(**kw) -> Indicator:
    base = {"label_nl": "x", "label_en": "x", "theme": "demografie", "unit": "u", "direction": 0}
    return Indicator.model_validate(base | kw)


CAT = Catalogue(
    [
        _ind(id="pop", aggregation="sum"),
        _ind(id="old", aggregation="sum"),
        _ind(id="share_old", aggregation="ratio", numerator="old", denominator="pop", scale=100),
        _ind(id="dist", aggregation="weighted_mean", weight="pop"),
        _ind(id="median", aggregation="median_approx", weight="pop"),
        _ind(id="growth", aggregation="change", of="pop", base_period=2012, scale=100),
    ]
)


def _values(rows):
    return pd.DataFrame(rows, columns=["area_code", "indicator_id", "period", "value"])


VALUES = _values(
    [
        ("A", "pop", 2024, 100), ("B", "pop", 2024, 300), ("C", "pop", 2024, 50),
        ("A", "pop", 2012, 80), ("B", "pop", 2012, 320), ("C", "pop", 2012, 50),
        ("A", "old", 2024, 30), ("B", "old", 2024, 30), ("C", "old", 2024, 10),
        ("A", "dist", 2024, 2.0), ("B", "dist", 2024, 1.0), ("C", "dist", 2024, 9.0),
        ("A", "median", 2024, 40.0), ("B", "median", 2024, 30.0),
    ]
)
MEMBERS = pd.Series({"A": "R", "B": "R", "C": "S"})


def _get(df, unit, iid, period=2024):
    row = df[(df.area_code == unit) & (df.indicator_id == iid) & (df.period == period)]
    return float(row["value"].iloc[0])


def test_rules_by_hand():
    out = aggregate(VALUES, MEMBERS, CAT)
    assert _get(out, "R", "pop") == 400
    assert_allclose(_get(out, "R", "share_old"), 100 * 60 / 400)  # not the mean of 30% and 10%
    assert_allclose(_get(out, "R", "dist"), (2.0 * 100 + 1.0 * 300) / 400)
    assert_allclose(_get(out, "R", "median"), (40 * 100 + 30 * 300) / 400)
    assert_allclose(_get(out, "R", "growth"), 100 * (400 / 400 - 1))
    assert_allclose(_get(out, "S", "share_old"), 20.0)
    # a member without a value is left out and counted
    row = out[(out.area_code == "S") & (out.indicator_id == "median")]
    assert row.empty


def test_unmapped_gemeenten_are_left_out():
    out = aggregate(VALUES, MEMBERS[MEMBERS == "R"], CAT, indicators=["pop"])
    assert set(out["area_code"]) == {"R"}


def test_share_65plus_twente_from_raw(shared_data: Path, snapshot):
    """Twente's share 65+ (1 Jan 2024) recomputed from the raw KWB age export, counts first."""
    twente = npvr.load_regions().by_id("twente").members
    old = tot = 0
    with open(shared_data / "stats" / "kwb2024_leeftijdsgroepen_gemeenten.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["Regioaanduiding/Codering (code)"].strip() in twente:
                old += int(row["Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)"])
                tot += int(row["Bevolking/Aantal inwoners (aantal)"])
    out = npvr.aggregate(snapshot.values, npvr.load_regions().membership(), indicators=["aandeel_65plus"])
    assert_allclose(_get(out, "twente", "aandeel_65plus", 2024), 100 * old / tot, rtol=1e-12)


def test_dependency_ratios_match_cbs_published(shared_data: Path, snapshot):
    """Our groene/grijze druk, recomputed from counts, equal CBS's published one-decimal figures."""
    path = shared_data / "stats" / "gemeente_2025_leeftijd_huishoudens_inkomen_derived.csv"
    pub = pd.read_csv(path).set_index("gm_code")
    for iid, col in (("groene_druk", "groene_druk_2025_pct"), ("grijze_druk", "grijze_druk_2025_pct")):
        ours = snapshot.indicator_values(iid, 2025).reindex(pub.index)
        assert (ours - pub[col]).abs().max() <= 0.05 + 1e-9


def test_density_matches_cbs_published(shared_data: Path, snapshot):
    raw = pd.read_csv(shared_data / "stats" / "kwb2024_85984NED_gemeenten.csv").set_index("gm_code")
    ours = snapshot.indicator_values("bevolkingsdichtheid", 2024).reindex(raw.index)
    # CBS rounds to whole persons per km² and publishes land area in whole hectares (+-0.5 ha)
    bound = 0.5 + ours * 0.5 / raw["OppervlakteLand_123"] + 1e-9
    assert ((ours - raw["Bevolkingsdichtheid_34"]).abs() <= bound).all()


def test_national_totals_of_harmonised_series(shared_data: Path, snapshot):
    """For each year the 342 harmonised values add up to that year's national total (raw, own division)."""
    path = shared_data / "stats" / "statline_exports_2012_2024" / "Bevolkingsontwikkeling_per_jaar.csv"
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("Onderwerp")]
    for year in (2012, 2016, 2020, 2024):
        raw_total = sum(float(r[str(year)]) for r in rows if r[str(year)])
        ours = snapshot.indicator_values("bevolking_eind_jaar", year)
        assert len(ours) == 342
        assert_allclose(ours.sum(), raw_total, rtol=1e-12)


@pytest.mark.parametrize("iid", ["inwoners", "aandeel_65plus", "afstand_huisarts", "bevolkingsgroei"])
def test_every_gemeente_has_core_indicators(snapshot, iid):
    assert len(snapshot.indicator_values(iid)) == 342


def test_year_end_2024_matches_1_january_2025_per_gemeente(snapshot):
    """Second route for the name-only StatLine mapping: the population at the end of 2024 (37230NED,
    matched by name) and on 1 January 2025 (70072NED, a separate export) describe the same day."""
    end_2024 = snapshot.indicator_values("bevolking_eind_jaar", 2024)
    jan_2025 = snapshot.indicator_values("inwoners", 2025).reindex(end_2024.index)
    # the monthly series is provisional; the yearly table final: they differ by well under 1 %
    assert ((end_2024 - jan_2025).abs() / jan_2025).max() < 0.01
