"""Every COROP claim in the shipped delimitation texts agrees with the CBS reference table."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import npvr

CLAIM_EQUAL = re.compile(r"valt samen met COROP-gebied (CR\d\d)")
CLAIM_PART = re.compile(r"(\d+) van de (\d+) gemeenten van COROP-gebied (CR\d\d)")


def _corops(shared_data: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with (shared_data / "reference" / "gemeenten_2025_corop_provincie.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["corop_code"], set()).add(row["gm_code"])
    return out


def test_every_corop_claim_matches_the_reference_table(shared_data: Path) -> None:
    corops = _corops(shared_data)
    checked = 0
    for region in npvr.load_regions().regions:
        text = " ".join(region.source.split())
        members = set(region.members)
        for code in CLAIM_EQUAL.findall(text):
            assert members == corops[code], f"{region.id}: 'valt samen met {code}' is not true"
            checked += 1
        for part, whole, code in CLAIM_PART.findall(text):
            assert len(members & corops[code]) == int(part), region.id
            assert len(corops[code]) == int(whole), region.id
            assert members <= corops[code], region.id
            checked += 1
    assert checked >= 9  # all eight single-COROP regions and the partial ones make a claim


def test_the_two_known_partial_regions_do_not_claim_equality() -> None:
    texts = {r.id: " ".join(r.source.split()) for r in npvr.load_regions().regions}
    assert "valt samen" not in texts["achterhoek"] and "8 van de 11" in texts["achterhoek"]
    kop = texts["kop-van-noord-holland"]
    assert "valt samen" not in kop and "4 van de 11" in kop
