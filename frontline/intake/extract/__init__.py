"""From a news article to candidate events, for a curator to review (issue #19).

Rule-based and offline (no model, no network): sentences (:mod:`.text`), places from the gazetteer
(:mod:`.places`), dates resolved against the publication day (:mod:`.dates`), triggers, actors and
hedges (:mod:`.lexicon`), and candidates scored, merged and sorted (:mod:`.candidates`).

Example::

    from frontline.intake.extract import extract, PlaceIndex
    from frontline.intake.gazetteer import load_places
    for c in extract(open("article.txt").read(), date(2019, 3, 23), PlaceIndex(load_places())):
        print(c.confidence, c.date, c.name, c.event_type, c.controller_after, c.quote)
"""

from .candidates import COLUMNS, UNKNOWN_PLACE, Candidate, confidence_level, extract
from .places import PlaceIndex
from .text import article_text

__all__ = ["extract", "Candidate", "COLUMNS", "PlaceIndex", "article_text", "confidence_level", "UNKNOWN_PLACE"]
