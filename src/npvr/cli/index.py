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
        help="Index-configuratie (YAML); weglaten = de meegeleverde deprivatie-index.", show_default=False
    ),
]
LevelOpt = Annotated[
    str | None,
    typer.Option(
        "--level", help="Niveau: gemeente, corop, provincie, npvr of wijk (standaard: uit de configuratie)."
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
        as_json: JsonOpt = False,
    ) -> None:
        """Bereken scores, rangen en domeinscores voor elke eenheid."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import build_index

        res = build_index(config, level=level, regions=region_set(regions, variant) or regions)
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
        level: Annotated[str, typer.Option("--level", help="gemeente, corop, provincie of npvr.")] = "npvr",
        as_json: JsonOpt = False,
    ) -> None:
        """Kwartielen zoals de CBS Monitor Brede Welvaart: groen en rood per indicator en regio."""
        from npvr.cli._render import emit_json, emit_table
        from npvr.index import quartiles

        res = quartiles(level=level, regions=region_set(regions, variant) or regions)
        if as_json:
            emit_json(res.to_dict())
            return
        emit_table(res.summary, title="Aantal indicatoren in het beste (groen) en slechtste (rood) kwart")

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
