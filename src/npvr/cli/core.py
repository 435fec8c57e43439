"""CLI face for the foundation: regions, profile, indicators, data build/update.

Each command is a module-level function (importable, testable); :func:`register` adds them to the
app. The tables come from the library (:mod:`npvr.tables`, :func:`npvr.profile`); this module only
parses options and renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from npvr.cli._options import JsonOpt, LangOpt, RegionsOpt, VariantOpt, region_set
from npvr.cli._render import emit_json, emit_table
from npvr.tables import indicators_table, regions_table

__all__ = [
    "data_build_cmd",
    "data_update_cmd",
    "indicators_cmd",
    "indicators_table",
    "profile_cmd",
    "regions_cmd",
    "regions_table",
    "register",
]

_REGION_HEAD = {
    "nl": ["id", "naam", "gemeenten", "inwoners (2024)", "zekerheid", "leden", "varianten"],
    "en": ["id", "name", "gemeenten", "inhabitants (2024)", "confidence", "members", "variants"],
}
_PROFILE_HEAD = {
    "nl": ["indicator", "periode", "{name}", "Nederland", "rest van NL", "eenheid", "bron"],
    "en": ["indicator", "period", "{name}", "Netherlands", "rest of NL", "unit", "source"],
}


def regions_cmd(
    regions: RegionsOpt = None, variant: VariantOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
) -> None:
    """De NPVR-regio's met hun gemeenten, inwoners, zekerheid van de afbakening, bron en varianten."""
    table = regions_table(region_set(regions, variant))
    if as_json:
        emit_json(table)
        return
    df = pd.DataFrame(table)
    df["variants"] = df["variants"].map(lambda v: ", ".join(v) if v else "")
    df = df[["id", "name", "n_members", "population", "confidence", "member_names", "variants"]]
    df.columns = _REGION_HEAD[lang]
    emit_table(df, title="NPVR-regio's" if lang == "nl" else "NPVR regions", lang=lang)
    label = "Bron inwoners" if lang == "nl" else "Source of inhabitants"
    typer.echo(f"{label}: {table[0]['population_source']}" if table else "")


def profile_cmd(
    region: Annotated[
        str, typer.Argument(help="Regio-id of -naam, COROP (CRnn), provincie (PVnn) of GMnnnn.")
    ],
    regions: RegionsOpt = None,
    variant: VariantOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "nl",
) -> None:
    """Kerncijfers van een gebied naast Nederland en naast de rest van Nederland."""
    import npvr

    reg = region_set(regions, variant) or npvr.load_regions()
    info, table = npvr.profile(region, regions=reg, lang=lang)
    if as_json:
        emit_json({"area": info, "indicators": table})
        return
    show = table[["label", "period", "value", "nederland", "rest_nl", "unit", "source"]].copy()
    show.columns = [h.format(name=info["name"]) for h in _PROFILE_HEAD[lang]]
    members = info["members"]
    n_members = len(members) if isinstance(members, list) else 0
    word = "gemeenten" if lang == "nl" else "municipalities"
    emit_table(show, title=f"{info['name']} ({info['kind']}, {n_members} {word})", lang=lang)


def indicators_cmd(as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
    """De indicatorcatalogus: id, label, thema, eenheid, richting, perioden, bron, dekking."""
    df = indicators_table(lang)
    if as_json:
        emit_json(df)
        return
    show = df.copy()
    show["coverage"] = show["coverage"].map(lambda c: ", ".join(f"{k}: {v}" for k, v in c.items()))
    emit_table(
        show.drop(columns=["aggregation"]), title="Indicatoren" if lang == "nl" else "Indicators", lang=lang
    )


def data_build_cmd(
    source: Annotated[Path, typer.Option("--source", help="Map met de ruwe CBS/PDOK-bestanden.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Doelmap (standaard: de meegeleverde snapshot).")
    ] = None,
) -> None:
    """Bouw de snapshot uit de ruwe bestanden (reproduceerbaar); de oude wijkt pas als de nieuwe af is."""
    from npvr.data.build import build_snapshot

    path = build_snapshot(source, out)
    typer.echo(f"Snapshot gebouwd: {path}")


def data_update_cmd(
    out: Annotated[
        Path | None, typer.Option("--out", help="Doelmap (standaard: de meegeleverde snapshot).")
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="Verplicht: map met de ruwe bestanden die de API niet levert (geometrie, referenties).",
        ),
    ] = None,
) -> None:
    """Ververs de CBS-tabellen via de OData-API (netwerk nodig); de snapshot wisselt pas als hij af is."""
    from npvr.data.update import run_update

    path = run_update(target=out, source=source)
    typer.echo(f"Snapshot ververst: {path}")


def register(app: typer.Typer) -> None:
    """Add the foundation commands to the main app."""
    app.command("regions")(regions_cmd)
    app.command("profile")(profile_cmd)
    app.command("indicators")(indicators_cmd)
    data_app = typer.Typer(help="De data-snapshot bouwen of verversen.", no_args_is_help=True)
    data_app.command("build")(data_build_cmd)
    data_app.command("update")(data_update_cmd)
    app.add_typer(data_app, name="data")
