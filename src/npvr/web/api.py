"""The JSON twins under ``/api``: each returns what the library returns (via :mod:`npvr.web.views`
and :mod:`npvr.web.register`), errors in the one shape of :meth:`npvr.errors.NpvrError.to_dict`.

State-changing calls need the session cookie and its CSRF token in the ``X-CSRF-Token`` header
(``GET /api/session`` hands it out; ``POST /api/login`` logs in).
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from npvr.errors import NpvrError
from npvr.register.io import read_exchange, write_exchange
from npvr.web import access, views
from npvr.web import register as reg
from npvr.web import toets as toets_mod
from npvr.web.app import State, check_csrf, csrf_token, lang_of
from npvr.web.users import Account

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    for code, text in (
        (401, "not logged in"),
        (403, "forbidden or CSRF token missing"),
        (404, "not found"),
        (409, "conflict: changed meanwhile"),
        (413, "too large"),
        (422, "invalid input"),
        (429, "too many failed logins"),
    )
}


class Error(BaseModel):
    """The one error shape (NpvrError.to_dict)."""

    error: str
    message: str
    message_en: str | None = None
    file: str | None = None
    line: int | None = None
    field: str | None = None
    problems: list[dict[str, Any]] | None = None


router = APIRouter(prefix="/api", responses=ERRORS)  # type: ignore[arg-type]


def _state(request: Request) -> State:
    return request.app.state.npvr  # type: ignore[no-any-return]


def user_of(request: Request) -> Account | None:
    return _state(request).current_user(request)


def lang_dep(request: Request) -> str:
    return lang_of(request)


User = Annotated[Account | None, Depends(user_of)]
Lang = Annotated[str, Depends(lang_dep)]
Csrf = Annotated[str | None, Header(alias="X-CSRF-Token", description="the session's CSRF token")]


def _mutating(request: Request, token: str | None) -> None:
    check_csrf(request, token)


# --- session -----------------------------------------------------------------------------------------


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


@router.get("/session", summary="Who is logged in, and the CSRF token for state-changing calls")
def session(request: Request, user: User, lang: Lang) -> dict[str, Any]:
    return {"user": user.to_dict() if user else None, "csrf_token": csrf_token(request), "lang": lang}


@router.post("/login", summary="Log in (rate-limited); sets the session cookie")
def login(request: Request, body: LoginIn, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    client = request.client.host if request.client else ""
    acc = _state(request).users.authenticate(body.username, body.password, client=client)
    start_session(request, acc)
    return {"user": acc.to_dict(), "csrf_token": csrf_token(request)}


def start_session(request: Request, acc: Account) -> None:
    lang = request.session.get("lang")
    request.session.clear()  # a new session (and CSRF token) at every login: no fixation
    request.session.update(user=acc.username, epoch=acc.epoch)
    if lang:
        request.session["lang"] = lang


@router.post("/logout", summary="Log out")
def logout(request: Request, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    request.session.clear()
    return {"user": None}


# --- statistics ----------------------------------------------------------------------------------------


@router.get("/home", summary="The regions and their headline gaps")
def home(lang: Lang) -> dict[str, Any]:
    return {"regions": views.region_list(), "headline": views.headline(lang)}


@router.get("/regions/{region_id}", summary="A region: scorecard, profile, trends, index position, money")
def region_page(request: Request, region_id: str, user: User, lang: Lang) -> dict[str, Any]:
    r = views.region(region_id)
    out: dict[str, Any] = {
        "region": {"id": r.id, "name": r.name, "members": list(r.members)},
        "scorecard": views.scorecard(region_id, lang),
        "profile": views.profile(region_id, lang),
        "trends": views.trends(region_id, lang),
        "index": views.index_position(region_id, lang),
        "money": None,
    }
    if user is not None:
        out["money"] = region_money(request, user, region_id)
    return out


def region_money(request: Request, user: Account, region_id: str) -> dict[str, Any]:
    state = _state(request)
    svc = reg.service(state.url, user)
    drafts = state.users.drafts()
    return {
        **reg.overview(svc, user, drafts, region=region_id),
        "gap": reg.gap(svc, user, drafts, region=region_id),
    }


@router.get("/indicators", summary="The indicator catalogue")
def indicators(lang: Lang) -> list[dict[str, Any]]:
    return views.indicators(lang)


@router.get("/explorer", summary="One indicator at one level (npvr.indicator_table)")
def explorer(
    lang: Lang,
    indicator: Annotated[str, Query(max_length=128)] = "aandeel_65plus",
    level: Annotated[str, Query(max_length=16)] = "gemeente",
    period: Annotated[int | None, Query(ge=1900, le=2100)] = None,
) -> dict[str, Any]:
    return views.explorer(indicator, level, lang, period)


@router.get("/index/options", summary="Domains, default weights and method choices of the index")
def index_options() -> dict[str, Any]:
    return views.index_options()


class WhatIfIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    weights: dict[str, float] = Field(default_factory=dict, description="domain id -> weight (>= 0)")
    methods: dict[str, str] = Field(
        default_factory=dict, description="normalisation, aggregation, imputation, outliers"
    )


@router.post("/index/whatif", summary="Rebuild the default index with other weights and methods")
def whatif(body: WhatIfIn) -> dict[str, Any]:
    allowed = {"normalisation", "aggregation", "imputation", "outliers"}
    bad = set(body.methods) - allowed
    if bad:
        raise NpvrError(
            f"onbekende methodekeuze {sorted(bad)}; kies uit {sorted(allowed)}",
            en=f"unknown method field {sorted(bad)}",
            field="methods",
        )
    unknown = set(body.weights) - {d["id"] for d in views.index_options()["domains"]}
    if unknown:
        raise NpvrError(
            f"onbekend domein {sorted(unknown)}", en=f"unknown domain {sorted(unknown)}", field="weights"
        )
    return views.whatif(body.weights, body.methods)


# --- toetsen -------------------------------------------------------------------------------------------


@router.post("/toets", summary="Run an uitvoeringstoets on an uploaded policy YAML")
async def toets(file: Annotated[UploadFile, File(description="policy YAML")]) -> dict[str, Any]:
    result = toets_mod.run_toets(await file.read(), file.filename)
    return views.jsonable(result.to_dict())  # type: ignore[no-any-return]


@router.post("/grenstoets", summary="Run a grenseffectentoets on an uploaded form YAML")
async def grenstoets(file: Annotated[UploadFile, File(description="grenstoets form YAML")]) -> dict[str, Any]:
    result = toets_mod.run_grenstoets(await file.read(), file.filename)
    return views.jsonable(result.to_dict())  # type: ignore[no-any-return]


# --- register: reads -------------------------------------------------------------------------------------


def _svc(request: Request, user: Account | None) -> tuple[Any, set[str]]:
    state = _state(request)
    return reg.service(state.url, user), state.users.drafts()


@router.get("/register", summary="Plans, measures and amounts the user may see")
def register_overview(request: Request, user: User, region: str | None = None) -> dict[str, Any]:
    access.require_login(user)
    svc, drafts = _svc(request, user)
    return reg.overview(svc, user, drafts, region=region)


@router.get("/register/gap", summary="Need against money (npvr.register.compute_gap)")
def register_gap(
    request: Request,
    user: User,
    by: Annotated[str, Query(pattern=r"^(region|theme|year)(,(region|theme|year))*$")] = "region,year",
    region: str | None = None,
) -> list[dict[str, Any]]:
    access.require_login(user)
    svc, drafts = _svc(request, user)
    return reg.gap(svc, user, drafts, by=tuple(dict.fromkeys(by.split(","))), region=region)


@router.get("/register/log", summary="The audit trail, newest first")
def register_log(
    request: Request, user: User, limit: Annotated[int, Query(ge=1, le=5000)] = 200, key: str | None = None
) -> list[dict[str, Any]]:
    access.require_login(user)
    svc, drafts = _svc(request, user)
    return reg.log(svc, user, drafts, limit=limit, key=key)


@router.get("/register/measures/{code}", summary="One measure with its amounts")
def get_measure(request: Request, code: str, user: User) -> dict[str, Any]:
    access.require_login(user)
    svc, drafts = _svc(request, user)
    return reg.measure(svc, user, drafts, code)


@router.get("/register/export.xlsx", summary="The register as an exchange workbook", response_class=Response)
def export(request: Request, user: User) -> Response:
    access.require_login(user)
    svc, drafts = _svc(request, user)
    frames = reg.export_frames(svc, user, drafts)
    with tempfile.TemporaryDirectory(prefix="npvr-web-") as tmp:
        out = write_exchange(frames, Path(tmp) / "register.xlsx")
        data = out.read_bytes()
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="register.xlsx"'},
    )


# --- register: writes ----------------------------------------------------------------------------------


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=64)
    region: str = Field(max_length=64)
    kind: str = Field(max_length=32)
    title: str = Field(max_length=400)
    status: str = Field(max_length=32)
    status_date: str | None = Field(None, max_length=10)
    note: str | None = Field(None, max_length=5000)
    expected_version: int | None = Field(None, description="required to change an existing plan")


class MeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=64)
    region: str = Field(max_length=64)
    title: str = Field(max_length=400)
    theme: str | None = Field(None, max_length=32)
    goal: str | None = Field(None, max_length=32)
    description: str | None = Field(None, max_length=5000)
    plan: str | None = Field(None, max_length=64)
    gemeenten: list[str] = Field(default_factory=list, max_length=400)
    indicators: list[str] = Field(default_factory=list, max_length=200)


class MeasureUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expected_version: int
    region: str | None = Field(None, max_length=64)
    title: str | None = Field(None, max_length=400)
    theme: str | None = Field(None, max_length=32)
    goal: str | None = Field(None, max_length=32)
    description: str | None = Field(None, max_length=5000)
    plan: str | None = Field(None, max_length=64)
    gemeenten: list[str] | None = Field(None, max_length=400)
    indicators: list[str] | None = Field(None, max_length=200)


class AmountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure: str = Field(max_length=64)
    year: int = Field(ge=1900, le=2200)
    kind: str = Field(max_length=16)
    source_type: str = Field(max_length=16)
    amount: Decimal = Field(description="euros with cents, e.g. 1250000.00", max_digits=16, decimal_places=2)
    party: str = Field("", max_length=200)
    scheme: str = Field("", max_length=200)
    cofinancing_share: Decimal | None = Field(None, max_digits=6, decimal_places=4)
    expected_version: int | None = Field(
        None, description="the amount's own version you read (none: create a new amount)"
    )
    expected_measure_version: int | None = Field(
        None, description="or: the measure's version you read (covers all its amounts, new or existing)"
    )


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(max_length=64)
    year: int = Field(ge=1900, le=2200)
    amount: Decimal = Field(max_digits=16, decimal_places=2)
    theme: str = Field("", max_length=32)
    source: str | None = Field(None, max_length=2000)
    expected_version: int | None = Field(None, description="the need row's version you read (none: new)")


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    draft: bool


def _plan_region(svc: Any, code: str) -> str | None:
    plans = svc.plans()
    row = plans[plans["code"] == code]
    return str(row["region"].iloc[0]) if len(row) else None


def _measure_region(svc: Any, user: Account | None, drafts: set[str], code: str) -> str:
    return str(reg.measure(svc, user, drafts, code)["measure"]["region"])


@router.post("/register/plans", summary="Create a plan, or change it (with expected_version)")
def save_plan(request: Request, body: PlanIn, user: User, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_login(user)
    svc, _ = _svc(request, user)
    access.require_edit(user, {body.region, _plan_region(svc, body.code) or body.region})
    d = body.model_dump()
    code = d.pop("code")
    return views.jsonable(svc.save_plan(code, **d))  # type: ignore[no-any-return]


@router.post("/register/plans/{code}/draft", summary="Mark or unmark a plan as draft (admin)")
def mark_draft(
    request: Request, code: str, body: DraftIn, user: User, x_csrf_token: Csrf = None
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    acc = access.require_admin(user)
    svc, _ = _svc(request, user)
    if _plan_region(svc, code) is None:
        raise NpvrError(f"onbekend plan '{code}'", en=f"unknown plan '{code}'", field="code")
    _state(request).users.mark_draft(code, body.draft, actor=acc.username)
    return {"plan": code, "draft": body.draft}


@router.post("/register/measures", summary="Create a measure")
def create_measure(
    request: Request, body: MeasureIn, user: User, x_csrf_token: Csrf = None
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_edit(user, {body.region})
    svc, _ = _svc(request, user)
    d = body.model_dump()
    code = d.pop("code")
    return views.jsonable(svc.create_measure(code, **d))  # type: ignore[no-any-return]


@router.put("/register/measures/{code}", summary="Change a measure (optimistic locking)")
def update_measure(
    request: Request, code: str, body: MeasureUpdate, user: User, x_csrf_token: Csrf = None
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_login(user)
    svc, drafts = _svc(request, user)
    old = _measure_region(svc, user, drafts, code)
    changes = {k: v for k, v in body.model_dump(exclude_unset=True).items() if k != "expected_version"}
    access.require_edit(user, {old, changes.get("region") or old})
    return views.jsonable(svc.update_measure(code, expected_version=body.expected_version, **changes))  # type: ignore[no-any-return]


@router.delete("/register/measures/{code}", summary="Delete a measure and its amounts")
def delete_measure(
    request: Request,
    code: str,
    user: User,
    expected_version: Annotated[int, Query()],
    x_csrf_token: Csrf = None,
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_login(user)
    svc, drafts = _svc(request, user)
    access.require_edit(user, {_measure_region(svc, user, drafts, code)})
    svc.delete_measure(code, expected_version=expected_version)
    return {"deleted": code}


@router.put("/register/amounts", summary="Set one amount (measure/year/source/kind)")
def set_amount(request: Request, body: AmountIn, user: User, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_login(user)
    svc, drafts = _svc(request, user)
    access.require_edit(user, {_measure_region(svc, user, drafts, body.measure)})
    d = body.model_dump()
    measure = d.pop("measure")
    return views.jsonable(svc.set_amount(measure, **d))  # type: ignore[no-any-return]


@router.put("/register/needs", summary="Record the need of a region for a theme and year")
def set_need(request: Request, body: NeedIn, user: User, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    access.require_edit(user, {body.region})
    svc, _ = _svc(request, user)
    d = body.model_dump()
    region = d.pop("region")
    return views.jsonable(svc.set_need(region, **d))  # type: ignore[no-any-return]


@router.post("/register/import", summary="Import an exchange workbook (admin; all or nothing)")
async def import_workbook(
    request: Request, user: User, file: Annotated[UploadFile, File()], x_csrf_token: Csrf = None
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    reg.check_import_allowed(user)
    return import_bytes(request, user, await file.read(), file.filename)


def import_bytes(request: Request, user: Account | None, data: bytes, filename: str | None) -> dict[str, Any]:
    """Validate and import an uploaded .xlsx (or .csv) workbook: all rows or none."""
    name = Path(filename or "register.xlsx").name
    if not name.lower().endswith((".xlsx", ".csv")):
        raise NpvrError(
            "kies een Excel-werkmap (.xlsx) of een CSV-bestand",
            en="choose an .xlsx workbook or a CSV file",
            file=name,
            field="file",
        )
    if not data:
        raise NpvrError("het bestand is leeg", en="the file is empty", file=name, field="file")
    svc, _ = _svc(request, user)
    with tempfile.TemporaryDirectory(prefix="npvr-web-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            raw = read_exchange(path)
            result = svc.import_rows(raw, file=name)
        except NpvrError as exc:
            raise toets_mod.renamed(exc, str(path), name) from None
        except Exception as exc:  # a corrupt workbook: openpyxl/zipfile errors become one clear message
            raise NpvrError(
                f"het bestand kan niet gelezen worden als werkmap ({type(exc).__name__})",
                en=f"the file cannot be read as a workbook ({type(exc).__name__})",
                file=name,
                field="file",
            ) from None
    return views.jsonable(result.to_dict())  # type: ignore[no-any-return]


# --- users ---------------------------------------------------------------------------------------------


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    role: str = Field(max_length=32)
    region: str | None = Field(None, max_length=64)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str = Field(max_length=32)
    region: str | None = Field(None, max_length=64)
    active: bool = True
    password: str | None = Field(None, max_length=1024)


@router.get("/users", summary="All accounts (admin)")
def list_users(request: Request, user: User) -> list[dict[str, Any]]:
    access.require_admin(user)
    return _state(request).users.list()


@router.post("/users", summary="Add an account (admin)")
def add_user(request: Request, body: UserIn, user: User, x_csrf_token: Csrf = None) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    acc = access.require_admin(user)
    new = _state(request).users.add(
        body.username, body.password, role=body.role, region=body.region, actor=acc.username
    )
    return new.to_dict()


@router.put("/users/{username}", summary="Change role, region, active flag or password (admin)")
def update_user(
    request: Request, username: str, body: UserUpdate, user: User, x_csrf_token: Csrf = None
) -> dict[str, Any]:
    _mutating(request, x_csrf_token)
    acc = access.require_admin(user)
    users = _state(request).users
    out = users.update(username, role=body.role, region=body.region, active=body.active, actor=acc.username)
    if body.password:
        users.set_password(username, body.password, actor=acc.username)
    return out.to_dict()
