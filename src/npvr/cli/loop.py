"""CLI face for the policy loop (npvr.loop): parse, call the library, render. No computation here.

Groups: ``npvr aanpassing`` (policy adjustments and their effect panel), ``npvr les`` (lessons
log), ``npvr belemmering`` (border obstacles), ``npvr bridge`` (BRIDGEforEU files and time limits).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from npvr import i18n
from npvr.cli._options import DbOpt, JsonOpt, LangOpt
from npvr.cli._render import emit_json, emit_table
from npvr.loop.bridge import OUTCOMES, STATES
from npvr.loop.models import ADJUSTMENT_KINDS, COUNTRIES, GROUPS, OBSTACLE_KINDS, OBSTACLE_STATUSES
from npvr.register.models import THEMES

UserOpt = Annotated[
    str | None,
    typer.Option("--user", help="Wie de wijziging doet (audit log); standaard $NPVR_USER of login."),
]
OutOpt = Annotated[Path, typer.Option("--out", help="Een .xlsx-bestand, of een map voor CSV-bestanden.")]
AllOpt = Annotated[
    bool, typer.Option("--alles", help="Exporteer alle bladen van de beleidscyclus, niet alleen deze.")
]
FileArg = Annotated[Path, typer.Argument(help="Een .xlsx-werkmap, .csv-bestand of map met .csv-bestanden.")]
CodeArg = Annotated[str, typer.Argument(help="De code van het record.")]
RegionOpt = Annotated[str | None, typer.Option("--regio", help="Alleen deze NPVR-regio.")]
ThemeOpt = Annotated[str | None, typer.Option("--thema", help=f"Alleen dit thema: {' | '.join(THEMES)}.")]
DateOpt = Annotated[
    str | None, typer.Option("--datum", help="Datum van deze stap (JJJJ-MM-DD); standaard vandaag.")
]
El = dict(
    a=typer.Option("--element-a", help="Art. 8(1)(a): de grensoverschrijdende interactie en haar context."),
    b=typer.Option("--element-b", help="Art. 8(1)(b): het probleem dat de belemmering veroorzaakt."),
    c=typer.Option("--element-c", help="Art. 8(1)(c): waarom de belemmering opgelost moet worden."),
    d=typer.Option(
        "--element-d", help="Art. 8(1)(d): het negatieve effect op de regio (indien beschikbaar)."
    ),
    e=typer.Option("--element-e", help="Art. 8(1)(e): het betrokken geografische gebied."),
    f=typer.Option("--element-f", help="Art. 8(1)(f): verwachte duur van een afwijking (indien bekend)."),
    g=typer.Option("--element-g", help="Art. 8(1)(g): elders ingediend dossier over dezelfde belemmering."),
)
TodayOpt = Annotated[
    str | None, typer.Option("--peildatum", help="Rekendatum voor de termijnen; standaard vandaag.")
]
ElA = Annotated[str | None, El["a"]]
ElB = Annotated[str | None, El["b"]]
ElC = Annotated[str | None, El["c"]]
ElD = Annotated[str | None, El["d"]]
ElE = Annotated[str | None, El["e"]]
ElF = Annotated[str | None, El["f"]]
ElG = Annotated[str | None, El["g"]]


def _lang(lang: str) -> str:
    return i18n.check_lang(lang)


def _t(lang: str, nl: str, en: str) -> str:
    return en if lang == "en" else nl


def _loop(db: str | None, user: str | None = None) -> Any:
    from npvr.loop import open_loop

    return open_loop(db, actor=user, origin="cli")


def _num(v: Any, lang: str, digits: int = 0) -> str:
    return i18n.fmt_num(v, lang, digits)


#: People's names of the table columns these commands show (Dutch, English); never a column key.
HEAD: dict[str, tuple[str, str]] = {
    "code": ("code", "code"),
    "scheme": ("regeling", "scheme"),
    "kind": ("soort", "kind"),
    "effective_from": ("vanaf", "from"),
    "regions": ("regio's", "regions"),
    "indicators": ("doelindicatoren", "target indicators"),
    "toets_after_file": ("toets ná", "toets after"),
    "version": ("versie", "version"),
    "region": ("regio", "region"),
    "theme": ("thema", "theme"),
    "title": ("titel", "title"),
    "worked": ("werkte", "worked"),
    "not_worked": ("werkte niet", "did not work"),
    "national_rule": ("landelijke regel", "national rule"),
    "country": ("land", "country"),
    "groups": ("groepen", "groups"),
    "status": ("status", "status"),
    "gemeenten": ("gemeenten", "gemeenten"),
    "people": ("inwoners", "inhabitants"),
    "seq": ("nr", "no"),
    "from_state": ("van", "from"),
    "to_state": ("naar", "to"),
    "step_date": ("datum", "date"),
    "note": ("toelichting", "note"),
    "label": ("termijn", "time limit"),
    "article": ("artikel", "article"),
    "from": ("vanaf", "from"),
    "months": ("maanden", "months"),
    "due": ("uiterlijk", "due"),
    "open": ("loopt", "open"),
    "overdue": ("over tijd", "overdue"),
    "verified": ("geverifieerd", "verified"),
    "gm_code": ("code", "code"),
    "naam": ("gemeente", "gemeente"),
    "provincie": ("provincie", "province"),
    "grenst_aan_belgie": ("grenst aan België", "borders Belgium"),
    "grenst_aan_duitsland": ("grenst aan Duitsland", "borders Germany"),
    "inwoners": ("inwoners", "inhabitants"),
    "rule": ("regel of praktijk", "rule or practice"),
    "rule_kind": ("soort", "kind"),
    "distance_km": ("afstand tot de grens (km)", "distance to the border (km)"),
    "grenstoets_file": ("grenseffectentoets", "border impact check"),
}


def _heads(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with people's column names in ``lang`` (:data:`HEAD`)."""
    k = 1 if lang == "en" else 0
    return df.rename(columns={c: HEAD[c][k] for c in df.columns if c in HEAD})


def _import(file: Path, db: str | None, user: str | None, as_json: bool, lang: str) -> None:
    from npvr.loop import import_file

    result = import_file(file, db, actor=user, origin="cli")
    if as_json:
        emit_json(result.to_dict())
        return
    counts = ", ".join(f"{n} {sheet}" for sheet, n in result.counts.items() if n)
    typer.echo(_t(lang, f"Geïmporteerd: {counts or 'niets'}", f"Imported: {counts or 'nothing'}"))


def _export(
    out: Path,
    sheets: tuple[str, ...],
    db: str | None,
    lang: str,
    frames: dict[str, pd.DataFrame] | None = None,
) -> None:
    from npvr.loop import write_workbook

    frames = frames if frames is not None else _loop(db).export_loop()
    chosen = {k: v for k, v in frames.items() if not sheets or k in sheets}
    path = write_workbook(chosen, out)
    typer.echo(_t(lang, f"Geëxporteerd naar {path}", f"Exported to {path}"))


def register(app: typer.Typer) -> None:
    """Add `npvr aanpassing`, `npvr les`, `npvr belemmering` and `npvr bridge` to the main app."""
    _adjustments(app)
    _lessons(app)
    _obstacles(app)
    _bridge(app)


# --- aanpassing ---------------------------------------------------------------------------------------


def _adjustments(app: typer.Typer) -> None:
    grp = typer.Typer(
        name="aanpassing",
        help="Aanpassingen van landelijke regelingen en sleutels: toets vóór en ná, en het effect.",
        no_args_is_help=True,
    )
    app.add_typer(grp)

    @grp.command("add")
    def add(
        code: CodeArg,
        scheme: Annotated[str, typer.Option("--regeling", help="De landelijke regeling of verdeelsleutel.")],
        kind: Annotated[
            str, typer.Option("--soort", help=f"Soort aanpassing: {' | '.join(ADJUSTMENT_KINDS)}.")
        ],
        change: Annotated[str, typer.Option("--wijziging", help="Wat er veranderde.")],
        effective_from: Annotated[str, typer.Option("--vanaf", help="Datum vanaf wanneer (JJJJ-MM-DD).")],
        regions: Annotated[
            list[str] | None, typer.Option("--regio", help="NPVR-regio (herhaal); leeg = alle NPVR-regio's.")
        ] = None,
        indicators: Annotated[
            list[str] | None, typer.Option("--indicator", help="Doelindicator uit de catalogus (herhaal).")
        ] = None,
        toets_before: Annotated[
            Path | None, typer.Option("--toets-voor", help="Beleidsbestand van de toets vóór de aanpassing.")
        ] = None,
        toets_after: Annotated[
            Path | None, typer.Option("--toets-na", help="Beleidsbestand van de toets ná de aanpassing.")
        ] = None,
        note: Annotated[str | None, typer.Option("--toelichting", help="Vrije toelichting.")] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Leg een aanpassing vast; met --toets-voor en --toets-na draait de uitvoeringstoets op beide."""
        _lang(lang)
        rec = _loop(db, user).add_adjustment(
            code,
            scheme=scheme,
            kind=kind,
            change=change,
            effective_from=effective_from,
            regions=regions or [],
            indicators=indicators or [],
            toets_before=toets_before,
            toets_after=toets_after,
            note=note,
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(
            _t(lang, f"Aanpassing {code} vastgelegd (versie {rec['version']}).", f"Adjustment {code} saved.")
        )

    @grp.command("list")
    def list_(db: DbOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """Alle aanpassingen: regeling, soort, vanaf, regio's, doelindicatoren."""
        _lang(lang)
        df = _loop(db).adjustments()
        if as_json:
            emit_json(df)
            return
        emit_table(_heads(df, lang), title=_t(lang, "Aanpassingen", "Adjustments"))

    @grp.command("show")
    def show(code: CodeArg, db: DbOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """Eén aanpassing, met de euro's per regio in de toets vóór en ná de aanpassing."""
        _lang(lang)
        rec = _loop(db).get_adjustment(code)
        if as_json:
            emit_json(rec)
            return
        labels = {
            "scheme": ("regeling", "scheme"),
            "kind": ("soort", "kind"),
            "change": ("wijziging", "change"),
            "effective_from": ("vanaf", "from"),
            "regions": ("regio's", "regions"),
            "indicators": ("doelindicatoren", "target indicators"),
            "note": ("toelichting", "note"),
            "version": ("versie", "version"),
        }
        for key, (nl, en) in labels.items():
            v = rec.get(key)
            v = ", ".join(v) if isinstance(v, list) else v
            if key == "regions" and not v:
                v = _t(lang, "alle NPVR-regio's", "all NPVR regions")
            typer.echo(f"{_t(lang, nl, en)}: {'' if v is None else v}")
        res = rec.get("toets_result")
        if not res:
            typer.echo(_t(lang, "Geen toets vastgelegd.", "No toets recorded."))
            return
        typer.echo(
            _t(
                lang,
                f"Toets vóór: {res['before']} ({rec['toets_before_file']}); ná: {res['after']} "
                f"({rec['toets_after_file']}); gedraaid {res['run_at']}",
                f"Toets before: {res['before']}; after: {res['after']}; run {res['run_at']}",
            )
        )
        regions = pd.DataFrame(res["regions"])
        cols = [c for c in regions.columns if c.startswith(("euro", "verschil", "impact"))]
        shown = regions[["naam", *cols]].copy()
        for c in cols:
            shown[c] = [_num(v, lang, 2 if "per_inwoner" in c or "impact" in c else 0) for v in shown[c]]
        head = {
            "euro_A": _t(lang, "euro vóór", "euro before"),
            "euro_B": _t(lang, "euro ná", "euro after"),
            "euro_per_inwoner_A": _t(lang, "per inwoner vóór", "per inhabitant before"),
            "euro_per_inwoner_B": _t(lang, "per inwoner ná", "per inhabitant after"),
            "verschil_euro": _t(lang, "verschil", "difference"),
            "verschil_euro_per_inwoner": _t(lang, "verschil per inwoner", "difference per inhabitant"),
            "naam": _t(lang, "regio", "region"),
        }
        emit_table(
            shown.rename(columns=head), title=_t(lang, "Euro's per regio vóór en ná", "Euros per region")
        )

    @grp.command("effect")
    def effect(
        code: CodeArg,
        k: Annotated[
            int, typer.Option("--k", help="Aantal vergelijkbare gemeenten per behandelde gemeente.")
        ] = 3,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Effectpaneel: per doelindicator vóór en ná, regio's tegen vergelijkbare gemeenten (DiD)."""
        _lang(lang)
        panel = _loop(db).adjustment_effect(code, k=k, lang=lang)
        if as_json:
            emit_json(panel.to_dict())
            return
        m = panel.meta
        typer.echo(
            _t(
                lang,
                f"Aanpassing {code}, vanaf {m['effective_from']}: {m['n_treated']} gemeenten in "
                f"{', '.join(m['regions'])} tegen telkens {m['k']} vergelijkbare gemeenten "
                f"(gematcht op {m['n_variables']} basiswaarden).",
                f"Adjustment {code}, from {m['effective_from']}: {m['n_treated']} gemeenten in "
                f"{', '.join(m['regions'])} against {m['k']} comparable gemeenten each "
                f"({m['n_variables']} baseline values matched).",
            )
        )
        t = panel.table
        view = pd.DataFrame(
            {
                _t(lang, "indicator", "indicator"): t["label"],
                _t(lang, "basisjaar", "baseline"): t.get("baseline_period"),
                "NPVR": [_num(v, lang, 2) for v in t.get("baseline_npvr", [])],
                _t(lang, "vergelijking", "matched"): [
                    _num(v, lang, 2) for v in t.get("baseline_matched", [])
                ],
                _t(lang, "placebo-DiD", "placebo DiD"): [_num(v, lang, 3) for v in t.get("placebo_did", [])],
                "DiD": [_num(v, lang, 3) for v in t.get("did", [])],
                _t(lang, "eerste meting", "first measurement"): t["first_measurement"],
            }
        )
        emit_table(view, title=_t(lang, "Effectpaneel", "Effect panel"))
        for row in t.itertuples():
            typer.echo(f"- {row.label}: {row.statement} {_t(lang, 'Bron', 'Source')}: {row.source}.")

    @grp.command("import")
    def import_(
        file: FileArg, db: DbOpt = None, user: UserOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
    ) -> None:
        """Importeer een werkmap van de beleidscyclus: eerst alles gecontroleerd; alles of niets."""
        _import(file, db, user, as_json, _lang(lang))

    @grp.command("export")
    def export(
        out: OutOpt = Path("npvr-aanpassingen.xlsx"),
        all_sheets: AllOpt = False,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Exporteer de aanpassingen (zelfde formaat als import)."""
        _export(out, () if all_sheets else ("aanpassingen",), db, _lang(lang))


# --- les -------------------------------------------------------------------------------------------------


def _lessons(app: typer.Typer) -> None:
    grp = typer.Typer(
        name="les",
        help="Lessenlog per regio en thema: wat werkte, wat niet, welke regel in de weg zat.",
        no_args_is_help=True,
    )
    app.add_typer(grp)

    @grp.command("add")
    def add(
        code: CodeArg,
        region: Annotated[str, typer.Option("--regio", help="NPVR-regio-id.")],
        theme: Annotated[str, typer.Option("--thema", help=f"Thema: {' | '.join(THEMES)}.")],
        title: Annotated[str, typer.Option("--titel", help="Korte titel.")],
        tried: Annotated[str | None, typer.Option("--geprobeerd", help="Wat is geprobeerd.")] = None,
        worked: Annotated[str | None, typer.Option("--werkte", help="Wat werkte.")] = None,
        not_worked: Annotated[str | None, typer.Option("--werkte-niet", help="Wat niet werkte.")] = None,
        rule: Annotated[
            str | None, typer.Option("--landelijke-regel", help="Welke landelijke regel in de weg zat.")
        ] = None,
        adjustment: Annotated[
            str | None, typer.Option("--aanpassing", help="Code van een aanpassing.")
        ] = None,
        plan: Annotated[str | None, typer.Option("--plan", help="Code van een plan in het register.")] = None,
        day: Annotated[
            str | None, typer.Option("--datum", help="Datum (JJJJ-MM-DD); standaard vandaag.")
        ] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Leg een les vast."""
        _lang(lang)
        rec = _loop(db, user).add_lesson(
            code,
            region=region,
            theme=theme,
            title=title,
            tried=tried,
            worked=worked,
            not_worked=not_worked,
            national_rule=rule,
            adjustment=adjustment,
            plan=plan,
            recorded_on=day,
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(_t(lang, f"Les {code} vastgelegd.", f"Lesson {code} saved."))

    def _show(df: pd.DataFrame, as_json: bool, lang: str) -> None:
        if as_json:
            emit_json(df)
            return
        cols = ["code", "region", "theme", "title", "worked", "not_worked", "national_rule"]
        emit_table(_heads(df[cols], lang), title=_t(lang, f"Lessen ({len(df)})", f"Lessons ({len(df)})"))

    @grp.command("list")
    def list_(
        region: RegionOpt = None,
        theme: ThemeOpt = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Lessen, eventueel van één regio of thema."""
        _show(_loop(db).lessons(region=region, theme=theme), as_json, _lang(lang))

    @grp.command("search")
    def search(
        text: Annotated[
            str, typer.Argument(help="Tekst om te zoeken (titel, geprobeerd, werkte, niet, regel).")
        ],
        region: RegionOpt = None,
        theme: ThemeOpt = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Zoek lessen op tekst, thema en regio."""
        _show(_loop(db).lessons(text=text, region=region, theme=theme), as_json, _lang(lang))

    @grp.command("export")
    def export(
        out: OutOpt = Path("npvr-lessen.xlsx"),
        region: RegionOpt = None,
        theme: ThemeOpt = None,
        text: Annotated[str | None, typer.Option("--tekst", help="Alleen lessen met deze tekst.")] = None,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Exporteer (een selectie van) de lessen als werkmap of CSV (zelfde formaat als import)."""
        frames = _loop(db).export_lessons(text=text, region=region, theme=theme)
        _export(out, ("lessen",), db, _lang(lang), frames)

    @grp.command("import")
    def import_(
        file: FileArg, db: DbOpt = None, user: UserOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
    ) -> None:
        """Importeer lessen (of een hele werkmap van de beleidscyclus); alles of niets."""
        _import(file, db, user, as_json, _lang(lang))


# --- belemmering -------------------------------------------------------------------------------------------


def _obstacles(app: typer.Typer) -> None:
    grp = typer.Typer(
        name="belemmering",
        help="Register van grensbelemmeringen met België en Duitsland.",
        no_args_is_help=True,
    )
    app.add_typer(grp)

    @grp.command("add")
    def add(
        code: CodeArg,
        title: Annotated[str, typer.Option("--titel", help="Korte titel.")],
        rule: Annotated[str, typer.Option("--regel", help="De regel of praktijk die belemmert.")],
        country: Annotated[str, typer.Option("--land", help=f"Buurland: {' | '.join(COUNTRIES)}.")],
        kind: Annotated[str, typer.Option("--soort", help=f"{' | '.join(OBSTACLE_KINDS)}.")] = "regel",
        groups: Annotated[
            list[str] | None, typer.Option("--groep", help=f"Geraakte groep (herhaal): {' | '.join(GROUPS)}.")
        ] = None,
        gemeenten: Annotated[
            list[str] | None,
            typer.Option("--gemeente", help="GM-code (herhaal); leeg = grensgemeenten binnen --afstand."),
        ] = None,
        distance: Annotated[
            int,
            typer.Option(
                "--afstand",
                help="Km tot de landgrens voor de standaardgemeenten (0 = alleen grensgemeenten).",
            ),
        ] = 0,
        status: Annotated[
            str, typer.Option("--status", help=f"{' | '.join(OBSTACLE_STATUSES)}.")
        ] = "gesignaleerd",
        grenstoets: Annotated[
            Path | None,
            typer.Option(
                "--grenstoets", help="Het formulier van de grenseffectentoets die is gedaan (YAML)."
            ),
        ] = None,
        note: Annotated[str | None, typer.Option("--toelichting", help="Vrije toelichting.")] = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Leg een grensbelemmering vast; inwoners uit de blootstellingscijfers van de grenstoets."""
        _lang(lang)
        rec = _loop(db, user).add_obstacle(
            code,
            title=title,
            rule=rule,
            rule_kind=kind,
            country=country,
            groups=groups or [],
            gemeenten=gemeenten or None,
            distance_km=distance,
            status=status,
            grenstoets=grenstoets,
            note=note,
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(
            _t(
                lang,
                f"Belemmering {code} vastgelegd: {len(rec['gemeenten'])} gemeenten, "
                f"{_num(rec['people'], lang)} inwoners ({rec['people_basis']}).",
                f"Obstacle {code} saved: {len(rec['gemeenten'])} gemeenten, "
                f"{_num(rec['people'], lang)} inhabitants ({rec['people_basis']}).",
            )
        )

    @grp.command("list")
    def list_(
        country: Annotated[str | None, typer.Option("--land", help="Alleen dit buurland.")] = None,
        status: Annotated[str | None, typer.Option("--status", help="Alleen deze status.")] = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Alle grensbelemmeringen: land, groepen, aantal gemeenten en inwoners, status."""
        _lang(lang)
        df = _loop(db).obstacles(country=country, status=status)
        if as_json:
            emit_json(df)
            return
        view = df[["code", "title", "country", "groups", "status"]].copy()
        view["gemeenten"] = [len(g) for g in df["gemeenten"]]
        view["people"] = [_num(p, lang) for p in df["people"]]
        view = _heads(view, lang)
        emit_table(view, title=_t(lang, "Grensbelemmeringen", "Border obstacles"))

    @grp.command("show")
    def show(code: CodeArg, db: DbOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """Eén grensbelemmering met de betrokken gemeenten en hun inwoners."""
        from npvr.loop.obstacles import exposure_table

        _lang(lang)
        rec = _loop(db).get_obstacle(code)
        table = exposure_table(rec["gemeenten"])
        if as_json:
            emit_json({**rec, "gemeenten_tabel": table})
            return
        for key in (
            "title",
            "rule",
            "rule_kind",
            "country",
            "groups",
            "status",
            "distance_km",
            "grenstoets_file",
            "note",
        ):
            v = rec.get(key)
            label = HEAD[key][1 if lang == "en" else 0]
            typer.echo(f"{label}: {', '.join(v) if isinstance(v, list) else ('' if v is None else v)}")
        typer.echo(
            _t(
                lang,
                f"Inwoners: {_num(rec['people'], lang)} ({rec['people_basis']})",
                f"Inhabitants: {_num(rec['people'], lang)} ({rec['people_basis']})",
            )
        )
        table["inwoners"] = [_num(v, lang) for v in table["inwoners"]]
        for col in ("grenst_aan_belgie", "grenst_aan_duitsland"):
            table[col] = [i18n.yes_no(v, lang) for v in table[col]]
        emit_table(_heads(table, lang), title=_t(lang, "Betrokken gemeenten", "Gemeenten concerned"))

    @grp.command("status")
    def status_(
        code: CodeArg,
        status: Annotated[str, typer.Argument(help=f"Nieuwe status: {' | '.join(OBSTACLE_STATUSES)}.")],
        db: DbOpt = None,
        user: UserOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Zet de status van een grensbelemmering."""
        rec = _loop(db, user).set_obstacle_status(code, status)
        typer.echo(_t(_lang(lang), f"{code}: status {rec['status']}.", f"{code}: status {rec['status']}."))

    @grp.command("import")
    def import_(
        file: FileArg, db: DbOpt = None, user: UserOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
    ) -> None:
        """Importeer grensbelemmeringen (of een hele werkmap van de beleidscyclus); alles of niets."""
        _import(file, db, user, as_json, _lang(lang))

    @grp.command("export")
    def export(
        out: OutOpt = Path("npvr-belemmeringen.xlsx"),
        all_sheets: AllOpt = False,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Exporteer de grensbelemmeringen (zelfde formaat als import)."""
        _export(out, () if all_sheets else ("belemmeringen",), db, _lang(lang))


# --- bridge ----------------------------------------------------------------------------------------------


def _bridge(app: typer.Typer) -> None:
    grp = typer.Typer(
        name="bridge",
        help="BRIDGEforEU-dossiers (Verordening (EU) 2025/925): stappen, termijnen en wat over tijd is.",
        no_args_is_help=True,
    )
    app.add_typer(grp)

    @grp.command("new")
    def new(
        code: CodeArg,
        title: Annotated[str, typer.Option("--titel", help="Korte titel.")],
        initiator: Annotated[
            str, typer.Option("--initiatiefnemer", help="De initiatiefnemer (geen natuurlijk persoon).")
        ],
        point: Annotated[
            str | None, typer.Option("--coordinatiepunt", help="Het grenscoördinatiepunt.")
        ] = None,
        obstacle: Annotated[
            str | None, typer.Option("--belemmering", help="Code van de grensbelemmering.")
        ] = None,
        a: ElA = None,
        b: ElB = None,
        c: ElC = None,
        d: ElD = None,
        e: ElE = None,
        f: ElF = None,
        g: ElG = None,
        day: DateOpt = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Open een dossier (stap 'concept') met de elementen van art. 8, lid 1."""
        _lang(lang)
        els = {k: v for k, v in dict(a=a, b=b, c=c, d=d, e=e, f=f, g=g).items() if v is not None}
        rec = _loop(db, user).bridge_new(
            code,
            title=title,
            initiator=initiator,
            coordination_point=point,
            obstacle=obstacle,
            elements=els,
            on=day or dt.date.today(),
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(_t(lang, f"Dossier {code} geopend (concept).", f"File {code} opened (concept)."))

    @grp.command("step")
    def step(
        code: CodeArg,
        to: Annotated[str, typer.Argument(help=f"De volgende stap: {' | '.join(STATES)}.")],
        day: DateOpt = None,
        reasons: Annotated[
            str | None, typer.Option("--redenen", help="Redenen (verplicht bij sluiten en afronden).")
        ] = None,
        outcome: Annotated[
            str | None, typer.Option("--uitkomst", help=f"Bij 'afgerond': {' | '.join(OUTCOMES)}.")
        ] = None,
        months: Annotated[
            int | None,
            typer.Option("--termijn-maanden", help="Nationale termijn voor rechtsbescherming (maanden)."),
        ] = None,
        note: Annotated[str | None, typer.Option("--toelichting", help="Toelichting bij deze stap.")] = None,
        a: ElA = None,
        b: ElB = None,
        c: ElC = None,
        d: ElD = None,
        e: ElE = None,
        f: ElF = None,
        g: ElG = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Zet een dossier een stap verder; een stap die de verordening niet toestaat wordt geweigerd."""
        _lang(lang)
        els = {k: v for k, v in dict(a=a, b=b, c=c, d=d, e=e, f=f, g=g).items() if v is not None}
        rec = _loop(db, user).bridge_step(
            code,
            to,
            on=day or dt.date.today(),
            note=note,
            reasons=reasons,
            outcome=outcome,
            redress_months=months,
            elements=els,
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(
            _t(
                lang,
                f"Dossier {code}: {STATES[to].label_nl} ({STATES[to].article}).",
                f"File {code}: {STATES[to].label_en} ({STATES[to].article}).",
            )
        )

    grp.command("advance", help="Zelfde als 'step': zet een dossier een stap verder.")(step)

    @grp.command("edit")
    def edit(
        code: CodeArg,
        title: Annotated[str | None, typer.Option("--titel", help="Nieuwe titel.")] = None,
        point: Annotated[
            str | None, typer.Option("--coordinatiepunt", help="Het grenscoördinatiepunt.")
        ] = None,
        obstacle: Annotated[
            str | None, typer.Option("--belemmering", help="Code van de grensbelemmering.")
        ] = None,
        a: ElA = None,
        b: ElB = None,
        c: ElC = None,
        d: ElD = None,
        e: ElE = None,
        f: ElF = None,
        g: ElG = None,
        db: DbOpt = None,
        user: UserOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Vul elementen of gegevens van een dossier aan zonder het een stap verder te zetten."""
        _lang(lang)
        els = {k: v for k, v in dict(a=a, b=b, c=c, d=d, e=e, f=f, g=g).items() if v is not None}
        rec = _loop(db, user).bridge_edit(
            code, elements=els, title=title, coordination_point=point, obstacle=obstacle
        )
        if as_json:
            emit_json(rec)
            return
        typer.echo(_t(lang, f"Dossier {code} bijgewerkt (versie {rec['version']}).", f"File {code} updated."))

    @grp.command("list")
    def list_(
        today: TodayOpt = None, db: DbOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
    ) -> None:
        """Alle dossiers met hun stap, lopende termijnen en een vlag voor wat over tijd is."""
        from npvr.loop.bridge import as_date

        _lang(lang)
        files = _loop(db).bridge_files(today=as_date(today) if today else None)
        if as_json:
            emit_json(files)
            return
        rows = []
        for fl in files:
            open_ = [x for x in fl["deadlines"] if x["open"]]
            dated = [x for x in open_ if x["due"] is not None]
            nxt = min(dated, key=lambda x: x["due"]) if dated else (open_[0] if open_ else None)
            rows.append(
                {
                    "code": fl["code"],
                    _t(lang, "titel", "title"): fl["title"],
                    _t(lang, "stap", "state"): fl["state"],
                    _t(lang, "sinds", "since"): fl["state_since"],
                    _t(lang, "termijn", "time limit"): (
                        f"{nxt['label_nl' if lang == 'nl' else 'label_en']} ({nxt['article']})"
                    )
                    if nxt
                    else "",
                    _t(lang, "uiterlijk", "due"): (
                        nxt["due"] or _t(lang, "geen termijn bekend", "no time limit known")
                    )
                    if nxt
                    else "",
                    _t(lang, "over tijd", "overdue"): _t(lang, "JA", "YES") if fl["overdue"] else "",
                }
            )
        emit_table(pd.DataFrame(rows), title=_t(lang, "BRIDGEforEU-dossiers", "BRIDGEforEU files"))

    @grp.command("show")
    def show(
        code: CodeArg,
        today: TodayOpt = None,
        db: DbOpt = None,
        as_json: JsonOpt = False,
        lang: LangOpt = "nl",
    ) -> None:
        """Eén dossier: elementen, stappen en alle termijnen met hun artikel en of ze geverifieerd zijn."""
        from npvr.loop.bridge import ELEMENTS, as_date

        _lang(lang)
        rec = _loop(db).get_bridge_file(code, today=as_date(today) if today else None)
        if as_json:
            emit_json(rec)
            return
        st = STATES[rec["state"]]
        typer.echo(f"{rec['code']}: {rec['title']} — {_t(lang, st.label_nl, st.label_en)} ({st.article})")
        for col, nl, en, req in ELEMENTS:
            flag = "" if rec.get(col) or not req else _t(lang, " [ontbreekt]", " [missing]")
            typer.echo(f"  8(1)({col[-1]}) {_t(lang, nl, en)}{flag}: {rec.get(col) or ''}")
        steps = pd.DataFrame(rec["steps"]).drop(columns=["file"]).fillna("")
        emit_table(_heads(steps, lang), title=_t(lang, "Stappen", "Steps"))
        dl = pd.DataFrame(rec["deadlines"])
        if len(dl):
            dl["label"] = dl["label_en" if lang == "en" else "label_nl"]
            dl = dl[["label", "article", "from", "months", "due", "open", "overdue", "verified"]].copy()
            dl["months"] = ["" if m is None or m != m else str(int(m)) for m in dl["months"]]
            dl["due"] = [d or _t(lang, "geen termijn bekend", "no time limit known") for d in dl["due"]]
            for col in ("open", "overdue", "verified"):
                dl[col] = [i18n.yes_no(v, lang) for v in dl[col]]
            emit_table(_heads(dl, lang), title=_t(lang, "Termijnen", "Time limits"))
        typer.echo(
            _t(
                lang,
                f"Volgende stappen: {', '.join(st.next) or 'geen'}",
                f"Next steps: {', '.join(st.next) or 'none'}",
            )
        )

    @grp.command("termijnen")
    def deadlines(as_json: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """De termijnen uit het databestand, met artikel, aantal maanden en of ze geverifieerd zijn."""
        from npvr.loop.bridge import DEADLINES_FILE, load_deadlines

        _lang(lang)
        rules = load_deadlines()
        if as_json:
            emit_json(rules.model_dump())
            return
        rows = [
            {
                "id": x.id,
                _t(lang, "termijn", "time limit"): _t(lang, x.label_nl, x.label_en),
                "artikel": x.article,
                _t(lang, "maanden", "months"): x.months
                if x.months is not None
                else _t(lang, "onbekend", "unknown"),
                _t(lang, "geverifieerd", "verified"): _t(lang, "ja", "yes")
                if x.verified
                else _t(lang, "NEE", "NO"),
            }
            for x in rules.deadlines
        ]
        emit_table(pd.DataFrame(rows), title=f"{rules.regulation} — {DEADLINES_FILE.name}")

    @grp.command("import")
    def import_(
        file: FileArg, db: DbOpt = None, user: UserOpt = None, as_json: JsonOpt = False, lang: LangOpt = "nl"
    ) -> None:
        """Importeer dossiers met hun stappen (of een hele werkmap van de beleidscyclus); alles of niets."""
        _import(file, db, user, as_json, _lang(lang))

    @grp.command("export")
    def export(
        out: OutOpt = Path("npvr-bridge.xlsx"),
        all_sheets: AllOpt = False,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Exporteer de dossiers en hun stappen (zelfde formaat als import)."""
        _export(out, () if all_sheets else ("bridge_dossiers", "bridge_stappen"), db, _lang(lang))
