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


def pytest_collection_modifyitems(config, items):
    """Every test that reads the raw folder (directly or through another fixture) is marked ``rawdata``."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.rawdata)


#: markers of tests that need something outside the repository: they may skip locally, never in CI
REQUIRED_IN_CI = ("postgres", "browser", "rawdata")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (NPVR_REQUIRE_SERVICES=1) a database, browser or raw-data test may not skip: it fails instead."""
    outcome = yield
    report = outcome.get_result()
    needs_service = any(next(item.iter_markers(name), None) is not None for name in REQUIRED_IN_CI)
    if report.skipped and needs_service and os.environ.get("NPVR_REQUIRE_SERVICES") == "1":
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (NPVR_REQUIRE_SERVICES=1), needs service/data: {report.longrepr}"
