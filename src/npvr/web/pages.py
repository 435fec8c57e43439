"""The HTML pages: parse the request, call the same functions as the JSON twins, render.

Forms post back to the page; a validation problem is shown next to its field (the register's
problems name the exchange column, which is also the form field's name) and nothing is saved.
"""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from npvr.errors import ConflictError, NpvrError, ValidationError
from npvr.web import access, maps, views
from npvr.web import api as api_mod
from npvr.web import register as reg
from npvr.web import toets as toets_mod
from npvr.web.app import check_csrf, html, lang_of
from npvr.web.texts import t

router = APIRouter(include_in_schema=False)


def _user(request: Request) -> Any:
    return request.app.state.npvr.current_user(request)


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    return dict(form)


def _field_errors(exc: NpvrError, lang: str = "nl") -> dict[str, str]:
    """Messages per form field (the exchange column names), for display next to the field."""
    msgs: dict[str, str] = {}
    problems = getattr(exc, "problems", None)
    if problems:
        for p in problems:
            key = p.field or "_"
            text = p.message_en if lang == "en" and p.message_en else p.message
            msgs[key] = (msgs.get(key, "") + " " + text).strip()
    elif exc.field:
        msgs[exc.field] = exc.message_en if lang == "en" and exc.message_en else exc.message
    return msgs


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- statistics ------------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    lang = lang_of(request)
    return html(
        request,
        "home.html.j2",
        title=t("home", lang),
        data=api_mod.home(lang),
        regions_map=maps.regions_map(t("map_regions", lang)),
    )


@router.get("/regio/{region_id}", response_class=HTMLResponse)
def region(request: Request, region_id: str) -> HTMLResponse:
    lang = lang_of(request)
    data = api_mod.region_page(request, region_id, _user(request), lang)
    return html(request, "region.html.j2", title=data["region"]["name"], data=data)


@router.get("/indicatoren", response_class=HTMLResponse)
def explorer(
    request: Request, indicator: str = "aandeel_65plus", level: str = "gemeente", period: str | None = None
) -> HTMLResponse:
    lang = lang_of(request)
    p = _int_or_error(period, "period")
    data = views.explorer(indicator, level, lang, p)
    ind = data["indicator"]
    label = f"{t('map_of', lang)} {ind['label']} ({data['period']})"
    m = maps.explorer_map(indicator, level, data["period"], lang, label)
    return html(
        request,
        "explorer.html.j2",
        title=t("explorer_title", lang),
        data=data,
        map=m,
        indicators=views.indicators(lang),
        levels=views.LEVELS,
    )


def _int_or_error(v: str | None, field: str) -> int | None:
    if v in (None, ""):
        return None
    try:
        return int(str(v))
    except ValueError:
        raise NpvrError(f"'{v}' is geen jaartal", en=f"'{v}' is not a year", field=field) from None


@router.get("/indicatoren.csv")
def explorer_csv(
    request: Request, indicator: str = "aandeel_65plus", level: str = "gemeente", period: str | None = None
) -> Response:
    lang = lang_of(request)
    data = views.explorer(indicator, level, lang, _int_or_error(period, "period"))
    buf = io.StringIO()
    cols = list(data["rows"][0]) if data["rows"] else ["area_code"]
    w = csv.DictWriter(buf, fieldnames=cols)
    w.writeheader()
    w.writerows(data["rows"])
    name = f"{indicator}_{level}_{data['period']}.csv"
    return Response(
        buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _whatif_params(request: Request) -> tuple[dict[str, float], dict[str, str]]:
    opts = views.index_options()
    weights: dict[str, float] = {}
    for d in opts["domains"]:
        raw = request.query_params.get(f"w_{d['id']}")
        if raw not in (None, ""):
            try:
                weights[d["id"]] = float(str(raw).replace(",", "."))
            except ValueError:
                raise NpvrError(
                    f"'{raw}' is geen getal", en=f"'{raw}' is not a number", field=f"w_{d['id']}"
                ) from None
    methods = {f: str(request.query_params[f]) for f in opts["methods"] if request.query_params.get(f)}
    return weights, methods


@router.get("/index", response_class=HTMLResponse)
def whatif(request: Request) -> HTMLResponse:
    lang = lang_of(request)
    opts = views.index_options()
    weights, methods = _whatif_params(request)
    data = views.whatif(weights, methods)
    ranks = {r["code"]: r["rank"] for r in data["scores"]}
    rows = [
        {"area_code": c, "area_name": r["name"], "value": r["rank"]}
        for c, r in zip(ranks, data["scores"], strict=True)
    ]
    m = maps.choropleth("gemeente", rows, direction=1, unit="", label=t("whatif_title", lang), lang=lang)
    shown = {d["id"]: weights.get(d["id"], 1.0) for d in opts["domains"]}
    template = "whatif_result.html.j2" if request.query_params.get("fragment") else "whatif.html.j2"
    return html(
        request,
        template,
        title=t("index", lang),
        opts=opts,
        data=data,
        map=m,
        weights=shown,
        methods={f: methods.get(f, o["default"]) for f, o in opts["methods"].items()},
    )


# --- toetsen -----------------------------------------------------------------------------------------------


async def _toets_page(request: Request, kind: str) -> Response:
    lang = lang_of(request)
    text = toets_mod.example(kind)
    result = None
    errors: dict[str, str] = {}
    message = None
    status = 200
    if request.method == "POST":
        form = await request.form()
        check_csrf(request, str(form.get("csrf_token") or ""))
        upload = form.get("file")
        data = b""
        name = None
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            name = upload.filename
        if not data:
            text = str(form.get("yaml") or "")
            data = text.encode("utf-8")
        else:
            text = data.decode("utf-8", errors="replace")
        try:
            run = toets_mod.run_toets if kind == "toets" else toets_mod.run_grenstoets
            res = run(data, name)
            fmt = form.get("download")
            if fmt in ("html", "xlsx"):
                content, fname, media = toets_mod.download(res, kind, str(fmt), lang)
                return Response(
                    content,
                    media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{fname}"'},
                )
            result = views.jsonable(res.to_dict())
        except NpvrError as exc:
            message = exc.render(lang)
            errors = {"file": message}
            status = 422
    template = "toets.html.j2" if kind == "toets" else "grenstoets.html.j2"
    return html(
        request,
        template,
        status=status,
        title=t(kind if kind == "toets" else "grens_title", lang),
        text=text,
        result=result,
        errors=errors,
        message=message,
        kind=kind,
    )


@router.get("/toets", response_class=HTMLResponse)
async def toets_get(request: Request) -> Response:
    return await _toets_page(request, "toets")


@router.post("/toets", response_class=HTMLResponse)
async def toets_post(request: Request) -> Response:
    return await _toets_page(request, "toets")


@router.get("/grenstoets", response_class=HTMLResponse)
async def grens_get(request: Request) -> Response:
    return await _toets_page(request, "grenstoets")


@router.post("/grenstoets", response_class=HTMLResponse)
async def grens_post(request: Request) -> Response:
    return await _toets_page(request, "grenstoets")


# --- login -------------------------------------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/register") -> HTMLResponse:
    return html(
        request, "login.html.j2", title=t("login", lang_of(request)), next=_safe_next(next), errors={}
    )


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else "/register"


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await _form(request)
    nxt = _safe_next(str(form.get("next") or "/register"))
    client = request.client.host if request.client else ""
    try:
        acc = request.app.state.npvr.users.authenticate(
            str(form.get("username") or ""), str(form.get("password") or ""), client=client
        )
    except NpvrError as exc:
        from npvr.web.app import status_of

        return html(
            request,
            "login.html.j2",
            status=status_of(exc),
            title=t("login", lang_of(request)),
            next=nxt,
            errors={"password": exc.render(lang_of(request))},
            username=form.get("username", ""),
        )
    api_mod.start_session(request, acc)
    return _see_other(nxt)


@router.post("/logout")
async def logout(request: Request) -> Response:
    await _form(request)
    request.session.clear()
    return _see_other("/")


# --- register ----------------------------------------------------------------------------------------------


def _need_login(request: Request) -> Any:
    user = _user(request)
    if user is None:
        raise access.LoginRequired("log eerst in om het register te zien", en="log in to see the register")
    return user


@router.get("/register", response_class=HTMLResponse)
def register(request: Request, region: str | None = None, message: str | None = None) -> HTMLResponse:
    lang = lang_of(request)
    user = _need_login(request)
    data = api_mod.register_overview(request, user, region=region or None)
    gap = api_mod.register_gap(request, user, by="region,year", region=region or None)
    return html(
        request,
        "register.html.j2",
        title=t("register_title", lang),
        data=data,
        gap=gap,
        vocab=reg.vocab(),
        region=region,
        errors={},
        values={},
        message=message,
    )


@router.get("/register/gap", response_class=HTMLResponse)
def register_gap(request: Request, by: str = "region,theme,year") -> HTMLResponse:
    lang = lang_of(request)
    user = _need_login(request)
    gap = api_mod.register_gap(
        request, user, by=by if by in ("region,year", "region,theme,year") else "region,theme,year"
    )
    return html(request, "gap.html.j2", title=t("gap_view", lang), gap=gap, by=by)


@router.get("/register/logboek", response_class=HTMLResponse)
def register_log(request: Request) -> HTMLResponse:
    lang = lang_of(request)
    user = _need_login(request)
    return html(
        request, "log.html.j2", title=t("audit", lang), log=api_mod.register_log(request, user, limit=300)
    )


@router.get("/register/export.xlsx")
def register_export(request: Request) -> Response:
    return api_mod.export(request, _need_login(request))


@router.post("/register/import", response_class=HTMLResponse)
async def register_import(request: Request) -> Response:
    lang = lang_of(request)
    user = _need_login(request)
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    reg.check_import_allowed(user)
    upload = form.get("file")
    try:
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise NpvrError("kies een bestand", en="choose a file", field="file")
        result = api_mod.import_bytes(request, user, await upload.read(), upload.filename)
    except NpvrError as exc:
        return html(
            request,
            "import_result.html.j2",
            status=422 if not isinstance(exc, access.Forbidden) else 403,
            title=t("import", lang),
            error=exc.render(lang),
            problems=getattr(exc, "problems", []),
            result=None,
        )
    return html(
        request, "import_result.html.j2", title=t("import", lang), error=None, problems=[], result=result
    )


@router.post("/register/maatregel", response_class=HTMLResponse)
async def new_measure(request: Request) -> Response:
    lang = lang_of(request)
    user = _need_login(request)
    form = await _form(request)
    region_id = str(form.get("regio") or "")
    try:
        access.require_edit(user, {region_id})
        svc = reg.service(request.app.state.npvr.url, user)
        svc.create_measure(
            str(form.get("code") or "").strip(),
            region=region_id,
            title=str(form.get("titel") or ""),
            theme=str(form.get("thema") or "") or None,
            goal=str(form.get("doel") or "") or None,
            plan=str(form.get("plan") or "") or None,
            gemeenten=_list(form.get("gemeenten")),
            indicators=_list(form.get("indicatoren")),
        )
    except access.Forbidden:
        raise
    except NpvrError as exc:
        data = api_mod.register_overview(request, user)
        gap = api_mod.register_gap(request, user)
        return html(
            request,
            "register.html.j2",
            status=409 if isinstance(exc, ConflictError) else 422,
            title=t("register_title", lang),
            data=data,
            gap=gap,
            vocab=reg.vocab(),
            region=None,
            errors=_field_errors(exc, lang),
            values=form,
            message=exc.render(lang),
        )
    return _see_other(f"/register/maatregel/{form.get('code')}?saved=1")


def _year(v: Any) -> int:
    """The year as typed: the register's validator reports a non-number next to the field together
    with every other problem of the form (so the raw text is passed on, not parsed here)."""
    raw = str(v or "").strip()
    return int(raw) if raw.isdigit() else cast(int, raw)


def _list(v: Any) -> list[str]:
    return [x.strip() for x in str(v or "").replace(";", ",").split(",") if x.strip()]


def _measure_page(
    request: Request,
    code: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    values: dict[str, Any] | None = None,
    amount_values: dict[str, Any] | None = None,
    amount_errors: dict[str, str] | None = None,
    amount_message: str | None = None,
) -> HTMLResponse:
    lang = lang_of(request)
    user = _need_login(request)
    data = api_mod.get_measure(request, code, user)
    log = api_mod.register_log(request, user, limit=50, key=code)
    saved = request.query_params.get("saved") == "1"
    return html(
        request,
        "measure.html.j2",
        status=status,
        title=f"{t('measure', lang)} {code}",
        data=data,
        log=log,
        vocab=reg.vocab(),
        errors=errors or {},
        message=message,
        values=values,
        amount_values=amount_values or {},
        amount_errors=amount_errors or {},
        amount_message=amount_message,
        saved=saved,
    )


@router.get("/register/maatregel/{code}", response_class=HTMLResponse)
def measure(request: Request, code: str) -> HTMLResponse:
    return _measure_page(request, code)


@router.post("/register/maatregel/{code}", response_class=HTMLResponse)
async def measure_update(request: Request, code: str) -> Response:
    lang = lang_of(request)
    user = _need_login(request)
    form = await _form(request)
    state = request.app.state.npvr
    svc = reg.service(state.url, user)
    current = reg.measure(svc, user, state.users.drafts(), code)["measure"]
    new_region = str(form.get("regio") or current["region"])
    access.require_edit(user, {current["region"], new_region})
    try:
        version = int(str(form.get("versie") or ""))
    except ValueError:
        version = -1
    try:
        svc.update_measure(
            code,
            expected_version=version,
            region=new_region,
            title=str(form.get("titel") or ""),
            theme=str(form.get("thema") or "") or None,
            goal=str(form.get("doel") or "") or None,
            description=str(form.get("omschrijving") or "") or None,
            plan=str(form.get("plan") or "") or None,
            gemeenten=_list(form.get("gemeenten")),
            indicators=_list(form.get("indicatoren")),
        )
    except NpvrError as exc:
        status = 409 if isinstance(exc, ConflictError) else 422
        return _measure_page(
            request,
            code,
            status=status,
            errors=_field_errors(exc, lang),
            message=exc.render(lang),
            values=form,
        )
    return _see_other(f"/register/maatregel/{code}?saved=1")


@router.post("/register/maatregel/{code}/bedrag", response_class=HTMLResponse)
async def amount_update(request: Request, code: str) -> Response:
    lang = lang_of(request)
    user = _need_login(request)
    form = await _form(request)
    state = request.app.state.npvr
    svc = reg.service(state.url, user)
    current = reg.measure(svc, user, state.users.drafts(), code)["measure"]
    access.require_edit(user, {current["region"]})
    try:
        version = int(str(form.get("versie") or ""))
    except ValueError:
        version = -1
    try:
        svc.set_amount(
            code,
            year=_year(form.get("jaar")),
            kind=str(form.get("soort") or ""),
            source_type=str(form.get("bron") or ""),
            party=str(form.get("partij") or ""),
            scheme=str(form.get("regeling") or ""),
            amount=str(form.get("bedrag") or "").strip().replace(" ", ""),
            cofinancing_share=str(form.get("cofinancieringsaandeel") or "").strip() or None,
            expected_measure_version=version,
        )
    except (ValidationError, ConflictError, NpvrError) as exc:
        status = 409 if isinstance(exc, ConflictError) else 422
        return _measure_page(
            request,
            code,
            status=status,
            amount_values=form,
            amount_errors=_field_errors(exc, lang),
            amount_message=exc.render(lang),
        )
    return _see_other(f"/register/maatregel/{code}?saved=1")


def _plan_page(
    request: Request,
    code: str | None,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    lang = lang_of(request)
    user = _need_login(request)
    plan = None
    if code is not None:
        data = api_mod.register_overview(request, user)
        plan = next((p for p in data["plans"] if p["code"] == code), None)
        if plan is None:
            raise NpvrError(f"onbekend plan '{code}'", en=f"unknown plan '{code}'", field="code")
    return html(
        request,
        "plan.html.j2",
        status=status,
        title=f"{t('plan', lang)} {code or ''}".strip(),
        plan=plan,
        vocab=reg.vocab(),
        errors=errors or {},
        message=message,
        values=values,
        can_edit=access.can_edit(user, plan["region"]) if plan else user.role != "lezer",
    )


@router.get("/register/plan/{code}", response_class=HTMLResponse)
def plan_page(request: Request, code: str) -> HTMLResponse:
    return _plan_page(request, None if code == "nieuw" else code)


@router.post("/register/plan", response_class=HTMLResponse)
async def plan_save(request: Request) -> Response:
    """Create a plan (no version) or change one (with the version that was read)."""
    lang = lang_of(request)
    user = _need_login(request)
    form = await _form(request)
    code = str(form.get("code") or "").strip()
    region_id = str(form.get("regio") or "")
    svc = reg.service(request.app.state.npvr.url, user)
    current = api_mod._plan_region(svc, code) if code else None
    access.require_edit(user, {region_id, current or region_id})
    version_raw = str(form.get("versie") or "").strip()
    try:
        svc.save_plan(
            code,
            region=region_id,
            kind=str(form.get("soort") or ""),
            title=str(form.get("titel") or ""),
            status=str(form.get("status") or ""),
            status_date=str(form.get("datum_status") or "") or None,
            note=str(form.get("toelichting") or "") or None,
            expected_version=int(version_raw) if version_raw.isdigit() else None,
        )
    except NpvrError as exc:
        return _plan_page(
            request,
            code if current else None,
            status=409 if isinstance(exc, ConflictError) else 422,
            errors=_field_errors(exc, lang),
            message=exc.render(lang),
            values=form,
        )
    return _see_other(f"/register/plan/{code}?saved=1")


@router.post("/register/plan/{code}/concept")
async def plan_draft(request: Request, code: str) -> Response:
    user = _need_login(request)
    form = await _form(request)
    acc = access.require_admin(user)
    request.app.state.npvr.users.mark_draft(code, form.get("draft") == "1", actor=acc.username)
    return _see_other("/register")


# --- users -------------------------------------------------------------------------------------------------


@router.get("/beheer/gebruikers", response_class=HTMLResponse)
def users_page(request: Request) -> HTMLResponse:
    access.require_admin(_user(request))
    return _users(request)


def _users(
    request: Request,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    message: str | None = None,
) -> HTMLResponse:
    lang = lang_of(request)
    return html(
        request,
        "users.html.j2",
        status=status,
        title=t("users", lang),
        users=request.app.state.npvr.users.list(),
        vocab=reg.vocab(),
        errors=errors or {},
        values=values or {},
        message=message,
    )


@router.post("/beheer/gebruikers", response_class=HTMLResponse)
async def users_add(request: Request) -> Response:
    user = _need_login(request)
    form = await _form(request)
    acc = access.require_admin(user)
    try:
        request.app.state.npvr.users.add(
            str(form.get("username") or ""),
            str(form.get("password") or ""),
            role=str(form.get("role") or ""),
            region=str(form.get("region") or "") or None,
            actor=acc.username,
        )
    except NpvrError as exc:
        return _users(
            request,
            422,
            _field_errors(exc, lang_of(request)),
            {k: v for k, v in form.items() if k != "password"},
            exc.render(lang_of(request)),
        )
    return _see_other("/beheer/gebruikers")
