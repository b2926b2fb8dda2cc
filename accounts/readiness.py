"""What an area still lacks before it can hold and follow up a dialogue conference: someone to
lead (issue notices), someone to monitor (the Fatherland Front), the Fatherland Front body
itself, a clerk to enter the work, and the symbols that number the documents its bodies issue
(Decree 30/2020/NĐ-CP: "Số: 15/TB-UBND"). Shown on the admin's "Việc còn thiếu" page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User

Kind = OrgUnit.Kind
# The bodies whose documents the app numbers: they need a symbol.
ISSUING_KINDS = (Kind.PARTY_COMMITTEE, Kind.PEOPLES_COUNCIL, Kind.PEOPLES_COMMITTEE, Kind.FATHERLAND_FRONT)

NO_PEOPLES_COMMITTEE = _("Chưa có Ủy ban nhân dân (cơ quan ban hành thông báo kết luận).")
NO_FATHERLAND_FRONT = _("Chưa có Ủy ban MTTQ Việt Nam (cơ quan giám sát).")
NO_LEADER = _("Chưa có ai giữ vai trò Lãnh đạo (ký, ban hành thông báo kết luận).")
NO_MONITOR = _("Chưa có ai giữ vai trò Giám sát (MTTQ).")
NO_CLERK = _("Chưa có ai giữ vai trò Văn phòng (lập hội nghị, nhập ý kiến).")
NO_SYMBOL = _("“%(body)s” chưa có ký hiệu để đánh số văn bản.")


@dataclass(frozen=True)
class Missing:
    message: str
    fix_url_name: str  # where the admin fixes it: the staff import or the unit's admin page
    unit: OrgUnit | None = None


def area_missing(area: OrgUnit) -> list[Missing]:
    """Everything the area lacks, in the order an office would fix it. Three queries."""
    bodies = list(OrgUnit.objects.bodies().filter(area=area, valid_to__isnull=True).order_by("path"))
    kinds = {body.kind for body in bodies}
    staff = User.objects.filter(agency__area=area, is_active=True).aggregate(
        leaders=Count("pk", filter=Q(is_leader=True)),
        monitors=Count("pk", filter=Q(is_monitor=True)),
        clerks=Count("pk", filter=Q(is_clerk=True)),
    )
    missing = []
    if Kind.PEOPLES_COMMITTEE not in kinds:
        missing.append(Missing(str(NO_PEOPLES_COMMITTEE), "accounts:staff_import"))
    if Kind.FATHERLAND_FRONT not in kinds:
        missing.append(Missing(str(NO_FATHERLAND_FRONT), "accounts:staff_import"))
    for count, message in (
        (staff["leaders"], NO_LEADER),
        (staff["monitors"], NO_MONITOR),
        (staff["clerks"], NO_CLERK),
    ):
        if not count:
            missing.append(Missing(str(message), "accounts:staff_import"))
    for body in bodies:
        if body.kind in ISSUING_KINDS and not body.symbol.strip():
            missing.append(
                Missing(str(NO_SYMBOL % {"body": body.name}), "admin:accounts_orgunit_change", body)
            )
    return missing


def areas_missing(areas):
    """The areas (a queryset) that lack something, each annotated with what: one query for the
    page, whatever the number of areas (a city's 126, the country's 3,321)."""
    bodies = OrgUnit.objects.filter(area=OuterRef("pk"), valid_to__isnull=True)
    staff = User.objects.filter(agency__area=OuterRef("pk"), is_active=True)
    annotated = areas.annotate(
        has_committee=Exists(bodies.filter(kind=Kind.PEOPLES_COMMITTEE)),
        has_front=Exists(bodies.filter(kind=Kind.FATHERLAND_FRONT)),
        has_leader=Exists(staff.filter(is_leader=True)),
        has_monitor=Exists(staff.filter(is_monitor=True)),
        has_clerk=Exists(staff.filter(is_clerk=True)),
        lacks_symbol=Exists(bodies.filter(kind__in=ISSUING_KINDS, symbol="")),
    )
    return annotated.filter(
        Q(has_committee=False)
        | Q(has_front=False)
        | Q(has_leader=False)
        | Q(has_monitor=False)
        | Q(has_clerk=False)
        | Q(lacks_symbol=True)
    )
