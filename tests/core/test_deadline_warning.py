"""core.deadline_warning: which hand-set deadlines get a second look (issue 19, trap 2).
The days are checked by hand against the calendar: 05/12/2026 is a Saturday, 02/09/2027 (a Thursday) is
National Day (Bộ luật Lao động 2019, Điều 112), 07/12/2026 is a Monday."""

from datetime import date

import pytest

from core.deadline_warning import deadline_warning

TODAY = date(2026, 12, 4)  # a Friday


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 3), "đã qua"),
        (TODAY, "hôm nay"),
        (date(2026, 12, 5), "ngày nghỉ (thứ Bảy)"),
        (date(2026, 12, 6), "ngày nghỉ (Chủ nhật)"),
        (date(2027, 9, 2), "ngày nghỉ (nghỉ lễ, tết"),
        (date(2026, 12, 7), None),
    ],
)
def test_deadline_warning(day, expected):
    warning = deadline_warning(day, TODAY)
    if expected is None:
        assert warning is None
    else:
        assert expected in str(warning)
