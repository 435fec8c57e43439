"""Bad input everywhere gets a clear message (on the page, or the one JSON error shape) and nothing
is written: malformed uploads, negative amounts, unknown regions, oversized files."""

from __future__ import annotations

import pytest

from npvr.register import open_register

SHAPE = {"error", "message", "message_en", "file", "line", "field"}


def _state(app) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    svc = open_register(app.state.npvr.url)
    return len(svc.log()), [str(a) for a in svc.amounts()["amount"]]


def test_negative_amount_api_and_page(client, app) -> None:
    before = _state(app)
    c = client("twente")
    body = {
        "measure": "TWE-01",
        "year": 2027,
        "kind": "gepland",
        "source_type": "provincie",
        "amount": "-5.00",
    }
    r = c.put("/api/register/amounts", json=body)
    assert r.status_code == 422 and set(r.json()) >= SHAPE
    assert r.json()["problems"][0]["field"] == "bedrag" and "negatief" in r.json()["problems"][0]["message"]
    tok = c.get("/api/session").json()["csrf_token"]
    form = {"csrf_token": tok, "versie": "2", "jaar": "20x6", "soort": "gepland", "bron": "provincie",
            "bedrag": "-5"}  # fmt: skip
    page = c.post("/register/maatregel/TWE-01/bedrag", data=form)
    assert page.status_code == 422
    # both problems next to their fields, in one go
    assert 'id="e-bedrag"' in page.text and "negatief bedrag" in page.text
    assert 'id="e-jaar"' in page.text and 'aria-invalid="true"' in page.text
    assert _state(app) == before


def test_unknown_region(client, app) -> None:
    before = _state(app)
    admin = client("admin")
    r = admin.post(
        "/api/register/measures", json={"code": "X-1", "region": "atlantis", "title": "x", "theme": "zorg"}
    )
    assert r.status_code == 422 and "atlantis" in r.json()["message"]
    r = admin.put("/api/register/needs", json={"region": "atlantis", "year": 2030, "amount": "1.00"})
    assert r.status_code == 422
    assert client().get("/api/regions/atlantis").status_code == 404
    assert client().get("/regio/atlantis").status_code == 404
    assert _state(app) == before


def test_malformed_uploads(client, app) -> None:
    before = _state(app)
    admin = client("admin")
    r = admin.post("/api/register/import", files={"file": ("register.xlsx", b"PK\x03\x04 not a zip", "x")})
    assert r.status_code == 422 and r.json()["file"] == "register.xlsx"
    assert "/tmp" not in r.json()["message"]
    r = admin.post("/api/register/import", files={"file": ("plaatje.png", b"\x89PNG", "image/png")})
    assert r.status_code == 422 and r.json()["field"] == "file"
    bad_rows = (
        b"maatregel,jaar,soort,bron,bedrag\nTWE-01,2027,gepland,provincie,-1\nTWE-01,dertig,gepland,eu,1\n"
    )
    r = admin.post("/api/register/import", files={"file": ("bedragen.csv", bad_rows, "text/csv")})
    assert r.status_code == 422
    rows = {p["row"] for p in r.json()["problems"]}
    assert rows == {2, 3} and all(p["file"] == "bedragen.csv" for p in r.json()["problems"])
    # the page shows every problem
    tok = admin.get("/api/session").json()["csrf_token"]
    page = admin.post(
        "/register/import", data={"csrf_token": tok}, files={"file": ("bedragen.csv", bad_rows, "text/csv")}
    )
    assert page.status_code == 422 and "regel 2" in page.text and "regel 3" in page.text
    assert _state(app) == before


@pytest.mark.parametrize(
    "text",
    [
        b"kind: fund\nbudget: [unclosed\n",
        b"\xff\xfe\x00garbage",
        b"",
        b"kind: magic\nname: x\n",
        b"- just\n- a list\n",
    ],
)
def test_malformed_policy_yaml(client, text: bytes) -> None:
    c = client()
    r = c.post("/api/toets", files={"file": ("mijn-beleid.yaml", text, "application/yaml")})
    assert r.status_code == 422, r.text
    assert set(r.json()) >= SHAPE and r.json()["message"]
    assert "/tmp" not in r.json()["message"] and "npvr-web-" not in (r.json()["file"] or "")
    page = c.post(
        "/toets", data={"csrf_token": c.headers["X-CSRF-Token"], "yaml": text.decode("utf-8", "replace")}
    )
    assert page.status_code == 422 and 'role="alert"' in page.text


def test_oversized_upload_is_refused_before_reading(client, app) -> None:
    before = _state(app)
    admin = client("admin")
    big = b"x" * 300_000  # the test app's limit is 200 kB
    r = admin.post("/api/register/import", files={"file": ("groot.xlsx", big, "x")})
    assert r.status_code == 413 and r.json()["error"] == "TooLarge" and "te groot" in r.json()["message"]
    r = client().post("/api/toets", files={"file": ("groot.yaml", big, "application/yaml")})
    assert r.status_code == 413
    assert _state(app) == before


def test_bad_query_values_on_pages(client) -> None:
    c = client()
    for url in ("/indicatoren?indicator=geluk", "/indicatoren?level=wijkje", "/indicatoren?period=abc",
                "/index?w_werk=veel", "/index?w_werk=-1", "/index?normalisation=magic"):  # fmt: skip
        r = c.get(url)
        assert r.status_code == 422, url
        assert 'role="alert"' in r.text and "Traceback" not in r.text
