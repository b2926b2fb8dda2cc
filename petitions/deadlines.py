"""Statutory deadlines of complaints and denunciations, kept as data (`StatutoryRule`).

The defaults follow the Law on Complaints 2011 (acceptance within 10 days of receipt;
first-time resolution 30 days from acceptance, 45 if complex, 45 and 60 in remote areas;
second-time 45, 60, 60 and 70) and the Law on Denunciations 2018 (acceptance within 7 working
days; resolution 30 days from acceptance, extended once by 30 days when complex and twice
when especially complex). Each rule says whether it counts working or calendar days; an admin
may change it. A computed deadline is stored on the row when the step happens, with the rule
written out beside it, so changing a rule never moves a stored deadline.

A calendar-day deadline that falls on a day off moves to the next working day, as offices do
(and as the conclusions' deadlines do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.calendar import add_working_days, next_working_day_on_or_after
from petitions.models import Petition, StatutoryRule

ACCEPTANCE, RESOLUTION, EXTENSION = (StatutoryRule.Step.ACCEPTANCE, StatutoryRule.Step.RESOLUTION,
                                     StatutoryRule.Step.EXTENSION)  # fmt: skip
COMPLAINT_LAW = "Luật Khiếu nại 2011"
DENUNCIATION_LAW = "Luật Tố cáo 2018"

# code: (step, name, days, counts working days, legal basis)
RULE_DEFAULTS: dict[str, tuple[str, str, int, bool, str]] = {
    "complaint-acceptance": (ACCEPTANCE, "Thụ lý khiếu nại, kể từ ngày nhận đơn", 10, True, f"{COMPLAINT_LAW}, Điều 27"),
    "denunciation-acceptance": (ACCEPTANCE, "Thụ lý tố cáo, kể từ ngày nhận đơn", 7, True, f"{DENUNCIATION_LAW}, Điều 29"),
    "complaint-1": (RESOLUTION, "Giải quyết khiếu nại lần đầu, kể từ ngày thụ lý", 30, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-complex": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vụ việc phức tạp", 45, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-remote": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa", 45, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-1-remote-complex": (RESOLUTION, "Giải quyết khiếu nại lần đầu, vùng sâu, vùng xa, vụ việc phức tạp", 60, False, f"{COMPLAINT_LAW}, Điều 28"),
    "complaint-2": (RESOLUTION, "Giải quyết khiếu nại lần hai, kể từ ngày thụ lý", 45, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-complex": (RESOLUTION, "Giải quyết khiếu nại lần hai, vụ việc phức tạp", 60, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-remote": (RESOLUTION, "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa", 60, False, f"{COMPLAINT_LAW}, Điều 37"),
    "complaint-2-remote-complex": (RESOLUTION, "Giải quyết khiếu nại lần hai, vùng sâu, vùng xa, vụ việc phức tạp", 70, False, f"{COMPLAINT_LAW}, Điều 37"),
    "denunciation": (RESOLUTION, "Giải quyết tố cáo, kể từ ngày thụ lý", 30, False, f"{DENUNCIATION_LAW}, Điều 30"),
    "denunciation-extension": (EXTENSION, "Gia hạn giải quyết tố cáo (mỗi lần)", 30, False, f"{DENUNCIATION_LAW}, Điều 30"),
}  # fmt: skip

# How many extensions a denunciation may have, by its complexity.
MAX_EXTENSIONS = {
    Petition.Complexity.NORMAL: 0,
    Petition.Complexity.COMPLEX: 1,
    Petition.Complexity.ESPECIALLY_COMPLEX: 2,
}


def rules_ensure(rule_model=StatutoryRule) -> None:
    """Create the default rules that are missing; never overwrite one an admin changed."""
    for code, (step, name, days, working, basis) in RULE_DEFAULTS.items():
        rule_model.objects.get_or_create(
            code=code,
            defaults={
                "step": step,
                "name": name,
                "days": days,
                "counts_working_days": working,
                "basis": basis,
            },
        )


def rule_for(code: str) -> StatutoryRule:
    """The rule as the admin keeps it; the default if the row is missing (an emptied test
    database, a fresh install before migrating data)."""
    rule = StatutoryRule.objects.filter(code=code).first()
    if rule is None:
        rules_ensure()
        rule = StatutoryRule.objects.get(code=code)
    return rule


@dataclass(frozen=True)
class StatutoryDeadline:
    on: date
    basis: str  # the rule written out, stored beside the date


def deadline_from(rule: StatutoryRule, start: date) -> StatutoryDeadline:
    if rule.counts_working_days:
        day = add_working_days(start, rule.days)
    else:
        day = next_working_day_on_or_after(start + timedelta(days=rule.days))
    return StatutoryDeadline(on=day, basis=rule.text)


def acceptance_rule_code(kind: str) -> str | None:
    return {
        Petition.Kind.COMPLAINT: "complaint-acceptance",
        Petition.Kind.DENUNCIATION: "denunciation-acceptance",
    }.get(kind)


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


def acceptance_deadline(kind: str, received_on: date) -> StatutoryDeadline | None:
    code = acceptance_rule_code(kind)
    return deadline_from(rule_for(code), received_on) if code else None


def resolution_deadline(petition: Petition, accepted_on: date) -> StatutoryDeadline | None:
    code = resolution_rule_code(
        kind=petition.kind,
        complexity=petition.complexity,
        complaint_round=petition.complaint_round,
        remote=petition.area.is_remote_area,
    )
    return deadline_from(rule_for(code), accepted_on) if code else None


def extension_deadline(previous: date) -> StatutoryDeadline:
    return deadline_from(rule_for("denunciation-extension"), previous)
