from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from accounts.models import OrgUnit, Role, User
from accounts.permissions import acts_for_area
from dialogue.models import Conference
from petitions import ports
from petitions.contact import contact_errors, normalize_email, normalize_phone
from petitions.events import CitizenEvent, announce
from petitions.models import Category, CitizenVerdict, Petition, Reopening, verdict_window_days
from registers.documents import issued_document_open
from registers.models import DocumentType, RegisterEntry
from registers.services import area_body, register_take

logger = logging.getLogger(__name__)

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
# Outcomes that end an opinion's road here: the citizen is told it is closed, and why.
CLOSING_OUTCOMES = (Outcome.TRANSFERRED, Outcome.DUPLICATE, Outcome.REJECTED)


@dataclass
class CitizenEntry:
    """What a citizen raised and who they are, as the clerk types it: at a conference
    (PetitionDraft) or from a letter or a reception (WrittenPetitionData)."""

    kind: str
    channel: str
    category: Category
    content: str
    petitioner_type: str = Petition.PetitionerType.PERSON
    petitioner_name: str = ""
    petitioner_address: str = ""
    petitioner_phone: str = ""
    petitioner_email: str = ""
    message_consent: bool = False

    def name_missing(self) -> bool:
        """A petitioner who gave their name must have it written (an anonymous one has none)."""
        return self.petitioner_type != Petition.PetitionerType.ANONYMOUS and not self.petitioner_name.strip()

    def contact_errors(self) -> dict[str, list]:
        return contact_errors(
            phone=self.petitioner_phone, email=self.petitioner_email, consent=self.message_consent
        )

    def citizen_fields(self) -> dict:
        """The Petition's fields for it: trimmed and normalised, no name kept for an anonymous one."""
        anonymous = self.petitioner_type == Petition.PetitionerType.ANONYMOUS
        return {
            "kind": self.kind,
            "channel": self.channel,
            "category": self.category,
            "content": self.content.strip(),
            "petitioner_type": self.petitioner_type,
            "petitioner_name": "" if anonymous else self.petitioner_name.strip(),
            "petitioner_address": self.petitioner_address.strip(),
            "petitioner_phone": normalize_phone(self.petitioner_phone),
            "petitioner_email": normalize_email(self.petitioner_email),
            "message_consent": self.message_consent,
        }


@dataclass
class PetitionDraft(CitizenEntry):
    """One opinion as typed by the clerk (fast entry, Excel import), before it is saved."""

    answered_at_conference: bool = False
    conference_answer: str = ""
    answered_by: str = ""
    received_on: date | None = None
    extra: dict = field(default_factory=dict)

    def errors(self) -> dict[str, list]:
        """Rules that span fields; the forms show them next to the field concerned."""
        problems: dict[str, list] = {}
        if self.name_missing():
            problems.setdefault("petitioner_name", []).append(NAME_REQUIRED)
        if self.answered_at_conference and not self.conference_answer.strip():
            problems.setdefault("conference_answer", []).append(ANSWER_REQUIRED)
        for name, messages in self.contact_errors().items():
            problems.setdefault(name, []).extend(messages)
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
    _check_drafts(drafts)
    position = _next_position(conference)
    after_notice = conference_notice_issued(conference=conference) is not None
    petitions = [
        _save_draft(
            draft, conference=conference, position=position + offset, after_notice=after_notice, by=by
        )
        for offset, draft in enumerate(drafts)
    ]
    announce(kind=CitizenEvent.RECEIVED, petition_ids=[petition.pk for petition in petitions])
    return petitions


def _check_drafts(drafts: list[PetitionDraft]) -> None:
    """Every row's problems at once, named by the row's number as typed."""
    problems = {index: draft.errors() for index, draft in enumerate(drafts)}
    if any(problems.values()):
        raise ValidationError(
            {f"row {index + 1}": list(errors.values()) for index, errors in problems.items() if errors}
        )


def _save_draft(
    draft: PetitionDraft, *, conference: Conference, position: int, after_notice: bool, by: User
) -> Petition:
    """One typed opinion of the conference, saved with its history."""
    answered = draft.answered_at_conference
    petition = Petition(
        area=conference.host_area,
        conference=conference,
        position=position,
        received_on=draft.received_on or conference.local_date,
        **draft.citizen_fields(),
        answered_at_conference=answered,
        conference_answer=draft.conference_answer.strip() if answered else "",
        answered_by=draft.answered_by.strip() if answered else "",
        after_notice=after_notice,
        created_by=by,
    )
    if answered:
        # Answered on the spot: the outcome is known from the minutes.
        petition.outcome = Petition.Outcome.ANSWERED
        petition.outcome_decided_on = petition.received_on
    petition.conference = conference  # the cached relation fills the search column
    petition._history_user = by
    petition.save()
    return petition


AFTER_NOTICE_WARNING = _(
    "Hội nghị này đã có thông báo kết luận %(notice)s. Ý kiến nhập thêm bây giờ không nằm trong "
    "thông báo đó (thông báo đã ban hành không sửa được): mỗi ý kiến cần được xử lý riêng — giao "
    "việc không kèm thông báo, hoặc ban hành thông báo đính chính, bổ sung."
)


def conference_notice_issued(*, conference: Conference) -> ports.IssuedNotice | None:
    """The conference's issued conclusion notice (asked of conclusions through the port), or
    None: opinions added while there is one are outside it."""
    return ports.conference_notices().issued_for(conference)


def after_notice_warning(*, conference: Conference) -> str:
    """The warning every entry path shows (fast entry, Excel import, API), or ""."""
    notice = conference_notice_issued(conference=conference)
    return str(AFTER_NOTICE_WARNING % {"notice": notice.label}) if notice else ""


def _duplicate_error(petition: Petition, duplicate_of: Petition | None):
    """Why this original cannot be the one the opinion repeats, or None."""
    if duplicate_of is None:
        return DUPLICATE_NEEDS_ORIGINAL
    if duplicate_of.pk == petition.pk:
        return DUPLICATE_OF_ITSELF
    if duplicate_of.area_id != petition.area_id:
        return DUPLICATE_ELSEWHERE
    if (duplicate_of.duplicate_of or duplicate_of).pk == petition.pk:  # a repeat of this one
        return DUPLICATE_OF_ITSELF
    return None


def _missing_detail(petition: Petition, outcome: str, details: dict) -> tuple[str, str] | None:
    """The detail `outcome` requires and lacks, as (field, message), or None."""
    if outcome == Outcome.TRANSFERRED and not details["transferred_to"].strip():
        return "transferred_to", TRANSFER_NEEDS_TARGET
    if outcome == Outcome.REJECTED and not details["rejection_reason"].strip():
        return "rejection_reason", REJECTION_NEEDS_REASON
    if outcome == Outcome.ANSWERED and not (
        details["conference_answer"].strip() or petition.conference_answer
    ):
        return "conference_answer", ANSWER_REQUIRED
    if outcome == Outcome.DUPLICATE and (error := _duplicate_error(petition, details["duplicate_of"])):
        return "duplicate_of", error
    return None


def _outcome_errors(petition: Petition, outcome: str, details: dict) -> dict:
    """What each outcome requires (a target, a reason, an answer, an original), and that no
    work answering the opinion has started: {field: message}."""
    errors = dict([missing]) if (missing := _missing_detail(petition, outcome, details)) else {}
    if petition.resolved_on or ports.follow_up().has_started_work(petition):
        errors[NON_FIELD_ERRORS] = ALREADY_ASSIGNED
    return errors


def _apply_outcome(petition: Petition, outcome: str, details: dict) -> None:
    if outcome == Outcome.DUPLICATE:
        # Point at the first original, never at another repeat: counts stay one level deep.
        original = details["duplicate_of"].duplicate_of or details["duplicate_of"]
        petition.repeats.update(duplicate_of=original)
        petition.duplicate_of = original
    else:
        petition.duplicate_of = None
    petition.outcome = outcome
    petition.outcome_decided_on = timezone.localdate()
    transferred = outcome == Outcome.TRANSFERRED
    petition.transferred_to = details["transferred_to"].strip() if transferred else ""
    petition.transferred_on = (details["transferred_on"] or timezone.localdate()) if transferred else None
    petition.rejection_reason = details["rejection_reason"].strip() if outcome == Outcome.REJECTED else ""
    if outcome == Outcome.ANSWERED:
        petition.answered_at_conference = True
        petition.conference_answer = details["conference_answer"].strip() or petition.conference_answer


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
    details = {
        "transferred_to": transferred_to,
        "transferred_on": transferred_on,
        "duplicate_of": duplicate_of,
        "rejection_reason": rejection_reason,
        "conference_answer": conference_answer,
    }
    errors = _outcome_errors(petition, outcome, details)
    if errors:
        raise ValidationError(errors)
    _apply_outcome(petition, outcome, details)
    if outcome == Outcome.TRANSFERRED and petition.transfer_entry_id is None:
        petition.transfer_entry = _register_transfer_slip(petition, by)
        # The slip stands on its own: its stored, signed PDF with the QR code, made by a
        # worker once this transaction commits (registers/documents.py).
        issued_document_open(entry=petition.transfer_entry)
        transaction.on_commit(partial(queue_transfer_slip_pdf, petition.pk))
    petition._history_user = by
    petition.save()
    if outcome in CLOSING_OUTCOMES:
        announce(
            kind=CitizenEvent.CLOSED,
            petition_ids=[petition.pk],
            data={"reason": outcome, "transferred_to": petition.transferred_to},
        )
    return petition


TRANSFER_SLIP_SUMMARY = "Chuyển đơn {kind} đến {to}"


def queue_transfer_slip_pdf(petition_id: int) -> bool:
    """Queue the slip's PDF; when the broker is down the slip stays "PDF pending" and the
    periodic sweep makes it later. Transferring never fails because of the broker."""
    from petitions.tasks import transfer_slip_render_pdf

    try:
        transfer_slip_render_pdf.apply_async(args=[petition_id], retry=False)
    except Exception:
        logger.warning("Slip PDF of petition %s not queued; left pending", petition_id, exc_info=True)
        return False
    return True


def _register_transfer_slip(petition: Petition, by: User) -> RegisterEntry:
    """The transfer slip is a document of the body that receives petitions in the area (its
    People's Committee), numbered from that body's register in this transaction."""
    body = slip_issuer(petition.area, fallback=by.agency)
    if petition.pk is None:
        petition.save()
    summary = TRANSFER_SLIP_SUMMARY.format(
        kind=petition.get_kind_display().lower(), to=petition.transferred_to
    )
    return register_take(
        body=body,
        doc_type=DocumentType.TRANSFER_SLIP,
        on=petition.transferred_on,
        summary=summary,
        document=petition,
        by=by,
    )


def slip_issuer(area: OrgUnit, *, fallback: OrgUnit | None = None) -> OrgUnit:
    """The body a transfer slip of `area` is issued by: the area's People's Committee, else
    the person's own agency, else the area itself."""
    committee = area_body(area, OrgUnit.Kind.PEOPLES_COMMITTEE)
    return committee or fallback or area


# --- written petitions, citizen reception ----------------------------------------------

NOT_PENDING = _("Đơn này đã được xử lý (thụ lý, chuyển, gộp hoặc không thụ lý): không làm lại được.")
ACCEPTED_BEFORE_RECEIPT = _("Ngày thụ lý không được trước ngày nhận đơn (%(day)s).")
DATE_IN_FUTURE = _("Ngày này chưa đến.")
NOT_ACCEPTED = _("Đơn chưa được thụ lý.")
ANSWER_TEXT_REQUIRED = _("Hãy ghi kết quả giải quyết, nội dung trả lời.")
ASSIGNMENTS_STILL_OPEN = _("Còn việc được giao chưa nghiệm thu: nghiệm thu xong mới ghi kết quả cuối cùng.")
ONLY_DENUNCIATIONS_EXTEND = _("Chỉ gia hạn giải quyết đối với tố cáo.")
NO_MORE_EXTENSIONS = _(
    "Vụ việc “%(complexity)s” được gia hạn tối đa %(count)d lần: không gia hạn thêm được. "
    "Hãy ghi lại tính chất vụ việc nếu nó phức tạp hơn."
)
EXTENSION_NEEDS_DECISION = _("Gia hạn phải bằng văn bản: hãy ghi số quyết định và lý do.")
ONLY_LEADERS = _("Chỉ lãnh đạo mới quyết định việc này.")
RECEPTION_NEEDS_LEADER = _("Người tiếp công dân phải là lãnh đạo của địa bàn.")
SIMILARITY_THRESHOLD = 0.5
DUPLICATE_CANDIDATES = 50


@dataclass(kw_only=True)
class WrittenPetitionData(CitizenEntry):
    """A letter, or what a citizen raised at a reception, as the clerk enters it."""

    received_on: date
    petitioner_id_number: str = ""
    complaint_round: int = 1  # complaints: first or second (both accepted within 10 days)
    verified_in_several_places: bool = False  # denunciations: 10 working days, not 7


def _check_not_future(day: date, field_name: str, errors: dict) -> None:
    if day > timezone.localdate():
        errors[field_name] = DATE_IN_FUTURE


def _check_written(data: WrittenPetitionData) -> None:
    """A named petitioner has a name; the letter came in the past; the contact is usable."""
    errors: dict = {}
    if data.name_missing():
        errors["petitioner_name"] = NAME_REQUIRED
    _check_not_future(data.received_on, "received_on", errors)
    errors.update({name: messages[0] for name, messages in data.contact_errors().items()})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def written_petition_create(
    *, area, by: User, data: WrittenPetitionData, reception=None, attachment=None
) -> Petition:
    """Log a petition received outside a conference. A complaint or a denunciation gets its
    statutory acceptance deadline, computed now and stored."""
    from petitions.deadlines import acceptance_deadline

    _check_written(data)
    anonymous = data.petitioner_type == Petition.PetitionerType.ANONYMOUS
    petition = Petition(
        area=area,
        reception=reception,
        received_on=data.received_on,
        **data.citizen_fields(),
        petitioner_id_number="" if anonymous else data.petitioner_id_number.strip(),
        complaint_round=data.complaint_round if data.kind == Petition.Kind.COMPLAINT else 1,
        verified_in_several_places=data.kind == Petition.Kind.DENUNCIATION
        and data.verified_in_several_places,
        created_by=by,
    )
    deadline = acceptance_deadline(
        data.kind,
        data.received_on,
        complaint_round=petition.complaint_round,
        several_places=petition.verified_in_several_places,
    )
    if deadline:
        petition.acceptance_deadline, petition.acceptance_basis = deadline.on, deadline.basis
    petition._history_user = by
    petition.save()
    # Written petitions are numbered by their id: a conference's numbering does not apply.
    Petition.objects.filter(pk=petition.pk).update(position=petition.pk)
    petition.position = petition.pk
    if attachment:
        petition_attach(petition=petition, by=by, file=attachment)
    announce(kind=CitizenEvent.RECEIVED, petition_ids=[petition.pk])
    return petition


def petition_attach(*, petition: Petition, by: User, file):
    from petitions.models import PetitionAttachment

    attachment = PetitionAttachment(petition=petition, file=file, uploaded_by=by)
    attachment._history_user = by
    attachment.save()
    return attachment


def _similarity(a: str, b: str) -> float:
    """Share of words in common (accent-free), over the shorter text: a short letter
    repeated inside a longer one still counts as the same matter."""
    from core.text import fold

    words_a, words_b = set(fold(a).split()), set(fold(b).split())
    if not words_a or not words_b:
        return 0.0
    return len(words_a & words_b) / min(len(words_a), len(words_b))


def petition_possible_duplicates(
    *,
    candidates,
    by: User,
    where: str,
    content: str,
    id_number: str = "",
    phone: str = "",
    exclude_pk: int | None = None,
) -> list[Petition]:
    """Earlier petitions from the same person (identity number or phone) about the same
    matter (similar content, accents ignored). `candidates` is the caller's scoped queryset.
    One indexed query; the similarity is judged on the few rows it returns.

    A match by identity says who wrote the earlier letter: a denunciation is offered only to
    those who may see its denouncer (Petition.identity_visible_to), and each one offered is
    logged like a display of the identity. Otherwise a higher-level clerk could confirm that
    a suspected person denounced someone by typing their ID number."""
    same_person = Q()
    if id_number.strip():
        same_person |= Q(petitioner_id_number=id_number.strip())
    if phone.strip():
        try:
            phone = normalize_phone(phone)
        except ValidationError:
            phone = phone.strip()
        same_person |= Q(petitioner_phone=phone)
    if not same_person:
        return []
    rows = candidates.filter(same_person, duplicate_of__isnull=True)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    rows = rows.select_related("category", "area").order_by("-received_on", "-pk")[:DUPLICATE_CANDIDATES]
    similar = [row for row in rows if _similarity(content, row.content) >= SIMILARITY_THRESHOLD]
    return identity_matches_shown_to(matches=similar, user=by, where=f"{where} (trùng theo danh tính)")


# Duplicate detection while typing (issue 19): content alone, within one area and recent months.
SIMILAR_CONTENT_MONTHS_DAYS = 183  # about six months back from today
SIMILAR_CONTENT_CANDIDATES = 200  # the area's most recent opinions compared, at most
SIMILAR_CONTENT_MIN_WORDS = 4  # fewer typed words say too little to compare
SIMILAR_CONTENT_SHOWN = 5
IDENTITY_MIN_CHARS = 9  # a phone number has 10 digits, an identity number 9 or 12


def petitions_with_similar_content(
    *, candidates, area, content: str, today: date, exclude_pk: int | None = None
) -> list[Petition]:
    """Recent opinions of `area` (received in the last SIMILAR_CONTENT_MONTHS_DAYS days, merged
    repeats left out) whose content is like `content`, accents ignored (the share of words in
    common, as petition_possible_duplicates), most similar first. `candidates` is the caller's
    scoped queryset. One query on the (area, received_on) index over at most
    SIMILAR_CONTENT_CANDIDATES rows, judged in Python: the same folding as the search column,
    without a second index to keep in step. No identity field is matched here, so nothing
    about a denouncer is revealed; the page shows each match's petitioner as the user may see it."""
    from core.text import fold

    if len(fold(content).split()) < SIMILAR_CONTENT_MIN_WORDS:
        return []
    since = today - timedelta(days=SIMILAR_CONTENT_MONTHS_DAYS)
    rows = candidates.filter(area=area, received_on__gte=since, duplicate_of__isnull=True)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    rows = rows.select_related("category", "conference").order_by("-received_on", "-pk")
    scored = [(_similarity(content, row.content), row) for row in rows[:SIMILAR_CONTENT_CANDIDATES]]
    similar = [(score, row) for score, row in scored if score >= SIMILARITY_THRESHOLD]
    similar.sort(key=lambda pair: -pair[0])
    return [row for _score, row in similar[:SIMILAR_CONTENT_SHOWN]]


def petitions_of_same_person(
    *, candidates, by: User, where: str, id_number: str = "", phone: str = ""
) -> list[Petition]:
    """Earlier petitions with the same identity number or phone, whatever their content (the
    check while typing), through identity_matches_shown_to: a denunciation only to those who
    may see its denouncer, each one offered logged."""
    same_person = Q()
    # A number half typed matches nothing worth showing (and would probe for who wrote).
    if len(id_number.strip()) >= IDENTITY_MIN_CHARS:
        same_person |= Q(petitioner_id_number=id_number.strip())
    if len(phone.strip()) >= IDENTITY_MIN_CHARS:
        same_person |= Q(petitioner_phone=phone.strip())
    if not same_person:
        return []
    rows = (
        candidates.filter(same_person, duplicate_of__isnull=True)
        .select_related("category", "area")
        .order_by("-received_on", "-pk")[:DUPLICATE_CANDIDATES]
    )
    return identity_matches_shown_to(matches=list(rows), user=by, where=f"{where} (trùng theo danh tính)")


def identity_matches_shown_to(*, matches: list[Petition], user: User, where: str) -> list[Petition]:
    """Of petitions found by an identity field (ID number, phone, name, address), those `user`
    may be told about: a denunciation only when its identity is visible to them, the match
    logged as a display. Every lookup by identity goes through here."""
    shown = [row for row in matches if row.identity_visible_to(user)]
    identity_disclosed(petitions=shown, user=user, where=where)
    return shown


def identity_disclosed(*, petitions, user: User, where: str) -> None:
    """Log that `user` was shown something that names the denouncer of each denunciation
    among `petitions` (a match by identity, a case file downloaded)."""
    from petitions.models import IdentityDisclosure

    IdentityDisclosure.objects.bulk_create(
        IdentityDisclosure(petition=petition, user=user, where=where[:255])
        for petition in petitions
        if petition.is_confidential
    )


def _require_pending(petition: Petition) -> None:
    if not petition.is_pending:
        raise ValidationError(NOT_PENDING)


@transaction.atomic
def petition_accept(
    *, petition: Petition, by: User, accepted_on: date, complexity: str, complaint_round: int = 1
) -> Petition:
    """Thụ lý: the petition is handled here; its statutory resolution deadline is computed
    from the acceptance date and stored with its rule."""
    from petitions.deadlines import resolution_deadline

    petition = Petition.objects.select_for_update().select_related("area").get(pk=petition.pk)
    _require_pending(petition)
    errors: dict = {}
    if accepted_on < petition.received_on:
        errors["accepted_on"] = ValidationError(
            ACCEPTED_BEFORE_RECEIPT, params={"day": f"{petition.received_on:%d/%m/%Y}"}
        )
    _check_not_future(accepted_on, "accepted_on", errors)
    if errors:
        raise ValidationError(errors)
    petition.complexity, petition.complaint_round = complexity, complaint_round
    petition.accepted_on = accepted_on
    petition.outcome, petition.outcome_decided_on = Outcome.IN_AUTHORITY, accepted_on
    deadline = resolution_deadline(petition, accepted_on)
    if deadline:
        petition.resolution_deadline, petition.resolution_basis = deadline.on, deadline.basis
    petition._history_user = by
    petition.save()
    return petition


def petition_decline(*, petition: Petition, by: User, reason: str) -> Petition:
    _require_pending(petition)
    return petition_set_outcome(petition=petition, by=by, outcome=Outcome.REJECTED, rejection_reason=reason)


def petition_transfer(*, petition: Petition, by: User, to: str, on: date | None = None) -> Petition:
    """Not within this level's authority: sent to the competent body (with a transfer slip)."""
    _require_pending(petition)
    return petition_set_outcome(
        petition=petition, by=by, outcome=Outcome.TRANSFERRED, transferred_to=to, transferred_on=on
    )


def petition_merge(*, petition: Petition, by: User, into: Petition) -> Petition:
    """A repeat of an earlier petition: kept, counted on the original."""
    return petition_set_outcome(petition=petition, by=by, outcome=Outcome.DUPLICATE, duplicate_of=into)


@transaction.atomic
def petition_record_answer(
    *,
    petition: Petition,
    by: User,
    text: str,
    answered_on: date,
    decision_ref: str = "",
    is_public: bool = False,
) -> Petition:
    """The final answer or decision (quyết định giải quyết khiếu nại, kết luận nội dung tố
    cáo, văn bản trả lời). It resolves the petition once no assignment is still open."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    errors: dict = {}
    if not petition.accepted_on:
        errors[NON_FIELD_ERRORS] = NOT_ACCEPTED
    if not text.strip():
        errors["text"] = ANSWER_TEXT_REQUIRED
    _check_not_future(answered_on, "answered_on", errors)
    if ports.follow_up().has_open_work(petition):
        errors[NON_FIELD_ERRORS] = ASSIGNMENTS_STILL_OPEN
    if errors:
        raise ValidationError(errors)
    petition.final_answer, petition.final_answer_on = text.strip(), answered_on
    petition.final_decision_ref, petition.answer_is_public = decision_ref.strip(), is_public
    newly_resolved = petition.resolved_on is None
    if newly_resolved:
        petition.resolved_on = answered_on
    petition._history_user = by
    petition.save()
    if newly_resolved:
        announce(kind=CitizenEvent.CLOSED, petition_ids=[petition.pk], data={"reason": "resolved"})
    return petition


def _bulk_change(petitions, by: User | None, **values) -> int:
    """Set the same values on many opinions in one UPDATE and one history INSERT (a notice may
    answer a thousand opinions): their history records the change and who made it."""
    rows = list(Petition.objects.filter(pk__in=petitions.values("pk")).select_for_update().order_by("pk"))
    for petition in rows:
        for name, value in values.items():
            setattr(petition, name, value)
    if rows:
        bulk_update_with_history(rows, Petition, list(values), default_user=by)
    return len(rows)


@transaction.atomic
def petitions_take_into_authority(*, petitions, by: User | None, on: date) -> int:
    """The opinions a conclusion notice assigns are being handled by the authority: those still
    pending get the outcome "in authority", decided on the notice's day (conclusions calls this
    when it issues the notice)."""
    return _bulk_change(
        petitions.filter(outcome=Petition.Outcome.PENDING),
        by,
        outcome=Petition.Outcome.IN_AUTHORITY,
        outcome_decided_on=on,
    )


@transaction.atomic
def petitions_mark_resolved(*, petitions, by: User | None, on: date) -> int:
    """Opinions whose every answering assignment has been accepted are resolved on that day (the
    status follows from the assignments; conclusions calls this). Already resolved ones keep
    their day."""
    resolved = list(petitions.filter(resolved_on__isnull=True).values_list("pk", flat=True))
    count = _bulk_change(Petition.objects.filter(pk__in=resolved), by, resolved_on=on)
    announce(kind=CitizenEvent.CLOSED, petition_ids=resolved, data={"reason": "resolved"})
    return count


@transaction.atomic
def petition_extend_resolution(
    *,
    petition: Petition,
    by: User,
    decided_on: date,
    decision_ref: str = "",
    reason: str,
    complexity: str | None = None,
    issue_decision: bool = False,
):
    """Gia hạn giải quyết tố cáo, decided in writing with a reason: once for a complex case,
    twice for an especially complex one, 30 days each by default (Luật Tố cáo 2018, Điều 30
    khoản 1–2; khoản 3: the person resolving the denunciation decides the extension in
    writing and informs the denouncer, the denounced and those concerned). The decision is
    either made outside the app (`decision_ref`, its number as typed) or, with
    `issue_decision`, issued here: a QĐ number from the body's register in this transaction,
    and its PDF (stored, signed, with its QR code) made by a worker after the commit. The open
    assignments whose deadline followed the statutory one move with it (conclusions, through
    the follow-up port; their history keeps the old deadline). Returns the extension."""
    from petitions.deadlines import MAX_EXTENSIONS, denunciation_resolution_deadline
    from petitions.models import StatutoryExtension

    if not by.has_role(Role.LEADER):
        raise ValidationError(ONLY_LEADERS)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.kind != Petition.Kind.DENUNCIATION:
        raise ValidationError(ONLY_DENUNCIATIONS_EXTEND)
    if not petition.accepted_on or not petition.resolution_deadline or not petition.is_open:
        raise ValidationError(NOT_ACCEPTED)
    if not ((issue_decision or decision_ref.strip()) and reason.strip()):
        raise ValidationError(EXTENSION_NEEDS_DECISION)
    if complexity:
        petition.complexity = complexity
    done = petition.statutory_extensions.count()
    allowed = MAX_EXTENSIONS[petition.complexity]
    if done >= allowed:
        raise ValidationError(
            NO_MORE_EXTENSIONS,
            params={"complexity": petition.get_complexity_display(), "count": allowed},
        )
    # Every extension counts from acceptance (Điều 30's cap), never from the moved deadline.
    deadline = denunciation_resolution_deadline(petition.accepted_on, done + 1)
    extension = StatutoryExtension.objects.create(
        petition=petition,
        sequence=done + 1,
        decided_on=decided_on,
        decision_ref=decision_ref.strip(),
        reason=reason.strip(),
        previous_deadline=petition.resolution_deadline,
        new_deadline=deadline.on,
        decided_by=by,
    )
    if issue_decision:
        _issue_extension_decision(petition, extension, by)
    petition.resolution_deadline = deadline.on
    petition.resolution_basis = (
        f"{petition.resolution_basis}; {_('gia hạn lần')} {done + 1}: {extension.decision_ref}"[:255]
    )
    petition._history_user = by
    petition.save()
    ports.follow_up().follow_extension(petition=petition, extension=extension, by=by)
    announce(
        kind=CitizenEvent.EXTENDED,
        petition_ids=[petition.pk],
        data={"deadline": deadline.on.isoformat(), "key": f"statutory-{extension.sequence}"},
    )
    return extension


EXTENSION_DECISION_SUMMARY = "Gia hạn giải quyết tố cáo (mã {code}) lần {sequence}"


def extension_decision_issuer(petition: Petition, by: User) -> OrgUnit:
    """The body whose head resolves the denunciation and signs the extension: the area's
    People's Committee (its chair resolves denunciations at that level, Luật Tố cáo 2018,
    Điều 13–15), else the leader's own agency."""
    return slip_issuer(petition.area, fallback=by.agency)


def _issue_extension_decision(petition: Petition, extension, by: User) -> None:
    """Number the extension decision from the body's register (in the caller's transaction),
    open its issued document, and have a worker render, sign and store it after the commit."""
    entry = register_take(
        body=extension_decision_issuer(petition, by),
        doc_type=DocumentType.DECISION,
        on=extension.decided_on,
        summary=EXTENSION_DECISION_SUMMARY.format(code=petition.tracking_code, sequence=extension.sequence),
        document=extension,
        by=by,
    )
    extension.decision_entry = entry
    extension.decision_ref = entry.label
    extension._history_user = by
    extension.save(update_fields=["decision_entry", "decision_ref", "updated_at"])
    issued_document_open(entry=entry)
    transaction.on_commit(partial(queue_extension_decision_pdf, extension.pk))


def queue_extension_decision_pdf(extension_id: int) -> bool:
    """Queue the decision's PDF; a broker that is down leaves it to the periodic sweep."""
    from petitions.tasks import extension_decision_render_pdf

    try:
        extension_decision_render_pdf.apply_async(args=[extension_id], retry=False)
    except Exception:
        logger.warning("Decision PDF of extension %s not queued; left pending", extension_id, exc_info=True)
        return False
    return True


@transaction.atomic
def reception_create(
    *,
    area,
    by: User,
    held_on: date,
    receiving_leader: User,
    place: str = "",
    people_count: int = 0,
    notes: str = "",
):
    from petitions.models import ReceptionSession

    errors: dict = {}
    if not (receiving_leader.holds_role(Role.LEADER) and receiving_leader.area == area):
        errors["receiving_leader"] = RECEPTION_NEEDS_LEADER
    _check_not_future(held_on, "held_on", errors)
    if errors:
        raise ValidationError(errors)
    session = ReceptionSession(
        area=area,
        held_on=held_on,
        receiving_leader=receiving_leader,
        place=place.strip(),
        people_count=people_count,
        notes=notes.strip(),
        created_by=by,
    )
    session._history_user = by
    session.save()
    return session


# --- a denouncer's identity --------------------------------------------------------------


def petitioner_shown_to(*, petition: Petition, user: User, where: str) -> str:
    """The petitioner as `user` may see them; when that reveals a denouncer's identity, the
    display is logged (who, when, which petition, where)."""
    from petitions.models import IdentityDisclosure

    shown = petition.petitioner_for(user)
    reveals = (
        petition.is_confidential
        and petition.petitioner_type != Petition.PetitionerType.ANONYMOUS
        and shown != str(petition.public_petitioner)
    )
    if reveals:
        IdentityDisclosure.objects.create(petition=petition, user=user, where=where[:255])
    return shown


def petitioner_name_shown_to(*, petition: Petition, user: User, where: str) -> str:
    """As `petitioner_shown_to` (and logged the same way), the name alone: a document that
    states the address writes it once, in its own place."""
    shown = petitioner_shown_to(petition=petition, user=user, where=where)
    named = petition.petitioner_type != Petition.PetitionerType.ANONYMOUS and petition.petitioner_name
    if named and petition.identity_visible_to(user):
        return petition.petitioner_name
    return shown


# --- the citizen's verdict and the reopening it may cause (issue 17) ------------------------

VERDICT_NOT_ANSWERED = _("Ý kiến này chưa có kết quả trả lời chính thức nên chưa đánh giá được.")
VERDICT_ALREADY_GIVEN = _("Bạn đã đánh giá kết quả giải quyết ý kiến này rồi.")
VERDICT_WINDOW_CLOSED = _("Đã hết thời hạn đánh giá (%(days)s ngày kể từ ngày giải quyết xong %(day)s).")
VERDICT_UNKNOWN = _("Hãy chọn một trong các câu trả lời.")
EXPLANATION_REQUIRED = _("Hãy ghi lời giải thích cho người dân vì sao giữ nguyên kết quả.")
NOT_AREA_LEADER = _("Chỉ lãnh đạo của địa bàn mới quyết định về ý kiến được mở lại.")
REOPENING_DECIDED = _("Ý kiến mở lại này đã được quyết định.")


def verdict_closes_on(petition: Petition) -> date | None:
    """The last day the citizen may judge the current answer, or None if there is none."""
    if petition.resolved_on is None:
        return None
    days = verdict_window_days(petition.resolved_on)
    return date.fromordinal(petition.resolved_on.toordinal() + days)


def verdict_open_for(petition: Petition, today: date | None = None) -> bool:
    """The tracking page asks for a verdict: an official answer, within the window, none yet."""
    try:
        verdict_check(petition=petition, today=today)
    except ValidationError:
        return False
    return True


def verdict_check(*, petition: Petition, today: date | None = None) -> None:
    """Refuse, with the reason, a verdict the citizen may not give now."""
    today = today or timezone.localdate()
    closes_on = verdict_closes_on(petition)
    if closes_on is None or not ports.follow_up().has_official_answer(petition):
        raise ValidationError(VERDICT_NOT_ANSWERED, code="not_answered")
    if petition.verdicts.filter(answered_on=petition.resolved_on).exists():
        raise ValidationError(VERDICT_ALREADY_GIVEN, code="twice")
    if today > closes_on:
        raise ValidationError(
            VERDICT_WINDOW_CLOSED,
            code="closed",
            params={
                "days": verdict_window_days(petition.resolved_on),
                "day": f"{petition.resolved_on:%d/%m/%Y}",
            },
        )


@transaction.atomic
def verdict_give(*, petition: Petition, verdict: str, comment: str = "", today: date | None = None):
    """The citizen (holder of the tracking code) says whether the answer solved the problem.
    "Not resolved" reopens the opinion for the leader's review. Bad input changes nothing."""
    petition = Petition.objects.select_for_update().select_related("area").get(pk=petition.pk)
    if verdict not in CitizenVerdict.Verdict.values:
        raise ValidationError({"verdict": VERDICT_UNKNOWN})
    verdict_check(petition=petition, today=today)
    given = CitizenVerdict(
        petition=petition, answered_on=petition.resolved_on, verdict=verdict, comment=comment.strip()
    )
    given.full_clean()
    given.save()
    if verdict == CitizenVerdict.Verdict.NOT_RESOLVED:
        Reopening.objects.create(
            petition=petition,
            verdict=given,
            opened_on=today or timezone.localdate(),
            previous_resolved_on=petition.resolved_on,
        )
        petition.resolved_on = None  # open again until the leader decides
        petition._history_user = None
        petition.save(update_fields=["resolved_on", "updated_at"])
    return given


def check_area_leader(user: User, petition: Petition) -> None:
    if not acts_for_area(user, petition.area, Role.LEADER):
        raise ValidationError(NOT_AREA_LEADER)


@transaction.atomic
def reopening_decide(*, reopening: Reopening, by: User, status: str, explanation: str = "") -> Reopening:
    """The leader's decision on a reopened opinion. "Kept": the answer stands, with an
    explanation the citizen reads on the tracking page, and the opinion is resolved again on
    its earlier day (so the same answer cannot be judged twice). "Reassigned" is recorded by
    conclusions when it gives the new assignment (conclusions.services.reopening_reassign)."""
    reopening = Reopening.objects.select_for_update().select_related("petition__area").get(pk=reopening.pk)
    check_area_leader(by, reopening.petition)
    if reopening.status != Reopening.Status.PENDING:
        raise ValidationError(REOPENING_DECIDED)
    if status == Reopening.Status.KEPT and not explanation.strip():
        raise ValidationError({"explanation": EXPLANATION_REQUIRED})
    reopening.status, reopening.explanation = status, explanation.strip()
    reopening.decided_by, reopening.decided_on = by, timezone.localdate()
    reopening._history_user = by
    reopening.save()
    if status == Reopening.Status.KEPT:
        petition = Petition.objects.select_for_update().get(pk=reopening.petition_id)
        petition.resolved_on = reopening.previous_resolved_on
        petition._history_user = by
        petition.save(update_fields=["resolved_on", "updated_at"])
        announce(
            kind=CitizenEvent.CLOSED,
            petition_ids=[petition.pk],
            data={"reopening_id": reopening.pk, "explanation": reopening.explanation},
        )
    return reopening
