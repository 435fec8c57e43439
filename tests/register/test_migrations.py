"""The shipped Alembic migrations build exactly the models' schema, and can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import npvr.loop.models  # noqa: F401  (the policy loop's tables share the register's metadata)
from npvr.register import db, has_register, init_register
from npvr.register.models import Base
from npvr.web import users as _web_users  # noqa: F401  (its tables are on the same Base)


def test_migrations_match_models_and_downgrade(empty_url):
    assert not has_register(empty_url)
    assert init_register(empty_url) == db.head_revision(db.make_engine(empty_url))
    engine = db.make_engine(empty_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert db.downgrade(empty_url, "base") is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert init_register(empty_url) == db.head_revision(engine)
    assert has_register(empty_url)


def test_has_register_does_not_create_a_file(tmp_path):
    path = tmp_path / "none.sqlite"
    assert not has_register(f"sqlite:///{path}")
    assert not path.exists()


def test_url_resolution(monkeypatch):
    monkeypatch.delenv(db.ENV_VAR, raising=False)
    assert db.resolve_url(None) == "sqlite:///npvr-register.sqlite"
    monkeypatch.setenv(db.ENV_VAR, "postgresql+psycopg://u@h/d")
    assert db.resolve_url(None) == "postgresql+psycopg://u@h/d"
    assert db.resolve_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
    assert db.resolve_url("data/r.sqlite") == "sqlite:///data/r.sqlite"
