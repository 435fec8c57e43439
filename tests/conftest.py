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
