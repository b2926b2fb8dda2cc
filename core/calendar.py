"""The working-day calendar of Vietnamese State offices.

A day is a working day unless it is a Saturday, a Sunday or a public holiday (the `holidays`
package, country VN, which knows the lunar Tết and Hùng Kings days). The government swaps days
each year: the day given off is in the package's holidays, and the Saturday worked in exchange
is in its `weekend_workdays` (26/04/2025, 22/08/2026), which count as working days here. The
admin-editable `CalendarOverride` table has the last word, for the swaps the package lacks.

Conventions used by every deadline in the product:
- `add_working_days(start, n)` is the n-th working day *after* `start` (the day of the event
  itself is not counted, as in "within 10 working days of receipt"). n = 0 gives `start`;
  a negative n counts backwards ("3 working days before the deadline").
- `count_calendar_days(start, n)` is a time limit "n days from the event" as the Civil Code
  2015 counts it: the day of the event is not counted (Điều 147 khoản 3), and a last day that
  falls on a weekend or a holiday moves to the end of the next working day (Điều 148 khoản 5).
  `count_working_days(start, n)` is `add_working_days` with the same account of how it was
  counted (the days off skipped and why), which the deadline calculator shows.
- `working_days_between(a, b)` counts the working days in (a, b]: the days after `a` up to and
  including `b`; negative when b < a. So `add_working_days(a, working_days_between(a, b)) <= b`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

SATURDAY, SUNDAY = 5, 6


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


@lru_cache(maxsize=64)
def _makeup_working_days(year: int) -> frozenset[date]:
    """The Saturdays worked in exchange for a day off (the government's yearly swap)."""
    known = holidays.country_holidays("VN", years=year).weekend_workdays
    return frozenset(day for day in known if day.year == year)


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
        if day in _makeup_working_days(day.year):
            return True
        return day.weekday() < SATURDAY and day not in _public_holidays(day.year)

    def why_off(self, day: date) -> str:
        """Why a day that is not a working day is off, as the calculator writes it."""
        if day in self.extra_days_off:
            return _("ngày nghỉ thêm (bảng ngày nghỉ/làm bù)")
        name = public_holiday_name(day)
        if name:
            return _("nghỉ lễ, tết: %(name)s") % {"name": name}
        return _("thứ Bảy") if day.weekday() == SATURDAY else _("Chủ nhật")

    def why_worked(self, day: date) -> str | None:
        """Why a weekend day counts as a working day (a make-up Saturday), else None."""
        if day.weekday() < SATURDAY or not self.is_working_day(day):
            return None
        if day in self.extra_working_days:
            return _("ngày làm việc bù (bảng ngày nghỉ/làm bù)")
        return _("thứ Bảy làm việc bù theo lịch hoán đổi ngày nghỉ của Chính phủ")


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


@dataclass(frozen=True)
class CountedDeadline:
    """A time limit counted from an event, with how it was counted."""

    start: date
    days: int
    counts_working_days: bool
    on: date  # the deadline
    last_counted_day: date  # calendar days: start + days, before any move off a day off
    days_off: tuple[tuple[date, str], ...]  # the days off skipped, and why
    days_worked: tuple[tuple[date, str], ...]  # weekend days counted as working days, and why

    @property
    def moved(self) -> bool:
        return self.on != self.last_counted_day

    def explanation(self) -> list[str]:
        """The count written out for a clerk, one line a step."""
        lines = [_("Ngày xảy ra sự kiện: %(day)s (không tính ngày này).") % {"day": f"{self.start:%d/%m/%Y}"}]
        if self.counts_working_days:
            lines.append(
                _("Đếm %(n)s ngày làm việc từ %(first)s: ngày làm việc thứ %(n)s là %(on)s.")
                % {
                    "n": self.days,
                    "first": f"{self.start + timedelta(days=1):%d/%m/%Y}",
                    "on": f"{self.on:%d/%m/%Y}",
                }
            )
        else:
            lines.append(
                _("Đếm %(n)s ngày theo lịch từ %(first)s: ngày cuối cùng là %(last)s.")
                % {
                    "n": self.days,
                    "first": f"{self.start + timedelta(days=1):%d/%m/%Y}",
                    "last": f"{self.last_counted_day:%d/%m/%Y}",
                }
            )
        lines += [
            _("Làm việc %(day)s: %(why)s.") % {"day": f"{d:%d/%m/%Y}", "why": why}
            for d, why in self.days_worked
        ]
        lines += [
            _("Nghỉ %(day)s: %(why)s.") % {"day": f"{d:%d/%m/%Y}", "why": why} for d, why in self.days_off
        ]
        if self.moved:
            lines.append(
                _(
                    "Ngày cuối cùng %(last)s là ngày nghỉ: thời hạn kết thúc vào ngày làm việc tiếp theo, %(on)s."
                )
                % {"last": f"{self.last_counted_day:%d/%m/%Y}", "on": f"{self.on:%d/%m/%Y}"}
            )
        return lines


def _counted(
    start: date, days: int, working: bool, on: date, last: date, calendar: WorkingCalendar
) -> CountedDeadline:
    # Working days skip every day off on the way; calendar days count them all and skip
    # only the days off after the last day (the move of Điều 148 khoản 5).
    skipped_from = start if working else last
    span = [start + timedelta(days=i) for i in range(1, (on - start).days + 1)]
    return CountedDeadline(
        start=start,
        days=days,
        counts_working_days=working,
        on=on,
        last_counted_day=last,
        days_off=tuple(
            (day, calendar.why_off(day))
            for day in span
            if day >= skipped_from and not calendar.is_working_day(day)
        ),
        days_worked=tuple((day, why) for day in span if (why := calendar.why_worked(day))),
    )


def count_working_days(start: date, n: int) -> CountedDeadline:
    """The n-th working day after `start` (n >= 0), with the days skipped and why."""
    on = add_working_days(start, n)
    return _counted(start, n, True, on, on, WorkingCalendar.for_span(start, on))


def count_calendar_days(start: date, n: int) -> CountedDeadline:
    """n days after `start` (BLDS 2015 Điều 147 khoản 3: the event's day is not counted); a last day
    off moves to the next working day (Điều 148 khoản 5)."""
    last = start + timedelta(days=n)
    on = next_working_day_on_or_after(last)
    return _counted(start, n, False, on, last, WorkingCalendar.for_span(start, on))


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
