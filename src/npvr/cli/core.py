"""CLI face for the foundation: regions, profile, indicators, data build/update."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the foundation commands to the main app."""
    @app.command()
    def version() -> None:
        """Toon de versie van npvr."""
        from npvr import __version__

        typer.echo(__version__)
