"""Accounts and rights: every mutating endpoint x every role, CSRF, rate limit, cookie flags,
sessions that end with a password change, drafts hidden from other regions, edit conflicts."""

from __future__ import annotations

import io

import pytest

from npvr.register import open_register

ROLES = ["anonymous", "lezer", "own", "other", "admin"]
LOGIN = {"anonymous": None, "lezer": "lezer", "own": "twente", "other": "zuidlimburg", "admin": "admin"}
EDIT = {"anonymous": 401, "lezer": 403, "own": 200, "other": 403, "admin": 200}
ADMIN = {"anonymous": 401, "lezer": 403, "own": 403, "other": 403, "admin": 200}
# form posts answer a redirect (303) on success
FORM_EDIT = {**EDIT, "own": 303, "admin": 303}
FORM_ADMIN = {**ADMIN, "admin": 303}

NEED_CSV = b"regio,thema,jaar,bedrag,bron\ntwente,,2030,1000000.00,test\n"


def _need_version(c) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The version of the need row read before changing it (every change names the version read)."""
    rows = open_register(c.app.state.npvr.url).list_needs("twente")
    found = [r["version"] for r in rows if (r["theme"], r["year"]) == ("bereikbaarheid", 2031)]
    return {"expected_version": found[0]} if found else {}


def _api(c, name: str):  # type: ignore[no-untyped-def]
    """The mutating API calls, all on Twente records."""
    v = c.get("/api/register/measures/TWE-01").json().get("measure", {}).get("version", 2)
    calls = {
        "save_plan": lambda: c.post(
            "/api/register/plans",
            json={
                "code": "TWE-RP",
                "region": "twente",
                "kind": "regioplan",
                "title": "Regioplan Twente (gewijzigd)",
                "status": "in-voorbereiding",
                "expected_version": 1,
            },
        ),
        "create_measure": lambda: c.post(
            "/api/register/measures",
            json={"code": "TWE-02", "region": "twente", "title": "Nieuw", "theme": "zorg"},
        ),
        "update_measure": lambda: c.put(
            "/api/register/measures/TWE-01", json={"expected_version": v, "title": "X"}
        ),
        "delete_measure": lambda: c.delete("/api/register/measures/TWE-01", params={"expected_version": v}),
        "set_amount": lambda: c.put(
            "/api/register/amounts",
            json={
                "measure": "TWE-01",
                "year": 2027,
                "kind": "gepland",
                "source_type": "provincie",
                "amount": "10.00",
                "expected_measure_version": v,
            },
        ),
        "set_need": lambda: c.put(
            "/api/register/needs",
            json={
                "region": "twente",
                "year": 2031,
                "theme": "bereikbaarheid",
                "amount": "5.00",
                **_need_version(c),
            },
        ),
        "mark_draft": lambda: c.post("/api/register/plans/TWE-RP/draft", json={"draft": True}),
        "import": lambda: c.post(
            "/api/register/import", files={"file": ("behoefte.csv", NEED_CSV, "text/csv")}
        ),
        "add_user": lambda: c.post(
            "/api/users", json={"username": "nieuw", "password": "nog-een-wachtwoord", "role": "lezer"}
        ),
        "update_user": lambda: c.put("/api/users/lezer", json={"role": "lezer", "active": False}),
    }
    return calls[name]()


API_EXPECT = {
    "save_plan": EDIT,
    "create_measure": EDIT,
    "update_measure": EDIT,
    "delete_measure": EDIT,
    "set_amount": EDIT,
    "set_need": EDIT,
    "mark_draft": ADMIN,
    "import": ADMIN,
    "add_user": ADMIN,
    "update_user": ADMIN,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(API_EXPECT))
def test_api_authorisation(client, app, endpoint: str, role: str) -> None:
    c = client(LOGIN[role])
    before = len(open_register(app.state.npvr.url).log())
    r = _api(c, endpoint)
    assert r.status_code == API_EXPECT[endpoint][role], r.text
    after = len(open_register(app.state.npvr.url).log())
    if r.status_code >= 400:
        assert set(r.json()) >= {"error", "message", "field"}
        assert after == before  # refused: nothing written, nothing logged
    else:
        assert after > before  # every change is in the audit trail ...
        last = open_register(app.state.npvr.url).log().iloc[-1]
        assert last["actor"] == LOGIN[role] and last["origin"].startswith("web")  # ... with the user


def _form(c, name: str):  # type: ignore[no-untyped-def]
    tok = c.get("/api/session").json()["csrf_token"]
    v = 2
    calls = {
        "edit_measure": lambda: c.post(
            "/register/maatregel/TWE-01",
            data={
                "csrf_token": tok,
                "versie": v,
                "titel": "Gewijzigd",
                "regio": "twente",
                "thema": "economie",
            },
        ),
        "set_amount": lambda: c.post(
            "/register/maatregel/TWE-01/bedrag",
            data={
                "csrf_token": tok,
                "versie": v,
                "jaar": "2027",
                "soort": "gepland",
                "bron": "provincie",
                "bedrag": "12.00",
            },
        ),
        "new_measure": lambda: c.post(
            "/register/maatregel",
            data={"csrf_token": tok, "code": "TWE-03", "regio": "twente", "titel": "Nieuw", "thema": "zorg"},
        ),
        "mark_draft": lambda: c.post("/register/plan/TWE-RP/concept", data={"csrf_token": tok, "draft": "1"}),
        "edit_plan": lambda: c.post(
            "/register/plan",
            data={
                "csrf_token": tok,
                "versie": "1",
                "code": "TWE-RP",
                "regio": "twente",
                "soort": "regioplan",
                "titel": "Regioplan Twente (gewijzigd)",
                "status": "vastgesteld",
            },
        ),
        "import": lambda: c.post(
            "/register/import",
            data={"csrf_token": tok},
            files={"file": ("behoefte.csv", NEED_CSV, "text/csv")},
        ),
        "add_user": lambda: c.post(
            "/beheer/gebruikers",
            data={"csrf_token": tok, "username": "nieuw2", "password": "nog-een-wachtwoord", "role": "lezer"},
        ),
    }
    return calls[name]()


FORM_EXPECT = {
    "edit_measure": FORM_EDIT,
    "set_amount": FORM_EDIT,
    "new_measure": FORM_EDIT,
    "mark_draft": FORM_ADMIN,
    "edit_plan": FORM_EDIT,
    "import": {**ADMIN},
    "add_user": FORM_ADMIN,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(FORM_EXPECT))
def test_form_authorisation(client, app, endpoint: str, role: str) -> None:
    c = client(LOGIN[role])
    c.follow_redirects = False
    before = len(open_register(app.state.npvr.url).log())
    r = _form(c, endpoint)
    assert r.status_code == FORM_EXPECT[endpoint][role], r.text[:2000]
    if r.status_code >= 400:
        assert len(open_register(app.state.npvr.url).log()) == before


def test_redacteur_other_region_is_refused_on_api_and_page(client) -> None:
    c = client("twente")
    zl = c.get("/api/register/measures/ZLI-01").json()
    assert zl["can_edit"] is False
    r = c.put(
        "/api/register/measures/ZLI-01", json={"expected_version": zl["measure"]["version"], "title": "x"}
    )
    assert r.status_code == 403 and r.json()["error"] == "Forbidden"
    # moving the own measure into another region is refused too
    r = c.put("/api/register/measures/TWE-01", json={"expected_version": 2, "region": "zuid-limburg"})
    assert r.status_code == 403
    assert "measure-form" not in c.get("/register/maatregel/ZLI-01").text


def test_csrf_token_is_required(client) -> None:
    c = client("admin")
    c.headers.pop("X-CSRF-Token")
    r = c.put("/api/register/needs", json={"region": "twente", "year": 2031, "amount": "5.00"})
    assert r.status_code == 403 and r.json()["error"] == "CsrfError"
    r = c.put(
        "/api/register/needs",
        json={"region": "twente", "year": 2031, "amount": "5.00"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert r.status_code == 403
    r = c.post("/register/maatregel", data={"code": "X", "regio": "twente", "titel": "x", "thema": "zorg"})
    assert r.status_code == 403


def test_login_is_rate_limited_in_the_database(client, app, client_for) -> None:
    c = client()
    for _ in range(5):
        assert (
            c.post("/api/login", json={"username": "lezer", "password": "fout-wachtwoord"}).status_code == 401
        )
    r = c.post("/api/login", json={"username": "lezer", "password": "correct-horse-battery"})
    assert r.status_code == 429 and r.json()["error"] == "RateLimitError"
    # another worker (a second app on the same database) sees the same count
    from npvr.web import WebSettings, create_app

    make_client = client_for
    other = create_app(WebSettings(db_url=app.state.npvr.url, secure_cookies=False))
    c2 = make_client(other)
    assert (
        c2.post("/api/login", json={"username": "lezer", "password": "correct-horse-battery"}).status_code
        == 429
    )
    # and a session signed by one worker is valid in the other (shared secret in the database)
    a = client("admin")
    cookie = a.cookies.get("npvr_session")
    c3 = make_client(other)
    c3.cookies.set("npvr_session", cookie)
    assert c3.get("/api/session").json()["user"]["username"] == "admin"


def test_cookie_flags_and_password_change_ends_sessions(db_url, password) -> None:
    from npvr.web import WebSettings, create_app

    app = create_app(WebSettings(db_url=db_url, secure_cookies=True))
    from fastapi.testclient import TestClient

    c = TestClient(app, base_url="https://testserver")
    tok = c.get("/api/session").json()["csrf_token"]
    r = c.post("/api/login", json={"username": "lezer", "password": password}, headers={"X-CSRF-Token": tok})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert c.get("/api/session").json()["user"]["username"] == "lezer"
    app.state.npvr.users.set_password("lezer", "een-heel-nieuw-wachtwoord", actor="test")
    assert c.get("/api/session").json()["user"] is None
    assert c.get("/api/register").status_code == 401


def test_passwords_are_argon2_hashed(app) -> None:
    from sqlalchemy import select

    from npvr.web.users import User

    with app.state.npvr.users._sessions() as s:
        hashes = list(s.scalars(select(User.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all("correct-horse" not in h for h in hashes)


def test_drafts_are_hidden_from_other_regions(client) -> None:
    admin = client("admin")
    assert admin.post("/api/register/plans/ZLI-RP/draft", json={"draft": True}).status_code == 200
    zl_gap_all = {(g["region"], g["year"]): g for g in admin.get("/api/register/gap").json()}
    for who, sees in (("twente", False), ("lezer", False), ("zuidlimburg", True), ("admin", True)):
        c = client(who)
        data = c.get("/api/register").json()
        assert ("ZLI-RP" in [p["code"] for p in data["plans"]]) is sees, who
        assert ("ZLI-01" in [m["code"] for m in data["measures"]]) is sees, who
        assert (c.get("/api/register/measures/ZLI-01").status_code == 200) is sees, who
        log_keys = [e["key"] for e in c.get("/api/register/log", params={"limit": 5000}).json()]
        assert any(k.startswith("ZLI-01") for k in log_keys) is sees, who
        assert ("ZLI-01" in c.get("/register").text) is sees, who
        gap = {(g["region"], g["year"]): g for g in c.get("/api/register/gap").json()}
        planned = gap.get(("zuid-limburg", 2026), {}).get("planned")
        if sees:
            assert planned == zl_gap_all[("zuid-limburg", 2026)]["planned"]
        else:
            assert planned in (None, "0.00")  # the draft's money is not shown
    wb = client("twente").get("/api/register/export.xlsx")
    assert wb.status_code == 200 and b"ZLI-01" not in _xlsx_text(wb.content)


def _xlsx_text(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_api_conflict_second_writer_gets_409_nothing_lost(client, app) -> None:
    a, b = client("twente"), client("admin")
    amount_version = a.get("/api/register/measures/TWE-01").json()["measure"]["version"]
    body = {
        "measure": "TWE-01",
        "year": 2026,
        "kind": "gepland",
        "source_type": "rijk",
        "party": "EZ",
        "scheme": "Regio Deal",
        "expected_measure_version": amount_version,
    }
    assert a.put("/api/register/amounts", json={**body, "amount": "300000.00"}).status_code == 200
    r = b.put("/api/register/amounts", json={**body, "amount": "400000.00"})
    assert r.status_code == 409 and r.json()["error"] == "ConflictError"
    amounts = open_register(app.state.npvr.url).amounts()
    row = amounts[(amounts["measure"] == "TWE-01") & (amounts["year"] == 2026)]
    assert [str(x) for x in row["amount"]] == ["300000.00"]
