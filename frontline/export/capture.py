"""Browser-faithful capture: a PNG of the interactive map as a browser draws it (headless Chromium).

Uses Playwright with the system's Chromium (``/usr/bin/chromium`` on Debian). Two sources:
a running dashboard (``url``), or the stand-alone HTML rendered from ``file://``. Every
request that is not local is blocked, so the capture is offline too. Where no browser is
installed, :func:`browser_path` returns None and :func:`capture` raises ``ExportError``
saying how to install one.
"""

from __future__ import annotations

import shutil
import tempfile
import concurrent.futures
from pathlib import Path

from ..errors import ExportError

__all__ = ["browser_path", "capture", "capture_html", "capture_app", "BROWSER_ARGS", "HIDE_CONTROLS_CSS"]

#: Every control of the live map hidden for a capture fit for a slide (zoom, fullscreen, layers, the
#: collapsible legend's toggle stays as the legend).
HIDE_CONTROLS_CSS = (".leaflet-control-zoom,.leaflet-control-fullscreen,.leaflet-control-layers,"
                     ".leaflet-timeline-control,.leaflet-bar{display:none !important}")

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                "--no-first-run", "--disable-component-update", "--disable-sync"]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def browser_path() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:", "file:")):
        return True
    host = url.split("/")[2].split(":")[0] if "://" in url else ""
    return host in ("127.0.0.1", "localhost")


def capture(url: str, out: Path | str, width: int = 1920, height: int = 1080, selector: str | None = None,
            wait_for: str | None = None, timeout_ms: int = 60_000, hide_css: str = "") -> Path:
    """Open ``url`` in headless Chromium (non-local requests blocked) and save a PNG of the page or ``selector``;
    ``hide_css`` is added to every frame first (to hide controls)."""
    exe = browser_path()
    if exe is None:
        raise ExportError("no browser for a browser-faithful capture: install Chromium (Debian: apt-get install "
                          "chromium), or export a static map with --format png (no browser needed)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise ExportError("Playwright is not installed: pip install -r requirements-dev.txt") from err
    out = Path(out)
    # Playwright's sync API refuses to run where an asyncio loop is running (inside another
    # Playwright session, or some app servers): a fresh worker thread has none.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_capture, sync_playwright, exe, url, out, width, height, selector, wait_for,
                           timeout_ms, hide_css).result()


def _capture(sync_playwright, exe, url, out, width, height, selector, wait_for, timeout_ms, hide_css="") -> Path:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, headless=True, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if _local(r.request.url) else r.abort())
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url, wait_until="load", timeout=timeout_ms)
            if wait_for:
                page.wait_for_selector(wait_for, timeout=timeout_ms)
            if hide_css:
                for frame in page.frames:
                    frame.add_style_tag(content=hide_css)
            page.wait_for_timeout(500)
            target = page.locator(selector).first if selector else page
            target.screenshot(path=str(out))
            if errors:
                raise ExportError(f"the page reported script errors: {errors[0]}")
        finally:
            browser.close()
    return out


def capture_html(page_html: str, out: Path | str, width: int = 1920, height: int = 1080) -> Path:
    """Capture a stand-alone page (a string) through ``file://``."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        path.write_text(page_html, encoding="utf-8")
        return capture(path.as_uri(), out, width, height, wait_for=".leaflet-overlay-pane canvas, .leaflet-overlay-pane path")


def capture_app(url: str, when, out: Path | str, width: int = 1920, height: int = 1080) -> Path:
    """Capture the dashboard's map at ``url`` on the date ``when`` (via its ``?date=`` link), as it shows it."""
    import pandas as pd

    day = f"{pd.Timestamp(when):%Y-%m-%d}"
    return capture(f"{url.rstrip('/')}/?date={day}", out, width, height,
                   selector='iframe[title="streamlit_folium.st_folium"]',
                   wait_for='iframe[title="streamlit_folium.st_folium"]', hide_css=HIDE_CONTROLS_CSS)
