"""Import/export: round trip, all-or-nothing, every problem listed, a killed import changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from npvr.errors import ValidationError
from npvr.register import export_file, import_file, open_register
from npvr.register.io import read_exchange, write_exchange
from npvr.register.service import PAUSE_ENV

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "register" / "voorbeeld-register.xlsx"


def _state(url: str) -> dict[str, pd.DataFrame]:
    """Everything in a register except versions and the audit log (which differ by history)."""
    frames = open_register(url).export_frames()
    return {k: v.drop(columns=["versie"], errors="ignore") for k, v in frames.items()}


def _assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_dtype=False, obj=k)


def _populate(url: str, ref) -> None:
    """A register with every kind of record and awkward values (cents, lists, dates, no theme)."""
    import_file(EXAMPLE, url, actor="setup", reference=ref)
    svc = open_register(url, actor="setup", reference=ref)
    svc.create_measure(
        "TWE-01",
        region="twente",
        title="Ééntje met ‘quotes’, komma's; en een\nnieuwe regel",
        theme="opleiding",
        goal="kansrijke-toekomst",
        description="=SOM(A1) is geen formule",
        gemeenten=["GM0153"],
        indicators=["aandeel_hoogopgeleid", "afstand_basisschool"],
    )
    svc.set_amount(
        "TWE-01",
        year=2034,
        kind="gepland",
        source_type="eu",
        party="ESF+",
        amount="9876543210.99",
        cofinancing_share="0.3333",
    )
    svc.set_need("twente", year=2030, theme="opleiding", amount="0.01", source="eigen raming")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_import_round_trip_is_exact(url, url2, ref, tmp_path, fmt):
    _populate(url, ref)
    out = tmp_path / ("export.xlsx" if fmt == "xlsx" else "export")
    export_file(out, url)
    import_file(out, url2, reference=ref)
    _assert_same(_state(url), _state(url2))
    # and money survived as exact decimals
    amounts = open_register(url2).amounts()
    assert Decimal("9876543210.99") in set(amounts["amount"])
    # re-importing the same export into the source changes nothing (no audit entries)
    before = len(open_register(url).log())
    import_file(out, url, reference=ref)
    assert len(open_register(url).log()) == before


def _bad_copy(src: Path, dst: Path, sheet: str, row: int, column: str, value) -> None:
    wb = load_workbook(src)
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    ws.cell(row=row, column=col, value=value)
    wb.save(dst)


def test_import_with_one_bad_row_changes_nothing(url, ref, tmp_path):
    _populate(url, ref)
    before, log_before = _state(url), len(open_register(url).log())
    # change every amount and add one bad row: nothing may land
    src = tmp_path / "full.xlsx"
    export_file(src, url)
    wb = load_workbook(src)
    ws = wb["bedragen"]
    amount_col = [c.value for c in ws[1]].index("bedrag") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=amount_col, value=1)
    ws.cell(row=ws.max_row, column=amount_col, value=-1)
    bad_row = ws.max_row
    wb.save(src)
    with pytest.raises(ValidationError) as exc:
        import_file(src, url, reference=ref)
    errors = [p for p in exc.value.problems if p.severity == "error"]
    assert [(p.sheet, p.row, p.field) for p in errors] == [("bedragen", bad_row, "bedrag")]
    assert "niets is opgeslagen" in exc.value.message
    _assert_same(before, _state(url))
    assert len(open_register(url).log()) == log_before


def test_every_problem_is_listed_with_sheet_row_column(url, ref, tmp_path):
    frames = {
        "maatregelen": pd.DataFrame(
            [
                ["M1", "achterhoek", None, "ok", None, "gezondheid", None, "GM0294", None, None],
                ["M2", "atlantis", None, "geen thema", None, None, None, "GM9999, GM0197", None, None],
                ["M1", "achterhoek", "PLAN-X", "dubbel", None, "vliegen", None, None, "geen_indicator", None],
            ],
            columns=[
                "code",
                "regio",
                "plan",
                "titel",
                "omschrijving",
                "thema",
                "doel",
                "gemeenten",
                "indicatoren",
                "versie",
            ],
        ),
        "bedragen": pd.DataFrame(
            [
                ["M1", 2025, "toegezegd", "provincie", "Gelderland", None, "100.00", None],
                ["M1", 2025, "betaald", "provincie", "Gelderland", None, "150.00", None],
                ["M1", 2040, "gepland", "privaat", None, None, "-3", "1.5"],
                ["M9", "twintig", "gepland", "loterij", None, None, "1,234.5.6", None],
            ],
            columns=[
                "maatregel",
                "jaar",
                "soort",
                "bron",
                "partij",
                "regeling",
                "bedrag",
                "cofinancieringsaandeel",
            ],
        ),
    }
    path = write_exchange(frames, tmp_path / "bad.xlsx")
    with pytest.raises(ValidationError) as exc:
        import_file(path, url, reference=ref)
    got = {(p.sheet, p.row, p.field, p.severity) for p in exc.value.problems}
    expected = {
        ("maatregelen", 3, "regio", "error"),
        ("maatregelen", 3, "thema", "error"),
        ("maatregelen", 3, "gemeenten", "error"),  # GM9999 does not exist
        ("maatregelen", 3, "gemeenten", "warning"),  # GM0197 is not in atlantis (no members -> no)
        ("maatregelen", 4, None, "error"),  # duplicate code
        ("maatregelen", 4, "plan", "error"),
        ("maatregelen", 4, "thema", "error"),
        ("maatregelen", 4, "indicatoren", "error"),
        ("bedragen", 3, "bedrag", "warning"),  # paid above committed
        ("bedragen", 4, "jaar", "error"),
        ("bedragen", 4, "bedrag", "error"),
        ("bedragen", 4, "cofinancieringsaandeel", "error"),
        ("bedragen", 5, "jaar", "error"),
        ("bedragen", 5, "bron", "error"),
        ("bedragen", 5, "bedrag", "error"),
        ("bedragen", 5, "maatregel", "error"),
    }
    # GM0197 in 'atlantis': an unknown region has no member list, so no membership warning
    expected.discard(("maatregelen", 3, "gemeenten", "warning"))
    assert got == expected
    assert open_register(url).measures().empty


def test_paid_above_committed_is_a_warning_not_a_refusal(url, ref, tmp_path):
    d = tmp_path / "csv"
    d.mkdir()
    (d / "maatregelen.csv").write_text(
        "code;regio;titel;thema\nM1;achterhoek;Test;gezondheid\n", encoding="utf-8"
    )  # semicolons, as Dutch Excel writes them
    (d / "bedragen.csv").write_text(
        "maatregel;jaar;soort;bron;partij;bedrag\n"
        "M1;2025;toegezegd;provincie;Gelderland;1.000,00\n"
        "M1;2025;betaald;provincie;Gelderland;1.500,25\n",
        encoding="utf-8",
    )
    result = import_file(d, url, reference=ref)
    assert [(p.sheet, p.row, p.field) for p in result.warnings] == [("bedragen", 3, "bedrag")]
    assert "betaald (1500.25) is hoger dan toegezegd (1000.00)" in result.warnings[0].message
    assert sorted(open_register(url).amounts()["amount"]) == [Decimal("1000.00"), Decimal("1500.25")]


def test_structural_problems(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="onbekend blad 'x'"):
        read_exchange(p)
    p = tmp_path / "bedragen.csv"
    p.write_text("maatregel,jaar\nM1,2025\n", encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        read_exchange(p)
    assert {pr.field for pr in exc.value.problems} == {"soort", "bron", "bedrag"}


def test_killed_import_leaves_register_as_it_was(url, ref, tmp_path):
    """SIGKILL a subprocess while it is inside the import transaction, half the rows written."""
    _populate(url, ref)
    before, log_before = _state(url), len(open_register(url).log())
    src = tmp_path / "changed.xlsx"
    export_file(src, url)
    wb = load_workbook(src)
    ws = wb["behoefte"]
    amount_col = [c.value for c in ws[1]].index("bedrag") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=amount_col, value=42)
    wb.save(src)
    marker = tmp_path / "paused"
    env = {**os.environ, PAUSE_ENV: str(marker)}
    code = "import sys; from npvr.cli import main; main(sys.argv[1:])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "register", "import", str(src), "--db", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(1200):  # wait for the hook (at most ~2 minutes on a loaded machine)
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), proc.communicate(timeout=5)
        written, total = map(int, marker.read_text().strip().split("/"))
        assert 0 < written < total
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    _assert_same(before, _state(url))
    assert len(open_register(url).log()) == log_before
    # and the register still works: the same import without the hook lands completely
    import_file(src, url, reference=ref)
    assert set(open_register(url).needs()["amount"]) == {Decimal("42.00")}


def test_a_long_refusal_lists_fifty_problems_and_the_total(url, ref, tmp_path):
    """Messages a person can read: 120 bad rows -> the first 50 listed, the total named, all kept."""
    p = tmp_path / "bedragen.csv"
    rows = "".join(f"M{i},2025,gepland,privaat,x,,-{i + 1}\n" for i in range(120))
    p.write_text("maatregel,jaar,soort,bron,partij,regeling,bedrag\n" + rows, encoding="utf-8")
    with pytest.raises(ValidationError) as exc:
        import_file(p, url, reference=ref)
    errors = [pr for pr in exc.value.problems if pr.severity == "error"]
    assert len(errors) == 240  # every row: unknown measure and negative amount
    assert exc.value.message.count("\n  - ") == 50
    assert "240" in exc.value.message
    assert [(pr.row, pr.field) for pr in errors[:2]] == [(2, "maatregel"), (2, "bedrag")]
