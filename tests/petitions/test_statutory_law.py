"""The statutory deadlines against the texts, each case counted by hand (docs/PETITIONS.md).

Luật Khiếu nại 2011: accept within 10 days of receipt (Điều 27; Điều 36 for a second complaint).
Luật Tố cáo 2018: accept within 7 working days, 10 when checked in several places (Điều 24
khoản 1); resolve within 30 days of acceptance, extended by at most 30 days once (complex) or
twice (especially complex) (Điều 30 khoản 1). BLDS 2015: the event's day is not counted (Điều
147 khoản 3); a last day off moves to the next working day (Điều 148 khoản 5)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from petitions import services
from petitions.deadlines import DeadlineQuestion, deadline_compute, rule_for
from petitions.models import Petition, StatutoryRule
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("received", "deadline", "why"),
    [
        # Tết 2026: the tenth day, Monday 16/02, is Giao thừa; 16–20/02 off, 21–22 a weekend.
        (date(2026, 2, 6), date(2026, 2, 23), "Tết 2026"),
        # 30/4–1/5/2026: the tenth day is Thursday 30/04; 01/05 off, 02–03/05 a weekend.
        (date(2026, 4, 20), date(2026, 5, 4), "30/4–1/5"),
        # 2/9/2026: the tenth day is Monday 31/08, given off for Saturday 22/08; 01–02/09 off.
        (date(2026, 8, 21), date(2026, 9, 3), "2/9 2026"),
        # 2/9/2025: the tenth day is Monday 01/09; 02/09 off too.
        (date(2025, 8, 22), date(2025, 9, 3), "2/9 2025"),
        # New Year 2025: the tenth day is Wednesday 01/01/2025, the only day off.
        (date(2024, 12, 22), date(2025, 1, 2), "New Year"),
        # No day off at the end: the tenth day itself, Friday 16/10/2026.
        (date(2026, 10, 6), date(2026, 10, 16), "plain"),
    ],
)
def test_complaint_acceptance_is_ten_days_moved_off_a_day_off(ward, received, deadline, why):
    petition = letter(ward, clerk_of(ward), received_on=received)
    assert petition.acceptance_deadline == deadline, why
    assert (
        petition.acceptance_basis
        == "10 ngày – Thụ lý khiếu nại lần đầu, kể từ ngày nhận đơn (Luật Khiếu nại 2011, Điều 27)"
    )


def test_second_complaint_acceptance_cites_article_36(ward):
    petition = letter(ward, clerk_of(ward), complaint_round=2)
    assert (petition.complaint_round, petition.acceptance_deadline) == (2, date(2026, 2, 23))
    assert rule_for("complaint-2-acceptance", date(2026, 2, 6)).basis == "Luật Khiếu nại 2011, Điều 36"


def test_denunciation_acceptance_seven_or_ten_working_days(ward):
    clerk = clerk_of(ward)
    # Received Friday 06/02/2026: 09–13/02 are five working days, Tết, then 23, 24 (7) ...
    assert denunciation(ward, clerk).acceptance_deadline == date(2026, 2, 24)
    # ... and 25, 26, 27 (10) when it must be checked in several places.
    several = denunciation(ward, clerk, verified_in_several_places=True)
    assert several.verified_in_several_places and several.acceptance_deadline == date(2026, 2, 27)
    assert (
        several.acceptance_basis.startswith("10 ngày làm việc")
        and "nhiều địa điểm" in several.acceptance_basis
    )
    assert rule_for("denunciation-acceptance", date(2026, 2, 6)).basis == "Luật Tố cáo 2018, Điều 24 khoản 1"


def _denunciation_accepted_on(ward, clerk, accepted_on, complexity):
    return services.petition_accept(
        petition=denunciation(ward, clerk), by=clerk, accepted_on=accepted_on, complexity=complexity
    )


def test_denunciation_extensions_count_from_acceptance_not_from_the_moved_deadline(ward):
    # Accepted Thursday 12/02/2026. 30 days end on Saturday 14/03: moved to Monday 16/03.
    # One extension: 60 days from acceptance end on Monday 13/04/2026 (chaining 30 days from
    # the moved 16/03 would give 15/04, two days past the law's cap).
    # Two extensions: 90 days end on Wednesday 13/05/2026 (chained: 15/05).
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = _denunciation_accepted_on(ward, clerk, date(2026, 2, 12), "especially_complex")
    assert petition.resolution_deadline == date(2026, 3, 16)
    expected = [(date(2026, 3, 16), date(2026, 4, 13)), (date(2026, 4, 13), date(2026, 5, 13))]
    for number, (previous, new) in enumerate(expected, start=1):
        extension = services.petition_extend_resolution(
            petition=petition,
            by=leader,
            decided_on=date(2026, 3, 10),
            decision_ref=f"{number}/QĐ-UBND",
            reason="x",
        )
        assert (extension.previous_deadline, extension.new_deadline) == (previous, new)
    petition.refresh_from_db()
    assert petition.resolution_deadline == date(2026, 5, 13)


def test_a_rule_version_applies_by_the_date_of_the_event(ward):
    """Two versions of complaint acceptance around 01/07/2026 (the second one's 15 days are a
    test value, not the amendment's content): each letter gets the one in force on receipt,
    and entering the new version moves no stored deadline."""
    clerk = clerk_of(ward)
    before = letter(ward, clerk, received_on=date(2026, 6, 30))
    assert before.acceptance_deadline == date(2026, 7, 10)  # Tuesday + 10 days: Friday 10/07
    old = rule_for("complaint-acceptance", date(2026, 6, 30))
    old.valid_to = date(2026, 6, 30)
    old.full_clean()
    old.save()
    new = StatutoryRule(
        code=old.code, step=old.step, name=old.name, days=15, counts_working_days=False,
        basis="Luật 136/2025/QH15 (giá trị thử)", valid_from=date(2026, 7, 1),
    )  # fmt: skip
    new.full_clean()
    new.save()
    assert letter(ward, clerk, received_on=date(2026, 6, 30)).acceptance_deadline == date(2026, 7, 10)
    assert letter(ward, clerk, received_on=date(2026, 7, 1)).acceptance_deadline == date(2026, 7, 16)
    before.refresh_from_db()
    assert before.acceptance_deadline == date(2026, 7, 10)


def test_overlapping_versions_are_refused():
    rule = rule_for("complaint-acceptance", date(2026, 1, 1))
    clash = StatutoryRule(
        code=rule.code, step=rule.step, name="x", days=12, valid_from=date(2026, 7, 1)
    )  # the current version is open-ended: 01/07/2026 is inside it
    with pytest.raises(ValidationError, match="khoảng thời gian này"):
        clash.full_clean()


def test_no_rule_in_force_is_a_clear_error(ward):
    StatutoryRule.objects.filter(code="complaint-acceptance").update(valid_to=date(2026, 6, 30))
    with pytest.raises(ValidationError, match="01/07/2026"):
        letter(ward, clerk_of(ward), received_on=date(2026, 7, 1))
    assert not Petition.objects.exists()  # nothing half-saved


@pytest.mark.parametrize(
    ("question", "deadline"),
    [
        (DeadlineQuestion("complaint-acceptance", date(2026, 2, 6)), date(2026, 2, 23)),
        (DeadlineQuestion("complaint-second-acceptance", date(2026, 4, 20)), date(2026, 5, 4)),
        # 13/02 + 30 = Sunday 15/03 → 16/03; remote and complex: + 60 = Tuesday 14/04.
        (DeadlineQuestion("complaint-first", date(2026, 2, 13)), date(2026, 3, 16)),
        (
            DeadlineQuestion("complaint-first", date(2026, 2, 13), complex=True, remote=True),
            date(2026, 4, 14),
        ),
        # Second complaint, 45 days from 13/02: 28/02 is day 15, Monday 30/03/2026 day 45.
        (DeadlineQuestion("complaint-second", date(2026, 2, 13)), date(2026, 3, 30)),
        (
            DeadlineQuestion("denunciation-acceptance", date(2026, 2, 6), several_places=True),
            date(2026, 2, 27),
        ),
        (DeadlineQuestion("denunciation-resolution", date(2026, 2, 12), extensions=1), date(2026, 4, 13)),
        (DeadlineQuestion("working-days", date(2025, 4, 25), days=1), date(2025, 4, 26)),
        (DeadlineQuestion("calendar-days", date(2026, 8, 21), days=10), date(2026, 9, 3)),
    ],
)
def test_the_calculator_answers_as_the_stored_deadlines(question, deadline):
    _rule, answer = deadline_compute(question)
    assert answer.on == deadline
    assert answer.explanation()


def test_admin_enters_a_new_version_as_a_copy_and_refuses_an_overlap(admin_client):
    """How an office enters an amendment: end the old version, then save a copy from it with
    the new start (the admin's "Lưu thành bản mới")."""
    rule = rule_for("complaint-acceptance", date(2026, 1, 1))
    url = reverse("admin:petitions_statutoryrule_change", args=[rule.pk])
    form = {
        "code": rule.code, "name": rule.name, "step": rule.step, "days": "10", "basis": rule.basis,
        "valid_from": "", "valid_to": "",
    }  # fmt: skip
    page = admin_client.get(url).content.decode()
    assert "Luật 136/2025/QH15" in page  # the help text tells the office how
    copy = {
        **form,
        "days": "12",
        "basis": "Luật sửa đổi (thử)",
        "valid_from": "01/07/2026",
        "_saveasnew": "1",
    }
    refused = admin_client.post(url, copy)
    assert refused.status_code == 200 and "khoảng thời gian này" in refused.content.decode()
    assert admin_client.post(url, {**form, "valid_to": "30/06/2026"}).status_code == 302
    assert admin_client.post(url, copy).status_code == 302
    assert rule_for("complaint-acceptance", date(2026, 6, 30)).days == 10
    assert rule_for("complaint-acceptance", date(2026, 7, 1)).days == 12
