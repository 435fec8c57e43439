"""What an adjustment did: the monitor's difference-in-differences on its target indicators, and the
toets of the policy before and after the adjustment.

The effect panel calls :mod:`npvr.monitor.effect` (matching, ``did_table``) with the adjustment's
start year as the programme start: periods before it are the baseline, the start year itself is a
transition year, periods after it are measurements. Treated gemeenten are the members of the named
regions (all NPVR regions by default); each gets its ``k`` nearest non-NPVR gemeenten on the
baseline values of the intensive indicators (shares, means, rates), as in the report.

When no period after the start year is in the data, the panel says so and names the first period
in which a measurement is possible, following the series' own rhythm (yearly, two-yearly …).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from npvr import monitor
from npvr.errors import ConfigError

#: Aggregation rules of indicators that are levels per person or per unit (matched on, like the report).
INTENSIVE_RULES = ("ratio", "weighted_mean", "median_approx", "change")


@dataclass
class EffectPanel:
    """Per target indicator: baseline, placebo, estimate or when one becomes possible; and the matching."""

    table: pd.DataFrame
    matching: monitor.Matching
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "indicators": self.table.to_dict(orient="records"),
            "pairs": self.matching.pairs.to_dict(orient="records"),
        }


def next_period(periods: list[int], after: int) -> tuple[int, int]:
    """The first period > ``after`` on the series' rhythm, and that rhythm (years between periods)."""
    ps = sorted(set(periods))
    steps = [b - a for a, b in itertools.pairwise(ps)]
    step = int(pd.Series(steps[-3:]).median()) if steps else 1
    step = max(step, 1)
    later = [p for p in ps if p > after]
    if later:
        return later[0], step
    last = ps[-1]
    return last + step * math.ceil((after + 1 - last) / step), step


def timing(periods: list[int], start: int, lang: str = "nl") -> dict[str, Any]:
    """When a first measurement is possible for a series with ``periods`` and an adjustment in ``start``."""
    first, step = next_period(periods, start)
    latest = max(periods)
    available = latest > start
    rhythm_nl = "jaarlijks" if step == 1 else f"elke {step} jaar"
    rhythm_en = "yearly" if step == 1 else f"every {step} years"
    if len(set(periods)) < 2:  # one period: the rhythm is unknown, the next period at the earliest
        rhythm_nl, rhythm_en = "één periode; ritme onbekend", "one period; rhythm unknown"
    if available:
        nl = (
            f"Meting mogelijk: de data lopen tot {latest}; {start} is het overgangsjaar, "
            f"gemeten is met {first}–{latest}."
        )
        en = (
            f"Measurable: the data run to {latest}; {start} is the transition year, "
            f"measured with {first}–{latest}."
        )
    else:
        nl = (
            f"Nog geen meting mogelijk: de data lopen tot {latest} (reeks {rhythm_nl}); {start} is het "
            f"overgangsjaar. De eerste meting kan met periode {first}, zodra CBS die publiceert."
        )
        en = (
            f"No measurement yet: the data run to {latest} (series {rhythm_en}); {start} is the transition "
            f"year. The first measurement is possible with period {first}, once CBS publishes it."
        )
    return {
        "latest_period": latest,
        "rhythm_years": step,
        "first_measurement": first,
        "available": available,
        "statement": nl if lang == "nl" else en,
        "statement_nl": nl,
        "statement_en": en,
    }


def treated_gemeenten(regions: list[str], region_set: Any) -> list[str]:
    """Members of the named regions (all regions of the set when none are named)."""
    known = {r.id: r for r in region_set.regions}
    unknown = [r for r in regions if r not in known]
    if unknown:
        raise ConfigError(
            f"onbekende regio's {', '.join(unknown)}; bekende: {', '.join(known)}",
            en=f"unknown regions {', '.join(unknown)}; known: {', '.join(known)}",
            field="regio's",
        )
    chosen = [known[r] for r in regions] if regions else list(known.values())
    return sorted({gm for r in chosen for gm in r.members})


def effect_panel(
    indicators: list[str],
    start: int | dt.date,
    *,
    regions: list[str] | None = None,
    k: int = 3,
    snap: Any = None,
    region_set: Any = None,
    lang: str = "nl",
) -> EffectPanel:
    """The effect panel of an adjustment that applies from ``start`` to ``regions`` (default: all NPVR).

    Columns: indicator_id, label, unit, every column of :func:`npvr.monitor.did_table` (baseline,
    placebo, estimate, status), latest_period, rhythm_years, first_measurement, statement, source.
    """
    import npvr

    snap = snap if snap is not None else npvr.load_snapshot()
    region_set = region_set if region_set is not None else npvr.load_regions()
    year = start.year if isinstance(start, dt.date) else int(start)
    cat = snap.catalogue
    unknown = [i for i in indicators if i not in cat]
    if unknown:
        raise ConfigError(
            f"onbekende indicatoren {', '.join(unknown)} (zie 'npvr indicators')",
            en=f"unknown indicators {', '.join(unknown)} (see 'npvr indicators')",
            field="indicatoren",
        )
    if not indicators:
        raise ConfigError(
            "de aanpassing noemt geen doelindicatoren; een effectpaneel heeft er minstens één nodig",
            en="the adjustment names no target indicators; an effect panel needs at least one",
            field="indicatoren",
        )
    treated = treated_gemeenten(list(regions or []), region_set)
    values = snap.values
    intensive = [i for i, ind in cat.items() if ind.aggregation in INTENSIVE_RULES]
    base = values[values["indicator_id"].isin(intensive)]
    variables = monitor.effect.matching_variables(base, start=year)
    m = monitor.match(base, treated, variables=variables, k=k, start=year)
    did = monitor.did_table(values, m, indicators, start=year)
    rows = []
    for ind_id in indicators:
        ind = cat[ind_id]
        periods = sorted(int(p) for p in values.loc[values["indicator_id"] == ind_id, "period"].unique())
        hit = did[did["indicator_id"] == ind_id] if len(did) else did
        row: dict[str, Any] = (
            hit.iloc[0].to_dict() if len(hit) else {"indicator_id": ind_id, "status": "no-baseline"}
        )
        t = timing(periods, year, lang)
        row.update(
            label=ind.label(lang),
            unit=ind.unit_label(lang),
            direction=ind.direction,
            latest_period=t["latest_period"],
            rhythm_years=t["rhythm_years"],
            first_measurement=t["first_measurement"],
            statement=t["statement"],
            source=ind.provenance(row.get("baseline_period") or max(periods), lang),
        )
        rows.append(row)
    meta = {
        "start": year,
        "regions": list(regions or []) or [r.id for r in region_set.regions],
        "n_treated": len(treated),
        "k": k,
        "n_variables": len(variables),
        "unmatched": m.unmatched,
        "method": "difference-in-differences, nearest-neighbour matching (npvr.monitor.effect)",
    }
    return EffectPanel(pd.DataFrame(rows), m, meta)


# --- the toets before and after -----------------------------------------------------------------------


def toets_pair(before: str | Path, after: str | Path) -> dict[str, Any]:
    """Run the uitvoeringstoets on the policy before and after the adjustment; keep what to show later.

    Returns the two policy texts and the regional comparison of :func:`npvr.impact.compare`
    (A = before, B = after, verschil = B − A) as plain JSON-ready data, with when it ran and on which
    data, so the before/after can be shown even after the files or the snapshot change.
    """
    from npvr.impact import compare, toets

    a, b = toets(before), toets(after)
    comp = compare(a, b)
    regions = comp.regions.reset_index(names="regio")
    regions = regions.astype(object).where(regions.notna(), None)
    return {
        "before_file": str(before),
        "after_file": str(after),
        "before_policy": Path(before).read_text(encoding="utf-8"),
        "after_policy": Path(after).read_text(encoding="utf-8"),
        "result": {
            "run_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "before": a.policy.name,
            "after": b.policy.name,
            "kind": a.policy.kind,
            "regions": regions.to_dict(orient="records"),
            "summary": comp.summary,
            "provenance": {**a.provenance, **b.provenance},
        },
    }
