"""The vocabulary the extractor reads: actor names, event triggers, hedges and negations.

Actor names map onto the dataset's actor codes (:mod:`frontline.vocab`); "government forces",
"the army" and "troops" are ``GOVERNMENT`` until the place's country says which. Each trigger
names its event type and, for changes of control, how the sentence names the new holder:

- ``take``: the holder is the subject, the place the object ("the SDF captured Tabqa");
- ``expel``: as ``take``, but the object is the loser and the place follows "from" ("drove ISIS out of X");
- ``noun``: "the capture of X", "X's liberation";
- ``fell``: the place is the subject and the holder follows "to" ("Palmyra fell to ISIS");
- ``lose``: the subject is the loser ("ISIS lost Raqqa", "withdrew from").

"Kurdish forces" are ``KURDS`` until the place's country says SDF (Syria) or Peshmerga (Iraq).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["ACTOR_PATTERNS", "GOVERNMENT", "KURDS", "Trigger", "find_actors", "find_triggers", "hedges", "is_negated",
           "is_irrealis", "TYPE_PRIORITY", "SUB_PLACE", "ANAPHORA"]

#: Stands for the government of the place's country (Syrian or Iraqi) until the place is known.
GOVERNMENT = "GOVERNMENT"
#: Stands for Kurdish forces: the SDF/YPG in Syria, the Peshmerga in Iraq.
KURDS = "KURDS"

ACTOR_PATTERNS: list[tuple[str, str]] = [
    ("SDF", r"Syrian Democratic Forces|SDF|YPG|YPJ|Kurdish-led (?:forces|fighters|alliance|militia)"
            r"|(?:[Cc]oalition|[Aa]lliance) of (?:Kurdish and Arab|Arab and Kurdish) (?:fighters|soldiers|forces)"
            r"|People's Protection Units|Manbij Military Council|Deir ez-Zor Military Council"),
    ("US_COALITION", r"US-led (?:international )?coalition|U\.S\.-led coalition|(?:international|global|anti-ISIS) coalition"
                     r"|Coalition aircraft|coalition (?:air ?strikes?|aircraft|spokesman|forces|jets)|CJTF-OIR"
                     r"|Operation Inherent Resolve|(?:US|U\.S\.|American) (?:forces|troops|special forces|military|aircraft|jets)"
                     r"|(?<![-\w])the coalition\b"),
    ("KURDISH_PESHMERGA", r"[Pp]eshmerga|Kurdistan Regional Government forces|Kurdish Regional Government forces"),
    ("IRAQI_GOVERNMENT", r"Iraqi (?:security )?(?:forces|army|troops|military|units|soldiers|government|police|"
                         r"counter-?terrorism (?:service|forces)|special forces|federal police|prime minister|commanders?)"
                         r"|ISF|CTS|Counter[- ]Terrorism Service|Golden Division|PMF|PMU|Hashd(?: al-Shaabi)?"
                         r"|Popular Mobili[sz]ation (?:Forces|Units)|Iraq's army|Iraqi-led forces"),
    ("SYRIAN_GOVERNMENT", r"Syrian (?:Arab )?(?:[Aa]rmy|government(?: forces)?|troops|soldiers|regime)|SAA|[Rr]egime(?: forces| troops)?"
                          r"|pro-(?:government|regime|Assad) (?:forces|fighters|militias)|Assad(?:'s)? (?:forces|troops|regime)"
                          r"|Tiger Forces|(?:the )?[Rr]egime of President Bashar al-Assad|Damascus government"),
    ("SYRIAN_OPPOSITION", r"[Rr]ebels?|FSA|Free Syrian Army|Euphrates Shield|Turkish-backed (?:rebels|forces|fighters|groups)"
                          r"|(?:Syrian )?opposition (?:fighters|forces|groups)|(?:Jabhat )?al-Nusra|Nusra Front|HTS"
                          r"|Hayat Tahrir al-Sham|Ahrar al-Sham|Jaish al-\w+|National Army"),
    ("TURKEY", r"Turkish (?:army|forces|troops|military|jets|aircraft|artillery)|Turkey's (?:army|military)"),
    ("RUSSIA", r"Russian(?:s| forces| troops| jets| aircraft| air ?strikes| air force| support| military| trooper)?|Russia"),
    ("IRAN", r"Iranian(?: forces| advisers| troops)?|IRGC|Quds Force|Revolutionary Guards?"),
    ("ISIS", r"ISIS|ISIL|IS(?![\w-])|Daesh|Da'esh|Islamic State(?: of Iraq and the Levant| of Iraq and Syria| group)?"
             r"|jihadists?|[Tt]he (?:terror|terrorist|militant|jihadist|extremist) group|IS militants|ISIS militants"),
    ("CIVILIANS", r"civilians|residents|villagers|displaced (?:people|families)"),
    (GOVERNMENT, r"(?:[Pp]ro-)?[Gg]overnment (?:forces|troops|soldiers)|[Tt]he army|[Ss]ecurity forces|[Aa]rmy (?:troops|units)"),
    (KURDS, r"Kurdish (?:forces|fighters|militia|militias|troops|units)"),
]
_ACTORS = [(code, re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])")) for code, pattern in ACTOR_PATTERNS]


def find_actors(sentence: str) -> list[tuple[int, int, str]]:
    """``(start, end, code)`` of each actor named in ``sentence``, left to right, never overlapping.

    >>> [c for _s, _e, c in find_actors("Iraqi forces and the PMF drove ISIS out; US-backed fighters watched")]
    ['IRAQI_GOVERNMENT', 'IRAQI_GOVERNMENT', 'ISIS']
    >>> find_actors("")
    []
    """
    found: list[tuple[int, int, str]] = []
    for code, pattern in _ACTORS:
        for m in pattern.finditer(sentence):
            if not any(m.start() < e and s < m.end() for s, e, _c in found):
                found.append((m.start(), m.end(), code))
    return sorted(found)


@dataclass(frozen=True)
class Trigger:
    """A word or phrase that reports an event: where, which event type, and (for changes of control) its kind."""

    start: int
    end: int
    text: str
    event_type: str
    kind: str = ""


_TAKE = (r"captured|seized|took (?:full |complete |total )?(?:control of|over)|took|retook|re-took|re-captured|recaptured"
         r"|liberated|fully liberated|freed|regained(?: control of)?|overran|secured|gained (?:full )?control of"
         r"|seized (?:full |complete )?control of|took back|wrested(?: control of)?|has (?:captured|seized|retaken|taken)"
         r"|have (?:captured|seized|retaken|taken)|had (?:captured|seized|retaken|taken)|retaken|taken control of|taken")
_TRIGGERS: list[tuple[str, str, str]] = [
    ("control_change", "fell", r"fell to|fell into the hands of|(?:was|were|has been|had been) (?:captured|seized|"
                               r"taken|retaken|recaptured|liberated|overrun) by|came under (?:the )?control of"),
    ("control_change", "expel", r"drove|driven|expelled|ousted|removed|pushed|routed|cleared|kicked"),
    ("control_change", "noun", r"(?:re)?capture of|liberation of|fall of|takeover of|retaking of|seizure of|"
                               r"(?<=['’]s )(?:liberation|fall|capture|recapture)"),
    ("control_change", "lose", r"lost|(?:withdrew|withdrawn|retreated|pulled out|pulled back) (?:from|of)|pulled out of"
                              r"|abandoned|lost (?:their|its) grip on"),
    ("control_change", "take", _TAKE),
    ("offensive_end", "", r"(?:military )?operations? (?:in [\w ]{1,30} )?(?:have |has |had )?(?:ended|are finished|"
                          r"were finished|is finished|are over|is over)|declared the end of the (?:battle|offensive|operation)"),
    ("offensive_start", "", r"launched (?:an?|the|its|their)? ?(?:\w+ ){0,2}(?:offensive|assault|operation|campaign)"
                            r"|(?:start|beginning|launch) of (?:the|an|a) (?:\w+ ){0,2}(?:mission|operation|offensive|campaign|battle)"
                            r"|(?:offensive|assault|operation) (?:began|started|was launched)|began (?:an|the|its) (?:offensive|assault)"),
    ("siege_end", "", r"(?:broke|lifted|ended|broken|lifted) the siege|siege (?:was|has been) (?:broken|lifted)"),
    ("siege_start", "", r"laid siege|imposed a siege|under siege|besieged|encircled"),
    ("massacre", "", r"massacred?|executed|beheaded|beheadings|crucifixions?|mass grave|slaughtered"),
    ("airstrike", "", r"air ?strikes?|air raids?|drone strikes?|strikes destroyed|bombarded|pummell?ed|carried out (?:several |\w+ )?strikes"),
    ("attack", "", r"suicide (?:bombings?|bombers?|attacks?)|car bombs?|VBIEDs?|roadside bombs?|ambush(?:ed)?|attacked"
                   r"|bombings?|IEDs?|raid(?:ed)?|assassinations?"),
    ("battle", "", r"battle for|battle of|(?<!final )battle(?! to)|clashes|fighting|fought|broke into|penetrated|entered"
                   r"|stormed|advanced|pushed forward|battling|clashed|fierce resistance|shelled|shelling"),
    ("declaration", "", r"declared|announced|proclaimed|declaring|declare"),
]
_TRIGGER_RE = [(t, k, re.compile(rf"(?<![\w-])(?:{p})(?![\w-])(?! (?:place|part|note|shelter|refuge|aim|turns|hold)\b)",
                                 re.IGNORECASE)) for t, k, p in _TRIGGERS]

#: When several triggers of one sentence point at one place, the first type here wins.
TYPE_PRIORITY = ("control_change", "siege_end", "siege_start", "offensive_end", "offensive_start", "massacre",
                 "airstrike", "attack", "battle", "declaration")

#: Words between a capture and its place that mean only part of the place was taken (a battle, not a change).
SUB_PLACE = re.compile(r"\b(?:old city|neighbou?rhoods?|districts?|quarters?|hospital|mosque|minaret|square|wall|"
                       r"perimeter|percent|per cent|part of|parts of|most of|half of|areas? of|blocks|buildings?|"
                       r"outskirts|suburbs?|remains|streets?|positions? in|villages? (?:near|around|outside))\b",
                       re.IGNORECASE)
#: Words standing for a place named earlier.
ANAPHORA = re.compile(r"\b(?:the|this|that|its|their) (?:(?:ancient|besieged|embattled|strategic|northern|eastern|"
                      r"western|southern|small|key|self-declared|de facto|last|final) )*(?:city|town|village|enclave|"
                      r"capital|stronghold|area)\b", re.IGNORECASE)


def find_triggers(sentence: str) -> list[Trigger]:
    """Every trigger in ``sentence`` (the first listed wins where two overlap), left to right.

    >>> [(t.event_type, t.kind) for t in find_triggers("ISIS fell back; Palmyra fell to ISIS after clashes")]
    [('control_change', 'fell'), ('battle', '')]
    """
    found: list[Trigger] = []
    masked = NOT_EVENTS.sub(lambda m: "x" * len(m.group(0)), sentence)
    for event_type, kind, pattern in _TRIGGER_RE:
        for m in pattern.finditer(masked):
            if not any(m.start() < t.end and t.start < m.end() for t in found):
                found.append(Trigger(m.start(), m.end(), m.group(0), event_type, kind))
    return sorted(found, key=lambda t: t.start)


_HEDGES = [
    (re.compile(r"\b(?:reportedly|allegedly|apparently|purportedly|unconfirmed|rumou?red)\b", re.I), 0.2, "hedged"),
    (re.compile(r"\b(?:claimed|claims?|claiming)\b", re.I), 0.15, "a claim"),
    (re.compile(r"\b(?:denied|denies|deny|denying)\b", re.I), 0.3, "denied"),
    (re.compile(r"\b(?:said to|believed to|thought to|appear(?:s|ed)? to|may have|might have|could have|"
                r"is believed|are believed|were believed|according to (?:activists|unnamed|local sources))\b", re.I),
     0.15, "hedged"),
]


def hedges(sentence: str) -> tuple[float, list[str]]:
    """How much the sentence's hedges lower confidence (at most 0.4), and the words found.

    >>> hedges("ISIS reportedly took Hajin, activists claimed")
    (0.35, ['reportedly', 'claimed'])
    >>> hedges("The SDF took Hajin")
    (0.0, [])
    """
    total, words = 0.0, []
    for pattern, cost, _what in _HEDGES:
        for m in pattern.finditer(sentence):
            total += cost
            words.append(m.group(0))
    return round(min(total, 0.4), 2), words


_NEGATION = re.compile(r"\b(?:not|never|no longer|failed to|n't|without|yet to|denied|unable to)\b[^,;:]{0,25}$",
                       re.IGNORECASE)
_IRREALIS = re.compile(r"(?:\b(?:will|would|could|should|might|must|shall|can|soon|plans?|planned|aims?|"
                       r"vowed|threatened|trying|tries|attempts?|bid|seeks?|sought|going)\b[^,;:]{0,40}"
                       r"|\bto |\bmay |\bhelp )$", re.IGNORECASE)


_IMMINENT = re.compile(r"^[^.;,]*?\b(?:is|was|are|were|looked|looks|seemed|seems)\W+(?:\w+\W+)?[\"“'‘]?imminent"
                       r"|^\W*[\"“'‘]?imminent", re.IGNORECASE)

#: Names that hold a trigger word but report no event ("Raqqa is Being Slaughtered Silently").
NOT_EVENTS = re.compile(r"Raqqa is (?:being )?Slaughtered Silently|Operation \w+ (?:Shield|Resolve|Spring)", re.IGNORECASE)


def is_negated(before: str) -> bool:
    """Whether the words just before a trigger negate it ("had not yet captured").

    >>> is_negated("Iraqi forces had not yet"), is_negated("Iraqi forces")
    (True, False)
    """
    return bool(_NEGATION.search(before[-40:]))


def is_irrealis(before: str, after: str) -> bool:
    """Whether a trigger reports a plan, a hope or a future ("to retake", "will be the liberation", "imminent").

    >>> is_irrealis("the mission to ", " Mosul"), is_irrealis("Mosul's ", ' is "imminent,"'), is_irrealis("ISIS ", " Mosul")
    (True, True, False)
    """
    words = before.split()
    return bool(_IRREALIS.search(" ".join(words[-7:]) + " ")) or bool(_IMMINENT.search(after[:50]))
