"""Dates in a sentence, resolved against the article's publication date, each with its precision.

Rule-based and offline: absolute dates ("11 December 2016", "Dec. 15", "June 09 2017"), months
("in December 2016", "late September", "last June"), years ("in 2014"), weekdays ("on Sunday": the
most recent such day on or before publication, so "Thursday" in a Thursday article is that day),
and relative words ("today", "yesterday", "last week", "last month", "earlier this year",
"three days ago"). A small rule set rather than a general date parser, so that each date keeps its
span in the sentence (to pair it with the nearest event) and its precision. A month or a year stands for its first day (``precision`` says how much of it is
known); "early", "mid" and "late" move to the 1st, 11th and 21st. A date more than
:data:`BACKGROUND_DAYS` before publication is *background* (e.g. "captured last June").

>>> from datetime import date
>>> P = date(2017, 6, 29)  # a Thursday
>>> [(m.day.isoformat(), m.precision) for m in find_dates("said Thursday; Last October; on Sunday", P)]
[('2017-06-29', 'day'), ('2016-10-01', 'month'), ('2017-06-25', 'day')]
>>> find_dates("", P)
[]
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["DateMention", "find_dates", "PRECISIONS", "BACKGROUND_DAYS", "latest_day"]

#: From the most to the least precise.
PRECISIONS = ("day", "week", "month", "year")
#: A date whose last possible day lies more than this many days before publication is background.
BACKGROUND_DAYS = 7

_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
           "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
           "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}
_PART = {"early": 1, "mid": 11, "mid-": 11, "late": 21}

# "May" and "March" are also words: a month name must be capitalised (or abbreviated with a capital).
_M = (r"(?P<month>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
      r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\.?")
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("dmy", re.compile(rf"\b{_D}\s+{_M},?\s+{_Y}\b")),
    ("mdy", re.compile(rf"\b{_M}\s+{_D},?\s+{_Y}\b")),
    ("dm_rel", re.compile(rf"\b{_D}\s+{_M}\s+(?P<rel>last year|this year)\b")),
    ("md_rel", re.compile(rf"\b{_M}\s+{_D}\s+(?P<rel>last year|this year)\b")),
    ("dm", re.compile(rf"\b{_D}\s+{_M}(?![\w-])")),
    ("md", re.compile(rf"\b{_M}\s+{_D}\b(?!\s*(?:%|percent|per cent|km|miles|people|fighters))")),
    ("my", re.compile(rf"(?:\b(?P<part>early|mid-|mid|late)[\s-]*)?\b{_M}(?:,)?\s+(?:of\s+)?{_Y}\b", re.IGNORECASE)),
    ("m_rel", re.compile(rf"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+{_M}(?![\w-])")),
    ("m", re.compile(rf"\b(?:(?P<part>[Ee]arly|[Mm]id-|[Mm]id|[Ll]ate)[\s-]*|(?:[Ii]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Ll]ast|[Tt]his)\s+){_M}(?![\w-])")),
    ("year_part", re.compile(r"\b(?P<part>early|late|mid-|mid|earlier|later)\s*(?P<which>this|last)\s+year\b", re.IGNORECASE)),
    ("y", re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Oo]f|[Tt]hroughout)\s+(?:early\s+|late\s+|mid-)?{_Y}\b")),
    ("weekday", re.compile(r"(?<!next )(?<!coming )(?<!this coming )\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("ago", re.compile(r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+"
                       r"(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.IGNORECASE)),
    ("word", re.compile(r"\b(?P<word>today|this morning|tonight|yesterday|last night|the day before yesterday|"
                        r"last week|this week|earlier this week|last month|this month|earlier this month|"
                        r"last year|this year)\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class DateMention:
    """One date in a sentence: where (``start``, ``end``), the day it stands for, and how precise it is."""

    start: int
    end: int
    text: str
    day: date
    precision: str
    background: bool = False


def latest_day(day: date, precision: str) -> date:
    """The last day a mention of ``precision`` starting on ``day`` may mean.

    >>> latest_day(date(2016, 12, 1), "month"), latest_day(date(2016, 1, 1), "year")
    (datetime.date(2016, 12, 31), datetime.date(2016, 12, 31))
    """
    if precision == "week":
        return day + timedelta(days=6)
    if precision == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if precision == "year":
        return day.replace(month=12, day=31)
    return day


def _month(name: str) -> int:
    return _MONTHS[name.casefold().rstrip(".")]


def _recent_month(month: int, published: date, strictly_before: bool = False) -> date:
    """The 1st of the most recent ``month`` on or before publication (before its month if ``strictly_before``)."""
    year = published.year
    if month > published.month or (strictly_before and month == published.month):
        year -= 1
    return date(year, month, 1)


def _recent_day(month: int, day: int, published: date) -> date | None:
    for year in (published.year, published.year - 1):
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        if d <= published:
            return d
    return None


def _resolve(kind: str, m: re.Match, published: date) -> tuple[date, str] | None:
    g = m.groupdict()
    try:
        if kind == "iso":
            return date(int(g["year"]), int(g["mon"]), int(g["day"])), "day"
        if kind in ("dmy", "mdy"):
            return date(int(g["year"]), _month(g["month"]), int(g["day"])), "day"
        if kind in ("dm_rel", "md_rel"):
            year = published.year - (1 if g["rel"].casefold() == "last year" else 0)
            return date(year, _month(g["month"]), int(g["day"])), "day"
        if kind in ("dm", "md"):
            d = _recent_day(_month(g["month"]), int(g["day"]), published)
            return (d, "day") if d else None
        if kind == "my":
            part = _PART.get((g.get("part") or "").casefold(), 1)
            return date(int(g["year"]), _month(g["month"]), part), "month"
        if kind == "m_rel":
            rel = g["rel"].casefold()
            month = _month(g["month"])
            if rel == "next":
                return None
            if rel == "this":
                return (date(published.year, month, 1), "month") if month <= published.month else None
            return _recent_month(month, published, strictly_before=True), "month"
        if kind == "m":
            d = _recent_month(_month(g["month"]), published)
            return d.replace(day=_PART.get((g.get("part") or "").casefold(), 1)), "month"
        if kind == "year_part":
            year = published.year - (1 if g["which"].casefold() == "last" else 0)
            part = g["part"].casefold()
            month = {"early": 1, "mid": 6, "mid-": 6, "late": 10}.get(part, 1)
            return date(year, month, 1), "year"
        if kind == "y":
            return date(int(g["year"]), 1, 1), "year"
        if kind == "weekday":
            back = (published.weekday() - _WEEKDAYS[g["wd"].casefold()]) % 7
            return published - timedelta(days=back), "day"
        if kind == "ago":
            n = _NUMBERS.get(g["n"].casefold(), None) if not g["n"].isdigit() else int(g["n"])
            if n is None:
                return None
            unit = g["unit"].casefold().rstrip("s")
            if unit == "day":
                return published - timedelta(days=n), "day"
            if unit == "week":
                return published - timedelta(days=7 * n), "week"
            if unit == "month":
                y, mo = divmod(published.year * 12 + published.month - 1 - n, 12)
                return date(y, mo + 1, 1), "month"
            return date(published.year - n, 1, 1), "year"
        if kind == "word":
            w = " ".join(g["word"].casefold().split())
            table = {
                "today": (published, "day"), "this morning": (published, "day"), "tonight": (published, "day"),
                "yesterday": (published - timedelta(days=1), "day"),
                "last night": (published - timedelta(days=1), "day"),
                "the day before yesterday": (published - timedelta(days=2), "day"),
                "last week": (published - timedelta(days=published.weekday() + 7), "week"),
                "this week": (published - timedelta(days=published.weekday()), "week"),
                "earlier this week": (published - timedelta(days=published.weekday()), "week"),
                "last month": (_recent_month((published.month - 2) % 12 + 1, published, True), "month"),
                "this month": (published.replace(day=1), "month"),
                "earlier this month": (published.replace(day=1), "month"),
                "last year": (date(published.year - 1, 1, 1), "year"),
                "this year": (date(published.year, 1, 1), "year"),
            }
            return table.get(w)
    except (ValueError, KeyError):
        return None
    return None


def find_dates(sentence: str, published: date) -> list[DateMention]:
    """Every date in ``sentence`` (left to right, never overlapping), resolved against ``published``."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            day, precision = resolved
            if day > published and precision == "day":
                continue  # a day after publication is a plan, not a report
            background = min(latest_day(day, precision), published) < published - timedelta(days=BACKGROUND_DAYS)
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), m.group(0).strip(), day, precision, background))
    return sorted(found, key=lambda d: d.start)
