"""The documented ILLUSTRATION of the need, shipped as ``example_need.csv``.

Why an illustration: the need per region, theme and year is user input (each region's own
estimate). To give a newcomer something to compare against, npvr ships one derived from the
published national figure — an external estimate of about €1 bn a year for the 11 NPVR regions
together, €10.5 bn over ten years. How it is split:

* over the years evenly: €10.5 bn / 10 = €1.05 bn per year for 2025–2034 (the programme period);
* over the regions by population share: inwoners (CBS, latest period in the shipped snapshot) of
  each region's member gemeenten, divided by the total of the 11 regions;
* not over themes: the theme is left empty (= all themes together), because the estimate is not
  published per theme; compare with ``npvr register gap --by region,year``.

Cents are allocated with the largest-remainder method, so every year sums to exactly
€1,050,000,000.00. This is NOT a real estimate of any region's need.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

TOTAL_TEN_YEARS = Decimal("10500000000.00")  # €10.5 bn, the published ten-year estimate
YEARS = tuple(range(2025, 2035))
POPULATION_INDICATOR = "inwoners"
FILE_NAME = "example_need.csv"


def population_shares(snapshot: Any = None, regions: Any = None) -> tuple[pd.Series, str]:
    """Inwoners per region (latest period) and the provenance string of that figure."""
    import npvr

    snap = snapshot if snapshot is not None else npvr.load_snapshot()
    regs = regions if regions is not None else npvr.load_regions()
    v = snap.values
    v = v[v["indicator_id"] == POPULATION_INDICATOR]
    period = int(v["period"].max())
    pop = v[v["period"] == period].set_index("area_code")["value"]
    per_region = pd.Series({r.id: float(pop.reindex(list(r.members)).sum()) for r in regs.regions})
    return per_region, snap.catalogue[POPULATION_INDICATOR].provenance(period)


def _split_cents(total_cents: int, weights: pd.Series) -> dict[str, int]:
    """Largest-remainder split of whole cents by weight; sums to ``total_cents`` exactly."""
    w = weights / weights.sum()
    raw = w * total_cents
    floor = raw.astype("int64")
    rest = int(total_cents - floor.sum())
    order = (raw - floor).sort_values(ascending=False, kind="mergesort").index[:rest]
    out = floor.copy()
    out[order] += 1
    return {str(k): int(v) for k, v in out.items()}


def example_need(snapshot: Any = None, regions: Any = None) -> pd.DataFrame:
    """The illustration as a ``behoefte`` sheet (regio, thema, jaar, bedrag, bron)."""
    pop, provenance = population_shares(snapshot, regions)
    per_year_cents = int(TOTAL_TEN_YEARS.scaleb(2)) // len(YEARS)
    split = _split_cents(per_year_cents, pop)
    note = (
        "ILLUSTRATIE, geen echte raming: landelijke schatting €10,5 mld over 10 jaar (ca. €1 mld/jaar) "
        f"voor de 11 regio's, gelijk over de jaren, naar aandeel inwoners ({provenance})"
    )
    rows = [
        {"regio": r, "thema": "", "jaar": y, "bedrag": Decimal(split[r]).scaleb(-2), "bron": note}
        for r in pop.index
        for y in YEARS
    ]
    return pd.DataFrame(rows, columns=["regio", "thema", "jaar", "bedrag", "bron"])


def shipped_example_path() -> Any:
    """The shipped CSV (importable with ``npvr register import``)."""
    return resources.files("npvr.register").joinpath(FILE_NAME)


def copy_example_need(out: str | Path) -> Path:
    """Write the shipped illustration to ``out`` (atomically; OutputError when it cannot, or when
    ``out`` exists: an existing file is never replaced)."""
    from npvr.output import write_text

    return write_text(out, shipped_example_path().read_text(encoding="utf-8"))


def write_example_need(path: Any) -> None:
    """Regenerate the shipped CSV (run by the maintainer when the snapshot changes)."""
    from npvr.register.io import _csv_text

    text = _csv_text(example_need())
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
