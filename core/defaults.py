"""The working calendar a new office starts with, for manage.py setup_office.

Public holidays (the lunar Tết, Hùng Kings' day...) come from the `holidays` package and need
no loading. The days the government swaps each year (a weekday off, a Saturday worked) are
announced year by year and cannot be checked here against a text: an admin enters them in
"Ngày nghỉ, làm bù" (CalendarOverride) from the year's notice, and this says how many there are.
"""

from django.utils import timezone

from core.calendar import _public_holidays


def load_defaults() -> str:
    from core.models import CalendarOverride

    year = timezone.localdate().year
    holidays = sorted(_public_holidays(year))
    overrides = CalendarOverride.objects.filter(day__year__in=(year, year + 1)).count()
    days = ", ".join(day.strftime("%d/%m") for day in holidays)
    return (
        f"Ngày lễ năm {year} (gói holidays): {days}. "
        f"Ngày nghỉ, làm bù đã nhập cho {year}–{year + 1}: {overrides} "
        "(nhập trong trang quản trị theo thông báo hằng năm)."
    )
