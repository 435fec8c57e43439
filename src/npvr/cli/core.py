"""CLI face for the foundation: regions, profile, indicators, data build/update."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from npvr.cli._options import JsonOpt, LangOpt, RegionsOpt
from npvr.cli._render import emit_json, emit_table


def regions_table(regions_file: Path | None = None) -> list[dict[str, object]]:
    """The regions with members, population, confidence and source (library call for the CLI and web)."""
    import npvr

    snap = npvr.load_snapshot()
    regions = npvr.load_regions(regions_file)
    pop = snap.indicator_values("inwoners", 2024)
    out = []
    for r in regions:
        out.append(
            {
                "id": r.id,
                "name": r.name,
                "n_members": len(r.members),
                "members": list(r.members),
                "member_names": [str(snap.gemeenten.at[c, "name"]) for c in r.members],
                "population": int(pop.reindex(list(r.members)).sum()),
                "population_source": snap.catalogue["inwoners"].provenance(2024),
                "confidence": r.confidence,
                "source": r.source,
                "variants": {k: list(v) for k, v in r.variants.items()},
            }
        )
    return out


def indicators_table(lang: str = "nl") -> pd.DataFrame:
    """The catalogue as a table: id, label, theme, unit, direction, periods, source, coverage."""
    import npvr

    snap = npvr.load_snapshot()
    rows = []
    for ind in snap.catalogue.values():
        rows.append(
            {
                "id": ind.id,
                "label": ind.label(lang),
                "theme": ind.theme,
                "unit": ind.unit,
                "direction": ind.direction,
                "periods": list(ind.periods),
                "table": ", ".join(sorted(set(ind.sources.values()))),
                "aggregation": ind.aggregation,
                "coverage": {str(k): v for k, v in ind.coverage.items()},
            }
        )
    return pd.DataFrame(rows)


def register(app: typer.Typer) -> None:
    """Add the foundation commands to the main app."""

    @app.command("regions")
    def regions_cmd(regions: RegionsOpt = None, as_json: JsonOpt = False) -> None:
        """De NPVR-regio's met hun gemeenten, inwoners, zekerheid van de afbakening en bron."""
        table = regions_table(regions)
        if as_json:
            emit_json(table)
            return
        df = pd.DataFrame(table)[["id", "name", "n_members", "population", "confidence", "member_names"]]
        df.columns = ["id", "naam", "gemeenten", "inwoners (2024)", "zekerheid", "leden"]
        emit_table(df, title="NPVR-regio's")
        typer.echo(f"Bron inwoners: {table[0]['population_source']}")

    @app.command("profile")
    def profile_cmd(
        region: Annotated[
            str, typer.Argument(help="Regio-id of -naam, COROP (CRnn), provincie (PVnn) of GMnnnn.")
        ],
        regions: RegionsOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Kerncijfers van een gebied naast Nederland en naast de rest van Nederland."""
        import npvr

        reg = npvr.load_regions(regions)
        info, table = npvr.profile(region, regions=reg, lang=lang)
        if as_json:
            emit_json({"area": info, "indicators": table})
            return
        show = table[["label", "period", "value", "nederland", "rest_nl", "unit", "source"]]
        head = ["indicator", "periode", info["name"], "Nederland", "rest van NL", "eenheid", "bron"]
        if lang == "en":
            head = ["indicator", "period", info["name"], "Netherlands", "rest of NL", "unit", "source"]
        show.columns = head
        n_members = len(area_members) if isinstance(area_members := info["members"], list) else 0
        emit_table(show, title=f"{info['name']} ({info['kind']}, {n_members} gemeenten)")

    @app.command("indicators")
    def indicators_cmd(as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """De indicatorcatalogus: id, label, thema, eenheid, richting, perioden, bron, dekking."""
        df = indicators_table(lang)
        if as_json:
            emit_json(df)
            return
        show = df.copy()
        show["coverage"] = show["coverage"].map(lambda c: ", ".join(f"{k}: {v}" for k, v in c.items()))
        emit_table(show.drop(columns=["aggregation"]), title="Indicatoren")

    data_app = typer.Typer(help="De data-snapshot bouwen of verversen.", no_args_is_help=True)
    app.add_typer(data_app, name="data")

    @data_app.command("build")
    def data_build(
        source: Annotated[Path, typer.Option("--source", help="Map met de ruwe CBS/PDOK-bestanden.")],
        out: Annotated[
            Path | None, typer.Option("--out", help="Doelmap (standaard: de meegeleverde snapshot).")
        ] = None,
    ) -> None:
        """Bouw de snapshot uit de ruwe bestanden (reproduceerbaar)."""
        from npvr.data.build import build_snapshot

        path = build_snapshot(source, out)
        typer.echo(f"Snapshot gebouwd: {path}")

    @data_app.command("update")
    def data_update(
        out: Annotated[
            Path | None, typer.Option("--out", help="Doelmap (standaard: de meegeleverde snapshot).")
        ] = None,
        source: Annotated[
            Path | None,
            typer.Option("--source", help="Map met ruwe bestanden voor de tabellen die de API niet levert."),
        ] = None,
    ) -> None:
        """Ververs de CBS-tabellen via de OData-API; de snapshot wordt pas gewisseld als hij compleet is."""
        from npvr.data.update import run_update

        path = run_update(target=out, source=source)
        typer.echo(f"Snapshot ververst: {path}")
