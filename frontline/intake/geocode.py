"""Resolve a place name: the gazetteer first, then (unless offline) Nominatim through geopy.

Gazetteer matching is tried in three tiers, each stricter than the next is loose:

1. *exact*: the place's ``name`` (case-insensitive);
2. *alias*: one of its ``aliases`` (other transliterations, the Arabic name);
3. *transliteration*: a spelling key that ignores diacritics, the Arabic article
   (``al-``, ``ar-``, ``ez-``...), vowels and doubled letters, so that "Raqqa",
   "Ar-Raqqah", "al-Raqqah" are one place and "Deir ez-Zor" is "Dayr az Zawr".

The first tier that finds places wins: one place is a match, several are *ambiguous*.
Only when the gazetteer finds nothing is Nominatim asked (one request a second,
limited to Syria and Iraq, with an identifying user agent and a timeout). Every answer
is kept in a JSON cache, so no name is asked twice; when the service cannot be
reached, times out, rate-limits or answers nonsense, the cache is used and a warning
is returned: :meth:`Geocoder.geocode` never raises for a network problem.

Example (offline, on the gazetteer only)::

    >>> import pandas as pd
    >>> places = pd.DataFrame([{"place_id": "raqqa", "name": "Raqqa", "aliases": "Ar-Raqqah|الرقة",
    ...                         "lat": 35.95, "lon": 39.01, "country": "SY"}])
    >>> Geocoder(places, offline=True).geocode("al-Raqqah").match.place_id
    'raqqa'
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from geopy.distance import geodesic

from .. import config
from ..errors import GeocodingError

__all__ = ["Geocoder", "GeocodeResult", "Match", "spelling_key", "REGION"]

#: Countries Nominatim is limited to (ISO 3166-1 alpha-2, lower case as Nominatim wants).
REGION = ("sy", "iq")

#: Arabic article spellings dropped by :func:`spelling_key` when they stand alone.
_ARTICLES = {"al", "el", "il", "ul", "ar", "er", "ur", "ad", "ed", "ud", "as", "es", "us", "ash", "esh",
             "az", "ez", "uz", "at", "et", "ut", "an", "en", "un", "ath", "adh", "dh", "l"}
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_TASHKEEL = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_SPLIT = re.compile(r"[\s\-_'’‘`ʿʾ,.()]+")


def _arabic_key(text: str) -> str:
    t = _TASHKEEL.sub("", text)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي")):
        t = t.replace(a, b)
    tokens = [tok[2:] if tok.startswith("ال") and len(tok) > 3 else tok for tok in t.split()]
    return "".join(tokens)


def spelling_key(name: str) -> str:
    """A transliteration-insensitive key of a place name (empty for an empty name).

    >>> spelling_key("Ar-Raqqah") == spelling_key("Raqqa") == spelling_key("al-Raqqah")
    True
    >>> spelling_key("Deir ez-Zor") == spelling_key("Dayr az Zawr") == spelling_key("Deir Ezzor")
    True
    >>> spelling_key("الرقة") == spelling_key("الرقّة")
    True
    >>> spelling_key("")
    ''
    """
    if _ARABIC.search(name):
        return _arabic_key(name)
    t = unicodedata.normalize("NFKD", name)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    out = []
    for tok in _SPLIT.split(t):
        if not tok or tok in _ARTICLES:
            continue
        tok = re.sub(r"^[ae](sh|th|dh|[tdrzsnl])(?=\1)", "", tok)  # glued sun-letter article: Ezzor, Arraqqa
        tok = re.sub(r"(?<=[aeiou])h$", "", tok)  # taa marbuta: Raqqah -> Raqqa
        tok = tok.replace("q", "k").replace("ph", "f")
        head, rest = tok[0], tok[1:]
        head = "a" if head in "aeiou" else head
        out.append(head + re.sub(r"[aeiouyw]", "", rest))
    return re.sub(r"(.)\1+", r"\1", "".join(out))


@dataclass(frozen=True)
class Match:
    """One place a name resolved to."""

    name: str
    lat: float
    lon: float
    #: ``gazetteer (exact)``, ``gazetteer (alias)``, ``gazetteer (transliteration)``, ``nominatim``, ``nominatim (cached)``
    source: str
    place_id: str = ""
    country: str = ""


@dataclass
class GeocodeResult:
    """What :meth:`Geocoder.geocode` found: a match, candidates, or suggestions."""

    query: str
    match: Match | None = None
    #: Several places the name fits equally well (the match is then ``None``).
    candidates: list[Match] = field(default_factory=list)
    #: For an unknown name: the closest gazetteer names.
    suggestions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: ``(place name, km)`` of the nearest other gazetteer place to the match.
    nearest: tuple[str, float] | None = None

    @property
    def status(self) -> str:
        """``found``, ``ambiguous`` or ``unknown``."""
        return "found" if self.match else "ambiguous" if self.candidates else "unknown"


def _default_geolocator(user_agent: str, domain: str, scheme: str, timeout: float):
    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import Nominatim

    # urllib: one attempt per request (no hidden retries), so the rate limit and timeout are exact.
    return Nominatim(user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout,
                     adapter_factory=URLLibAdapter)


class Geocoder:
    """Gazetteer-first geocoder with a Nominatim fallback, a rate limit and a persistent cache.

    Parameters
    ----------
    places:
        The gazetteer (``place_id, name, aliases, lat, lon, country``).
    offline:
        Never call Nominatim; the cache is still read.
    user_agent, domain, scheme, timeout, min_delay, cache_path:
        Default to ``config.GEOCODER_*`` and ``config.GEOCODE_CACHE``.
    """

    def __init__(self, places: pd.DataFrame, *, offline: bool = False, user_agent: str | None = None,
                 domain: str | None = None, scheme: str | None = None, timeout: float | None = None,
                 min_delay: float | None = None, cache_path: Path | str | None = None, geolocator=None):
        self.places = places.reset_index(drop=True)
        self.offline = offline
        self.user_agent = user_agent or config.GEOCODER_USER_AGENT
        self.domain = domain or config.GEOCODER_DOMAIN
        self.scheme = scheme or config.GEOCODER_SCHEME
        self.timeout = config.GEOCODER_TIMEOUT if timeout is None else timeout
        self.min_delay = config.GEOCODER_MIN_DELAY if min_delay is None else min_delay
        self.cache_path = Path(cache_path or config.GEOCODE_CACHE)
        self._geolocator = geolocator
        self._limited = None
        self._index = self._build_index()

    # -- gazetteer -----------------------------------------------------------------
    def _build_index(self) -> list[tuple[str, str, str, int]]:
        """``(tier, casefolded spelling, key, row)`` for every name and alias."""
        index = []
        for i, row in enumerate(self.places.itertuples(index=False)):
            index.append(("exact", str(row.name).casefold().strip(), spelling_key(str(row.name)), i))
            for alias in str(getattr(row, "aliases", "") or "").split("|"):
                if alias.strip():
                    index.append(("alias", alias.casefold().strip(), spelling_key(alias.strip()), i))
        return index

    def _match(self, i: int, source: str) -> Match:
        r = self.places.iloc[i]
        return Match(str(r["name"]), float(r["lat"]), float(r["lon"]), source, str(r["place_id"]), str(r["country"]))

    def _in_country(self, i: int, country: str | None) -> bool:
        return not country or str(self.places.iloc[i]["country"]).upper() == country.upper()

    def lookup(self, name: str, country: str | None = None) -> list[Match]:
        """Gazetteer matches of ``name`` in the first tier that has any (one match or several)."""
        q = name.casefold().strip()
        key = spelling_key(name.strip())
        tiers = [
            ("gazetteer (exact)", lambda t, s, k: t == "exact" and s == q),
            ("gazetteer (alias)", lambda t, s, k: t == "alias" and s == q),
            ("gazetteer (transliteration)", lambda t, s, k: len(key) >= 2 and k == key),
        ]
        for source, test in tiers:
            rows = sorted({i for t, s, k, i in self._index if test(t, s, k) and self._in_country(i, country)})
            if rows:
                return [self._match(i, source) for i in rows]
        return []

    def suggestions(self, name: str, country: str | None = None, n: int = 5) -> list[str]:
        """The gazetteer names closest to ``name`` (by spelling), best first."""
        names = {}
        for _t, s, k, i in self._index:
            if self._in_country(i, country):
                names.setdefault(s, i)
                names.setdefault(k, i)
        close = difflib.get_close_matches(name.casefold().strip(), list(names), n=n * 2, cutoff=0.6)
        close += difflib.get_close_matches(spelling_key(name), list(names), n=n * 2, cutoff=0.6)
        out = []
        for c in close:
            label = str(self.places.iloc[names[c]]["name"])
            if label not in out:
                out.append(label)
        return out[:n]

    def nearest(self, lat: float, lon: float, exclude: str = "") -> tuple[str, float] | None:
        """``(name, km)`` of the gazetteer place nearest to a point, other than ``exclude``."""
        best = None
        for row in self.places.itertuples(index=False):
            if row.place_id == exclude:
                continue
            km = geodesic((lat, lon), (float(row.lat), float(row.lon))).km
            if best is None or km < best[1]:
                best = (str(row.name), km)
        return best

    # -- cache ---------------------------------------------------------------------
    def _cache_key(self, name: str, country: str | None) -> str:
        return f"{(country or ','.join(REGION)).lower()}|{' '.join(name.casefold().split())}"

    def _read_cache(self) -> dict:
        try:
            return json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def fetched_on(self, name: str, country: str | None = None) -> str | None:
        """The day (``YYYY-MM-DD``) Nominatim was asked about ``name``, from the cache; ``None`` if never."""
        entry = self._read_cache().get(self._cache_key(name.strip(), country))
        return entry.get("asked") if isinstance(entry, dict) else None

    def _write_cache(self, key: str, results: list[dict]) -> None:
        cache = self._read_cache()
        cache[key] = {"results": results, "asked": time.strftime("%Y-%m-%d")}
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, prefix=".geocode-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(cache, fh, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, self.cache_path)

    # -- Nominatim -----------------------------------------------------------------
    def _limited_geocode(self):
        if self._limited is None:
            from geopy.extra.rate_limiter import RateLimiter

            geolocator = self._geolocator or _default_geolocator(self.user_agent, self.domain, self.scheme, self.timeout)
            self._limited = RateLimiter(geolocator.geocode, min_delay_seconds=self.min_delay,
                                        max_retries=0, swallow_exceptions=False)
        return self._limited

    def _ask_nominatim(self, name: str, country: str | None) -> list[dict]:
        """Nominatim's answers as ``{name, lat, lon}`` dicts; raises geopy errors."""
        codes = [country.lower()] if country else list(REGION)
        found = self._limited_geocode()(name, exactly_one=False, limit=5, country_codes=codes,
                                        timeout=self.timeout)
        out = []
        for loc in found or []:
            raw = getattr(loc, "raw", {}) or {}
            out.append({"name": loc.address, "lat": float(loc.latitude), "lon": float(loc.longitude),
                        "country": str(raw.get("address", {}).get("country_code", "")).upper()})
        return out

    def online(self, name: str, country: str | None, warnings: list[str]) -> list[Match]:
        """Ask Nominatim (or the cache); network problems become ``warnings``, never errors."""
        from geopy.exc import GeopyError

        key = self._cache_key(name, country)
        cached = self._read_cache().get(key)
        if cached is not None:
            return [Match(r["name"], r["lat"], r["lon"], "nominatim (cached)", "", r.get("country", ""))
                    for r in cached["results"]]
        if self.offline:
            return []
        try:
            results = self._ask_nominatim(name, country)
        except (GeopyError, OSError, ValueError, KeyError, TypeError) as err:
            kind = type(err).__name__
            warnings.append(f"Nominatim at {self.scheme}://{self.domain} could not answer ({kind}: {err}); "
                            "used the gazetteer and the cache only. Try again later, or pass --offline.")
            return []
        self._write_cache(key, results)
        return [Match(r["name"], r["lat"], r["lon"], "nominatim", "", r["country"]) for r in results]

    # -- the whole resolution ------------------------------------------------------
    def geocode(self, name: str, country: str | None = None) -> GeocodeResult:
        """Resolve ``name`` (optionally within ``country``, ``SY`` or ``IQ``); never raises for the network."""
        if not name or not name.strip():
            raise GeocodingError("the place name is empty; type a name such as 'Raqqa' or 'Al-Baghuz Fawqani'")
        if country and country.upper() not in ("SY", "IQ"):
            raise GeocodingError(f"unknown country {country!r}; expected SY or IQ")
        result = GeocodeResult(name.strip())
        found = self.lookup(name, country)
        if not found:
            found = self.online(name.strip(), country, result.warnings)[:1]
        if len(found) == 1:
            result.match = found[0]
            result.nearest = self.nearest(found[0].lat, found[0].lon, exclude=found[0].place_id)
        elif found:
            result.candidates = found
        else:
            result.suggestions = self.suggestions(name, country)
        return result
