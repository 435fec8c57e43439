"""Write a COINr-style example table from the real snapshot: the 12 provinces x 6 indicators
(``provincies.csv``, CBS values aggregated by each indicator's rule) and its metadata with a
two-domain hierarchy (``provincies_meta.csv``: id, label, direction, unit, source, parent, weight).

    python examples/index/make_table.py
    npvr index build --data examples/index/provincies.csv --meta examples/index/provincies_meta.csv
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import npvr

HERE = Path(__file__).parent
IDS = {
    "gem_gestandaardiseerd_inkomen": "welvaart",
    "netto_arbeidsparticipatie": "welvaart",
    "aandeel_hoogopgeleid": "welvaart",
    "goede_gezondheid_18plus": "welzijn",
    "eenzaam_18plus": "welzijn",
    "misdrijven_per_1000": "welzijn",
}


def main() -> None:
    snap = npvr.load_snapshot()
    table = npvr.indicator_table(list(IDS), level="provincie")
    table = table[table["period"] == table["indicator_id"].map(table.groupby("indicator_id")["period"].max())]
    wide = table.pivot_table(index=["area_code", "area_name"], columns="indicator_id", values="value")
    wide = wide[list(IDS)].round(3).reset_index().rename(columns={"area_code": "code", "area_name": "name"})
    wide.to_csv(HERE / "provincies.csv", index=False)
    cat = snap.catalogue
    meta = [
        {
            "id": i,
            "label": cat[i].label_nl,
            "direction": cat[i].direction,
            "unit": cat[i].unit,
            "source": cat[i].provenance(int(table.loc[table["indicator_id"] == i, "period"].iloc[0])),
            "parent": parent,
            "weight": 1,
        }
        for i, parent in IDS.items()
    ]
    meta += [
        {"id": "welvaart", "label": "Materiële welvaart", "parent": "", "weight": 1},
        {"id": "welzijn", "label": "Welzijn en veiligheid", "parent": "", "weight": 1},
    ]
    pd.DataFrame(meta).to_csv(HERE / "provincies_meta.csv", index=False)


if __name__ == "__main__":
    main()
