"""Distribution keys (verdeelsleutels) with exact cent accounting, floors, caps and a phase-in path.

Rounding rule (stated once, used everywhere): every computation runs on exact rationals
(:class:`fractions.Fraction`; weights are read as decimals, data floats are converted exactly).
The budget is an integer number of cents. Each gemeente first gets the whole cents of its exact
quota; the cents left over go one each to the gemeenten with the largest fractional remainders,
ties broken by gm_code (largest-remainder / Hamilton method). So the allocations add up to the
budget to the cent, and no gemeente is more than one cent from its exact quota. A floor is rounded
up and a cap down to whole cents, so rounding never breaks them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from npvr.errors import ConfigError


def to_cents(euros: float | Decimal | str) -> int:
    """Euros -> integer cents; refuses fractions of a cent rather than rounding silently."""
    d = Decimal(str(euros)) * 100
    if d != d.to_integral_value():
        raise ConfigError(
            f"bedrag {euros} is geen heel aantal centen", en=f"amount {euros} is not a whole number of cents"
        )
    return int(d)


def largest_remainder(quotas: Mapping[str, Fraction], total: int) -> dict[str, int]:
    """Round exact quotas (summing to the integer ``total``) to integers that sum to ``total``."""
    base = {k: math.floor(q) for k, q in quotas.items()}
    left = total - sum(base.values())
    if left < 0 or left > len(quotas):
        raise ValueError("quotas do not sum to total")  # programming error, not user input
    order = sorted(quotas, key=lambda k: (-(quotas[k] - base[k]), k))
    for k in order[:left]:
        base[k] += 1
    return base


@dataclass(frozen=True)
class KeyResult:
    """One key's allocation.

    ``cents``: final integer cents per gemeente (sums to the budget). ``exact``: the exact quota in
    euros before rounding (float, for statistics). ``parts_cents``: per measure, that measure's
    share before floors/caps, each rounded to the nearest cent. ``correction_cents``: what floors,
    caps and rounding add or take away, so that parts + correction = cents exactly.
    ``bound``: "ondergrens" / "plafond" / "" per gemeente.
    """

    cents: pd.Series
    exact: pd.Series
    parts_cents: pd.DataFrame
    correction_cents: pd.Series
    bound: pd.Series

    @property
    def euros(self) -> pd.Series:
        return self.cents / 100


def _frac(x: Any) -> Fraction:
    if isinstance(x, Decimal):
        return Fraction(x)
    return Fraction(float(x)) if not isinstance(x, int) else Fraction(x)


def allocate(
    quantities: pd.DataFrame,
    weights: Mapping[str, Decimal | float],
    budget_cents: int,
    *,
    floor_cents: pd.Series | None = None,
    cap_cents: pd.Series | None = None,
) -> KeyResult:
    """Divide ``budget_cents`` over the rows of ``quantities`` (index gm_code, one column per measure).

    Each measure gets ``weight`` of the budget (weights are normalised to sum 1) and divides it in
    proportion to its column. Floors/caps (integer cents per gemeente) are met by one common scale
    factor on the unbounded gemeenten (the exact solution of sum(clamp(λ·raw, floor, cap)) = budget).
    """
    if budget_cents < 0:
        raise ConfigError(
            "het budget mag niet negatief zijn", en="the budget must not be negative", field="budget"
        )
    codes = [str(c) for c in quantities.index]
    wsum = sum(_frac(w) for w in weights.values())
    raw: dict[str, Fraction] = dict.fromkeys(codes, Fraction(0))
    parts: dict[str, dict[str, int]] = {}
    for col, w in weights.items():
        share = _frac(w) / wsum * budget_cents
        q = {c: _frac(v) for c, v in zip(codes, quantities[col].to_numpy(), strict=True)}
        if any(v < 0 for v in q.values()):
            raise ConfigError(
                f"maatstaf '{col}' heeft negatieve waarden",
                en=f"measure '{col}' has negative values",
                field=col,
            )
        total = sum(q.values())
        if total == 0:
            if share == 0:
                parts[col] = dict.fromkeys(codes, 0)
                continue
            raise ConfigError(
                f"maatstaf '{col}' is overal 0; het budget kan er niet mee verdeeld worden",
                en=f"measure '{col}' is 0 everywhere; the budget cannot be divided by it",
                field=col,
            )
        part = {c: share * q[c] / total for c in codes}
        for c in codes:
            raw[c] += part[c]
        parts[col] = {c: round(part[c]) for c in codes}

    floors = {c: 0 for c in codes}
    caps: dict[str, int | None] = dict.fromkeys(codes)
    if floor_cents is not None:
        floors.update({str(k): int(v) for k, v in floor_cents.items()})
    if cap_cents is not None:
        caps.update({str(k): int(v) for k, v in cap_cents.items()})
    values, bound = _clamp_to_budget(raw, floors, caps, budget_cents)
    fixed = {c: int(values[c]) for c in codes if bound[c]}
    free = {c: values[c] for c in codes if not bound[c]}
    cents = dict(fixed)
    cents.update(largest_remainder(free, budget_cents - sum(fixed.values())))
    cents_s = pd.Series([cents[c] for c in codes], index=quantities.index, dtype="int64", name="cents")
    parts_df = pd.DataFrame({col: [p[c] for c in codes] for col, p in parts.items()}, index=quantities.index)
    correction = cents_s - parts_df.sum(axis=1).astype("int64")
    return KeyResult(
        cents=cents_s,
        exact=pd.Series([float(values[c]) / 100 for c in codes], index=quantities.index, name="exact"),
        parts_cents=parts_df,
        correction_cents=correction.rename("correction"),
        bound=pd.Series([bound[c] for c in codes], index=quantities.index, name="bound"),
    )


def _clamp_to_budget(
    raw: dict[str, Fraction], floors: dict[str, int], caps: dict[str, int | None], budget: int
) -> tuple[dict[str, Fraction], dict[str, str]]:
    """Find λ with sum(clamp(λ·raw, floor, cap)) == budget exactly; return values and bound labels."""
    has_bounds = any(floors.values()) or any(v is not None for v in caps.values())
    if not has_bounds:
        return raw, dict.fromkeys(raw, "")
    for c in raw:
        cap = caps[c]
        if cap is not None and cap < floors[c]:
            raise ConfigError(
                f"plafond ligt onder de ondergrens voor {c}",
                en=f"cap is below the floor for {c}",
                field="cap",
            )
    lo_sum = sum(floors.values())
    hi_sum: float = 0
    for c in raw:
        cap = caps[c]
        hi_sum += floors[c] if raw[c] == 0 else (math.inf if cap is None else cap)
    if lo_sum > budget:
        raise ConfigError(
            f"de ondergrenzen samen (€ {lo_sum / 100:,.2f}) zijn meer dan het budget",
            en=f"the floors together (€ {lo_sum / 100:,.2f}) exceed the budget",
            field="floor",
        )
    if hi_sum < budget:
        raise ConfigError(
            "de plafonds samen zijn minder dan het budget; het budget past niet",
            en="the caps together are less than the budget; the budget does not fit",
            field="cap",
        )

    def clamp(c: str, lam: Fraction) -> Fraction:
        v = lam * raw[c]
        v = max(v, Fraction(floors[c]))
        cap = caps[c]
        return min(v, Fraction(cap)) if cap is not None else v

    def total(lam: Fraction) -> Fraction:
        return sum((clamp(c, lam) for c in raw), Fraction(0))

    points = sorted(
        {Fraction(0)}
        | {Fraction(floors[c]) / raw[c] for c in raw if raw[c] > 0}
        | {Fraction(cap) / raw[c] for c in raw if raw[c] > 0 and (cap := caps[c]) is not None}
    )
    lo, hi = 0, len(points) - 1  # largest k with total(points[k]) <= budget
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if total(points[mid]) <= budget:
            lo = mid
        else:
            hi = mid - 1
    start = points[lo]
    nxt = points[lo + 1] if lo + 1 < len(points) else start + 1
    probe = (start + nxt) / 2
    fixed_sum = Fraction(0)
    free_raw = Fraction(0)
    for c in raw:
        v = probe * raw[c]
        cap = caps[c]
        if v <= floors[c]:
            fixed_sum += floors[c]
        elif cap is not None and v >= cap:
            fixed_sum += cap
        else:
            free_raw += raw[c]
    lam = start if free_raw == 0 else (budget - fixed_sum) / free_raw
    values: dict[str, Fraction] = {}
    bound: dict[str, str] = {}
    for c in raw:
        v = lam * raw[c]
        cap = caps[c]
        if v < floors[c] or (raw[c] == 0 and floors[c] > 0):
            values[c], bound[c] = Fraction(floors[c]), "ondergrens"
        elif cap is not None and v > cap:
            values[c], bound[c] = Fraction(cap), "plafond"
        else:
            values[c], bound[c] = v, ""
    return values, bound


def bound_cents(per_gemeente: pd.Series, *, kind: str) -> pd.Series:
    """Euro bounds -> integer cents: a floor is rounded up, a cap down, so rounding cannot break them."""
    fn = math.ceil if kind == "floor" else math.floor
    return per_gemeente.map(lambda e: fn(Fraction(Decimal(str(e))) * 100)).astype("int64")


def phase_in(
    baseline_cents: pd.Series,
    target_cents: pd.Series,
    population: pd.Series,
    *,
    max_change_per_inwoner: float,
    max_years: int = 20,
    limit_gains: bool = True,
) -> pd.DataFrame:
    """The ingroeipad from ``baseline`` to ``target`` (both integer cents with the same total).

    Each year no gemeente moves by more than ``max_change_per_inwoner`` × inwoners (rounded down
    to whole cents). Because gains and losses must balance (the budget is fixed), the larger side is
    scaled down to the smaller side with the largest-remainder rule, never above a gemeente's own
    step. With ``limit_gains=False`` only losses are limited (the gemeentefonds convention: a
    gemeente's *nadeel* is phased in, its gains follow from what the losers give up each year).
    Returns one row per year (0 = baseline) in integer cents; stops when the target is reached.
    """
    if int(baseline_cents.sum()) != int(target_cents.sum()):
        raise ValueError("baseline and target must divide the same budget")
    codes = [str(c) for c in baseline_cents.index]
    limit = {
        c: math.floor(Fraction(Decimal(str(max_change_per_inwoner))) * _frac(p) * 100)
        for c, p in zip(codes, population.reindex(baseline_cents.index).to_numpy(), strict=True)
    }
    prev = {c: int(v) for c, v in zip(codes, baseline_cents.to_numpy(), strict=True)}
    target = {c: int(v) for c, v in zip(codes, target_cents.to_numpy(), strict=True)}
    rows = [dict(prev)]
    for _ in range(max_years):
        if prev == target:
            break
        step = {
            c: max(-limit[c], target[c] - prev[c] if not limit_gains else min(limit[c], target[c] - prev[c]))
            for c in codes
        }
        gains = {c: s for c, s in step.items() if s > 0}
        losses = {c: -s for c, s in step.items() if s < 0}
        g, lsum = sum(gains.values()), sum(losses.values())
        if g > lsum:
            scaled = largest_remainder({c: Fraction(s * lsum, g) for c, s in gains.items()}, lsum)
            step.update(scaled)
        elif lsum > g:
            scaled = largest_remainder({c: Fraction(s * g, lsum) for c, s in losses.items()}, g)
            step.update({c: -v for c, v in scaled.items()})
        if not any(step.values()):
            break  # nobody may move (zero limits); the path cannot advance
        prev = {c: prev[c] + step[c] for c in codes}
        rows.append(dict(prev))
    out = pd.DataFrame(rows, columns=codes).astype("int64")
    out.index.name = "jaar"
    out.columns = baseline_cents.index
    return out
