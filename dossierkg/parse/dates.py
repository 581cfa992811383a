"""Dutch dates: '7 november 2022', '12 december jl.', '30 september jl.' (month names from babel)."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import get_month_names

_WIDE = {name.lower(): num for num, name in get_month_names("wide", locale="nl").items()}
_ABBR = {name.lower().rstrip("."): num for num, name in get_month_names("abbreviated", locale="nl").items()}
MONTHS = {**_ABBR, **_WIDE}
_MONTH_ALT = "|".join(sorted(_WIDE, key=len, reverse=True))

SPACE = r"[\s\u00a0]+"
# The year may carry a glued footnote marker of one or two digits ('13 december 20221' = 2022 + marker 1): the
# year is its first four digits and the match ends there, so the marker stays outside the date's span.
DATE_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d){SPACE}(?P<month>{_MONTH_ALT})\b(?:{SPACE}(?P<year>(?:19|20)\d\d)(?!\d{{3}})"
    rf"|{SPACE}(?P<jl>jl\.|jongstleden|j\.l\.)|(?P<none>))",
    re.IGNORECASE,
)


def to_iso(day: int, month: int, year: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def resolve_relative(day: int, month: int, reference: str | None) -> str | None:
    """'12 december jl.' is the most recent such day on or before the reference date."""
    if not reference:
        return None
    ref = date.fromisoformat(reference)
    year = ref.year if (month, day) <= (ref.month, ref.day) else ref.year - 1
    return to_iso(day, month, year)


def find_dates(text: str, reference: str | None = None):
    """Yield (match, iso or None, relative: bool) for every Dutch date in text."""
    for m in DATE_RE.finditer(text):
        day, month = int(m.group("day")), MONTHS[m.group("month").lower()]
        if m.group("year"):
            yield m, to_iso(day, month, int(m.group("year"))), False
        elif m.group("jl"):
            yield m, resolve_relative(day, month, reference), True
        else:
            yield m, resolve_relative(day, month, reference) if reference else None, True


def parse_date(text: str, reference: str | None = None) -> str | None:
    """The first full or 'jl.' date in text, as ISO."""
    for m, iso, relative in find_dates(text, reference):
        if iso and (not relative or m.group("jl")):
            return iso
    return None
