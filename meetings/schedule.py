"""The team's meeting rule turned into dates: pure functions, no database."""

import calendar
import datetime
from functools import cache

import holidays

# `holidays` lists every Sunday in Sweden as "Söndag"; those are not public holidays.
_SUNDAY_NAMES = {"Söndag", "Sunday"}


# Django's language code → the `holidays` package's (it names Swedish holidays in these).
_HOLIDAY_LANGUAGES = {"sv": "sv", "en": "en_US"}


@cache
def _swedish_holidays(year: int, language: str = "sv") -> dict[datetime.date, str]:
    # Public holidays and the de facto days off (Midsummer Eve, Christmas Eve, New Year's Eve).
    found = holidays.Sweden(
        years=year,
        categories=("public", "de_facto"),
        language=_HOLIDAY_LANGUAGES.get((language or "sv")[:2], "sv"),
    )
    days = {}
    for day, names in found.items():
        real = [n for n in names.split("; ") if n.strip() not in _SUNDAY_NAMES]
        if real:
            days[day] = ", ".join(real)
    return days


def holiday_name(day: datetime.date, language: str = "sv") -> str | None:
    """The Swedish public holiday on `day`, or None; named in `language` (sv or en: pass
    the reader's language when the name is shown)."""
    return _swedish_holidays(day.year, language).get(day)


def rule_day(year: int, month: int, week_of_month: int, weekday: int) -> datetime.date:
    """E.g. the 2nd Tuesday (week 2, weekday 1) of a month; week 5 means the last one."""
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[-1] if week_of_month == 5 else days[week_of_month - 1]


def _months(first: datetime.date, last: datetime.date):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def rule_dates(
    *, week_of_month: int, weekday: int, first: datetime.date, last: datetime.date
) -> tuple[list[datetime.date], list[tuple[datetime.date, str]]]:
    """The rule's dates from `first` to `last` (the term's teaching days, so the summer and
    Christmas breaks are left out): (dates to meet, [(skipped date, holiday name)])."""
    meet, skipped = [], []
    for year, month in _months(first, last):
        day = rule_day(year, month, week_of_month, weekday)
        if not first <= day <= last:
            continue
        name = holiday_name(day)
        if name:
            skipped.append((day, name))
        else:
            meet.append(day)
    return meet, skipped


def months_outside(
    *, week_of_month: int, weekday: int, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, str]]:
    """The months from `first` to `last` whose rule day falls outside that range, so they
    get no meeting: [(the rule's day, "before" or "after")]. E.g. with "1st Monday" and a
    spring term starting on 8 January, January's 5th is "before"."""
    outside = []
    for year, month in _months(first, last):
        day = rule_day(year, month, week_of_month, weekday)
        if day < first:
            outside.append((day, "before"))
        elif day > last:
            outside.append((day, "after"))
    return outside
