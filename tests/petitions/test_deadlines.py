"""Statutory deadlines: computed when the step happens, stored, never moved by a rule change."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from conclusions import services as conclusion_services
from petitions import services
from petitions.deadlines import resolution_rule_code, rule_for
from petitions.models import Petition, StatutoryExtension, StatutoryRule
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db


def test_complaint_acceptance_deadline_skips_tet_2026(ward):
    # Luật Khiếu nại 2011 Điều 27: 10 days. Received Friday 06/02/2026, the day not counted
    # (BLDS 2015 Điều 147 khoản 3): the tenth day is Monday 16/02, in Tết (16–20/02), so the
    # deadline moves past the weekend of 21–22/02 to Monday 23/02/2026 (Điều 148 khoản 5).
    petition = letter(ward, clerk_of(ward))
    assert petition.acceptance_deadline == date(2026, 2, 23)
    assert petition.acceptance_basis.startswith("10 ngày – ")


def test_denunciation_acceptance_is_seven_working_days(ward):
    petition = denunciation(ward, clerk_of(ward))
    assert petition.acceptance_deadline == date(2026, 2, 24)  # 9–13/02, then 23–24/02


def test_recommendation_has_no_statutory_deadline(ward):
    petition = letter(ward, clerk_of(ward), kind=Petition.Kind.RECOMMENDATION)
    assert petition.acceptance_deadline is None


def test_first_complaint_resolution_is_30_days_moved_off_a_sunday(ward):
    clerk = clerk_of(ward)
    petition = letter(ward, clerk)
    petition = services.petition_accept(
        petition=petition, by=clerk, accepted_on=date(2026, 2, 13), complexity="normal"
    )
    # 13/02 + 30 days = Sunday 15/03/2026 → Monday 16/03/2026.
    assert petition.resolution_deadline == date(2026, 3, 16)
    assert petition.outcome == Petition.Outcome.IN_AUTHORITY
    assert petition.accepted_on == date(2026, 2, 13)


@pytest.mark.parametrize(
    ("complexity", "round_", "remote", "days"),
    [
        ("normal", 1, False, 30),
        ("complex", 1, False, 45),
        ("normal", 1, True, 45),
        ("complex", 1, True, 60),
        ("normal", 2, False, 45),
        ("complex", 2, False, 60),
        ("normal", 2, True, 60),
        ("especially_complex", 2, True, 70),
    ],
)
def test_complaint_rules_by_round_complexity_and_remote_area(complexity, round_, remote, days):
    code = resolution_rule_code(
        kind="khieu_nai", complexity=complexity, complaint_round=round_, remote=remote
    )
    assert rule_for(code, date(2026, 1, 1)).days == days


def test_remote_area_gets_the_longer_deadline(ward):
    ward.is_remote_area = True
    ward.save()
    clerk = clerk_of(ward)
    petition = services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 3, 2), complexity="complex"
    )
    assert petition.resolution_deadline == date(2026, 5, 4)  # 01/05 is a holiday, 02–03/05 a weekend
    assert "60 ngày" in petition.resolution_basis


def test_changing_a_rule_never_moves_a_stored_deadline(ward):
    clerk = clerk_of(ward)
    petition = letter(ward, clerk)
    StatutoryRule.objects.filter(code="complaint-acceptance").update(days=20)
    petition.refresh_from_db()
    assert petition.acceptance_deadline == date(2026, 2, 23)
    assert letter(ward, clerk).acceptance_deadline == date(2026, 2, 26)  # 06/02 + 20 days, a Thursday


def test_accepting_before_receipt_or_in_the_future_is_refused(ward):
    clerk = clerk_of(ward)
    petition = letter(ward, clerk)
    with pytest.raises(ValidationError) as error:
        services.petition_accept(
            petition=petition, by=clerk, accepted_on=date(2026, 2, 1), complexity="normal"
        )
    assert "accepted_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.petition_accept(
            petition=petition, by=clerk, accepted_on=date(2099, 1, 1), complexity="normal"
        )


def _accepted_denunciation(ward, clerk, complexity):
    petition = denunciation(ward, clerk)
    return services.petition_accept(
        petition=petition, by=clerk, accepted_on=date(2026, 3, 2), complexity=complexity
    )


def test_denunciation_extended_once_when_complex(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = _accepted_denunciation(ward, clerk, "complex")
    assert petition.resolution_deadline == date(2026, 4, 1)
    extension = services.petition_extend_resolution(
        petition=petition,
        by=leader,
        decided_on=date(2026, 3, 25),
        decision_ref="12/QĐ-UBND",
        reason="Cần xác minh thêm",
    )
    assert (extension.previous_deadline, extension.new_deadline) == (date(2026, 4, 1), date(2026, 5, 4))
    with pytest.raises(ValidationError, match="tối đa 1 lần"):
        services.petition_extend_resolution(
            petition=petition,
            by=leader,
            decided_on=date(2026, 4, 20),
            decision_ref="15/QĐ-UBND",
            reason="Lần nữa",
        )


def test_especially_complex_denunciation_extended_twice_in_writing(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = _accepted_denunciation(ward, clerk, "especially_complex")
    for ref in ("12/QĐ-UBND", "20/QĐ-UBND"):
        services.petition_extend_resolution(
            petition=petition, by=leader, decided_on=date(2026, 3, 25), decision_ref=ref, reason="Phức tạp"
        )
    assert StatutoryExtension.objects.filter(petition=petition).count() == 2
    with pytest.raises(ValidationError):
        services.petition_extend_resolution(
            petition=petition, by=leader, decided_on=date(2026, 3, 25), decision_ref="30/QĐ", reason="Ba"
        )
    with pytest.raises(ValidationError, match="bằng văn bản"):
        services.petition_extend_resolution(
            petition=_accepted_denunciation(ward, clerk, "complex"), by=leader,
            decided_on=date(2026, 3, 25), decision_ref="", reason="",
        )  # fmt: skip


def test_normal_denunciation_and_non_leaders_cannot_extend(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = _accepted_denunciation(ward, clerk, "normal")
    with pytest.raises(ValidationError):
        services.petition_extend_resolution(
            petition=petition, by=leader, decided_on=date(2026, 3, 25), decision_ref="1/QĐ", reason="x"
        )
    with pytest.raises(ValidationError):
        services.petition_extend_resolution(
            petition=petition, by=clerk, decided_on=date(2026, 3, 25), decision_ref="1/QĐ", reason="x",
            complexity="complex",
        )  # fmt: skip


def test_extension_moves_the_open_assignment_deadline(ward):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = _accepted_denunciation(ward, clerk, "complex")
    assignment = conclusion_services.petition_assignment_add(
        petition=petition, by=clerk, task="Xác minh nội dung tố cáo", lead_agency=ward.bodies["UBND"]
    )
    assert assignment.deadline == date(2026, 4, 1)
    services.petition_extend_resolution(
        petition=petition,
        by=leader,
        decided_on=date(2026, 3, 25),
        decision_ref="12/QĐ-UBND",
        reason="Phức tạp",
    )
    assignment.refresh_from_db()
    assert assignment.deadline == date(2026, 5, 4)
    assert assignment.history.filter(deadline=date(2026, 4, 1)).exists()  # the old one is kept
