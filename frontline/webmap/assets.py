"""The map's JavaScript and CSS, served locally so the map draws with no internet.

The files come from the npm registry at set-up (``web/package.json``) and are copied
into ``static/vendor`` (never committed). folium names each asset it loads; we map
those names to local files and drop the ones we do not use.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .. import config

__all__ = ["LOCAL_ASSETS", "install", "localize", "local_path", "missing"]

#: folium asset name -> (npm package, file in the package, file under static/vendor)
LOCAL_ASSETS: dict[str, tuple[str, str, str]] = {
    "leaflet": ("leaflet", "dist/leaflet.js", "leaflet/leaflet.js"),
    "leaflet_css": ("leaflet", "dist/leaflet.css", "leaflet/leaflet.css"),
    "Control.Fullscreen.js": ("leaflet.fullscreen", "Control.FullScreen.js", "fullscreen/Control.FullScreen.js"),
    "Control.FullScreen.css": ("leaflet.fullscreen", "Control.FullScreen.css", "fullscreen/Control.FullScreen.css"),
    "markerclusterjs": ("leaflet.markercluster", "dist/leaflet.markercluster.js", "markercluster/leaflet.markercluster.js"),
    "markerclustercss": ("leaflet.markercluster", "dist/MarkerCluster.css", "markercluster/MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet.markercluster", "dist/MarkerCluster.Default.css", "markercluster/MarkerCluster.Default.css"),
    "leaflet-heat.js": ("leaflet.heat", "dist/leaflet-heat.js", "heat/leaflet-heat.js"),
    "timeline": ("leaflet.timeline", "dist/leaflet.timeline.js", "timeline/leaflet.timeline.js"),
    "moment": ("moment", "min/moment.min.js", "moment/moment.min.js"),
}

#: Extra files an asset needs beside it (images referenced from CSS).
_EXTRA_DIRS = [("leaflet", "dist/images", "leaflet/images"), ("leaflet.fullscreen", "icon-fullscreen.svg", "fullscreen/icon-fullscreen.svg")]

#: Assets folium adds by default that the atlas does not use (jQuery, Bootstrap, icon fonts).
_DROPPED = {"jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
            "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css"}


def install(node_modules: Path = config.NODE_MODULES, vendor_dir: Path = config.VENDOR_DIR) -> list[Path]:
    """Copy the assets from an npm ``node_modules`` folder into ``vendor_dir``; return the files written."""
    written = []
    for package, src, dest in [v for v in LOCAL_ASSETS.values()] + _EXTRA_DIRS:
        source = node_modules / package / src
        target = vendor_dir / dest
        if not source.exists():
            raise FileNotFoundError(
                f"{source} is missing: run 'make assets' (npm install in web/) first"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written


def local_path(name: str, vendor_dir: Path = config.VENDOR_DIR) -> Path:
    """The local file of the folium asset ``name``."""
    return vendor_dir / LOCAL_ASSETS[name][2]


def missing(vendor_dir: Path = config.VENDOR_DIR) -> list[str]:
    """Names of the assets not yet installed (empty when the map can draw offline)."""
    return [n for n in LOCAL_ASSETS if not local_path(n, vendor_dir).exists()]


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize(element, base_url: str = config.STATIC_URL + "/vendor"):
    """Point every JS/CSS asset of a folium element tree at the local copies.

    Works on the instances (not the classes), so other maps are unaffected.
    Unknown assets raise ``KeyError``: a new plugin must be added to ``LOCAL_ASSETS``.
    """
    for el in _walk(element):
        for attr in ("default_js", "default_css"):
            items = getattr(el, attr, None)
            if not items:
                continue
            local = []
            for name, _url in items:
                if name in _DROPPED:
                    continue
                if name not in LOCAL_ASSETS:
                    raise KeyError(f"asset {name!r} has no local copy; add it to frontline.webmap.assets.LOCAL_ASSETS")
                local.append((name, f"{base_url}/{LOCAL_ASSETS[name][2]}"))
            setattr(el, attr, local)
    return element
