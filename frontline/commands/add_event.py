"""``add-event``: check one event and insert it into events.csv as one new line."""

from __future__ import annotations


from . import add_command, add_data_options, finish_insert


def register(sub) -> None:
    from .. import vocab

    p = add_command(
        sub, "add-event", help="add one event to events.csv (checked, duplicate-aware, atomic)",
        description="Resolve PLACE in the gazetteer, build the row, check it with the rules of 'validate', show it "
                    "and any possible duplicate (same place and type, within 3 days), then insert it at its sorted "
                    "place in events.csv as one new line (atomically). An invalid row is refused with the reasons.",
        example="python -m frontline add-event --place 'Al-Baghuz Fawqani' --date 2019-03-23 --type control_change "
                "--actors 'SDF|US_COALITION|ISIS' --controller-after SDF --summary 'The SDF took Baghuz.' "
                "--source 'Reuters, 2019-03-23, Islamic State defeated' --confidence high",
    )
    p.add_argument("--place", required=True, help="place name (any transliteration, or the place_id)")
    p.add_argument("--country", choices=list(vocab.COUNTRIES), help="only places in this country")
    p.add_argument("--date", required=True, help="ISO date YYYY-MM-DD")
    p.add_argument("--type", required=True, dest="event_type", choices=list(vocab.EVENT_TYPES), help="event type")
    p.add_argument("--actors", required=True, help="'|'-separated actor codes, e.g. 'SDF|ISIS'")
    p.add_argument("--controller-after", default="", help="the new holder (control_change only)")
    p.add_argument("--summary", required=True, help="one or two sentences, in your own words")
    p.add_argument("--source", required=True, help="'Outlet, YYYY-MM-DD, Title' (several separated by ' | ')")
    p.add_argument("--source-url", default="", help="URL(s), in the order of --source")
    p.add_argument("--source-type", default="", help="kind of each source, '|'-separated, in the order of --source: "
                   + ", ".join(vocab.SOURCE_TYPES) + " (default: the known type of each outlet in data/outlets.csv)")
    p.add_argument("--confidence", required=True, choices=list(vocab.CONFIDENCE))
    p.add_argument("--notes", default="")
    p.add_argument("--event-id", default="", help="default: the country's next free id")
    p.add_argument("--dry-run", action="store_true", help="check and show the row; write nothing")
    p.add_argument("--allow-duplicate", action="store_true", help="add the event even if it may be a duplicate")
    add_data_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import DataError
    from ..intake import events as curate
    from ..intake import gazetteer
    from ..intake.geocode import Geocoder
    from ..intake.rows import format_row

    geocoder = Geocoder(gazetteer.load_places(args.places), offline=True)
    place = gazetteer.resolve_place(geocoder, args.place, args.country)
    ids = curate.event_ids(args.events)
    row = curate.build_row(place, date=args.date, event_type=args.event_type, actors=args.actors,
                           controller_after=args.controller_after, summary=args.summary, source=args.source,
                           source_url=args.source_url, confidence=args.confidence, notes=args.notes,
                           source_type=args.source_type,
                           event_id=args.event_id, existing_ids=ids)
    print(f"place: {place['name']} ({place['place_id']}), {place['source']}")
    print("row: " + format_row(row), end="")
    problems = curate.check_row(row, args.events, args.places, auto_id=not args.event_id.strip())
    if problems:
        raise DataError(problems)
    dups = curate.find_duplicates(row, args.events)

    def insert() -> str:
        # under the file's lock: the id is chosen again (unless given) and the row checked again
        added = curate.insert_event(row, args.events, args.places, auto_id=not args.event_id.strip(),
                                    seen_duplicates=None if args.allow_duplicate else [d["event_id"] for d in dups])
        if added.previewed_id:
            print(f"note: {added.previewed_id} was taken by another save meanwhile; the event is {added.event_id}")
        return f"added {added.event_id} at line {added.line} of {added.path}"

    return finish_insert(
        [f"{d['event_id']} {d['date']} {d['place_id']} {d['event_type']}: {d['summary']}" for d in dups],
        args.dry_run, args.allow_duplicate,
        "it may duplicate the event(s) above; pass --allow-duplicate to add it anyway", insert)
