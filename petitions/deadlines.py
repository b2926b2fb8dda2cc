"""Statutory deadlines of complaints and denunciations, kept as data (`StatutoryRule`), and
the one place every such deadline is computed: what is stored on a petition or an assignment
and what the deadline calculator ("Tính thời hạn", `GET /api/v1/deadlines/compute/`) shows
are the same functions.

The law (texts checked, see docs/PETITIONS.md):
- Luật Khiếu nại 2011: accept a first complaint within 10 days of receipt (Điều 27), a second
  one within 10 days (Điều 36); resolve a first complaint within 30 days of acceptance, 45 if
  complex, 45 and 60 in remote areas (Điều 28); a second one within 45, 60, 60 and 70 (Điều 37).
- Luật Tố cáo 2018: accept within 7 working days of receipt, 10 working days when it must be
  checked in several places (Điều 24 khoản 1); resolve within 30 days of acceptance, extended
  once by at most 30 days when complex and twice when especially complex (Điều 30 khoản 1), so
  60 or 90 days from acceptance at most: the extensions are added to the 30 days from acceptance
  and only then is a last day off moved (never chained from an already moved deadline).
- "Days" are calendar days counted as the Civil Code 2015 counts them (Điều 147 khoản 3: the
  day of the event is not counted; Điều 148 khoản 5: a last day that is a day off moves to the
  next working day): `core.calendar.count_calendar_days`.

A rule has versions in time (`valid_from`/`valid_to`): the version in force on the date of the
event applies (receipt for acceptance, acceptance for resolution and its extensions). The
deadline is stored with the rule written out beside it, so neither a rule change nor a new
version ever moves a stored deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.calendar import CountedDeadline, count_calendar_days, count_working_days
from petitions.models import Petition, StatutoryRule

ACCEPTANCE, RESOLUTION, EXTENSION = (StatutoryRule.Step.ACCEPTANCE, StatutoryRule.Step.RESOLUTION,
                                     StatutoryRule.Step.EXTENSION)  # fmt: skip
COMPLAINT_LAW = "Luật Khiếu nại 2011"
DENUNCIATION_LAW = "Luật Tố cáo 2018"

# code: (step, name, days, counts working days, legal basis)
RULE_DEFAULTS: dict[str, tuple[str, str, int, bool, str]] = {
    "complaint-acceptance": (ACCEPTANCE, "Thụ lý khiếu nại lần đầu, kể từ ngày nhận đơn", 10, False, f"{COMPLAINT_LAW}, Điều 27"),
    "complaint-2-acceptance": (ACCEPTANCE, "Thụ lý khiếu nại lần hai, kể từ ngày nhận đơn", 10, False, f"{COMPLAINT_LAW}, Điều 36"),
    "denunciation-acceptance": (ACCEPTANCE, "Thụ lý tố cáo, kể từ ngày nhận đơn", 7, True, f"{DENUNCIATION_LAW}, Điều 24 khoản 1"),
    "denunciation-acceptance-several-places": (ACCEPTANCE, "Thụ lý tố cáo phải kiểm tra, xác minh tại nhiều địa điểm", 10, True, f"{DENUNCIATION_LAW}, Điều 24 khoản 1"),
    "complaint-1": (RESOLUTION, "Giải quyết khiếu nại lần đầu, kể từ ngày thụ lý", 30, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-complex": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vụ việc phức tạp", 45, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-remote": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa", 45, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-remote-complex": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa, vụ việc phức tạp", 60, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-2": (RESOLUTION, "Giải quyết khiếu nại lần hai, kể từ ngày thụ lý", 45, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-complex": (RESOLUTION, "Giải quyết khiếu nại lần hai, vụ việc phức tạp", 60, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-remote": (RESOLUTION, "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa", 60, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-remote-complex": (RESOLUTION, "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa, vụ việc phức tạp", 70, False, f"{COMPLAINT_LAW}, Điều 37"),
    "denunciation": (RESOLUTION, "Giải quyết tố cáo, kể từ ngày thụ lý", 30, False, f"{DENUNCIATION_LAW}, Điều 30 khoản 1"),
    "denunciation-extension": (EXTENSION, "Gia hạn giải quyết tố cáo (mỗi lần)", 30, False, f"{DENUNCIATION_LAW}, Điều 30 khoản 1"),
}  # fmt: skip

# How many extensions a denunciation may have, by its complexity (Luật Tố cáo 2018 Điều 30).
MAX_EXTENSIONS = {
    Petition.Complexity.NORMAL: 0,
    Petition.Complexity.COMPLEX: 1,
    Petition.Complexity.ESPECIALLY_COMPLEX: 2,
}
MOST_EXTENSIONS = max(MAX_EXTENSIONS.values())

NO_RULE_IN_FORCE = gettext_lazy(
    "Không có quy định thời hạn “%(code)s” áp dụng vào ngày %(day)s: quản trị viên cần nhập quy định mới."
)


def rules_ensure(rule_model=StatutoryRule) -> None:
    """Create the default rules whose code is missing; never overwrite one an admin changed."""
    for code, (step, name, days, working, basis) in RULE_DEFAULTS.items():
        if not rule_model.objects.filter(code=code).exists():
            rule_model.objects.create(
                code=code, step=step, name=name, days=days, counts_working_days=working, basis=basis
            )


def rule_for(code: str, on: date) -> StatutoryRule:
    """The version of the rule in force on `on`, as the admin keeps it; the defaults are
    created if the code is missing (an emptied test database, a fresh install)."""
    if not StatutoryRule.objects.filter(code=code).exists():
        rules_ensure()
    rule = (
        StatutoryRule.objects.filter(code=code)
        .in_force_on(on)
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if rule is None:
        raise ValidationError(NO_RULE_IN_FORCE, params={"code": code, "day": f"{on:%d/%m/%Y}"})
    return rule


@dataclass(frozen=True)
class StatutoryDeadline:
    on: date
    basis: str  # the rule written out, stored beside the date
    counted: CountedDeadline | None = None
    articles: tuple[str, ...] = field(default=())

    def explanation(self) -> list[str]:
        lines = self.counted.explanation() if self.counted else []
        lines += [_("Căn cứ: %(article)s.") % {"article": article} for article in self.articles if article]
        return lines


def _count(days: int, working: bool, start: date) -> CountedDeadline:
    return count_working_days(start, days) if working else count_calendar_days(start, days)


def deadline_from(rule: StatutoryRule, start: date) -> StatutoryDeadline:
    counted = _count(rule.days, rule.counts_working_days, start)
    return StatutoryDeadline(on=counted.on, basis=rule.text[:255], counted=counted, articles=(rule.basis,))


def acceptance_rule_code(kind: str, *, complaint_round: int = 1, several_places: bool = False) -> str | None:
    if kind == Petition.Kind.COMPLAINT:
        return "complaint-2-acceptance" if complaint_round == 2 else "complaint-acceptance"
    if kind == Petition.Kind.DENUNCIATION:
        return "denunciation-acceptance-several-places" if several_places else "denunciation-acceptance"
    return None


def resolution_rule_code(*, kind: str, complexity: str, complaint_round: int, remote: bool) -> str | None:
    if kind == Petition.Kind.DENUNCIATION:
        return "denunciation"
    if kind != Petition.Kind.COMPLAINT:
        return None  # kiến nghị, phản ánh: no statutory deadline, the clerk sets one
    code = f"complaint-{2 if complaint_round == 2 else 1}"
    if remote:
        code += "-remote"
    if complexity != Petition.Complexity.NORMAL:
        code += "-complex"
    return code


def acceptance_deadline(
    kind: str, received_on: date, *, complaint_round: int = 1, several_places: bool = False
) -> StatutoryDeadline | None:
    code = acceptance_rule_code(kind, complaint_round=complaint_round, several_places=several_places)
    return deadline_from(rule_for(code, received_on), received_on) if code else None


def denunciation_resolution_deadline(accepted_on: date, extensions: int = 0) -> StatutoryDeadline:
    """30 days from acceptance plus 30 for each extension, all counted from acceptance (the
    cap of Điều 30: 60 or 90 days in all), then a last day off moves to the next working day."""
    base = rule_for("denunciation", accepted_on)
    if not extensions:
        return deadline_from(base, accepted_on)
    extension = rule_for("denunciation-extension", accepted_on)
    total = base.days + extensions * extension.days
    counted = _count(total, base.counts_working_days, accepted_on)
    basis = _("%(base)s; gia hạn %(n)s lần, mỗi lần %(days)s ngày: tổng %(total)s ngày kể từ ngày thụ lý") % {
        "base": base.text,
        "n": extensions,
        "days": extension.days,
        "total": total,
    }
    articles = tuple(dict.fromkeys([base.basis, extension.basis]))
    return StatutoryDeadline(on=counted.on, basis=basis[:255], counted=counted, articles=articles)


def resolution_deadline(petition: Petition, accepted_on: date) -> StatutoryDeadline | None:
    code = resolution_rule_code(
        kind=petition.kind,
        complexity=petition.complexity,
        complaint_round=petition.complaint_round,
        remote=petition.area.is_remote_area,
    )
    if code == "denunciation":
        return denunciation_resolution_deadline(accepted_on)
    return deadline_from(rule_for(code, accepted_on), accepted_on) if code else None


# --- the deadline calculator (page "Tính thời hạn" and GET /api/v1/deadlines/compute/) ------

PROCEDURES: dict[str, str] = {
    "complaint-acceptance": gettext_lazy("Thụ lý khiếu nại lần đầu (kể từ ngày nhận đơn)"),
    "complaint-second-acceptance": gettext_lazy("Thụ lý khiếu nại lần hai (kể từ ngày nhận đơn)"),
    "complaint-first": gettext_lazy("Giải quyết khiếu nại lần đầu (kể từ ngày thụ lý)"),
    "complaint-second": gettext_lazy("Giải quyết khiếu nại lần hai (kể từ ngày thụ lý)"),
    "denunciation-acceptance": gettext_lazy("Thụ lý tố cáo (kể từ ngày nhận đơn)"),
    "denunciation-resolution": gettext_lazy("Giải quyết tố cáo (kể từ ngày thụ lý)"),
    "working-days": gettext_lazy("N ngày làm việc"),
    "calendar-days": gettext_lazy("N ngày theo lịch"),
}
PLAIN_PROCEDURES = ("working-days", "calendar-days")

UNKNOWN_PROCEDURE = gettext_lazy("Không có cách tính “%(rule)s”. Chọn một trong: %(codes)s.")
DAYS_REQUIRED = gettext_lazy("Nhập số ngày (n) từ 0 trở lên.")
DAYS_TOO_MANY = gettext_lazy("Số ngày (n) tối đa là %(most)s.")
TOO_MANY_EXTENSIONS = gettext_lazy("Tố cáo được gia hạn nhiều nhất %(most)s lần (Luật Tố cáo 2018, Điều 30).")
MOST_PLAIN_DAYS = 3660  # ten years: enough for any time limit, small enough to answer at once


@dataclass(frozen=True)
class DeadlineQuestion:
    """What the clerk asks the calculator (validated by `DeadlineForm`)."""

    procedure: str
    start: date
    complex: bool = False
    remote: bool = False
    several_places: bool = False
    extensions: int = 0
    days: int | None = None


def deadline_check(question: DeadlineQuestion) -> None:
    """The calculator's rules about its input, as field errors (nothing is computed)."""
    errors: dict[str, ValidationError] = {}
    if question.procedure not in PROCEDURES:
        errors["rule"] = ValidationError(
            UNKNOWN_PROCEDURE, params={"rule": question.procedure, "codes": ", ".join(PROCEDURES)}
        )
    if question.procedure in PLAIN_PROCEDURES:
        if question.days is None or question.days < 0:
            errors["n"] = ValidationError(DAYS_REQUIRED)
        elif question.days > MOST_PLAIN_DAYS:
            errors["n"] = ValidationError(DAYS_TOO_MANY, params={"most": MOST_PLAIN_DAYS})
    if question.procedure == "denunciation-resolution" and not 0 <= question.extensions <= MOST_EXTENSIONS:
        errors["extensions"] = ValidationError(TOO_MANY_EXTENSIONS, params={"most": MOST_EXTENSIONS})
    if errors:
        raise ValidationError(errors)


def deadline_compute(question: DeadlineQuestion) -> tuple[str, StatutoryDeadline]:
    """The deadline the clerk asks for, by the same functions as every stored deadline;
    returns the rule's written form (its name and article) and the deadline."""
    deadline_check(question)
    start, procedure = question.start, question.procedure
    if procedure in PLAIN_PROCEDURES:
        working = procedure == "working-days"
        counted = _count(question.days, working, start)
        unit = _("ngày làm việc") if working else _("ngày")
        articles = () if working else ("Bộ luật Dân sự 2015, Điều 147 khoản 3 và Điều 148 khoản 5",)
        return f"{question.days} {unit}", StatutoryDeadline(
            on=counted.on, basis=f"{question.days} {unit}", counted=counted, articles=articles
        )
    if procedure == "denunciation-resolution":
        deadline = denunciation_resolution_deadline(start, question.extensions)
        return deadline.basis, deadline
    if procedure in ("complaint-acceptance", "complaint-second-acceptance", "denunciation-acceptance"):
        kind = Petition.Kind.DENUNCIATION if procedure.startswith("denunciation") else Petition.Kind.COMPLAINT
        code = acceptance_rule_code(
            kind,
            complaint_round=2 if procedure == "complaint-second-acceptance" else 1,
            several_places=question.several_places,
        )
    else:
        code = resolution_rule_code(
            kind=Petition.Kind.COMPLAINT,
            complexity=Petition.Complexity.COMPLEX if question.complex else Petition.Complexity.NORMAL,
            complaint_round=2 if procedure == "complaint-second" else 1,
            remote=question.remote,
        )
    rule = rule_for(code, start)
    return rule.text, deadline_from(rule, start)
