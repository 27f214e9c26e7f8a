"""What an export shows: the data, the territory model, the filters, and the text drawn from them.

:class:`Briefing` bundles the places and events, a territory model and the user's event
filters. Its methods answer what every export needs: the snapshot of a date, the events
to draw around it, a period's key events (for slide bullets) and the footer notes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import config, vocab
from ..errors import ExportError
from ..history.filters import EventFilter, filter_events
from ..history.timeline import parse_date

__all__ = ["Briefing", "load_briefing", "parse_dates", "format_area", "format_population", "in_bounds",
           "format_date", "METHOD_NOTE", "BASEMAP_NOTE", "CONTESTED", "UNASSIGNED", "controller_label", "controller_color"]

CONTESTED = "CONTESTED"
UNASSIGNED = "UNASSIGNED"

METHOD_NOTE = ("Method: a place is held by its last recorded change of control on or before the date (contested while an "
               "offensive or siege on it is open, still counted to its holder); each place holds the land within 12-34 km "
               "by kind, a curated road or a river between two places of one side and land enclosed by one side's places "
               "are inferred to be that side's (drawn lighter); unshaded land is not assigned. An estimate from a point "
               "gazetteer, not a surveyed front line (docs/methodology_territory.md). Areas in km² on an equal-area "
               "projection; population: the places held plus a share of the rest of each governorate (2010-2011 totals).")
BASEMAP_NOTE = ("Basemap: Natural Earth (public domain); place names GeoNames (CC BY 4.0); Khabur river GSHHG (LGPL).")

#: How much each kind of event matters in a briefing: a change of control, a declaration or a massacre first.
_WEIGHT = {"control_change": 3.0, "declaration": 3.0, "massacre": 3.0, "siege_end": 2.5, "offensive_end": 2.0,
           "siege_start": 2.0, "offensive_start": 2.0, "attack": 1.5, "battle": 1.0, "airstrike": 0.5}
#: How much the kind of place matters (a city's change of control outweighs a village's).
_PLACE_WEIGHT = {"city": 1.5, "town": 0.8}
#: An event that is one of the atlas's milestones (the fall of Mosul, the caliphate, Kobani...).
_MILESTONE_BONUS = 4.0
#: Events not involving ISIS count this much (an ISIS briefing; another war's event only when nothing else).
_NOT_ISIS = 0.5
#: Bullets within this many days of a bullet already chosen lose this much, so the period is covered.
_CROWDED_DAYS, _CROWDED_PENALTY = 30, 3.0
_CONFIDENCE = {"high": 0.5, "medium": 0.25, "low": 0.0}


def controller_label(code: str) -> str:
    """Display label of a controller code, ``Contested`` for ``CONTESTED``.

    >>> controller_label("SDF"), controller_label("CONTESTED"), controller_label("UNASSIGNED")
    ('SDF / YPG', 'Contested', 'Not assigned')
    """
    return {CONTESTED: "Contested", UNASSIGNED: "Not assigned"}.get(code) or vocab.CONTROLLER_LABELS.get(code, code)


def controller_color(code: str) -> str:
    """Fill colour of a controller code (the contested colour for ``CONTESTED``)."""
    return vocab.CONTESTED_COLOR if code == CONTESTED else vocab.CONTROLLER_COLORS.get(code, "#777777")


def format_area(km2: float) -> str:
    """Area rounded for a briefing.

    >>> format_area(45321.7)
    '45,300 km²'
    >>> format_area(0)
    '0 km²'
    """
    if not km2 or km2 != km2:
        return "0 km²"
    step = 100 if km2 >= 1000 else 10
    return f"{int(round(km2 / step) * step):,} km²"


def format_population(n: float) -> str:
    """Population rounded for a briefing.

    >>> format_population(5_123_456)
    '5.1 million'
    >>> format_population(83_456)
    '83,000'
    >>> format_population(0)
    '0'
    """
    if not n or n != n:
        return "0"
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} million"
    if n >= 10_000:
        return f"{int(round(n, -3)):,}"
    return f"{int(n):,}"


def format_date(when, short: bool = False) -> str:
    """``10 June 2014`` (or ``10 Jun 2014``)."""
    ts = pd.Timestamp(when)
    return f"{ts.day} {ts:%b %Y}" if short else f"{ts.day} {ts:%B %Y}"


def parse_dates(values) -> list[pd.Timestamp]:
    """Parse and check export dates (each within the atlas's period), sorted, without repeats."""
    if not values:
        raise ExportError("no date given; pass at least one --date YYYY-MM-DD, e.g. --date 2015-05-21")
    dates = [parse_date(v, vocab.PERIOD_START, vocab.PERIOD_END) for v in values]
    return sorted(set(dates))


_ABBREVIATIONS = {"lt", "gen", "col", "maj", "brig", "capt", "sgt", "dr", "mr", "mrs", "st", "no", "vs", "approx",
                  "u.s", "u.n", "u.k", "e.g", "i.e", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov",
                  "dec", "km", "al"}


def _first_sentence(text: str, limit: int = 180) -> str:
    """The first sentence of ``text`` (not fooled by 'Lt.' or 'U.S.'), cut at a word boundary to ``limit``.

    >>> _first_sentence("ISIS took Mosul. The army fled.")
    'ISIS took Mosul.'
    >>> _first_sentence("Lt. Gen. Abdul-Wahab al-Saadi said Fallujah was retaken. Clearing went on.")
    'Lt. Gen. Abdul-Wahab al-Saadi said Fallujah was retaken.'
    >>> _first_sentence("")
    ''
    """
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    sentence = text
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9\"'(]|$)", text):
        word = re.split(r"[\s(]", text[:m.start()])[-1].lower()
        if word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentence = text[:m.end()]
        break
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def in_bounds(lon, lat, bounds):
    """Whether (``lon``, ``lat``) lies in ``bounds`` (W, S, E, N; edges included); element-wise for Series.

    >>> in_bounds(43.1, 36.3, (42.6, 35.9, 43.7, 36.7)), in_bounds(40.0, 36.3, (42.6, 35.9, 43.7, 36.7))
    (True, False)
    """
    w, s, e, n = bounds
    return (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)


def _milestones(events: pd.DataFrame) -> pd.Series:
    """True for the events that are one of the atlas's milestones (same date, place and kind)."""
    from ..dataset.milestones import MILESTONES

    marks = {(pd.Timestamp(m.date), m.place_id, m.event_type) for m in MILESTONES}
    return pd.Series([(pd.Timestamp(d), p, t) in marks for d, p, t in
                      zip(events["date"], events["place_id"], events["event_type"])], index=events.index, dtype=bool)


def _largest_number(text: str) -> float:
    """The largest number written in ``text`` (a massacre's toll), 1000 for "thousands", else 0.

    >>> _largest_number("estimates range from about 2,100 to 5,000"), _largest_number("killed thousands"), _largest_number("")
    (5000.0, 1000.0, 0.0)
    """
    nums = [float(m.replace(",", "")) for m in re.findall(r"\d{1,3}(?:,\d{3})+|\d+", str(text))]
    nums = [v for v in nums if not 1900 <= v <= 2100]  # years are not tolls
    if re.search(r"\bthousands\b", str(text), re.I):
        nums.append(1000.0)
    return max(nums, default=0.0)


@dataclass
class Briefing:
    """The inputs of an export.

    Parameters
    ----------
    places, events : the validated tables (``frontline.dataset.load.load``)
    model : a ``frontline.history.territory.TerritoryModel`` built on the same tables
    filters : which events to draw (territory always uses every change of control)
    window_days : events of this many days up to the date are drawn on a map (the map's "highlight the last N days")
    bounds : the area of interest (west, south, east, north in degrees), or None for the whole theatre
    area_name : what the area is called on the page ("Mosul", "the map's view"), if it has a name
    change_from : a single-date map also shows the ground that changed hands since this date
    """

    places: pd.DataFrame
    events: pd.DataFrame
    model: object
    filters: EventFilter = field(default_factory=EventFilter)
    window_days: int = 30
    bounds: tuple | None = None
    area_name: str = ""
    change_from: pd.Timestamp | None = None

    def __post_init__(self):
        self._shown = filter_events(self.events, self.places, self.filters)
        self._info = self.places.set_index("place_id")

    def __hash__(self):
        return id(self)

    def area_series(self) -> pd.DataFrame:
        """The model's ``area_series()`` (computed once per briefing)."""
        if getattr(self, "_series", None) is None:
            self._series = self.model.area_series()
        return self._series

    def snapshot(self, when):
        """The territory snapshot of ``when``."""
        return self.model.snapshot(pd.Timestamp(when))

    def areas(self, when) -> pd.DataFrame:
        """``controller, label, color, area_km2, population, places`` on ``when``, controllers in legend order."""
        areas = self.snapshot(when).areas.copy()
        order = list(vocab.CONTROLLERS) + [CONTESTED]
        areas["rank"] = areas["controller"].map({c: i for i, c in enumerate(order)}).fillna(len(order))
        areas = areas.sort_values(["rank", "controller"]).drop(columns="rank").reset_index(drop=True)
        areas["label"] = areas["controller"].map(controller_label)
        areas["color"] = areas["controller"].map(controller_color)
        return areas

    def held(self, when, controller: str = "ISIS") -> dict:
        """Area, population and places held by ``controller`` on ``when`` (zeros when none)."""
        areas = self.snapshot(when).areas
        row = areas[areas["controller"] == controller]
        if row.empty:
            return {"area_km2": 0.0, "population": 0, "places": 0}
        r = row.iloc[0]
        pop = r.get("population", 0)
        return {"area_km2": float(r["area_km2"]), "population": 0 if pd.isna(pop) else int(pop),
                "places": int(r.get("places", 0) or 0)}

    def map_events(self, when) -> pd.DataFrame:
        """Filtered events of the ``window_days`` days up to and including ``when``."""
        end = pd.Timestamp(when)
        start = end - pd.Timedelta(days=self.window_days - 1)
        ev = self._shown
        return ev[(ev["date"] >= start) & (ev["date"] <= end)]

    def event_weights(self, events: pd.DataFrame) -> pd.Series:
        """How much each event matters in a briefing (higher first), whatever its date in the period.

        The sum of: the kind of event (a change of control, a declaration, a massacre first; a massacre
        more with the size of its toll), the place (a city, its population), a milestone of the war, and
        the confidence of the record; the other events of the same place and day add half theirs (Sinjar's
        fall and massacre on 3 August 2014). Events without ISIS count half.
        """
        if events.empty:
            return pd.Series(dtype=float)
        pop = events["place_id"].map(self._info["population"]).astype("Float64").fillna(0).astype(float)
        kind = events["place_id"].map(self._info["kind"]).fillna("")
        toll = events["summary"].fillna("").map(_largest_number)
        massacre = (events["event_type"] == "massacre") * toll.map(lambda t: min(math.log10(t + 1), 4.0) / 2)
        milestone = _milestones(events)
        own = (events["event_type"].map(_WEIGHT).fillna(1.0) + massacre + kind.map(_PLACE_WEIGHT).fillna(0.3)
               + pop.map(lambda p: math.log10(p + 1) / 4) + _MILESTONE_BONUS * milestone
               + events["confidence"].map(_CONFIDENCE).fillna(0))
        isis = events["actors"].fillna("").str.split("|").map(lambda a: "ISIS" in a)
        own = own * isis.map({True: 1.0, False: _NOT_ISIS})
        day = events.groupby(["place_id", events["date"].dt.normalize()])
        same_day = day["place_id"].transform("size") > 1
        others = (own.groupby([events["place_id"], events["date"].dt.normalize()]).transform("sum") - own) / 2
        return own + others.where(same_day, 0.0)

    def key_events(self, start, end, n: int = 3, limit: int = 180) -> pd.DataFrame:
        """The ``n`` most important filtered events in ``start..end`` (inclusive), in date order; their
        ``text`` is a bullet of at most about ``limit`` characters of summary.

        Chosen greedily by :meth:`event_weights`, one per place (a milestone always counts on its own),
        an event within a month of one already chosen counting less, so that a year's slide names the
        year's turning points, not its last weeks.
        """
        ev = self._shown
        ev = ev[(ev["date"] >= pd.Timestamp(start)) & (ev["date"] <= pd.Timestamp(end))].copy()
        if ev.empty:
            return ev.assign(text=pd.Series(dtype=str))
        ev["score"] = self.event_weights(ev)
        ev = ev.sort_values(["score", "date", "event_id"], ascending=[False, True, True], kind="stable")
        chosen, places = [], set()
        candidates = ev.head(max(60, 10 * n)).assign(_milestone=lambda d: _milestones(d))
        while len(chosen) < n and len(candidates):
            picked = ev.loc[chosen, "date"]
            near = candidates["date"].map(lambda d: bool(((picked - d).abs().dt.days <= _CROWDED_DAYS).any()))
            adjusted = candidates["score"] - _CROWDED_PENALTY * near
            best = adjusted.sort_values(ascending=False, kind="stable").index[0]
            chosen.append(best)
            places.add(candidates.at[best, "place_id"])
            candidates = candidates.drop(index=best)
            candidates = candidates[~candidates["place_id"].isin(places) | candidates["_milestone"]]
        ev = ev.loc[chosen].sort_values(["date", "event_id"], kind="stable")
        ev["text"] = [self.bullet(r, limit) for r in ev.itertuples(index=False)]
        return ev

    def change(self, when):
        """``(ground, table)`` since :attr:`change_from`: each side's ground taken (lon/lat, by controller)
        and :func:`frontline.history.change.compare`'s table (km² gained and lost per side); None without
        ``change_from``."""
        if self.change_from is None:
            return None
        from ..history.change import changed_ground, compare, ground_table

        if self.bounds is not None:  # the km² of the area shown
            table = ground_table(self.model, self.change_from, when, self.bounds)
        else:
            table = compare(self.model, self.events, self.change_from, when).controllers
        return changed_ground(self.model, self.change_from, when), table

    def places_in_view(self, bounds, n: int = 30) -> list[dict]:
        """The ``n`` most populous places inside ``bounds`` (W, S, E, N), as labels ``{name, lon, lat}``."""
        p = self.places
        inside = p[in_bounds(p["lon"], p["lat"], bounds)]
        pop = inside["population"].astype("Float64").fillna(0).astype(float)
        inside = inside.assign(_pop=pop).sort_values(["_pop", "name"], ascending=[False, True], kind="stable")
        return [{"name": str(r.name), "lon": float(r.lon), "lat": float(r.lat)}
                for r in inside.head(n).itertuples(index=False)]

    def bullet(self, row, limit: int = 180) -> str:
        """One line for a slide: ``10 Jun 2014 · Mosul: <first sentence of the summary>``."""
        name = self._info["name"].get(row.place_id, row.place_id)
        return f"{format_date(row.date, short=True)} · {name}: {_first_sentence(row.summary, limit)}"

    def sources_note(self) -> str:
        """``Sources: N curated events from M outlets (most cited: ...)`` for a footer."""
        ev = self.events
        outlets = (ev["source"].fillna("").str.split(r"\s+\|\s+", regex=True).explode()
                   .str.split(",").str[0].str.strip())
        outlets = outlets[outlets != ""]
        top = outlets.value_counts()
        top = top.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        named = ", ".join(top.index[:3])
        return (f"Sources: {len(ev):,} curated events (each with its own citation) from {top.size} outlets"
                + (f", most cited {named}" if named else "") + ". " + BASEMAP_NOTE)


@lru_cache(maxsize=4)
def _cached(events_path: str, places_path: str, stamp: tuple):
    from ..dataset.load import load_strict
    from ..history.territory import TerritoryModel

    ds = load_strict(events_path, places_path)
    return ds.places, ds.events, TerritoryModel(ds.places, ds.events)


def load_briefing(events_path=config.EVENTS_PATH, places_path=config.PLACES_PATH,
                  filters: EventFilter | None = None, window_days: int = 30, bounds=None,
                  area_name: str = "") -> Briefing:
    """Load the data files (strictly: a data problem raises ``DataError``) and build a :class:`Briefing`."""
    import os

    stamp = tuple(os.path.getmtime(p) if os.path.exists(p) else 0 for p in (events_path, places_path))
    places, events, model = _cached(str(events_path), str(places_path), stamp)
    return Briefing(places, events, model, filters or EventFilter(), window_days, bounds, area_name)
