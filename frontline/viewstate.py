"""The shareable view: date, event filters and map view, to and from URL query parameters.

Pure functions (no Streamlit): ``frontline.app.state`` keeps the values in the session
and the URL with them. Anything unknown in a URL falls back to the default and
yields a notice that says what was ignored and why, so a bad link never crashes a page.

Query parameters: ``date`` (YYYY-MM-DD), ``country``, ``type``, ``actor``, ``confidence``
(comma-separated codes), ``q`` (text search), ``lat``, ``lon``, ``zoom`` (map view).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from . import vocab
from .errors import DateError
from .history.filters import FILTER_FIELDS, EventFilter
from .history.timeline import parse_date

__all__ = [
    "DEFAULT_DATE", "PERIOD", "FILTER_PARAMS", "VIEW_PARAMS",
    "parse_date_param", "parse_compare_param", "compare_date", "COMPARE_RELATIVE", "parse_filter_params", "filter_params", "parse_view_params", "view_params", "single_values",
]

#: The date the dashboard opens on when the URL names none.
DEFAULT_DATE = dt.date(2015, 6, 1)
PERIOD = (vocab.PERIOD.start, vocab.PERIOD.end)

#: query parameter -> (EventFilter field, allowed codes or None for free text), from the one filter table
FILTER_PARAMS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    f.param: (f.name, tuple(f.codes) if f.codes is not None else None) for f in FILTER_FIELDS}
VIEW_PARAMS = ("lat", "lon", "zoom")
#: The zoom levels a link may ask for.
ZOOM_RANGE = (4, 14)


#: The longest URL value echoed back in a notice.
ECHO_CHARS = 60


def _one(value) -> str | None:
    """The last value of a query parameter (Streamlit may give a list for repeated keys)."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return None if value is None else str(value)


def _echo(text) -> str:
    text = str(text)
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def single_values(params: Mapping) -> tuple[dict[str, str], list[str]]:
    """One value per query parameter, from a mapping of a value or a list of values per key.

    A repeated code list is merged (``country=SY&country=IQ`` means both); any other repeated
    key keeps its last value and says so. Notices are plain text (escape them for Markdown).

    >>> single_values({"country": ["SY", "IQ"], "date": ["2015-01-01", "2016-01-01"], "q": "raqqa"})
    ({'country': 'SY,IQ', 'date': '2016-01-01', 'q': 'raqqa'}, ['date is given 2 times in the link; using the last (2016-01-01).'])
    """
    out: dict[str, str] = {}
    notices: list[str] = []
    for key, value in params.items():
        values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
        if not values:
            continue
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1 and key in FILTER_PARAMS and FILTER_PARAMS[key][1] is not None:
            out[key] = ",".join(distinct)
        else:
            out[key] = values[-1]
            if len(distinct) > 1:
                notices.append(f"{_echo(key)} is given {len(values)} times in the link; using the last "
                               f"({_echo(values[-1])}).")
    return out, notices


def parse_date_param(value, default: dt.date = DEFAULT_DATE) -> tuple[dt.date, str | None]:
    """The date named by a ``date`` query parameter, or ``default`` with a notice.

    >>> parse_date_param("2017-10-20")
    (datetime.date(2017, 10, 20), None)
    >>> parse_date_param(None)
    (datetime.date(2015, 6, 1), None)
    >>> parse_date_param("2020-01-01")[1]
    'Ignored date=2020-01-01 in the link: it is outside 2014-01-01..2019-03-23; showing 2015-06-01.'
    """
    text = _one(value)
    if text is None or not text.strip():
        return default, None
    try:
        day = parse_date(text, hi=vocab.PERIOD_END).date()
    except DateError:
        why = (f"outside {vocab.PERIOD_START}..{vocab.PERIOD_END}" if _is_iso(text)
               else "not a date (expected YYYY-MM-DD)")
        return default, f"Ignored date={_echo(text)} in the link: it is {why}; showing {default.isoformat()}."
    return day, None


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text.strip())
        return True
    except ValueError:
        return False


def parse_filter_params(params: Mapping) -> tuple[EventFilter, list[str]]:
    """An :class:`EventFilter` from query parameters; unknown codes are dropped with a notice.

    >>> f, notes = parse_filter_params({"country": "SY,XX", "q": "raqqa"})
    >>> f.countries, f.text
    (('SY',), 'raqqa')
    >>> notes
    ['Ignored country=XX in the link: not a known code (known: SY, IQ).']
    >>> parse_filter_params({})
    (EventFilter(countries=(), event_types=(), actors=(), confidence=(), text='', start=None, end=None, control_changes_only=False, controllers_after=(), source_types=()), [])
    """
    kwargs: dict = {}
    notices: list[str] = []
    for param, (field, allowed) in FILTER_PARAMS.items():
        text = _one(params.get(param))
        if text is None:
            continue
        if allowed is None:
            kwargs[field] = text.strip()[:200]
            continue
        codes = [c.strip() for c in text.split(",") if c.strip()]
        good = tuple(dict.fromkeys(c for c in codes if c in allowed))
        bad = [c for c in codes if c not in allowed]
        if bad:
            notices.append(f"Ignored {param}={_echo(','.join(bad))} in the link: not a known code "
                           f"(known: {', '.join(allowed)}).")
        if good:
            kwargs[field] = good
    return EventFilter(**kwargs), notices


def filter_params(f: EventFilter) -> dict[str, str]:
    """Query parameters for the URL-carried part of ``f`` (empty ones left out).

    >>> filter_params(EventFilter(countries=("SY",), text="kobani"))
    {'country': 'SY', 'q': 'kobani'}
    """
    out = {}
    for param, (field, allowed) in FILTER_PARAMS.items():
        value = getattr(f, field)
        if allowed is None:
            if value.strip():
                out[param] = value.strip()
        elif value:
            out[param] = ",".join(value)
    return out


def parse_view_params(params: Mapping) -> tuple[tuple[float, float] | None, int | None, list[str]]:
    """Map centre and zoom from ``lat``, ``lon``, ``zoom``; ``None`` where absent or invalid.

    >>> parse_view_params({"lat": "36.3", "lon": "43.1", "zoom": "9"})
    ((36.3, 43.1), 9, [])
    >>> parse_view_params({"lat": "north"})[2]
    ['Ignored the map view in the link (lat=north, lon=None, zoom=None): expected lat in [-90, 90], lon in [-180, 180], zoom 4 to 14.']
    """
    raw = {k: _one(params.get(k)) for k in VIEW_PARAMS}
    if all(v is None for v in raw.values()):
        return None, None, []
    lat, lon, zoom = (_finite(raw[k]) for k in VIEW_PARAMS)
    ok = True
    center = None
    if raw["lat"] is not None or raw["lon"] is not None:
        ok = lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180
        center = (round(lat, 4), round(lon, 4)) if ok else None
    z = None
    if raw["zoom"] is not None:
        z = int(zoom) if zoom is not None and ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1] else None
        ok = ok and z is not None
    if not ok:
        return None, None, [
            f"Ignored the map view in the link (lat={_echo(raw['lat'])}, lon={_echo(raw['lon'])}, "
            f"zoom={_echo(raw['zoom'])}): expected lat in [-90, 90], lon in [-180, 180], "
            f"zoom {ZOOM_RANGE[0]} to {ZOOM_RANGE[1]}."]
    return center, z, []


def _finite(text: str | None) -> float | None:
    """A finite number from URL text, else ``None`` (``inf``, ``nan``, ``1e400`` and words are not numbers).

    >>> _finite("9"), _finite("inf"), _finite("1e400"), _finite("nan"), _finite("x"), _finite(None)
    (9.0, None, None, None, None, None)
    """
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def view_params(center, zoom) -> dict[str, str]:
    """Query parameters for a map view (empty when there is none).

    >>> view_params((36.33512, 43.11889), 9)
    {'lat': '36.3351', 'lon': '43.1189', 'zoom': '9'}
    >>> view_params(None, None)
    {}
    """
    out = {}
    if center:
        out["lat"], out["lon"] = f"{center[0]:.4f}", f"{center[1]:.4f}"
    if zoom is not None:
        out["zoom"] = str(int(zoom))
    return out


#: The relative comparisons the Map page offers: ``from`` value -> label.
COMPARE_RELATIVE = {"-30d": "30 days before", "-90d": "90 days before", "-365d": "a year before"}


def parse_compare_param(value) -> tuple[str, str | None]:
    """The comparison named by a ``from`` query parameter: ``""`` (none), a relative one of
    :data:`COMPARE_RELATIVE`, or an ISO date in the period; anything else is ignored with a notice.

    >>> parse_compare_param("-30d"), parse_compare_param("2016-01-01"), parse_compare_param(None)
    (('-30d', None), ('2016-01-01', None), ('', None))
    >>> parse_compare_param("yesterday")[1]
    'Ignored from=yesterday in the link: expected a date (YYYY-MM-DD) or one of -30d, -90d, -365d; showing no comparison.'
    """
    text = _one(value)
    if text is None or not text.strip():
        return "", None
    text = text.strip()
    if text in COMPARE_RELATIVE:
        return text, None
    try:
        return parse_date(text, hi=vocab.PERIOD_END).date().isoformat(), None
    except DateError:
        return "", (f"Ignored from={_echo(text)} in the link: expected a date (YYYY-MM-DD) or one of "
                    f"{', '.join(COMPARE_RELATIVE)}; showing no comparison.")


def compare_date(spec: str, when: dt.date) -> dt.date | None:
    """The date to compare ``when`` with: ``spec`` from :func:`parse_compare_param`; None for no comparison
    or when that date is not before ``when`` (clamped to the period's start).

    >>> compare_date("-30d", dt.date(2016, 1, 31)), compare_date("2016-02-01", dt.date(2016, 1, 31))
    (datetime.date(2016, 1, 1), None)
    >>> compare_date("-365d", dt.date(2014, 3, 1))
    datetime.date(2014, 1, 1)
    """
    if not spec:
        return None
    if spec in COMPARE_RELATIVE:
        day = when - dt.timedelta(days=int(spec[1:-1]))
    else:
        day = dt.date.fromisoformat(spec)
    day = max(day, dt.date.fromisoformat(vocab.PERIOD_START))
    return day if day < when else None
