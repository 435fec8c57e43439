"""Options shared by every command, declared once so their names and help read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from npvr.areas import RegionSet

LANGS = ("nl", "en")


def _check_lang(value: str) -> str:
    """Refuse a language npvr has no texts for (exit code 2 with a message, like any bad option)."""
    if value not in LANGS:
        raise typer.BadParameter(
            f"onbekende taal '{value}'; kies nl of en (unknown language; choose nl or en)"
        )
    return value


JsonOpt = Annotated[bool, typer.Option("--json", help="Uitvoer als JSON voor machines.")]
LangOpt = Annotated[
    str,
    typer.Option("--lang", help="Taal van de uitvoer: nl of en.", callback=_check_lang),
]
RegionsOpt = Annotated[
    Path | None, typer.Option("--regions", help="Eigen regiobestand (YAML) in plaats van de NPVR-afbakening.")
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database-URL van het register (sqlite:///bestand.sqlite of postgresql+psycopg://…); "
        "standaard $NPVR_REGISTER_URL of ./npvr-register.sqlite.",
    ),
]
VariantOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--variant",
        help="Kies een benoemde variant van een omstreden regio (REGIO:VARIANT of VARIANT; herhaalbaar), "
        "bijv. --variant noord-en-oost-groningen:met-midden-groningen. `npvr regions` toont de varianten.",
    ),
]


def region_set(regions: Path | None, variants: list[str] | None) -> RegionSet | None:
    """The region set of ``--regions``/``--variant``; None when neither is given (the library default)."""
    if regions is None and not variants:
        return None
    from npvr.areas import load_regions

    return load_regions(regions, variants=variants or ())
