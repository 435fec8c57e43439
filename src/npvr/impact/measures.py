"""The registry of distribution-key measures: one place read by validation, keys, CLI help and docs.

A measure turns the gemeente data into one non-negative quantity per gemeente (inwoners,
huishoudens, km² land, ...). The budget share of a measure is then divided in proportion to it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeasureDef:
    """A named quantity per gemeente. ``column`` is the column of GemeenteData it reads."""

    name: str
    label_nl: str
    label_en: str
    column: str | None  # None: computed (vaste_voet) or read from the catalogue (indicator)
    indicator_id: str | None = None  # catalogue indicator that fills ``column`` from the snapshot


MEASURES: dict[str, MeasureDef] = {
    m.name: m
    for m in (
        MeasureDef("inwoners", "per inwoner", "per inhabitant", "inwoners", "inwoners"),
        MeasureDef(
            "inwoners_0_14",
            "per inwoner 0-14 jaar",
            "per inhabitant aged 0-14",
            "inwoners_0_14",
            "inwoners_0_14",
        ),
        MeasureDef(
            "inwoners_15_24",
            "per inwoner 15-24 jaar",
            "per inhabitant aged 15-24",
            "inwoners_15_24",
            "inwoners_15_24",
        ),
        MeasureDef(
            "inwoners_25_44",
            "per inwoner 25-44 jaar",
            "per inhabitant aged 25-44",
            "inwoners_25_44",
            "inwoners_25_44",
        ),
        MeasureDef(
            "inwoners_45_64",
            "per inwoner 45-64 jaar",
            "per inhabitant aged 45-64",
            "inwoners_45_64",
            "inwoners_45_64",
        ),
        MeasureDef(
            "inwoners_65plus",
            "per inwoner van 65 jaar of ouder",
            "per inhabitant aged 65+",
            "inwoners_65plus",
            "inwoners_65plus",
        ),
        MeasureDef("huishoudens", "per huishouden", "per household", "huishoudens", "huishoudens"),
        MeasureDef("woningen", "per woning", "per housing unit", "woningen", "woningvoorraad"),
        MeasureDef("land_km2", "per km² land", "per km² of land", "land_km2", "land_area_km2"),
        MeasureDef("vaste_voet", "vaste voet per gemeente", "fixed base amount per gemeente", None),
        MeasureDef("indicator", "per eenheid van een indicator", "per unit of a catalogue indicator", None),
    )
}


def measure_names() -> list[str]:
    """All registered measure names, for validation messages and CLI help."""
    return list(MEASURES)
