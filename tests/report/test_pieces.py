"""The shared report pieces: classification, text, atomic output, workbook."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from npvr import i18n
from npvr.errors import OutputError
from npvr.report import maps
from npvr.report.excel import sheet_name, write_workbook
from npvr.report.output import MARKER, atomic_output_dir


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fisher_jenks_matches_mapclassify(seed: int) -> None:
    mapclassify = pytest.importorskip("mapclassify")
    y = np.random.default_rng(seed).lognormal(0, 1, 70)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = mapclassify.FisherJenks(y, k=5).bins
    assert_allclose(maps.fisher_jenks_bins(y, 5), expected)


@pytest.mark.parametrize("k", [3, 5, 7])
def test_quantiles_match_mapclassify_including_ties(k: int) -> None:
    mapclassify = pytest.importorskip("mapclassify")
    rng = np.random.default_rng(k)
    for y in (rng.normal(10, 3, 342), np.repeat([1.0, 2.0, 2.0, 3.0], 40)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = mapclassify.Quantiles(y, k=k).bins
        assert_allclose(maps.quantile_bins(y, k), expected)


def test_classify_puts_values_in_their_class_and_marks_missing() -> None:
    y = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan])
    cl = maps.classify(y, scheme="quantiles", k=5)
    assert cl.classes[-1] == -1
    bins = np.asarray(cl.bins)
    for v, c in zip(y[:-1], cl.classes[:-1], strict=True):
        assert v <= bins[c]
        assert c == 0 or v > bins[c - 1]
    assert cl.labels("nl", "%")[0] == "1,0 – 2,8 %"
    big = maps.classify(np.array([1000.0, 250_000.0, 400_000.0]), scheme="quantiles", k=3)
    assert big.labels("nl")[-1] == "300.000 – 400.000"  # 66.7th percentile: 250000 + 1/3 * 150000


def test_auto_scheme_uses_fisher_jenks_for_skewed_data() -> None:
    skewed = np.random.default_rng(0).lognormal(0, 1.5, 300)
    assert maps.choose_scheme(skewed) == "fisher_jenks"
    assert maps.choose_scheme(np.linspace(0, 1, 300)) == "quantiles"


def test_choropleth_figure_hover_has_value_unit_period() -> None:
    fig, cl, _colours = maps.choropleth_figure(
        ["GM1", "GM2", "GM3"], ["A", "B", "C"], [1.5, np.nan, 3.0], title="t", unit="%", period=2024, k=2
    )
    tr = fig["data"][0]
    assert tr["geojson"] == "@gemeente"
    assert (tr["customdata"][0], tr["text"][0]) == ("A", "1,50 % (2024)")
    assert tr["text"][1] == "geen gegevens"
    assert tr["colorbar"]["ticktext"][0] == "geen gegevens"  # a missing value gets its own legend entry
    assert len(tr["colorbar"]["ticktext"]) == cl.k + 1


def test_every_text_has_both_languages() -> None:
    missing = [k for k, v in i18n.TEXT.items() if not (v.get("nl") and v.get("en"))]
    assert missing == []


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.5, "nl", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (0.0123, "nl", None, "0,012"),
        (float("nan"), "nl", None, "–"),
        (42, "en", None, "42"),
    ],
)
def test_fmt_num(value: float, lang: str, decimals: int | None, expected: str) -> None:
    assert i18n.fmt_num(value, lang, decimals) == expected


def test_atomic_output_replaces_earlier_output(tmp_path: Path) -> None:
    target = tmp_path / "rapport"
    with atomic_output_dir(target) as tmp:
        (tmp / "a.txt").write_text("1")
    with atomic_output_dir(target) as tmp:
        (tmp / "b.txt").write_text("2")
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]  # no temp folders left


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "rapport"
    with atomic_output_dir(target) as tmp:
        (tmp / "old.txt").write_text("keep")
    with pytest.raises(RuntimeError), atomic_output_dir(target) as tmp:
        (tmp / "half.txt").write_text("half")
        raise RuntimeError("boom")
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "old.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["rapport"]


def test_atomic_output_refuses_foreign_folder_and_file_parent(tmp_path: Path) -> None:
    foreign = tmp_path / "mijn-map"
    foreign.mkdir()
    (foreign / "belangrijk.docx").write_text("x")
    with pytest.raises(OutputError, match="geen eerder npvr-resultaat"), atomic_output_dir(foreign):
        pass
    assert (foreign / "belangrijk.docx").exists()
    a_file = tmp_path / "bestand"
    a_file.write_text("x")
    with pytest.raises(OutputError, match="kan niet schrijven"), atomic_output_dir(a_file / "rapport"):
        pass


def test_workbook_roundtrip(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    df = pd.DataFrame({"code": ["GM1", "GM2"], "waarde": [1.5, float("nan")], "lijst": [["a", "b"], []]})
    names = write_workbook(tmp_path / "t.xlsx", {"een/twee": df, "x" * 40: df}, about=["over"])
    assert names == ["info", "een_twee", "x" * 31]
    wb = load_workbook(tmp_path / "t.xlsx")
    ws = wb["een_twee"]
    assert [c.value for c in ws[1]] == ["code", "waarde", "lijst"]
    assert [c.value for c in ws[2]] == ["GM1", 1.5, "a, b"]
    assert ws["B3"].value is None


def test_sheet_names_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("gaps", taken) == "gaps"
    assert sheet_name("GAPS", taken) == "GAPS (2)"


def test_line_figure_puts_years_on_a_time_axis(tmp_path: Path) -> None:
    from npvr.report.charts import Series, line_figure, line_png

    series = [Series("a", [2024, 2025], [1.0, 2.5]), Series("b", [2020, 2025], [3.0, 4.0])]
    fig = line_figure(series, title="t", unit="%", lang="nl")
    assert fig["layout"]["xaxis"]["tickvals"] == [2020, 2024, 2025]  # not the first trace's order
    assert fig["data"][1]["x"] == [2020, 2025]
    assert fig["data"][0]["text"][1] == "a<br>2,50 % (2025)"
    assert line_png(series, tmp_path / "l.png", title="t", unit="%").stat().st_size > 1000


def test_map_png_colours_the_right_gemeente(tmp_path: Path) -> None:
    from PIL import Image
    from shapely.geometry import shape

    import npvr

    geo = npvr.load_snapshot().geojson("gemeente")
    feats = {f["properties"]["code"]: f for f in geo["features"]}
    big = max(feats, key=lambda c: shape(feats[c]["geometry"]).area)
    colours = {c: "#0000ff" for c in feats}
    colours[big] = "#ff0000"
    path = maps.map_png(geo, colours, [("rood", "#ff0000")], tmp_path / "m.png", title="t")
    img = Image.open(path).convert("RGB")
    assert img.size == (640, 760)
    proj = next(p for p in maps._PROJECTED.values() if p.geojson is geo)
    pt = shape(feats[big]["geometry"]).representative_point()
    x, y = proj.to_px(pt.x, pt.y)
    assert img.getpixel((round(x / 2), round(y / 2))) == (255, 0, 0)  # drawn at 2x, scaled down
    other = sorted(feats, key=lambda c: shape(feats[c]["geometry"]).area)[-2]
    po = shape(feats[other]["geometry"]).representative_point()
    xo, yo = proj.to_px(po.x, po.y)
    r, _, b = img.getpixel((round(xo / 2), round(yo / 2)))
    assert b > 200 and r < 60


def test_hbar_png_draws_bars_on_the_right_side_of_zero(tmp_path: Path) -> None:
    from PIL import Image

    from npvr.report.charts import Series, hbar_png

    s = Series("r", ["plus", "min"], [10.0, -5.0], colours=["#00ff00", "#ff0000"])
    img = Image.open(hbar_png([s], tmp_path / "h.png", title="t", unit="%")).convert("RGB")
    assert img.width == 760
    row_y = [46 + 18 * j + 9 for j in range(2)]  # bar centres: top 46, row height 18 for one series
    line = [img.getpixel((x, row_y[0])) for x in range(img.width)]
    greens = [x for x, p in enumerate(line) if p == (0, 255, 0)]
    reds = [x for x in range(img.width) if img.getpixel((x, row_y[1])) == (255, 0, 0)]
    assert greens and reds
    assert min(greens) > max(reds)  # positive bar right of the negative one
    # the positive bar is twice as long as the negative one (same scale, zero in between)
    assert abs((max(greens) - min(greens)) - 2 * (max(reds) - min(reds))) <= 3
