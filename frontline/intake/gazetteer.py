"""The gazetteer as the curation tools read it: the places table, and a place found by name.

Example::

    place = resolve_place(Geocoder(load_places("data/places.csv"), offline=True), "Ar-Raqqah")
"""

from __future__ import annotations

from pathlib import Path

from .. import config

__all__ = ["load_places", "resolve_place"]


def load_places(places_path: Path | str = config.PLACES_PATH):
    """The gazetteer as a table (rows that fail validation are left out, as in the dashboard)."""
    from ..dataset.load import places_frame
    from ..dataset.validate import check_places

    rows, _problems = check_places(places_path)
    return places_frame([r for _l, r in rows])


def resolve_place(geocoder, name: str, country: str | None = None) -> dict:
    """The gazetteer place an event at ``name`` belongs to, as a dict (``place_id``, ``name``, ``lat``...).

    Raises :class:`~frontline.errors.GeocodingError` when the name is ambiguous (its
    ``candidates`` are the places) or not in the gazetteer (``candidates`` are the closest names).
    """
    from ..errors import GeocodingError

    by_id = geocoder.places[geocoder.places["place_id"] == name.strip()]
    if len(by_id) == 1:
        r = by_id.iloc[0]
        return {"place_id": str(r["place_id"]), "name": str(r["name"]), "lat": float(r["lat"]), "lon": float(r["lon"]),
                "country": str(r["country"]), "source": "gazetteer (place_id)"}
    matches = geocoder.lookup(name, country)
    if len(matches) == 1:
        m = matches[0]
        return {"place_id": m.place_id, "name": m.name, "lat": m.lat, "lon": m.lon, "country": m.country,
                "source": m.source}
    if matches:
        raise GeocodingError(
            f"{name!r} is ambiguous: it fits {', '.join(f'{m.name} ({m.place_id}, {m.country})' for m in matches)}; "
            "choose the country or type the place_id's name", [m.place_id for m in matches])
    close = geocoder.suggestions(name, country)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise GeocodingError(f"{name!r} is not in the gazetteer{hint}; add the place to places.csv first "
                         "('Add a place' on the Curate page, or python -m frontline add-place --geocode)", close)
