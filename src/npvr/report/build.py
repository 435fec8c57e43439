"""``npvr report``: render the monitor report (HTML + Excel + PNGs) into one folder, atomically.

:func:`build_report` loads the snapshot and the region set, computes every table once
(:func:`npvr.monitor.panel.compute`) and renders it three ways: a self-contained HTML page
(interactive plotly charts, offline), an Excel workbook with every table, and a PNG for every
chart. Everything is written into a temporary folder that replaces ``out`` only at the end
(:mod:`npvr.report.output`), so a failure leaves nothing half-written.

``progress(step, done, total)`` is an optional callback so a face can draw a progress bar without
the library importing a face.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import npvr
from npvr.errors import DataError, NpvrError
from npvr.i18n import TEXT, check_lang, fmt_num, fmt_pct, t
from npvr.monitor.gaps import NL, NPVR, REST
from npvr.monitor.panel import ReportData, compute
from npvr.report import charts, maps, shell
from npvr.report.charts import COLOURS, Series
from npvr.report.excel import write_workbook
from npvr.report.images import ImageQueue
from npvr.report.output import atomic_output_dir, check_target

DEFAULT_OUT = "npvr-rapport"
HTML_NAME = {"nl": "rapport.html", "en": "report.html"}
XLSX_NAME = {"nl": "tabellen.xlsx", "en": "tables.xlsx"}
Progress = Callable[[str, int, int], None]
STEPS = ("load", "compute", "maps", "profiles", "trends", "inequality", "effect", "excel", "html")


@dataclass
class ReportResult:
    """What ``npvr report`` wrote (the ``--json`` twin). Paths are relative to ``out_dir``."""

    out_dir: str
    lang: str
    html: str
    workbook: str
    images: list[str]
    sheets: list[str]
    region_set: str
    n_regions: int
    n_gemeenten: int
    n_maps: int
    n_charts: int
    indicators: list[str]
    effect_status: str
    first_measurement: int
    index_available: bool
    register_included: bool
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _load(regions_path: str | Path | None, snapshot: Any) -> tuple[Any, Any]:
    if snapshot is None:
        try:
            snapshot = npvr.load_snapshot()
        except NpvrError:
            raise
        except Exception as exc:  # a corrupt parquet/json must not surface as a traceback
            raise DataError(
                f"de meegeleverde gegevens (snapshot) zijn onleesbaar: {type(exc).__name__}; "
                "installeer npvr opnieuw of bouw de snapshot met 'npvr data build'",
                en=f"the shipped data (snapshot) cannot be read: {type(exc).__name__}; "
                "reinstall npvr or rebuild the snapshot with 'npvr data build'",
            ) from exc
    if hasattr(regions_path, "membership"):  # already a RegionSet (e.g. with --variant applied)
        return snapshot, regions_path
    regions = npvr.load_regions(regions_path) if regions_path else npvr.load_regions()
    return snapshot, regions


class _Renderer:
    """Turns :class:`ReportData` into figures, PNGs and template context for one language."""

    def __init__(self, data: ReportData, snapshot: Any, lang: str, out: Path, images: ImageQueue) -> None:
        self.d, self.snap, self.lang, self.out, self.q = data, snapshot, lang, out, images
        self.cat = snapshot.catalogue
        self.figs: dict[str, dict[str, Any]] = {}
        self.images: list[str] = []
        self.T = {k: t(k, lang) for k in TEXT}
        self.region_name = dict(zip(data.regions["id"], data.regions["name"], strict=True))
        self.unit_names = {
            **self.region_name,
            NPVR: self.T["npvr_all"],
            REST: self.T["rest_of_nl"],
            NL: self.T["nl"],
        }
        (out / "img").mkdir(parents=True, exist_ok=True)
        for sub in ("maps", "profiles", "trends", "inequality"):
            (out / "img" / sub).mkdir(exist_ok=True)

    # helpers ---------------------------------------------------------------------------------
    def label(self, iid: str) -> str:
        return self.cat[iid].label(self.lang)

    def num(self, v: Any, decimals: int | None = None) -> str:
        return fmt_num(v, self.lang, decimals)

    def png(self, rel: str) -> Path:
        self.images.append(rel)
        return self.out / rel

    def theme_groups(self, ids: list[str], fig_prefix: str, png_dir: str | None) -> list[tuple[str, list]]:
        from npvr.data.catalogue import THEMES

        groups: dict[str, list] = {}
        for iid in ids:
            th = self.cat[iid].theme
            name = THEMES.get(th, (th, th))[0 if self.lang == "nl" else 1]
            png = f"img/{png_dir}/{iid}.png" if png_dir else None
            groups.setdefault(name, []).append((f"{fig_prefix}-{iid}", self.label(iid), png))
        return list(groups.items())

    # sections --------------------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        d = self.d
        gem = d.gemeenten
        order = [*list(d.regions["id"]), REST]
        colours = {
            rid: maps.REGION_COLOURS[i % len(maps.REGION_COLOURS)] for i, rid in enumerate(d.regions["id"])
        }
        colours[REST] = maps.NO_DATA_COLOUR
        labels = {**self.region_name, REST: self.T["rest_of_nl"]}
        self.figs["map-overview"] = maps.categorical_figure(
            gem["gm_code"],
            gem["name"],
            gem["group"],
            order=order,
            labels=labels,
            colours=colours,
            title=self.T["overview_map"],
        )
        self.q.submit_map(
            "gemeente",
            {c: colours[g] for c, g in zip(gem["gm_code"], gem["group"], strict=True)},
            [(labels[o], colours[o]) for o in order],
            self.png("img/overview.png"),
            title=self.T["overview_map"],
        )
        pop = d.regions["population"].sum()
        text = t(
            "overview_intro",
            self.lang,
            n=len(d.regions),
            members=int(d.regions["n_members"].sum()),
            pop=self.num(pop, 0),
            rest=int((gem["group"] == REST).sum()),
        )
        head = [
            self.T["region"],
            self.T["members"],
            f"{self.label('inwoners')} ({max(self.cat['inwoners'].periods)})"
            if "inwoners" in self.cat
            else "",
            self.T["confidence"],
        ]
        rows = [
            [r.name, r.n_members, self.num(r.population, 0), r.confidence] for r in d.regions.itertuples()
        ]
        return {"overview_text": text, "overview_head": head, "overview_rows": rows}

    def maps_section(self) -> dict[str, Any]:
        d = self.d
        codes = list(d.gemeenten["gm_code"])
        names = list(d.gemeenten["name"])
        ids = list(d.indicators.loc[d.indicators["aggregation"] != "sum", "indicator_id"])
        by_ind = {k: g.set_index("area_code")["value"] for k, g in d.gm_latest.groupby("indicator_id")}
        for iid in ids:
            ind = self.cat[iid]
            vals = maps.values_for(codes, by_ind.get(iid, pd.Series(dtype=float)))
            period = int(d.indicators.set_index("indicator_id").at[iid, "latest"])
            fig, cl, cols = maps.choropleth_figure(
                codes,
                names,
                vals,
                title=f"{self.label(iid)} ({period})",
                unit=ind.unit_label(self.lang),
                period=period,
                direction=int(ind.direction),
                lang=self.lang,
            )
            fig["layout"]["annotations"] = [
                {
                    "text": f"{self.T['scheme_' + cl.scheme]} · {ind.provenance(period, self.lang)}",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.0,
                    "y": 0.0,
                    "showarrow": False,
                    "font": {"size": 10, "color": "#666"},
                    "xanchor": "left",
                }
            ]
            self.figs[f"map-{iid}"] = fig
            legend = list(zip(cl.labels(self.lang, ind.unit_label(self.lang)), cols, strict=True))
            if (cl.classes < 0).any():
                legend.append((self.T["no_data"], maps.NO_DATA_COLOUR))
            self.q.submit_map(
                "gemeente",
                maps.colours_for(codes, cl, cols),
                legend,
                self.png(f"img/maps/{iid}.png"),
                title=f"{self.label(iid)} ({period})",
                legend_title=ind.unit_label(self.lang),
            )
        options = self.theme_groups(ids, "map", "maps")
        first = ids[0] if ids else ""
        return {
            "maps_text": t("maps_intro", self.lang, scheme=self.T["schemes"]),
            "map_options": options,
            "map_selected": f"map-{first}",
            "map_selected_png": f"img/maps/{first}.png",
            "n_maps": len(ids) + 1,
        }

    def profiles(self) -> dict[str, Any]:
        d = self.d
        lg = d.latest_gaps
        head = [
            self.T["indicator"],
            self.T["period"],
            self.T["value"],
            self.T["nl"],
            self.T["rest_of_nl"],
            self.T["gap_rel"],
            self.T["unit"],
        ]
        quart = None
        if d.index is not None and "quartiles" in d.index:
            quart = d.index["quartiles"].set_index(["region", "indicator_id"])["quartile"]
            head.append(self.T["quartile"])
        ranks = d.index["ranks"].set_index("region") if d.index is not None and "ranks" in d.index else None
        out = []
        for r in d.regions.itertuples():
            sub = lg[lg["area_code"] == r.id]
            rows, xs, ys, cs, hov = [], [], [], [], []
            for g in sub.itertuples():
                cls = "good" if g.better > 0 else "bad" if g.better < 0 else ""
                unit = self.cat[g.indicator_id].unit_label(self.lang)
                prov = self.cat[g.indicator_id].provenance(int(g.period), self.lang)
                row: list[Any] = [
                    {"text": self.label(g.indicator_id), "cls": "", "title": prov},
                    int(g.period),
                    self.num(g.value),
                    self.num(g.nl),
                    self.num(g.rest),
                    {"text": fmt_pct(g.gap_rel, self.lang), "cls": cls, "title": ""},
                    unit,
                ]
                if quart is not None:
                    q = quart.get((r.id, g.indicator_id))
                    qtext = "" if q is None or not np.isfinite(q) else f"Q{int(q)}"
                    row.append({"text": qtext, "cls": f"q q{int(q)}" if qtext else "", "title": ""})
                rows.append(row)
                if np.isfinite(g.gap_rel) and g.direction != 0:  # context indicators: table only
                    xs.append(self.label(g.indicator_id))
                    ys.append(100 * g.gap_rel)
                    cs.append("#2e7d32" if g.better > 0 else "#c62828" if g.better < 0 else "#9e9e9e")
                    hov.append(
                        f"{self.label(g.indicator_id)}<br>{self.num(g.value)} {unit} ({int(g.period)})"
                        f"<br>{self.T['rest_of_nl']}: {self.num(g.rest)} {unit}"
                        f"<br>{self.T['gap_rel']}: {fmt_pct(g.gap_rel, self.lang)}"
                    )
            s = Series(r.name, xs, ys, hover=hov, colours=cs)
            title = f"{r.name}: {self.T['gap_rel']}"
            fig = charts.bar_figure(
                [s],
                title=title,
                unit="%",
                lang=self.lang,
                height=max(360, 18 * len(xs) + 120),
                horizontal=True,
            )
            fig["layout"]["showlegend"] = False
            self.figs[f"profile-{r.id}"] = fig
            rel = f"img/profiles/{r.id}.png"
            if xs:
                self.q.submit(charts.bar_png, [s], self.png(rel), title=title, unit="%", horizontal=True)
            idx_text = ""
            if ranks is not None and r.id in ranks.index:
                k = ranks.loc[r.id]
                idx_text = str(k["text_en"] if self.lang == "en" else k["text_nl"])
            out.append(
                {
                    "id": r.id,
                    "name": r.name,
                    "confidence": r.confidence,
                    "source": r.source,
                    "n_members": r.n_members,
                    "members": ", ".join(r.members),
                    "border": ", ".join(r.border) or self.T["border_none"],
                    "rows": rows,
                    "png": rel if xs else None,
                    "index_text": idx_text,
                }
            )
        return {"profiles": out, "profile_head": head, "quartiles_shown": quart is not None}

    def trends(self) -> dict[str, Any]:
        d = self.d
        uv = d.unit_values
        multi = d.indicators[(d.indicators["aggregation"] != "sum") & (d.indicators["periods"].map(len) >= 2)]
        ids = list(multi["indicator_id"])
        for iid in ids:
            ind = self.cat[iid]
            sub = uv[(uv["indicator_id"] == iid) & uv["area_code"].isin([NPVR, REST, NL])]
            series = []
            for unit in (NPVR, REST, NL):
                su = sub[sub["area_code"] == unit].sort_values("period")
                series.append(
                    Series(self.unit_names[unit], list(su["period"]), list(su["value"]), COLOURS[unit])
                )
            title = self.label(iid)
            fig = charts.line_figure(series, title=title, unit=ind.unit_label(self.lang), lang=self.lang)
            periods = sorted({int(p) for p in sub["period"]})
            fig["layout"]["annotations"] = [
                {
                    "text": " · ".join(ind.provenance(p, self.lang) for p in periods),
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.0,
                    "y": 1.06,
                    "showarrow": False,
                    "font": {"size": 10, "color": "#666"},
                    "xanchor": "left",
                }
            ]
            self.figs[f"trend-{iid}"] = fig
            self.q.submit(
                charts.line_png,
                series,
                self.png(f"img/trends/{iid}.png"),
                title=title,
                unit=ind.unit_label(self.lang),
            )
        head = [
            self.T["indicator"],
            self.T["region"],
            self.T["period"],
            self.T["gap_first"],
            self.T["gap_last"],
            self.T["verdict_abs"],
            self.T["verdict_rel"],
        ]
        rows = []
        tr = d.trends[d.trends["indicator_id"].isin(ids)]
        for r in tr.itertuples():
            unit = self.cat[r.indicator_id].unit_label(self.lang)
            cls = "" if r.improving is None else "good" if r.improving else "bad"
            rows.append(
                [
                    self.label(r.indicator_id),
                    self.unit_names.get(r.area_code, r.area_code),
                    f"{r.first_period}–{r.last_period}",
                    f"{self.num(r.gap_abs_first)} {unit} ({fmt_pct(r.gap_rel_first, self.lang)})",
                    f"{self.num(r.gap_abs_last)} {unit} ({fmt_pct(r.gap_rel_last, self.lang)})",
                    {"text": self.T[r.verdict_abs], "cls": cls, "title": ""},
                    {"text": self.T[r.verdict_rel], "cls": cls, "title": ""},
                ]
            )
        first = ids[0] if ids else ""
        return {
            "trend_options": self.theme_groups(ids, "trend", "trends") if ids else [],
            "trend_selected": f"trend-{first}",
            "trend_selected_png": f"img/trends/{first}.png",
            "trend_head": head,
            "trend_rows": rows,
            "n_trends": len(ids),
        }

    def inequality(self) -> dict[str, Any]:
        d = self.d
        iq = d.inequality
        ids = list(dict.fromkeys(iq["indicator_id"]))
        from npvr.monitor.inequality import MEASURES

        comp_colours = {"total": "#455a64", "between": "#c0392b"}
        labels = [self.label(i) for i in ids]
        for m in MEASURES:
            series = []
            for comp in ("total", "between"):
                c = (
                    iq[(iq["measure"] == m) & (iq["component"] == comp)]
                    .set_index("indicator_id")
                    .reindex(ids)
                )
                hov = [
                    f"{lbl} ({int(p)})<br>{self.T[m]} · {self.T[comp]}: {self.num(e, 4)}"
                    f" [{self.num(lo, 4)} – {self.num(hi, 4)}]"
                    for lbl, p, e, lo, hi in zip(
                        labels, c["period"], c["estimate"], c["lo"], c["hi"], strict=True
                    )
                ]
                series.append(
                    Series(
                        self.T[comp],
                        labels,
                        list(c["estimate"]),
                        comp_colours[comp],
                        lo=list(c["lo"]),
                        hi=list(c["hi"]),
                        hover=hov,
                    )
                )
            title = f"{self.T[m]}: {self.T['total']} / {self.T['between']} (NPVR – {self.T['rest_of_nl']})"
            self.figs[f"ineq-{m}"] = charts.bar_figure(
                series,
                title=title,
                unit=self.T[m],
                lang=self.lang,
                horizontal=True,
                height=max(420, 26 * len(ids) + 140),
            )
            self.q.submit(
                charts.bar_png,
                series,
                self.png(f"img/inequality/{m}.png"),
                title=title,
                unit=self.T[m],
                horizontal=True,
            )
        level = round(100 * float(iq["level"].iloc[0])) if len(iq) else 90
        n_boot = int(iq["n_boot"].iloc[0]) if len(iq) else 0
        head = [
            self.T["indicator"],
            self.T["period"],
            "n",
            "Theil T",
            self.T["between"],
            "Theil L",
            self.T["between"],
            "Gini",
            self.T["between"],
        ]
        rows = []
        for iid in ids:
            sub = iq[iq["indicator_id"] == iid].set_index(["measure", "component"])

            def cell(m: str, c: str, sub: pd.DataFrame = sub) -> str:
                r = sub.loc[(m, c)]
                return f"{self.num(r['estimate'], 4)} [{self.num(r['lo'], 4)}–{self.num(r['hi'], 4)}]"

            rows.append(
                [
                    self.label(iid),
                    int(sub["period"].iloc[0]),
                    int(sub["n"].iloc[0]),
                    cell("theil_t", "total"),
                    cell("theil_t", "between"),
                    cell("theil_l", "total"),
                    cell("theil_l", "between"),
                    cell("gini", "total"),
                    cell("gini", "between"),
                ]
            )
        sg = d.sigma
        sigma_fig = False
        sigma_rows = []
        if len(sg):
            series = []
            for iid, s in sg.groupby("indicator_id", sort=False):
                series.append(Series(self.label(iid), list(s["period"]), list(s["sd_log"])))
                conv = bool(s["converging"].iloc[-1])
                sigma_rows.append(
                    [
                        self.label(iid),
                        f"{int(s['period'].iloc[0])}–{int(s['period'].iloc[-1])}",
                        self.num(s["sd_log"].iloc[0], 4),
                        self.num(s["sd_log"].iloc[-1], 4),
                        {
                            "text": self.T["converging" if conv else "diverging"],
                            "cls": "good" if conv else "bad",
                            "title": "",
                        },
                    ]
                )
            self.figs["sigma"] = charts.line_figure(
                series, title="Sigma: sd(log)", unit="sd(log)", lang=self.lang
            )
            self.q.submit(
                charts.line_png, series, self.png("img/sigma.png"), title="Sigma: sd(log)", unit="sd(log)"
            )
            sigma_fig = True
        return {
            "inequality_text": t("inequality_intro", self.lang, level=level, n_boot=n_boot),
            "ineq_options": [
                (
                    self.T["nav_inequality"],
                    [(f"ineq-{m}", self.T[m], f"img/inequality/{m}.png") for m in MEASURES],
                )
            ]
            if ids
            else [],
            "ineq_selected": "ineq-theil_t",
            "ineq_selected_png": "img/inequality/theil_t.png",
            "ineq_head": head,
            "ineq_rows": rows,
            "sigma_fig": sigma_fig,
            "sigma_head": [
                self.T["indicator"],
                self.T["periods"],
                "sd(log) " + self.T["gap_first"].split()[-1],
                "sd(log) " + self.T["gap_last"].split()[-1],
                "",
            ],
            "sigma_rows": sigma_rows,
            "n_ineq": len(ids),
        }

    def effect(self) -> dict[str, Any]:
        d, meta = self.d, self.d.effect_meta
        text = t("effect_intro", self.lang, k=meta["k"], start=meta["start"])
        waiting = (
            ""
            if meta["has_post"]
            else t("effect_waiting", self.lang, start=meta["start"], first=meta["first_measurement"])
        )
        matched = t("matched_on", self.lang, n=meta["n_variables"], unmatched=len(meta["unmatched"]))
        head = [
            self.T["indicator"],
            self.T["baseline"],
            self.T["npvr_group"],
            self.T["matched_group"],
            self.T["gap_abs"].split()[0],
            self.T["placebo"],
            self.T["first_measurement"],
            "DiD",
        ]
        rows = []
        for r in d.did.itertuples():
            unit = self.cat[r.indicator_id].unit_label(self.lang)
            status = self.T["status_estimate"] if r.status == "estimate" else self.T["status_waiting"]
            rows.append(
                [
                    self.label(r.indicator_id),
                    r.baseline_period,
                    f"{self.num(r.baseline_npvr)} {unit}",
                    f"{self.num(r.baseline_matched)} {unit}",
                    self.num(r.baseline_diff),
                    f"{self.num(r.placebo_did)} ({r.placebo_periods})" if r.placebo_periods else "–",
                    r.first_measurement,
                    self.num(r.did) if r.status == "estimate" else status,
                ]
            )
        balance_fig = False
        if len(d.balance):
            b = d.balance
            cats = [f"{self.label(i)} ({p})" for i, p in zip(b["indicator_id"], b["period"], strict=True)]
            series = [
                Series(self.T["smd_before"], cats, list(b["smd_before"]), "#9e9e9e"),
                Series(self.T["smd_after"], cats, list(b["smd_after"]), "#c0392b"),
            ]
            self.figs["balance"] = charts.bar_figure(
                series,
                title=self.T["balance"],
                unit="SMD",
                lang=self.lang,
                horizontal=True,
                height=max(400, 22 * len(cats) + 120),
            )
            self.q.submit(
                charts.bar_png,
                series,
                self.png("img/balance.png"),
                title=self.T["balance"],
                unit="SMD",
                horizontal=True,
            )
            balance_fig = True
        names = dict(zip(d.gemeenten["gm_code"], d.gemeenten["name"], strict=True))
        region_of = dict(zip(d.gemeenten["gm_code"], d.gemeenten["group"], strict=True))
        pair_rows = []
        if len(d.matching_pairs):
            for treated, grp in d.matching_pairs.groupby("treated", sort=False):
                grp = grp.sort_values("rank")
                pair_rows.append(
                    [
                        names.get(treated, treated),
                        self.unit_names.get(region_of.get(treated, ""), ""),
                        ", ".join(
                            f"{names.get(c, c)} ({self.num(x, 2)})"
                            for c, x in zip(grp["control"], grp["distance"], strict=True)
                        ),
                    ]
                )
        return {
            "pairs_head": [self.T["npvr_group"], self.T["region"], self.T["matched_group"]],
            "pairs_rows": pair_rows,
            "effect_text": text,
            "effect_waiting": waiting,
            "matched_text": matched,
            "did_head": head,
            "did_rows": rows,
            "balance_fig": balance_fig,
        }

    def sources(self) -> dict[str, Any]:
        d = self.d
        head = [
            self.T["indicator"],
            self.T["table"],
            self.T["periods"],
            self.T["unit"],
            self.T["aggregation"],
            self.T["direction"],
            self.T["provenance"],
        ]
        dir_text = {1: self.T["higher_better"], -1: self.T["higher_worse"], 0: self.T["context"]}
        rows = [
            [
                r.label_en if self.lang == "en" else r.label_nl,
                ", ".join(r.tables),
                ", ".join(map(str, r.periods)),
                self.cat[r.indicator_id].unit_label(self.lang),
                r.aggregation,
                dir_text[int(r.direction)],
                r.provenance_en if self.lang == "en" else r.provenance_nl,
            ]
            for r in d.indicators.itertuples()
        ]
        dhead = [self.T["region"], self.T["confidence"], self.T["source"], self.T["members"]]
        drows = [[r.name, r.confidence, r.source, ", ".join(r.members)] for r in d.regions.itertuples()]
        return {"sources_head": head, "sources_rows": rows, "delim_head": dhead, "delim_rows": drows}

    def register(self) -> dict[str, Any] | None:
        reg = self.d.register
        if reg is None or reg.empty:
            return None
        return {
            "head": [str(c) for c in reg.columns],
            "rows": [
                [self.num(v) if isinstance(v, float) else v for v in row]
                for row in reg.itertuples(index=False)
            ],
        }


def _render(
    data: ReportData,
    snapshot: Any,
    lang: str,
    tmp: Path,
    queue: ImageQueue,
    step: Callable[[str], None],
    plotly: str,
) -> ReportResult:
    r = _Renderer(data, snapshot, lang, tmp, queue)
    ctx: dict[str, Any] = {"T": r.T, "region_set": data.region_set_name}
    ctx.update(r.overview())
    ctx.update(r.maps_section())
    step("maps")
    ctx.update(r.profiles())
    step("profiles")
    ctx.update(r.trends())
    step("trends")
    ctx.update(r.inequality())
    step("inequality")
    ctx.update(r.effect())
    step("effect")
    ctx.update(r.sources())
    ctx["register"] = r.register()
    about = [
        t("excel_about", lang),
        data.region_set_name,
        *[
            f"{row.indicator_id}: {row.provenance_en if lang == 'en' else row.provenance_nl}"
            for row in data.indicators.itertuples()
        ],
    ]
    sheets = write_workbook(tmp / XLSX_NAME[lang], data.tables(), about=about)
    step("excel")
    ctx["footer"] = (
        t("generated", lang, version=npvr.__version__, date=dt.date.today().isoformat())
        + " · "
        + t("licence", lang)
    )
    html = shell.render(
        "report.html.j2",
        lang=lang,
        figures=r.figs,
        geo={"gemeente": snapshot.geojson("gemeente")},
        out_dir=tmp,
        plotly=plotly,
        **ctx,
    )
    (tmp / HTML_NAME[lang]).write_text(html, encoding="utf-8")
    return ReportResult(
        out_dir="",
        lang=lang,
        html=HTML_NAME[lang],
        workbook=XLSX_NAME[lang],
        images=sorted(r.images),
        sheets=sheets,
        region_set=data.region_set_name,
        n_regions=len(data.regions),
        n_gemeenten=len(data.gemeenten),
        n_maps=ctx["n_maps"],
        n_charts=len(r.figs),
        indicators=list(data.indicators["indicator_id"]),
        effect_status="estimate" if data.effect_meta["has_post"] else "waiting",
        first_measurement=int(data.effect_meta["first_measurement"]),
        index_available=data.index is not None,
        register_included=ctx["register"] is not None,
        notes=data.notes,
    )


def build_report(
    out: str | Path = DEFAULT_OUT,
    *,
    lang: str = "nl",
    regions_path: str | Path | None = None,
    snapshot: Any = None,
    progress: Progress | None = None,
    n_boot: int = 199,
    seed: int = 0,
    register_url: str | None = None,
    plotly: str = "inline",
    image_workers: int | None = None,
) -> ReportResult:
    """Build the monitor report into ``out`` (replaced atomically); see the module docstring.

    ``n_boot``: bootstrap draws for the inequality intervals; ``image_workers``: processes drawing
    the PNGs (None = up to 2, 0 = in this process); ``plotly``: "inline" (one self-contained file)
    or "beside" (``assets/plotly.min.js`` next to the page).
    """
    check_lang(lang)
    target = check_target(Path(out))
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, len(STEPS))

    snapshot, regions = _load(regions_path, snapshot)
    step("load")
    queue = ImageQueue(
        {"gemeente": snapshot.geojson("gemeente")},
        workers=image_workers,
        shared={"snapshot": snapshot, "regions": regions},
    )
    try:
        index = queue.run(_index_job)  # the slowest independent piece starts first, in a worker
        data = compute(snapshot, regions, n_boot=n_boot, seed=seed, register_url=register_url, index=index)
        step("compute")
        with atomic_output_dir(target) as tmp:
            try:
                result = _render(data, snapshot, lang, tmp, queue, step, plotly)
            finally:
                queue.wait()
            result.out_dir = str(target)
            (tmp / "report.json").write_text(
                json.dumps(result.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            step("html")
    finally:
        queue.close()
    return result


def _index_job(shared: dict[str, Any]) -> dict[str, pd.DataFrame] | None:
    from npvr.monitor.panel import index_profile

    return index_profile(shared["snapshot"], shared["regions"])
