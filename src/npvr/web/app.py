"""The FastAPI application: settings, sessions, error shape, templates; routes live in
:mod:`npvr.web.pages` (HTML) and :mod:`npvr.web.api` (the JSON twins under ``/api``).

Stateless between requests: the session is a signed cookie (user name, session epoch, CSRF token,
language), and users, failed logins, draft marks and the signing secret are in the register's
database. Several workers on one PostgreSQL therefore behave as one app.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

import npvr
from npvr.errors import ConflictError, NpvrError, Problem, UnknownAreaError, ValidationError
from npvr.register import db
from npvr.web import access, views
from npvr.web.texts import TEXTS, t
from npvr.web.users import Account, AuthError, RateLimitError, Users

SESSION_COOKIE = "npvr_session"
SESSION_MAX_AGE = 8 * 3600
#: Largest accepted request body (uploads): 5 MB. Larger bodies get HTTP 413 before being read.
MAX_UPLOAD = 5 * 1024 * 1024


@dataclass
class WebSettings:
    """How the app runs. From the environment by :meth:`from_env` (so every worker agrees)."""

    db_url: str | None = None
    secure_cookies: bool = True
    secret: str | None = None
    max_upload: int = MAX_UPLOAD
    #: fill the per-process caches of the snapshot-only pages at start (a few seconds per worker)
    warm: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> WebSettings:
        return cls(
            db_url=os.environ.get(db.ENV_VAR) or None,
            secure_cookies=os.environ.get("NPVR_WEB_INSECURE_COOKIES", "") not in ("1", "true", "yes"),
            secret=os.environ.get("NPVR_WEB_SECRET") or None,
            max_upload=int(os.environ.get("NPVR_WEB_MAX_UPLOAD", MAX_UPLOAD)),
            warm=os.environ.get("NPVR_WEB_WARM", "1") not in ("0", "false", "no"),
        )


class NotFound(NpvrError):
    """No such page or record (HTTP 404)."""


class TooLarge(NpvrError):
    """The request body is larger than the limit (HTTP 413)."""


STATUS: tuple[tuple[type[NpvrError], int], ...] = (
    (access.LoginRequired, 401),
    (RateLimitError, 429),
    (AuthError, 401),
    (access.Forbidden, 403),
    (access.CsrfError, 403),
    (NotFound, 404),
    (UnknownAreaError, 404),
    (TooLarge, 413),
    (ConflictError, 409),
    (ValidationError, 422),
)


def status_of(exc: NpvrError) -> int:
    for kind, code in STATUS:
        if isinstance(exc, kind):
            return code
    if exc.field == "code" and str(exc.message).startswith("onbekende"):
        return 404
    return 422


class State:
    """What the routes need, built once per worker: settings, the register URL, user accounts."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.url = db.resolve_url(settings.db_url)
        engine = db.make_engine(self.url)
        db.require_current(engine)
        self.users = Users(sessionmaker(engine, expire_on_commit=False), set(views.regions().ids))

    def current_user(self, request: Request) -> Account | None:
        name = request.session.get("user")
        if not name:
            return None
        user = self.users.get(name, epoch=request.session.get("epoch"))
        if user is None:  # deleted, deactivated or password changed since login
            request.session.pop("user", None)
        return user


def lang_of(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in TEXTS:
        request.session["lang"] = q
        return q
    lang = request.session.get("lang")
    return lang if lang in TEXTS else "nl"


def csrf_token(request: Request) -> str:
    tok = request.session.get("csrf")
    if not tok:
        tok = secrets.token_urlsafe(24)
        request.session["csrf"] = tok
    return str(tok)


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a state-changing request whose token does not match the session's."""
    expected = request.session.get("csrf")
    if not expected or not token or not secrets.compare_digest(str(expected), str(token)):
        raise access.CsrfError(
            "de beveiligingscode (CSRF) van het formulier ontbreekt of is verlopen; laad de pagina opnieuw",
            en="the form's security token (CSRF) is missing or expired; reload the page",
            field="csrf_token",
        )


def switch_url(request: Request, lang: str) -> str:
    """The same page (path and query) in the other language."""
    url = request.url.include_query_params(lang=lang)
    return f"{url.path}?{url.query}"


def templates() -> Jinja2Templates:
    tpl = Jinja2Templates(directory=str(resources.files("npvr.web") / "templates"))
    tpl.env.globals["t"] = t
    tpl.env.globals["switch_url"] = switch_url
    tpl.env.trim_blocks = True
    tpl.env.lstrip_blocks = True
    from npvr.web import fmt

    tpl.env.filters.update(fmt.FILTERS)
    return tpl


def error_response(request: Request, exc: NpvrError, status: int | None = None) -> Response:
    """The one place an error becomes output: the JSON shape under /api, an HTML page elsewhere."""
    status = status or status_of(exc)
    if request.url.path.startswith("/api"):
        return JSONResponse(views.jsonable(exc.to_dict()), status_code=status)
    lang = lang_of(request)
    state: State = request.app.state.npvr
    try:
        user = state.current_user(request)
    except Exception:  # the error page must render even when the database is down
        user = None
    ctx = {
        "request": request,
        "lang": lang,
        "user": user,
        "csrf": csrf_token(request),
        "error": exc,
        "status": status,
        "message": exc.render(lang),
        "title": t("error", lang),
    }
    return request.app.state.templates.TemplateResponse(request, "error.html.j2", ctx, status_code=status)


class BodyLimit:
    """ASGI middleware: refuse bodies above the limit (by Content-Length, and while streaming)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise _TooLargeStream
            return msg

        try:
            await self.app(scope, limited, send)
        except _TooLargeStream:
            await self._refuse(scope, send)

    async def _refuse(self, scope: dict[str, Any], send: Any) -> None:
        mb = self.limit / 1024 / 1024
        err = TooLarge(
            f"het bestand of formulier is te groot (meer dan {mb:g} MB)",
            en=f"the file or form is too large (more than {mb:g} MB)",
            field="file",
        )
        import json

        body = json.dumps(err.to_dict()).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLargeStream(Exception):
    pass


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The app for ``settings`` (default: from the environment; see docs/web.md)."""
    settings = settings or WebSettings.from_env()
    state = State(settings)
    secret = settings.secret or state.users.secret()
    app = FastAPI(
        title="npvr",
        summary="Web app van het Nationaal Programma Vitale Regio's: monitor, index, toetsen en register.",
        version=npvr.__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.npvr = state
    app.state.templates = templates()
    if settings.warm:
        views.warm()

    @app.exception_handler(NpvrError)
    async def _npvr_error(request: Request, exc: NpvrError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            Problem(
                str(e.get("msg")), field=".".join(str(x) for x in e.get("loc", ()) if x != "body") or None
            )
            for e in exc.errors()
        ]
        return error_response(request, ValidationError(problems), 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        err = (
            NotFound("deze pagina bestaat niet", en="this page does not exist")
            if exc.status_code == 404
            else NpvrError(str(exc.detail), en=str(exc.detail))
        )
        return error_response(request, err, exc.status_code)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'",
        )
        return response

    from npvr.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    from npvr.web import loop  # the policy loop's pages and JSON twins

    app.include_router(loop.router)
    app.mount("/static", StaticFiles(directory=str(resources.files("npvr.web") / "static")), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload)
    return app


def html(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    """Render a page with the common context (user, language, CSRF token)."""
    lang = lang_of(request)
    state: State = request.app.state.npvr
    base = {
        "request": request,
        "lang": lang,
        "user": state.current_user(request),
        "csrf": csrf_token(request),
        "status": status,
    }
    return request.app.state.templates.TemplateResponse(
        request, template, {**base, **ctx}, status_code=status
    )
