"""The load test's browserless session (bench/protocol_client.py) against the running dashboard.

bench_team.py puts most of its 30 sessions on the servers through this client; if Streamlit's
protocol or the page changed under it, the benchmark would measure nothing. These tests keep it honest.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from protocol_client import ProtocolError, ProtocolSession, date_to_micros, micros_to_date  # noqa: E402


def test_date_values_travel_as_microseconds_since_the_epoch():
    assert date_to_micros(dt.date(1970, 1, 2)) == 86_400_000_000
    assert micros_to_date(date_to_micros(dt.date(2019, 3, 23))) == dt.date(2019, 3, 23)


def test_a_session_without_a_browser_opens_the_map_moves_its_date_and_opens_pages(app_url):
    async def run():
        s = ProtocolSession(app_url, timeout_s=120, query_string="date=2016-01-01")
        try:
            await s.open()
            assert s.day == dt.date(2016, 1, 1)  # the link's date reached the slider
            assert {"", "Timeline", "Events"} <= set(s.pages)
            await s.move()
            await s.move()
            assert s.day == dt.date(2016, 1, 3)
            # a move reruns the date panel only: the map, not the sidebar's page links
            assert "component_instance" in s.last_seen and "page_link" not in s.last_seen
            await s.page("Timeline")
            assert any("chart" in kind for kind in s.last_seen), s.last_seen  # the Timeline's chart
            await s.page("Events")
            with pytest.raises(ProtocolError, match="no page 'Nowhere'"):
                await s.page("Nowhere")
        finally:
            await s.close()

    # in a thread of its own: the browser tests' Playwright may hold an event loop in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()
