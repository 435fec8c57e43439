"""Accounts of the web app: users with a role, argon2 password hashes, login rate limiting in the
database, the plans an admin marked as draft, and the app's signing secret.

Why in the database and not in memory: every worker process of ``npvr serve --workers N`` (or any
ASGI server in front of one PostgreSQL) must see the same users, failed logins and secret, so the
app keeps no state between requests. The tables live on the register's declarative ``Base`` and
are created by the migration ``0002_web_users``.

Roles (:data:`ROLES`): ``admin`` (the ministry: everything, manages users), ``regio-redacteur``
(changes plans, measures and amounts of its own region only) and ``lezer`` (reads all).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, DateTime, Integer, String, Text, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from npvr.errors import ConfigError, NpvrError
from npvr.register.models import AuditEntry, Base, utcnow

#: The roles, in order of power; Dutch label per role.
ROLES: dict[str, str] = {
    "admin": "Beheerder (ministerie)",
    "regio-redacteur": "Regioredacteur",
    "lezer": "Lezer",
}
ROLES_EN: dict[str, str] = {
    "admin": "Administrator (ministry)",
    "regio-redacteur": "Region editor",
    "lezer": "Reader",
}

#: Login rate limit: at most this many failed attempts per user name (and 4x per client address)
#: within :data:`RATE_WINDOW`; then logins are refused until the window has passed.
RATE_LIMIT = 5
RATE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD = 10

#: Environment switch for the test suite only: argon2's cheapest profile, so that a test login takes
#: milliseconds instead of a second. Production always uses argon2-cffi's default (RFC 9106) profile.
TEST_PROFILE_ENV = "NPVR_ARGON2_TEST_PROFILE"


def _hasher() -> PasswordHasher:
    if os.environ.get(TEST_PROFILE_ENV) == "1":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


class AuthError(NpvrError):
    """Login failed (wrong name or password) or is refused (rate limit, inactive account)."""


class RateLimitError(AuthError):
    """Too many failed logins for this name or address."""


class User(Base):
    """A person who logs in to the web app."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: bumped when the password changes: every session signed with an older epoch is void
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginAttempt(Base):
    """A failed login, kept for the rate limit (per name and per client address)."""

    __tablename__ = "web_login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlanDraft(Base):
    """A plan the admin marked as draft: only the admin and the plan's own region see it."""

    __tablename__ = "web_plan_drafts"

    plan_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebConfig(Base):
    """Key/value settings shared by all workers (the session signing secret)."""

    __tablename__ = "web_config"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class Account:
    """What a request knows about its user (no password hash)."""

    username: str
    role: str
    region: str | None
    epoch: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def to_dict(self) -> dict[str, Any]:
        return {"username": self.username, "role": self.role, "region": self.region}


def _account(u: User) -> Account:
    return Account(u.username, u.role, u.region_id, u.session_epoch)


def _audit(s: Session, actor: str, action: str, entity: str, key: str, changes: dict[str, Any]) -> None:
    s.add(
        AuditEntry(
            at=utcnow(),
            actor=actor,
            origin="web",
            action=action,
            entity=entity,
            entity_key=key,
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
        )
    )


def check_user_fields(
    role: str, region: str | None, regions: set[str] | frozenset[str], password: str | None = None
) -> None:
    """Refuse an unknown role, an editor without (a valid) region, a region for a non-editor, or a
    too short password; the message names the field."""
    if role not in ROLES:
        raise ConfigError(
            f"onbekende rol '{role}'; kies uit: {', '.join(ROLES)}",
            en=f"unknown role '{role}'; choose from: {', '.join(ROLES)}",
            field="role",
        )
    if role == "regio-redacteur" and not region:
        raise ConfigError(
            "een regio-redacteur hoort bij één regio; geef --region",
            en="a region editor needs a region",
            field="region",
        )
    if role == "regio-redacteur" and region not in regions:
        raise ConfigError(
            f"onbekende regio '{region}'; kies uit: {', '.join(sorted(regions))}",
            en=f"unknown region '{region}'",
            field="region",
        )
    if role != "regio-redacteur" and region:
        raise ConfigError(
            f"alleen een regio-redacteur heeft een regio (rol is '{role}')",
            en=f"only a region editor has a region (role is '{role}')",
            field="region",
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise ConfigError(
            f"het wachtwoord is te kort: minstens {MIN_PASSWORD} tekens",
            en=f"the password is too short: at least {MIN_PASSWORD} characters",
            field="password",
        )


class Users:
    """User accounts on the register's database (one engine, sessions per call)."""

    def __init__(self, sessions: Any, regions: set[str] | frozenset[str]) -> None:
        self._sessions = sessions
        self.regions = frozenset(regions)

    # -- accounts -----------------------------------------------------------------------------------

    def add(
        self, username: str, password: str, *, role: str, region: str | None = None, actor: str = "cli"
    ) -> Account:
        """Create an account; refuses an existing name."""
        username = username.strip()
        if not username or len(username) > 64 or any(c.isspace() for c in username):
            raise ConfigError(
                "een gebruikersnaam is 1 tot 64 tekens zonder spaties",
                en="a user name is 1 to 64 characters without spaces",
                field="username",
            )
        check_user_fields(role, region, self.regions, password)
        with self._sessions() as s:
            if s.scalar(select(User.id).where(User.username == username)) is not None:
                raise ConfigError(
                    f"gebruiker '{username}' bestaat al", en=f"user '{username}' exists", field="username"
                )
            user = User(
                username=username,
                password_hash=_hasher().hash(password),
                role=role,
                region_id=region or None,
                active=True,
                session_epoch=0,
            )
            s.add(user)
            _audit(s, actor, "insert", "user", username, {"role": [None, role], "region": [None, region]})
            try:
                s.commit()
            except IntegrityError as exc:
                raise ConfigError(
                    f"gebruiker '{username}' bestaat al", en=f"user '{username}' exists", field="username"
                ) from exc
            return _account(user)

    def set_password(self, username: str, password: str, *, actor: str = "cli") -> None:
        """Change a password; every existing session of the user becomes invalid."""
        check_user_fields("lezer", None, self.regions, password)
        with self._sessions() as s:
            user = self._get(s, username)
            user.password_hash = _hasher().hash(password)
            user.session_epoch = (user.session_epoch or 0) + 1
            _audit(s, actor, "update", "user", username, {"password": ["***", "***"]})
            s.commit()

    def update(self, username: str, *, role: str, region: str | None, active: bool, actor: str) -> Account:
        """Change role, region or active flag (admin only; the face checks the role)."""
        check_user_fields(role, region, self.regions)
        with self._sessions() as s:
            user = self._get(s, username)
            changes: dict[str, Any] = {}
            for field, old, new in (
                ("role", user.role, role),
                ("region", user.region_id, region or None),
                ("active", user.active, active),
            ):
                if old != new:
                    changes[field] = [old, new]
            user.role, user.region_id, user.active = role, region or None, active
            if changes:
                user.session_epoch = (user.session_epoch or 0) + 1
                _audit(s, actor, "update", "user", username, changes)
            s.commit()
            return _account(user)

    def list(self) -> list[dict[str, Any]]:
        with self._sessions() as s:
            return [
                {
                    "username": u.username,
                    "role": u.role,
                    "region": u.region_id,
                    "active": u.active,
                    "created_at": u.created_at.isoformat() if u.created_at else None,
                }
                for u in s.scalars(select(User).order_by(User.username))
            ]

    def get(self, username: str, epoch: int | None = None) -> Account | None:
        """The active account, or None (unknown, inactive, or a session from before a password change)."""
        with self._sessions() as s:
            u = s.scalar(select(User).where(User.username == username))
            if u is None or not u.active or (epoch is not None and epoch != u.session_epoch):
                return None
            return _account(u)

    @staticmethod
    def _get(s: Session, username: str) -> User:
        u = s.scalar(select(User).where(User.username == username))
        if u is None:
            raise ConfigError(
                f"gebruiker '{username}' bestaat niet", en=f"no user '{username}'", field="username"
            )
        return u

    # -- login --------------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, *, client: str = "") -> Account:
        """Check a login; failed attempts are counted in the database, and after
        :data:`RATE_LIMIT` failures within :data:`RATE_WINDOW` the name is locked for that window."""
        now = utcnow()
        since = now - RATE_WINDOW
        keys = [f"user:{username.lower()}"] + ([f"ip:{client}"] if client else [])
        with self._sessions() as s:
            s.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
            counts = {
                k: s.scalar(select(func.count()).where(LoginAttempt.key == k, LoginAttempt.at >= since)) or 0
                for k in keys
            }
            if counts[keys[0]] >= RATE_LIMIT or (client and counts[keys[-1]] >= 4 * RATE_LIMIT):
                s.commit()
                raise RateLimitError(
                    "te veel mislukte inlogpogingen; probeer het over "
                    f"{int(RATE_WINDOW.total_seconds() // 60)} minuten opnieuw",
                    en="too many failed logins; try again in 15 minutes",
                )
            user = s.scalar(select(User).where(User.username == username))
            ok = False
            if user is not None and user.active:
                try:
                    ok = _hasher().verify(user.password_hash, password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    ok = False
            else:
                _hasher().hash(password)  # same cost whether or not the name exists
            if not ok or user is None:
                s.add_all([LoginAttempt(key=k, at=now) for k in keys])
                s.commit()
                raise AuthError(
                    "onjuiste gebruikersnaam of onjuist wachtwoord",
                    en="wrong user name or password",
                    field="password",
                )
            if _hasher().check_needs_rehash(user.password_hash):
                user.password_hash = _hasher().hash(password)
            s.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
            s.commit()
            return _account(user)

    # -- drafts -------------------------------------------------------------------------------------

    def drafts(self) -> set[str]:
        """Codes of the plans marked as draft."""
        with self._sessions() as s:
            return set(s.scalars(select(PlanDraft.plan_code)))

    def mark_draft(self, plan_code: str, draft: bool, *, actor: str) -> None:
        """Mark (or unmark) a plan as draft; recorded in the audit trail."""
        with self._sessions() as s:
            row = s.get(PlanDraft, plan_code)
            if draft and row is None:
                s.add(PlanDraft(plan_code=plan_code, marked_by=actor, marked_at=utcnow()))
                _audit(s, actor, "update", "plan", plan_code, {"draft": [False, True]})
            elif not draft and row is not None:
                s.delete(row)
                _audit(s, actor, "update", "plan", plan_code, {"draft": [True, False]})
            s.commit()

    # -- shared secret ------------------------------------------------------------------------------

    def secret(self) -> str:
        """The session signing secret, created once and shared by every worker through the database."""
        with self._sessions() as s:
            row = s.get(WebConfig, "session_secret")
            if row is not None:
                return row.value
            s.add(WebConfig(key="session_secret", value=secrets.token_urlsafe(48)))
            try:
                s.commit()
            except IntegrityError:  # another worker was first: use its secret
                s.rollback()
            row = s.get(WebConfig, "session_secret")
            assert row is not None
            return row.value
