"""Places named in a sentence: the gazetteer's names, aliases and Arabic names, transliteration-insensitive.

Every run of one to :data:`MAX_WORDS` capitalised (or Arabic) words is looked up, longest first, by
its exact spelling and then by the geocoder's spelling key (:func:`~frontline.intake.geocode.spelling_key`,
so "Ar-Raqqah", "al-Raqqah" and "Raqqa" are one place). A run after "in", "near", "of the town of"...
that the gazetteer lacks is tried against every name with a fuzzy ratio (near-misses such as
"Palmyrah"); if that fails too it is an *unknown place*, never guessed. A few landmarks inside a
gazetteer place (Mosul's al-Nuri mosque, Raqqa's Rafiqah wall) stand for their place, marked as
part of it.

Example::

    index = PlaceIndex(load_places("data/places.csv"))
    [m.place_id for m in index.find("SDF fighters took al-Raqqah.")]  # ['raqqa']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..geocode import spelling_key

__all__ = ["PlaceIndex", "PlaceMention", "LANDMARKS", "MAX_WORDS", "FUZZY_CUTOFF"]

MAX_WORDS = 5
#: The least rapidfuzz ratio (0-100) for a near-miss to count as a place.
FUZZY_CUTOFF = 88

#: The least rapidfuzz ratio between a name matched by its spelling key and one of the place's spellings.
PLAUSIBLE = 70

#: Landmarks inside a gazetteer place: name -> place_id. A mention is that place, "part of it".
LANDMARKS = {
    "al-Nuri mosque": "mosul", "Great Mosque of al-Nuri": "mosul", "Grand al-Nuri Mosque": "mosul",
    "al-Nuri": "mosul", "al-Hadba minaret": "mosul", "al-Hadba": "mosul", "جامع النوري": "mosul",
    "Rafiqah wall": "raqqa", "Paradise Square": "raqqa", "Naeem Square": "raqqa", "al-Naeem Square": "raqqa",
    "National Raqqa Hospital": "raqqa", "Raqqa National Hospital": "raqqa",
}

#: Capitalised words that are never a place of their own (countries, regions, rivers, people's titles...).
NOT_PLACES = {
    "syria", "iraq", "turkey", "iran", "russia", "jordan", "lebanon", "israel", "kurdistan", "levant", "europe",
    "america", "united states", "us", "u.s", "uk", "britain", "france", "washington", "moscow", "ankara",
    "tehran", "london", "paris", "doha", "qatar", "atlanta", "euphrates", "tigris", "euphrates river",
    "tigris river", "middle east", "north africa", "the", "a", "an", "this", "that", "its", "their", "his",
    "her", "our", "on", "in", "at", "of", "and", "but", "as", "after", "before", "since", "when", "while",
    "it", "they", "he", "she", "we", "there", "then", "also", "some", "most", "many", "all", "one", "two",
    "old city", "city", "town", "village", "province", "governorate", "district", "region", "desert",
    "coalition", "army", "forces", "government", "regime", "state", "islamic state", "caliphate", "daesh",
    "isis", "isil", "is", "sdf", "ypg", "ypj", "pmf", "isf", "cts", "fsa", "hts", "nusra", "peshmerga",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "cnn", "reuters", "afp", "ap", "bbc", "al jazeera", "twitter", "unesco", "un", "unicef", "nato",
    "arab", "kurdish", "syrian", "iraqi", "russian", "turkish", "iranian", "american", "british", "french",
    "northern syria", "eastern syria", "western syria", "southern syria", "northern iraq", "western iraq",
    "eastern", "northern", "western", "southern", "central", "mr", "col", "gen", "lt", "president",
    "prime minister", "minister", "anbar", "al-anbar", "nineveh", "ninawa", "salahuddin", "salah al-din", "diyala", "spokesman", "commander", "general", "colonel", "lieutenant", "homs governorate",
}

_WORD = re.compile(r"[\w\u0600-\u06FF][\w\u0600-\u06FF'’ʿʾ.-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_LOCATIVE = re.compile(r"(?:\b(?:in|near|at|into|outside|around|towards?|from|of)\s+(?:the\s+)?"
                       r"(?:(?:city|town|village|district|neighbou?rhood|area|suburb|outskirts|countryside)\s+of\s+)?)$",
                       re.IGNORECASE)
_SMALL = {"al", "el", "ar", "as", "ash", "ad", "ez", "az", "an", "at", "of", "de", "bin", "abu", "ibn", "wa", "bani"}


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a sentence, at ``start``..``end``.

    ``match`` is ``exact``, ``alias``, ``transliteration``, ``landmark``, ``fuzzy`` (with ``score``) or
    ``unknown`` (then ``place_id`` is empty: the name is not in the gazetteer).
    """

    start: int
    end: int
    text: str
    place_id: str
    name: str
    lat: float | None
    lon: float | None
    country: str
    match: str
    score: float = 100.0
    alternatives: tuple[str, ...] = ()
    part_of: bool = False


_ARTICLE_CAP = re.compile(r"^(?:al|el|ar|as|ad|an|ash|at|az|ez|ad-|adh)[-‑][A-ZʿʾĀ-Ž]")


def _capitalised(word: str) -> bool:
    """A word that may start a name: capitalised, Arabic script, or "al-Xyz"."""
    return word[:1].isupper() or bool(re.match(r"[\u0600-\u06FF]", word)) or bool(_ARTICLE_CAP.match(word))


def _plain(text: str) -> str:
    """Letters only, without diacritics or a leading Arabic article: "Ar-Raqqah" -> "raqqah"."""
    import unicodedata

    t = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    t = re.sub(r"^(?:al|el|ar|as|ad|an|ash|at|az|ez)[\s-]+", "", t)
    return re.sub(r"[^a-z]", "", t)


class PlaceIndex:
    """The gazetteer as a lookup of every spelling: exact (case-insensitive), then by spelling key."""

    def __init__(self, places):
        self.places = {str(r.place_id): r for r in places.itertuples(index=False)}
        self.exact: dict[str, set[tuple[str, str]]] = {}
        self.keys: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}
        for pid, row in self.places.items():
            spellings = [("exact", str(row.name))]
            spellings += [("alias", a.strip()) for a in str(getattr(row, "aliases", "") or "").split("|") if a.strip()]
            for tier, spelling in spellings:
                self._add(spelling, pid, tier)
        for spelling, pid in LANDMARKS.items():
            if pid in self.places:
                self._add(spelling, pid, "landmark")

    def _add(self, spelling: str, pid: str, tier: str) -> None:
        folded = self._fold(spelling)
        self.exact.setdefault(folded, set()).add((pid, tier))
        key = spelling_key(spelling)
        if len(key) >= 2:
            self.keys.setdefault(key, set()).add(pid if tier != "landmark" else f"landmark:{pid}")
        if tier != "landmark":
            self.names.setdefault(folded, pid)

    @staticmethod
    def _fold(text: str) -> str:
        return " ".join(text.replace("’", "'").casefold().split())

    def _population(self, pid: str) -> float:
        try:
            value = float(getattr(self.places[pid], "population", 0))
        except (TypeError, ValueError):
            return 0.0
        return value if value == value else 0.0

    def _mention(self, start, end, text, pids, tier, score=100.0) -> PlaceMention:
        landmark = tier == "landmark" or all(p.startswith("landmark:") for p in pids)
        ids = sorted({p.removeprefix("landmark:") for p in pids}, key=lambda p: (-self._population(p), p))
        row = self.places[ids[0]]
        return PlaceMention(start, end, text, ids[0], str(row.name), float(row.lat), float(row.lon), str(row.country),
                            "landmark" if landmark else tier, score, tuple(ids[1:]), landmark)

    @staticmethod
    def _part_of_a_name(sentence: str, words, i: int, text: str) -> bool:
        """Whether a place-like word is part of a person's name: "Abu Bakr al-Baghdadi", "Haider al-Abadi"."""
        after = sentence[words[i][0] + len(text):words[i][0] + len(text) + 5]
        if " " not in text and re.match(r"\s+(?:al|el|bin|ibn)-?\s?[A-Z]", after):
            return True  # a given name: "Bashar al-Assad", "Abas al-Omar"
        if i == 0:
            return False
        prev = words[i - 1][2]
        if prev.casefold() in ("abu", "umm", "bin", "ibn", "bint", "president", "minister", "general", "gen", "col",
                               "lt", "sheikh", "shaykh", "mr", "mrs", "ms", "dr", "king", "emir", "commander"):
            return True
        glued = words[i][0] - words[i - 1][1] <= 1
        return glued and text[:3].casefold() in ("al-", "el-") and prev[:1].isupper() \
            and prev.casefold() not in NOT_PLACES and not sentence[words[i - 1][1]:words[i][0]].strip()

    def _lookup(self, text: str, first_word: bool = False) -> tuple[set[str], str] | None:
        folded = self._fold(text)
        hits = self.exact.get(folded)
        if hits:
            tiers = {t for _p, t in hits}
            tier = "exact" if "exact" in tiers else "alias" if "alias" in tiers else "landmark"
            return {p for p, t in hits if t == tier}, tier
        if folded in NOT_PLACES or (first_word and not re.search(r"[-\u0600-\u06FF]", text)):
            return None  # a capitalised first word of a sentence is matched by its spelling only
        key = spelling_key(text)
        if len(key) >= 2 and key in self.keys:
            pids = {p for p in self.keys[key] if self._plausible(text, p.removeprefix("landmark:"))}
            return (pids, "transliteration") if pids else None
        return None

    def _plausible(self, text: str, pid: str) -> bool:
        """Whether ``text`` also *looks* like one of the place's spellings (the spelling key alone is lossy:
        "al-Dir'iya" and "Daraa" share one)."""
        from rapidfuzz import fuzz

        if re.search(r"[\u0600-\u06FF]", text):
            return True
        row = self.places[pid]
        spellings = [str(row.name), *str(getattr(row, "aliases", "") or "").split("|")]
        spellings += [k for k, p in LANDMARKS.items() if p == pid]
        plain = _plain(text)
        return any(fuzz.ratio(plain, _plain(s)) >= PLAUSIBLE for s in spellings if s.strip())

    def find(self, sentence: str, fuzzy: bool = True) -> list[PlaceMention]:
        """The places named in ``sentence``, left to right (the longest name wins where names overlap)."""
        words = [(m.start(), m.end(), m.group(0).rstrip(".")) for m in _WORD.finditer(sentence)]
        out: list[PlaceMention] = []
        i = 0
        while i < len(words):
            if not _capitalised(words[i][2]):
                i += 1
                continue
            found = None
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                start, end = words[i][0], words[i + n - 1][1]
                text = _POSSESSIVE.sub("", sentence[start:end].rstrip("."))
                last = words[i + n - 1][2]
                if not _capitalised(last) and n > 1 and not last[:1].isdigit() and self._fold(text) not in self.exact:
                    continue  # a name ends with a capitalised word (or a number: "Division 17"), or is known as it is
                hit = self._lookup(text, first_word=(i == 0 and n == 1))
                if hit and self._part_of_a_name(sentence, words, i, text):
                    hit = None
                if hit:
                    found = (n, self._mention(start, start + len(text), text, hit[0], hit[1]))
                    break
            if found:
                out.append(found[1])
                i += found[0]
                continue
            i += 1
        if fuzzy:
            out += self._unknown_or_fuzzy(sentence, words, out)
        return sorted(out, key=lambda m: m.start)

    def _unknown_or_fuzzy(self, sentence: str, words, known: list[PlaceMention]) -> list[PlaceMention]:
        """Capitalised names after a locative word ("in", "near", "the town of") that the gazetteer lacks."""
        out = []
        i = 0
        while i < len(words):
            start = words[i][0]
            if not _capitalised(words[i][2]) or any(k.start <= start < k.end for k in known) \
                    or not _LOCATIVE.search(sentence[max(0, start - 60):start]):
                i += 1
                continue
            j = i
            while j + 1 < len(words) and (_capitalised(words[j + 1][2]) or words[j + 1][2].casefold() in _SMALL) \
                    and words[j + 1][0] - words[j][1] <= 1 and j - i < 3 \
                    and not any(k.start <= words[j + 1][0] < k.end for k in known):
                j += 1
            while j > i and words[j][2].casefold() in _SMALL:
                j -= 1
            text = _POSSESSIVE.sub("", sentence[start:words[j][1]].rstrip(".,"))
            i = j + 1
            folded = self._fold(text)
            if folded in NOT_PLACES or any(w in NOT_PLACES for w in folded.split()[:1]) or len(text) < 4:
                continue
            if not re.search(r"[A-Za-z\u0600-\u06FF]", text):
                continue
            best = self._fuzzy(folded)
            if best:
                pid, score = best
                out.append(self._mention(start, start + len(text), text, {pid}, "fuzzy", score))
            else:
                out.append(PlaceMention(start, start + len(text), text, "", text, None, None, "", "unknown", 0.0))
        return out

    def _fuzzy(self, folded: str) -> tuple[str, float] | None:
        from rapidfuzz import fuzz, process

        best = process.extractOne(folded, list(self.names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best:
            return self.names[best[0]], float(best[1])
        return None
