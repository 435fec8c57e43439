"""CLI face for the uitvoeringstoets and the grenseffectentoets: parse, call the library, render.

The commands are module-level functions (importable and testable); :func:`register` adds them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from npvr.cli._options import JsonOpt, LangOpt, RegionsOpt, VariantOpt, region_set
from npvr.errors import ConfigError

OutOpt = Annotated[Path | None, typer.Option("--out", help="Map voor het rapport (HTML en Excel).")]


def _check_lang(lang: str) -> str:
    if lang not in ("nl", "en"):
        raise ConfigError(
            f"onbekende taal '{lang}'; kies nl of en", en=f"unknown language '{lang}'; use nl or en"
        )
    return lang


def toets_cmd(
    policy: Annotated[Path | None, typer.Argument(help="Beleidsbestand (YAML) met de maatregel.")] = None,
    compare: Annotated[
        tuple[str, str] | None,
        typer.Option("--compare", help="Vergelijk twee varianten: --compare A.yaml B.yaml."),
    ] = None,
    out: OutOpt = None,
    lang: LangOpt = "nl",
    as_json: JsonOpt = False,
    regions: RegionsOpt = None,
    variant: VariantOpt = None,
) -> None:
    """Uitvoeringstoets: wat doet een maatregel met elke gemeente en NPVR-regio?"""
    from npvr.cli._render import emit_json, emit_table
    from npvr.impact import compare as compare_results
    from npvr.impact import toets
    from npvr.report.toets import render_compare, render_toets

    _check_lang(lang)
    rs = region_set(regions, variant)
    if compare:
        a_path, b_path = Path(compare[0]), Path(compare[1])
        if policy is not None:
            raise ConfigError(
                "geef óf één beleidsbestand óf --compare A B",
                en="give either one policy file or --compare A B",
            )
        comp = compare_results(toets(a_path, regions=rs), toets(b_path, regions=rs))
        if as_json:
            emit_json(comp.to_dict())
            if out is None:
                return
        target = out or Path(f"vergelijking-{a_path.stem}-{b_path.stem}")
        render_compare(comp, target, lang=lang)
        if not as_json:
            emit_table(comp.regions.reset_index(), title=comp.summary["varianten"], lang=lang)
            typer.echo(_written(target, "vergelijking", lang))
        return
    if policy is None:
        raise ConfigError(
            "geef een beleidsbestand (YAML) of --compare A B",
            en="give a policy file (YAML) or --compare A B",
        )
    result = toets(policy, regions=rs)
    if as_json:
        emit_json(result.to_dict())
        if out is None:
            return
    target = out or Path(f"toets-{policy.stem}")
    render_toets(result, target, lang=lang)
    if not as_json:
        cols = [c for c in ("naam", "euro", "euro_per_inwoner", "impact", "oordeel") if c in result.regions]
        emit_table(result.regions[cols].reset_index(), title=result.policy.name, lang=lang)
        typer.echo(_written(target, "toets", lang))


def grenstoets_cmd(
    form: Annotated[Path, typer.Argument(help="Ingevuld formulier grenseffectentoets (YAML).")],
    out: OutOpt = None,
    lang: LangOpt = "nl",
    as_json: JsonOpt = False,
    regions: RegionsOpt = None,
    variant: VariantOpt = None,
) -> None:
    """Grenseffectentoets: het stappenplan met de geraakte grensgemeenten en regio's uit de data."""
    from npvr.border import grenstoets
    from npvr.cli._render import emit_json, emit_table
    from npvr.report.toets import render_grenstoets

    _check_lang(lang)
    result = grenstoets(form, regions=region_set(regions, variant))
    if as_json:
        emit_json(result.to_dict())
        if out is None:
            return
    target = out or Path(f"grenstoets-{form.stem}")
    render_grenstoets(result, target, lang=lang)
    if not as_json:
        emit_table(result.regions.reset_index(), title=result.form.title, lang=lang)
        typer.echo(_written(target, "grenstoets", lang))


def register(app: typer.Typer) -> None:
    """Add `npvr toets` and `npvr grenstoets` to the main app."""
    app.command("toets")(toets_cmd)
    app.command("grenstoets")(grenstoets_cmd)


def _written(target: Path, stem: str, lang: str) -> str:
    if lang == "en":
        return f"Report written to {target}/ ({stem}.html, {stem}.xlsx)"
    return f"Rapport geschreven naar {target}/ ({stem}.html, {stem}.xlsx)"
