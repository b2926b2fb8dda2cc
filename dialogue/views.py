from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.models import OrgUnit, Role
from accounts.permissions import role_required, staff_required
from core.files import open_stored
from core.forms import show_service_error
from core.history import record_history
from core.once import submit_once
from core.pagination import CountWords, filtered_listing
from dialogue import ports, services
from dialogue.forms import AttachmentForm, CancelForm, ConferenceFilter, ConferenceForm, HoldForm
from dialogue.models import Conference, ConferenceAttachment
from dialogue.panels import conference_panels

PAGE_SIZE = 25
EDITORS = (Role.CLERK, Role.LEADER)
# What a row of the conference list shows (dialogue/conference_list.html).
LIST_ROW_FIELDS = (
    "starts_at",
    "title",
    "kind",
    "meeting_type",
    "status",
    "host_area__name",
    "basis__short_name",
)
CONFERENCE_COUNT = CountWords(
    exact=ngettext_lazy("%(count)s hội nghị", "%(count)s hội nghị", "n"),
    more_than=ngettext_lazy("Hơn %(count)s hội nghị", "Hơn %(count)s hội nghị", "n"),
    about=ngettext_lazy("Khoảng %(count)s hội nghị", "Khoảng %(count)s hội nghị", "n"),
)


def _editable_conference(request: HttpRequest, pk: int) -> Conference:
    return get_object_or_404(Conference.objects.editable_by(request.user), pk=pk)


def _attach_petition_counts(conferences) -> None:
    """Opinion counts for one page of conferences, in one grouped query. Annotating the whole
    filtered queryset instead would make the paginator's COUNT join every opinion in scope."""
    conferences = list(conferences)
    counts = ports.opinions().counts_by_conference([conference.pk for conference in conferences])
    for conference in conferences:
        conference.petition_count = counts.get(conference.pk, 0)


@staff_required
@vary_on_headers("HX-Request")  # the page, or its count line for htmx (ListPagination)
def conference_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset, listing = filtered_listing(
        request,
        ConferenceFilter,
        Conference.objects.visible_to(user),
        rows=lambda conferences: conferences.select_related("host_area", "basis").only(*LIST_ROW_FIELDS),
        ordering=("-starts_at", "-pk"),
        per_page=PAGE_SIZE,
        words=CONFERENCE_COUNT,
    )
    valid = filterset.is_valid()  # False when unbound (no filter given)
    if listing.is_count_request:
        return listing.count_response()
    page = listing.page
    _attach_petition_counts(page.object_list)
    year = (
        int(filterset.form.cleaned_data.get("year") or timezone.localdate().year)
        if valid
        else timezone.localdate().year
    )
    compliance = services.compliance_summary_for(user, year=year)
    return render(
        request,
        "dialogue/conference_list.html",
        {
            "page": page,
            "listing": listing,
            "filter": filterset,
            "compliance_year": year,
            "compliance_lacking": compliance.lacking,
            "compliance_met": compliance.met,
            "compliance_total": compliance.total,
            "can_create": user.has_role(*EDITORS),
            "nav_active": "conferences",
        },
    )


NOTICE_TOO_SHORT = gettext_lazy(
    "Hội nghị diễn ra sau chưa đủ %(days)s ngày: Nhân dân cần được thông báo trước về hội nghị đối "
    "thoại (Luật Tổ chức chính quyền địa phương 2025; số ngày theo căn cứ “%(basis)s”). "
    "Hãy niêm yết, thông báo ngay hoặc dời ngày."
)


def _warn_if_notice_is_short(request: HttpRequest, conference) -> None:
    """A warning, not a refusal: an urgent dialogue may still be held."""
    if conference.notice_days_short(timezone.localdate()):
        messages.warning(
            request,
            NOTICE_TOO_SHORT
            % {"days": conference.basis.advance_notice_days, "basis": conference.basis.short_name},
        )


@role_required(*EDITORS)
@submit_once
def conference_create(request: HttpRequest) -> HttpResponse:
    # "?type=voter_meeting" (the list's "Tiếp xúc cử tri" button) opens the form for a voter meeting.
    form = ConferenceForm(request.POST or None, user=request.user, meeting_type=request.GET.get("type"))
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_plan(by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error, _FORM_FIELD_OF)
        else:
            messages.success(request, _("Đã lên kế hoạch hội nghị. Có thể in thông báo tổ chức để niêm yết."))
            _warn_if_notice_is_short(request, conference)
            return redirect("dialogue:detail", pk=conference.pk)
    return render(request, "dialogue/conference_form.html", {"form": form, "nav_active": "conferences"})


# The service's field names that the form shows under another field.
_FORM_FIELD_OF = {
    "starts_at": "starts_on",
    "chairs": "chairs_text",
    "full_name": "chairs_text",
    "title": "title",
}


@role_required(*EDITORS)
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _editable_conference(request, pk)
    form = ConferenceForm(request.POST or None, instance=conference, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_update(conference=conference, by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error, _FORM_FIELD_OF)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            _warn_if_notice_is_short(request, conference)
            return redirect("dialogue:detail", pk=conference.pk)
    return render(
        request,
        "dialogue/conference_form.html",
        {"form": form, "conference": conference, "nav_active": "conferences"},
    )


@staff_required
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference = get_object_or_404(
        Conference.objects.visible_to(request.user).select_related("host_area", "basis", "created_by"), pk=pk
    )
    can_edit = request.user.has_role(*EDITORS) and conference.status not in (
        Conference.Status.CLOSED,
        Conference.Status.CANCELLED,
    )
    return render(
        request,
        "dialogue/conference_detail.html",
        {
            "conference": conference,
            "chairs": conference.chairs.all(),
            "attachments": conference.attachments.all(),
            "panels": conference_panels.render(request, conference),
            "can_edit": can_edit,
            "attachment_form": AttachmentForm() if can_edit else None,
            "history": record_history(conference),
            "nav_active": "conferences",
        },
    )


@role_required(*EDITORS)
def conference_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a planned conference held, or correct the minutes of one already held."""
    conference = _editable_conference(request, pk)
    initial = {
        "participant_count": conference.participant_count,
        "minutes": conference.minutes,
        "report_summary": conference.report_summary,
    }
    form = HoldForm(request.POST or None, initial=initial, conference=conference)
    if request.method == "POST" and form.is_valid():
        action = (
            services.conference_hold
            if conference.status == Conference.Status.PLANNED
            else services.conference_record_minutes
        )
        try:
            action(conference=conference, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error, field_of=HoldForm.FIELD_OF)
        else:
            messages.success(request, _("Đã ghi biên bản hội nghị. Tiếp theo: nhập các ý kiến của Nhân dân."))
            return redirect("dialogue:detail", pk=conference.pk)
    return render(
        request,
        "dialogue/conference_hold.html",
        {"form": form, "conference": conference, "nav_active": "conferences"},
    )


@role_required(*EDITORS)
def conference_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _editable_conference(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_cancel(
                conference=conference, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã hủy hội nghị."))
            return redirect("dialogue:detail", pk=conference.pk)
    return render(
        request,
        "dialogue/conference_cancel.html",
        {"form": form, "conference": conference, "nav_active": "conferences"},
    )


@require_POST
@role_required(*EDITORS)
@submit_once
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _editable_conference(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.conference_attach(conference=conference, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("file", error)
    if form.errors:
        for error in form.errors.get("file", []) + form.non_field_errors():
            messages.error(request, error)
    else:
        messages.success(request, _("Đã đính kèm tệp."))
    return redirect("dialogue:detail", pk=conference.pk)


@staff_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(
        ConferenceAttachment.objects.filter(conference__in=Conference.objects.visible_to(request.user)), pk=pk
    )
    return FileResponse(open_stored(attachment.file), as_attachment=True, filename=attachment.filename)


@staff_required
def conference_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The public notice of the conference, printed and posted at the ward office and the
    residential groups' notice boards."""
    conference = get_object_or_404(
        Conference.objects.visible_to(request.user).select_related("host_area", "basis"), pk=pk
    )
    organiser = OrgUnit.objects.filter(parent=conference.host_area, kind=OrgUnit.Kind.PARTY_COMMITTEE).first()
    return render(
        request,
        "dialogue/conference_notice.html",
        {"conference": conference, "chairs": conference.chairs.all(), "organiser": organiser},
    )
