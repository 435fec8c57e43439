"""Which gemeenten border Belgium or Germany, and how each flag was decided.

The raw flags (``gemeenten_2025_grens_belgie_duitsland_derived.csv``) come from a distance rule
against a coarse world map; ten rows are marked ``check``. They are decided here against the
2025 geometry itself, with a rule that needs no foreign map:

*Walk the national outer boundary.* The outer boundary of the union of all gemeenten is one ring
(coast plus land border). A gemeente's stretch of that ring is land border with country X when the
stretches on both sides of it belong to gemeenten that border X with high confidence: between two
border gemeenten, the ring can only be the land border. When neither neighbour borders X, it
does not. With exactly one such neighbour (the end of the land border, e.g. where it meets the
coast or the other country) the distance rule of the raw file stands, and the basis says so.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

COUNTRIES = {"belgium": "België", "germany": "Duitsland"}
_TOL = 1e-6


def _ring_neighbours(geoms: Mapping[str, BaseGeometry]) -> dict[str, set[str]]:
    """For each gemeente on the national outer boundary: the gemeenten next to it along that boundary.

    Walks every outer ring segment by segment, names the gemeente that owns each segment, and
    links consecutive owners.
    """
    codes = list(geoms)
    boundaries = [geoms[c].boundary for c in codes]
    tree = shapely.STRtree(boundaries)
    union = shapely.union_all(list(geoms.values()))
    polygons = union.geoms if union.geom_type == "MultiPolygon" else [union]
    neighbours: dict[str, set[str]] = {}
    for poly in polygons:
        coords = np.asarray(poly.exterior.coords)
        mids = shapely.points((coords[:-1] + coords[1:]) / 2.0)
        pairs = tree.query(mids, predicate="dwithin", distance=_TOL)
        owner = np.full(len(mids), -1)
        owner[pairs[0]] = pairs[1]
        run = [o for o in owner if o >= 0]
        run = [o for i, o in enumerate(run) if i == 0 or o != run[i - 1]]
        if len(run) > 1 and run[0] == run[-1]:
            run = run[:-1]
        for i, o in enumerate(run):
            if len(run) < 2:
                break
            for other in (run[i - 1], run[(i + 1) % len(run)]):
                if other != o:
                    neighbours.setdefault(codes[o], set()).add(codes[other])
    return neighbours


def resolve_border(flags: pd.DataFrame, geoms: Mapping[str, BaseGeometry]) -> pd.DataFrame:
    """gm_code -> borders_belgium, borders_germany (bool) and basis (Dutch text: how it was decided)."""
    neighbours = _ring_neighbours(geoms)
    high = flags[flags["confidence"] == "high"]
    out = pd.DataFrame(index=flags.index)
    bases: dict[str, list[str]] = {code: [] for code in flags.index}
    for country, label in COUNTRIES.items():
        col = f"borders_{country}"
        decided = flags[col].astype(int).astype(bool).copy()
        known = set(high.index[high[col].astype(int) == 1])
        unsure = list(flags.index[flags["confidence"] != "high"])
        # a check gemeente between a known border gemeente and a check one that is decided 'yes' by
        # its own neighbours counts too: settle them in order of how many known neighbours they have
        unsure.sort(key=lambda c: -len(neighbours.get(c, set()) & known))
        for code in unsure:
            n = len(neighbours.get(code, set()) & known)
            raw = bool(int(flags.at[code, col]))
            if n >= 2:
                decided[code] = True
                known.add(code)
                bases[code].append(f"{label}: ja, ligt op de buitengrens tussen twee grensgemeenten")
            elif n == 0:
                decided[code] = False
                bases[code].append(f"{label}: nee, geen buurgemeente langs de buitengrens grenst aan {label}")
            else:
                decided[code] = raw
                if raw:
                    known.add(code)
                bases[code].append(
                    f"{label}: {'ja' if raw else 'nee'}, einde van de landgrens; afstandsregel van de bron "
                    f"(min. {flags.at[code, f'min_dist_km_{country}']} km)"
                )
        out[col] = decided
    for code in flags.index:
        if not bases[code]:
            bases[code].append(
                "afstandsregel van de bron, hoge zekerheid (>= 0,3 km buitengrens binnen 1,5 km)"
            )
    out["basis"] = pd.Series({c: "; ".join(b) for c, b in bases.items()})
    return out
