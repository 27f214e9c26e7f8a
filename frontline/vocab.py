"""Closed vocabularies of the Frontline dataset: controllers, actors, event types.

Everything that validates, filters or colours by these codes imports them from
here, so that a new code is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "CONTROLLERS",
    "ACTORS",
    "EVENT_TYPES",
    "CONFIDENCE",
    "SOURCE_TYPES",
    "COUNTRIES",
    "PLACE_KINDS",
    "CONTROL_CHANGE",
    "CONTEST_START",
    "CONTEST_END",
    "CONTROLLER_COLORS",
    "CONTROLLER_LABELS",
    "ACTOR_LABELS",
    "EVENT_TYPE_LABELS",
    "PERIOD",
    "Period",
    "QUERY_END",
    "PERIOD_START",
    "PERIOD_END",
    "VALID_DATE_MIN",
    "VALID_DATE_MAX",
]

#: Who holds a place. ``ISIS`` is spelled exactly so everywhere.
CONTROLLERS: dict[str, str] = {
    "ISIS": "Islamic State (ISIS / ISIL / Daesh)",
    "SYRIAN_GOVERNMENT": "Syrian government and allied forces",
    "IRAQI_GOVERNMENT": "Iraqi government forces, including the Popular Mobilization Forces",
    "KURDISH_PESHMERGA": "Kurdistan Region of Iraq (Peshmerga)",
    "SDF": "YPG/YPJ and the Syrian Democratic Forces",
    "SYRIAN_OPPOSITION": "Syrian rebel groups, including Turkish-backed groups and Jabhat al-Nusra/HTS",
}

#: Who took part in an event: every controller code plus outside parties.
ACTORS: dict[str, str] = {
    **CONTROLLERS,
    "US_COALITION": "US-led coalition (Operation Inherent Resolve)",
    "RUSSIA": "Russian armed forces",
    "TURKEY": "Turkish armed forces",
    "IRAN": "Iranian forces and advisers",
    "CIVILIANS": "Civilians (as victims or displaced)",
}

CONTROL_CHANGE = "control_change"
CONTEST_START = ("offensive_start", "siege_start")
CONTEST_END = ("offensive_end", "siege_end")

#: What happened. Only ``control_change`` carries ``controller_after``.
EVENT_TYPES: dict[str, str] = {
    CONTROL_CHANGE: "A place changes hands; controller_after names the new holder",
    "offensive_start": "An offensive on the place begins: the place is contested until it ends or changes hands",
    "offensive_end": "An offensive on the place ends without (or after) a change of control",
    "siege_start": "A siege of the place begins: the place is contested until it ends or changes hands",
    "siege_end": "A siege of the place is lifted or broken",
    "battle": "Fighting at the place that neither starts nor ends an offensive",
    "airstrike": "Air or drone strikes",
    "attack": "A bombing, raid or other attack",
    "massacre": "Mass killing of civilians or prisoners",
    "declaration": "A proclamation, announcement or statement",
}

EVENT_TYPE_LABELS: dict[str, str] = {
    CONTROL_CHANGE: "Change of control",
    "offensive_start": "Offensive begins",
    "offensive_end": "Offensive ends",
    "siege_start": "Siege begins",
    "siege_end": "Siege ends",
    "battle": "Battle",
    "airstrike": "Airstrike",
    "attack": "Attack",
    "massacre": "Massacre",
    "declaration": "Declaration",
}

CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")

#: What kind of source a citation is, so an analyst can filter and weigh (one per source of an event).
SOURCE_TYPES: dict[str, str] = {
    "news_agency": "News agency (Reuters, AP, AFP, Anadolu...)",
    "newspaper": "Newspaper or news magazine",
    "broadcaster": "Broadcaster (BBC, CNN, Al Jazeera, Rudaw TV...)",
    "think_tank": "Think tank or research group (ISW, CTP, Long War Journal...)",
    "official": "Official statement (CJTF-OIR, governments, UN bodies)",
    "monitor": "Monitoring group (SOHR, Airwars, ACLED, UCDP...)",
    "ngo": "Human-rights or aid organisation (HRW, Amnesty...)",
    "state_media": "State media of a party to the war (SANA, Iraqi state TV...)",
    "party_media": "A party's own media or claim (Amaq, SDF or PMF press offices...)",
    "blog": "Blog or independent analyst",
    "encyclopedia": "Encyclopedia (Wikipedia); never alone for a change of control",
}
COUNTRIES: dict[str, str] = {"SY": "Syria", "IQ": "Iraq"}
PLACE_KINDS: tuple[str, ...] = ("city", "town", "village", "site", "area")

#: Okabe-Ito colour-blind-safe palette, one colour per controller.
CONTROLLER_COLORS: dict[str, str] = {
    "ISIS": "#000000",
    "SYRIAN_GOVERNMENT": "#D55E00",
    "IRAQI_GOVERNMENT": "#0072B2",
    "KURDISH_PESHMERGA": "#009E73",
    "SDF": "#E69F00",
    "SYRIAN_OPPOSITION": "#56B4E9",
}
CONTESTED_COLOR = "#CC79A7"

CONTROLLER_LABELS: dict[str, str] = {
    "ISIS": "ISIS",
    "SYRIAN_GOVERNMENT": "Syrian government",
    "IRAQI_GOVERNMENT": "Iraqi government",
    "KURDISH_PESHMERGA": "Kurdish Peshmerga",
    "SDF": "SDF / YPG",
    "SYRIAN_OPPOSITION": "Syrian opposition",
}

#: Short readable labels for every actor code (controllers and outside parties).
ACTOR_LABELS: dict[str, str] = {
    **CONTROLLER_LABELS,
    "US_COALITION": "US-led coalition",
    "RUSSIA": "Russia",
    "TURKEY": "Turkey",
    "IRAN": "Iran",
    "CIVILIANS": "Civilians",
}

@dataclass(frozen=True)
class Period:
    """A span of days, both ends included.

    >>> PERIOD.contains(date(2019, 3, 23)), PERIOD.contains(date(2019, 3, 24)), PERIOD.clamp(date(2020, 1, 1))
    (True, False, datetime.date(2019, 3, 23))
    """

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def clamp(self, day: date) -> date:
        return min(max(day, self.start), self.end)


#: The period the atlas shows (the slider's range, the dates an event may carry): one pair of dates.
PERIOD = Period(date(2014, 1, 1), date(2019, 3, 23))
PERIOD_START = PERIOD.start.isoformat()
PERIOD_END = PERIOD.end.isoformat()
#: Queries (``control``, ``area``, ``territory``) may ask about the rest of 2019, to show the state after Baghouz.
QUERY_END = "2019-12-31"
#: The range of dates an event may carry (validation).
VALID_DATE_MIN = "2014-01-01"
VALID_DATE_MAX = PERIOD_END
