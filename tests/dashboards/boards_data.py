"""Data for the boards' tests, made directly with the ORM (fast, and every state reachable):
issued notices, assignments at chosen deadlines and statuses, opinions with every outcome.
Dates are relative to today, since the pages count overdue against the real today."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import OrgUnit, User
from conclusions.models import Assignment, ConclusionNotice, NoticeItem
from dialogue.models import Conference
from petitions.models import Category, Petition
from tests.factories import OrgUnitFactory, UserFactory, conference_for, petition_for, ward_with_bodies

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def held_conference(area: OrgUnit, day: date, *, kind=Conference.Kind.SCHEDULED, participants=100, **fields):
    starts_at = datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
    return conference_for(
        area, status="held", starts_at=starts_at, kind=kind, participant_count=participants, **fields
    )


def issued_notice(area: OrgUnit, signer: User, conference: Conference | None = None) -> ConclusionNotice:
    number = next(_numbers)
    notice = ConclusionNotice.objects.create(
        area=area,
        issuing_body=area.bodies["UBND"],
        conference=conference,
        summary="Kết luận hội nghị đối thoại",
        recipients="Như trên",
        signer=signer,
        signer_title="CHỦ TỊCH",
        status=ConclusionNotice.Status.ISSUED,
        number=number,
        number_label=f"{number:02d}/TB-UBND",
        number_series="test",
        issued_on=days_ago(60),
    )
    NoticeItem.objects.create(notice=notice, position=1, text="Giao các cơ quan trả lời Nhân dân")
    return notice


def assignment(
    notice: ConclusionNotice,
    agency: OrgUnit,
    deadline: date,
    *,
    status=Assignment.Status.ASSIGNED,
    petitions=(),
    responsible=None,
    task="Trả lời ý kiến của Nhân dân",
) -> Assignment:
    made = Assignment.objects.create(
        area=notice.area,
        notice=notice,
        item=notice.items.first(),
        task=task,
        lead_agency=agency,
        deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
        deadline=deadline,
        deadline_from=notice.issued_on,
        status=status,
        responsible_person=responsible,
    )
    made.petitions.set(petitions)
    return made


@dataclass
class Boards:
    """Two wards of a city. Bồ Đề (`ward`) has an office besides its committee; every number
    the tests expect is spelled out in `expected`."""

    city: OrgUnit
    ward: OrgUnit
    other: OrgUnit
    office: OrgUnit
    users: dict[str, User] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    conferences: dict[str, Conference] = field(default_factory=dict)


def build(city: OrgUnit) -> Boards:
    ward = ward_with_bodies(city, "Bồ Đề")
    other = ward_with_bodies(city, "Cầu Giấy")
    office = OrgUnitFactory(
        parent=ward,
        name="Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề",
        kind=OrgUnit.Kind.SPECIALISED_OFFICE,
    )
    city_front = OrgUnitFactory(
        parent=city, name="Ủy ban MTTQ Việt Nam thành phố", kind=OrgUnit.Kind.FATHERLAND_FRONT
    )
    committee = ward.bodies["UBND"]
    boards = Boards(city=city, ward=ward, other=other, office=office)
    boards.users = {
        "leader": UserFactory(
            username="lanhdao", agency=committee, is_leader=True, full_name="Nguyễn Văn Luyện"
        ),
        "clerk": UserFactory(username="vanphong", agency=committee, is_clerk=True, full_name="Trần Thị Hà"),
        "handler": UserFactory(
            username="canbo", agency=office, is_handler=True, full_name="Lê Quang Huy", email="huy@example.vn"
        ),
        "handler2": UserFactory(
            username="canbo2",
            agency=office,
            is_handler=True,
            full_name="Phạm Thu Trang",
            email="trang@example.vn",
        ),
        "monitor": UserFactory(
            username="giamsat", agency=ward.bodies["MTTQ"], is_monitor=True, full_name="Đỗ Thị Mai"
        ),
        "city_monitor": UserFactory(
            username="giamsat_tp", agency=city_front, is_monitor=True, full_name="Vũ Văn Nam"
        ),
        "other_leader": UserFactory(
            username="lanhdao_cg", agency=other.bodies["UBND"], is_leader=True, full_name="Hoàng Văn Cường"
        ),
    }
    leader = boards.users["leader"]

    # Conferences of Bồ Đề: two scheduled and one ad hoc held, one planned; one held in Cầu Giấy.
    main = held_conference(ward, days_ago(90), participants=150, title="Hội nghị đối thoại định kỳ")
    boards.conferences["main"] = main
    held_conference(ward, days_ago(30), participants=80, title="Hội nghị đối thoại chuyên đề")
    held_conference(
        ward, days_ago(20), kind=Conference.Kind.AD_HOC, participants=40, title="Đối thoại đột xuất"
    )
    conference_for(ward, title="Hội nghị sắp tới")
    held_conference(other, days_ago(50), participants=60, title="Hội nghị Cầu Giấy")

    # Opinions of Bồ Đề's main conference, one per state.
    land = Category.objects.get(name="Khác")
    received = days_ago(90)
    p = {
        name: petition_for(main, received_on=received, category=land, content=f"Ý kiến {name}")
        for name in (
            "answered",
            "transferred",
            "rejected",
            "pending",
            "overdue",
            "on_time",
            "late",
            "duplicate",
        )
    }
    Petition.objects.filter(pk=p["answered"].pk).update(outcome="answered", answered_at_conference=True)
    Petition.objects.filter(pk=p["transferred"].pk).update(
        outcome="transferred", transferred_to="Sở Xây dựng"
    )
    Petition.objects.filter(pk=p["rejected"].pk).update(
        outcome="rejected", rejection_reason="Không thuộc thẩm quyền"
    )
    Petition.objects.filter(pk=p["duplicate"].pk).update(outcome="duplicate", duplicate_of=p["pending"])
    Petition.objects.filter(pk__in=[p["overdue"].pk, p["on_time"].pk, p["late"].pk]).update(
        outcome="in_authority"
    )
    Petition.objects.filter(pk=p["on_time"].pk).update(resolved_on=days_ago(50))
    Petition.objects.filter(pk=p["late"].pk).update(resolved_on=days_ago(20))

    notice = issued_notice(ward, leader, conference=main)
    a = boards.assignments
    a["overdue_3"] = assignment(notice, office, days_ago(3), petitions=[p["overdue"]], responsible=leader)
    a["overdue_10"] = assignment(notice, office, days_ago(10))
    a["overdue_40"] = assignment(notice, office, days_ago(40), status=Assignment.Status.IN_PROGRESS)
    a["committee_overdue"] = assignment(notice, committee, days_ago(5))
    a["due_soon"] = assignment(notice, committee, today() + timedelta(days=2))
    a["later"] = assignment(notice, committee, today() + timedelta(days=30))
    a["on_time"] = assignment(
        notice, office, days_ago(45), status=Assignment.Status.ACCEPTED, petitions=[p["on_time"]]
    )
    a["late"] = assignment(
        notice, office, days_ago(35), status=Assignment.Status.ACCEPTED, petitions=[p["late"]]
    )
    other_notice = issued_notice(other, boards.users["other_leader"])
    a["other"] = assignment(other_notice, other.bodies["UBND"], days_ago(8))
    return boards
