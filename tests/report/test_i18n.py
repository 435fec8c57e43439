"""npvr.i18n, the one home for texts and number formats, and the toets reports that use it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from npvr import i18n
from npvr.errors import ConfigError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (493750.47, "nl", "€ 493.750,47"),
        (493750.47, "en", "€493,750.47"),
        (Decimal("1000000000.005"), "nl", "€ 1.000.000.000,00"),  # Decimal keeps its exact value (banker's)
        (-12.5, "nl", "−€ 12,50"),
        (None, "en", "–"),
    ],
)
def test_money(value: object, lang: str, expected: str) -> None:
    assert i18n.fmt_money(value, lang, 2) == expected


def test_percentage_points_are_a_difference_of_percentages() -> None:
    # region 23.4 %, rest 20.1 %: 3.3 percentage points, not (23.4 - 20.1) / 20.1 = 16.4 %
    assert i18n.fmt_pp(23.4 - 20.1, "nl") == "+3,3 procentpunt"
    assert i18n.fmt_pp(23.4 - 20.1, "en") == "+3.3 percentage points"
    assert i18n.fmt_pp(-1.0, "en") == "−1.0 percentage point"
    assert i18n.fmt_pct(0.164, "nl", signed=True) == "+16,4%"
    assert i18n.fmt_signed(-0.0, "nl", 1) == "0,0"


def test_yes_no_and_columns_per_language() -> None:
    assert (i18n.yes_no(True, "nl"), i18n.yes_no(False, "en")) == ("ja", "no")
    assert i18n.column("euro_per_inwoner", "en") == "euro per inhabitant"
    assert i18n.column("gap_rel", "nl") == "verschil met rest (relatief)"
    assert i18n.column(2026, "en") == "2026"
    renamed = i18n.columns(pd.DataFrame(columns=["naam", "inwoners"]), "en")
    assert list(renamed.columns) == ["name", "inhabitants"]


def test_every_text_and_column_has_both_languages() -> None:
    for table in (i18n.TEXT, i18n.COLUMNS):
        missing = [k for k, v in table.items() if not (v.get("nl") and v.get("en"))]
        assert missing == []


def test_bad_language_is_refused() -> None:
    with pytest.raises(ConfigError, match="onbekende taal 'fr'"):
        i18n.check_lang("fr")
    assert i18n.check_lang("en") == "en"


DUTCH_WORDS = re.compile(r">\s*(ja|nee|Rest van Nederland)\s*<")
DUTCH_NUMBER = re.compile(r"\d{1,3}(\.\d{3})+,\d")
DUTCH_KEYS = ("euro_per_inwoner", "aandeel_budget", "gm_code", "reden_en", "inwoners<", "naam<")


def _cells(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def test_english_toets_report_is_english(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from npvr.impact import toets
    from npvr.report.toets import render_toets

    result = toets(EXAMPLES / "policies" / "subsidie_minimale_projectomvang.yaml")
    render_toets(result, tmp_path / "en", lang="en")
    html = _cells((tmp_path / "en" / "toets.html").read_text(encoding="utf-8"))
    assert not DUTCH_NUMBER.search(html), DUTCH_NUMBER.search(html)
    assert not DUTCH_WORDS.search(html)
    assert not [k for k in DUTCH_KEYS if k in html]
    assert "€250,000,000.00" in html or "€" in html
    wb = load_workbook(tmp_path / "en" / "toets.xlsx", read_only=True)
    assert wb.sheetnames[0] == "regions"
    header = next(wb["gemeenten"].values)
    assert "gm_code" not in header and "euro per inhabitant" in header and "eligible" in header
    values = {v for row in wb["gemeenten"].values for v in row}
    assert not values & {"ja", "nee"}


def test_dutch_toets_report_is_dutch(tmp_path: Path) -> None:
    from npvr.impact import toets
    from npvr.report.toets import render_toets

    result = toets(EXAMPLES / "policies" / "vitaliteitsfonds_per_inwoner.yaml")
    render_toets(result, tmp_path / "nl", lang="nl")
    html = _cells((tmp_path / "nl" / "toets.html").read_text(encoding="utf-8"))
    budget = result.policy.budget
    assert i18n.fmt_money(budget, "nl", 2) in html
    for english in ("euro per inhabitant", "share of budget", ">yes<", ">no<", "favourable"):
        assert english not in html


def test_verdict_map_tells_neutral_from_rest(tmp_path: Path) -> None:
    from npvr.impact import toets
    from npvr.report.toets import REST_COLOUR, VERDICT_COLOURS, toets_context

    ctx = toets_context(toets(EXAMPLES / "policies" / "herverdeling_ingroeipad.yaml"), lang="nl")
    svg = ctx["map_svg"]
    legend = svg[svg.index('class="legend"') :]
    assert "neutraal" in legend and "rest van Nederland" in legend
    assert VERDICT_COLOURS["neutraal"] != REST_COLOUR
    # 261 rest gemeenten are white, 81 NPVR gemeenten carry a verdict colour
    fills = re.findall(r'<path d="[^"]*" fill="(#[0-9a-f]{6})"', svg)
    assert fills.count(REST_COLOUR) == 261
    assert len(fills) == 342
    assert svg.count('class="region-outline"') >= 11
    assert "Bron: CBS" in legend
