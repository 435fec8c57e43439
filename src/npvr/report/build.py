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
from typing import Any, ClassVar

import numpy as np
import pandas as pd

import npvr
from npvr.errors import DataError, NpvrError
from npvr.i18n import check_lang, column, fmt_gap, fmt_int, fmt_money, fmt_num, fmt_pct, t, texts, theme_name
from npvr.monitor.gaps import NL, NPVR, REST
from npvr.monitor.panel import ReportData, compute
from npvr.monitor.scorecard import COLOURS as scorecard_colours
from npvr.monitor.scorecard import RULE, classify, trend_statement
from npvr.report import assets, charts, maps, shell
from npvr.report.charts import COLOURS, Series
from npvr.report.excel import ABOUT_SHEET, workbook_about, workbook_sheets, write_workbook
from npvr.report.images import ImageQueue
from npvr.report.output import atomic_output_dir, check_target
from npvr.report.pdf import print_pdfs

DEFAULT_OUT = "npvr-rapport"
HTML_NAME = {"nl": "rapport.html", "en": "report.html"}
XLSX_NAME = {"nl": "tabellen.xlsx", "en": "tables.xlsx"}
Progress = Callable[[str, int, int], None]
STEPS = ("load", "compute", "maps", "profiles", "trends", "inequality", "effect", "excel", "pdf", "html")


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
    region_pages: list[str] = field(default_factory=list)
    region_pdfs: list[str] = field(default_factory=list)
    csv: list[str] = field(default_factory=list)
    register_illustration: bool = False

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


MIN_CHANGE = 0.01  # a gap change shown as a key message moves the relative gap by at least 1 point
SYMBOL = {"better": "▲", "worse": "▼", "equal": "=", "none": "·"}


def _note(text: str, y: float = 0.0) -> dict[str, Any]:
    """A small source/method line inside a plotly figure (so a screenshot carries it too)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "y": y,
        "showarrow": False,
        "font": {"size": 10, "color": "#555"},
        "xanchor": "left",
        "yanchor": "top" if y <= 0 else "bottom",
    }


class _Renderer:
    """Turns :class:`ReportData` into figures, PNGs, CSVs and template context for one language."""

    def __init__(self, data: ReportData, snapshot: Any, lang: str, out: Path, images: ImageQueue) -> None:
        self.d, self.snap, self.lang, self.out, self.q = data, snapshot, lang, out, images
        self.cat = snapshot.catalogue
        self.figs: dict[str, dict[str, Any]] = {}
        self.images: list[str] = []
        self.csvs: dict[str, str] = {}
        self.T = texts(lang)
        self.region_name = dict(zip(data.regions["id"], data.regions["name"], strict=True))
        self.unit_names = {
            **self.region_name,
            NPVR: self.T["npvr_all"],
            REST: self.T["rest_of_nl"],
            NL: self.T["nl"],
        }
        gem = data.gemeenten
        self.member_of = dict(zip(gem["gm_code"], gem["group"], strict=True))
        self.outlines = maps.region_outlines(
            snapshot.geojson("gemeente"), {c: g for c, g in self.member_of.items() if g != REST}
        )
        self.region_colours = {
            rid: maps.REGION_COLOURS[i % len(maps.REGION_COLOURS)] for i, rid in enumerate(data.regions["id"])
        }
        self.lg = data.latest_gaps.set_index(["area_code", "indicator_id"])
        (out / "img").mkdir(parents=True, exist_ok=True)
        for sub in ("maps", "profiles", "trends", "inequality", "regions", "money"):
            (out / "img" / sub).mkdir(exist_ok=True)
        (out / "csv").mkdir(exist_ok=True)

    # helpers ---------------------------------------------------------------------------------
    def label(self, iid: str) -> str:
        return self.cat[iid].label(self.lang)

    def unit(self, iid: str) -> str:
        return self.cat[iid].unit_label(self.lang)

    def num(self, v: Any, decimals: int | None = None) -> str:
        return fmt_num(v, self.lang, decimals)

    def gap(self, iid: str, gap_abs: float, gap_rel: float, relative: bool = True) -> str:
        """The difference labelled: percentage points for percentages, unit (+ relative) otherwise."""
        ind = self.cat[iid]
        return fmt_gap(gap_abs, gap_rel, ind.unit, self.lang, unit_label=self.unit(iid), relative=relative)

    def source(self, iid: str, period: int | None = None) -> str:
        """'Bron: CBS 85984NED (...), 2024' for a map, chart or PNG."""
        return f"{self.T['source']}: {self.cat[iid].provenance(period, self.lang)}"

    def png(self, rel: str) -> Path:
        self.images.append(rel)
        return self.out / rel

    def csv(self, fig_id: str, df: pd.DataFrame) -> str:
        """Write the data behind one chart as ``csv/<fig_id>.csv`` in the reader's convention.

        Dutch: semicolon-separated with decimal commas (what Excel expects in a Dutch locale);
        English: comma-separated with decimal points. Column names in the reader's language.
        """
        import csv

        rel = f"csv/{fig_id}.csv"
        nl = self.lang == "nl"

        def cell(v: Any) -> Any:
            if isinstance(v, float | np.floating):
                if not np.isfinite(v):
                    return ""
                text = repr(float(v))
                return text.replace(".", ",") if nl else text
            return v

        # the csv module, not DataFrame.to_csv: ~5x faster for the ~150 small files of a report
        with open(self.out / rel, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh, delimiter=";" if nl else ",")
            w.writerow([column(c, self.lang) for c in df.columns])
            w.writerows([cell(v) for v in row] for row in df.itertuples(index=False))
        self.csvs[fig_id] = rel
        return rel

    def theme_groups(
        self, ids: list[str], fig_prefix: str, png_dir: str | None
    ) -> list[tuple[str, list[tuple[str, str, str | None, str | None]]]]:
        groups: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
        for iid in ids:
            name = theme_name(self.cat[iid].theme, self.lang)
            png = f"img/{png_dir}/{iid}.png" if png_dir else None
            fid = f"{fig_prefix}-{iid}"
            groups.setdefault(name, []).append((fid, self.label(iid), png, self.csvs.get(fid)))
        return list(groups.items())

    def region_link(self, rid: str) -> str:
        return f"regio/{rid}.html"

    # sections --------------------------------------------------------------------------------
    def overview(self) -> dict[str, Any]:
        d = self.d
        gem = d.gemeenten
        order = [*list(d.regions["id"]), REST]
        colours = {**self.region_colours, REST: maps.NO_DATA_COLOUR}
        labels = {**self.region_name, REST: self.T["rest_of_nl"]}
        self.figs["map-overview"] = maps.categorical_figure(
            gem["gm_code"],
            gem["name"],
            gem["group"],
            order=order,
            labels=labels,
            colours=colours,
            title=self.T["overview_map"],
            outline_name=self.T["legend_region_outline"],
        )
        self.csv(
            "map-overview",
            pd.DataFrame(
                {"gm_code": gem["gm_code"], "name": gem["name"], "region": [labels[g] for g in gem["group"]]}
            ),
        )
        self.q.submit_map(
            "gemeente",
            {c: colours[g] for c, g in zip(gem["gm_code"], gem["group"], strict=True)},
            [(labels[o], colours[o]) for o in order],
            self.png("img/overview.png"),
            title=self.T["overview_map"],
            outlines="@outlines",
            outline_label=self.T["legend_region_outline"],
            source=self.T["map_source_gemeenten"],
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
            [
                {"text": r.name, "href": self.region_link(r.id), "cls": "", "title": ""},
                r.n_members,
                self.num(r.population, 0),
                r.confidence,
            ]
            for r in d.regions.itertuples()
        ]
        return {"overview_text": text, "overview_head": head, "overview_rows": rows}

    def index_summary(self, rid: str) -> tuple[str, str]:
        """(short cell text, sentences) on what the index says about a region and how sure, or a notice."""
        from npvr.monitor.panel import INDEX_NAMES, INDEX_SHORT

        idx = self.d.index
        if idx is None or "ranks" not in idx:
            return "–", self.T["index_pending"]
        ranks = idx["ranks"][idx["ranks"]["region"] == rid]
        if ranks.empty:
            return "–", self.T["index_pending"]
        shorts, sentences = [], []
        for k in ranks.itertuples():
            name = INDEX_NAMES.get(str(k.index), (str(k.index), str(k.index)))[0 if self.lang == "nl" else 1]
            p = fmt_pct(float(k.selection_probability), self.lang, 0)
            short = INDEX_SHORT.get(str(k.index), (str(k.index), str(k.index)))[0 if self.lang == "nl" else 1]
            shorts.append(
                t("index_short", self.lang, index=short, rank=int(k.nominal_rank), n=int(k.n_units), p=p)
            )
            sentence = t(
                "index_sentence",
                self.lang,
                index=name,
                rank=int(k.nominal_rank),
                n=int(k.n_units),
                lo=int(k.p5),
                hi=int(k.p95),
                k=int(k.select_k),
                p=p,
                draws=fmt_int(int(k.draws), self.lang),
                verdict=t(f"index_verdict_{str(k.verdict).replace(' ', '_')}", self.lang),
            )
            if self.lang == "nl" and isinstance(k.top_domains, str) and k.top_domains:
                sentence += f" Sterkste domeinen: {k.top_domains}."
            if isinstance(k.loo_up, str) and k.loo_up in self.cat and k.loo_up_rank == k.loo_up_rank:
                sentence += " " + t(
                    "index_loo", self.lang, indicator=self.label(k.loo_up), rank=int(k.loo_up_rank)
                )
            sentences.append(sentence)
        return " · ".join(shorts), t("index_level", self.lang) + " " + " ".join(sentences)

    def key_messages(self) -> dict[str, Any]:
        """The first screen: scorecard per region and theme, largest gaps, gap changes, index."""
        d = self.d
        sc = d.scorecard
        themes = [
            th for th in dict.fromkeys(sc["theme"]) if (sc[sc["theme"] == th]["status"] != "none").any()
        ]
        head = [self.T["region"], *[theme_name(th, self.lang) for th in themes], self.T["index_col"]]
        rows, cards = [], []
        by = sc.set_index(["area_code", "theme"])
        csv_rows = []
        for r in d.regions.itertuples():
            cells: list[Any] = [{"text": r.name, "href": self.region_link(r.id), "cls": "", "title": ""}]
            for th in themes:
                c = by.loc[(r.id, th)]
                cells.append(self.score_cell(c))
                csv_rows.append(
                    {
                        "region": r.name,
                        "theme": theme_name(th, self.lang),
                        "status": self.T[f"status_{c['status']}"],
                        "n_better": c["n_better"],
                        "n_equal": c["n_equal"],
                        "n_worse": c["n_worse"],
                    }
                )
            short, full = self.index_summary(r.id)
            cells.append({"text": short, "cls": "idx", "title": full})
            rows.append(cells)
            cards.append(self.region_card(r.id, r.name, full))
        self.csv("scorecard", pd.DataFrame(csv_rows))
        return {
            "score_head": head,
            "score_rows": rows,
            "score_rule": RULE[self.lang],
            "cards": cards,
            "index_level_note": self.T["index_note"],
        }

    def score_cell(self, c: Any) -> dict[str, Any]:
        status = str(c["status"])
        n = int(c["n_indicators"])
        names = ", ".join(self.label(i) for i in c["indicators"]) if n else ""
        counts = f"{int(c['n_better'])}/{int(c['n_equal'])}/{int(c['n_worse'])}" if n else ""
        return {
            "text": f"{SYMBOL[status]} {counts}".strip(),
            "cls": f"sc sc-{status}",
            "title": f"{self.T['status_' + status]} · {self.T['counts_note']} · {names}",
        }

    def region_card(self, rid: str, name: str, index_text: str) -> dict[str, Any]:
        d = self.d
        top = d.largest_gaps[d.largest_gaps["area_code"] == rid]
        gaps = [
            f"{self.label(g.indicator_id)}: {self.gap(g.indicator_id, g.gap_abs, g.gap_rel)}"
            f" ({int(g.period)})"
            for g in top.itertuples()
        ]
        ch = d.gap_changes[(d.gap_changes["area_code"] == rid) & (d.gap_changes["size"] >= MIN_CHANGE)]
        closed = [
            trend_statement(r, self.cat, lang=self.lang)
            for r in ch[ch["change"] == "closed"].head(3).itertuples()
        ]
        widened = [
            trend_statement(r, self.cat, lang=self.lang)
            for r in ch[ch["change"] == "widened"].head(3).itertuples()
        ]
        return {
            "id": rid,
            "name": name,
            "href": self.region_link(rid),
            "pdf": f"regio/{rid}.pdf",
            "gaps": gaps,
            "closed": closed,
            "widened": widened,
            "index_text": index_text,
        }

    def _map_values(self, iid: str) -> tuple[np.ndarray, int]:
        d = self.d
        codes = list(d.gemeenten["gm_code"])
        if not hasattr(self, "_by_ind"):
            self._by_ind = {
                k: g.set_index("area_code")["value"] for k, g in d.gm_latest.groupby("indicator_id")
            }
        sub = self._by_ind.get(iid, pd.Series(dtype=float))
        period = int(d.indicators.set_index("indicator_id").at[iid, "latest"])
        return maps.values_for(codes, sub), period

    def _classes(self, iid: str, vals: np.ndarray) -> tuple[maps.Classification, list[str]]:
        ind = self.cat[iid]
        if ind.aggregation == "change":  # a growth rate: 0 is the natural midpoint
            return maps.classify_diverging(vals, midpoint=0.0)
        cl = maps.classify(vals)
        return cl, maps._palette(int(ind.direction), max(cl.k, 1))

    def maps_section(self) -> dict[str, Any]:
        d = self.d
        codes = list(d.gemeenten["gm_code"])
        names = list(d.gemeenten["name"])
        ids = list(d.indicators.loc[d.indicators["aggregation"] != "sum", "indicator_id"])
        outline_name = self.T["legend_region_outline"]
        for iid in ids:
            unit = self.unit(iid)
            vals, period = self._map_values(iid)
            cl, cols = self._classes(iid, vals)
            title = f"{self.label(iid)} ({period})"
            src = self.source(iid, period)
            scheme = self.T["scheme_" + cl.scheme]
            fig, cl, cols = maps.choropleth_figure(
                codes,
                names,
                vals,
                title=title,
                unit=unit,
                period=period,
                lang=self.lang,
                classes=(cl, cols),
                outline_name=outline_name,
                shared_names=True,
            )
            fig["layout"]["annotations"] = [_note(f"{src} · {scheme}")]
            self.figs[f"map-{iid}"] = fig
            self.csv(
                f"map-{iid}",
                pd.DataFrame(
                    {
                        "gm_code": codes,
                        "name": names,
                        "region": [self.unit_names[self.member_of[c]] for c in codes],
                        "period": period,
                        "value": vals,
                        "unit": unit,
                    }
                ),
            )
            legend = list(zip(cl.labels(self.lang, unit), cols, strict=True))
            if (cl.classes < 0).any():
                legend.append((self.T["no_data"], maps.NO_DATA_COLOUR))
            self.q.submit_map(
                "gemeente",
                maps.colours_for(codes, cl, cols),
                legend,
                self.png(f"img/maps/{iid}.png"),
                title=title,
                legend_title=unit,
                outlines="@outlines",
                outline_label=outline_name,
                source=src,
            )
            self.region_map(iid, codes, names, period, unit, src)
        options = self.theme_groups(ids, "map", "maps")
        first = ids[0] if ids else ""
        return {
            "maps_text": t("maps_intro", self.lang, scheme=self.T["schemes"]),
            "map_options": options,
            "map_selected": f"map-{first}",
            "map_selected_png": f"img/maps/{first}.png",
            "map_selected_csv": self.csvs.get(f"map-{first}", ""),
            "n_maps": 2 * len(ids) + 1,
        }

    def region_map(
        self, iid: str, codes: list[str], names: list[str], period: int, unit: str, src: str
    ) -> None:
        """The same indicator at region level: each NPVR region one value, the rest of NL in grey."""
        d = self.d
        rids = list(d.regions["id"])
        rv = {
            rid: float(self.lg.at[(rid, iid), "value"]) if (rid, iid) in self.lg.index else np.nan
            for rid in rids
        }
        rest = next((float(self.lg.at[(r, iid), "rest"]) for r in rids if (r, iid) in self.lg.index), np.nan)
        region_vals = np.array([rv[r] for r in rids])
        if self.cat[iid].aggregation == "change":
            cl_r, cols_r = maps.classify_diverging(region_vals)
        else:
            cl_r = maps.classify(region_vals, scheme="quantiles", k=min(5, len(rids)))
            cols_r = maps._palette(int(self.cat[iid].direction), max(cl_r.k, 1))
        rest_label = f"{self.T['rest_of_nl']}: {self.num(rest)} {unit}"
        units = [*rids, REST]
        vals = np.array([*region_vals, np.nan])
        cl = maps.Classification(cl_r.scheme, cl_r.bins, cl_r.lower, np.array([*cl_r.classes, -1]))
        hover = [f"{self.num(v)} {unit} ({period})" for v in region_vals] + [
            f"{self.num(rest)} {unit} ({period})"
        ]
        title = f"{self.label(iid)} ({period}) · {self.T['level_region']}"
        fig, _, _ = maps.choropleth_figure(
            units,
            [self.unit_names[u] for u in units],
            vals,
            title=title,
            unit=unit,
            period=period,
            lang=self.lang,
            level="regio",
            classes=(cl, cols_r),
            outline_name=self.T["legend_region_outline"],
            hover=hover,
            border_width=0.0,
            no_data_label=rest_label,
        )
        fig["layout"]["annotations"] = [_note(src)]
        self.figs[f"rmap-{iid}"] = fig
        self.csv(
            f"rmap-{iid}",
            pd.DataFrame(
                {
                    "region": [self.region_name[r] for r in rids] + [self.T["rest_of_nl"]],
                    "period": period,
                    "value": [rv[r] for r in rids] + [rest],
                    "unit": unit,
                }
            ),
        )

    def profile_rows(self, rid: str) -> pd.DataFrame:
        """A region's latest gaps grouped by theme (catalogue order) and sorted by gap, worst first."""
        from npvr.data.catalogue import THEMES

        lg = self.d.latest_gaps
        sub = lg[lg["area_code"] == rid].copy()
        order = {th: i for i, th in enumerate(THEMES)}
        sub["theme"] = [self.cat[i].theme for i in sub["indicator_id"]]
        sub["status"] = [classify(r, int(dr)) for r, dr in zip(sub["gap_rel"], sub["direction"], strict=True)]
        sub["signed"] = (sub["gap_rel"] * sub["direction"]).where(sub["direction"] != 0, np.inf)
        sub["theme_order"] = sub["theme"].map(order).fillna(len(order))
        return sub.sort_values(["theme_order", "signed"]).reset_index(drop=True)

    def profile(self, rid: str, name: str, quart: pd.Series | None) -> dict[str, Any]:
        """One region's profile: a bar chart of relative gaps and the table, both grouped by theme."""
        sub = self.profile_rows(rid)
        rows: list[list[Any]] = []
        xs, ys, cs, hov = [], [], [], []
        current = None
        for g in sub.itertuples():
            theme = theme_name(g.theme, self.lang)
            if theme != current:
                rows.append([{"text": theme, "cls": "theme", "title": "", "colspan": 8}])
                current = theme
            unit = self.unit(g.indicator_id)
            cls = {"better": "good", "worse": "bad"}.get(g.status, "")
            row: list[Any] = [
                {
                    "text": self.label(g.indicator_id),
                    "cls": "",
                    "title": self.source(g.indicator_id, int(g.period)),
                },
                int(g.period),
                self.num(g.value),
                self.num(g.rest),
                self.num(g.nl),
                {"text": self.gap(g.indicator_id, g.gap_abs, g.gap_rel), "cls": cls, "title": ""},
                unit,
                {"text": self.T[f"status_{g.status}"], "cls": cls, "title": ""},
            ]
            if quart is not None:
                q = quart.get((rid, g.indicator_id))
                qtext = "" if q is None or not np.isfinite(q) else f"Q{int(q)}"
                row.append({"text": qtext, "cls": f"q q{int(q)}" if qtext else "", "title": ""})
            rows.append(row)
            if np.isfinite(g.gap_rel) and g.direction != 0:  # context indicators: table only
                xs.append(f"{self.label(g.indicator_id)} · {theme}")
                ys.append(100 * g.gap_rel)
                cs.append(scorecard_colours[g.status])
                hov.append(
                    f"{self.label(g.indicator_id)} ({theme})<br>{self.num(g.value)} {unit} ({int(g.period)})"
                    f"<br>{self.T['rest_of_nl']}: {self.num(g.rest)} {unit}"
                    f"<br>{self.T['gap_col']}: {self.gap(g.indicator_id, g.gap_abs, g.gap_rel)}"
                )
        s = Series(name, xs, ys, hover=hov, colours=cs)
        title = f"{name}: {self.T['gap_rel_chart']}"
        fid = f"profile-{rid}"
        fig = charts.bar_figure(
            [s],
            title=title,
            unit=self.T["gap_rel_axis"],
            lang=self.lang,
            height=max(360, 18 * len(xs) + 140),
            horizontal=True,
        )
        fig["layout"]["showlegend"] = False
        fig["layout"]["yaxis"]["autorange"] = "reversed"
        fig["layout"]["annotations"] = [_note(self.T["profile_source"], y=-0.02)]
        self.figs[fid] = fig
        self.csv(
            fid,
            pd.DataFrame(
                {
                    "theme": [theme_name(th, self.lang) for th in sub["theme"]],
                    "indicator": [self.label(i) for i in sub["indicator_id"]],
                    "period": sub["period"],
                    "value": sub["value"],
                    "rest": sub["rest"],
                    "nl": sub["nl"],
                    "gap_abs": sub["gap_abs"],
                    "gap_rel": sub["gap_rel"],
                    "unit": [self.unit(i) for i in sub["indicator_id"]],
                    "status": [self.T[f"status_{x}"] for x in sub["status"]],
                }
            ),
        )
        rel = f"img/profiles/{rid}.png"
        if xs:
            self.q.submit(
                charts.bar_png,
                [s],
                self.png(rel),
                title=title,
                unit=self.T["gap_rel_axis"],
                horizontal=True,
                source=self.T["profile_source"],
                lang=self.lang,
            )
        return {"rows": rows, "png": rel if xs else None, "fig": fid, "csv": self.csvs[fid]}

    def profile_head(self, quartiles: bool) -> list[str]:
        head = [
            self.T["indicator"],
            self.T["period"],
            self.T["value"],
            self.T["rest_of_nl"],
            self.T["nl"],
            self.T["gap_col"],
            self.T["unit"],
            self.T["status_col"],
        ]
        return [*head, self.T["quartile"]] if quartiles else head

    def quartiles(self) -> pd.Series | None:
        d = self.d
        if d.index is not None and "quartiles" in d.index:
            return d.index["quartiles"].set_index(["region", "indicator_id"])["quartile"]
        return None

    def profiles(self) -> dict[str, Any]:
        d = self.d
        quart = self.quartiles()
        out = []
        for r in d.regions.itertuples():
            p = self.profile(r.id, r.name, quart)
            out.append(
                {
                    "id": r.id,
                    "name": r.name,
                    "href": self.region_link(r.id),
                    "pdf": f"regio/{r.id}.pdf",
                    "confidence": r.confidence,
                    "source": r.source,
                    "n_members": r.n_members,
                    "members": ", ".join(r.members),
                    "border": ", ".join(r.border) or self.T["border_none"],
                    "index_text": self.index_summary(r.id)[1],
                    **p,
                }
            )
        return {
            "profiles": out,
            "profile_head": self.profile_head(quart is not None),
            "quartiles_shown": quart is not None,
        }

    def trend_ids(self, min_periods: int = 2) -> list[str]:
        d = self.d
        ok = d.indicators[
            (d.indicators["aggregation"] != "sum") & (d.indicators["periods"].map(len) >= min_periods)
        ]
        return list(ok["indicator_id"])

    def trend_chart(self, iid: str, units: list[str], fid: str, png_rel: str, title: str) -> None:
        """A line chart of one indicator for ``units`` over every period, its CSV and PNG."""
        uv = self.d.unit_values
        ind = self.cat[iid]
        sub = uv[(uv["indicator_id"] == iid) & uv["area_code"].isin(units)]
        series = []
        for i, unit in enumerate(units):
            su = sub[sub["area_code"] == unit].sort_values("period")
            colour = COLOURS.get(unit) or charts.DEFAULT_COLOURS[i % len(charts.DEFAULT_COLOURS)]
            series.append(Series(self.unit_names[unit], list(su["period"]), list(su["value"]), colour))
        fig = charts.line_figure(series, title=title, unit=self.unit(iid), lang=self.lang)
        periods = sorted({int(p) for p in sub["period"]})
        src = (
            f"{self.T['source']}: "
            + " · ".join(dict.fromkeys(ind.provenance(p, self.lang).rsplit(",", 2)[0] for p in periods))
            + f" ({', '.join(map(str, periods))})"
        )
        fig["layout"]["annotations"] = [_note(src, y=1.02)]
        self.figs[fid] = fig
        self.csv(
            fid,
            pd.DataFrame(
                {
                    "area_name": [self.unit_names[a] for a in sub["area_code"]],
                    "period": sub["period"].to_numpy(),
                    "value": sub["value"].to_numpy(),
                    "unit": self.unit(iid),
                }
            ).sort_values(["area_name", "period"]),
        )
        self.q.submit(
            charts.line_png_fast,
            series,
            self.png(png_rel),
            title=title,
            unit=self.unit(iid),
            source=src,
            lang=self.lang,
        )

    def trends(self) -> dict[str, Any]:
        d = self.d
        ids = self.trend_ids()
        for iid in ids:
            self.trend_chart(iid, [NPVR, REST, NL], f"trend-{iid}", f"img/trends/{iid}.png", self.label(iid))
        head = [
            self.T["indicator"],
            self.T["region"],
            self.T["period"],
            self.T["gap_first"],
            self.T["gap_last"],
            self.T["verdict_abs"],
            self.T["verdict_rel"],
            self.T["statement_col"],
        ]
        rows = []
        tr = d.trends[d.trends["indicator_id"].isin(ids)]
        for r in tr.itertuples():
            cls = "" if r.improving is None else "good" if r.improving else "bad"
            rows.append(
                [
                    self.label(r.indicator_id),
                    self.unit_names.get(r.area_code, r.area_code),
                    f"{r.first_period}–{r.last_period}",
                    self.gap(r.indicator_id, r.gap_abs_first, r.gap_rel_first),
                    self.gap(r.indicator_id, r.gap_abs_last, r.gap_rel_last),
                    {"text": self.T[r.verdict_abs], "cls": cls, "title": ""},
                    {"text": self.T[r.verdict_rel], "cls": cls, "title": ""},
                    {"text": trend_statement(r, self.cat, lang=self.lang), "cls": "l", "title": ""},
                ]
            )
        first = ids[0] if ids else ""
        return {
            "trend_options": self.theme_groups(ids, "trend", "trends") if ids else [],
            "trend_selected": f"trend-{first}",
            "trend_selected_png": f"img/trends/{first}.png",
            "trend_selected_csv": self.csvs.get(f"trend-{first}", ""),
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
            part = iq[iq["measure"] == m]
            self.csv(
                f"ineq-{m}",
                pd.DataFrame(
                    {
                        "indicator": [self.label(i) for i in part["indicator_id"]],
                        "period": part["period"].to_numpy(),
                        "measure": self.T[m],
                        "component": [self.T.get(c, c) for c in part["component"]],
                        "estimate": part["estimate"].to_numpy(),
                        "lo": part["lo"].to_numpy(),
                        "hi": part["hi"].to_numpy(),
                    }
                ),
            )
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
            self.csv(
                "sigma",
                pd.DataFrame(
                    {
                        "indicator": [self.label(i) for i in sg["indicator_id"]],
                        "period": sg["period"].to_numpy(),
                        "sd_log": sg["sd_log"].to_numpy(),
                    }
                ),
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
                    [
                        (f"ineq-{m}", self.T[m], f"img/inequality/{m}.png", self.csvs.get(f"ineq-{m}"))
                        for m in MEASURES
                    ],
                )
            ]
            if ids
            else [],
            "ineq_selected": "ineq-theil_t",
            "ineq_selected_png": "img/inequality/theil_t.png",
            "ineq_selected_csv": self.csvs.get("ineq-theil_t", ""),
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
            self.csv(
                "balance",
                pd.DataFrame(
                    {
                        "indicator": cats,
                        "smd_before": b["smd_before"].to_numpy(),
                        "smd_after": b["smd_after"].to_numpy(),
                    }
                ),
            )
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
                self.T[f"agg_{r.aggregation}"],
                dir_text[int(r.direction)],
                r.provenance_en if self.lang == "en" else r.provenance_nl,
            ]
            for r in d.indicators.itertuples()
        ]
        dhead = [self.T["region"], self.T["confidence"], self.T["source"], self.T["members"]]
        drows = [[r.name, r.confidence, r.source, ", ".join(r.members)] for r in d.regions.itertuples()]
        return {"sources_head": head, "sources_rows": rows, "delim_head": dhead, "delim_rows": drows}

    MONEY = ("need", "planned", "committed", "paid")
    MONEY_COLOURS: ClassVar[dict[str, str]] = {
        "need": "#1d2733",
        "planned": "#9ecae1",
        "committed": "#3182bd",
        "paid": "#08519c",
    }

    def money_chart(self, rid: str) -> dict[str, Any] | None:
        """Need against planned, committed and paid money per year for one region (bars + need line)."""
        reg = self.d.register
        if reg is None:
            return None
        by = reg["by_year"]
        sub = by[by["region"] == rid].sort_values("year")
        if sub.empty:
            return None
        years = [int(y) for y in sub["year"]]
        series = [
            Series(
                column(k, self.lang),
                years,
                [float(v) / 1e6 if v is not None and np.isfinite(float(v)) else np.nan for v in sub[k]],
                self.MONEY_COLOURS[k],
            )
            for k in self.MONEY
        ]
        title = f"{self.region_name.get(rid, rid)}: {self.T['money_title']}"
        unit = self.T["money_unit"]
        fig = charts.bar_figure(series[1:], title=title, unit=unit, lang=self.lang)
        need = charts.line_figure(series[:1], title=title, unit=unit, lang=self.lang)["data"][0]
        need["line"]["dash"] = "dash"
        fig["data"].append(need)
        fig["layout"]["xaxis"] = {"type": "category"}
        fig["layout"]["annotations"] = [_note(self.T["money_source"], y=-0.28)]
        fid = f"money-{rid}"
        self.figs[fid] = fig
        self.csv(fid, sub[["year", *self.MONEY, "coverage"]].assign(region=self.region_name.get(rid, rid)))
        rel = f"img/money/{rid}.png"
        self.q.submit(
            charts.money_png, series, self.png(rel), title=title, unit=unit, source=self.T["money_source"]
        )
        total = sub[["need", "committed"]].apply(pd.to_numeric, errors="coerce").sum()
        cover = float(total["committed"] / total["need"]) if total["need"] else np.nan
        return {"fig": fid, "png": rel, "csv": self.csvs[fid], "coverage": fmt_pct(cover, self.lang)}

    def register(self) -> dict[str, Any] | None:
        reg = self.d.register
        if reg is None:
            return None
        by_year = reg["by_year"]
        charts_ = []
        rows = []
        for r in self.d.regions.itertuples():
            mc = self.money_chart(r.id)
            if mc is None:
                continue
            charts_.append({"name": r.name, **mc})
            sub = by_year[by_year["region"] == r.id].apply(pd.to_numeric, errors="coerce")
            tot = sub[list(self.MONEY)].sum()
            rows.append(
                [
                    {"text": r.name, "href": self.region_link(r.id), "cls": "", "title": ""},
                    *[fmt_money(tot[k], self.lang) for k in self.MONEY],
                    mc["coverage"],
                ]
            )
        bt = reg["by_theme"]
        theme_need = bt[bt["theme"].astype(str) != ""]
        has_theme_need = bool(pd.to_numeric(theme_need["need"], errors="coerce").fillna(0).gt(0).any())
        theme_rows = []
        for r in bt[bt["theme"].astype(str) != ""].itertuples():
            theme_rows.append(
                [
                    self.region_name.get(r.region, r.region),
                    self.theme_label(str(r.theme)),
                    *[fmt_money(getattr(r, k), self.lang) for k in self.MONEY],
                    fmt_pct(r.coverage, self.lang) if has_theme_need else "–",
                ]
            )
        head = [self.T["region"], *[column(k, self.lang) for k in self.MONEY], column("coverage", self.lang)]
        label = "label_en" if self.lang == "en" else "label_nl"
        overdue_rows = [
            [f["code"], f.get("title") or "", f["state"], d[label], str(d["due"]), d.get("article") or ""]
            for f in reg.get("overdue", [])
            for d in f["overdue"]
        ]
        return {
            "overdue_head": [
                t(k, self.lang) for k in ("od_code", "od_title", "od_state", "od_limit", "od_due", "od_basis")
            ],
            "overdue_rows": overdue_rows,
            "illustration": bool(reg["illustration"]),
            "charts": charts_,
            "head": head,
            "rows": rows,
            "theme_head": [self.T["region"], self.T["theme"], *head[1:]],
            "theme_rows": theme_rows,
            "theme_note": "" if has_theme_need else self.T["money_theme_note"],
        }

    def theme_label(self, theme: str) -> str:
        from npvr.data.catalogue import THEMES

        return theme_name(theme, self.lang) if theme in THEMES else theme

    def region_page(self, rid: str, profile: dict[str, Any], card: dict[str, Any]) -> dict[str, Any]:
        """Figures and context of ``regio/<id>.html`` (drawn interactively on screen, as PNG in print)."""
        d = self.d
        r = d.regions.set_index("id").loc[rid]
        figs: dict[str, dict[str, Any]] = {}
        gem = d.gemeenten[d.gemeenten["group"] == rid]
        fid = f"regionmap-{rid}"
        figs[fid] = maps.categorical_figure(
            gem["gm_code"],
            gem["name"],
            [rid] * len(gem),
            order=[rid],
            labels={rid: str(r["name"])},
            colours={rid: self.region_colours[rid]},
            title=f"{r['name']}: {self.T['members']} ({len(gem)})",
            height=460,
            outline_name=self.T["legend_region_outline"],
        )
        figs[fid]["data"][0]["showscale"] = False
        figs[fid]["layout"]["annotations"] = [_note(self.T["map_source_gemeenten"])]
        map_png = f"img/regions/{rid}.png"
        self.q.submit_map(
            "gemeente",
            {c: (self.region_colours[rid] if g == rid else "#eeeeee") for c, g in self.member_of.items()},
            [(str(r["name"]), self.region_colours[rid]), (self.T["other_gemeenten"], "#eeeeee")],
            self.png(map_png),
            title=str(r["name"]),
            outlines="@outlines",
            outline_label=self.T["legend_region_outline"],
            source=self.T["map_source_gemeenten"],
        )
        figs[profile["fig"]] = self.figs[profile["fig"]]
        trends = []
        for iid in self.trend_ids(min_periods=3):
            tid = f"rtrend-{rid}-{iid}"
            png = f"img/trends/{rid}-{iid}.png"
            self.trend_chart(iid, [rid, REST, NL], tid, png, self.label(iid))
            figs[tid] = self.figs.pop(tid)
            row = d.trends[(d.trends["area_code"] == rid) & (d.trends["indicator_id"] == iid)]
            statement = trend_statement(row.iloc[0], self.cat, lang=self.lang) if len(row) else ""
            trends.append({"fig": tid, "png": png, "csv": self.csvs[tid], "statement": statement})
        two = d.trends[(d.trends["area_code"] == rid) & (d.trends["n_periods"] == 2)]
        two = two[two["indicator_id"].isin(self.trend_ids())]
        statements_two = [trend_statement(x, self.cat, lang=self.lang) for x in two.itertuples()]
        money = self.money_chart(rid) if self.d.register is not None else None
        if money is not None:
            figs[money["fig"]] = self.figs[money["fig"]]
        score = d.scorecard[d.scorecard["area_code"] == rid]
        score = score[score["status"] != "none"]
        used = list(self.profile_rows(rid)["indicator_id"])
        ind = d.indicators.set_index("indicator_id")
        sources = [
            [
                self.label(i),
                ", ".join(ind.at[i, "tables"]),
                ", ".join(map(str, ind.at[i, "periods"])),
                self.unit(i),
            ]
            for i in used
        ]
        members = list(gem["name"])
        return {
            "figs": figs,
            "geo": {"gemeente": _features(self.snap.geojson("gemeente"), set(gem["gm_code"]))},
            "outlines": maps.outline_lonlat({rid: self.outlines.get(rid, [])}),
            "ctx": {
                "rid": rid,
                "name": str(r["name"]),
                "card": card,
                "score_cells": [
                    (theme_name(c.theme, self.lang), self.score_cell(c._asdict())) for c in score.itertuples()
                ],
                "map_fig": fid,
                "map_png": "../" + map_png,
                "map_csv": "../" + self.csvs["map-overview"],
                "members": ", ".join(members),
                "n_members": len(members),
                "border": ", ".join(r["border"]) or self.T["border_none"],
                "confidence": r["confidence"],
                "region_source": r["source"],
                "profile": {
                    **profile,
                    "png": "../" + profile["png"] if profile["png"] else None,
                    "csv": "../" + profile["csv"],
                },
                "profile_head": self.profile_head(self.quartiles() is not None),
                "trends": [{**x, "png": "../" + x["png"], "csv": "../" + x["csv"]} for x in trends],
                "statements_two": statements_two,
                "money": {**money, "png": "../" + money["png"], "csv": "../" + money["csv"]}
                if money
                else None,
                "illustration": bool(self.d.register and self.d.register["illustration"]),
                "sources_head": [self.T["indicator"], self.T["table"], self.T["periods"], self.T["unit"]],
                "sources_rows": sources,
            },
        }


def _features(geojson: dict[str, Any], codes: set[str]) -> dict[str, Any]:
    """The GeoJSON with only the features of ``codes`` (a region page embeds only its gemeenten)."""
    return {**geojson, "features": [f for f in geojson["features"] if f["properties"].get("code") in codes]}


def _region_pages(r: _Renderer, ctx: dict[str, Any], tmp: Path, footer: str) -> list[str]:
    """Write ``regio/<id>.html`` for every region; plotly.js once in ``assets/`` beside them.

    Each page is also written as ``regio/.<id>.print.html`` without scripts (the print style shows
    the PNG twins of the figures), which Chromium turns into the PDF quickly; :func:`build_report`
    removes these after printing.
    """
    (tmp / "regio").mkdir(exist_ok=True)
    profiles = {p["id"]: p for p in ctx["profiles"]}
    cards = {c["id"]: c for c in ctx["cards"]}
    written = []
    head_scripts = assets.script_tags("beside", tmp, prefix="../")
    for rid in r.d.regions["id"]:
        page = r.region_page(rid, profiles[rid], cards[rid])
        common = {
            "lang": r.lang,
            "T": r.T,
            "footer": footer,
            "workbook": "../" + XLSX_NAME[r.lang],
            "monitor": "../" + HTML_NAME[r.lang],
            "rule": RULE[r.lang],
            **page["ctx"],
        }
        html = shell.render(
            "region.html.j2",
            figures=page["figs"],
            geo={**page["geo"], "outlines": page["outlines"]},
            head_scripts=head_scripts,
            **common,
        )
        rel = f"regio/{rid}.html"
        (tmp / rel).write_text(html, encoding="utf-8")
        printable = shell.render("region.html.j2", figures={}, geo={}, head_scripts="", **common)
        (tmp / print_name(rel)).write_text(printable, encoding="utf-8")
        written.append(rel)
    return written


def print_name(page: str) -> str:
    """The script-free twin of a region page that is printed to PDF (removed afterwards)."""
    p = Path(page)
    return str(p.with_name(f".{p.stem}.print.html"))


def _render(
    data: ReportData,
    snapshot: Any,
    lang: str,
    tmp: Path,
    queue: ImageQueue,
    step: Callable[[str], None],
    plotly: str,
) -> tuple[ReportResult, _Renderer, dict[str, Any]]:
    r = _Renderer(data, snapshot, lang, tmp, queue)
    ctx: dict[str, Any] = {"T": r.T, "region_set": data.region_set_name}
    ctx.update(r.overview())
    ctx.update(r.key_messages())
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
    sheets = write_workbook(
        tmp / XLSX_NAME[lang],
        workbook_sheets(data, snapshot.catalogue, lang),
        about=workbook_about(data, lang),
        about_title=ABOUT_SHEET[lang],
    )
    step("excel")
    ctx["footer"] = (
        t("generated", lang, version=npvr.__version__, date=dt.date.today().isoformat())
        + " · "
        + t("licence", lang)
    )
    ctx["workbook"] = XLSX_NAME[lang]
    ctx["csvs"] = r.csvs
    pages = _region_pages(r, ctx, tmp, ctx["footer"])
    html = shell.render(
        "report.html.j2",
        lang=lang,
        figures=r.figs,
        geo={
            "gemeente": snapshot.geojson("gemeente"),
            "regio": maps.region_geojson(snapshot.geojson("gemeente"), r.member_of, r.unit_names),
            "outlines": maps.outline_lonlat(r.outlines),
            "codes": list(data.gemeenten["gm_code"]),
            "names": list(data.gemeenten["name"]),
        },
        out_dir=tmp,
        plotly=plotly,
        **ctx,
    )
    (tmp / HTML_NAME[lang]).write_text(html, encoding="utf-8")
    result = ReportResult(
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
        region_pages=pages,
        csv=sorted(r.csvs.values()),
        register_illustration=bool(ctx["register"] and ctx["register"]["illustration"]),
    )
    return result, r, ctx


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
    pdf: bool = True,
) -> ReportResult:
    """Build the monitor report into ``out`` (replaced atomically); see the module docstring.

    ``n_boot``: bootstrap draws for the inequality intervals; ``image_workers``: processes drawing
    the PNGs (None = up to 2, 0 = in this process); ``plotly``: "inline" (one self-contained file)
    or "beside" (``assets/plotly.min.js`` next to the page); ``pdf``: print every region page to an
    A4 PDF with headless Chromium (skipped with a note when Chromium is not installed).
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
    geo = snapshot.geojson("gemeente")
    queue = ImageQueue(
        {"gemeente": geo, "outlines": maps.region_outlines(geo, regions.membership())},
        workers=image_workers,
        shared={"snapshot": snapshot, "regions": regions},
    )
    try:
        index = queue.run(_index_job, lang)  # the slowest independent piece starts first, in a worker
        data = compute(snapshot, regions, n_boot=n_boot, seed=seed, register_url=register_url, index=index)
        step("compute")
        with atomic_output_dir(target) as tmp:
            try:
                result, _, _ = _render(data, snapshot, lang, tmp, queue, step, plotly)
            finally:
                queue.wait()
            step("pdf")
            if pdf:
                result.region_pdfs, note = print_pdfs(
                    tmp, [print_name(p) for p in result.region_pages], lang=lang, targets=result.region_pages
                )
                if note:
                    result.notes.append(note)
            for page in result.region_pages:
                (tmp / print_name(page)).unlink(missing_ok=True)
            result.out_dir = str(target)
            (tmp / "report.json").write_text(
                json.dumps(result.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            step("html")
    finally:
        queue.close()
    return result


def _index_job(shared: dict[str, Any], lang: str = "nl") -> dict[str, pd.DataFrame] | None:
    from npvr.monitor.panel import index_profile

    return index_profile(shared["snapshot"], shared["regions"], lang=lang)
