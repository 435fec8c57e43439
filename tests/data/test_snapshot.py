"""The shipped snapshot: rebuilt from the raw files it is identical; damaged it fails clearly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import npvr
from npvr.data.build import build_snapshot
from npvr.data.snapshot import SNAPSHOT_FILES, default_snapshot_dir, read_snapshot
from npvr.errors import DataError


def test_rebuild_is_identical_to_shipped(shared_data: Path, tmp_path: Path):
    out = build_snapshot(shared_data, tmp_path / "snap")
    shipped = default_snapshot_dir()
    for name in SNAPSHOT_FILES:
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(shipped / name))
        else:
            assert json.loads((out / name).read_text()) == json.loads((shipped / name).read_text()), name


def test_snapshot_is_complete(snapshot):
    assert len(snapshot.gemeenten) == 342
    assert snapshot.gemeenten["corop_code"].nunique() == 40
    assert snapshot.gemeenten["province_code"].nunique() == 12
    assert len(snapshot.geojson("gemeente")["features"]) == 342
    assert len(snapshot.geojson("corop")["features"]) == 40
    assert len(snapshot.geojson("provincie")["features"]) == 12
    assert snapshot.manifest["licence"] == "CC BY 4.0"
    assert not snapshot.values["value"].isna().any()


def test_every_indicator_has_provenance(snapshot):
    for ind in snapshot.catalogue.values():
        assert ind.periods and ind.unit and ind.sources, ind.id
        for p in ind.periods:
            text = ind.provenance(p)
            assert str(p) in text and ind.unit in text


def test_no_raw_file_is_shipped():
    names = {p.name for p in default_snapshot_dir().iterdir()}
    assert names == set(SNAPSHOT_FILES) | {"SOURCES.md"}


def test_missing_snapshot_file_is_a_clear_error(tmp_path: Path):
    copy = tmp_path / "snap"
    shutil.copytree(default_snapshot_dir(), copy)
    (copy / "values.parquet").unlink()
    with pytest.raises(DataError, match="ontbreekt") as info:
        read_snapshot(copy)
    assert "values.parquet" in info.value.file


def test_corrupt_snapshot_file_is_a_clear_error(tmp_path: Path):
    copy = tmp_path / "snap"
    shutil.copytree(default_snapshot_dir(), copy)
    (copy / "values.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataError, match="beschadigd"):
        read_snapshot(copy)


def test_border_check_rows_are_decided_from_geometry(snapshot):
    g = snapshot.gemeenten
    assert int(g["borders_belgium"].sum()) == 30 and int(g["borders_germany"].sum()) == 35
    assert g.at["GM0882", "borders_germany"]  # Landgraaf: between Kerkrade and Brunssum
    assert not g.at["GM1979", "borders_germany"]  # Eemsdelta: water border only
    assert "buitengrens" in g.at["GM1586", "border_basis"]  # Oost Gelre decided by the ring walk
    assert g.at["GM0153", "border_basis"].startswith("afstandsregel")


def test_profile_figures_have_unit_period_source():
    info, table = npvr.profile("twente")
    assert info["name"] == "Twente" and len(info["members"]) == 14
    assert not table.empty
    for col in ("unit", "period", "source"):
        assert table[col].astype(str).str.len().gt(0).all()
    row = table.set_index("indicator_id").loc["inwoners"]
    assert row["value"] < row["rest_nl"] < row["nederland"]


def test_every_unit_has_an_english_label(snapshot):
    from npvr.data.catalogue import UNITS_EN

    missing = {ind.unit for ind in snapshot.catalogue.values()} - set(UNITS_EN)
    assert not missing, f"add English for these units to UNITS_EN: {missing}"
    ind = snapshot.catalogue["bijstand_per_1000"]
    assert ind.provenance(2020, "en").endswith("per 1,000 inhabitants")
    assert ind.provenance(2020, "nl").endswith("per 1 000 inwoners")
