"""One real report on the shipped snapshot, built once per test session and shared."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from npvr.report.build import build_report

    out = tmp_path_factory.mktemp("report") / "npvr-rapport"
    result = build_report(out, n_boot=49)
    return Path(out), result
