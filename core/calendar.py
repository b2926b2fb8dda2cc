"""The working-day calendar of Vietnamese State offices.

A day is a working day unless it is a Saturday, a Sunday or a public holiday (the `holidays`
package, country VN, which knows the lunar Tết and Hùng Kings days), with the admin-editable
`CalendarOverride` table having the last word: the government swaps days off and working days
each year, and the package does not know every swap.

Conventions used by every deadline in the product:
- `add_working_days(start, n)` is the n-th working day *after* `start` (the day of the event
  itself is not counted, as in "within 10 working days of receipt"). n = 0 gives `start`;
  a negative n counts backwards ("3 working days before the deadline").
- `working_days_between(a, b)` counts the working days in (a, b]: the days after `a` up to and
  including `b`; negative when b < a. So `add_working_days(a, working_days_between(a, b)) <= b`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

SATURDAY = 5


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def public_holiday_name(day: date, language: str = "vi") -> str | None:
    return holidays.country_holidays("VN", years=day.year, language=language).get(day)


@dataclass
class WorkingCalendar:
    """The calendar over a span of dates, with the overrides of that span loaded once."""

    extra_days_off: set[date] = field(default_factory=set)
    extra_working_days: set[date] = field(default_factory=set)

    @classmethod
    def for_span(cls, first: date, last: date) -> WorkingCalendar:
        from core.models import CalendarOverride  # models import this module's callers

        calendar = cls()
        for day, kind in CalendarOverride.objects.filter(day__range=(first, last)).values_list("day", "kind"):
            if kind == CalendarOverride.Kind.DAY_OFF:
                calendar.extra_days_off.add(day)
            else:
                calendar.extra_working_days.add(day)
        return calendar

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return day.weekday() < SATURDAY and day not in _public_holidays(day.year)


def _span_for(start: date, n: int) -> tuple[date, date]:
    # Generous enough for Tết (9 days off) on top of weekends; extended if ever too short.
    reach = timedelta(days=abs(n) * 2 + 30)
    return (start, start + reach) if n >= 0 else (start - reach, start)


def add_working_days(start: date, n: int) -> date:
    first, last = _span_for(start, n)
    calendar = WorkingCalendar.for_span(first, last)
    step = timedelta(days=1 if n >= 0 else -1)
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if not first <= day <= last:
            first, last = _span_for(day, n)
            calendar = WorkingCalendar.for_span(first, last)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    if b < a:
        return -working_days_between(b, a)
    calendar = WorkingCalendar.for_span(a, b)
    return sum(calendar.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def is_working_day(day: date) -> bool:
    return WorkingCalendar.for_span(day, day).is_working_day(day)


def next_working_day_on_or_after(day: date) -> date:
    """Where a deadline falls on a day off, offices move it to the next working day."""
    return day if is_working_day(day) else add_working_days(day, 1)
