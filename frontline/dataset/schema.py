"""Column lists of the two curated tables (documented in data/README.md)."""

PLACE_COLUMNS = [
    "place_id", "name", "aliases", "lat", "lon", "country", "admin1", "kind",
    "population", "population_source", "controller_2014", "coord_source", "notes",
]

EVENT_COLUMNS = [
    "event_id", "date", "place_id", "lat", "lon", "event_type", "actors",
    "controller_after", "summary", "source", "source_url", "confidence", "notes", "source_type",
]

#: Columns that must not be blank.
PLACE_REQUIRED = ["place_id", "name", "lat", "lon", "country", "kind", "controller_2014"]
EVENT_REQUIRED = ["event_id", "date", "place_id", "lat", "lon", "event_type", "actors",
                  "summary", "source", "confidence", "source_type"]
