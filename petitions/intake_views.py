"""Petitions received outside conferences: written petitions (letters, online), citizen
reception sessions, and their handling (accept or decline, transfer with a slip, the final
answer), the printable receipt, attachments. Assigning and extending are in conclusions'
views (they create and move assignments)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.permissions import role_required, staff_required
from core.bounds import DOCUMENT_CHARS
from core.files import open_stored
from core.forms import show_service_error
from core.once import submit_once
from core.pdf import render_pdf
from dialogue.models import Conference
from petitions import ports, services
from petitions.decision import FILE_PREFIX as DECISION_FILE_PREFIX
from petitions.decision import stored_decision
from petitions.intake_forms import (
    AcceptForm,
    AnswerForm,
    DeadlineForm,
    DeclineForm,
    ReceptionForm,
    TransferForm,
    WrittenPetitionForm,
)
from petitions.models import Petition, PetitionAttachment, ReceptionSession, StatutoryExtension
from petitions.slip import FILE_PREFIX, stored_slip, transfer_slip_context
from registers.documents import file_name_of
from registers.models import IssuedDocument

EDITORS = (Role.CLERK, Role.LEADER)
PAGE_SIZE = 50
NO_AREA = _("Tài khoản của bạn chưa thuộc địa bàn nào nên chưa nhập đơn được.")


def _user_area(request: HttpRequest):
    area = request.user.area
    if area is None:
        raise PermissionDenied(NO_AREA)
    return area


# --- intake -------------------------------------------------------------------------------


def _reception_of(request: HttpRequest) -> ReceptionSession | None:
    """The reception session the letter form records for, when it was opened from one."""
    reception_pk = request.GET.get("reception") or request.POST.get("reception")
    if not reception_pk:
        return None
    return get_object_or_404(ReceptionSession.objects.editable_by(request.user), pk=reception_pk)


def _possible_duplicates(request: HttpRequest, data: services.WrittenPetitionData) -> list:
    """Earlier petitions of the same person about the same matter, among those the clerk sees."""
    return services.petition_possible_duplicates(
        candidates=Petition.objects.visible_to(request.user),
        by=request.user,
        where=request.path,
        content=data.content,
        id_number=data.petitioner_id_number,
        phone=data.petitioner_phone,
    )


@role_required(*EDITORS)
@submit_once
def written_create(request: HttpRequest) -> HttpResponse:
    """Log a letter (or what a citizen raised at a reception). Before saving, earlier
    petitions of the same person about the same matter are shown: the clerk saves it as new
    or merges it into one of them."""
    area = _user_area(request)
    reception = _reception_of(request)
    initial = {"channel": Petition.Channel.RECEPTION, "received_on": reception.held_on} if reception else None
    form = WrittenPetitionForm(request.POST or None, request.FILES or None, initial=initial)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        duplicates = _possible_duplicates(request, form.data_for_service())
        decided = "save_new" in request.POST or "merge_into" in request.POST
        if not duplicates or decided:
            petition = _create(request, form, area, reception, duplicates)
            if petition is not None:
                return redirect("petitions:handle", pk=petition.pk)
    return render(
        request,
        "petitions/written_form.html",
        {"form": form, "duplicates": duplicates, "reception": reception, "nav_active": "petitions"},
    )


def _typed(request: HttpRequest, field: str) -> str:
    """A field's value as typed, whatever its form prefix (fast entry's rows-3-content)."""
    for name, value in request.GET.items():
        if name == field or name.endswith(f"-{field}"):
            return value[:DOCUMENT_CHARS]
    return ""


@role_required(*EDITORS)
@require_GET
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """What the clerk is typing may repeat an earlier petition (htmx, debounced, from fast entry
    and the letter form): by identity number or phone (identity protection applies), and by
    content within the same area over recent months. A fragment, empty when nothing is found.
    The area is the conference's (fast entry; out of scope: 404) or the clerk's own."""
    if request.GET.get("conference"):
        conference = get_object_or_404(
            Conference.objects.editable_by(request.user).select_related("host_area"),
            pk=_positive_int(request.GET["conference"]),
        )
        area = conference.host_area
    else:
        area = _user_area(request)
    visible = Petition.objects.visible_to(request.user)
    same_person = services.petitions_of_same_person(
        candidates=visible,
        by=request.user,
        where=request.path,
        id_number=_typed(request, "petitioner_id_number"),
        phone=_typed(request, "petitioner_phone"),
    )
    shown = {petition.pk for petition in same_person}
    similar = [
        petition
        for petition in services.petitions_with_similar_content(
            candidates=visible, area=area, content=_typed(request, "content"), today=timezone.localdate()
        )
        if petition.pk not in shown
    ]
    return render(
        request,
        "petitions/_duplicate_check.html",
        {
            "same_person": [(p, p.petitioner_for(request.user)) for p in same_person],
            # Shown as services.petitioner_shown_to decides (a denouncer's name logged when shown).
            "similar": [
                (p, services.petitioner_shown_to(petition=p, user=request.user, where=request.path))
                for p in similar
            ],
        },
    )


def _positive_int(raw: str) -> int:
    """A path-like id from the query string; anything else is not found."""
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    return int(raw)


def _create(request, form, area, reception, duplicates) -> Petition | None:
    merge_into = None
    if request.POST.get("merge_into"):
        merge_into = next((p for p in duplicates if str(p.pk) == request.POST["merge_into"]), None)
        if merge_into is None:
            form.add_error(None, _("Đơn được chọn để gộp không còn trong danh sách trùng."))
            return None
    try:
        with transaction.atomic():
            petition = services.written_petition_create(
                area=area,
                by=request.user,
                data=form.data_for_service(),
                reception=reception,
                attachment=form.cleaned_data.get("attachment"),
            )
            if merge_into is not None:
                services.petition_merge(petition=petition, by=request.user, into=merge_into)
    except ValidationError as error:
        show_service_error(form, error)
        return None
    if merge_into is not None:
        messages.success(
            request, _("Đã lưu đơn và gộp vào đơn %(code)s.") % {"code": merge_into.tracking_code}
        )
    else:
        messages.success(
            request, _("Đã vào sổ đơn. Mã tra cứu: %(code)s.") % {"code": petition.tracking_code}
        )
    return petition


@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Sổ tiếp nhận đơn: written petitions of the user's scope, newest first, with their
    statutory deadlines. Never the petitioner's identity (a list)."""
    petitions = (
        Petition.objects.visible_to(request.user)
        .written()
        .select_related("area", "category")
        .order_by("-received_on", "-pk")
    )
    waiting = request.GET.get("cho") == "thu-ly"
    if waiting:
        petitions = petitions.awaiting_acceptance()
    page = Paginator(petitions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/register.html",
        {"page": page, "waiting": waiting, "today": timezone.localdate(), "nav_active": "petitions"},
    )


# --- handling -----------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Petition:
    return get_object_or_404(
        Petition.objects.visible_to(request.user).select_related("area", "category", "reception"), pk=pk
    )


def _editable(request: HttpRequest, pk: int) -> Petition:
    return get_object_or_404(
        Petition.objects.editable_by(request.user).select_related("area", "category"), pk=pk
    )


@staff_required
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    """A written petition's file: its deadlines, what was done, and (for clerks and leaders)
    the next steps: accept or decline, transfer, assign, record the answer."""
    petition = _visible(request, pk)
    can_edit = request.user.has_role(*EDITORS)
    pending = petition.is_pending
    return render(
        request,
        "petitions/handle.html",
        _handle_context(request, petition, can_edit, pending),
    )


def _awaits_answer(petition: Petition) -> bool:
    """Accepted, handled here, and no final answer recorded yet (accepted assignments may
    already have marked it resolved: the decision is still to be written down)."""
    return bool(
        petition.accepted_on
        and petition.outcome == Petition.Outcome.IN_AUTHORITY
        and not petition.final_answer
    )


def _step_forms(petition: Petition, can_edit: bool, pending: bool, open_work: bool, forms: dict) -> dict:
    """The forms of the next steps this user may take now (a form sent back with its errors
    wins): accept, decline or transfer while pending; record the answer once no work is open."""
    answering = can_edit and _awaits_answer(petition) and not open_work
    blank = {
        "accept_form": AcceptForm(initial={"complaint_round": petition.complaint_round}) if pending else None,
        "decline_form": DeclineForm() if pending else None,
        "transfer_form": TransferForm() if pending else None,
        "answer_form": AnswerForm(petition=petition) if answering else None,
    }
    if not can_edit:
        blank = dict.fromkeys(blank)
    return {name: forms.get(name) or form for name, form in blank.items()}


def _follow_up_context(request, petition: Petition, can_edit: bool) -> dict:
    """The work answering the petition (conclusions, asked through the port) and the links to
    give more or to extend its time."""
    follow_up = ports.follow_up()
    assignments = list(follow_up.assignments_of(petition))
    in_hand = bool(petition.accepted_on and petition.is_open)
    return {
        "assignments": assignments,
        "open_work": any(follow_up.is_open(assignment) for assignment in assignments),
        "can_assign": can_edit and in_hand and not petition.conference_id,
        "can_extend": petition.kind == Petition.Kind.DENUNCIATION
        and in_hand
        and request.user.has_role(Role.LEADER),
        "assign_url": follow_up.assign_url(petition),
        "extend_url": follow_up.extend_url(petition),
    }


def _extensions_with_decisions(petition: Petition) -> list[StatutoryExtension]:
    """The extensions, each with the decision the app issued for it (`issued`, or None for a
    decision made outside the app): two queries whatever their number."""
    extensions = list(petition.statutory_extensions.select_related("decided_by"))
    entries = [extension.decision_entry_id for extension in extensions if extension.decision_entry_id]
    issued = {document.entry_id: document for document in IssuedDocument.objects.filter(entry_id__in=entries)}
    for extension in extensions:
        extension.issued = issued.get(extension.decision_entry_id)
    return extensions


def _handle_context(request, petition, can_edit, pending, **forms) -> dict:
    follow_up = _follow_up_context(request, petition, can_edit)
    return {
        "petition": petition,
        "petitioner": services.petitioner_shown_to(
            petition=petition, user=request.user, where=request.get_full_path()
        ),
        "can_edit": can_edit,
        **_step_forms(petition, can_edit, pending, follow_up.pop("open_work"), forms),
        **follow_up,
        "extensions": _extensions_with_decisions(petition),
        "slip": stored_slip(petition) if petition.outcome == Petition.Outcome.TRANSFERRED else None,
        "attachments": petition.attachments.all(),
        "files_visible": petition.identity_visible_to(request.user) or not petition.is_confidential,
        "public_url": request.build_absolute_uri(ports.tracking_url()),
        "today": timezone.localdate(),
        "nav_active": "petitions",
    }


def _step(request, pk, form_class, action, success):
    """POST handlers of the handling page: validate, call one service, go back."""
    petition = _editable(request, pk)
    if not request.user.has_role(*EDITORS):
        raise PermissionDenied
    form = (
        form_class(request.POST, petition=petition) if form_class is AnswerForm else form_class(request.POST)
    )
    if form.is_valid():
        try:
            action(petition, form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("petitions:handle", pk=petition.pk)
    pending = petition.is_pending
    key = {AcceptForm: "accept_form", DeclineForm: "decline_form", TransferForm: "transfer_form"}.get(
        form_class, "answer_form"
    )
    context = _handle_context(request, petition, True, pending, **{key: form})
    return render(request, "petitions/handle.html", context, status=400)


@require_POST
@role_required(*EDITORS)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, AcceptForm,
        lambda petition, data: services.petition_accept(petition=petition, by=request.user, **data),
        _("Đã thụ lý; hạn giải quyết đã được tính và lưu."),
    )  # fmt: skip


@require_POST
@role_required(*EDITORS)
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, DeclineForm,
        lambda petition, data: services.petition_decline(petition=petition, by=request.user, **data),
        _("Đã ghi không thụ lý."),
    )  # fmt: skip


@require_POST
@role_required(*EDITORS)
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, TransferForm,
        lambda petition, data: services.petition_transfer(petition=petition, by=request.user, **data),
        _("Đã chuyển đơn. In phiếu chuyển đơn để gửi kèm."),
    )  # fmt: skip


@require_POST
@role_required(*EDITORS)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, AnswerForm,
        lambda petition, data: services.petition_record_answer(petition=petition, by=request.user, **data),
        _("Đã ghi kết quả giải quyết."),
    )  # fmt: skip


# --- documents ----------------------------------------------------------------------------


@role_required(*EDITORS)
def extension_decision(request: HttpRequest, pk: int, extension_pk: int) -> FileResponse:
    """The extension decision the app issued: its stored, signed file (issue 18)."""
    petition = _editable(request, pk)
    extension = get_object_or_404(petition.statutory_extensions, pk=extension_pk)
    issued = stored_decision(extension)
    if issued is None or not issued.is_stored:
        raise Http404
    name = file_name_of(issued.entry, DECISION_FILE_PREFIX)
    return FileResponse(open_stored(issued.pdf), filename=name, content_type="application/pdf")


@role_required(*EDITORS)
def transfer_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """Phiếu chuyển đơn, an official PDF addressed to the competent body. For a denunciation
    the identity appears only for those who may see it, and that display is logged."""
    petition = _editable(request, pk)
    if petition.outcome != Petition.Outcome.TRANSFERRED:
        raise Http404
    issued = stored_slip(petition)
    if issued is not None and issued.is_stored:
        # The issued slip: the stored, signed file, the same for everyone (issue 18).
        name = file_name_of(issued.entry, FILE_PREFIX)
        return FileResponse(open_stored(issued.pdf), filename=name, content_type="application/pdf")
    # A slip transferred before slips were stored (or whose file is still being made).
    petitioner = services.petitioner_name_shown_to(petition=petition, user=request.user, where=request.path)
    reveals = petition.identity_visible_to(request.user)
    context = {
        **transfer_slip_context(petition),
        "petitioner": petitioner,
        # The address once, in its own words; never a denouncer's to those who may not know it.
        "address": petition.petitioner_address if reveals else "",
    }
    response = HttpResponse(
        render_pdf("petitions/pdf/transfer_slip.html", context), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="phieu-chuyen-don-{petition.tracking_code}.pdf"'
    return response


@staff_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Giấy biên nhận: printable, with the tracking code and where to look it up."""
    petition = _visible(request, pk)
    return render(
        request,
        "petitions/receipt.html",
        {
            "petition": petition,
            "petitioner": services.petitioner_shown_to(
                petition=petition, user=request.user, where=request.path
            ),
            "public_url": request.build_absolute_uri(ports.tracking_url()),
            "nav_active": "petitions",
        },
    )


@staff_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        PetitionAttachment.objects.filter(
            petition__in=Petition.objects.visible_to(request.user)
        ).select_related("petition__area"),
        pk=pk,
    )
    petition = attachment.petition
    if petition.is_confidential:
        # A denunciation's letter names the denouncer: only for those who may see it, logged.
        if not petition.identity_visible_to(request.user):
            raise PermissionDenied
        services.petitioner_shown_to(petition=petition, user=request.user, where=request.path)
    return FileResponse(open_stored(attachment.file), as_attachment=True, filename=attachment.filename)


# --- citizen reception --------------------------------------------------------------------


@staff_required
def reception_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    sessions = (
        ReceptionSession.objects.visible_to(request.user)
        .select_related("area", "receiving_leader")
        .annotate(petition_count=Count("petitions"))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "petitions/reception_list.html", {"page": page, "nav_active": "petitions"})


@role_required(*EDITORS)
@submit_once
def reception_create(request: HttpRequest) -> HttpResponse:
    area = _user_area(request)
    form = ReceptionForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.reception_create(area=area, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request, _("Đã ghi buổi tiếp công dân. Tiếp theo: nhập đơn, ý kiến của từng người.")
            )
            return redirect("petitions:reception", pk=session.pk)
    return render(request, "petitions/reception_form.html", {"form": form, "nav_active": "petitions"})


@staff_required
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        ReceptionSession.objects.visible_to(request.user).select_related("area", "receiving_leader"), pk=pk
    )
    return render(
        request,
        "petitions/reception_detail.html",
        {
            "session": session,
            "petitions": session.petitions.select_related("category").order_by("pk"),
            "can_edit": request.user.has_role(*EDITORS),
            "nav_active": "petitions",
        },
    )


@staff_required
def deadline_calculator(request: HttpRequest) -> HttpResponse:
    """Tính thời hạn: the clerk picks a procedure and a start date and sees the deadline with
    how it was counted, by the functions that compute every stored deadline. It reads no row
    of any area (rules and the calendar are national), so no scope applies; any role may use it."""
    from petitions.deadlines import deadline_compute

    form = DeadlineForm(request.GET or None, initial={"start": timezone.localdate()})
    answer = None
    if form.is_bound and form.is_valid():
        try:
            rule, deadline = deadline_compute(form.question)
        except ValidationError as error:  # no version of the rule in force on that date
            form.add_error("start", error)
        else:
            answer = {"rule": rule, "deadline": deadline.on, "explanation": deadline.explanation()}
    return render(
        request,
        "petitions/deadline_calculator.html",
        {"form": form, "answer": answer, "nav_active": "register"},
    )
