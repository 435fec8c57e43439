"""CLI face for the web app: ``npvr serve`` and ``npvr users add|passwd|list``. Parse, call, render."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from npvr.cli._options import DbOpt, JsonOpt, LangOpt
from npvr.cli._render import emit_json


def _password(value: str | None, lang: str) -> str:
    """The password from the option, $NPVR_PASSWORD, or asked twice without echo."""
    if value:
        return value
    if os.environ.get("NPVR_PASSWORD"):
        return os.environ["NPVR_PASSWORD"]
    first = getpass.getpass("Wachtwoord: " if lang == "nl" else "Password: ")
    again = getpass.getpass("Nogmaals: " if lang == "nl" else "Again: ")
    if first != again:
        from npvr.errors import ConfigError

        raise ConfigError("de wachtwoorden zijn niet gelijk", en="the passwords differ", field="password")
    return first


def _users(db: str | None):  # type: ignore[no-untyped-def]
    from sqlalchemy.orm import sessionmaker

    from npvr.register import db as regdb
    from npvr.register.reference import default_reference
    from npvr.web.users import Users

    engine = regdb.make_engine(db)
    regdb.require_current(engine)
    return Users(sessionmaker(engine, expire_on_commit=False), set(default_reference().regions))


def register(app: typer.Typer) -> None:
    """Add `npvr serve` and `npvr users …` to the main app."""

    @app.command("serve")
    def serve(
        db: DbOpt = None,
        host: Annotated[str, typer.Option("--host", help="Adres om op te luisteren.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", help="Poort.")] = 8000,
        workers: Annotated[
            int,
            typer.Option(
                "--workers", min=1, help="Aantal werkprocessen (gebruik PostgreSQL bij meer dan 1)."
            ),
        ] = 1,
        insecure_cookies: Annotated[
            bool,
            typer.Option(
                "--insecure-cookies", help="Sessiecookie zonder Secure-vlag, voor lokaal gebruik over http."
            ),
        ] = False,
        init: Annotated[
            bool,
            typer.Option("--init/--no-init", help="Maak het register aan of werk het bij voor het starten."),
        ] = True,
    ) -> None:
        """Start de webapp (monitor, index, toetsen en register) met uvicorn."""
        import uvicorn

        from npvr.register import init_register, resolve_url

        url = resolve_url(db)
        if init:
            init_register(url)
        os.environ["NPVR_REGISTER_URL"] = url  # every worker process reads the same settings
        if insecure_cookies:
            os.environ["NPVR_WEB_INSECURE_COOKIES"] = "1"
        typer.echo(f"npvr serve: http://{host}:{port}/ (register {url}, {workers} werkproces(sen))")
        uvicorn.run(
            "npvr.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            proxy_headers=True,
            log_level="warning",
        )

    users = typer.Typer(name="users", help="Gebruikers van de webapp beheren.", no_args_is_help=True)
    app.add_typer(users)

    @users.command("add")
    def add(
        username: Annotated[str, typer.Argument(help="Gebruikersnaam (zonder spaties).")],
        role: Annotated[str, typer.Option("--role", help="admin, regio-redacteur of lezer.")] = "lezer",
        region: Annotated[
            str | None, typer.Option("--region", help="Regio-id voor een regio-redacteur, bijv. twente.")
        ] = None,
        password: Annotated[
            str | None,
            typer.Option("--password", help="Wachtwoord (anders $NPVR_PASSWORD of een vraag zonder echo)."),
        ] = None,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Voeg een gebruiker toe (de eerste beheerder maakt u zo aan)."""
        acc = _users(db).add(username, _password(password, lang), role=role, region=region, actor="cli")
        typer.echo(
            f"Gebruiker {acc.username} ({acc.role}) toegevoegd"
            if lang == "nl"
            else f"User {acc.username} added"
        )

    @users.command("passwd")
    def passwd(
        username: Annotated[str, typer.Argument(help="Gebruikersnaam.")],
        password: Annotated[
            str | None,
            typer.Option(
                "--password", help="Nieuw wachtwoord (anders $NPVR_PASSWORD of een vraag zonder echo)."
            ),
        ] = None,
        db: DbOpt = None,
        lang: LangOpt = "nl",
    ) -> None:
        """Zet een nieuw wachtwoord; bestaande sessies van de gebruiker vervallen."""
        _users(db).set_password(username, _password(password, lang), actor="cli")
        typer.echo("Wachtwoord gewijzigd" if lang == "nl" else "Password changed")

    @users.command("list")
    def list_(db: DbOpt = None, json_out: JsonOpt = False, lang: LangOpt = "nl") -> None:
        """Toon alle gebruikers met rol en regio."""
        rows = _users(db).list()
        if json_out:
            emit_json(rows)
            return
        for u in rows:
            state = "" if u["active"] else (" (inactief)" if lang == "nl" else " (inactive)")
            typer.echo(f"{u['username']}\t{u['role']}\t{u['region'] or '-'}{state}")
