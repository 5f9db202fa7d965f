"""Reporting periods: a calendar year, a fiscal year, a quarter, a month, and how a person names them.

Plain Python (no Django). A period is half-open, [start, end), in whole days; the queries turn the
days into aware datetimes in the program's time zone.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

MONTH = "month"
QUARTER = "quarter"
CALENDAR_YEAR = "calendar_year"
FISCAL_YEAR = "fiscal_year"
RULES = (MONTH, QUARTER, CALENDAR_YEAR, FISCAL_YEAR)

# The earliest and latest year a report may ask about: anything else is a typo.
FIRST_YEAR, LAST_YEAR = 1980, 2200


class PeriodError(ValueError):
    """A period that cannot be understood; the message says what was expected."""


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # exclusive
    label: str

    def months(self) -> list[datetime.date]:
        """The first day of every month the period covers."""
        months, current = [], self.start.replace(day=1)
        while current < self.end:
            months.append(current)
            current = _add_months(current, 1)
        return months

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _add_months(day: datetime.date, count: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"The year {year} is out of range ({FIRST_YEAR} to {LAST_YEAR}).")
    return year


def month(year: int, month_number: int) -> Period:
    start = datetime.date(year, month_number, 1)
    return Period(start, _add_months(start, 1), start.strftime("%B %Y"))


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * (number - 1) + 1, 1)
    return Period(start, _add_months(start, 3), f"Q{number} {year}")


def calendar_year(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), str(year))


def fiscal_year(year: int, *, starts_in: int = 7) -> Period:
    """The fiscal year that *ends* in `year` (FY2026 with a July start: July 2025 to June 2026),
    the convention of U.S. federal and most state fiscal years. A January start is the calendar year."""
    if starts_in == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), f"FY{year}")
    start = datetime.date(year - 1, starts_in, 1)
    return Period(start, _add_months(start, 12), f"FY{year} ({start:%b %Y} to "
                                                  f"{_add_months(start, 11):%b %Y})")


EXAMPLES = {MONTH: "2026-10", QUARTER: "2026-Q3", CALENDAR_YEAR: "2026", FISCAL_YEAR: "FY2026"}


def parse_period(text: str, rule: str, *, fiscal_year_starts: int = 7) -> Period:
    """The period a person typed, for a template's period rule; PeriodError says what to type."""
    if rule not in RULES:
        raise PeriodError(f"Unknown period rule “{rule}”: use one of {', '.join(RULES)}.")
    text = (text or "").strip().upper()
    example = EXAMPLES[rule]
    try:
        if rule == MONTH and (found := re.fullmatch(r"(\d{4})-(\d{1,2})", text)):
            number = int(found[2])
            if not 1 <= number <= 12:
                raise PeriodError(f"There is no month {number}: months go from 01 to 12.")
            return month(_year(found[1]), number)
        if rule == QUARTER and (found := re.fullmatch(r"(\d{4})-?Q(\d)", text)):
            number = int(found[2])
            if not 1 <= number <= 4:
                raise PeriodError(f"There is no quarter {number}: quarters go from Q1 to Q4.")
            return quarter(_year(found[1]), number)
        if rule == CALENDAR_YEAR and re.fullmatch(r"\d{4}", text):
            return calendar_year(_year(text))
        if rule == FISCAL_YEAR and (found := re.fullmatch(r"(?:FY)?\s*(\d{4})", text)):
            return fiscal_year(_year(found[1]), starts_in=fiscal_year_starts)
    except PeriodError:
        raise
    except ValueError as error:  # a date that does not exist
        raise PeriodError(f"“{text}” is not a real date ({error}).") from None
    label = {MONTH: "a month", QUARTER: "a quarter", CALENDAR_YEAR: "a year",
             FISCAL_YEAR: "a fiscal year"}[rule]
    raise PeriodError(f"“{text or '(empty)'}” is not {label}. Write it like {example}.")


def current_period(rule: str, today: datetime.date, *, fiscal_year_starts: int = 7) -> Period:
    """The period of this rule that contains `today`."""
    if rule == MONTH:
        return month(today.year, today.month)
    if rule == QUARTER:
        return quarter(today.year, (today.month - 1) // 3 + 1)
    if rule == CALENDAR_YEAR:
        return calendar_year(today.year)
    if rule == FISCAL_YEAR:
        ends_in = today.year + (1 if fiscal_year_starts > 1 and today.month >= fiscal_year_starts else 0)
        return fiscal_year(ends_in, starts_in=fiscal_year_starts)
    raise PeriodError(f"Unknown period rule “{rule}”.")


def name_of(period: Period, rule: str) -> str:
    """How `parse_period` would be given this period again (for links)."""
    if rule == MONTH:
        return f"{period.start:%Y-%m}"
    if rule == QUARTER:
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    if rule == CALENDAR_YEAR:
        return str(period.start.year)
    return f"FY{period.start.year}" if period.start.month == 1 else f"FY{period.end.year}"


def last_months(today: datetime.date, count: int) -> Period:
    """The `count` whole months up to and including the current one (the dashboard's window)."""
    end = _add_months(today.replace(day=1), 1)
    start = _add_months(end, -count)
    return Period(start, end, f"{start:%b %Y} to {_add_months(end, -1):%b %Y}")
