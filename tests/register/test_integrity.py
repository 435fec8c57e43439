"""The register keeps its promises: same refusals on SQLite and PostgreSQL, no rewritable audit
log, no lost updates, validated database URLs (issue 9)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
import sqlalchemy as sa

from npvr.errors import ConfigError, DataError, ValidationError
from npvr.register import db, import_file, open_register, require_register

MEASURE = {"region": "achterhoek", "title": "Snelbus", "theme": "voorzieningen"}
AMOUNT = {"year": 2025, "kind": "gepland", "source_type": "eu", "party": "EFRO"}


# --- the audit log cannot be rewritten ------------------------------------------------------------


def test_audit_log_cannot_be_replaced_or_upserted(url, ref):
    """Regression: on SQLite `REPLACE INTO audit_log` replaced an entry (no DELETE trigger fires)."""
    svc = open_register(url, actor="jan", reference=ref)
    svc.create_measure("ACH-01", **MEASURE)
    entry_id = int(svc.log()["id"].iloc[0])
    eng = sa.create_engine(url)
    cols = "id, at, actor, origin, action, entity, entity_key, changes"
    vals = f"{entry_id}, CURRENT_TIMESTAMP, 'mallory', '', 'insert', 'measures', 'X', '{{}}'"
    statements = [
        f"INSERT INTO audit_log ({cols}) VALUES ({vals}) ON CONFLICT (id) DO UPDATE SET actor = 'mallory'",
    ]
    if eng.dialect.name == "sqlite":
        statements += [
            f"REPLACE INTO audit_log ({cols}) VALUES ({vals})",
            f"INSERT OR REPLACE INTO audit_log ({cols}) VALUES ({vals})",
        ]
    for stmt in statements:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), eng.begin() as conn:
            conn.execute(sa.text(stmt))
    eng.dispose()
    log = svc.log()
    assert log["actor"].tolist() == ["jan"] and log["key"].tolist() == ["ACH-01"]


# --- the same input is accepted or refused on both backends ------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 401, "te lang: 401 tekens, hoogstens 400"),
        ("title", "Snel\x00bus", "NUL-teken"),
        ("description", "y" * 10_001, "te lang: 10001 tekens, hoogstens 10000"),
        ("code", "C" * 65, "te lang: 65 tekens, hoogstens 64"),
    ],
)
def test_text_is_checked_before_the_database(url, ref, field, value, message):
    svc = open_register(url, reference=ref)
    args = {**MEASURE, "code": "ACH-01", field: value}
    code = args.pop("code")
    with pytest.raises(ValidationError, match=message) as exc:
        svc.create_measure(code, **args)
    assert "\x00" not in exc.value.message
    assert svc.list_measures() == []
    ok = {**MEASURE, "title": "x" * 400, "description": "y" * 10_000}
    assert svc.create_measure("C" * 64, **ok)["title"] == "x" * 400  # the limits themselves pass


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000000000000.01", "groter dan het maximum"),
        ("NaN", "geen een bedrag"),
        ("Infinity", "geen een bedrag"),
        ("-inf", "geen een bedrag"),
        (float("inf"), "geen een bedrag"),
        (float("nan"), "ontbreekt"),  # an empty Excel cell arrives as NaN
        ("1e999999999", "groter dan het maximum"),
        ("9" * 70, "geen een bedrag"),
    ],
)
def test_money_range_is_checked_before_decimal_arithmetic(url, ref, value, message):
    svc = open_register(url, reference=ref)
    svc.create_measure("ACH-01", **MEASURE)
    with pytest.raises(ValidationError, match=message) as exc:
        svc.set_amount("ACH-01", amount=value, **AMOUNT)
    assert [p.field for p in exc.value.problems] == ["bedrag"]
    top = svc.set_amount("ACH-01", amount="1000000000000.00", **AMOUNT)  # exactly 10^12 euro is fine
    assert top["amount"] == Decimal("1000000000000.00")


def test_huge_year_is_a_message_not_a_hang(url, ref):
    svc = open_register(url, reference=ref)
    svc.create_measure("ACH-01", **MEASURE)
    with pytest.raises(ValidationError, match="te groot"):
        svc.set_amount("ACH-01", amount="1", **{**AMOUNT, "year": "1e999999999"})
    with pytest.raises(ValidationError, match="te groot voor een geheel getal"):
        svc.set_amount("ACH-01", amount="1", **{**AMOUNT, "year": 2**40})


def test_a_workbook_with_every_kind_of_bad_text_lists_each_cell(url, ref, tmp_path):
    p = tmp_path / "maatregelen.csv"
    p.write_text(
        "code,regio,titel,thema,omschrijving\n"
        f"M1,achterhoek,{'t' * 401},werk,ok\n"
        "M2,achterhoek,ok,werk,nul\x00hier\n"
        f"M3,achterhoek,ok,werk,{'d' * 10_001}\n"
        "M4,achterhoek,ok,werk,ok\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as exc:
        import_file(p, url, reference=ref)
    got = [(pr.row, pr.field) for pr in exc.value.problems if pr.severity == "error"]
    assert got == [(2, "titel"), (3, "omschrijving"), (4, "omschrijving")]
    assert open_register(url).list_measures() == []


def test_a_database_data_error_becomes_an_npvr_error(url, ref):
    """Should a value slip past validation, the refusal is an NpvrError and nothing is written."""
    from npvr.register.models import Amount, Measure

    svc = open_register(url, reference=ref)
    svc.create_measure("ACH-01", **MEASURE)
    svc.set_amount("ACH-01", amount="1", **AMOUNT)
    with pytest.raises(DataError, match="weigert een waarde"), svc.transaction() as s:
        s.scalar(sa.select(Amount)).amount = Decimal("1.005")  # refused by the exact-cents column type
        s.flush()
    if sa.make_url(url).get_backend_name() == "postgresql":
        with pytest.raises(DataError, match="weigert een waarde"), svc.transaction() as s:
            s.scalar(sa.select(Measure)).title = "T"
            s.flush()
            s.execute(
                sa.text("UPDATE measures SET version = 3000000000")
            )  # beyond INTEGER: psycopg DataError
    assert svc.get_amount("ACH-01", **AMOUNT)["amount"] == Decimal("1.00")
    assert svc.get_measure("ACH-01")["title"] == "Snelbus"


# --- database URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "schema 'mysql' wordt niet ondersteund"),
        ("postgresql://u@h:abc/db", "niet te lezen"),
        ("postgresql://u@h:99999/db", "poort 99999 bestaat niet"),
        ("postgresql://u@h", "naam van de database ontbreekt"),
        ("postgresql+psycopg://u:geheim@h:5432/", "naam van de database ontbreekt"),
        ("://", "niet te lezen"),
    ],
)
def test_bad_urls_get_a_message(url, message):
    with pytest.raises(ConfigError, match=message) as exc:
        db.resolve_url(url)
    assert exc.value.field == "--db"
    assert "geheim" not in exc.value.message  # passwords never appear in messages


def test_url_schemes_are_normalised():
    assert db.resolve_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert db.resolve_url("postgres://u@h:5433/d") == "postgresql+psycopg://u@h:5433/d"
    assert db.resolve_url("register.sqlite") == "sqlite:///register.sqlite"


def test_cli_bad_url_exit_2():
    from typer.testing import CliRunner

    from npvr.cli import app

    r = CliRunner().invoke(app, ["register", "gap", "--db", "postgresql://u@h:abc/db"])
    assert r.exit_code == 2 and "ongeldige database-URL" in r.output
    assert not isinstance(r.exception, Exception) or isinstance(r.exception, SystemExit)


def test_report_with_db_naming_a_missing_register_is_an_error(tmp_path, empty_url):
    from npvr.monitor.panel import _register

    missing = f"sqlite:///{tmp_path / 'nope.sqlite'}"
    with pytest.raises(DataError, match="bestaat niet"):
        require_register(missing)
    with pytest.raises(DataError, match="bestaat niet"):
        _register(missing)
    assert not (tmp_path / "nope.sqlite").exists()
    with pytest.raises(DataError, match="npvr register init"):
        _register(empty_url)  # the database exists but holds no register


PG_ONLY = pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


@PG_ONLY
def test_report_with_db_naming_a_missing_postgres_database_is_an_error(empty_url):
    missing = sa.make_url(empty_url).set(database="npvr_no_such_database")
    with pytest.raises(DataError, match="niet openen"):
        require_register(missing.render_as_string(hide_password=False))


# --- no lost updates ------------------------------------------------------------------------------------

WORKER = textwrap.dedent(
    """
    import random
    import sys
    import time
    from npvr.errors import ConflictError
    from npvr.register import open_register
    from npvr.register.reference import Reference

    url, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ref = Reference(regions={"achterhoek": frozenset()})
    svc = open_register(url, actor=name, reference=ref)
    key = dict(year=2025, kind="gepland", source_type="eu", party="EFRO")
    done = conflicts = streak = 0
    while done < n:
        a = svc.get_amount("ACH-01", **key)                       # read value and version
        try:
            svc.set_amount("ACH-01", amount=a["amount"] + 1,       # modify, write with that version
                           expected_version=a["version"], **key)
            done += 1
            streak = 0
        except ConflictError:
            conflicts += 1                                        # somebody was first: read again,
            streak += 1                                           # after a random pause that grows
            time.sleep(random.uniform(0, 0.005 * 2 ** min(streak, 7)))  # with each conflict in a row
    print(done, conflicts)
    """
)


@PG_ONLY
def test_concurrent_read_modify_write_loses_no_update(url):
    """8 processes x 50 read-modify-write edits of one amount through the public API: +400 exactly."""
    from npvr.register.reference import Reference

    ref = Reference(regions={"achterhoek": frozenset()})
    svc = open_register(url, reference=ref)
    svc.create_measure("ACH-01", region="achterhoek", title="t", theme="werk")
    svc.set_amount("ACH-01", amount="0", **AMOUNT)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, f"w{i}", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for i in range(8)
    ]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode()[-2000:] for o in outs]
    done = [int(o[0].split()[0]) for o in outs]
    assert done == [50] * 8
    final = svc.get_amount("ACH-01", **AMOUNT)
    assert final["amount"] == Decimal("400.00")  # 0 + 8 x 50 x 1: no update lost
    assert final["version"] == 401
    updates = svc.log(entity="amounts")
    assert (updates["action"] == "update").sum() == 400
