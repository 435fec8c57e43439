"""The uitvoeringstoets pipeline: a policy + gemeente data -> one result with every table.

One runner per policy kind, registered by name (the CLI and report never branch on kinds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from npvr.errors import DataError, NpvrError
from npvr.impact import exposure as exp
from npvr.impact import keys, need, scalebias, thresholds, verdict
from npvr.impact.inputs import GemeenteData
from npvr.impact.measures import MEASURES
from npvr.impact.policy import ExposurePolicy, FundPolicy, KeySpec, Policy, SubsidyPolicy, load_policy
from npvr.yamlio import SourceMap


@dataclass
class ToetsResult:
    """Everything an uitvoeringstoets shows; every table is indexed by gm_code or region id."""

    policy: Policy
    gemeenten: pd.DataFrame
    regions: pd.DataFrame
    summary: dict[str, Any]
    explain: pd.DataFrame | None = None
    scale_bias: list[scalebias.Elasticity] = field(default_factory=list)
    phase_in: pd.DataFrame | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    phase_in_gemeenten: pd.DataFrame | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON view (the `--json` twin)."""

        def records(df: pd.DataFrame | None, key: str) -> list[dict[str, Any]] | None:
            if df is None:
                return None
            return df.reset_index(names=key).to_dict(orient="records")

        return {
            "policy": self.policy.model_dump(mode="json"),
            "summary": self.summary,
            "regions": records(self.regions, "regio"),
            "gemeenten": records(self.gemeenten, "gm_code"),
            "explain": records(self.explain, "regio"),
            "scale_bias": [e.__dict__ | {"flag": e.flag} for e in self.scale_bias],
            "phase_in": records(self.phase_in, "regio"),
            "phase_in_gemeenten": records(self.phase_in_gemeenten, "gm_code"),
            "provenance": self.provenance,
        }


def _quantities(
    spec: KeySpec, data: GemeenteData, period: int | None, source: SourceMap | None, path: str
) -> pd.DataFrame:
    """One column per measure of the key, all gemeenten, no gaps (a gap is a DataError naming them)."""
    f = data.frame
    cols = {}
    for i, (m, _) in enumerate(spec.specs()):
        d = MEASURES[m.measure]
        if m.measure == "vaste_voet":
            s = pd.Series(1, index=f.index)
        elif m.measure == "indicator":
            try:
                s = data.fetch_indicator(
                    cast(str, m.indicator), period, field=f"{path}measures[{i}].indicator"
                )
            except NpvrError as exc:
                if source is not None:  # point at the line in the policy file
                    exc.file, exc.line = source.file, source.line((*_split(path), "measures", i, "indicator"))
                raise
            s = s.reindex(f.index)
        else:
            s = data.column(cast(str, d.column), what=f" (maatstaf '{m.measure}')")
        missing = s[s.isna()].index.tolist()
        if missing:
            raise DataError(
                f"maatstaf '{m.key}' ontbreekt voor {len(missing)} gemeenten ({', '.join(missing[:5])})",
                en=f"measure '{m.key}' is missing for {len(missing)} gemeenten ({', '.join(missing[:5])})",
            )
        cols[m.key] = s
    return pd.DataFrame(cols, index=f.index)


def _nl(x: float, digits: int) -> str:
    """A number with a Dutch decimal comma, for summary sentences."""
    return f"{x:.{digits}f}".replace(".", ",")


def _split(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split(".") if p)


def _bound(b: Any, pop: pd.Series, kind: str) -> pd.Series | None:
    if b is None:
        return None
    per = pd.Series(b.euro, index=pop.index) if b.euro is not None else pop * b.per_inwoner
    return keys.bound_cents(per, kind=kind)


def run_key(
    spec: KeySpec,
    budget_cents: int,
    data: GemeenteData,
    period: int | None,
    source: SourceMap | None = None,
    path: str = "",
) -> tuple[keys.KeyResult, dict[str, str]]:
    """Allocate ``budget_cents`` with one key; returns the result and the measure labels."""
    q = _quantities(spec, data, period, source, path)
    pop = data.frame["inwoners"]
    weights = {m.key: w for m, w in spec.specs()}
    res = keys.allocate(
        q,
        weights,
        budget_cents,
        floor_cents=_bound(spec.floor, pop, "floor"),
        cap_cents=_bound(spec.cap, pop, "cap"),
    )
    labels = {
        m.key: (MEASURES[m.measure].label_nl if m.measure != "indicator" else f"per eenheid {m.indicator}")
        for m, _ in spec.specs()
    }
    return res, labels


def _explain(res: keys.KeyResult, labels: dict[str, str], data: GemeenteData) -> pd.DataFrame:
    """Per region: euros by measure plus the floor/cap/rounding correction; rows add up exactly."""
    df = res.parts_cents.rename(columns=labels).copy()
    df["correctie (grenzen, afronding)"] = res.correction_cents
    df["totaal"] = res.cents
    g = df.groupby(data.frame["region"]).sum() / 100
    order = [r for r in data.region_names if r in g.index] + [
        r for r in g.index if r not in data.region_names
    ]
    g = g.reindex(order)
    g.loc["NL"] = g.sum()
    g.insert(0, "naam", [data.region_name(r) if r != "NL" else "Nederland" for r in g.index])
    g.index.name = "regio"
    return g


def _base_table(data: GemeenteData) -> pd.DataFrame:
    f = data.frame
    return pd.DataFrame({"naam": f["name"], "regio": f["region"], "inwoners": f["inwoners"]})


def _verdicts(regions: pd.DataFrame, policy: Policy, has_need: bool) -> pd.DataFrame:
    basis = policy.verdict.basis
    if basis == "need" and not has_need:
        basis = "population"
    out = []
    for _, row in regions.iterrows():
        v = verdict.money_verdict(row.to_dict(), basis=basis, band=policy.verdict.neutral_band)
        if isinstance(policy, SubsidyPolicy):
            v = verdict.subsidy_verdict(row.to_dict(), v)
        out.append(v)
    regions = regions.copy()
    regions["oordeel"] = [v[0] for v in out]
    regions["reden"] = [v[1] for v in out]
    regions["reden_en"] = [v[2] for v in out]
    return regions


def run_fund(policy: FundPolicy, data: GemeenteData, source: SourceMap | None = None) -> ToetsResult:
    """Distribution key, optional baseline and phase-in, need incidence, scale bias, verdicts."""
    budget = keys.to_cents(policy.budget)
    res, labels = run_key(policy, budget, data, policy.period, source)
    pop = data.frame["inwoners"]
    g = _base_table(data)
    g["euro"] = res.euros
    g["euro_per_inwoner"] = res.euros / pop
    g["grens"] = res.bound
    base = None
    phase = None
    phase_g = None
    summary: dict[str, Any] = {
        "kind": "fund",
        "budget": policy.budget,
        "som_toewijzingen": int(res.cents.sum()) / 100,
    }
    if policy.baseline is not None:
        bres, _ = run_key(policy.baseline, budget, data, policy.period, source, "baseline.")
        base = bres.euros
        g["euro_basis"] = base
        g["verschil"] = g["euro"] - base
        g["verschil_per_inwoner"] = g["verschil"] / pop
        if policy.phase_in is not None:
            path = keys.phase_in(
                bres.cents,
                res.cents,
                pop,
                max_change_per_inwoner=policy.phase_in.max_change_per_inwoner,
                max_years=policy.phase_in.max_years,
                limit_gains=policy.phase_in.applies_to == "both",
            )
            years = [policy.phase_in.start_year + i for i in range(len(path))]
            path.index = years
            by_region = (
                (path.T.groupby(data.frame["region"]).sum() / 100)
                .reindex([r for r in data.region_names] + ["rest"])
                .dropna(how="all")
            )
            by_region.insert(0, "naam", [data.region_name(r) for r in by_region.index])
            by_region.index.name = "regio"
            phase = by_region
            steps = path.diff().iloc[1:].div(pop, axis=1) / 100  # euro per inwoner per year
            summary["ingroeipad_jaren"] = len(path) - 1
            summary["ingroeipad_voltooid"] = bool((path.iloc[-1] == res.cents).all())
            summary["ingroeipad_max_daling_per_inwoner"] = float(-steps.min().min()) if len(steps) else 0.0
            summary["ingroeipad_max_stijging_per_inwoner"] = float(steps.max().max()) if len(steps) else 0.0
            phase_g = (path.T / 100).rename(columns=str)
            phase_g.insert(0, "naam", data.frame["name"])
    nd = need.resolve_need(policy.need, data, policy.period)
    regions = need.incidence(g["euro"], data, need=nd, baseline=base)
    regions = _verdicts(regions, policy, nd is not None)
    sb = scalebias.scale_bias(res.exact / pop, pop, data.frame.get("land_km2"))
    summary["schaaleffect"] = [e.sentence() for e in sb]
    keys_used = [policy] + ([policy.baseline] if policy.baseline is not None else [])
    used = {m.indicator or MEASURES[m.measure].column for k in keys_used for m, _ in k.specs()}
    prov = {k: v for k, v in data.provenance.items() if k in {*used, "inwoners", "land_km2"}}
    if nd is not None:
        summary["behoefte"] = nd.label_nl
        prov["behoefte"] = nd.provenance
    return ToetsResult(policy, g, regions, summary, _explain(res, labels, data), sb, phase, prov, phase_g)


def run_subsidy(policy: SubsidyPolicy, data: GemeenteData, source: SourceMap | None = None) -> ToetsResult:
    """Thresholds, capacity, the expected allocation over gemeenten that reach the threshold."""
    cap = thresholds.capacity(policy, data)
    pop = data.frame["inwoners"]
    budget = keys.to_cents(policy.budget)
    g = _base_table(data).join(cap)
    summary: dict[str, Any] = {"kind": "subsidy", "budget": policy.budget}
    if cap["subsidie_capaciteit"].sum() > 0:
        res = keys.allocate(cap[["subsidie_capaciteit"]], {"subsidie_capaciteit": 1}, budget)
        g["euro"] = res.euros
        summary["som_toewijzingen"] = int(res.cents.sum()) / 100
    else:
        g["euro"] = 0.0
        summary["som_toewijzingen"] = 0.0
        summary["waarschuwing"] = "Geen enkele gemeente haalt de ondergrens; het budget blijft onbenut."
    g["euro_per_inwoner"] = g["euro"] / pop
    nd = need.resolve_need(policy.need, data, policy.period)
    regions = need.incidence(g["euro"], data, need=nd)
    below_tab = thresholds.regions_below(cap, data, min_project=policy.min_project_size.value)
    regions = regions.join(below_tab.drop(columns=["inwoners"]))
    regions = _verdicts(regions, policy, nd is not None)
    below = g[g["subsidiabel"] & ~g["haalt_ondergrens"]]
    summary["gemeenten_onder_grens"] = len(below)
    summary["inwoners_onder_grens"] = int(below["inwoners"].sum())
    sb = scalebias.scale_bias(g["euro_per_inwoner"].where(g["euro"] > 0), pop, data.frame.get("land_km2"))
    summary["schaaleffect"] = [e.sentence() for e in sb]
    prov = {k: v for k, v in data.provenance.items() if k in {"inwoners", "land_km2", "borders"}}
    if nd is not None:
        prov["behoefte"] = nd.provenance
    return ToetsResult(policy, g, regions, summary, None, sb, None, prov)


def run_exposure(policy: ExposurePolicy, data: GemeenteData, source: SourceMap | None = None) -> ToetsResult:
    """Exposure × sensitivity per gemeente and region, with expert spread and verdicts."""
    per = exp.impact(policy, data, policy.period)
    g = _base_table(data).join(per)
    regions = exp.by_region(per, data)
    pop = data.frame["inwoners"]
    national = float((per["impact"].fillna(0) * pop).sum() / pop.sum())
    vs = [
        verdict.exposure_verdict(
            r["impact"], national, effect=policy.effect, band=policy.verdict.neutral_band
        )
        for _, r in regions.iterrows()
    ]
    regions["oordeel"] = [v[0] for v in vs]
    regions["reden"] = [v[1] for v in vs]
    regions["reden_en"] = [v[2] for v in vs]
    summary: dict[str, Any] = {"kind": "exposure", "impact_nl": national, "effect": policy.effect}
    lines = [f"Landelijk gemiddelde impactscore (0 = niet geraakt, 1 = maximaal): {_nl(national, 3)}."]
    if policy.experts:
        spread = regions["experts_max"] - regions["experts_min"]
        worst = spread.idxmax()
        lo, hi = regions.loc[worst, "experts_min"], regions.loc[worst, "experts_max"]
        lines.append(
            f"{len(policy.experts)} experts; de grootste onenigheid is over {regions.loc[worst, 'naam']} "
            f"(blootstelling {_nl(lo, 2)} tot {_nl(hi, 2)})."
        )
    summary["tekst"] = lines
    return ToetsResult(policy, g, regions, summary, None, [], None, dict(data.provenance))


RUNNERS: dict[str, Callable[..., ToetsResult]] = {
    "fund": run_fund,
    "subsidy": run_subsidy,
    "exposure": run_exposure,
}


def run_policy(policy: Policy, data: GemeenteData, source: SourceMap | None = None) -> ToetsResult:
    """Run the toets for any policy kind."""
    return RUNNERS[policy.kind](policy, data, source)


def toets(path: str | Path, *, data: GemeenteData | None = None, regions: Any = None) -> ToetsResult:
    """Load a policy file and run it on the shipped snapshot (or on ``data``).

    ``regions`` (a RegionSet or region file) overrides the policy's own ``regions:`` entry.
    """
    policy, source = load_policy(path)
    if data is None:
        if regions is None and policy.regions:
            regions = str((Path(path).parent / policy.regions).resolve())
        data = GemeenteData.from_snapshot(regions=regions, period=policy.period)
    return run_policy(policy, data, source)
