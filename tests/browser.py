"""Headless Chromium for report tests (Debian's chromium and chromium-driver, via Selenium), and
axe-core (from the npm registry, installed by ``.ci/run`` into ``.test-tools/``) to check
accessibility."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / ".test-tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""The axe-core rule tags of WCAG 2.2 level AA (and the levels below it)."""


def have_browser() -> bool:
    """Whether Chromium, its driver and Selenium are all installed."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Start headless Chromium with a fresh profile; quit it afterwards."""
    if not have_browser():
        message = (
            "Chromium, chromium-driver or selenium is not installed (pip install -e "
            "'.[browser]'; .ci/run installs them)"
        )
        if os.environ.get("CI"):  # a missing install step must not pass as a skip in CI
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1280,2000",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """Return the console messages of level SEVERE the page produced."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def set_width(driver: Any, width: int, height: int = 1400) -> None:
    """Make the page's viewport ``width`` CSS pixels wide (a phone's below 500)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )


def requested_urls(driver: Any) -> list[str]:
    """Return every URL the page asked the network layer for since the last call."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def axe_violations(driver: Any) -> list[str]:
    """Run axe-core's WCAG 2.2 AA rules on the loaded page; return one line per violation."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (.ci/run: npm install --prefix .test-tools)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        "  return v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes, e.g. ' +"
        "  v.nodes[0].target.join(' ') + ')'; })); })"
        ".catch(function (e) { done(['axe failed: ' + e]); });",
        list(WCAG_TAGS),
    )
    return list(found)
