"""Bounds of what people type, shared by the models, the forms and the API: free text no
longer than a real document of its kind, dates within the years the records can be from.

Without them a 10 MB "content" or a conference on 01/01/0001 was stored as given (and the
API rendered that date with the local mean time of 1 A.D., "+07:06:30")."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# An A4 page of an administrative document at 13-14 pt holds about 3,000 characters.
REMARK_CHARS = 5_000  # a reason, a note, a leader's remark: under two pages
DOCUMENT_CHARS = 50_000  # a petition, a task, an answer, an agenda: about 15 pages
MINUTES_CHARS = 300_000  # a conference's minutes, a final decision: about 100 pages
SEARCH_CHARS = 200  # what one types in a search box; longer is cut

# The records are from the Republic's time; nothing is planned past this century.
FIRST_DATE, LAST_DATE = date(1945, 9, 2), date(2100, 12, 31)
DATE_OUT_OF_RANGE = _("Ngày phải trong khoảng %(first)s – %(last)s.")


class BoundedTextField(models.TextField):
    """A TextField whose max_length is checked by full_clean and the API too (Django's
    TextField passes it to form fields only)."""

    @cached_property
    def validators(self):
        return [*super().validators, MaxLengthValidator(self.max_length)]


@deconstructible
class SensibleDateValidator:
    """A date (or the local date of a datetime) between FIRST_DATE and LAST_DATE."""

    def __call__(self, value) -> None:
        if isinstance(value, datetime):
            value = value.date()
        if value is not None and not FIRST_DATE <= value <= LAST_DATE:
            raise ValidationError(
                DATE_OUT_OF_RANGE,
                code="date_out_of_range",
                params={"first": f"{FIRST_DATE:%d/%m/%Y}", "last": f"{LAST_DATE:%d/%m/%Y}"},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, SensibleDateValidator)


validate_sensible_date = SensibleDateValidator()
