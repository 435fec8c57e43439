"""Border obstacles: which gemeenten a rule or practice concerns, and how many people live there.

The gemeenten concerned default to the border gemeenten of the neighbouring country: those whose
boundary touches Belgium or Germany (the snapshot's decided border flags, the same as the
grenseffectentoets). With a distance of d km they widen to every gemeente within d km of that land
border, measured on the shipped 2025 gemeente geometry in the Dutch national grid (EPSG:28992).

The land border is approximated as the part of the national outer boundary that belongs to the
flagged border gemeenten. The shipped geometry is generalised (a few hundred metres), and for
Zeeuws-Vlaanderen the outer boundary also runs along the Westerschelde, so distances there are
measured partly to water; results are a defensible default that the user can edit, not a survey.

People affected: the inwoners of the gemeenten concerned (catalogue indicator ``inwoners``,
latest period), the same exposure figure the grenseffectentoets uses — an upper bound of the
people exposed to the obstacle, not a count of those who actually cross the border.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from npvr.errors import ConfigError
from npvr.loop.models import COUNTRIES

MAX_KM = 100
_CLOSE = 300.0  # metres; wider than the gaps of the generalised geometry


def _snapshot(snap: Any) -> Any:
    if snap is not None:
        return snap
    import npvr

    return npvr.load_snapshot()


@cache
def _projected(path: str) -> dict[str, Any]:
    """Gemeente polygons of the snapshot at ``path`` in EPSG:28992 (metres), by gm code."""
    import pyproj
    import shapely
    from shapely.geometry import shape

    import npvr

    snap = npvr.load_snapshot(path)
    to_rd = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True).transform
    out = {}
    for feat in snap.geojson("gemeente")["features"]:
        geom = shapely.make_valid(shape(feat["geometry"]))
        out[str(feat["properties"]["code"])] = shapely.transform(
            geom, lambda xy: np.column_stack(to_rd(xy[:, 0], xy[:, 1]))
        )
    return out


def border_gemeenten_within(country: str, km: float = 0, *, snap: Any = None) -> list[str]:
    """GM codes of the gemeenten within ``km`` of the land border with ``country`` (BE or DE).

    ``km=0`` gives exactly the border gemeenten (the snapshot's flags).
    """
    if country not in COUNTRIES:
        raise ConfigError(
            f"onbekend buurland '{country}'; kies uit {', '.join(COUNTRIES)}",
            en=f"unknown neighbouring country '{country}'; choose from {', '.join(COUNTRIES)}",
            field="land",
        )
    if not 0 <= km <= MAX_KM:
        raise ConfigError(
            f"afstand {km} km ligt niet tussen 0 en {MAX_KM}",
            en=f"distance {km} km is not between 0 and {MAX_KM}",
            field="afstand",
        )
    snap = _snapshot(snap)
    flag = snap.gemeenten[f"borders_{COUNTRIES[country]}"].astype(bool)
    border = sorted(map(str, flag.index[flag]))
    if km == 0:
        return border
    import shapely

    geoms = _projected(str(snap.path))
    # close the slivers between independently generalised gemeenten (grow, then shrink) so the only
    # boundary left is the national one; keep the exteriors (holes are gaps, not borders)
    union = shapely.union_all([g.buffer(_CLOSE) for g in geoms.values()]).buffer(-_CLOSE)
    polygons = list(union.geoms) if union.geom_type == "MultiPolygon" else [union]
    outer = shapely.union_all([shapely.LineString(p.exterior.coords) for p in polygons])
    near_border = shapely.union_all([geoms[c].buffer(_CLOSE) for c in border if c in geoms])
    land = shapely.intersection(outer, near_border)
    near = [c for c, g in geoms.items() if g.distance(land) <= km * 1000.0]
    return sorted(set(near) | set(border))


def people_in(gemeenten: list[str], *, snap: Any = None) -> tuple[int, str]:
    """Inwoners of the given gemeenten at the latest period, and the source line of that figure."""
    snap = _snapshot(snap)
    ind = snap.catalogue["inwoners"]
    period = max(ind.periods)
    s = snap.indicator_values("inwoners", period)
    missing = sorted(set(gemeenten) - set(map(str, s.index)))
    if missing:
        raise ConfigError(
            f"onbekende gemeenten {', '.join(missing[:5])} (verwacht GM-codes van de indeling 2025)",
            en=f"unknown gemeenten {', '.join(missing[:5])} (expected GM codes of the 2025 division)",
            field="gemeenten",
        )
    total = round(float(s.reindex(gemeenten).sum()))
    return total, ind.provenance(period)


def exposure_table(gemeenten: list[str], *, snap: Any = None) -> pd.DataFrame:
    """Per gemeente concerned: name, province, border flags and inwoners (for `belemmering show`)."""
    snap = _snapshot(snap)
    gm = snap.gemeenten.reindex(gemeenten)
    inw = snap.indicator_values("inwoners").reindex(gemeenten)
    return pd.DataFrame(
        {
            "gm_code": gemeenten,
            "naam": gm["name"].to_numpy(),
            "provincie": gm["province_name"].to_numpy(),
            "grenst_aan_belgie": gm["borders_belgium"].astype(bool).to_numpy(),
            "grenst_aan_duitsland": gm["borders_germany"].astype(bool).to_numpy(),
            "inwoners": inw.to_numpy(),
        }
    )
