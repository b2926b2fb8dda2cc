"""Conference rules (issue 14): the yearly requirement counts only the scheduled conferences
of the bases it names; requirements have versions in time; a conference planned closer than
the advance notice its basis asks is warned about; an unchecked citation is flagged."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgUnit
from dialogue import services
from dialogue.models import Conference, ConferenceBasis, ConferenceRequirement
from tests.conftest import login
from tests.factories import conference_for

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DECISION_2200 = "QĐ 2200-QĐ/TU"


def _basis(short_name):
    return ConferenceBasis.objects.get(short_name=short_name)


def _row(ward, year=2026):
    return next(
        row
        for row in services.conference_compliance(areas=OrgUnit.objects.all(), year=year)
        if row.area == ward
    )


def test_only_scheduled_conferences_of_the_named_bases_count(ward):
    held = Conference.Status.HELD
    conference_for(ward, status=held, kind=Conference.Kind.AD_HOC, basis=_basis(DECISION_2200))
    conference_for(ward, status=held, basis=_basis("Khác"))
    row = _row(ward)
    assert (row.held, row.other, row.required, row.met) == (0, 2, 1, False)
    conference_for(ward, status=held, basis=_basis(DECISION_2200))
    row = _row(ward)
    assert (row.held, row.other, row.met) == (1, 2, True)
    summary = services.compliance_summary(areas=OrgUnit.objects.filter(pk=ward.pk), year=2026)
    assert (summary.met, summary.total) == (1, 1)


def test_a_requirement_applies_in_the_years_it_is_in_force(ward):
    conference_for(ward, status=Conference.Status.HELD, basis=_basis(DECISION_2200))
    conference_for(
        ward,
        status=Conference.Status.HELD,
        basis=_basis(DECISION_2200),
        starts_at=datetime(2027, 3, 3, 8, tzinfo=HANOI),
    )
    current = ConferenceRequirement.objects.get(area_kind="ward")
    current.valid_to = date(2026, 12, 31)
    current.full_clean()
    current.save()
    twice = ConferenceRequirement(area_kind="ward", per_year=2, valid_from=date(2027, 1, 1))
    twice.full_clean()
    twice.save()
    twice.bases.set([_basis(DECISION_2200)])
    assert (_row(ward, 2026).required, _row(ward, 2026).met) == (1, True)
    assert (_row(ward, 2027).required, _row(ward, 2027).met) == (2, False)


def test_overlapping_requirement_versions_are_refused():
    clash = ConferenceRequirement(area_kind="ward", per_year=3, valid_from=date(2027, 1, 1))
    with pytest.raises(Exception, match="khoảng thời gian này"):
        clash.full_clean()


def test_unverified_citation_is_flagged_in_the_data():
    assert not ConferenceBasis.objects.get(short_name="Luật TCCQĐP 2025, Đ.43").citation_verified
    assert _basis(DECISION_2200).citation_verified


def _plan_form(ward, starts_on):
    return {
        "host_area": ward.pk,
        "title": "Hội nghị đối thoại về trật tự đô thị",
        "basis": _basis(DECISION_2200).pk,
        "kind": Conference.Kind.SCHEDULED,
        "starts_on": f"{starts_on:%d/%m/%Y}",
        "starts_time": "14:00",
        "place": "Hội trường UBND phường",
        "chairs_text": "Nguyễn Thị Thanh Hằng – Bí thư Đảng ủy phường",
    }


@pytest.mark.parametrize(
    ("days_ahead", "warned"), [(0, True), (3, True), (6, True), (7, False), (20, False), (-30, False)]
)
def test_planning_closer_than_the_notice_period_is_warned(ward, make_user, days_ahead, warned):
    client = login(make_user("clerk"))
    starts_on = timezone.localdate() + timedelta(days=days_ahead)
    response = client.post(reverse("dialogue:create"), _plan_form(ward, starts_on), follow=True)
    assert Conference.objects.filter(host_area=ward).count() == 1, response.content.decode()[:2000]
    page = response.content.decode()
    assert ("chưa đủ 7 ngày" in page) is warned
