"""CLI face for npvr.index: parse, call the library, render. No computation lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from npvr.cli._options import JsonOpt, LangOpt, RegionsOpt, VariantOpt, region_set
from npvr.errors import OutputError
from npvr.output import atomic_file

ConfigArg = Annotated[
    Path | None,
    typer.Argument(
        help="Index-configuratie (YAML) of een meegeleverde index (deprivatie, opgave); weglaten = de "
        "deprivatie-index.",
        show_default=False,
    ),
]
LevelOpt = Annotated[
    str | None,
    typer.Option(
        "--level",
        help="Niveau: gemeente, corop, provincie, regio (de 11 regio's als zichzelf plus de rest van elk "
        "COROP-gebied), npvr of wijk (standaard: uit de configuratie).",
    ),
]
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Eigen tabel eenheden x indicatoren (CSV, of .xlsx met de bladen 'data' en 'meta') in plaats "
        "van de CBS-snapshot.",
    ),
]
MetaOpt = Annotated[
    Path | None,
    typer.Option(
        "--meta",
        help="Indicator-metadata bij --data (CSV: id, direction, label, unit, source; parent, weight).",
    ),
]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Startwaarde van de toevalsgenerator (0 is ook een seed).")
]


def _write_atomic(path: Path, frame: pd.DataFrame, payload: Any) -> None:
    """Write CSV/Excel/JSON to a temp file in the target folder, then rename: never half a file."""
    from npvr.cli._render import to_jsonable

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".json"):
        raise OutputError(
            f"onbekend uitvoerformaat '{suffix}'; gebruik .csv, .xlsx of .json",
            en=f"unknown output format '{suffix}'; use .csv, .xlsx or .json",
            file=str(path),
        )
    with atomic_file(path, replace=True, create_parent=False) as tmp:
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix == ".xlsx":
            frame.to_excel(tmp, index=False)
        else:
            import json

            tmp.write_text(json.dumps(to_jsonable(payload), ensure_ascii=False, indent=2), encoding="utf-8")


def _source(config: Path | None, data: Path | None, meta: Path | None) -> tuple[Any, Any]:
    """(config, snapshot) for a command: the CBS snapshot, or the user's own table (--data)."""
    if data is None:
        if meta is not None:
            from npvr.errors import ConfigError

            raise ConfigError("--meta hoort bij --data", en="--meta needs --data", field="--meta")
        return config, None
    from npvr.index import load_table

    table = load_table(data, meta)
    return (config if config is not None else table.config()), table


def register(app: typer.Typer) -> None:
    """Add `npvr index ...` to the main app."""
    index_app = typer.Typer(
        name="index",
        help="Samengestelde index: bouwen, onzekerheid, gevoeligheid en kwartielen.",
        no_args_is_help=True,
    )
    app.add_typer(index_app)

    @index_app.command("build")
    def build_cmd(
        config: ConfigArg = None,
        level: LevelOpt = None,
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Schrijf naar FILE.csv, .xlsx of .json.")
        ] = None,
        data: DataOpt = None,
        meta: MetaOpt = None,
        steps_out: Annotated[
            Path | None,
            typer.Option(
                "--steps",
                help="Schrijf elke stap (ruw, geïmputeerd, behandeld, genormaliseerd, elk niveau, gewichten, "
                "audit) naar FILE.xlsx.",
            ),
        ] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Bereken scores, rangen en domeinscores voor elke eenheid (CBS-snapshot of eigen tabel)."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import build_prepared, export_steps, prepare

        cfg, snap = _source(config, data, meta)
        prep = prepare(cfg, snapshot=snap, level=level, regions=region_set(regions, variant) or regions)
        res = build_prepared(prep)
        if steps_out is not None:
            export_steps(prep, steps_out)
            typer.echo(f"Geschreven: {steps_out}", err=True)
        if out is not None:
            _write_atomic(out, res.table(), res.to_dict())
            typer.echo(f"Geschreven: {out}", err=True)
        if as_json:
            emit_json(res.to_dict())
        elif out is None:
            emit_table(res.table(), title=f"{res.name} ({res.level})")

    @index_app.command("uncertainty")
    def uncertainty_cmd(
        config: ConfigArg = None,
        draws: Annotated[int, typer.Option("--draws", help="Aantal trekkingen.")] = 1000,
        select_k: Annotated[
            int | None, typer.Option("--select-k", help="Selectieregel: de K meest achtergestelde eenheden.")
        ] = None,
        seed: SeedOpt = 0,
        level: LevelOpt = None,
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Rangverdeling, selectiekans en beslissende keuzes per eenheid."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import uncertainty

        rs = region_set(regions, variant) or regions
        res = uncertainty(config, draws=draws, seed=seed, select_k=select_k, level=level, regions=rs)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(res.units, title=" · ".join(res.log[:1]))

    @index_app.command("sensitivity")
    def sensitivity_cmd(
        config: ConfigArg = None,
        n: Annotated[
            int, typer.Option("--n", help="Basissteekproef N (macht van 2); N·(factoren+2) runs.")
        ] = 1024,
        seed: SeedOpt = 0,
        level: LevelOpt = None,
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Sobol-indices (eerste orde en totaal) van elke methodekeuze op de rangen."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import sensitivity

        rs = region_set(regions, variant) or regions
        res = sensitivity(config, n=n, seed=seed, level=level, regions=rs)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(
            res.indices, title=f"Sobol-indices op de {res.output} ({res.evaluations} runs, seed {res.seed})"
        )

    @index_app.command("quartiles")
    def quartiles_cmd(
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        level: Annotated[
            str, typer.Option("--level", help="gemeente, corop, provincie, regio, npvr of nl.")
        ] = "npvr",
        reference: Annotated[
            str,
            typer.Option(
                "--reference",
                help="Vergelijk met: auto (gemeenten onderling; grotere gebieden met de gewogen gemeenten), "
                "weighted, gemeenten (ongewogen) of level (eenheden van hetzelfde niveau).",
            ),
        ] = "auto",
        as_json: JsonOpt = False,
    ) -> None:
        """Kwartielen zoals de CBS Monitor Brede Welvaart: groen en rood per indicator en regio."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import quartiles

        res = quartiles(level=level, regions=region_set(regions, variant) or regions, reference=reference)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(res.summary, title="Aantal indicatoren in het beste (groen) en slechtste (rood) kwart")

    @index_app.command("scorecard")
    def scorecard_cmd(
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        level: Annotated[str, typer.Option("--level", help="corop, provincie, regio of npvr.")] = "regio",
        reference: Annotated[
            str,
            typer.Option(
                "--reference", help="auto, weighted, gemeenten of level (zie npvr index quartiles)."
            ),
        ] = "auto",
        as_json: JsonOpt = False,
    ) -> None:
        """Kwartielscorekaart die gelijk met gelijk vergelijkt; leeftijdsopbouw apart als opgave."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import scorecard

        res = scorecard(level=level, regions=region_set(regions, variant) or regions, reference=reference)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(
            res.summary,
            title=f"Groen/rood over welvaartsindicatoren (referentie: {res.reference}); "
            "n_opgave = leeftijdsopbouw in het kwart met de grootste opgave",
        )
        if len(res.duplicates):
            emit_table(res.duplicates, title="Bijna-dubbele indicatoren (r > 0,95): b telt niet mee")

    @index_app.command("audit")
    def audit_cmd(
        config: ConfigArg = None,
        level: LevelOpt = None,
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        data: DataOpt = None,
        meta: MetaOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Statistische audit (JRC): correlaties binnen en tussen domeinen, Cronbachs alfa, signalen."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import audit

        cfg, snap = _source(config, data, meta)
        res = audit(cfg, snapshot=snap, level=level, regions=region_set(regions, variant) or regions)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(res.alpha, title="Cronbachs alfa per domein")
        emit_table(res.structure, title="Correlatie van elke indicator met groep, domein en index")
        emit_table(res.flags, title="Signalen (negatief, overbodig, elders sterker, zwak)")

    @index_app.command("selectie")
    def selectie_cmd(
        index: Annotated[
            list[str] | None,
            typer.Option(
                "--index",
                help="Index om te toetsen: 'deprivatie', 'opgave' of een YAML-bestand; herhaalbaar "
                "(standaard: alle meegeleverde indices).",
            ),
        ] = None,
        draws: Annotated[int, typer.Option("--draws", help="Aantal trekkingen per index.")] = 10_000,
        seed: SeedOpt = 0,
        regions: RegionsOpt = None,
        variant: VariantOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Waarom deze 11: per NPVR-regio rang, selectiekans en beslissende keuzes; wie er buiten staat."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import selection_report

        rep = selection_report(
            index or None, regions=region_set(regions, variant) or regions, draws=draws, seed=seed, lang=lang
        )
        if as_json:
            emit_json(rep.to_dict())
            return
        en = lang == "en"
        emit_table(
            rep.counts,
            title="How many of the 11 each index places in its top 11/15/20"
            if en
            else "Hoeveel van de 11 elke index in zijn top 11/15/20 zet",
        )
        cols = [
            "index",
            "name",
            "nominal_rank",
            "p5",
            "p95",
            "selection_probability",
            "verdict_label",
            "top_domains",
        ]
        emit_table(
            rep.regions[cols],
            title="NPVR regions on the regio level" if en else "NPVR-regio's op regioniveau",
        )
        emit_table(
            rep.outsiders,
            title="Outside the NPVR, ranking as high" if en else "Buiten het NPVR, even hoog in de rangorde",
        )
        emit_table(
            rep.variants[
                rep.variants["region_id"].isin(
                    rep.variants.loc[rep.variants["delimitation"] != "standaard", "region_id"]
                )
            ],
            title="Alternative delimitations, each its own ranking"
            if en
            else "Andere afbakeningen, elk een eigen rangorde",
        )
        for row in rep.texts.itertuples():
            typer.echo(f"\n{row.text}")

    @index_app.command("methods")
    def methods_cmd(as_json: JsonOpt = False) -> None:
        """Toon alle methoden per stap, met hun formule."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import REGISTRIES

        rows = [
            {"step": step, "method": m.name, "label": m.label_nl, "formula": m.formula}
            for step, reg in REGISTRIES.items()
            for m in reg
        ]
        if as_json:
            emit_json(rows)
            return
        emit_table(pd.DataFrame(rows), title="Methoden")
