from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required, staff_required
from conclusions import policies, services
from conclusions.filters import AssignmentFilter
from conclusions.forms import (
    AssignmentForm,
    DecisionForm,
    ExtensionForm,
    KeepAnswerForm,
    NoticeForm,
    ProgressForm,
    ReassignForm,
    ReportDoneFilesForm,
    ReturnForm,
    WithholdForm,
)
from conclusions.models import (
    AnswerFile,
    AnswerVersion,
    Assignment,
    ConclusionNotice,
    ExtensionRequest,
    ProgressUpdate,
    with_assignment_counts,
)
from core.files import open_stored
from core.forms import flash_error, flash_form_errors, show_service_error
from core.history import record_history
from core.once import submit_once
from core.pagination import LargeListPaginator
from dialogue.models import Conference
from petitions import services as petition_services
from petitions.intake_forms import ExtensionDecisionForm, PetitionAssignmentForm
from petitions.models import Petition, Reopening

EDITORS = (Role.CLERK, Role.LEADER)
PAGE_SIZE = 50


ISSUED_ALREADY = _("Thông báo đã được ban hành, số %(label)s.")


def _draft_or_403(notice: ConclusionNotice) -> None:
    if notice.is_issued:
        raise PermissionDenied(services.ALREADY_ISSUED)


# --- notices ----------------------------------------------------------------------------


@role_required(*EDITORS)
@submit_once
def notice_create(request: HttpRequest, conference_pk: int) -> HttpResponse:
    conference = get_object_or_404(
        Conference.objects.editable_by(request.user).select_related("host_area"), pk=conference_pk
    )
    if not conference.is_held:
        messages.error(request, _("Hội nghị chưa tổ chức: chưa thể dự thảo thông báo kết luận."))
        return redirect("dialogue:detail", pk=conference.pk)
    form = NoticeForm(request.POST or None, area=conference.host_area, conference=conference)
    if request.method == "POST" and form.is_valid():
        notice = services.notice_draft_create(
            by=request.user, conference=conference, **form.service_arguments()
        )
        messages.success(request, _("Đã lưu dự thảo. Tiếp theo: giao việc cho từng mục kết luận."))
        return redirect("conclusions:notice", pk=notice.pk)
    return render(
        request,
        "conclusions/notice_form.html",
        {"form": form, "conference": conference, "nav_active": "notices"},
    )


@role_required(*EDITORS)
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        ConclusionNotice.objects.editable_by(request.user).select_related("area"), pk=pk
    )
    _draft_or_403(notice)
    form = NoticeForm(request.POST or None, instance=notice, area=notice.area, conference=notice.conference)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_draft_update(notice=notice, by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("conclusions:notice", pk=notice.pk)
    return render(
        request,
        "conclusions/notice_form.html",
        {"form": form, "notice": notice, "conference": notice.conference, "nav_active": "notices"},
    )


@staff_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = ConclusionNotice.objects.visible_to(request.user).select_related(
        "issuing_body", "conference", "area"
    )
    status = request.GET.get("status")
    if status in ConclusionNotice.Status.values:
        notices = notices.filter(status=status)
    page = LargeListPaginator(notices.order_by("-issued_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = with_assignment_counts(list(page.object_list))
    return render(
        request, "conclusions/notice_list.html", {"page": page, "status": status, "nav_active": "notices"}
    )


@staff_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(
        ConclusionNotice.objects.visible_to(request.user).select_related(
            "issuing_body", "conference__host_area", "signer", "issued_by", "amends", "area"
        ),
        pk=pk,
    )
    assignments = (
        notice.assignments.select_related("lead_agency", "responsible_person", "item")
        .prefetch_related("coordinating_agencies", "petitions")
        .order_by("item__position", "pk")
    )
    can_edit = request.user.has_role(*EDITORS) and not notice.is_issued
    assignment_form = None
    if can_edit:
        assignment_form = AssignmentForm(notice=notice, open_petitions=services._open_petitions_of(notice))
    return render(
        request,
        "conclusions/notice_detail.html",
        {
            "notice": notice,
            "items": notice.items.all(),
            "assignments": assignments,
            "unhandled": services.notice_unhandled_opinions(notice) if not notice.is_issued else [],
            "can_edit": can_edit,
            "can_issue": not notice.is_issued and request.user.has_role(Role.LEADER),
            "assignment_form": assignment_form,
            "amendments": notice.amendments.all(),
            "after_notice": services.notice_later_opinions(notice) if notice.is_issued else [],
            "history": record_history(notice),
            "today": timezone.localdate(),
            "nav_active": "notices",
        },
    )


@require_POST
@role_required(*EDITORS)
@submit_once
def assignment_add(request: HttpRequest, notice_pk: int) -> HttpResponse:
    notice = get_object_or_404(
        ConclusionNotice.objects.editable_by(request.user).select_related("area", "conference"), pk=notice_pk
    )
    _draft_or_403(notice)
    form = AssignmentForm(request.POST, notice=notice, open_petitions=services._open_petitions_of(notice))
    if form.is_valid():
        try:
            services.assignment_add(notice=notice, by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã giao việc."))
            return redirect("conclusions:notice", pk=notice.pk)
    return render(
        request,
        "conclusions/assignment_form.html",
        {"form": form, "notice": notice, "nav_active": "notices"},
        status=400,
    )


@require_POST
@role_required(*EDITORS)
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        Assignment.objects.editable_by(request.user).select_related("notice"), pk=pk
    )
    if assignment.notice is None:
        raise PermissionDenied  # a written petition's assignment is not part of a draft
    _draft_or_403(assignment.notice)
    services.assignment_remove(assignment=assignment, by=request.user)
    messages.success(request, _("Đã bỏ việc khỏi dự thảo."))
    return redirect("conclusions:notice", pk=assignment.notice_id)


@require_POST
@role_required(Role.LEADER)
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(ConclusionNotice.objects.visible_to(request.user), pk=pk)
    try:
        notice = services.notice_issue(notice=notice, by=request.user)
    except ValidationError as error:
        if error.code == "issued":
            # A double click, or a second tab: the first submit issued it; the notice is what
            # the leader asked for, not an error.
            notice.refresh_from_db()
            messages.info(request, ISSUED_ALREADY % {"label": notice.number_label})
            return redirect("conclusions:notice", pk=notice.pk)
        flash_error(request, error)
    else:
        messages.success(request, _("Đã ban hành thông báo số %(label)s.") % {"label": notice.number_label})
    return redirect("conclusions:notice", pk=notice.pk)


@require_POST
@role_required(*EDITORS)
def notice_amend(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(ConclusionNotice.objects.editable_by(request.user), pk=pk)
    try:
        draft = services.notice_amend(notice=notice, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("conclusions:notice", pk=notice.pk)
    messages.success(request, _("Đã tạo dự thảo thông báo đính chính; thông báo cũ giữ nguyên."))
    return redirect("conclusions:notice", pk=draft.pk)


@staff_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued notice's stored PDF, or a draft's PDF rendered now and marked DỰ THẢO."""
    notice = get_object_or_404(
        ConclusionNotice.objects.visible_to(request.user).select_related("issuing_body"), pk=pk
    )
    if notice.is_issued:
        if not notice.pdf_sha256:
            messages.info(request, _("Tệp PDF đang được tạo. Hãy thử lại sau ít phút."))
            return redirect("conclusions:notice", pk=notice.pk)
        filename = f"thong-bao-{notice.number_label.replace('/', '-')}.pdf"
        return FileResponse(
            open_stored(notice.pdf), as_attachment=True, filename=filename, content_type="application/pdf"
        )
    from conclusions.pdf import render_notice_pdf

    response = HttpResponse(render_notice_pdf(notice, draft=True), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="du-thao-thong-bao-{notice.pk}.pdf"'
    return response


@staff_required
def notice_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as the browser shows and prints it: the PDF's own template and stylesheet
    (conclusions/pdf/notice.html, static/css/notice-pdf.css), so preview and PDF agree."""
    from conclusions.pdf import notice_context

    notice = get_object_or_404(
        ConclusionNotice.objects.visible_to(request.user).select_related(
            "issuing_body", "signer", "area", "amends"
        ),
        pk=pk,
    )
    context = {
        **notice_context(notice, draft=not notice.is_issued),
        "screen": True,
        "back_url": reverse("conclusions:notice", args=[notice.pk]),
        "pdf_url": reverse("conclusions:notice_pdf", args=[notice.pk]),
    }
    return render(request, "conclusions/pdf/notice.html", context)


# --- assignments ------------------------------------------------------------------------


# What a row of the assignment list shows (conclusions/assignment_list.html, with days overdue).
ASSIGNMENT_ROW_FIELDS = ("deadline", "status", "task", "lead_agency__name", "notice__number_label")


@staff_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """ "Việc được giao": a handler sees their agency's work, soonest deadline first; others
    see every assignment in their scope. Overdue days are computed from the deadline. The
    filters (conclusions.filters.AssignmentFilter) are those the dashboards' numbers link to."""
    user = request.user
    today = timezone.localdate()
    assignments = Assignment.objects.visible_to(user, for_page=True)
    mine = request.GET.get("mine", "1" if user.holds_role(Role.HANDLER) else "0") == "1"
    if mine and user.agency_id:
        assignments = assignments.of_user(user)
    data = request.GET.copy()
    if data.get("show") not in dict(AssignmentFilter.SHOW_CHOICES):
        data["show"] = "open"
    filterset = AssignmentFilter(data, queryset=assignments, user=user, today=today)
    assignments = filterset.qs if filterset.is_valid() else assignments.none()
    assignments = (
        assignments.select_related("lead_agency", "notice")
        .only(*ASSIGNMENT_ROW_FIELDS)
        .order_by("deadline", "pk")
    )
    page = LargeListPaginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(assignment, assignment.days_overdue(today)) for assignment in page]
    return render(
        request,
        "conclusions/assignment_list.html",
        {
            "page": page,
            "rows": rows,
            "mine": mine,
            "show": data["show"],
            "filter": filterset,
            "today": today,
            "nav_active": "assignments",
        },
    )


def _visible_assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related(
            "notice__issuing_body", "lead_agency", "responsible_person", "item", "area", "accepted_by"
        ),
        pk=pk,
    )


def _assignee_forms(user, assignment: Assignment, pending_extension: ExtensionRequest | None) -> dict:
    """The assignee's action cards, while the work is started: progress, report, extension."""
    working = (
        policies.is_assignee(user, assignment)
        and assignment.status in Assignment.WORKING_STATUSES
        and assignment.is_started
    )
    return {
        "progress_form": ProgressForm() if working else None,
        "report_form": ReportDoneFilesForm() if working else None,
        "extension_form": ExtensionForm() if working and not pending_extension else None,
    }


def _issuer_forms(user, assignment: Assignment) -> dict:
    """The issuing side's action cards: withhold a result file; review a reported answer."""
    is_issuer = policies.is_issuer_side(user, assignment)
    review = is_issuer and assignment.status == Assignment.Status.REPORTED_DONE
    return {
        "withhold_form": WithholdForm(prefix="withhold") if is_issuer else None,
        "review": review,
        "return_form": ReturnForm() if review else None,
    }


@staff_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible_assignment(request, pk)
    user = request.user
    pending_extension = assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).first()
    case_files = assignment.case_files_visible_to(user)
    updates = assignment.updates.select_related("author")
    if not case_files:  # a denunciation's case: a coordinating handler sees only what they wrote
        updates = updates.filter(author=user)
    return render(
        request,
        "conclusions/assignment_detail.html",
        {
            "assignment": assignment,
            "petitions": assignment.petitions.all(),
            "coordinating": assignment.coordinating_agencies.all(),
            "updates": updates,
            "case_files": case_files,
            "extensions": assignment.extensions.select_related("requested_by", "decided_by"),
            "pending_extension": pending_extension,
            "history": assignment.history.select_related("history_user").order_by("-history_date")[:20],
            "days_overdue": assignment.days_overdue(timezone.localdate()),
            # Every answer reported, side by side (a denunciation's case: for its handlers only).
            "versions": _answer_versions(assignment) if case_files else [],
            **_assignee_forms(user, assignment, pending_extension),
            **_issuer_forms(user, assignment),
            "decision_form": DecisionForm() if pending_extension and user.has_role(Role.LEADER) else None,
            "nav_active": "assignments",
        },
    )


def _answer_versions(assignment: Assignment) -> list[AnswerVersion]:
    return list(
        assignment.answer_versions.select_related("reported_by", "decided_by")
        .prefetch_related("files")
        .order_by("number")
    )


def _visible_answer_file(request: HttpRequest, pk: int) -> AnswerFile:
    answer_file = get_object_or_404(
        AnswerFile.objects.filter(
            version__assignment__in=Assignment.objects.visible_to(request.user)
        ).select_related("version__assignment"),
        pk=pk,
    )
    if not answer_file.version.assignment.case_files_visible_to(request.user):
        raise PermissionDenied
    return answer_file


@staff_required
def answer_file_download(request: HttpRequest, pk: int) -> FileResponse:
    """A result file of an answer version, for the staff who see the assignment's case files."""
    answer_file = _visible_answer_file(request, pk)
    services.case_files_downloaded(
        assignment=answer_file.version.assignment, user=request.user, where=request.path
    )
    return FileResponse(open_stored(answer_file.file), as_attachment=True, filename=answer_file.filename)


@require_POST
@role_required(*EDITORS)
def answer_file_withhold(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk keeps a publishable result file off the public page, with a reason."""
    answer_file = _visible_answer_file(request, pk)
    form = WithholdForm(request.POST, prefix="withhold")
    if form.is_valid():
        try:
            services.answer_file_withhold(answer_file=answer_file, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, _("Đã ghi: tệp này không công khai."))
    else:
        flash_form_errors(request, form)
    return redirect("conclusions:assignment", pk=answer_file.version.assignment_id)


@staff_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file. A denunciation's case files are for those who may see the denouncer
    (or the file's author); each such download is logged like a display of the identity."""
    update = get_object_or_404(
        ProgressUpdate.objects.filter(assignment__in=Assignment.objects.visible_to(request.user))
        .exclude(evidence="")
        .select_related("assignment"),
        pk=pk,
    )
    assignment = update.assignment
    if update.author_id != request.user.pk and not assignment.case_files_visible_to(request.user):
        raise PermissionDenied
    services.case_files_downloaded(assignment=assignment, user=request.user, where=request.path)
    return FileResponse(open_stored(update.evidence), as_attachment=True, filename=update.evidence_filename)


def _action_data(form):
    """What an action is given: the files form itself (its service_data() reads the uploads),
    else the cleaned fields (none without a form)."""
    if isinstance(form, ReportDoneFilesForm):
        return form
    return form.cleaned_data if form is not None else {}


def _assignment_action(request, pk, form_class, action, success):
    """POST handlers of the assignment page: validate, call one service, go back."""
    assignment = _visible_assignment(request, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        flash_form_errors(request, form)
        return redirect("conclusions:assignment", pk=pk)
    try:
        action(assignment, _action_data(form))
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, success)
    return redirect("conclusions:assignment", pk=pk)


@require_POST
@staff_required
@submit_once
def assignment_progress(request, pk):
    return _assignment_action(
        request, pk, ProgressForm,
        lambda a, data: services.assignment_progress(assignment=a, by=request.user, **data),
        _("Đã ghi tiến độ."),
    )  # fmt: skip


@require_POST
@staff_required
@submit_once
def assignment_report(request, pk):
    return _assignment_action(
        request, pk, ReportDoneFilesForm,
        lambda a, form: services.assignment_report_done(assignment=a, by=request.user, **form.service_data()),
        _("Đã báo cáo hoàn thành; chờ nơi giao việc nghiệm thu."),
    )  # fmt: skip


@require_POST
@role_required(*EDITORS)
def assignment_accept(request, pk):
    return _assignment_action(
        request, pk, None,
        lambda a, data: services.assignment_accept(assignment=a, by=request.user),
        _("Đã nghiệm thu."),
    )  # fmt: skip


@require_POST
@role_required(*EDITORS)
def assignment_return(request, pk):
    return _assignment_action(
        request, pk, ReturnForm,
        lambda a, data: services.assignment_return(assignment=a, by=request.user, **data),
        _("Đã trả lại để làm tiếp."),
    )  # fmt: skip


@require_POST
@staff_required
@submit_once
def extension_request(request, pk):
    return _assignment_action(
        request, pk, ExtensionForm,
        lambda a, data: services.extension_request(assignment=a, by=request.user, **data),
        _("Đã gửi đề nghị gia hạn."),
    )  # fmt: skip


@require_POST
@role_required(Role.LEADER)
def extension_decide(request, pk):
    def decide(assignment, data):
        pending = get_object_or_404(assignment.extensions, status=ExtensionRequest.Status.PENDING)
        services.extension_decide(
            request=pending, by=request.user, approve=data["approve"], note=data["note"]
        )

    return _assignment_action(request, pk, DecisionForm, decide, _("Đã quyết định gia hạn."))


# --- written petitions: assignment and statutory extension ------------------------------


def _petition_for_editing(request: HttpRequest, petition_pk: int) -> Petition:
    return get_object_or_404(
        Petition.objects.editable_by(request.user).select_related("area", "category"), pk=petition_pk
    )


@role_required(*EDITORS)
@submit_once
def petition_assign(request: HttpRequest, petition_pk: int) -> HttpResponse:
    """Give an accepted written petition to an agency: an assignment without a notice, in the
    same inbox and workflow as a notice's."""
    petition = _petition_for_editing(request, petition_pk)
    form = PetitionAssignmentForm(request.POST or None, petition=petition)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.petition_assignment_add(
                petition=petition, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã giao việc giải quyết đơn."))
            return redirect("conclusions:assignment", pk=assignment.pk)
    return render(
        request,
        "conclusions/petition_assign.html",
        {"form": form, "petition": petition, "nav_active": "petitions"},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.LEADER)
def petition_extend(request: HttpRequest, petition_pk: int) -> HttpResponse:
    """Gia hạn giải quyết tố cáo: a leader's written decision with a reason."""
    petition = _petition_for_editing(request, petition_pk)
    form = ExtensionDecisionForm(request.POST or None, petition=petition)
    if request.method == "POST" and form.is_valid():
        try:
            extension = petition_services.petition_extend_resolution(
                petition=petition, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Đã gia hạn giải quyết đến %(day)s.") % {"day": f"{extension.new_deadline:%d/%m/%Y}"},
            )
            return redirect("petitions:handle", pk=petition.pk)
    return render(
        request,
        "conclusions/petition_extend.html",
        {"form": form, "petition": petition, "nav_active": "petitions"},
        status=400 if request.method == "POST" else 200,
    )


# --- reopened opinions (a citizen said "not resolved") ---------------------------------------


@staff_required
def reopening_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A reopened opinion: the citizen's verdict, the official answers and their versions'
    history, and the leader's decision (give the work again, or keep the answer and explain)."""
    reopening = get_object_or_404(
        Reopening.objects.visible_to(request.user).select_related(
            "petition__area", "petition__category", "verdict", "decided_by"
        ),
        pk=pk,
    )
    petition = reopening.petition
    decides = request.user.has_role(Role.LEADER) and reopening.status == Reopening.Status.PENDING
    keep_form = KeepAnswerForm(request.POST if request.POST.get("decision") == "keep" else None)
    reassign_form = ReassignForm(
        request.POST if request.POST.get("decision") == "reassign" else None, petition=petition
    )
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        done = _decide_reopening(request, reopening, keep_form, reassign_form)
        if done:
            return done
    return render(
        request,
        "conclusions/reopening.html",
        {
            "reopening": reopening,
            "petition": petition,
            "answers": _answers_with_assignments(petition),
            "decides": decides,
            "keep_form": keep_form,
            "reassign_form": reassign_form,
            "nav_active": "petitions",
        },
        status=400 if request.method == "POST" else 200,
    )


def _answers_with_assignments(petition: Petition) -> list[AnswerVersion]:
    return list(
        AnswerVersion.objects.filter(
            status=AnswerVersion.Status.ACCEPTED,
            assignment__in=Assignment.objects.filter(petitions=petition).values("pk"),
        )
        .select_related("assignment__lead_agency")
        .order_by("decided_at")
    )


def _decide_reopening(request, reopening, keep_form, reassign_form):
    decision = request.POST.get("decision")
    try:
        if decision == "keep" and keep_form.is_valid():
            petition_services.reopening_decide(
                reopening=reopening,
                by=request.user,
                status=Reopening.Status.KEPT,
                explanation=keep_form.cleaned_data["explanation"],
            )
            messages.success(request, _("Đã giữ nguyên kết quả; người dân xem được lời giải thích."))
            return redirect("conclusions:reopening", pk=reopening.pk)
        if decision == "reassign" and reassign_form.is_valid():
            assignment = services.reopening_reassign(
                reopening=reopening, by=request.user, **reassign_form.cleaned_data
            )
            messages.success(request, _("Đã giao giải quyết lại."))
            return redirect("conclusions:assignment", pk=assignment.pk)
    except ValidationError as error:
        show_service_error(keep_form if decision == "keep" else reassign_form, error)
    return None
