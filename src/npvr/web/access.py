"""Who may do what, and what a user may see: the rules of the web app in one place.

* ``admin``: reads and changes everything, manages users, marks plans as draft.
* ``regio-redacteur``: reads everything it may see; changes plans, measures, amounts and the need
  of its own region only.
* ``lezer``: reads. Anonymous visitors see the statistics pages, not the register.
* A plan the admin marked as draft (and its measures and money) is shown only to the admin and to
  the editors of the plan's own region.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from npvr.errors import NpvrError
from npvr.web.users import Account


class LoginRequired(NpvrError):
    """The page or call needs a logged-in user (HTTP 401)."""


class Forbidden(NpvrError):
    """The user's role or region does not allow this (HTTP 403)."""


class CsrfError(NpvrError):
    """A form or API call came without the session's CSRF token (HTTP 403)."""


def require_login(user: Account | None) -> Account:
    if user is None:
        raise LoginRequired("log eerst in", en="please log in first")
    return user


def require_admin(user: Account | None) -> Account:
    user = require_login(user)
    if not user.is_admin:
        raise Forbidden("alleen een beheerder (ministerie) mag dit", en="only an administrator may do this")
    return user


def can_edit(user: Account | None, region: str | None) -> bool:
    """May ``user`` change the register entries of ``region``?"""
    if user is None:
        return False
    if user.is_admin:
        return True
    return user.role == "regio-redacteur" and region is not None and user.region == region


def require_edit(user: Account | None, regions: Iterable[str | None]) -> Account:
    """Refuse unless ``user`` may edit every one of ``regions`` (old and new region of a record)."""
    user = require_login(user)
    for region in regions:
        if not can_edit(user, region):
            if user.role == "regio-redacteur":
                raise Forbidden(
                    f"u bent redacteur van regio '{user.region}' en mag regio '{region}' niet wijzigen",
                    en=f"you edit region '{user.region}' and may not change region '{region}'",
                    field="regio",
                )
            raise Forbidden(
                "uw rol mag het register niet wijzigen", en="your role may not change the register"
            )
    return user


def hidden_plans(user: Account | None, plans: pd.DataFrame, drafts: set[str]) -> set[str]:
    """Codes of draft plans ``user`` may not see (all drafts outside the user's own region)."""
    if user is not None and user.is_admin:
        return set()
    own = user.region if user is not None else None
    sub = plans[plans["code"].isin(drafts)]
    return {c for c, r in zip(sub["code"], sub["region"], strict=True) if r != own}


def visible(
    user: Account | None,
    drafts: set[str],
    plans: pd.DataFrame,
    measures: pd.DataFrame,
    amounts: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The plans, measures and amounts ``user`` may see."""
    hide = hidden_plans(user, plans, drafts)
    if not hide:
        return plans, measures, amounts
    plans = plans[~plans["code"].isin(hide)].reset_index(drop=True)
    hidden_measures = set(measures.loc[measures["plan"].isin(hide), "code"])
    measures = measures[~measures["code"].isin(hidden_measures)].reset_index(drop=True)
    if amounts is not None:
        amounts = amounts[~amounts["measure"].isin(hidden_measures)].reset_index(drop=True)
    return plans, measures, amounts
