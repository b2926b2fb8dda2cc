from datetime import date

import pytest

from core.calendar import add_working_days, is_working_day, next_working_day_on_or_after, working_days_between
from core.models import CalendarOverride

pytestmark = pytest.mark.django_db


def test_weekends_are_not_working_days():
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert not is_working_day(date(2026, 11, 21))
    assert not is_working_day(date(2026, 11, 22))


def test_tet_2026_is_skipped():
    # Tết Bính Ngọ: 14/02 (Sat) to 22/02/2026 (Sun) off; the 16th–20th are public holidays.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert not any(is_working_day(date(2026, 2, day)) for day in range(14, 23))


def test_ten_working_days_across_tet_2026():
    # A complaint received on Monday 09/02/2026: 10 working days to accept it.
    # 10–13/02 are four, Tết follows, then 23–27/02 are five more, and the tenth is 02/03.
    assert add_working_days(date(2026, 2, 9), 10) == date(2026, 3, 2)


def test_2025_swap_entered_as_override():
    # For Tết 2025 the government gave Monday 27/01 off in exchange for Saturday 08/02,
    # which the holidays package does not know.
    friday = date(2025, 2, 7)
    assert add_working_days(friday, 1) == date(2025, 2, 10)
    CalendarOverride.objects.create(
        day=date(2025, 2, 8), kind=CalendarOverride.Kind.WORKING_DAY, note="Thông báo 6150/TB-BLĐTBXH"
    )
    assert is_working_day(date(2025, 2, 8))
    assert add_working_days(friday, 1) == date(2025, 2, 8)
    assert working_days_between(date(2025, 2, 7), date(2025, 2, 10)) == 2


def test_extra_day_off_override():
    wednesday = date(2026, 12, 2)
    assert is_working_day(wednesday)
    CalendarOverride.objects.create(day=wednesday, kind=CalendarOverride.Kind.DAY_OFF)
    assert not is_working_day(wednesday)
    assert add_working_days(date(2026, 12, 1), 1) == date(2026, 12, 3)


def test_counting_backwards_and_zero():
    monday = date(2026, 11, 23)
    assert add_working_days(monday, 0) == monday
    assert add_working_days(monday, -1) == date(2026, 11, 20)
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)  # back across Tết
    assert working_days_between(date(2026, 11, 23), date(2026, 11, 20)) == -1
    assert working_days_between(monday, monday) == 0


def test_long_spans_keep_counting_past_the_loaded_window():
    start = date(2026, 1, 2)
    later = add_working_days(start, 300)
    assert working_days_between(start, later) == 300


def test_deadline_on_a_day_off_moves_to_next_working_day():
    assert next_working_day_on_or_after(date(2026, 2, 15)) == date(2026, 2, 23)
    assert next_working_day_on_or_after(date(2026, 2, 23)) == date(2026, 2, 23)


# --- make-up working Saturdays (the holidays package's weekend_workdays for VN) ------------


def test_makeup_saturday_of_2025_is_a_working_day():
    # 30/04–01/05/2025: Friday 02/05 given off in exchange for Saturday 26/04, worked.
    assert is_working_day(date(2025, 4, 26))
    assert not is_working_day(date(2025, 5, 2))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    # From Tuesday 29/04: 30/04, 01/05, 02/05 off, then the weekend: Monday 05/05.
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_makeup_saturday_of_2026_is_a_working_day():
    # 2/9/2026: Monday 31/08 given off in exchange for Saturday 22/08, worked.
    assert is_working_day(date(2026, 8, 22))
    assert add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert working_days_between(date(2026, 8, 21), date(2026, 8, 24)) == 2  # Saturday and Monday


def test_admin_override_beats_the_package_swap():
    CalendarOverride.objects.create(day=date(2025, 4, 26), kind=CalendarOverride.Kind.DAY_OFF)
    assert not is_working_day(date(2025, 4, 26))
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 28)


def test_calendar_days_count_as_the_civil_code_says():
    from core.calendar import count_calendar_days

    # 10 days from Friday 06/02/2026: the 16th is in Tết, 21–22 a weekend: Monday 23/02.
    counted = count_calendar_days(date(2026, 2, 6), 10)
    assert (counted.last_counted_day, counted.on) == (date(2026, 2, 16), date(2026, 2, 23))
    assert [day for day, _why in counted.days_off] == [date(2026, 2, day) for day in range(16, 23)]
    text = "\n".join(counted.explanation())
    assert "không tính ngày này" in text and "Tết Nguyên Đán" in text and "23/02/2026" in text
    # A last day that is a working day stays where it is, whatever lies before it.
    assert count_calendar_days(date(2026, 2, 13), 10).on == date(2026, 2, 23)
    assert count_calendar_days(date(2026, 11, 23), 0).on == date(2026, 11, 23)
