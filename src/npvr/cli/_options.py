"""Options shared by every command, declared once so their names and help read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
