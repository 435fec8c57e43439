"""The register pages' adapter: open the register for the request's user, call
:class:`npvr.register.RegisterService`, apply the access rules (:mod:`npvr.web.access`) and
return records. Every write passes the user's name as the audit actor and origin ``web``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd

from npvr.register import RegisterService, compute_gap, default_reference
from npvr.register.models import AMOUNT_KINDS, GOALS, PLAN_KINDS, PLAN_STATUSES, SOURCE_TYPES, THEMES
from npvr.register.validate import SHEETS
from npvr.web import access
from npvr.web.users import Account
from npvr.web.views import records


@cache
def reference() -> Any:
    return default_reference()


def service(url: str, user: Account | None) -> RegisterService:
    """A service for one request (cheap: the engine is cached per URL; the schema is checked once
    at app start)."""
    return RegisterService(
        url,
        actor=user.username if user else "anoniem",
        reference=reference(),
        check_schema=False,
        origin="web",
    )


def vocab() -> dict[str, Any]:
    """The choices the forms offer (the register's vocabularies)."""
    return {
        "themes": list(THEMES),
        "goals": GOALS,
        "plan_kinds": list(PLAN_KINDS),
        "plan_statuses": PLAN_STATUSES,
        "amount_kinds": list(AMOUNT_KINDS),
        "source_types": list(SOURCE_TYPES),
        "regions": sorted(reference().regions),
    }


def overview(
    svc: RegisterService, user: Account | None, drafts: set[str], region: str | None = None
) -> dict[str, Any]:
    """Plans (with draft flag), measures and amounts the user may see; optionally one region."""
    plans, measures, amounts = access.visible(user, drafts, svc.plans(), svc.measures(), svc.amounts())
    assert amounts is not None
    if region:
        plans = plans[plans["region"] == region]
        measures = measures[measures["region"] == region]
        amounts = amounts[amounts["region"] == region]
    plans = plans.assign(draft=plans["code"].isin(drafts))
    return {"plans": records(plans), "measures": records(measures), "amounts": records(amounts)}


def gap(
    svc: RegisterService,
    user: Account | None,
    drafts: set[str],
    *,
    by: tuple[str, ...] = ("region", "year"),
    region: str | None = None,
) -> list[dict[str, Any]]:
    """Need against money (:func:`npvr.register.compute_gap`) over the amounts the user may see."""
    _, _, amounts = access.visible(user, drafts, svc.plans(), svc.measures(), svc.amounts())
    assert amounts is not None
    g = compute_gap(svc.needs(), amounts, by=by)
    if region:
        g = g[g["region"] == region]
    return records(g.reset_index(drop=True))


def measure(svc: RegisterService, user: Account | None, drafts: set[str], code: str) -> dict[str, Any]:
    """One measure with its amounts; a hidden draft is reported as unknown (no existence leak)."""
    m = svc.get_measure(code)
    plans = svc.plans()
    if m["plan"] in access.hidden_plans(user, plans, drafts):
        from npvr.errors import NpvrError

        raise NpvrError(f"onbekende maatregel '{code}'", en=f"unknown measure '{code}'", field="code")
    amounts = svc.amounts()
    amounts = amounts[amounts["measure"] == code].reset_index(drop=True)
    return {
        "measure": {k: _plain(v) for k, v in m.items()},
        "amounts": records(amounts),
        "can_edit": access.can_edit(user, m["region"]),
    }


def _plain(v: Any) -> Any:
    from npvr.web.views import jsonable

    return jsonable(v)


def log(
    svc: RegisterService, user: Account | None, drafts: set[str], *, limit: int = 200, key: str | None = None
) -> list[dict[str, Any]]:
    """The audit trail, newest first, without entries about plans/measures the user may not see."""
    df = svc.log()
    if key:  # the record itself and its amounts (keys "<measure>/<year>/…")
        df = df[(df["key"] == key) | df["key"].astype(str).str.startswith(key + "/")]
    hide = access.hidden_plans(user, svc.plans(), drafts)
    if hide:
        m = svc.measures()
        hidden_measures = set(m.loc[m["plan"].isin(hide), "code"])
        gone = hide | hidden_measures
        df = df[~df["key"].isin(gone) & ~df["key"].map(lambda k: str(k).split("/")[0] in hidden_measures)]
    df = df.iloc[::-1].head(limit).reset_index(drop=True)
    return records(df)


def check_import_allowed(user: Account | None) -> Account:
    """A workbook may touch every region: only the admin imports."""
    return access.require_admin(user)


def export_frames(svc: RegisterService, user: Account | None, drafts: set[str]) -> dict[str, pd.DataFrame]:
    """The exchange sheets, without what the user may not see."""
    frames = svc.export_frames()
    hide = access.hidden_plans(user, svc.plans(), drafts)
    if hide:
        m = frames["maatregelen"]
        hidden_measures = set(m.loc[m["plan"].isin(hide), "code"])
        frames["plannen"] = frames["plannen"][~frames["plannen"]["code"].isin(hide)]
        frames["maatregelen"] = m[~m["code"].isin(hidden_measures)]
        frames["bedragen"] = frames["bedragen"][~frames["bedragen"]["maatregel"].isin(hidden_measures)]
    return frames


SHEET_COLUMNS = {k: [c.name for c in v] for k, v in SHEETS.items()}
