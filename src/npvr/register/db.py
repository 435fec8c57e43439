"""Engine, sessions and migrations for the register.

The database URL comes from (first match): the ``url`` argument (CLI ``--db``), the environment
variable ``NPVR_REGISTER_URL``, or the default SQLite file ``./npvr-register.sqlite`` — embedded,
no server needed. PostgreSQL works with ``postgresql+psycopg://user@host/db``.

Migrations are Alembic scripts shipped inside the package (``npvr/register/migrations``); the
Alembic Config is built here in code, so there is no alembic.ini to find.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from npvr.errors import ConfigError, DataError

ENV_VAR = "NPVR_REGISTER_URL"
DEFAULT_FILE = "npvr-register.sqlite"
MIGRATIONS = Path(__file__).with_name("migrations")


#: Drivers the register works with (scheme as written -> the one SQLAlchemy uses).
SCHEMES: dict[str, str] = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}
_EXAMPLES = "sqlite:///register.sqlite of postgresql+psycopg://gebruiker@host:5432/database"


def _masked(url: str) -> str:
    """A URL fit for a message: the password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def _bad_url(url: str, nl: str, en: str) -> ConfigError:
    return ConfigError(
        f"ongeldige database-URL '{_masked(url)}': {nl}; gebruik bijvoorbeeld {_EXAMPLES}",
        en=f"invalid database URL '{_masked(url)}': {en}; use e.g. sqlite:///register.sqlite or "
        "postgresql+psycopg://user@host:5432/database",
        field="--db",
    )


def resolve_url(url: str | None = None) -> str:
    """The URL to use: argument, then $NPVR_REGISTER_URL, then ./npvr-register.sqlite.

    Validated here, once, for every face: a bare path means a SQLite file; the scheme must be
    SQLite or PostgreSQL (``postgresql://`` and ``postgres://`` use psycopg); a port must be a
    number 1–65535; a PostgreSQL URL must name its database (never the server's default one).
    """
    if url:
        chosen = url
    elif os.environ.get(ENV_VAR):
        chosen = os.environ[ENV_VAR]
    else:
        chosen = f"sqlite:///{DEFAULT_FILE}"
    if "\x00" in chosen:
        raise _bad_url(chosen.replace("\x00", "\\0"), "bevat een NUL-teken", "contains a NUL character")
    if "://" not in chosen:  # a bare path means a SQLite file
        chosen = f"sqlite:///{chosen}"
    try:
        u = make_url(chosen)
        port = u.port
    except (ArgumentError, ValueError, TypeError) as exc:
        raise _bad_url(
            chosen, "niet te lezen (schrijfwijze of poort)", "cannot be parsed (syntax or port)"
        ) from exc
    driver = SCHEMES.get(u.drivername)
    if driver is None:
        raise _bad_url(
            chosen,
            f"schema '{u.drivername}' wordt niet ondersteund (alleen sqlite en postgresql)",
            f"scheme '{u.drivername}' is not supported (only sqlite and postgresql)",
        )
    if port is not None and not 0 < port < 65536:
        raise _bad_url(
            chosen, f"poort {port} bestaat niet (1–65535)", f"port {port} does not exist (1-65535)"
        )
    if driver.startswith("postgresql") and not (u.database or "").strip():
        raise _bad_url(
            chosen,
            "de naam van de database ontbreekt (…/database); npvr gebruikt nooit de "
            "standaarddatabase van de server",
            "the database name is missing (…/database); npvr never uses the server's default database",
        )
    if driver != u.drivername:
        chosen = u.set(drivername=driver).render_as_string(hide_password=False)
    return chosen


def require_register(url: str | None = None) -> str:
    """Refuse (DataError) unless ``url`` holds an initialised, current register; returns the URL.

    For faces that were *told* to use a register (``npvr report --db``): a missing database
    is an error there, not a quiet result without the register.
    """
    resolved = resolve_url(url)
    u = make_url(resolved)
    is_file_db = u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:")
    if is_file_db and not Path(str(u.database)).is_file():
        raise DataError(
            f"het register '{u.database}' bestaat niet; maak het aan met 'npvr register init --db …'",
            en=f"register '{u.database}' does not exist; create it with 'npvr register init --db …'",
            field="--db",
        )
    require_current(make_engine(resolved))
    return resolved


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """One engine per resolved URL (cached: engines own connection pools)."""
    resolved = resolve_url(url)
    try:
        return _engine(resolved)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:  # parsed, but no driver can use it
        raise ConfigError(
            f"ongeldige database-URL '{resolved}'; gebruik bijvoorbeeld sqlite:///register.sqlite",
            en=f"invalid database URL '{resolved}' ({exc})",
            field="--db",
        ) from None


@cache
def _engine(resolved: str) -> Engine:
    args = {"connect_timeout": 10} if resolved.startswith("postgresql") else {}
    engine = create_engine(resolved, connect_args=args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")  # configparser escaping
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision(engine: Engine) -> str | None:
    """The code's schema revision(s): one id, or several joined by '+' while branches are unmerged.

    Domain packages (register, users, the policy loop) each add migrations that branch from the
    initial one; the register is current when every head is applied.
    """
    heads = sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
    return "+".join(heads) if heads else None


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            heads = sorted(MigrationContext.configure(conn).get_current_heads())
            return "+".join(heads) if heads else None
    except DatabaseError as exc:  # OperationalError, or "file is not a database"
        raise DataError(
            f"kan de database {engine.url.render_as_string()} niet openen: {exc.orig}",
            en=f"cannot open database {engine.url.render_as_string()}: {exc.orig}",
            field="--db",
        ) from exc


def upgrade(url: str | None = None, revision: str = "heads") -> str | None:
    """Create or migrate the register to ``revision``; returns the revision now in place."""
    engine = make_engine(url)
    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        raise DataError(
            f"kan de database {engine.url.render_as_string()} niet aanmaken of bijwerken: {exc.orig}",
            en=f"cannot create or migrate database {engine.url.render_as_string()}: {exc.orig}",
        ) from exc
    return current_revision(engine)


def downgrade(url: str | None = None, revision: str = "-1") -> str | None:
    """Undo migrations down to ``revision`` ("base" removes every register table)."""
    engine = make_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    return current_revision(engine)


def has_register(url: str | None = None) -> bool:
    """Is there an initialised, current register at ``url``? Never creates a SQLite file."""
    resolved = resolve_url(url)
    u = make_url(resolved)
    is_file_db = u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:")
    try:
        if is_file_db and not Path(str(u.database)).is_file():
            return False
    except (OSError, ValueError):  # a name too long or with a NUL byte: no register there
        return False
    try:
        engine = make_engine(resolved)
        return current_revision(engine) == head_revision(engine)
    except (DataError, OperationalError):
        return False


def require_current(engine: Engine) -> None:
    """Refuse to work on a database that was not initialised or is behind the code."""
    cur, head = current_revision(engine), head_revision(engine)
    if cur is None:
        raise DataError(
            f"er is nog geen register in {engine.url.render_as_string()}; maak het aan met "
            "'npvr register init'",
            en=f"no register in {engine.url.render_as_string()}; create it with 'npvr register init'",
        )
    if cur != head:
        raise DataError(
            f"het register heeft schemaversie {cur}, deze npvr verwacht {head}; werk het bij met "
            "'npvr register init'",
            en=f"register schema is at {cur}, this npvr expects {head}; run 'npvr register init'",
        )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
