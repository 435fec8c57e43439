"""Fixtures for the policy-loop tests: the register's fresh databases on SQLite and PostgreSQL.

The loop lives in the register's database, so it reuses the register's fixtures (one schema per
test on PostgreSQL, dropped afterwards) rather than a second copy of them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "_register_conftest", Path(__file__).resolve().parents[1] / "register" / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_register = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_register)

backend = _register.backend
empty_url = _register.empty_url
url = _register.url
url2 = _register.url2
ref = _register.ref
