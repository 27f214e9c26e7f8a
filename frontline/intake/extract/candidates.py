"""From an article's sentences to candidate events: one per trigger with a place, scored, merged, sorted.

For each trigger (:mod:`.lexicon`) in a sentence, its *segment* runs from the end of the trigger before
it to the start of the next one. The place is the trigger's object ("took *Palmyra*", "the capture of
*Baghouz*", "drove ISIS out of *Manbij*"), a word standing for a place named before ("*the city*"), or
for other events the nearest place of the segment. The date is the segment's own date, else the
sentence's last one before the trigger, else the previous sentence's (a news lead dates what follows),
else the publication day with precision ``week`` and a note. The new holder is the subject of the
capture, else another side the sentence names, else (noted) the side the article names most.

A capture of part of a place (its Old City, a district, a hospital, "60 percent of" it) is a ``battle``
at the place, not a change of control. A trigger that reports a plan ("to retake", "will be the
liberation", "imminent") is no event; a negated one ("had not yet captured") and a hedged sentence
("reportedly", "claimed", "denied") lower the confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from ... import vocab
from .dates import DateMention, find_dates
from .lexicon import (ANAPHORA, GOVERNMENT, KURDS, SUB_PLACE, TYPE_PRIORITY, Trigger, find_actors, find_triggers, hedges,
                      is_irrealis, is_negated)
from .places import PlaceIndex, PlaceMention
from .text import Sentence, article_text, sentences

__all__ = ["Candidate", "COLUMNS", "extract", "confidence_level", "UNKNOWN_PLACE"]

#: What ``place_match`` says for a place the gazetteer lacks.
UNKNOWN_PLACE = "unknown place"

#: The columns of a candidate, in output order.
COLUMNS = ["date", "date_precision", "place_id", "name", "lat", "lon", "event_type", "actors", "controller_after",
           "confidence", "quote", "background", "place_match", "date_text", "notes", "sentence", "mentions"]

_BLOCK = re.compile(r"\b(?:near|outside|around|towards?|close to|(?:north|south|east|west)(?:-\w+)? of|km|kilomet\w+|"
                    r"miles|after|before|while|during|following|as|against|with|when|where|which|who|that|and)\b|[,;:(—–]|--",
                    re.IGNORECASE)
_SPEAKER_FROM = re.compile(r"\b(?:said|says|told|stated|announced|tweeted|speaking|spoke)\b[^.;]{0,30}\bfrom\s+(?:the\s+)?$"
                           r"|\b(?:far|away|miles|kilomet\w+) from\s+(?:the\s+)?$", re.IGNORECASE)
_AGENT_BLOCK = re.compile(r"\b(?:from|against|with|by|of|on|to|over|at|fighting|fought|defeated|defeating|battling|"
                          r"targeting|attacking|attacked|killed|fake|besieged|versus|vs)\W+(?:the\s+)?$", re.IGNORECASE)
_CLAUSE = re.compile(r"[,;:]|\b(?:that|who|which|and|but|while|after|before|as)\b", re.IGNORECASE)
_LIBERATE = re.compile(r"liberat|free", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|out of)\s+(?:the\s+)?", re.IGNORECASE)


@dataclass
class Candidate:
    """A candidate event, for a curator to review (``confidence`` from 0 to 1)."""

    date: str
    date_precision: str
    place_id: str
    name: str
    lat: float | None
    lon: float | None
    event_type: str
    actors: str
    controller_after: str
    confidence: float
    quote: str
    background: bool = False
    place_match: str = ""
    date_text: str = ""
    notes: str = ""
    sentence: int = 0
    mentions: int = 1
    _notes: list[str] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("_notes")
        return {c: d[c] for c in COLUMNS}


def confidence_level(score: float) -> str:
    """The dataset's confidence word for a candidate's score.

    >>> confidence_level(0.8), confidence_level(0.5), confidence_level(0.2)
    ('high', 'medium', 'low')
    """
    return "high" if score >= 0.75 else "medium" if score >= 0.45 else "low"


@dataclass
class _Context:
    published: date
    article_sides: Counter
    recent_places: list[PlaceMention] = field(default_factory=list)
    last_date: tuple[int, DateMention] | None = None


def _first_place_in(window_start: int, window_end: int, text: str, places, block: bool = True):
    for p in places:
        if window_start <= p.start < window_end:
            between = text[window_start:p.start]
            if block and _BLOCK.search(between):
                return None
            return p
    return None


def _anaphora_place(text: str, start: int, end: int, trigger_start: int, places, ctx: _Context):
    m = ANAPHORA.search(text, start, end)
    if not m or (_BLOCK.search(text[start:m.start()]) and m.start() > start):
        return None, None
    before = [p for p in places if p.end <= trigger_start and p.place_id]
    if before:
        return before[-1], f"'{m.group(0)}' read as {before[-1].name}, named earlier in the sentence"
    if ctx.recent_places:
        p = ctx.recent_places[-1]
        return p, f"'{m.group(0)}' read as {p.name}, named in a sentence before"
    return None, None


def _choose_place(t: Trigger, seg: tuple[int, int], text: str, places, ctx: _Context):
    """(place, how, sub-place words) for a trigger; place is None when the sentence does not say where."""
    seg_start, seg_end = seg
    window_end = min(seg_end, t.end + 90)
    if t.event_type == "control_change":
        place = None
        if t.kind in ("take", "noun", "lose"):
            if t.kind == "noun" and t.text.casefold() in ("liberation", "fall", "capture", "recapture"):
                place = next((p for p in places if 0 <= t.start - p.end <= 3), None)
            place = place or _first_place_in(t.end, window_end, text, places)
        elif t.kind == "expel":
            m = _FROM.search(text, t.end, window_end)
            if m:
                place = _first_place_in(m.end(), min(window_end, m.end() + 40), text, places)
        elif t.kind == "fell":
            before = [p for p in places if seg_start <= p.end <= t.start]
            place = before[-1] if before else None
        how = ""
        if place is None and t.kind in ("take", "noun", "lose", "expel"):
            place, how = _anaphora_place(text, t.end, window_end, t.start, places, ctx)
        if place is None:
            return None, "", ""
        # the words between the trigger and the place (or its stand-in, "parts of the city"), and a possessive after it
        span = text[t.end:place.end + 16] if place.start >= t.end else text[t.end:min(window_end, t.end + 40)]
        sub = SUB_PLACE.search(span)
        part = sub.group(0) if sub else (place.text if place.part_of else "")
        return place, how, part
    own = [p for p in places if seg_start <= p.start < seg_end]
    if own:
        return min(own, key=lambda p: abs(p.start - t.start)), "", ""
    if places:
        return min(places, key=lambda p: abs(p.start - t.start)), "", ""
    place, how = _anaphora_place(text, seg_start, seg_end, t.start, places, ctx)
    return place, how, ""


def _choose_date(t: Trigger, seg: tuple[int, int], dates: list[DateMention], s: Sentence, ctx: _Context):
    seg_start, seg_end = seg
    after = [d for d in dates if t.end <= d.start < seg_end]
    before_in_seg = [d for d in dates if seg_start <= d.start < t.start]
    before = [d for d in dates if d.end <= t.start]
    if after:
        return after[0], ""
    if before_in_seg:
        return before_in_seg[-1], ""
    if before:
        return before[-1], ""
    if ctx.last_date and ctx.last_date[0] == s.index - 1 and not ctx.last_date[1].background:
        return ctx.last_date[1], "date from the sentence before"
    return None, "no date in the sentence: the publication day, as the latest it can be"


def _sides(actors, t: Trigger, seg: tuple[int, int], text: str):
    """(holder, loser) named by the sentence for a change of control (either may be "")."""
    seg_start, seg_end = seg
    left = [a for a in actors if seg_start <= a[0] and a[1] <= t.start and not _AGENT_BLOCK.search(text[max(0, a[0] - 16):a[0]])]
    right = [a for a in actors if t.end <= a[0] < seg_end]
    clause_start = max([m.end() for m in _CLAUSE.finditer(text, seg_start, t.start)], default=seg_start)
    in_clause = [a for a in left if a[0] >= clause_start]
    subject = in_clause[-1][2] if in_clause else left[0][2] if left else ""
    holder = loser = ""
    if t.kind == "fell":
        holder = right[0][2] if right and right[0][0] - t.end <= 6 else ""
    elif t.kind == "lose":
        loser = subject
    elif t.kind == "noun":
        holder = next((a[2] for a in left if 0 <= t.start - a[1] <= 4), "")  # "the SDF's capture of"
        by = re.compile(r"\bby\s+(?:the\s+)?", re.IGNORECASE).search(text, t.end, seg_end)
        holder = holder or next((a[2] for a in right if by and 0 <= a[0] - by.end() <= 2), "")
    else:
        holder = subject
    if t.kind != "fell" and t.kind != "lose":
        if t.kind == "expel":
            loser = right[0][2] if right else ""
        else:
            m = _FROM.search(text, t.end, seg_end)
            loser = next((a[2] for a in right if m and 0 <= a[0] - m.end() <= 2), "")
    if not loser and _LIBERATE.search(t.text) and holder != "ISIS":
        loser = "ISIS"  # in this atlas, a place is liberated from ISIS
    return holder, loser


def _government(code: str, country: str) -> str:
    """The code of a side the words leave to the country ("government forces", "Kurdish forces")."""
    if code == GOVERNMENT:
        return {"SY": "SYRIAN_GOVERNMENT", "IQ": "IRAQI_GOVERNMENT"}.get(country, "")
    if code == KURDS:
        return {"SY": "SDF", "IQ": "KURDISH_PESHMERGA"}.get(country, "")
    return code


def _candidates_of(s: Sentence, index: PlaceIndex, ctx: _Context) -> list[Candidate]:
    text = s.text
    places = [p for p in index.find(text) if not _SPEAKER_FROM.search(text[max(0, p.start - 50):p.start])]
    dates = find_dates(text, ctx.published)
    actors = find_actors(text)
    cost, hedge_words = hedges(text)
    triggers = [t for t in find_triggers(text) if not is_irrealis(text[:t.start], text[t.end:])]
    out: list[Candidate] = []
    for k, t in enumerate(triggers):
        seg = (0 if k == 0 else triggers[k - 1].end, triggers[k + 1].start if k + 1 < len(triggers) else len(text))
        place, how, part = _choose_place(t, seg, text, places, ctx)
        if place is None:
            continue
        notes: list[str] = []
        score = 0.5
        event_type = t.event_type
        if event_type == "control_change" and part:
            event_type = "battle"
            notes.append(f"only part of the place was taken ('{part}'): a battle there, not a change of control")
        if how:
            notes.append(how)
        if place.match == "unknown":
            score -= 0.2
            notes.append(f"'{place.text}' is not in the gazetteer: geocode it and add the place first")
        else:
            score += {"exact": 0.15, "alias": 0.15, "landmark": 0.1, "transliteration": 0.1, "fuzzy": 0.0}[place.match]
            if place.match == "fuzzy":
                notes.append(f"'{place.text}' read as {place.name} (fuzzy, {place.score:.0f}%)")
            if place.alternatives:
                score -= 0.1
                notes.append(f"'{place.text}' also fits {', '.join(place.alternatives)}")
            if how:
                score -= 0.05
        mention, date_note = _choose_date(t, seg, dates, s, ctx)
        if mention is None:
            day, precision, date_text, background = ctx.published, "week", "", False
            score -= 0.15
        else:
            day, precision, date_text, background = mention.day, mention.precision, mention.text, mention.background
            score += {"day": 0.1, "week": 0.05, "month": 0.0, "year": -0.05}[precision]
            if date_note:
                score -= 0.05
        if date_note:
            notes.append(date_note)
        if background:
            score -= 0.2
            notes.append("background: a date well before publication")
        if not vocab.PERIOD.contains(day):
            score -= 0.2
            notes.append(f"{day.isoformat()} is outside the atlas's period ({vocab.PERIOD_START} to {vocab.PERIOD_END})")
        country = place.country
        codes = [_government(a[2], country) for a in actors]
        holder = loser = ""
        if event_type == "control_change":
            holder, loser = (_government(x, country) for x in _sides(actors, t, seg, text))
            if holder and holder not in vocab.CONTROLLERS:
                holder = ""
            if not holder:
                others = [c for c in codes if c in vocab.CONTROLLERS and c != loser]
                if loser or t.kind != "lose":
                    holder = others[0] if len(set(others)) == 1 else ""
                if not holder:
                    side = next((c for c, _n in ctx.article_sides.most_common() if c != loser
                                 and (loser or c != "ISIS")), "")
                    if side:
                        holder = side
                        score -= 0.1
                        notes.append(f"new holder {holder}: the side the article names most (the sentence does not say)")
            else:
                score += 0.1
            if not holder:
                score -= 0.2
                notes.append("the new holder is not clear: choose it")
        if codes:
            score += 0.05
        if is_negated(text[:t.start]):
            score -= 0.4
            notes.append(f"negated ('{text[max(0, t.start - 25):t.end].strip()}')")
        if cost:
            score -= cost
            notes.append("hedged: " + ", ".join(f"'{w}'" for w in hedge_words))
        if s.index <= 1:
            score += 0.1  # the lead: the article's news
        actor_list = [holder] if holder else []
        for c in codes:
            if c and c not in actor_list:
                actor_list.append(c)
        if loser and loser not in actor_list:
            actor_list.append(loser)
        out.append(Candidate(
            date=day.isoformat(), date_precision=precision, place_id=place.place_id, name=place.name,
            lat=place.lat, lon=place.lon, event_type=event_type, actors="|".join(actor_list),
            controller_after=holder if event_type == "control_change" else "",
            confidence=round(min(max(score, 0.01), 0.99), 2), quote=text, background=background,
            place_match=UNKNOWN_PLACE if place.match == "unknown" else f"gazetteer ({place.match})",
            date_text=date_text or "(publication date)", sentence=s.index + 1, _notes=notes))
    return _one_per_type(out)


def _one_per_type(cands: list[Candidate]) -> list[Candidate]:
    """Within a sentence, one candidate per place and type; a battle or declaration beside a stronger type goes."""
    best: dict[tuple, Candidate] = {}
    for c in cands:
        key = (c.place_id or c.name, c.event_type, c.controller_after, c.date)
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    kept = []
    for (pid, etype, _holder, _day), c in best.items():
        types = {k[1] for k in best if k[0] == pid}
        if etype == "declaration" and len(types) > 1:
            continue
        if etype == "battle" and types & {"control_change", "offensive_start", "offensive_end", "siege_start", "siege_end"}:
            continue
        kept.append(c)
    return kept


def _merge(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per place, type, holder and day; each repeat in another sentence adds 0.05 (at most 0.1)."""
    merged: dict[tuple, Candidate] = {}
    for c in sorted(cands, key=lambda c: -c.confidence):
        key = (c.place_id or c.name.casefold(), c.event_type, c.controller_after, c.date)
        if key in merged:
            m = merged[key]
            m.mentions += 1
            m._notes.append(f"also in sentence {c.sentence + 1}")
        else:
            merged[key] = c
    for c in merged.values():
        c.confidence = round(min(0.99, c.confidence + 0.05 * min(c.mentions - 1, 2)), 2)
        c.notes = "; ".join(c._notes)
    return list(merged.values())


def extract(raw: str, published: date, index: PlaceIndex) -> list[Candidate]:
    """Candidate events in an article (plain text or HTML) published on ``published``, best first.

    >>> import pandas as pd
    >>> index = PlaceIndex(pd.DataFrame([{"place_id": "palmyra", "name": "Palmyra", "aliases": "Tadmur|تدمر",
    ...     "lat": 34.56, "lon": 38.28, "country": "SY", "population": 51015}]))
    >>> c = extract("ISIS first took over Tadmur in May 2015.", date(2017, 2, 7), index)[0]
    >>> (c.place_id, c.date, c.date_precision, c.event_type, c.controller_after, c.background)
    ('palmyra', '2015-05-01', 'month', 'control_change', 'ISIS', True)
    >>> extract("", date(2017, 2, 7), index)
    []
    """
    sents = sentences(article_text(raw))
    sides = Counter()
    for s in sents:
        for _s, _e, code in find_actors(s.text):
            if code in vocab.CONTROLLERS:
                sides[code] += 1
    ctx = _Context(published, sides)
    found: list[Candidate] = []
    for s in sents:
        found += _candidates_of(s, index, ctx)
        named = [p for p in index.find(s.text, fuzzy=False) if p.place_id]
        ctx.recent_places = (ctx.recent_places + named)[-6:] if named else ctx.recent_places
        dates = find_dates(s.text, published)
        recent = [d for d in dates if not d.background]
        ctx.last_date = (s.index, recent[0]) if recent else None
    merged = _merge(found)
    return sorted(merged, key=lambda c: (-c.confidence, c.date, c.place_id, c.event_type))
