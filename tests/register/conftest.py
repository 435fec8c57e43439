"""Fixtures for the register tests: one fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL: $NPVR_TEST_POSTGRES_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test when
that is reachable. Each test gets its own schema (via the connection's search_path, carried in
the URL so a subprocess sees the same one), dropped afterwards, so runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import cache
from urllib.parse import quote

import pytest

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@cache
def _pg_base() -> tuple[str | None, str]:
    url = os.environ.get("NPVR_TEST_POSTGRES_URL") or DEFAULT_PG
    try:
        import sqlalchemy as sa

        eng = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(sa.text("select 1"))
        eng.dispose()
    except Exception as exc:  # any failure to connect means: skip with the reason
        return None, f"PostgreSQL not reachable at {url} ({type(exc).__name__}); set NPVR_TEST_POSTGRES_URL"
    return url, ""


def _pg_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


def _fresh_url(backend: str, tmp_path, name: str) -> Iterator[str]:
    import sqlalchemy as sa

    from npvr.register import db

    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / (name + '.sqlite')}"
        yield url
        db.make_engine(url).dispose()
        return
    base, reason = _pg_base()
    if base is None:
        pytest.skip(reason)
    schema = f"npvr_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _pg_url(base, schema)
    try:
        yield url
    finally:
        db.make_engine(url).dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def empty_url(backend, tmp_path) -> Iterator[str]:
    """A database URL with nothing in it (not initialised)."""
    yield from _fresh_url(backend, tmp_path, "empty")


@pytest.fixture
def url(backend, tmp_path) -> Iterator[str]:
    """An initialised, empty register."""
    from npvr.register import init_register

    for u in _fresh_url(backend, tmp_path, "reg"):
        init_register(u)
        yield u


@pytest.fixture
def url2(backend, tmp_path) -> Iterator[str]:
    """A second initialised register on the same backend (round-trip target)."""
    from npvr.register import init_register

    for u in _fresh_url(backend, tmp_path, "reg2"):
        init_register(u)
        yield u


@pytest.fixture(scope="session")
def ref():
    """The default reference (11 NPVR regions, 342 gemeenten, the catalogue) from the snapshot."""
    from npvr.register import default_reference

    r = default_reference()
    assert r.gemeenten is not None and len(r.gemeenten) == 342, "snapshot gemeenten not available"
    return r
