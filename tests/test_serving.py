"""Serving a team: the atlas is read-only by default, curators log in, and the curator lands on the new row.

The login runs end to end in Chromium against a local OpenID Connect provider (``oidc-provider-mock``,
started by the test on loopback); no external service is contacted.
"""

from __future__ import annotations

import difflib
import re
import secrets
import time
from pathlib import Path

import pytest

from conftest import ARTIFACTS, FIXTURES, copy_data, free_port, shown, start_app
from frontline import config, serving

ROOT = Path(__file__).resolve().parent.parent
CURATE = str(ROOT / "pages" / "5_Curate.py")


# --- the rule ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("on, auth, address, expected", [
    (False, True, "127.0.0.1", serving.Access.OFF),
    (True, True, "0.0.0.0", serving.Access.LOGIN),
    (True, True, "127.0.0.1", serving.Access.LOGIN),
    (True, False, "127.0.0.1", serving.Access.LOCAL),
    (True, False, "::1", serving.Access.LOCAL),
    (True, False, "0.0.0.0", serving.Access.REFUSED),
    (True, False, None, serving.Access.REFUSED),  # unset: Streamlit listens on every interface
    (True, False, "192.168.1.20", serving.Access.REFUSED),
])
def test_who_may_curate_follows_the_setting_the_login_and_the_address(on, auth, address, expected):
    assert serving.access(on, auth, address) is expected


def test_the_environment_variable_wins_over_the_secrets_file():
    assert not serving.curation_on({"FRONTLINE_CURATION": "off"}, {"frontline": {"curation": True}})
    assert serving.curation_on({"FRONTLINE_CURATION": "ON"}, {})
    assert serving.curation_on({}, {"frontline": {"curation": "true"}})
    assert not serving.curation_on({}, {"frontline": {"curation": "maybe"}})


def test_the_curator_is_appended_to_the_notes_of_the_row():
    alice = serving.curator_from_claims({"sub": "a1", "email": "alice@example.com", "name": "Alice"})
    assert alice.stamp("Sources disagree on the day.") == "Sources disagree on the day. Added by Alice <alice@example.com>."
    assert alice.stamp("") == "Added by Alice <alice@example.com>."
    assert serving.curator_from_claims({"sub": "x9"}).label() == "x9"
    assert serving.curator_from_claims({}) is None


# --- the Curate page (AppTest) -------------------------------------------------------------------------

def _curate_page(monkeypatch, events, places):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr(config, "EVENTS_PATH", events)
    monkeypatch.setattr(config, "PLACES_PATH", places)
    return AppTest.from_file(CURATE, default_timeout=60).run()


def test_the_curate_page_is_read_only_by_default(monkeypatch, data_copy):
    monkeypatch.delenv("FRONTLINE_CURATION", raising=False)
    at = _curate_page(monkeypatch, *data_copy)
    assert not at.exception
    assert at.info[0].value.startswith("**Curation is off on this server**")
    assert not at.button and not at.text_input  # no form, no button: nothing can be written
    assert data_copy[0].read_bytes() == (FIXTURES / "events.csv").read_bytes()


def test_curation_on_a_server_open_to_the_network_without_a_login_is_refused(monkeypatch, data_copy):
    from streamlit import config as st_config

    monkeypatch.setenv("FRONTLINE_CURATION", "on")
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "0.0.0.0")
    try:
        at = _curate_page(monkeypatch, *data_copy)
    finally:
        st_config.set_option("server.address", before)
    assert not at.exception
    assert "has no login configured" in at.error[0].value
    assert not at.button and not at.text_input


def test_curation_on_loopback_names_the_local_user(monkeypatch, data_copy, curation_local):
    at = _curate_page(monkeypatch, *data_copy)
    assert not at.exception
    assert f"Curating as {serving.local_curator().label()}" in shown(at.caption[0].value)
    assert any(b.label == "Check the event" for b in at.button)


# --- end to end: a login against a local OpenID Connect provider, then one new row naming the curator ---

@pytest.fixture
def oidc_provider():
    """A local OpenID Connect provider with one predefined user (one click on its form)."""
    import oidc_provider_mock

    alice = oidc_provider_mock.User(sub="alice", claims={"email": "alice@example.com", "name": "Alice Analyst"})
    with oidc_provider_mock.run_server_in_thread(user_claims=[alice]) as server:
        yield f"http://127.0.0.1:{server.server_port}"


@pytest.fixture
def login_app(tmp_path, oidc_provider):
    """The Curate page on copies of the data, with curation on and a login through the local provider."""
    ev, pl = copy_data(FIXTURES / "intake", tmp_path)
    port = free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[frontline]\ncuration = true\n\n[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "frontline"\nclient_secret = "test-secret"\n'
        f'server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    env = {"FRONTLINE_EVENTS": str(ev), "FRONTLINE_PLACES": str(pl), "FRONTLINE_NOMINATIM_DOMAIN": "127.0.0.1:9",
           "FRONTLINE_GEOCODE_CACHE": str(tmp_path / "cache.json")}
    proc, url = start_app("pages/5_Curate.py", env=env, port=port, args=("--secrets.files", str(secrets_file)))
    yield url, ev
    proc.terminate()
    proc.wait(10)


@pytest.mark.browser
def test_a_curator_logs_in_and_the_new_row_records_who_added_it(login_app, page):
    from test_curate_page import BAGHUZ_SUMMARY, fill_baghuz_event

    url, ev = login_app
    original = ev.read_text(encoding="utf-8").splitlines()
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("Curators log in.").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Check the event").count() == 0  # no form before the login
    page.get_by_role("button", name="Log in to curate").click()

    page.get_by_role("button", name="alice").click()  # the provider's form: the predefined user
    page.get_by_text("Logged in as Alice Analyst").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "curate-logged-in.png"))

    fill_baghuz_event(page)
    page.get_by_role("button", name="Add to events.csv").click()
    page.get_by_text(re.compile(r"Added SY-\d+ at line \d+")).wait_for(timeout=20_000)
    added = [d[2:] for d in difflib.ndiff(original, ev.read_text(encoding="utf-8").splitlines()) if d[:2] in ("+ ", "- ")]
    assert len(added) == 1 and BAGHUZ_SUMMARY in added[0]
    assert ",medium,Added by Alice Analyst <alice@example.com>.," in added[0]  # the notes column names the curator


# --- safe server defaults (.streamlit/config.toml, make run) -------------------------------------------

def _websocket_status(url: str, host: str) -> int:
    """The HTTP status of a WebSocket upgrade to the app's stream, sent with ``host`` as Host and Origin."""
    import base64
    import os
    import socket

    port = int(url.rsplit(":", 1)[1])
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nOrigin: http://{host}:{port}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
               "Sec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request.encode())
        return int(s.recv(1024).split(b" ", 2)[1])


def test_a_websocket_from_a_foreign_host_name_is_refused(app_url):
    assert _websocket_status(app_url, "127.0.0.1") == 101
    assert _websocket_status(app_url, "localhost") == 101
    assert _websocket_status(app_url, "evil.example") != 101  # DNS rebinding: Host and Origin both evil.example


def test_make_run_listens_on_loopback_unless_told_otherwise():
    import subprocess

    def served(*args) -> str:  # the `streamlit run` line of `make -n run` (set-up lines may come first)
        dry = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return next(line for line in dry.stdout.splitlines() if "streamlit run dashboard.py" in line)

    assert "--server.address 127.0.0.1" in served()
    line = served("HOST=0.0.0.0", "ALLOWED_HOSTS=atlas.example.org")
    assert "--server.address 0.0.0.0" in line and "--server.allowedHosts atlas.example.org" in line


@pytest.mark.browser
def test_visitors_see_no_traceback_or_server_path(tmp_path, page):
    script = ROOT / "tests" / "fixtures" / "failing_page.py"
    proc, url = start_app(str(script))
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.locator("[data-testid='stException'], [data-testid='stAlert']").first.wait_for(timeout=30_000)
        shown_text = page.locator("[data-testid='stMain']").inner_text()
    finally:
        proc.terminate()
        proc.wait(10)
    assert "Traceback" not in shown_text and "/work" not in shown_text and str(ROOT) not in shown_text
    assert "secret-path" not in shown_text


# --- several processes behind nginx (make serve-team) ------------------------------------------------

@pytest.fixture(scope="module")
def team(tmp_path_factory):
    from frontline import team as team_mod

    try:
        team_mod.find_nginx()
    except Exception as err:
        pytest.skip(str(err))
    running = team_mod.start(processes=2, port=free_port(), run_dir=tmp_path_factory.mktemp("team"))
    yield running
    running.stop()


def test_the_rendered_nginx_configuration_is_accepted_by_nginx(tmp_path):
    import subprocess

    from frontline import team as team_mod

    try:
        nginx = team_mod.find_nginx()
    except Exception as err:
        pytest.skip(str(err))
    conf = tmp_path / "nginx.conf"
    conf.write_text(team_mod.render_config(f"127.0.0.1:{free_port()}", [free_port(), free_port()], tmp_path))
    check = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def _upstreams(team, node: str) -> set[str]:
    """The processes nginx's access log says answered requests carrying ``node``."""
    log = (team.run_dir / "access.log").read_text()
    return {line.split("upstream=")[1].split()[0] for line in log.splitlines()
            if f"node={node} " in line and "upstream=-" not in line}


def test_nginx_keeps_a_browser_on_one_process_and_spreads_browsers_over_processes(team):
    import urllib.request

    nodes = []
    for _ in range(12):  # twelve new browsers: each is given its own node cookie
        with urllib.request.urlopen(team.url + "/") as r:
            cookie = r.headers["Set-Cookie"]
        assert cookie.startswith("frontline_node=") and "HttpOnly" in cookie
        nodes.append(cookie.split(";")[0].split("=", 1)[1])
        for _ in range(3):  # the same browser again: the same cookie back, the same process
            req = urllib.request.Request(team.url + "/_stcore/health", headers={"Cookie": f"frontline_node={nodes[-1]}"})
            with urllib.request.urlopen(req) as r:
                assert r.status == 200
    time.sleep(0.5)  # nginx writes its log as it goes
    per_node = [_upstreams(team, n) for n in nodes]
    assert all(len(u) == 1 for u in per_node), per_node  # every browser stayed on one process
    assert len(set().union(*per_node)) == 2  # and the browsers were spread over both


def test_nginx_serves_the_atlas_files_from_disk_with_a_cache_header(team):
    import urllib.request

    leaflet = next((ROOT / "static" / "vendor").rglob("leaflet.js"), None)
    assert leaflet is not None, "make setup installs the map's scripts into static/vendor"
    rel = leaflet.relative_to(ROOT / "static").as_posix()
    with urllib.request.urlopen(f"{team.url}/app/static/{rel}") as r:
        assert r.read() == leaflet.read_bytes() and "max-age" in r.headers["Cache-Control"]
    assert "upstream=-" in (team.run_dir / "access.log").read_text()  # answered by nginx, not a process


@pytest.mark.browser
def test_two_analysts_through_nginx_each_see_the_map_move(team, browser):
    from conftest import open_map

    pages = []
    for _ in range(2):
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.split("/")[2].split(":")[0] == "127.0.0.1"
                  else r.abort())
        pages.append(ctx.new_page())
    try:
        for pg in pages:
            frame = open_map(pg, team.url, "2016-01-01")
            slider = pg.locator("[data-testid=stMain]").get_by_role("slider").first
            slider.focus()
            pg.keyboard.press("ArrowRight")
            frame.locator('#fl-date-label[data-date="2016-01-02"]').wait_for(timeout=60_000)
        cookies = [pg.context.cookies()[0]["value"] for pg in pages]
        assert all(cookies) and cookies[0] != cookies[1]  # each browser has its own node cookie
    finally:
        for pg in pages:
            pg.context.close()


# --- bounded memory: one data version at a time --------------------------------------------------------

def test_a_change_of_the_data_files_drops_every_cache_of_the_old_version(monkeypatch, data_copy):
    import os

    from frontline.app import cache

    ev, pl = data_copy
    monkeypatch.setattr(config, "EVENTS_PATH", ev)
    monkeypatch.setattr(config, "PLACES_PATH", pl)
    cache.retire_old_versions()  # this test's files are now the server's version
    first = cache.timeline()
    assert cache.timeline() is first and cache._MEMO  # cached while the files are unchanged
    assert not cache.retire_old_versions()

    stat = ev.stat()
    old_args = (str(ev), str(pl), (cache._mtime(ev), cache._mtime(pl)))
    assert cache._timeline(*old_args) is first
    os.utime(ev, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))  # the file is replaced
    assert cache.retire_old_versions()
    assert not cache._MEMO  # nothing of the old version is kept in front of Streamlit's caches
    assert cache._timeline(*old_args) is not first  # and Streamlit's own were cleared: built again
