"""The shipped snapshot: read it, check it is whole, and describe where each figure comes from.

Layout of a snapshot folder (built by :func:`npvr.data.build.build_snapshot`):

- ``gemeenten.parquet``  the 342 gemeenten (2025): names, COROP, province, land area, border flags
- ``values.parquet``     long-form gemeente values: area_code, indicator_id, period, value
- ``wijken.parquet``     long-form wijk values (+ gm_code)
- ``catalogue.json``     the indicator catalogue with periods and coverage
- ``gemeente.geojson``, ``corop.geojson``, ``provincie.geojson``  generalised WGS84 boundaries
- ``manifest.json``      sources (file, sha256, CBS table), licence and attribution
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from npvr.data.catalogue import Catalogue
from npvr.errors import DataError

SNAPSHOT_FILES = (
    "gemeenten.parquet",
    "values.parquet",
    "wijken.parquet",
    "catalogue.json",
    "gemeente.geojson",
    "corop.geojson",
    "provincie.geojson",
    "manifest.json",
)
LEVELS = ("gemeente", "corop", "provincie")


def default_snapshot_dir() -> Path:
    """The snapshot shipped inside the package."""
    return Path(str(resources.files("npvr.data").joinpath("snapshot")))


@dataclass(frozen=True)
class Snapshot:
    """All data npvr computes with, read once and shared by every module."""

    path: Path
    gemeenten: pd.DataFrame
    values: pd.DataFrame
    wijken: pd.DataFrame
    catalogue: Catalogue
    manifest: dict[str, Any]
    _geo: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def geojson(self, level: str = "gemeente") -> dict[str, Any]:
        """Boundaries as a GeoJSON FeatureCollection (properties: code, name)."""
        if level not in LEVELS:
            raise DataError(
                f"onbekend niveau '{level}'; kies uit {', '.join(LEVELS)}", en=f"unknown level {level!r}"
            )
        if level not in self._geo:
            self._geo[level] = _read_json(self.path / f"{level}.geojson")
        return self._geo[level]

    def indicator_values(self, indicator_id: str, period: int | None = None) -> pd.Series:
        """One indicator at one period (latest by default) as a Series over gm_code."""
        ind = self.catalogue[indicator_id]
        period = max(ind.periods) if period is None else period
        sub = self.values[(self.values["indicator_id"] == indicator_id) & (self.values["period"] == period)]
        return sub.set_index("area_code")["value"].rename(indicator_id)


def _missing(path: Path) -> DataError:
    return DataError(
        "snapshotbestand ontbreekt; bouw de snapshot opnieuw met 'npvr data build'",
        en="snapshot file is missing; rebuild it with 'npvr data build'",
        file=path,
    )


def _corrupt(path: Path, why: str) -> DataError:
    return DataError(
        f"snapshotbestand is beschadigd ({why}); bouw de snapshot opnieuw met 'npvr data build'",
        en=f"snapshot file is corrupt ({why}); rebuild it with 'npvr data build'",
        file=path,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _missing(path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _corrupt(path, str(exc)) from None


def _read_parquet(path: Path, columns: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_parquet(path)
    except FileNotFoundError:
        raise _missing(path) from None
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise _corrupt(path, type(exc).__name__) from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"kolommen ontbreken: {missing}", en=f"columns missing: {missing}", file=path)
    return df


def read_snapshot(path: str | Path) -> Snapshot:
    """Read and check a snapshot folder; a missing or corrupt file is a DataError naming it."""
    p = Path(path)
    if not p.is_dir():
        raise DataError(
            "snapshotmap bestaat niet; bouw de snapshot met 'npvr data build'",
            en="snapshot folder does not exist; build it with 'npvr data build'",
            file=p,
        )
    gemeenten = _read_parquet(p / "gemeenten.parquet", ["gm_code", "name", "corop_code", "province_code"])
    values = _read_parquet(p / "values.parquet", ["area_code", "indicator_id", "period", "value"])
    wijken = _read_parquet(p / "wijken.parquet", ["area_code", "indicator_id", "period", "value", "gm_code"])
    catalogue = Catalogue.from_records(_read_json(p / "catalogue.json")["indicators"])
    manifest = _read_json(p / "manifest.json")
    if len(gemeenten) != manifest.get("n_gemeenten") or len(values) != manifest.get("n_values"):
        raise DataError(
            "snapshot is onvolledig: aantallen wijken af van manifest.json",
            en="snapshot is incomplete: counts differ from manifest.json",
            file=p,
        )
    return Snapshot(p, gemeenten.set_index("gm_code"), values, wijken, catalogue, manifest)


@lru_cache(maxsize=4)
def _cached(path: str) -> Snapshot:
    return read_snapshot(path)


def load_snapshot(path: str | Path | None = None) -> Snapshot:
    """The snapshot at ``path`` (default: the shipped one), read once per process."""
    return _cached(str(Path(path) if path is not None else default_snapshot_dir()))


def clear_cache() -> None:
    """Forget cached snapshots (after an update swapped a new one in)."""
    _cached.cache_clear()
