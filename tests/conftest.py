"""Shared fixtures: the small fixture dataset, copies to break, and a running app for browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"


def pytest_addoption(parser):
    parser.addoption("--run-network", action="store_true", help="run tests that need the internet")


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--run-network"):
        skip = pytest.mark.skip(reason="needs the internet; pass --run-network")
        for item in items:
            if "network" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def fixture_paths():
    return FIXTURES / "events.csv", FIXTURES / "places.csv"


def copy_data(folder: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Copy ``folder``'s events.csv and places.csv into ``tmp_path``; return the copies' paths."""
    ev, pl = tmp_path / "events.csv", tmp_path / "places.csv"
    shutil.copyfile(folder / "events.csv", ev)
    shutil.copyfile(folder / "places.csv", pl)
    return ev, pl


@pytest.fixture
def curation_local(monkeypatch):
    """Curation on, for a server that only listens on loopback (AppTest runs the page in this process)."""
    from streamlit import config as st_config

    monkeypatch.setenv("FRONTLINE_CURATION", "on")
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", before)


#: Environment for a served app whose Curate page may write (its data files must be copies).
CURATION_ON = {"FRONTLINE_CURATION": "on"}


@pytest.fixture
def data_copy(tmp_path):
    """Copies of the fixture files in a temporary folder, to break in a test."""
    return copy_data(FIXTURES, tmp_path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(script: str = "dashboard.py", env: dict | None = None, timeout: float = 60, port: int | None = None,
              args: tuple[str, ...] = ()):
    """Run ``streamlit run`` on a free loopback port; wait for /_stcore/health (no fixed sleep)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stdout.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def app_url():
    """The dashboard on the real data, running for the whole test session."""
    proc, url = start_app()
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that blocks every non-local request and records console errors and external requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.console_errors = []
    pg.blocked = []

    def route(r):
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host.split(":")[0] in ("127.0.0.1", "localhost"):
            return r.continue_()
        pg.blocked.append(r.request.url)
        return r.abort()

    context.route("**/*", route)
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        pg.screenshot(path=str(ARTIFACTS / f"screenshot-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def shown(markdown: str) -> str:
    """The text a reader sees for Markdown that escapes its punctuation (``frontline.safety.md_text``)."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def map_panel(at) -> str:
    """The figures panel the Map page's map shows beside itself (``FL.panel``'s HTML in the map's arguments; with
    two maps side by side, the right one's: the date shown)."""
    import json

    comps = [c for c in at.get("component_instance") if "FL.panel(" in json.loads(c.proto.json_args)["feature_group"]]
    assert comps, "no map with a figures panel"
    script = json.loads(comps[-1].proto.json_args)["feature_group"]
    literal = script.split("FL.panel(", 1)[1]
    return json.JSONDecoder().raw_decode(literal)[0]


def run_cli(*argv):
    """Run ``python -m frontline ARGV`` in this process: ``(exit code, stdout, stderr)``."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from frontline.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def open_map(page, url: str, day: str, query: str = ""):
    """Open the Map page at ``day`` (plus ``query``, e.g. "&from=2016-01-01"), wait for that date on the map
    and let the first run's follow-up rerun settle; return the map's frame."""
    page.goto(f"{url}/?date={day}{query}", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(f'#fl-date-label[data-date="{day}"]').wait_for(timeout=90_000)
    page.wait_for_timeout(800)
    return frame
