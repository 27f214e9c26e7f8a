"""Defaults in one place: data paths, asset locations, geocoder settings.

Each path can be overridden by an environment variable, so tests and analysts can
point the tools at a copy of the data without touching the curated files.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA_DIR = Path(os.environ.get("FRONTLINE_DATA_DIR", ROOT / "data"))
EVENTS_PATH = Path(os.environ.get("FRONTLINE_EVENTS", DATA_DIR / "events.csv"))
PLACES_PATH = Path(os.environ.get("FRONTLINE_PLACES", DATA_DIR / "places.csv"))
BASEMAP_DIR = DATA_DIR / "basemap"
#: Known outlets and their source type (news agency, newspaper, monitor...), to fill ``source_type``.
OUTLETS_PATH = DATA_DIR / "outlets.csv"
#: Imported event tables (``python -m frontline import``) that the map can overlay; git-ignored.
IMPORTS_DIR = Path(os.environ.get("FRONTLINE_IMPORTS_DIR", DATA_DIR / "imports"))
#: An imported Parquet file the Map page's overlay starts with (listed even outside IMPORTS_DIR); none if unset.
OVERLAY_PATH = Path(os.environ["FRONTLINE_OVERLAY"]) if os.environ.get("FRONTLINE_OVERLAY") else None

#: Where the map's JS/CSS are copied at set-up (served by Streamlit at /app/static/).
STATIC_DIR = ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
NODE_MODULES = ROOT / "web" / "node_modules"
STATIC_URL = "/app/static"

#: Geocoding (Nominatim through geopy): identify the application, one request a second.
GEOCODER_USER_AGENT = os.environ.get(
    "FRONTLINE_USER_AGENT", "frontline-atlas/0.1 (set FRONTLINE_USER_AGENT to your contact)"
)
GEOCODER_TIMEOUT = float(os.environ.get("FRONTLINE_GEOCODER_TIMEOUT", "5"))
GEOCODER_MIN_DELAY = 1.0
GEOCODER_DOMAIN = os.environ.get("FRONTLINE_NOMINATIM_DOMAIN", "nominatim.openstreetmap.org")
GEOCODER_SCHEME = os.environ.get("FRONTLINE_NOMINATIM_SCHEME", "https")
GEOCODE_CACHE = Path(os.environ.get("FRONTLINE_GEOCODE_CACHE", DATA_DIR / "geocode_cache.json"))

#: How far an event may lie from its place's gazetteer point.
MAX_EVENT_DISTANCE_KM = 25.0
