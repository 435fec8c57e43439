"""CLI face for npvr.report: ``npvr report`` writes the monitor report (HTML + Excel + PNGs).

Parses options, calls :func:`npvr.report.build.build_report`, draws a progress bar (rich, on
stderr) and prints where the report went. ``--json`` prints the library's result instead and draws
no progress bar, so stdout stays machine-readable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from npvr.cli._options import DbOpt, JsonOpt, LangOpt, RegionsOpt, VariantOpt, region_set
from npvr.cli._render import emit_json

OutOpt = Annotated[Path, typer.Option("--out", help="Map voor het rapport (wordt in één keer vervangen).")]
PdfOpt = Annotated[
    bool,
    typer.Option(
        "--pdf/--no-pdf",
        help="Druk elke regiopagina af als A4-PDF met headless Chromium (standaard aan; zonder Chromium "
        "wordt dit overgeslagen met een melding).",
    ),
]


def register(app: typer.Typer) -> None:
    """Add ``npvr report`` to the main app."""

    @app.command("report")
    def report(
        out: OutOpt = Path("npvr-rapport"),
        lang: LangOpt = "nl",
        regions: RegionsOpt = None,
        as_json: JsonOpt = False,
        db: DbOpt = None,
        variant: VariantOpt = None,
        pdf: PdfOpt = True,
    ) -> None:
        """Maak het NPVR-monitorrapport: HTML (offline) met kernboodschappen, een pagina en PDF per regio,
        Excel met alle tabellen, afbeeldingen en de gegevens achter elke grafiek (CSV)."""
        from npvr.i18n import check_lang, t

        check_lang(lang)
        from npvr.report.build import STEPS, build_report

        chosen: Any = region_set(regions, variant) or regions  # a RegionSet or a file for the report

        if as_json:
            result = build_report(out, lang=lang, regions_path=chosen, register_url=db, pdf=pdf)
            emit_json(result.to_dict())
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(t("step_start", lang), total=len(STEPS))

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, completed=done, description=t(f"step_{step}", lang))

            result = build_report(
                out, lang=lang, regions_path=chosen, progress=progress, register_url=db, pdf=pdf
            )
        for note in result.notes:
            typer.echo(note, err=True)
        typer.echo(
            t(
                "written",
                lang,
                out=result.out_dir,
                html=result.html,
                xlsx=result.workbook,
                n_images=len(result.images),
            )
        )
