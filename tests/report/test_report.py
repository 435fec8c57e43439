"""The monitor report on the shipped snapshot: files, figures, numbers, CLI twin and errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

import npvr
from npvr.cli import app
from npvr.errors import DataError


def test_report_folder_contents(built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    assert (out / "rapport.html").stat().st_size > 4_000_000  # plotly.js is inline
    assert (out / "tabellen.xlsx").exists()
    assert result.images and all((out / p).exists() for p in result.images)
    assert (out / "img" / "overview.png").exists()
    assert result.n_regions == 11 and result.n_gemeenten == 342
    assert result.effect_status == "waiting" and result.first_measurement == 2026
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["html"] == "rapport.html"


def test_html_is_offline(built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    html = (out / result.html).read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", html)
    assert "window.PlotlyGeoAssets" in html  # the base-map shim that stops plotly fetching topojson
    assert html.count('"@gemeente"') >= 2  # maps reference the GeoJSON embedded once


def test_every_png_link_exists(built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    html = (out / result.html).read_text(encoding="utf-8")
    links = set(re.findall(r'(?:href|data-png)="(img/[^"]+\.png)"', html))
    assert links and all((out / p).exists() for p in links)


def _keys(df: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """A workbook sheet with its people's column names turned back into the library's keys."""
    from npvr.i18n import COLUMNS

    back = {v[lang]: k for k, v in reversed(list(COLUMNS.items()))}
    back.update({"gebied": "area_code", "indicator (code)": "indicator_id"})
    return df.rename(columns={c: back.get(c, c) for c in df.columns})


def test_profile_numbers_equal_raw_sums(built_report) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out, result = built_report
    wb = load_workbook(out / result.workbook, read_only=True)
    rows = list(wb["verschillen"].values)
    gaps = _keys(pd.DataFrame(rows[1:], columns=rows[0]))
    row = gaps[(gaps["area_code"] == "Twente") & (gaps["indicator_id"] == "aandeel_65plus")]
    row = row[row["period"] == row["period"].max()].iloc[0]
    snap = npvr.load_snapshot()
    groups = npvr.load_regions().groups(snap.gemeenten.index)
    v = snap.values[snap.values["period"] == row["period"]]

    def share(members: pd.Index) -> float:
        num = v[v["indicator_id"] == "inwoners_65plus"].set_index("area_code")["value"].reindex(members).sum()
        den = v[v["indicator_id"] == "inwoners"].set_index("area_code")["value"].reindex(members).sum()
        return 100 * num / den

    tw, rest = share(groups.index[groups == "twente"]), share(groups.index[groups == "rest"])
    assert_allclose(row["value"], tw)
    assert_allclose(row["rest"], rest)
    assert_allclose(row["gap_rel"], (tw - rest) / rest)


def test_inequality_table_uses_population_weights(built_report) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from npvr.monitor import decompose

    out, result = built_report
    rows = list(load_workbook(out / result.workbook, read_only=True)["ongelijkheid"].values)
    iq = _keys(pd.DataFrame(rows[1:], columns=rows[0]))
    sub = iq[(iq["indicator_id"] == "aandeel_65plus") & (iq["measure"] == "Theil T")].set_index("component")
    period = int(sub["period"].iloc[0])
    snap = npvr.load_snapshot()
    groups = npvr.load_regions().groups(snap.gemeenten.index)
    v = snap.values[snap.values["period"] == period]
    y = v[v["indicator_id"] == "aandeel_65plus"].set_index("area_code")["value"]
    w = v[v["indicator_id"] == "inwoners"].set_index("area_code")["value"].reindex(y.index)
    d = decompose(y.to_numpy(), (groups.reindex(y.index) != "rest").to_numpy(), w.to_numpy())
    assert_allclose(sub.loc["totaal", "estimate"], d["theil_t"].total)
    assert_allclose(sub.loc["tussen", "estimate"], d["theil_t"].between)
    assert sub.loc["totaal", "lo"] <= sub.loc["totaal", "estimate"] <= sub.loc["totaal", "hi"]


def test_cli_json_in_english_equals_library_result(tmp_path: Path) -> None:
    out = tmp_path / "report-en"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--lang", "en", "--json", "--no-pdf"])
    assert res.exit_code == 0, res.output
    printed = json.loads(res.stdout)
    # report.json is the library's ReportResult.to_dict(), written by build_report itself
    assert printed == json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert printed["html"] == "report.html" and printed["workbook"] == "tables.xlsx"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Rest of the Netherlands" in html


def test_cli_unwritable_output_exit_2_nothing_written(tmp_path: Path) -> None:
    a_file = tmp_path / "bestand"
    a_file.write_text("x")
    res = CliRunner().invoke(app, ["report", "--out", str(a_file / "rapport")])
    assert res.exit_code == 2
    assert "kan niet schrijven" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestand"]


def test_cli_corrupt_snapshot_exit_2_nothing_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a, **_k):  # type: ignore[no-untyped-def]
        raise OSError("parquet magic bytes not found")

    monkeypatch.setattr(npvr, "load_snapshot", broken)
    out = tmp_path / "rapport"
    res = CliRunner().invoke(app, ["report", "--out", str(out)])
    assert res.exit_code == 2
    assert "snapshot" in res.output and "onleesbaar" in res.output
    assert list(tmp_path.iterdir()) == []


def test_missing_snapshot_error_passes_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from npvr.report.build import build_report

    def missing(*_a, **_k):  # type: ignore[no-untyped-def]
        raise DataError("snapshotbestand ontbreekt", file="values.parquet")

    monkeypatch.setattr(npvr, "load_snapshot", missing)
    with pytest.raises(DataError, match="ontbreekt"):
        build_report(tmp_path / "rapport")
    assert list(tmp_path.iterdir()) == []


def test_cli_unknown_language_exit_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r"), "--lang", "fr"])
    assert res.exit_code == 2
    assert "onbekende taal" in res.output


def test_other_delimitation_via_regions_file(tmp_path: Path) -> None:
    from npvr.monitor.panel import compute

    f = tmp_path / "regios.yaml"
    f.write_text(
        "name: Proef\ndivision: 2025\nregions:\n"
        "  - {id: oost, name: Oost, confidence: B, source: proef, members: [GM0197, GM1859, GM0153]}\n"
        "  - {id: zee, name: Zee, confidence: C, source: proef, members: [GM0677, GM1714]}\n",
        encoding="utf-8",
    )
    snap = npvr.load_snapshot()
    regions = npvr.load_regions(f)
    data = compute(snap, regions, n_boot=19, index=lambda: None)
    assert list(data.regions["id"]) == ["oost", "zee"]
    assert data.gemeenten["npvr"].sum() == 5
    assert set(data.latest_gaps["area_code"]) == {"oost", "zee", "npvr"}
    assert data.effect_meta["n_treated"] == 5


def test_cli_bad_regions_file_exit_2(tmp_path: Path) -> None:
    f = tmp_path / "regios.yaml"
    f.write_text("name: x\nregions:\n  - {id: a, name: A, members: [GM9999]}\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "r"), "--regions", str(f), "--no-pdf"])
    assert res.exit_code == 2
    assert "GM9999" in res.output
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("values.parquet:corrupt", "beschadigd"),
        ("values.parquet:missing", "ontbreekt"),
        ("gemeente.geojson:corrupt", "beschadigd"),
    ],
)
def test_cli_real_damaged_snapshot_exit_2_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, message: str
) -> None:
    import shutil

    from npvr.data import snapshot as snapmod

    src = snapmod.default_snapshot_dir()
    copy = tmp_path / "snapshot"
    shutil.copytree(src, copy)
    name, how = damage.split(":")
    if how == "missing":
        (copy / name).unlink()
    else:
        (copy / name).write_bytes(b"\x00garbage\x00" * 10)
    monkeypatch.setattr(snapmod, "default_snapshot_dir", lambda: copy)
    snapmod.clear_cache()
    try:
        out = tmp_path / "out" / "rapport"
        res = CliRunner().invoke(app, ["report", "--out", str(out)])
    finally:
        snapmod.clear_cache()
    assert res.exit_code == 2, res.output
    assert message in res.output and name in res.output
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_cli_db_adds_the_register_section(tmp_path: Path) -> None:
    """`npvr report --db URL` includes the register's gap view; its totals equal the register's own."""
    from npvr.register import gap_table, import_file, init_register

    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    init_register(url)
    import_file(Path(__file__).parents[2] / "examples" / "register" / "voorbeeld-register.xlsx", url)
    out = tmp_path / "rapport"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--db", url, "--json", "--no-pdf"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["register_included"] is True
    sheet = _keys(pd.read_excel(out / "tabellen.xlsx", sheet_name="geld en opgave per jaar"))
    expected = pd.DataFrame(gap_table(url, by=("region", "year")))
    assert_allclose(sheet["planned"].sum(), float(expected["planned"].map(float).sum()))
    assert_allclose(sheet["need"].sum(), float(expected["need"].dropna().map(float).sum()))
    assert_allclose(sheet["coverage"].max(), float(expected["coverage"].dropna().max()))
    assert float(expected["coverage"].dropna().max()) > 0
