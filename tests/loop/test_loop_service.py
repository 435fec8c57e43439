"""The loop on the register database (SQLite and PostgreSQL): audit trail, round trip, malformed import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from npvr.errors import ConfigError, ConflictError, ValidationError
from npvr.loop import TransitionError, border_gemeenten_within, export_file, import_file, open_loop
from npvr.loop.validate import SHEETS

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "examples" / "policies"
FORM = REPO / "examples" / "grenstoets" / "grensarbeiders_fiscale_regel.yaml"
ELEMENTS = {
    "a": "Ambulances rijden over de grens",
    "b": "Een Nederlandse ambulance mag in Duitsland niet",
    "c": "Aanrijtijden",
    "e": "Twente en Kreis Borken",
}


def _fill(url: str) -> None:
    loop = open_loop(url, actor="tester")
    loop.add_adjustment(
        "AANP-01",
        scheme="Vitaliteitsfonds",
        kind="vaste-voet",
        change="20% vaste voet per gemeente",
        effective_from="2026-01-01",
        regions=["achterhoek", "twente"],
        indicators=["aandeel_65plus"],
        toets_before=POLICIES / "vitaliteitsfonds_per_inwoner.yaml",
        toets_after=POLICIES / "vitaliteitsfonds_vaste_voet.yaml",
        note="regel 1\nregel 2",
    )
    loop.add_lesson(
        "LES-01",
        region="achterhoek",
        theme="gezondheid",
        title="Huisartsenpost in de kern",
        worked="samen met de zorgverzekeraar",
        national_rule="Wet marktordening",
        adjustment="AANP-01",
        recorded_on="2026-05-01",
    )
    loop.add_obstacle(
        "GB-DE-01",
        title="Ambulance over de grens",
        rule="vergunning per land",
        rule_kind="regel",
        country="DE",
        groups=["patienten", "grensarbeiders"],
        grenstoets=FORM,
    )
    loop.bridge_new(
        "BR-01",
        title="Ambulancezorg",
        initiator="EUREGIO",
        obstacle="GB-DE-01",
        on="2026-01-31",
        elements=ELEMENTS,
    )
    loop.bridge_step("BR-01", "ingediend", on="2026-02-02")
    loop.bridge_step("BR-01", "belemmering-vastgesteld", on="2026-03-16", note="brief CCP")


def test_everything_recorded_is_in_the_audit_trail(url):
    _fill(url)
    audit = open_loop(url).audit()
    keys = set(zip(audit["entity"], audit["key"], audit["action"], strict=True))
    for entity, key in [
        ("loop_adjustments", "AANP-01"),
        ("loop_lessons", "LES-01"),
        ("loop_obstacles", "GB-DE-01"),
        ("loop_bridge_files", "BR-01"),
        ("loop_bridge_steps", "BR-01/1"),
        ("loop_bridge_steps", "BR-01/3"),
    ]:
        assert (entity, key, "insert") in keys
    assert set(audit["actor"]) == {"tester"}
    moves = audit[(audit["entity"] == "loop_bridge_files") & (audit["action"] == "update")]
    assert [c["state"] for c in moves["changes"]] == [
        ["concept", "ingediend"],
        ["ingediend", "belemmering-vastgesteld"],
    ]
    ins = audit[(audit["entity"] == "loop_adjustments")].iloc[0]["changes"]
    assert ins["effective_from"] == [None, "2026-01-01"] and json.loads(ins["regions"][1]) == [
        "achterhoek",
        "twente",
    ]


def test_round_trip_export_import_on_both_databases(url, url2, tmp_path):
    _fill(url)
    first = open_loop(url).export_loop()
    out = export_file(tmp_path / "loop.xlsx", url)
    result = import_file(out, url2, actor="importer")
    assert result.counts == {
        "aanpassingen": 1,
        "lessen": 1,
        "belemmeringen": 1,
        "bridge_dossiers": 1,
        "bridge_stappen": 3,
    }
    second = open_loop(url2).export_loop()
    for sheet in SHEETS:  # versions count the edits made in each database, all else is equal
        left, right = (f[sheet].drop(columns=["versie"], errors="ignore") for f in (first, second))
        pd.testing.assert_frame_equal(left, right, check_dtype=False, obj=sheet)
    a1, a2 = open_loop(url).get_adjustment("AANP-01"), open_loop(url2).get_adjustment("AANP-01")
    assert a1["toets_result"] == a2["toets_result"] and a1["toets_before_policy"] == a2["toets_before_policy"]
    assert a2["note"] == "regel 1\nregel 2"
    audit2 = open_loop(url2).audit()
    assert set(audit2["action"]) == {"insert"} and set(audit2["actor"]) == {"importer"}
    assert all(o.startswith("api import") for o in audit2["origin"])
    # importing its own export again changes nothing and writes no audit entries
    import_file(export_file(tmp_path / "again.xlsx", url2), url2)
    assert len(open_loop(url2).audit()) == len(audit2)
    # CSV folder: the same round trip
    export_file(tmp_path / "csv", url2)
    written = sorted(p.name for p in (tmp_path / "csv").glob("*.csv"))
    assert written == sorted(f"{s}.csv" for s in SHEETS)
    import_file(tmp_path / "csv", url2)  # the CSV folder imports as well (same content: no change)
    assert len(open_loop(url2).audit()) == len(audit2)


def test_toets_before_after_is_stored_with_euros_per_region(url):
    _fill(url)
    a = open_loop(url).get_adjustment("AANP-01")
    regions = {r["regio"]: r for r in a["toets_result"]["regions"]}
    ach = regions["achterhoek"]
    assert ach["verschil_euro"] == pytest.approx(ach["euro_B"] - ach["euro_A"])
    total_a = sum(r["euro_A"] for r in regions.values())
    total_b = sum(r["euro_B"] for r in regions.values())
    assert total_a == pytest.approx(100_000_000, abs=0.01) and total_b == pytest.approx(total_a, abs=0.01)
    assert "kind: fund" in a["toets_after_policy"]


def test_obstacle_people_are_the_inwoners_of_the_border_gemeenten(url, snapshot):
    _fill(url)
    o = open_loop(url).get_obstacle("GB-DE-01")
    gm = snapshot.gemeenten
    expected = sorted(map(str, gm.index[gm["borders_germany"].astype(bool)]))
    assert o["gemeenten"] == expected and o["distance_km"] == 0 and len(expected) == 35
    inw = snapshot.values
    period = max(snapshot.catalogue["inwoners"].periods)
    sel = inw[
        (inw["indicator_id"] == "inwoners") & (inw["period"] == period) & inw["area_code"].isin(expected)
    ]
    assert o["people"] == round(sel["value"].sum())
    assert "70072NED" in o["people_basis"] and o["grenstoets_file"] == FORM.name


def test_wider_distance_adds_gemeenten_near_the_border():
    at0, at5, at10 = (set(border_gemeenten_within("DE", km)) for km in (0, 5, 10))
    assert at0 < at5 < at10
    assert "GM0153" in at0  # Enschede touches Germany
    assert "GM0164" in at10 - at5  # Hengelo: about 8 km from the border on the shipped geometry
    assert "GM0363" not in at10  # Amsterdam does not


def test_bridge_steps_are_checked(url):
    loop = open_loop(url)
    loop.bridge_new("BR-02", title="x", initiator="EGTS", on="2026-01-10", elements={"a": "a"})
    with pytest.raises(ValidationError) as err:
        loop.bridge_step("BR-02", "ingediend", on="2026-01-11")
    assert sorted(p.field for p in err.value.problems) == ["element_b", "element_c", "element_e"]
    loop.bridge_step("BR-02", "ingediend", on="2026-01-11", elements={"b": "b", "c": "c", "e": "e"})
    with pytest.raises(TransitionError, match=r"staat op 'ingediend'.*belemmering-vastgesteld$"):
        loop.bridge_step("BR-02", "afgerond", on="2026-02-01")
    with pytest.raises(ConfigError, match="vóór de vorige stap"):
        loop.bridge_step("BR-02", "belemmering-vastgesteld", on="2026-01-01")
    with pytest.raises(ValidationError, match="redenen"):
        loop.bridge_step("BR-02", "gesloten-geen-belemmering", on="2026-02-01")
    loop.bridge_step("BR-02", "belemmering-vastgesteld", on="2026-02-01")
    with pytest.raises(ValidationError, match="uitkomst"):
        loop.bridge_step("BR-02", "afgerond", on="2026-05-01", reasons="wet gewijzigd")
    f = loop.bridge_step(
        "BR-02",
        "afgerond",
        on="2026-05-01",
        reasons="wet gewijzigd",
        outcome="wetgevingsvoorstel",
        redress_months=2,
    )
    assert f["state"] == "afgerond" and f["outcome_on"] == dt.date(2026, 5, 1) and len(f["steps"]) == 4
    lim = {d["deadline"]: d for d in loop.get_bridge_file("BR-02")["deadlines"]}
    assert lim["rechtsbescherming"]["due"] == dt.date(2026, 7, 1)
    assert loop.overdue(today=dt.date(2026, 1, 12)) == []
    with pytest.raises(ConflictError):
        loop.bridge_new("BR-02", title="x", initiator="y", on="2026-01-10")


def test_overdue_files_from_the_register(url):
    _fill(url)
    loop = open_loop(url)
    loop.bridge_new("BR-03", title="stil dossier", initiator="EGTS", on="2026-01-02", elements=ELEMENTS)
    loop.bridge_step("BR-03", "ingediend", on="2026-01-05")
    late = loop.overdue(today=dt.date(2026, 3, 6))
    assert [x["code"] for x in late] == ["BR-03"]  # BR-01 moved on within two months
    assert late[0]["overdue"][0]["due"] == dt.date(2026, 3, 5)


def test_lessons_search_by_text_theme_and_region(url):
    _fill(url)
    loop = open_loop(url)
    loop.add_lesson(
        "LES-02", region="twente", theme="huisvesting", title="Flexwonen", not_worked="Bouwbesluit"
    )
    assert list(loop.lessons(text="ZORGVERZEKERAAR")["code"]) == ["LES-01"]
    assert list(loop.lessons(text="bouwbesluit")["code"]) == ["LES-02"]
    assert list(loop.lessons(theme="huisvesting")["code"]) == ["LES-02"]
    assert list(loop.lessons(region="achterhoek")["code"]) == ["LES-01"]
    assert loop.lessons(text="bestaat niet").empty
    with pytest.raises(ValidationError, match="onbekende aanpassing 'AANP-99'"):
        loop.add_lesson("LES-03", region="twente", theme="huisvesting", title="x", adjustment="AANP-99")


# --- malformed workbook ------------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_malformed_workbook_lists_every_problem_and_writes_nothing(url, tmp_path):
    bad = _workbook(
        tmp_path / "bad.xlsx",
        {
            "aanpassingen": [
                ["code", "regeling", "soort", "wijziging", "geldt_vanaf", "regios", "indicatoren"],
                ["A1", "Fonds", "vaste-voet", "x", "2026-01-01", "achterhoek", "aandeel_65plus"],  # fine
                ["A2", "Fonds", "onbekend", "x", "1 januari", "atlantis", "geen_indicator"],
                ["A1", "Fonds", "ondergrens", "x", "2026-02-01", None, None],  # duplicate code
            ],
            "belemmeringen": [
                ["code", "titel", "regel", "soort", "land", "groepen", "gemeenten", "status"],
                ["GB1", "t", "r", "regel", "FR", "boeren", "GM9999", "gesignaleerd"],
            ],
            "bridge_dossiers": [
                ["code", "titel", "initiatiefnemer", "stap", "sinds", "element_a"],
                ["BR1", "t", "i", "ingediend", "2026-01-05", "a"],
            ],
            "bridge_stappen": [
                ["dossier", "volgnummer", "van", "naar", "datum"],
                ["BR1", 1, None, "concept", "2026-01-02"],
                ["BR1", 2, "concept", "afgerond", "2026-01-01"],
            ],
        },
    )
    with pytest.raises(ValidationError) as err:
        import_file(bad, url)
    found = {(p.sheet, p.row, p.field) for p in err.value.problems if p.severity == "error"}
    expected = {
        ("aanpassingen", 3, "soort"),
        ("aanpassingen", 3, "geldt_vanaf"),
        ("aanpassingen", 3, "regios"),
        ("aanpassingen", 3, "indicatoren"),
        ("aanpassingen", 4, None),
        ("belemmeringen", 2, "land"),
        ("belemmeringen", 2, "groepen"),
        ("belemmeringen", 2, "gemeenten"),
        ("bridge_dossiers", 2, "element_b"),
        ("bridge_dossiers", 2, "element_c"),
        ("bridge_dossiers", 2, "element_e"),
        ("bridge_dossiers", 2, "stap"),
        ("bridge_stappen", 3, "naar"),
        ("bridge_stappen", 3, "datum"),
    }
    assert found == expected
    text = err.value.render()
    assert "blad 'aanpassingen', regel 3, veld 'soort'" in text and "niets is opgeslagen" in text
    loop = open_loop(url)
    assert loop.adjustments().empty and loop.obstacles().empty and loop.bridge_files() == []
    assert loop.audit().empty


def test_structural_problems_are_collected_too(url, tmp_path):
    bad = _workbook(
        tmp_path / "struct.xlsx",
        {
            "aanpassingen": [
                ["code", "regeling", "soort", "geldt_vanaf"],
                ["A1", "Fonds", "vaste-voet", "2026-01-01"],
            ],
            "onzin": [["a"], [1]],
            "lessen": [
                ["code", "regio", "thema", "titel", "extra"],
                ["L1", "twente", "gezondheid", "t", "x"],
            ],
        },
    )
    with pytest.raises(ValidationError) as err:
        import_file(bad, url)
    errs = {(p.sheet, p.field) for p in err.value.problems if p.severity == "error"}
    assert errs == {("aanpassingen", "wijziging"), ("onzin", None)}
    warns = {(p.sheet, p.field) for p in err.value.problems if p.severity == "warning"}
    assert warns == {("lessen", "extra")}
    assert open_loop(url).adjustments().empty


def test_out_of_range_numbers_are_problems_not_database_errors(url, tmp_path):
    bad = _workbook(
        tmp_path / "numbers.xlsx",
        {
            "belemmeringen": [
                ["code", "titel", "regel", "soort", "land", "status", "afstand_km", "inwoners", "versie"],
                ["GB1", "t", "r", "regel", "DE", "gesignaleerd", 101, 10**12, 0],
                ["GB2", "t", "r", "regel", "DE", "gesignaleerd", "2,5", -1, "1e40"],
            ]
        },
    )
    with pytest.raises(ValidationError) as err:
        import_file(bad, url)
    found = {(p.row, p.field) for p in err.value.problems}
    assert found == {
        (2, "afstand_km"),
        (2, "inwoners"),
        (2, "versie"),
        (3, "afstand_km"),
        (3, "inwoners"),
        (3, "versie"),
    }
    assert open_loop(url).obstacles().empty


def test_stale_version_is_a_conflict(url):
    _fill(url)
    loop = open_loop(url)
    v = loop.get_obstacle("GB-DE-01")["version"]
    loop.set_obstacle_status("GB-DE-01", "onderzocht", expected_version=v)
    with pytest.raises(ConflictError, match="intussen gewijzigd"):
        loop.set_obstacle_status("GB-DE-01", "opgelost", expected_version=v)
    assert loop.get_obstacle("GB-DE-01")["status"] == "onderzocht"


def test_edit_fills_elements_without_a_step_and_keeps_the_rules(url):
    loop = open_loop(url)
    loop.bridge_new("BR-04", title="x", initiator="EGTS", on="2026-01-10")
    f = loop.bridge_edit("BR-04", elements={"a": "a", "b": "b", "c": "c", "e": "e"}, coordination_point="CCP")
    assert f["state"] == "concept" and f["el_e"] == "e" and len(f["steps"]) == 1 and f["version"] == 2
    loop.bridge_step("BR-04", "ingediend", on="2026-01-11")
    with pytest.raises(ValidationError, match="element b"):
        loop.bridge_edit("BR-04", elements={"b": ""})  # a submitted file keeps its required elements
    audit = loop.audit()
    assert ("loop_bridge_files", "BR-04", "update") in set(
        zip(audit["entity"], audit["key"], audit["action"], strict=True)
    )


@pytest.mark.parametrize(("country", "border"), [("DE", "germany"), ("BE", "belgium")])
def test_people_equal_the_grenstoets_exposure_figures(country, border):
    """Distance 0: the obstacle's inwoners are the grenseffectentoets' inwoners in border gemeenten."""
    from npvr.border import border_exposure
    from npvr.impact.inputs import GemeenteData
    from npvr.loop import people_in

    exposure = border_exposure(GemeenteData.from_snapshot(), [border])
    people, _basis = people_in(border_gemeenten_within(country, 0))
    assert people == round(exposure.loc["NL", "inwoners_grensgemeenten"])
    assert len(border_gemeenten_within(country, 0)) == int(exposure.loc["NL", "grensgemeenten"])
