"""A deadline that is today, already past, or on a day off is usually a slip of the keyboard
(issue 19, trap 2): the form refuses it once with a warning beside the field and a box to
tick, and accepts it when the clerk ticks "Vẫn giữ hạn này". Shared by every form that sets a
deadline by hand (an assignment of a notice, of a written petition)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.calendar import WorkingCalendar

CONFIRM_FIELD = "deadline_confirmed"
DEADLINE_PAST = _("Hạn %(day)s đã qua.")
DEADLINE_TODAY = _("Hạn %(day)s là hôm nay: không còn ngày nào để làm.")
DEADLINE_DAY_OFF = _("Hạn %(day)s rơi vào ngày nghỉ (%(why)s).")
ASK_CONFIRMATION = _("Kiểm tra lại hạn; nếu đúng, đánh dấu “Vẫn giữ hạn này” rồi lưu lại.")


def deadline_warning(day: date, today: date) -> str | None:
    """Why a hand-set deadline deserves a second look, or None."""
    shown = date_format(day, "d/m/Y")
    if day < today:
        return DEADLINE_PAST % {"day": shown}
    if day == today:
        return DEADLINE_TODAY % {"day": shown}
    calendar = WorkingCalendar.for_span(day, day)
    if not calendar.is_working_day(day):
        return DEADLINE_DAY_OFF % {"day": shown, "why": calendar.why_off(day)}
    return None


class DeadlineWarningMixin(forms.Form):
    """Mix into a form with a date field `deadline_field`; `deadline_applies()` may say the
    date is not used (another way of setting the deadline is chosen)."""

    deadline_field = "deadline"
    deadline_confirmed = forms.BooleanField(label=_("Vẫn giữ hạn này"), required=False)

    def deadline_applies(self) -> bool:
        return True

    @property
    def asks_deadline_confirmation(self) -> bool:
        return bool(getattr(self, "_deadline_warned", False) or self.data.get(CONFIRM_FIELD))

    def clean(self):
        cleaned = super().clean()
        # Not the service's business: views pass cleaned_data on as the service's arguments.
        confirmed = cleaned.pop(CONFIRM_FIELD, False)
        day = cleaned.get(self.deadline_field)
        if day and self.deadline_applies() and not confirmed:
            warning = deadline_warning(day, timezone.localdate())
            if warning:
                self._deadline_warned = True
                self.add_error(self.deadline_field, f"{warning} {ASK_CONFIRMATION}")
        return cleaned
