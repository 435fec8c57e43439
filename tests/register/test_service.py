"""The Python API: exact money, optimistic locking, the audit trail — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from npvr.errors import ConflictError, DataError, ValidationError
from npvr.register import db, init_register, open_register
from npvr.register.models import Measure


def _measure(svc, code="ACH-01", **kw):
    args = {"region": "achterhoek", "title": "Snelbus", "theme": "voorzieningen", "gemeenten": ["GM0294"]}
    args.update(kw)
    return svc.create_measure(code, **args)


def test_open_refuses_uninitialised(empty_url):
    with pytest.raises(DataError, match="npvr register init"):
        open_register(empty_url)
    head = db.head_revision(db.make_engine(empty_url))
    assert "0002_register_integrity" in head.split("+")
    assert init_register(empty_url) == head
    assert init_register(empty_url) == head  # idempotent
    open_register(empty_url)


def test_money_is_exact(url, ref):
    svc = open_register(url, actor="t", reference=ref)
    _measure(svc)
    values = ["0.10", "0.20", "12345678901.23", "0.01"]
    for i, v in enumerate(values):
        svc.set_amount("ACH-01", year=2025 + i, kind="gepland", source_type="privaat", party="x", amount=v)
    got = svc.amounts()
    assert list(got["amount"]) == [Decimal(v) for v in values]
    assert all(isinstance(v, Decimal) for v in got["amount"])
    assert sum(got["amount"]) == Decimal("12345678901.54")
    # the database holds whole cents, not floats
    with sa.create_engine(url).connect() as conn:
        cents = sorted(conn.execute(sa.text("select amount from amounts")).scalars())
    assert cents == sorted([10, 20, 1234567890123, 1])
    with pytest.raises(ValidationError, match="twee decimalen") as exc:
        svc.set_amount("ACH-01", year=2025, kind="gepland", source_type="privaat", party="x", amount="1.005")
    assert exc.value.problems[0].field == "bedrag"


def test_validation_lists_every_problem(url, ref):
    svc = open_register(url, reference=ref)
    with pytest.raises(ValidationError) as exc:
        svc.create_measure("X-1", region="atlantis", title="t", theme=None, gemeenten=["GM9999", "GM0294"])
    fields = sorted(p.field for p in exc.value.problems if p.severity == "error")
    assert fields == ["gemeenten", "regio", "thema"]
    assert "atlantis" in exc.value.message and "GM9999" in exc.value.message
    _measure(svc)
    with pytest.raises(ValidationError, match="negatief bedrag"):
        svc.set_amount("ACH-01", year=2025, kind="gepland", source_type="privaat", party="x", amount="-5")
    with pytest.raises(ValidationError, match="buiten de programmaperiode 2025–2034"):
        svc.set_amount("ACH-01", year=2035, kind="gepland", source_type="privaat", party="x", amount="5")
    svc.set_amount("ACH-01", year=2025, kind="toegezegd", source_type="privaat", party="x", amount="5")
    r = svc.set_amount("ACH-01", year=2025, kind="betaald", source_type="privaat", party="x", amount="7")
    assert len(r["warnings"]) == 1 and "betaald (7.00) is hoger dan toegezegd (5.00)" in r["warnings"][0]
    with pytest.raises(ValidationError, match="departement"):
        svc.set_amount("ACH-01", year=2025, kind="gepland", source_type="rijk", amount="5")
    assert sorted(svc.amounts()["kind"]) == ["betaald", "toegezegd"]


def test_version_check_refuses_stale_write_and_loses_nothing(url, ref):
    alice = open_register(url, actor="alice", reference=ref)
    bob = open_register(url, actor="bob", reference=ref)
    _measure(alice)
    seen_by_bob = bob.get_measure("ACH-01")
    alice.update_measure("ACH-01", expected_version=1, title="Snelbus (nieuw)")
    with pytest.raises(ConflictError, match="intussen gewijzigd"):
        bob.update_measure("ACH-01", expected_version=seen_by_bob["version"], description="B")
    # Bob reloads and re-applies: both changes are there
    fresh = bob.get_measure("ACH-01")
    assert fresh["version"] == 2 and fresh["title"] == "Snelbus (nieuw)"
    bob.update_measure("ACH-01", expected_version=2, description="B")
    final = alice.get_measure("ACH-01")
    assert (final["title"], final["description"], final["version"]) == ("Snelbus (nieuw)", "B", 3)


def test_race_between_check_and_write_is_refused(url, ref):
    """Both sessions pass the version check before either writes: the database refuses the second."""
    a = open_register(url, actor="a", reference=ref)
    b = open_register(url, actor="b", reference=ref)
    _measure(a)
    with pytest.raises(ConflictError, match="iemand anders"), a.transaction() as sa_:
        ma = sa_.scalar(select(Measure).where(Measure.code == "ACH-01"))
        assert ma.version == 1
        with b.transaction() as sb:
            mb = sb.scalar(select(Measure).where(Measure.code == "ACH-01"))
            mb.title = "B"
        ma.description = "A"
    m = a.get_measure("ACH-01")
    assert (m["title"], m["description"], m["version"]) == ("B", None, 2)


def test_threads_one_wins_one_refused(url, ref):
    """Two threads update the same version at once: exactly one lands, one gets ConflictError."""
    _measure(open_register(url, reference=ref))
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def worker(name: str) -> None:
        svc = open_register(url, actor=name, reference=ref)
        barrier.wait()
        try:
            results[name] = svc.update_measure("ACH-01", expected_version=1, title=f"by {name}")
        except Exception as exc:  # recorded, so the assertion below shows what went wrong
            results[name] = exc

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("t1", "t2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 2
    refused = [n for n, r in results.items() if isinstance(r, ConflictError)]
    won = [n for n, r in results.items() if isinstance(r, dict)]
    assert len(refused) == 1 and len(won) == 1, results
    m = open_register(url, reference=ref).get_measure("ACH-01")
    assert m["title"] == f"by {won[0]}" and m["version"] == 2


def test_amounts_and_needs_carry_their_own_version(url, ref):
    svc = open_register(url, reference=ref)
    _measure(svc)
    args = {"year": 2025, "kind": "gepland", "source_type": "eu", "party": "EFRO"}
    r = svc.set_amount("ACH-01", amount="10", **args)
    assert r["version"] == 1 and svc.get_amount("ACH-01", **args)["version"] == 1
    # a change without the version read, or with a stale one, is refused and changes nothing
    with pytest.raises(ConflictError, match=r"bestaat al \(versie 1\)"):
        svc.set_amount("ACH-01", amount="11", **args)
    assert svc.set_amount("ACH-01", amount="11", expected_version=1, **args)["version"] == 2
    with pytest.raises(ConflictError, match="nu versie 2, u had versie 1"):
        svc.set_amount("ACH-01", amount="12", expected_version=1, **args)
    with pytest.raises(ConflictError, match="bestaat niet"):
        svc.set_amount("ACH-01", amount="12", expected_version=3, **{**args, "year": 2026})
    assert svc.amounts()["amount"].tolist() == [Decimal("11.00")]
    assert svc.list_amounts(measure="ACH-01")[0]["version"] == 2
    # need rows likewise
    n = svc.set_need("achterhoek", year=2025, amount="100")
    assert n["version"] == 1
    with pytest.raises(ConflictError):
        svc.set_need("achterhoek", year=2025, amount="200")
    assert svc.set_need("achterhoek", year=2025, amount="200", expected_version=1)["version"] == 2
    assert svc.get_need("achterhoek", year=2025)["amount"] == Decimal("200.00")
    # deletes need the version too, and stay in the log
    with pytest.raises(ConflictError):
        svc.delete_amount("ACH-01", expected_version=1, **args)
    svc.delete_amount("ACH-01", expected_version=2, **args)
    svc.delete_need("achterhoek", year=2025, expected_version=2)
    assert svc.list_amounts() == [] and svc.list_needs() == []
    assert svc.log()["action"].tolist()[-2:] == ["delete", "delete"]
    # the measure's version covers its money: create, change and delete each bumped it
    assert svc.get_measure("ACH-01")["version"] == 4


def test_a_form_may_lock_the_whole_measure_instead(url, ref):
    """A page showing a measure with its money passes the measure's version: any change of the
    measure or its money since then is a conflict, for new and existing amounts alike."""
    a = open_register(url, actor="a", reference=ref)
    b = open_register(url, actor="b", reference=ref)
    _measure(a)
    seen = b.get_measure("ACH-01")["version"]
    args = {"year": 2026, "kind": "gepland", "source_type": "rijk", "party": "EZ", "scheme": "Regio Deal"}
    r = a.set_amount("ACH-01", amount="300000", expected_measure_version=seen, **args)
    assert (r["version"], r["measure_version"]) == (1, seen + 1)
    with pytest.raises(ConflictError, match="intussen gewijzigd"):
        b.set_amount("ACH-01", amount="400000", expected_measure_version=seen, **args)
    with pytest.raises(ConflictError):  # a new amount on the stale page too
        b.set_amount("ACH-01", amount="1", expected_measure_version=seen, **{**args, "year": 2027})
    assert [x["amount"] for x in b.list_amounts()] == [Decimal("300000.00")]


def test_audit_trail_records_every_change(url, ref):
    svc = open_register(url, actor="jan", reference=ref)
    svc.save_plan("ACH-RP", region="achterhoek", kind="regioplan", title="RP", status="in-voorbereiding")
    _measure(svc, plan="ACH-RP")
    svc.set_amount("ACH-01", year=2025, kind="gepland", source_type="eu", party="EFRO", amount="10")
    svc.set_amount(
        "ACH-01",
        year=2025,
        kind="gepland",
        source_type="eu",
        party="EFRO",
        amount="12.50",
        expected_version=1,
    )
    svc.update_measure("ACH-01", expected_version=3, gemeenten=["GM0294", "GM0222"], title="T2")
    svc.save_plan(
        "ACH-RP", region="achterhoek", kind="regioplan", title="RP", status="vastgesteld", expected_version=1
    )
    svc.set_need("achterhoek", year=2025, amount="100", theme="gezondheid")
    svc.delete_measure("ACH-01", expected_version=4)
    log = svc.log()
    got = list(zip(log["action"], log["entity"], log["key"], strict=True))
    amount_key = "ACH-01/2025/eu/EFRO//gepland"
    assert got == [
        ("insert", "plans", "ACH-RP"),
        ("insert", "measures", "ACH-01"),
        ("insert", "funding_sources", "eu/EFRO/"),
        ("insert", "amounts", amount_key),
        ("update", "amounts", amount_key),
        ("update", "measures", "ACH-01"),
        ("update", "plans", "ACH-RP"),
        ("insert", "needs", "achterhoek/gezondheid/2025"),
        ("delete", "amounts", amount_key),
        ("delete", "measures", "ACH-01"),
    ]
    ch = log["changes"].tolist()
    assert ch[4] == {"amount": ["10.00", "12.50"]}
    assert ch[5] == {"gemeenten": [["GM0294"], ["GM0222", "GM0294"]], "title": ["Snelbus", "T2"]}
    assert ch[6] == {"status": ["in-voorbereiding", "vastgesteld"]}
    assert ch[9]["title"] == ["T2", None]  # the deleted measure keeps its last values in the log
    assert set(log["actor"]) == {"jan"}


def test_audit_log_is_append_only_in_the_database(url, ref):
    svc = open_register(url, reference=ref)
    _measure(svc)
    eng = sa.create_engine(url)
    for stmt in ("update audit_log set actor = 'mallory'", "delete from audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), eng.begin() as conn:
            conn.execute(sa.text(stmt))
    eng.dispose()
    log = svc.log()
    assert log["action"].tolist() == ["insert"] and "mallory" not in set(log["actor"])
