from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dialogue.models import Conference
from petitions.models import Category, Petition

ENTRY_CLOSED = _("Hội nghị này đã hoàn thành hoặc đã hủy: không nhập thêm ý kiến.")
TRANSFER_NEEDS_TARGET = _("Hãy ghi cơ quan có thẩm quyền được chuyển đến.")
REJECTION_NEEDS_REASON = _("Hãy ghi lý do không tiếp nhận.")
DUPLICATE_NEEDS_ORIGINAL = _("Hãy chọn ý kiến mà ý kiến này trùng với.")
DUPLICATE_OF_ITSELF = _("Một ý kiến không thể trùng với chính nó.")
DUPLICATE_ELSEWHERE = _("Chỉ gộp được với một ý kiến của cùng địa bàn.")
ALREADY_ASSIGNED = _(
    "Ý kiến này đã được giao cho cơ quan giải quyết theo thông báo kết luận đã ban hành: "
    "không đổi hướng xử lý được nữa."
)
ANSWER_REQUIRED = _("Hãy ghi nội dung đã trả lời tại hội nghị.")
Outcome = Petition.Outcome
NAME_REQUIRED = _("Hãy ghi họ tên người nêu, tên tổ chức, hoặc chọn “Ẩn danh”.")


@dataclass
class PetitionDraft:
    """One opinion as typed by the clerk (fast entry, Excel import), before it is saved."""

    kind: str
    channel: str
    category: Category
    content: str
    petitioner_type: str = Petition.PetitionerType.PERSON
    petitioner_name: str = ""
    petitioner_address: str = ""
    petitioner_phone: str = ""
    answered_at_conference: bool = False
    conference_answer: str = ""
    answered_by: str = ""
    received_on: date | None = None
    extra: dict = field(default_factory=dict)

    def errors(self) -> dict[str, list]:
        """Rules that span fields; the forms show them next to the field concerned."""
        problems: dict[str, list] = {}
        if self.petitioner_type != Petition.PetitionerType.ANONYMOUS and not self.petitioner_name.strip():
            problems.setdefault("petitioner_name", []).append(NAME_REQUIRED)
        if self.answered_at_conference and not self.conference_answer.strip():
            problems.setdefault("conference_answer", []).append(ANSWER_REQUIRED)
        return problems


def _next_position(conference: Conference) -> int:
    return (conference.petitions.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def petitions_add_to_conference(
    *, conference: Conference, by: User, drafts: list[PetitionDraft]
) -> list[Petition]:
    """Save a batch of opinions of one conference, all or nothing, numbered in the order
    typed. The conference row is locked so two clerks typing at once get distinct numbers."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if not conference.is_open_for_entry:
        raise ValidationError(ENTRY_CLOSED)
    problems = {index: draft.errors() for index, draft in enumerate(drafts)}
    if any(problems.values()):
        raise ValidationError(
            {f"row {index + 1}": list(errors.values()) for index, errors in problems.items() if errors}
        )
    position = _next_position(conference)
    petitions = []
    for offset, draft in enumerate(drafts):
        petition = Petition(
            area=conference.host_area,
            conference=conference,
            position=position + offset,
            received_on=draft.received_on or conference.local_date,
            kind=draft.kind,
            channel=draft.channel,
            category=draft.category,
            content=draft.content.strip(),
            petitioner_type=draft.petitioner_type,
            petitioner_name=""
            if draft.petitioner_type == Petition.PetitionerType.ANONYMOUS
            else draft.petitioner_name.strip(),
            petitioner_address=draft.petitioner_address.strip(),
            petitioner_phone=draft.petitioner_phone.strip(),
            answered_at_conference=draft.answered_at_conference,
            conference_answer=draft.conference_answer.strip() if draft.answered_at_conference else "",
            answered_by=draft.answered_by.strip() if draft.answered_at_conference else "",
            created_by=by,
        )
        if draft.answered_at_conference:
            # Answered on the spot: the outcome is known from the minutes.
            petition.outcome = Petition.Outcome.ANSWERED
            petition.outcome_decided_on = petition.received_on
        petition.conference = conference  # the cached relation fills the search column
        petition._history_user = by
        petition.save()
        petitions.append(petition)
    return petitions


@transaction.atomic
def petition_set_outcome(
    *,
    petition: Petition,
    by: User,
    outcome: str,
    transferred_to: str = "",
    transferred_on: date | None = None,
    duplicate_of: Petition | None = None,
    rejection_reason: str = "",
    conference_answer: str = "",
) -> Petition:
    """Decide what happens to an opinion. Every outcome keeps the text; a duplicate stays
    a row of its own pointing at the original, so the repeat is counted and shown."""
    errors = {}
    if outcome == Outcome.TRANSFERRED and not transferred_to.strip():
        errors["transferred_to"] = TRANSFER_NEEDS_TARGET
    if outcome == Outcome.REJECTED and not rejection_reason.strip():
        errors["rejection_reason"] = REJECTION_NEEDS_REASON
    if outcome == Outcome.ANSWERED and not (conference_answer.strip() or petition.conference_answer):
        errors["conference_answer"] = ANSWER_REQUIRED
    if outcome == Outcome.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = DUPLICATE_NEEDS_ORIGINAL
        elif duplicate_of.pk == petition.pk:
            errors["duplicate_of"] = DUPLICATE_OF_ITSELF
        elif duplicate_of.area_id != petition.area_id:
            errors["duplicate_of"] = DUPLICATE_ELSEWHERE
    if petition.resolved_on or petition.assignments.filter(notice__status="issued").exists():
        # (The reverse relation of conclusions.Assignment: petitions may not import it.)
        errors[NON_FIELD_ERRORS] = ALREADY_ASSIGNED
    loops_back = duplicate_of is not None and (duplicate_of.duplicate_of or duplicate_of).pk == petition.pk
    if outcome == Outcome.DUPLICATE and loops_back and "duplicate_of" not in errors:
        errors["duplicate_of"] = DUPLICATE_OF_ITSELF
    if errors:
        raise ValidationError(errors)
    if outcome == Outcome.DUPLICATE:
        # Point at the first original, never at another repeat: counts stay one level deep.
        original = duplicate_of.duplicate_of or duplicate_of
        petition.repeats.update(duplicate_of=original)
        petition.duplicate_of = original
    else:
        petition.duplicate_of = None
    petition.outcome = outcome
    petition.outcome_decided_on = timezone.localdate()
    petition.transferred_to = transferred_to.strip() if outcome == Outcome.TRANSFERRED else ""
    petition.transferred_on = (
        (transferred_on or timezone.localdate()) if outcome == Outcome.TRANSFERRED else None
    )
    petition.rejection_reason = rejection_reason.strip() if outcome == Outcome.REJECTED else ""
    if outcome == Outcome.ANSWERED:
        petition.answered_at_conference = True
        petition.conference_answer = conference_answer.strip() or petition.conference_answer
    petition._history_user = by
    petition.save()
    return petition
