"""What the report gives a reader: region PDFs, map PNGs with outlines and legend, one language per
report, CSV per chart, and money against need with the shipped register."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import npvr
from npvr.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    return path


def test_one_pdf_per_region_readable(built_report, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _need("pdftoppm")
    out, result = built_report
    regions = npvr.load_regions()
    assert sorted(result.region_pdfs) == sorted(f"regio/{r.id}.pdf" for r in regions.regions)
    from PIL import Image

    for r in regions.regions:
        pdf = out / "regio" / f"{r.id}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "A4" in info
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert r.name in text
        assert "Kernboodschappen" in text and "Bron" in text
        prefix = tmp_path / r.id
        subprocess.run(["pdftoppm", "-r", "40", "-gray", "-png", str(pdf), str(prefix)], check=True)
        pages = sorted(tmp_path.glob(f"{r.id}-*.png"))
        assert pages
        for page in pages[:2]:
            px = np.asarray(Image.open(page).convert("L"))
            assert (px < 200).mean() > 0.01, page  # ink on the page, not blank
        # the first page carries the scorecard: dark cells with white symbols survive black-and-white
        first = np.asarray(Image.open(pages[0]).convert("L"))
        assert (first < 100).mean() > 0.002


OUTLINE = (29, 39, 51)  # "#1d2733"


def test_map_pngs_carry_outlines_legend_and_source(built_report) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    out, result = built_report
    maps_ = [p for p in result.images if p.startswith("img/maps/")] + ["img/overview.png"]
    assert len(maps_) > 20
    for rel in maps_[:: max(1, len(maps_) // 12)]:
        img = np.asarray(Image.open(out / rel).convert("RGB")).astype(int)
        h = img.shape[0]
        outline = (np.abs(img - np.array(OUTLINE)).sum(axis=2) < 30).sum()
        assert outline > 1500, (rel, outline)  # the 11 region outlines, ~2 px wide
        legend = img[44:200, 14:33]  # the legend swatches, top left
        assert (np.abs(legend - 255).sum(axis=2) > 60).mean() > 0.3, rel
        source = img[h - 20 : h, :]
        assert (source.sum(axis=2) < 500).sum() > 100, rel  # the "Bron: ..." line


ENGLISH_KEYS = [
    "gap_rel",
    "gap_abs",
    "weighted_mean",
    "median_approx",
    "euro_per_inwoner",
    "coverage",
    "area_code",
    "indicator_id",
    "n_members",
    "provenance_nl",
    "verdict_abs",
    "theil_t_between",
]
DUTCH_WORDS = [
    "Rest van Nederland",
    "procentpunt",
    "gewogen gemiddelde",
    "slechter",
    "verschil met",
    "Kernboodschappen",
    "Bron:",
    "gemeentecode",
    "opgave",
    "kloof",
]


def _visible_html(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _workbook_text(path: Path) -> tuple[list[str], list[str], set[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    headers: list[str] = []
    cells: set[str] = set()
    for ws in wb.worksheets:
        for i, row in enumerate(ws.values):
            if i == 0:
                headers += [str(c) for c in row]
            cells.update(str(c) for c in row if isinstance(c, str))
    return wb.sheetnames, headers, cells


def test_dutch_report_has_no_english_keys(built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    pages = [out / result.html, *[out / p for p in result.region_pages]]
    for page in pages:
        text = _visible_html(page.read_text(encoding="utf-8"))
        found = [k for k in ENGLISH_KEYS if re.search(rf"\b{k}\b", text)]
        assert found == [], (page.name, found)
    sheets, headers, cells = _workbook_text(out / result.workbook)
    assert "uitleg kolommen" in sheets and "verschillen" in sheets
    assert not [k for k in ENGLISH_KEYS if k in headers or k in sheets]
    assert not {"weighted_mean", "median_approx", "ratio", "narrowing", "widening"} & cells
    for csv in result.csv[:20]:
        head = (out / csv).read_text(encoding="utf-8-sig").splitlines()[0]
        assert not [k for k in ENGLISH_KEYS if k in head.split(";")], csv


def test_english_report_is_english(tmp_path: Path) -> None:
    from npvr.report.build import build_report

    res = build_report(tmp_path / "en", lang="en", n_boot=19, pdf=False)
    out = tmp_path / "en"
    for page in [out / res.html, out / res.region_pages[0]]:
        text = _visible_html(page.read_text(encoding="utf-8"))
        found = [w for w in DUTCH_WORDS if w in text]
        assert found == [], (page.name, found)
        assert not re.search(r"\d\.\d{3},\d", text), page.name  # no Dutch number format
        assert "percentage point" in text or "Key messages" in text
    sheets, headers, cells = _workbook_text(out / res.workbook)
    assert "columns explained" in sheets and "gaps" in sheets
    dutch_headers = {"gebied", "waarde", "periode", "eenheid", "verschil met rest", "regio", "thema"}
    assert not dutch_headers & set(headers)
    assert not {"ja", "nee", "kleiner", "groter", "hoger is beter"} & cells


def test_every_column_is_explained(built_report) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    out, result = built_report
    wb = load_workbook(out / result.workbook, read_only=True)
    explained = {(r[0], r[1]): r[2] for r in list(wb["uitleg kolommen"].values)[1:]}
    for ws in wb.worksheets:
        if ws.title in ("uitleg kolommen", "over", "gemeentewaarden"):
            continue
        header = next(ws.values)
        for col in header:
            assert (ws.title, col) in explained, (ws.title, col)
            assert (explained[(ws.title, col)] and explained[(ws.title, col)] != col) or col in ("n",), (
                ws.title,
                col,
            )


def test_csv_behind_every_chart(built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    html = (out / result.html).read_text(encoding="utf-8")
    figs = set(re.findall(r'data-fig="([^"]+)"', re.sub(r"<script.*?</script>", " ", html, flags=re.S)))
    linked = set(re.findall(r'href="(csv/[^"]+\.csv)"', html)) | set(
        re.findall(r'data-csv="(csv/[^"]+)"', html)
    )
    assert linked and all((out / p).exists() for p in linked)
    # every figure on the page that is not switched by a chooser has its own CSV link
    for fid in figs - {"map-indicator", "map-region", "trend-chart", "ineq-chart"}:
        if fid.startswith("r") and fid[1:] in figs:
            continue
        assert f"csv/{fid}.csv" in linked, fid
    # the profile CSV holds the same gap as the gap table, in Dutch number format
    prof = pd.read_csv(out / "csv" / "profile-twente.csv", sep=";", decimal=",")
    row = prof[prof["indicator"] == "Aandeel 65 jaar en ouder"].iloc[0]
    assert abs(row["verschil met rest"] - (row["waarde"] - row["rest van Nederland"])) < 1e-9
    assert f'href="{result.workbook}"' in html


def test_register_money_against_need(tmp_path: Path) -> None:
    """With the shipped example register: the illustration banner, coverage above 0, and the same
    coverage as `npvr register gap` (committed / need over all rows of the region)."""
    from npvr.register import import_file, init_register

    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    init_register(url)
    import_file(EXAMPLES / "register" / "voorbeeld-register.xlsx", url)
    # two BRIDGEforEU files: one submitted on 5 January 2026 and still waiting (two months for the
    # completeness check, Art. 9(2): due Thursday 5 March 2026, so overdue from then on), one submitted
    # today (not overdue)
    import datetime as dt

    from npvr.loop import open_loop

    loop = open_loop(url, actor="test")
    elements = {"a": "Ambulances over de grens", "b": "Niet toegestaan", "c": "Aanrijtijden", "e": "Twente"}
    loop.bridge_new("BR-OUD", title="stil dossier", initiator="EGTS", on="2026-01-02", elements=elements)
    loop.bridge_step("BR-OUD", "ingediend", on="2026-01-05")
    today = dt.date.today().isoformat()
    loop.bridge_new("BR-NIEUW", title="vers dossier", initiator="EGTS", on=today, elements=elements)
    loop.bridge_step("BR-NIEUW", "ingediend", on=today)
    out = tmp_path / "rapport"
    res = CliRunner().invoke(app, ["report", "--out", str(out), "--db", url, "--no-pdf", "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["register_included"] and result["register_illustration"]
    html = (out / "rapport.html").read_text(encoding="utf-8")
    assert 'id="illustratie"' in html and "ILLUSTRATIE" in html
    overdue = html[html.index('id="bridge-overdue"') :]
    assert "BR-OUD" in overdue and "2026-03-05" in overdue and "BR-NIEUW" not in html
    page = (out / "regio" / "achterhoek.html").read_text(encoding="utf-8")
    assert 'id="illustratie"' in page
    coverage = re.search(r"Dekking over alle jaren: <b>([0-9,]+)%</b>", page)
    assert coverage is not None
    shown = float(coverage.group(1).replace(",", "."))
    assert shown > 0
    gap = CliRunner().invoke(app, ["register", "gap", "--db", url, "--json"])
    assert gap.exit_code == 0, gap.output
    rows = [r for r in json.loads(gap.stdout) if r["region"] == "achterhoek"]
    need = sum(float(r["need"] or 0) for r in rows)
    committed = sum(float(r["committed"] or 0) for r in rows)
    assert need > 0
    assert abs(shown - round(100 * committed / need, 1)) < 0.051
    assert (out / "img" / "money" / "achterhoek.png").exists()
    assert (out / "csv" / "money-achterhoek.csv").exists()
