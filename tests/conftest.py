"""Shared fixtures: the raw source folder (../shared/data beside the repo) and the shipped snapshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    env = os.environ.get("NPVR_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw CBS/PDOK folder; tests that recompute from raw files need it."""
    path = _shared_data()
    if not (path / "SOURCES.md").is_file():
        pytest.skip(f"raw data folder not found at {path} (set NPVR_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def snapshot():
    import npvr

    return npvr.load_snapshot()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (NPVR_REQUIRE_SERVICES=1) a database or browser test may not skip: it fails instead."""
    outcome = yield
    report = outcome.get_result()
    needs_service = any(next(item.iter_markers(name), None) is not None for name in ("postgres", "browser"))
    if report.skipped and needs_service and os.environ.get("NPVR_REQUIRE_SERVICES") == "1":
        report.outcome = "failed"
        report.longrepr = f"service test skipped in CI (NPVR_REQUIRE_SERVICES=1): {report.longrepr}"
