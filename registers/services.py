"""Giving numbers from a body's register. Every number a document of the app carries, and
every number the office used outside the app, is a `RegisterEntry` made here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User
from registers import ports
from registers.models import DocumentType, Numbering, RegisterCounter, RegisterEntry, RegisterSettings

NO_TERM = _("Chưa khai báo nhiệm kỳ của %(body)s bao trùm ngày %(day)s nên chưa đánh số văn bản Đảng được.")
NUMBER_TAKEN = _("Số %(label)s đã có trong sổ: %(summary)s.")
NUMBER_POSITIVE = _("Số văn bản phải từ 1 trở lên.")
SUMMARY_REQUIRED = _("Hãy ghi trích yếu của văn bản.")


@dataclass(frozen=True)
class Series:
    key: str  # the counter's key: "2026", "2026/PC", "term-7/TB"
    period: str  # shown: "2026", "Nhiệm kỳ 2025 – 2030"


def is_party(body: OrgUnit) -> bool:
    return body.kind == OrgUnit.Kind.PARTY_COMMITTEE


def area_body(area: OrgUnit, kind: str) -> OrgUnit | None:
    """The body of `kind` directly in `area` (its People's Committee, its Party committee)."""
    return OrgUnit.objects.filter(parent=area, kind=kind).order_by("pk").first()


def series_for(body: OrgUnit, doc_type: str, day: date) -> Series:
    """The series a document of `doc_type` issued by `body` on `day` is numbered in."""
    if is_party(body):
        term = ports.party_term()(body, day)
        if term is None:
            raise ValidationError(NO_TERM, params={"body": body.name, "day": f"{day:%d/%m/%Y}"})
        key, period = term.key, f"Nhiệm kỳ {term.name}"
    else:
        key = period = str(day.year)
    if RegisterSettings.for_body(body).numbering == Numbering.PER_TYPE:
        key = f"{key}/{doc_type}"
    return Series(key=key, period=period)


def number_label(body: OrgUnit, doc_type: str, number: int) -> str:
    """ "12/PC-UBND" (Decree 30, Phụ lục I: number, "/", the type's and the body's
    abbreviations joined by "-"; a công văn carries the body's only); "12-TB/ĐU" for a Party
    committee (Hướng dẫn 36-HD/VPTW)."""
    symbol = body.symbol or ("ĐU" if is_party(body) else "UBND")
    if is_party(body):
        return f"{number:02d}-{doc_type}/{symbol}"
    if doc_type == DocumentType.OFFICIAL_LETTER:
        return f"{number:02d}/{symbol}"
    return f"{number:02d}/{doc_type}-{symbol}"


def _locked_counter(body: OrgUnit, series: str) -> RegisterCounter:
    """The series' counter, created if missing (racing creators do not fail), then locked until
    the caller's transaction ends: concurrent issues queue up behind it."""
    RegisterCounter.objects.bulk_create([RegisterCounter(body=body, series=series)], ignore_conflicts=True)
    return RegisterCounter.objects.select_for_update().get(body=body, series=series)


def _next_free(counter: RegisterCounter, *, period: str = "", doc_type: str = "") -> int:
    """The smallest number after the counter that no entry holds: numbers recorded from outside
    the app ahead of the counter are stepped over, never given again. With `doc_type`, also a
    number whose label the period already has from another series (a body that switched
    between one sequence and one per kind within a year): a number and symbol are unique in
    the year (Decree 30, Phụ lục I)."""
    same_label = Q(period=period, doc_type=doc_type) if doc_type else Q(pk__in=[])
    taken = set(
        RegisterEntry.objects.filter(body=counter.body_id, number__gt=counter.last_number)
        .filter(Q(series=counter.series) | same_label)
        .values_list("number", flat=True)
    )
    number = counter.last_number + 1
    while number in taken:
        number += 1
    return number


def _advance(counter: RegisterCounter) -> None:
    """Move the counter over the numbers now held without a gap before them."""
    number = _next_free(counter) - 1
    if number != counter.last_number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


@transaction.atomic
def register_take(
    *, body: OrgUnit, doc_type: str, on: date, summary: str, document: models.Model, by: User | None
) -> RegisterEntry:
    """The next number of `body`'s register for a document the app issues, inside the
    caller's issuing transaction (so a failed issue gives the number back)."""
    series = series_for(body, doc_type, on)
    counter = _locked_counter(body, series.key)
    number = _next_free(counter, period=series.period, doc_type=doc_type)
    entry = RegisterEntry(
        body=body,
        series=series.key,
        period=series.period,
        number=number,
        doc_type=doc_type,
        label=number_label(body, doc_type, number),
        issued_on=on,
        summary=summary.strip()[:500],
        origin=RegisterEntry.Origin.APP,
        recorded_by=by,
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
    )
    entry._history_user = by
    entry.save()
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    _advance(counter)
    return entry


@transaction.atomic
def register_record_outside(
    *, body: OrgUnit, by: User, doc_type: str, on: date, summary: str, number: int | None = None
) -> RegisterEntry:
    """A number the office gave outside the app (a paper document, its e-office system), so
    the app never gives it again. Without `number` the register's next number is taken (the
    clerk asks the app for a number for a paper document)."""
    errors = {}
    if not summary.strip():
        errors["summary"] = SUMMARY_REQUIRED
    if number is not None and number < 1:
        errors["number"] = NUMBER_POSITIVE
    if errors:
        raise ValidationError(errors)
    series = series_for(body, doc_type, on)
    counter = _locked_counter(body, series.key)
    if number is None:
        number = _next_free(counter, period=series.period, doc_type=doc_type)
    label = number_label(body, doc_type, number)
    held = (
        RegisterEntry.objects.filter(body=body)
        .filter(Q(series=series.key, number=number) | Q(period=series.period, label=label))
        .first()
    )
    if held is not None:
        taken = ValidationError(NUMBER_TAKEN, params={"label": held.label, "summary": held.summary})
        raise ValidationError({"number": taken})
    entry = RegisterEntry(
        body=body,
        series=series.key,
        period=series.period,
        number=number,
        doc_type=doc_type,
        label=label,
        issued_on=on,
        summary=summary.strip()[:500],
        origin=RegisterEntry.Origin.OUTSIDE,
        recorded_by=by,
    )
    entry._history_user = by
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:  # only if the counter's lock was bypassed: say it plainly
        raise ValidationError({"number": NUMBER_TAKEN % {"label": label, "summary": ""}}) from error
    _advance(counter)
    return entry
