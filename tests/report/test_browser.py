"""Open the generated report in headless Debian chromium: it renders offline without console errors.

Marker ``browser``: needs ``chromium`` and ``chromium-driver`` (apt). Skips cleanly without them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
]


@pytest.fixture(scope="module")
def driver():  # type: ignore[no-untyped-def]
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for f in FLAGS:
        opts.add_argument(f)
    profile = tempfile.mkdtemp(prefix="npvr-chromium-")
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait_ready(d, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if d.execute_script("return document.body && document.body.getAttribute('data-npvr-ready')") == "1":
            return
        time.sleep(0.2)
    raise AssertionError("report renderer did not finish")


def test_report_renders_offline(driver, built_report, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    page = out / result.html
    driver.get(page.as_uri())
    _wait_ready(driver)
    n_gemeenten = result.n_gemeenten
    overview = driver.execute_script(
        "return document.querySelectorAll('#map-overview path.choroplethlocation').length"
    )
    indicator = driver.execute_script(
        "return document.querySelectorAll('#map-indicator path.choroplethlocation').length"
    )
    assert overview == n_gemeenten == 342
    assert indicator == 342
    # every figure div got drawn by plotly
    undrawn = driver.execute_script(
        "return [...document.querySelectorAll('div[data-fig]')]"
        ".filter(d => !d.classList.contains('js-plotly-plot')).map(d => d.id)"
    )
    assert undrawn == []
    # switching the indicator map redraws it with all gemeenten
    driver.execute_script(
        "const s = document.querySelector('select[data-map-for=map-indicator]');"
        "s.selectedIndex = s.options.length - 1; s.dispatchEvent(new Event('change'));"
    )
    time.sleep(0.5)
    assert (
        driver.execute_script(
            "return document.querySelectorAll('#map-indicator path.choroplethlocation').length"
        )
        == 342
    )
    shot = tmp_path_factory.mktemp("screens") / "report.png"
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    keep = Path(tempfile.gettempdir()) / "npvr-report-screenshot.png"
    shutil.copyfile(shot, keep)
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
