"""The gemeente data an uitvoeringstoets reads: one wide frame, with where every column came from.

Why a separate object: the key arithmetic is tested on small hand-made frames, and the same code
runs on the shipped snapshot. ``GemeenteData.from_snapshot`` is the only place that touches it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from npvr.errors import ConfigError, DataError
from npvr.impact.measures import MEASURES


@dataclass
class GemeenteData:
    """Wide frame indexed by gm_code.

    Required columns: ``name``, ``inwoners``, ``region`` (NPVR region id or "rest"). Optional:
    the other measure columns, ``land_km2``, ``borders_belgium``, ``borders_germany``.
    ``provenance`` maps a column to its source line; ``indicator`` fetches a catalogue indicator
    (Series by gm_code) and returns it with its provenance; ``region_names`` maps region id -> name.
    """

    frame: pd.DataFrame
    provenance: dict[str, str] = field(default_factory=dict)
    region_names: dict[str, str] = field(default_factory=dict)
    indicator: Callable[[str, int | None], tuple[pd.Series, str]] | None = None
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # indicator id -> (nl, en)

    def column(self, name: str, *, what: str = "") -> pd.Series:
        """A column of the frame; a missing one is a DataError naming it."""
        if name not in self.frame.columns:
            raise DataError(
                f"de gegevens missen kolom '{name}'{what}", en=f"the data lack column '{name}'{what}"
            )
        return self.frame[name]

    def fetch_indicator(self, indicator_id: str, period: int | None, *, field: str = "") -> pd.Series:
        """A catalogue indicator per gemeente (missing gemeenten are absent); records provenance."""
        if indicator_id in self.frame.columns:
            return self.frame[indicator_id]
        if self.indicator is None:
            raise ConfigError(
                f"indicator '{indicator_id}' is niet beschikbaar",
                en=f"indicator '{indicator_id}' is not available",
                field=field or None,
            )
        series, prov = self.indicator(indicator_id, period)
        self.provenance[indicator_id] = prov
        return series

    def region_name(self, rid: str, lang: str = "nl") -> str:
        if rid == "rest":
            return "Rest van Nederland" if lang == "nl" else "Rest of the Netherlands"
        return self.region_names.get(rid, rid)

    @classmethod
    def from_snapshot(
        cls, snap: Any = None, *, regions: Any = None, period: int | None = None
    ) -> GemeenteData:
        """Build from the shipped snapshot (``npvr.load_snapshot()``) and a region set."""
        import npvr

        if snap is None:
            snap = npvr.load_snapshot()
        if regions is None or isinstance(regions, str):
            regions = npvr.load_regions(regions)
        cat = snap.catalogue
        gm = snap.gemeenten
        frame = pd.DataFrame(index=gm.index.astype(str))
        frame.index.name = "gm_code"
        frame["name"] = gm["name"]
        for col in ("province_code", "province_name"):
            if col in gm.columns:
                frame[col] = gm[col]
        provenance: dict[str, str] = {}
        values = snap.values

        def indicator(ind: str, want: int | None) -> tuple[pd.Series, str]:
            if ind not in cat:
                raise ConfigError(
                    f"indicator '{ind}' staat niet in de catalogus",
                    en=f"indicator '{ind}' is not in the catalogue",
                    field="indicator",
                )
            rows = values[values["indicator_id"] == ind]
            if rows.empty:
                raise DataError(
                    f"indicator '{ind}' heeft geen waarden in de snapshot",
                    en=f"indicator '{ind}' has no values in the snapshot",
                )
            periods = sorted(rows["period"].unique())
            earlier = [p for p in periods if want is None or p <= want]
            per = int(want) if want is not None and want in periods else int(max(earlier or periods[-1:]))
            s = rows[rows["period"] == per].set_index("area_code")["value"]
            s.index = s.index.astype(str)
            return s.reindex(frame.index).dropna(), cat[ind].provenance(per)

        for m in MEASURES.values():
            if m.column is None or m.indicator_id is None:
                continue
            if m.indicator_id == "land_area_km2":
                frame[m.column] = gm["land_area_km2"].astype(float)
                provenance[m.column] = "CBS/PDOK gebiedsindeling 2025 (oppervlakte land), km²"
                continue
            if m.indicator_id not in cat:
                continue
            s, prov = indicator(m.indicator_id, period)
            frame[m.column] = s
            provenance[m.column] = prov
        for col in ("borders_belgium", "borders_germany"):
            frame[col] = gm[col].astype(bool)
        provenance["borders"] = (
            "npvr-grensafbakening 2025 (afgeleid uit CBS/PDOK-grenzen; basis per gemeente)"
        )
        frame["region"] = regions.groups(frame.index).reindex(frame.index).fillna("rest")
        names = {r.id: r.name for r in regions.regions}
        labels = {k: (v.label_nl, v.label_en) for k, v in cat.items()}
        return cls(frame, provenance, names, indicator, labels)
