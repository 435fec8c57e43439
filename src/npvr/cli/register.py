"""CLI face for npvr.register: parse, call :mod:`npvr.register`, render. No computation here."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from npvr.cli._options import DbOpt, JsonOpt, LangOpt
from npvr.cli._render import emit_json, emit_table

UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="Wie de wijziging doet (audit log); standaard $NPVR_USER of login."),
]


def _money(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    d = Decimal(v)
    s = f"{d:,.2f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


def _pct(v: Any) -> str:
    return "" if v is None or v != v else f"{100 * v:.1f}%".replace(".", ",")


_GAP_HEAD = {
    "nl": {
        "region": "regio", "theme": "thema", "year": "jaar", "need": "behoefte", "planned": "gepland",
        "committed": "toegezegd", "paid": "betaald", "gap": "tekort", "coverage": "dekking",
        "sources": "bronnen (gepland)", "schemes": "regelingen", "schemes_per_eur_m": "regelingen/€1 mln",
    },
    "en": {
        "region": "region", "theme": "theme", "year": "year", "need": "need", "planned": "planned",
        "committed": "committed", "paid": "paid", "gap": "gap", "coverage": "coverage",
        "sources": "sources (planned)", "schemes": "schemes", "schemes_per_eur_m": "schemes/€1 m",
    },
}  # fmt: skip


def _gap_display(df: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """A readable gap table: money in Dutch notation, the source mix in one column."""
    out = df.copy()
    for c in ("need", "planned", "committed", "paid", "gap"):
        out[c] = [_money(v) for v in out[c]]
    out["coverage"] = [_pct(v) for v in out["coverage"]]
    share_cols = [c for c in df.columns if c.startswith("share_")]
    out["sources"] = [
        " · ".join(f"{c[6:]} {_pct(v)}" for c, v in zip(share_cols, vals, strict=True) if v == v and v)
        for vals in df[share_cols].itertuples(index=False)
    ]
    sep = "," if lang == "nl" else "."
    out["schemes_per_eur_m"] = [
        "" if v is None or v != v else f"{v:.2f}".replace(".", sep) for v in out["schemes_per_eur_m"]
    ]
    if "theme" in out.columns:
        out["theme"] = [t if t else ("(alle)" if lang == "nl" else "(all)") for t in out["theme"]]
    keys = [c for c in ("region", "theme", "year") if c in out.columns]
    cols = [*keys, "need", "planned", "committed", "paid", "gap", "coverage", "sources", "schemes"]
    cols.append("schemes_per_eur_m")
    return out[cols].rename(columns=_GAP_HEAD[lang])


def _warn(problems: list[Any], lang: str) -> None:
    for p in problems:
        typer.echo(("Waarschuwing: " if lang == "nl" else "Warning: ") + p.render(lang), err=True)


def register(app: typer.Typer) -> None:
    """Add `npvr register …` to the main app."""
    reg = typer.Typer(
        name="register",
        help="Register van regioplannen, maatregelen en meerjarige bedragen tegenover de behoefte.",
        no_args_is_help=True,
    )
    app.add_typer(reg)

    @reg.command("init")
    def init(db: DbOpt = None, lang: LangOpt = "nl") -> None:
        """Maak het register aan of werk het schema bij (Alembic-migraties)."""
        from npvr.register import init_register, resolve_url

        rev = init_register(db)
        url = resolve_url(db)
        typer.echo(
            f"Register klaar in {url} (schema {rev})" if lang == "nl" else f"Register ready: {url} ({rev})"
        )

    @reg.command("import")
    def import_(
        file: Annotated[
            Path, typer.Argument(help="Een .xlsx-werkmap, .csv-bestand of map met .csv-bestanden.")
        ],
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Importeer een werkmap of CSV: alles wordt eerst gecontroleerd; het landt helemaal of niet."""
        from npvr.register import import_file

        result = import_file(file, db, actor=user, origin="cli")
        if as_json:
            emit_json(result.to_dict())
            return
        _warn(result.warnings, lang)
        c = result.counts
        typer.echo(
            f"Geïmporteerd: {c['plannen']} plannen, {c['maatregelen']} maatregelen, "
            f"{c['bedragen']} bedragen, {c['behoefte']} behoefteregels"
            if lang == "nl"
            else f"Imported: {c['plannen']} plans, {c['maatregelen']} measures, "
            f"{c['bedragen']} amounts, {c['behoefte']} need rows"
        )

    @reg.command("export")
    def export(
        out: Annotated[
            Path, typer.Option("--out", help="Een .xlsx-bestand, of een map voor CSV-bestanden.")
        ] = Path("npvr-register-export.xlsx"),
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Exporteer het hele register (zelfde formaat als import)."""
        from npvr.register import export_file

        path = export_file(out, db)
        typer.echo(f"Geëxporteerd naar {path}" if lang == "nl" else f"Exported to {path}")

    @reg.command("gap")
    def gap(
        by: Annotated[
            str, typer.Option("--by", help="Groeperen op (komma's): region, theme, year.")
        ] = "region,theme,year",
        out: Annotated[Path | None, typer.Option("--out", help="Schrijf naar .csv, .xlsx of .json.")] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Behoefte tegenover gepland, toegezegd en betaald; tekort, aandeel per bron, versnippering."""
        from npvr.register import open_register, write_table
        from npvr.register.io import gap_records

        df = open_register(db).gap(by=[b.strip() for b in by.split(",") if b.strip()])
        if out is not None:
            path = write_table(df, out)
            typer.echo(f"Geschreven: {path}" if lang == "nl" else f"Written: {path}", err=as_json)
        if as_json:
            emit_json(gap_records(df))
        elif out is None:
            emit_table(
                _gap_display(df, lang), title="Behoefte en middelen" if lang == "nl" else "Need and money"
            )

    @reg.command("log")
    def log(
        limit: Annotated[int | None, typer.Option("--limit", help="Alleen de laatste N wijzigingen.")] = None,
        entity: Annotated[
            str | None, typer.Option("--entity", help="plans, measures, amounts, needs of funding_sources.")
        ] = None,
        key: Annotated[str | None, typer.Option("--key", help="Alleen dit record, bijv. ACH-01.")] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Het audit log: wie wat wanneer veranderde (alleen toevoegen, nooit wissen)."""
        from npvr.register import open_register

        df = open_register(db).log(limit=limit, entity=entity, key=key)
        if as_json:
            emit_json(df)
            return
        show = df.copy()
        show["changes"] = [
            "; ".join(f"{k}: {v[0]!s} → {v[1]!s}" for k, v in ch.items()) for ch in show["changes"]
        ]
        emit_table(show, title="Audit log")

    @reg.command("example-need")
    def example_need_cmd(
        out: Annotated[Path, typer.Option("--out", help="Waar de CSV komt.")] = Path(
            "behoefte-illustratie.csv"
        ),
        lang: LangOpt = "nl",
    ) -> None:
        """Schrijf de meegeleverde ILLUSTRATIE van de behoefte (€10,5 mld/10 jaar naar inwonertal) als CSV."""
        from npvr.register.example import copy_example_need

        copy_example_need(out)
        typer.echo(
            f"Geschreven: {out} (illustratie, geen echte raming); laad met 'npvr register import {out}'"
            if lang == "nl"
            else f"Written: {out} (illustration, not a real estimate); load with 'npvr register import {out}'"
        )

    @reg.command("plan")
    def plan(
        code: Annotated[str, typer.Argument(help="Unieke code van het plan, bijv. ACH-RP.")],
        region: Annotated[str, typer.Option("--region", help="NPVR-regio-id.")],
        kind: Annotated[str, typer.Option("--kind", help="regioplan of actieagenda.")],
        title: Annotated[str, typer.Option("--title", help="Titel.")],
        status: Annotated[
            str, typer.Option("--status", help="in-voorbereiding, bestuurlijk-besproken of vastgesteld.")
        ],
        date: Annotated[str | None, typer.Option("--date", help="Datum van de status (JJJJ-MM-DD).")] = None,
        note: Annotated[str | None, typer.Option("--note", help="Toelichting.")] = None,
        version: Annotated[
            int | None, typer.Option("--version", help="Huidige versie (verplicht om te wijzigen).")
        ] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Leg een regioplan of actieagenda vast, of wijzig het (met --version)."""
        from npvr.register import open_register

        rec = open_register(db, actor=user, origin="cli").save_plan(
            code,
            region=region,
            kind=kind,
            title=title,
            status=status,
            status_date=date,
            note=note,
            expected_version=version,
        )
        emit_json(rec) if as_json else typer.echo(f"Plan {rec['code']} opgeslagen (versie {rec['version']})")

    @reg.command("measure")
    def measure(
        code: Annotated[str, typer.Argument(help="Unieke code van de maatregel, bijv. ACH-01.")],
        region: Annotated[str | None, typer.Option("--region", help="NPVR-regio-id.")] = None,
        title: Annotated[str | None, typer.Option("--title", help="Titel.")] = None,
        theme: Annotated[str | None, typer.Option("--theme", help="Thema (verplicht).")] = None,
        goal: Annotated[str | None, typer.Option("--goal", help="NPVR-doel.")] = None,
        description: Annotated[str | None, typer.Option("--description", help="Omschrijving.")] = None,
        plan: Annotated[str | None, typer.Option("--plan", help="Code van het plan.")] = None,
        gemeente: Annotated[
            list[str] | None, typer.Option("--gemeente", help="GM-code (herhaalbaar).")
        ] = None,
        indicator: Annotated[
            list[str] | None, typer.Option("--indicator", help="Indicator-id (herhaalbaar).")
        ] = None,
        version: Annotated[
            int | None,
            typer.Option(
                "--version", help="Huidige versie: wijzig een bestaande maatregel (optimistic lock)."
            ),
        ] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Voeg een maatregel toe, of wijzig er een met --version (geweigerd als iemand u voor was)."""
        from npvr.register import open_register

        svc = open_register(db, actor=user, origin="cli")
        if version is None:
            rec = svc.create_measure(
                code,
                region=region or "",
                title=title or "",
                theme=theme,
                goal=goal,
                description=description,
                plan=plan,
                gemeenten=gemeente or (),
                indicators=indicator or (),
            )
        else:
            given: dict[str, Any] = {
                "region": region,
                "title": title,
                "theme": theme,
                "goal": goal,
                "description": description,
                "plan": plan,
                "gemeenten": gemeente or None,
                "indicators": indicator or None,
            }
            rec = svc.update_measure(
                code, expected_version=version, **{k: v for k, v in given.items() if v is not None}
            )
        emit_json(rec) if as_json else typer.echo(
            f"Maatregel {rec['code']} opgeslagen (versie {rec['version']})"
        )

    @reg.command("delete-measure")
    def delete_measure(
        code: Annotated[str, typer.Argument(help="Code van de maatregel.")],
        version: Annotated[int, typer.Option("--version", help="Huidige versie (optimistic lock).")],
        db: DbOpt = None,
        user: UserOpt = None,
    ) -> None:
        """Verwijder een maatregel en haar bedragen; alles blijft in het audit log staan."""
        from npvr.register import open_register

        open_register(db, actor=user, origin="cli").delete_measure(code, expected_version=version)
        typer.echo(f"Maatregel {code} verwijderd (zie 'npvr register log')")

    @reg.command("measures")
    def measures(
        region: Annotated[str | None, typer.Option("--region", help="Alleen deze regio.")] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Toon de maatregelen met hun versie."""
        from npvr.register import open_register

        df = open_register(db).measures(region)
        emit_json(df) if as_json else emit_table(df, title="Maatregelen")

    @reg.command("amount")
    def amount(
        measure: Annotated[str, typer.Argument(help="Code van de maatregel.")],
        year: Annotated[int, typer.Option("--year", help="Jaar.")],
        kind: Annotated[str, typer.Option("--kind", help="gepland, toegezegd of betaald.")],
        source: Annotated[str, typer.Option("--source", help="rijk, provincie, gemeenten, eu of privaat.")],
        value: Annotated[str, typer.Option("--amount", help="Bedrag in euro's, bijv. 1250000.00.")],
        party: Annotated[
            str, typer.Option("--party", help="Departement, provincie, EU-fonds of partij.")
        ] = "",
        scheme: Annotated[str, typer.Option("--scheme", help="Naam van de regeling.")] = "",
        share: Annotated[str | None, typer.Option("--share", help="Cofinancieringsaandeel 0..1.")] = None,
        version: Annotated[
            int | None,
            typer.Option(
                "--version",
                help="Versie van het bedrag dat u wijzigt (verplicht om een bestaand bedrag te wijzigen).",
            ),
        ] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Leg een bedrag vast voor een maatregel, jaar, bron en soort; wijzig er een met --version."""
        from npvr.register import open_register

        rec = open_register(db, actor=user, origin="cli").set_amount(
            measure,
            year=year,
            kind=kind,
            source_type=source,
            amount=value,
            party=party,
            scheme=scheme,
            cofinancing_share=share,
            expected_version=version,
        )
        if as_json:
            emit_json(rec)
            return
        for w in rec["warnings"]:
            typer.echo(f"Waarschuwing: {w}", err=True)
        typer.echo(f"Bedrag opgeslagen (versie {rec['version']})")

    @reg.command("need")
    def need(
        region: Annotated[str, typer.Argument(help="NPVR-regio-id.")],
        year: Annotated[int, typer.Option("--year", help="Jaar.")],
        value: Annotated[str, typer.Option("--amount", help="Geschatte behoefte in euro's.")],
        theme: Annotated[
            str, typer.Option("--theme", help="Thema; leeg = de thema's zonder eigen behoefte samen.")
        ] = "",
        source: Annotated[str | None, typer.Option("--source", help="Bron van de schatting.")] = None,
        version: Annotated[
            int | None,
            typer.Option(
                "--version", help="Versie van de behoefteregel die u wijzigt (verplicht om te wijzigen)."
            ),
        ] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Leg de geschatte behoefte vast voor een regio, thema en jaar; wijzig haar met --version."""
        from npvr.register import open_register

        rec = open_register(db, actor=user, origin="cli").set_need(
            region, year=year, amount=value, theme=theme, source=source, expected_version=version
        )
        emit_json(rec) if as_json else typer.echo(f"Behoefte opgeslagen (versie {rec['version']})")
