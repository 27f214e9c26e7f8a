"""A fake Nominatim on loopback for geocoding tests: the ``nominatim`` fixture and :func:`online`.

Use it from a test module with ``from fake_nominatim import nominatim, online  # noqa: F401``.
Any query is found at Hajin's point as ``"<query>, Deir ez-Zor, Syria"``, except
"Nowhere" (no result), "Slow Town" (answers after 1.5 s), "Busy Town" (HTTP 429) and
"Garbled Town" (not JSON).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from frontline.intake.geocode import Geocoder


@pytest.fixture
def nominatim():
    """A tiny Nominatim look-alike on 127.0.0.1; records each request (time, query, headers)."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            requests.append({"time": time.monotonic(), "path": self.path, "query": query,
                             "agent": self.headers.get("User-Agent")})
            q = query.get("q", "")
            if q == "Slow Town":
                time.sleep(1.5)
            if q == "Busy Town":
                self.send_response(429)
                self.send_header("Retry-After", "30")
                self.end_headers()
                return
            body = b"<html>not json" if q == "Garbled Town" else json.dumps(
                [] if q == "Nowhere" else
                [{"place_id": 1, "lat": "34.69508", "lon": "40.83138", "display_name": f"{q}, Deir ez-Zor, Syria",
                  "address": {"country_code": "sy"}}]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.requests = requests
    server.domain = f"127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def online(places, server, tmp_path, **kw):
    opts = dict(domain=server.domain, scheme="http", timeout=0.5, min_delay=0.0, cache_path=tmp_path / "cache.json",
                user_agent="frontline-tests/1.0 (test@example.org)")
    opts.update(kw)
    return Geocoder(places, **opts)
