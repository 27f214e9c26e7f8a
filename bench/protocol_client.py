"""An analyst's session spoken over Streamlit's own WebSocket protocol, without a browser.

``bench_team.py`` uses it to put load on the servers without 30 Chromium pages eating the
machine's two cores (in a run of 30 browser sessions the servers used 5 % of the CPU and the
browsers the rest). It does what the browser's Streamlit frontend does on the wire, and no more:

1. ``GET /`` (through nginx: the ``frontline_node`` affinity cookie and Streamlit's XSRF cookie);
2. open ``/_stcore/stream`` with the XSRF token in the subprotocol header, as the frontend does, and
   ask for the page (a ``rerun_script`` BackMsg); read ForwardMsgs until ``script_finished``;
3. a date move: a ``rerun_script`` of the date fragment with the slider's new value (microseconds
   since the epoch, Streamlit's date serialisation), timed until the fragment run finishes;
4. a page: a ``rerun_script`` with the page's script hash (from the ``navigation`` message).

A time here is the server's answer as it arrives on the socket: it leaves out the browser's
drawing (tens of ms a move on an idle machine), and the component's own messages (the map
reporting its view after it mounts) are not sent, so a browser session costs the server a
little more than one of these. An exception element in any run counts as an error.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http.cookiejar
import time
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

_EPOCH = dt.datetime(1970, 1, 1)


def date_to_micros(day: dt.date) -> float:
    """Streamlit's wire value for a date slider: microseconds since the epoch at midnight."""
    return float((dt.datetime(day.year, day.month, day.day) - _EPOCH) // dt.timedelta(microseconds=1))


def micros_to_date(value: float) -> dt.date:
    return (_EPOCH + dt.timedelta(microseconds=int(value))).date()


class ProtocolError(RuntimeError):
    """The server answered with an exception, an unexpected end, or nothing in time."""


class ProtocolSession:
    """One session: open the map, move its date, open other pages."""

    def __init__(self, base_url: str, timeout_s: float = 120.0, query_string: str = ""):
        self.base_url = base_url.rstrip("/")
        self.query_string = query_string
        self.timeout_s = timeout_s
        self.ws = None
        self.pages: dict[str, str] = {}       # url path ("" for the map) -> page script hash
        self.page_hash = ""
        self.slider_id = ""
        self.fragment_id = ""
        self.day: dt.date | None = None
        self.runs = 0
        self.last_seen: set[str] = set()   # the element types the last run sent

    # -- connection -------------------------------------------------------------------------
    def _cookies(self) -> dict[str, str]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.base_url + "/", timeout=self.timeout_s) as resp:
            resp.read()
        return {c.name: c.value for c in jar}

    async def open(self) -> float:
        """Connect and run the map page; seconds until the map's component arrived and the run ended."""
        t0 = time.perf_counter()
        cookies = await asyncio.to_thread(self._cookies)
        xsrf = cookies.get("_streamlit_xsrf", "")
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
                                additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                                                    "Origin": self.base_url},
                                max_size=None, open_timeout=self.timeout_s)
        seen = await self._run(BackMsg(rerun_script={"query_string": self.query_string, "page_script_hash": ""}))
        if "component_instance" not in seen:
            raise ProtocolError("the map page finished without the map component")
        if not self.slider_id:
            raise ProtocolError("the map page finished without the date slider")
        return time.perf_counter() - t0

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    # -- actions ----------------------------------------------------------------------------
    async def move(self, days: int = 1) -> float:
        """Move the date slider by ``days``; seconds until the fragment's run finished with the map."""
        self.day = self.day + dt.timedelta(days=days)
        state = {"widgets": [{"id": self.slider_id, "double_array_value": {"data": [date_to_micros(self.day)]}}]}
        msg = BackMsg(rerun_script={"query_string": "", "page_script_hash": self.page_hash,
                                    "fragment_id": self.fragment_id, "widget_states": state})
        t0 = time.perf_counter()
        seen = await self._run(msg)
        if "component_instance" not in seen:
            raise ProtocolError("a date move finished without redrawing the map")
        return time.perf_counter() - t0

    async def page(self, url_path: str) -> float:
        """Open another page (``"Timeline"``, ``"Events"``); seconds until its run finished."""
        if url_path not in self.pages:
            raise ProtocolError(f"no page {url_path!r} in the navigation ({sorted(self.pages)})")
        t0 = time.perf_counter()
        await self._run(BackMsg(rerun_script={"query_string": "", "page_script_hash": self.pages[url_path]}))
        return time.perf_counter() - t0

    # -- the wire ---------------------------------------------------------------------------
    async def _run(self, msg: BackMsg) -> set[str]:
        """Send a rerun and read until its ``script_finished``; the element types seen on the way."""
        await self.ws.send(msg.SerializeToString())
        self.runs += 1
        seen: set[str] = set()
        deadline = time.monotonic() + self.timeout_s
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout_s:.0f} s")
            raw = await asyncio.wait_for(self.ws.recv(), timeout=left)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash or self.page_hash
            elif kind == "new_session":
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                etype = element.WhichOneof("type")
                seen.add(etype)
                if etype == "exception":
                    raise ProtocolError(f"the page raised {element.exception.type}: {element.exception.message[:120]}")
                if etype == "slider" and element.slider.label == "Date":
                    self.slider_id = element.slider.id
                    self.fragment_id = fwd.delta.fragment_id or self.fragment_id
                    if self.day is None:
                        values = list(element.slider.value) or list(element.slider.default)
                        self.day = micros_to_date(values[0])
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the run was replaced by a newer one (ours): read on
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("the page failed to compile")
                self.last_seen = seen
                return seen
