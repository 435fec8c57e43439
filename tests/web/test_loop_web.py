"""The policy loop's pages and JSON twins: login required, twins equal the library, 404 for unknown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from npvr.loop import import_file, open_loop, overdue_files
from npvr.web import views

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "loop" / "voorbeeld-beleidscyclus.xlsx"
ELEMENTS = {"a": "a", "b": "b", "c": "c", "e": "e"}


@pytest.fixture
def loop_db(db_url) -> str:
    import_file(EXAMPLE, db_url, actor="seed")
    loop = open_loop(db_url, actor="seed")
    loop.bridge_new("BR-STIL", title="stil dossier", initiator="EGTS", on="2026-01-02", elements=ELEMENTS)
    loop.bridge_step("BR-STIL", "ingediend", on="2026-01-05")
    return db_url


def test_loop_needs_login(loop_db, client) -> None:
    c = client()
    assert c.get("/api/loop").status_code == 401
    assert c.get("/beleidscyclus").status_code == 401


def test_overview_twin_equals_the_library(loop_db, client) -> None:
    c = client("lezer")
    data = c.get("/api/loop", params={"today": "2026-03-06", "q": "subsidie"}).json()
    loop = open_loop(loop_db)
    files = loop.bridge_files(today=dt.date(2026, 3, 6))
    assert data["files"] == views.jsonable(files)
    assert data["lessons"] == views.records(loop.lessons(text="subsidie"))
    assert [x["code"] for x in data["lessons"]] == ["LES-ACH-01"]
    assert data["obstacles"] == views.records(loop.obstacles())
    assert data["overdue"] == views.jsonable(overdue_files(files, today=dt.date(2026, 3, 6)))
    assert [x["code"] for x in data["overdue"]] == ["BR-STIL"]  # submitted 5 Jan; 2 months ended 5 Mar
    late = c.get("/api/loop/bridge/overdue", params={"today": "2026-03-05"}).json()
    assert late == []


def test_pages_render_with_the_figures(loop_db, client) -> None:
    c = client("lezer")
    page = c.get("/beleidscyclus", params={"today": "2026-03-06"}).text
    assert "BR-STIL" in page and "Over tijd" in page and "AANP-2026-01" in page
    adj = c.get("/beleidscyclus/aanpassing/AANP-2026-01").text
    rec = open_loop(loop_db).get_adjustment("AANP-2026-01")
    ach = next(r for r in rec["toets_result"]["regions"] if r["regio"] == "achterhoek")
    assert views.jsonable(ach)["naam"] in adj and "Effectpaneel" in adj
    from npvr.web.fmt import num

    assert num(ach["euro_A"], "nl", 0) in adj and num(ach["euro_B"], "nl", 0) in adj
    en = c.get("/beleidscyclus/bridge/BR-2026-01", params={"lang": "en"}).text
    assert "Time limits" in en and "art. 9, lid 2" in en
    assert c.get("/beleidscyclus/bridge/BESTAAT-NIET").status_code == 404
    assert c.get("/api/loop/adjustments/BESTAAT-NIET").status_code == 404
