"""Issued notices and their assignments for the API tests, made through the services as the
pages make them (tests/conclusions/helpers.py builds the drafts)."""

from datetime import date

from conclusions import services
from conclusions.models import Assignment, ConclusionNotice
from tests.conclusions.helpers import leader_of, ready_notice


def issued_notice(ward, clerk, *, leader=None, extra=(), **kwargs) -> ConclusionNotice:
    """A notice of `ward` whose every opinion is assigned, with `extra` assignments added by
    `give` (each a dict of its arguments), issued by `leader` (a new leader of the ward by
    default)."""
    notice = ready_notice(ward, clerk, **kwargs)
    for arguments in extra:
        give(notice, clerk, **arguments)
    return services.notice_issue(notice=notice, by=leader or leader_of(ward))


def give(
    notice, by, *, agency, coordinating=(), responsible=None, petitions=(), on=date(2026, 12, 31)
) -> Assignment:
    """Add one assignment, due on a fixed date, to the draft's first item."""
    return services.assignment_add(
        notice=notice,
        by=by,
        item=notice.items.first(),
        task=f"Kiểm tra, xử lý và báo cáo ({agency.symbol})",
        lead_agency=agency,
        coordinating_agencies=list(coordinating),
        responsible_person=responsible,
        petitions=list(petitions),
        deadline=services.DeadlineSpec(rule=Assignment.DeadlineRule.FIXED_DATE, on=on),
    )


def set_deadline(assignment: Assignment, day: date) -> None:
    """Move a deadline without the services, to put an assignment in the past or future."""
    Assignment.objects.filter(pk=assignment.pk).update(deadline=day)
