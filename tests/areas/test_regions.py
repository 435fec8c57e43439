"""The NPVR region set: membership, population and validation of user region files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import npvr
from npvr.errors import ConfigError, ValidationError

EXPECTED_COUNTS = [8, 14, 4, 3, 5, 8, 7, 16, 5, 7, 4]


def test_eleven_regions_with_issue_member_counts():
    regions = npvr.load_regions()
    assert [len(r.members) for r in regions] == EXPECTED_COUNTS
    assert regions.ids[0] == "achterhoek" and regions.ids[-1] == "noard-fryslan"
    assert {
        r.confidence
        for r in regions
        if r.id in ("zuid-en-oost-drenthe", "noord-en-oost-groningen", "noard-fryslan")
    } == {"C"}


def test_region_population_equals_raw_kwb_sum(shared_data: Path):
    """Each region's population = sum of its members' AantalInwoners_5 read straight from the raw CSV."""
    with open(shared_data / "stats" / "kwb2024_85984NED_gemeenten.csv", encoding="utf-8") as fh:
        raw = {row["gm_code"]: int(row["AantalInwoners_5"]) for row in csv.DictReader(fh)}
    from npvr.cli.core import regions_table

    for row in regions_table():
        assert row["population"] == sum(raw[c] for c in row["members"]), row["id"]


def test_variants_of_contested_regions():
    regions = npvr.load_regions()
    emmen = regions.by_id("zuid-en-oost-drenthe")
    assert set(emmen.variants["kern"]) == {"GM1681", "GM0109", "GM0114"}
    wide = regions.with_variant("noord-en-oost-groningen", "met-midden-groningen")
    assert "GM1952" in wide.by_id("noord-en-oost-groningen").members
    nf = regions.with_variant("noard-fryslan", "corop-noord-friesland").by_id("noard-fryslan")
    snap = npvr.load_snapshot()
    assert set(nf.members) == set(snap.gemeenten.index[snap.gemeenten["corop_code"] == "CR04"])


def test_groups_cover_every_gemeente_once():
    groups = npvr.load_regions().groups()
    assert len(groups) == 342
    assert (groups != "rest").sum() == sum(EXPECTED_COUNTS)


BAD = """name: test
regions:
  - id: twente
    name: Twente
    members: [GM0153, GM9999]
  - id: enschede-too
    name: Dubbel
    members: [GM0153]
  - id: leeg
    name: Leeg
    members: []
"""


def test_bad_region_file_reports_every_problem_with_line(tmp_path: Path):
    path = tmp_path / "regios.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        npvr.load_regions(path)
    problems = info.value.problems
    messages = [p.message for p in problems]
    assert any("GM9999" in m and "twente" in m for m in messages)
    assert any("twee regio's" in m and "GM0153" in m for m in messages)
    assert any("'leeg'" in m and "geen gemeenten" in m for m in messages)
    rows = {p.row for p in problems}
    assert {5, 8, 11} <= rows  # the lines of the bad member and of the empty list


def test_broken_yaml_names_file_and_line(tmp_path: Path):
    path = tmp_path / "kapot.yaml"
    path.write_text("regions:\n  - id: a\n    members: [GM0153\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="ongeldige YAML") as info:
        npvr.load_regions(path)
    assert info.value.file == str(path) and info.value.line is not None


@pytest.mark.parametrize(
    ("query", "kind", "n"),
    [
        ("twente", "npvr", 14),
        ("TWENTE", "npvr", 14),
        ("Zuid- en Oost-Drenthe (Regio Emmen)", "npvr", 5),
        ("CR12", "corop", 14),
        ("PV31", "provincie", 31),
        ("GM0153", "gemeente", 1),
        ("Enschede", "gemeente", 1),
    ],
)
def test_resolve_area(query: str, kind: str, n: int):
    area = npvr.resolve_area(query)
    assert area.kind == kind and len(area.members) == n


def test_variants_by_name_and_refusals(tmp_path: Path):
    base = npvr.load_regions()
    assert base.variant_names() == [
        "zuid-en-oost-drenthe:kern",
        "noord-en-oost-groningen:met-midden-groningen",
        "noard-fryslan:corop-noord-friesland",
    ]
    kern = base.with_variants(["kern"])
    assert kern.by_id("zuid-en-oost-drenthe").members == ("GM1681", "GM0109", "GM0114")
    assert [len(r.members) for r in kern if r.id != "zuid-en-oost-drenthe"] == [
        n for r, n in zip(base, EXPECTED_COUNTS, strict=True) if r.id != "zuid-en-oost-drenthe"
    ]
    with pytest.raises(ConfigError, match="bestaat niet; kies uit"):
        base.with_variants(["twente:groot"])
    path = tmp_path / "twee.yaml"
    path.write_text(
        "regions:\n"
        "  - {id: a, members: [GM0153], variants: {groot: [GM0153, GM0164]}}\n"
        "  - {id: b, members: [GM0164], variants: {groot: [GM0164]}}\n",
        encoding="utf-8",
    )
    own = npvr.load_regions(path)
    with pytest.raises(ConfigError, match="niet eenduidig"):
        own.with_variants(["groot"])
    with pytest.raises(ConfigError, match="GM0164 in twee regio's"):
        own.with_variants(["a:groot"])
    assert own.with_variants(["b:groot"]).by_id("b").members == ("GM0164",)
