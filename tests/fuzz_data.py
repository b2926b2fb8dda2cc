"""The data both fuzzers (tests/test_fuzz_api.py, tests/test_fuzz_params.py) work on: one ward
with every kind of object a list or an API operation can show or act on, and users of every
role at the ward and at the city above it. Built through the services the pages use."""

from __future__ import annotations

from datetime import date

from accounts.models import OrgUnit
from conclusions import services as conclusion_services
from petitions import services as petition_services
from tests.conclusions.helpers import assign, draft_notice, held_conference, leader_of
from tests.factories import OrgUnitFactory, UserFactory
from tests.petitions.written_helpers import clerk_of, denunciation, letter


def fuzz_world(ward, other_ward) -> dict:
    """{"users": {role: user}, "ids": [every id of the data]}."""
    city = ward.parent
    office = OrgUnitFactory(parent=ward, name="Phòng Kinh tế", kind=OrgUnit.Kind.SPECIALISED_OFFICE)
    city_committee = OrgUnitFactory(parent=city, name="UBND Thành phố", kind=OrgUnit.Kind.PEOPLES_COMMITTEE)
    clerk, leader = clerk_of(ward), leader_of(ward)
    handler = UserFactory(agency=office, is_handler=True, full_name="Cán bộ phòng Kinh tế")

    conference = held_conference(ward, 3)
    notice = draft_notice(ward, clerk, conference=conference, signer=leader)
    notice_work = assign(notice, clerk, agency=office, petitions=conference.petitions.all())
    notice = conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    draft = draft_notice(ward, clerk, conference=held_conference(ward, 1), signer=leader)

    written = []  # a complaint and a denunciation by letter, accepted and assigned (no notice)
    for petition in (letter(ward, clerk), denunciation(ward, clerk)):
        petition_services.petition_accept(
            petition=petition, by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
        )
        written.append(
            conclusion_services.petition_assignment_add(
                petition=petition,
                by=clerk,
                task="Giải quyết đơn",
                lead_agency=office,
                responsible_person=handler,
            )
        )
    conclusion_services.assignment_progress(assignment=written[0], by=handler, text="Đã xác minh")
    conclusion_services.extension_request(
        assignment=notice_work, by=handler, requested_deadline=date(2027, 1, 31), reason="Cần thêm thời gian"
    )
    users = {
        "ward clerk": clerk,
        "ward leader": leader,
        "ward handler": handler,
        "ward monitor": UserFactory(agency=ward.bodies["MTTQ"], is_monitor=True),
        "ward admin": UserFactory(agency=ward.bodies["UBND"], is_sysadmin=True),
        "city clerk": UserFactory(agency=city_committee, is_clerk=True),
        "city leader": UserFactory(agency=city_committee, is_leader=True),
        "other ward clerk": clerk_of(other_ward),
    }
    ids = sorted(
        {ward.pk, office.pk, conference.pk, notice.pk, draft.pk, notice_work.pk, *(a.pk for a in written),
         *(p.pk for a in written for p in a.petitions.all()), *conference.petitions.values_list("pk", flat=True)}
    )  # fmt: skip
    return {"users": users, "ids": ids, "codes": [a.petitions.get().tracking_code for a in written]}
