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


def _open(d, url: str) -> None:  # type: ignore[no-untyped-def]
    d.get(url)
    _wait_ready(d)
    time.sleep(0.3)


OUTLINE_JS = """
const div = document.getElementById(arguments[0]);
const lines = [...div.querySelectorAll('.trace.scattergeo path.js-line')]
  .filter(p => (p.getAttribute('d') || '').length > 200);
const colorbar = div.querySelectorAll('.colorbar .cbtick, .colorbar text').length;
const legend = [...div.querySelectorAll('.legend text')].map(t => t.textContent);
const annotations = [...div.querySelectorAll('.annotation-text')].map(t => t.textContent);
return {lines: lines.length, colorbar: colorbar, legend: legend, annotations: annotations};
"""


def test_first_screen_and_maps_with_outlines(driver, built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    driver.set_window_size(1366, 900)
    _open(driver, (out / result.html).as_uri())
    # the scorecard is on the first screen (top within the viewport, first rows visible)
    top, height = driver.execute_script(
        "const r = document.querySelector('table.score').getBoundingClientRect(); return [r.top, r.height];"
    )
    inner = driver.execute_script("return window.innerHeight")
    assert 0 <= top < inner * 0.5 and top + min(height, 200) < inner
    rows = driver.execute_script("return document.querySelectorAll('table.score tbody tr').length")
    assert rows == result.n_regions
    # no horizontal scroll at 1,366 px
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    # every map: region outlines drawn as long line paths, a colour legend and the source line
    for div in ("map-overview", "map-indicator", "map-region"):
        info = driver.execute_script(OUTLINE_JS, div)
        assert info["lines"] >= 1, (div, info)
        assert info["colorbar"] >= 2, (div, info)
        assert any("grens van een NPVR-regio" in t for t in info["legend"]), (div, info)
    for div in ("map-indicator", "map-region"):
        assert any(a.startswith("Bron: ") for a in driver.execute_script(OUTLINE_JS, div)["annotations"])
    # switch through several indicators: both maps redraw with outlines and legend
    n = driver.execute_script(
        "return document.querySelector('select[data-map-for=map-indicator]').options.length"
    )
    for i in sorted({0, n // 2, n - 1}):
        driver.execute_script(
            "const s = document.querySelector('select[data-map-for=map-indicator]');"
            f"s.selectedIndex = {i}; s.dispatchEvent(new Event('change'));"
        )
        time.sleep(0.4)
        for div in ("map-indicator", "map-region"):
            info = driver.execute_script(OUTLINE_JS, div)
            assert info["lines"] >= 1 and info["colorbar"] >= 2, (i, div, info)
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    driver.save_screenshot(str(Path(tempfile.gettempdir()) / "npvr-report-first-screen.png"))


def test_every_region_page_renders(driver, built_report) -> None:  # type: ignore[no-untyped-def]
    out, result = built_report
    driver.set_window_size(1366, 900)
    assert len(result.region_pages) == result.n_regions == 11
    for page in result.region_pages:
        _open(driver, (out / page).as_uri())
        undrawn = driver.execute_script(
            "return [...document.querySelectorAll('div[data-fig]')]"
            ".filter(d => !d.classList.contains('js-plotly-plot')).map(d => d.id)"
        )
        assert undrawn == [], page
        name = driver.execute_script("return document.querySelector('header h1').textContent")
        assert name and name != "npvr"
        fid = driver.execute_script("return document.querySelector('div.regionmap').id")
        info = driver.execute_script(OUTLINE_JS, fid)
        assert info["lines"] >= 1, (page, info)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), page
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == [], (page, errors)
