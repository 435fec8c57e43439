"""Pages and JSON twins for the policy loop (:mod:`npvr.loop`): adjustments with the toets before
and after and their effect panel, lessons (searchable), border obstacles and BRIDGEforEU files
with their time limits and overdue flags. Read-only here; changes go through the CLI or a workbook
import (``npvr aanpassing import``), so every write keeps one validated path.

Like the register, these pages need a logged-in user. Routes only parse, call the library, render.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from npvr.errors import DataError, NpvrError
from npvr.loop import LoopService, overdue_files
from npvr.loop.bridge import ELEMENTS, STATES, as_date, load_deadlines
from npvr.register.models import THEMES
from npvr.web import access, views
from npvr.web import register as reg
from npvr.web.api import User
from npvr.web.app import NotFound, html, lang_of

#: The interface texts of these pages (Dutch, English).
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Beleidscyclus", "Policy loop"),
    "intro": (
        "Aanpassingen van landelijke regelingen en wat ze deden, lessen van de regio's, "
        "grensbelemmeringen en BRIDGEforEU-dossiers (Verordening (EU) 2025/925).",
        "Adjustments of national schemes and what they did, lessons of the regions, border obstacles "
        "and BRIDGEforEU files (Regulation (EU) 2025/925).",
    ),
    "adjustments": ("Aanpassingen", "Adjustments"),
    "lessons": ("Lessen", "Lessons"),
    "obstacles": ("Grensbelemmeringen", "Border obstacles"),
    "files": ("BRIDGEforEU-dossiers", "BRIDGEforEU files"),
    "code": ("Code", "Code"),
    "scheme": ("Regeling", "Scheme"),
    "kind": ("Soort", "Kind"),
    "from": ("Vanaf", "From"),
    "regions": ("Regio's", "Regions"),
    "all_regions": ("alle NPVR-regio's", "all NPVR regions"),
    "indicators": ("Doelindicatoren", "Target indicators"),
    "search": ("Zoeken", "Search"),
    "text": ("Tekst", "Text"),
    "theme": ("Thema", "Theme"),
    "region": ("Regio", "Region"),
    "any": ("alle", "all"),
    "title_col": ("Titel", "Title"),
    "worked": ("Werkte", "Worked"),
    "not_worked": ("Werkte niet", "Did not work"),
    "rule": ("Landelijke regel", "National rule"),
    "country": ("Land", "Country"),
    "groups": ("Groepen", "Groups"),
    "gemeenten": ("Gemeenten", "Gemeenten"),
    "people": ("Inwoners (blootgesteld)", "Inhabitants (exposed)"),
    "status": ("Status", "Status"),
    "state": ("Stap", "Step"),
    "since": ("Sinds", "Since"),
    "next_limit": ("Eerstvolgende termijn", "Next time limit"),
    "due": ("Uiterlijk", "Due"),
    "overdue": ("Over tijd", "Overdue"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "no_limit": ("geen termijn bekend", "no time limit known"),
    "none": ("Nog niets vastgelegd.", "Nothing recorded yet."),
    "toets": ("De toets vóór en ná de aanpassing", "The toets before and after the adjustment"),
    "before": ("vóór", "before"),
    "after": ("ná", "after"),
    "difference": ("verschil", "difference"),
    "per_inw": ("per inwoner", "per inhabitant"),
    "no_toets": (
        "Bij deze aanpassing is geen toets vastgelegd.",
        "No toets was recorded with this adjustment.",
    ),
    "effect": ("Effectpaneel", "Effect panel"),
    "effect_intro": (
        "{n} gemeenten in {regions} tegenover telkens {k} vergelijkbare gemeenten (gematcht op {v} "
        "basiswaarden; verschil-in-verschillen van de effectmonitor). Startjaar {start} is overgangsjaar.",
        "{n} gemeenten in {regions} against {k} comparable gemeenten each ({v} baseline values matched; "
        "the effect monitor's difference-in-differences). Start year {start} is the transition year.",
    ),
    "baseline": ("Basisjaar", "Baseline"),
    "npvr": ("Regio's", "Regions"),
    "matched": ("Vergelijking", "Comparison"),
    "placebo": ("Placebo-DiD", "Placebo DiD"),
    "did": ("DiD", "DiD"),
    "first": ("Eerste meting", "First measurement"),
    "elements": ("Elementen (art. 8, lid 1)", "Elements (Art. 8(1))"),
    "missing": ("ontbreekt", "missing"),
    "steps": ("Stappen", "Steps"),
    "limits": ("Termijnen", "Time limits"),
    "article": ("Artikel", "Article"),
    "months": ("Maanden", "Months"),
    "verified": ("Geverifieerd in de tekst", "Verified in the text"),
    "next_steps": ("Volgende stappen", "Next steps"),
    "changes_note": (
        "Wijzigen gaat via de opdrachtregel of een werkmap: npvr aanpassing|les|belemmering|bridge import.",
        "Changes go through the command line or a workbook: npvr aanpassing|les|belemmering|bridge import.",
    ),
}


def lt(key: str, lang: str = "nl", **fmt: Any) -> str:
    text = TEXTS[key][1 if lang == "en" else 0]
    return text.format(**fmt) if fmt else text


def service(request: Request, user: Any) -> LoopService:
    """A loop service for one request (engine cached per URL; schema checked at app start)."""
    return LoopService(
        request.app.state.npvr.url,
        actor=user.username if user else "anoniem",
        reference=reg.reference(),
        check_schema=False,
        origin="web",
    )


def _found(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the library; an unknown code becomes a 404."""
    try:
        return call(*args, **kwargs)
    except DataError as exc:
        if exc.field == "code":
            raise NotFound(exc.message, en=exc.message_en, field="code") from exc
        raise


def _today(v: str | None) -> dt.date | None:
    return as_date(v) if v else None


# --- the library calls, shared by the JSON twins and the pages ---------------------------------------


def overview(
    svc: LoopService, *, q: str | None, theme: str | None, region: str | None, today: dt.date | None
) -> dict[str, Any]:
    files = svc.bridge_files(today=today)
    return {
        "adjustments": views.records(svc.adjustments()),
        "lessons": views.records(svc.lessons(text=q or None, theme=theme or None, region=region or None)),
        "obstacles": views.records(svc.obstacles()),
        "files": views.jsonable(files),
        "overdue": views.jsonable(overdue_files(files, today=today)),
    }


def adjustment(svc: LoopService, code: str, *, lang: str, with_effect: bool = True) -> dict[str, Any]:
    rec = _found(svc.get_adjustment, code)
    out: dict[str, Any] = {"adjustment": views.jsonable(rec), "effect": None, "effect_error": None}
    if with_effect and rec["indicators"]:
        try:
            out["effect"] = views.jsonable(svc.adjustment_effect(code, lang=lang).to_dict())
        except NpvrError as exc:  # e.g. no baseline to match on: shown beside the adjustment
            out["effect_error"] = exc.render(lang)
    return out


# --- JSON twins -------------------------------------------------------------------------------------------

api = APIRouter(prefix="/api/loop", tags=["loop"])


@api.get("", summary="Adjustments, lessons (filtered), obstacles, BRIDGEforEU files with overdue flags")
def api_overview(
    request: Request,
    user: User,
    q: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    today: str | None = None,
) -> dict[str, Any]:
    access.require_login(user)
    return overview(service(request, user), q=q, theme=theme, region=region, today=_today(today))


@api.get("/adjustments/{code}", summary="One adjustment with its toets before/after and effect panel")
def api_adjustment(
    request: Request, code: str, user: User, effect: Annotated[bool, Query()] = True
) -> dict[str, Any]:
    access.require_login(user)
    return adjustment(service(request, user), code, lang=lang_of(request), with_effect=effect)


@api.get("/bridge/overdue", summary="BRIDGEforEU files past a time limit (npvr.loop.overdue_files)")
def api_overdue(request: Request, user: User, today: str | None = None) -> Any:
    access.require_login(user)
    svc = service(request, user)
    return views.jsonable(overdue_files(svc.bridge_files(today=_today(today)), today=_today(today)))


@api.get("/bridge/{code}", summary="One BRIDGEforEU file with its steps and time limits")
def api_bridge(request: Request, code: str, user: User, today: str | None = None) -> Any:
    access.require_login(user)
    return views.jsonable(_found(service(request, user).get_bridge_file, code, today=_today(today)))


# --- pages ------------------------------------------------------------------------------------------------

pages = APIRouter(include_in_schema=False)


def _page(request: Request, template: str, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    return html(request, template, lt=lambda _key, **f: lt(_key, lang, **f), **ctx)


def _login(request: Request) -> Any:
    user = request.app.state.npvr.current_user(request)
    if user is None:
        raise access.LoginRequired(
            "log eerst in om de beleidscyclus te zien", en="log in to see the policy loop"
        )
    return user


@pages.get("/beleidscyclus", response_class=HTMLResponse)
def page_overview(
    request: Request,
    q: str | None = None,
    theme: str | None = None,
    region: str | None = None,
    today: str | None = None,
) -> HTMLResponse:
    user = _login(request)
    data = overview(service(request, user), q=q, theme=theme, region=region, today=_today(today))
    return _page(
        request,
        "loop.html.j2",
        title=lt("title", lang_of(request)),
        data=data,
        q=q or "",
        theme=theme or "",
        region=region or "",
        themes=list(THEMES),
        regions=sorted(reg.reference().regions),
    )


@pages.get("/beleidscyclus/aanpassing/{code}", response_class=HTMLResponse)
def page_adjustment(request: Request, code: str) -> HTMLResponse:
    user = _login(request)
    lang = lang_of(request)
    data = adjustment(service(request, user), code, lang=lang)
    return _page(request, "loop_adjustment.html.j2", title=f"{lt('adjustments', lang)} {code}", data=data)


@pages.get("/beleidscyclus/bridge/{code}", response_class=HTMLResponse)
def page_bridge(request: Request, code: str, today: str | None = None) -> HTMLResponse:
    user = _login(request)
    f = views.jsonable(_found(service(request, user).get_bridge_file, code, today=_today(today)))
    st = STATES[f["state"]]
    return _page(
        request,
        "loop_bridge.html.j2",
        title=f"BRIDGEforEU {code}",
        f=f,
        state=st,
        elements=ELEMENTS,
        rules=load_deadlines(),
    )


router = APIRouter()
router.include_router(api)
router.include_router(pages)
