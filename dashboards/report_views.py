"""The report pages (statistics, the periodic report to the Fatherland Front) and the export
pages (start a background export, watch its progress, download it from "my exports")."""

from __future__ import annotations

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.models import OrgUnit, Role
from accounts.permissions import role_required, staff_required
from core.bounds import validate_sensible_date
from core.exports import export_start, keep_days
from core.files import open_stored
from core.models import ExportJob
from dashboards import report_xlsx, services, summaries
from dashboards.metrics import Period
from dashboards.models import IssuedReport
from dashboards.report_pdf import Signature, periodic_pdf, statistics_pdf
from dashboards.reports import area_count, default_recipients, periodic_report, statistics_report
from dialogue.forms import DateInput
from registers.documents import file_name_of

# A workbook listing more areas than this is built in the background (a whole city or the
# country); a ward's or a district's is sent at once.
SYNC_MAX_AREAS = 300
EXPORTS_PAGE_SIZE = 20
REPORT_WRITERS = (Role.CLERK, Role.LEADER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PERIOD_REVERSED = gettext_lazy("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")


# --- forms ---------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """An area of the user's scope (chosen by type-ahead, sent as its id) and a period."""

    area = forms.IntegerField(label=gettext_lazy("Địa bàn"), widget=forms.HiddenInput)
    start = forms.DateField(
        validators=[validate_sensible_date], label=gettext_lazy("Từ ngày"), widget=DateInput()
    )
    end = forms.DateField(
        validators=[validate_sensible_date], label=gettext_lazy("Đến ngày"), widget=DateInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(PERIOD_REVERSED)
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def chosen_area(self) -> OrgUnit:
        """The area, looked up in the user's scope: outside it, 404."""
        return get_object_or_404(OrgUnit.objects.visible_to(self.user).areas(), pk=self.cleaned_data["area"])


class PeriodicReportForm(ReportForm):
    remaining_problems = forms.CharField(
        label=gettext_lazy("Tồn tại, hạn chế"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("Mỗi đoạn một dòng."),
    )
    proposals = forms.CharField(
        label=gettext_lazy("Đề xuất, kiến nghị"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("Mỗi đoạn một dòng."),
    )
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy(
            "Mỗi nơi nhận một dòng; để trống thì gửi Ban Thường trực Ủy ban MTTQ, Thường trực Đảng ủy và lưu."
        ),
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Chức danh người ký"), max_length=100, initial="CHỦ TỊCH"
    )
    signer_name = forms.CharField(label=gettext_lazy("Họ tên người ký"), max_length=150)

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["recipients"].splitlines() if line.strip()]


def _initial(user) -> dict:
    today = timezone.localdate()
    year = Period.year_of(today)
    return {"area": user.area.pk if user.area else None, "start": year.start, "end": year.end}


def _chosen_area(user, data) -> OrgUnit | None:
    """The chosen area, for the type-ahead box to show its name (the form sends only the id)."""
    try:
        pk = int(data.get("area"))
    except (TypeError, ValueError):
        return None
    return OrgUnit.objects.visible_to(user).areas().filter(pk=pk).only("pk", "name").first()


# --- statistics ----------------------------------------------------------------------------


@staff_required
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReportForm(request.GET or None, user=user, initial=_initial(user))
    report = None
    sync = True
    if form.is_bound and form.is_valid():
        area = form.chosen_area()
        today = timezone.localdate()
        report = statistics_report(
            user=user,
            area=area,
            period=form.period,
            today=today,
            # The page of a user who sees every opinion sums the meetings' opinions from the
            # summaries when they are fresh (and says so); the workbook and PDF count live.
            counted_at=summaries.meeting_counts_time(user, today),
        )
        sync = area_count(user, area) <= SYNC_MAX_AREAS
    return render(
        request,
        "dashboards/reports/statistics.html",
        {
            "form": form,
            "report": report,
            "sync_xlsx": sync,
            "chosen_area": _chosen_area(user, form.data or form.initial),
            "query": request.GET.urlencode(),
            "nav_active": "reports",
        },
    )


def _valid_report_form(request: HttpRequest) -> ReportForm:
    form = ReportForm(request.GET, user=request.user)
    if not form.is_valid():
        raise Http404  # these links come from the statistics page with a valid form
    return form


@require_GET
@staff_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    form = _valid_report_form(request)
    user, area, today = request.user, form.chosen_area(), timezone.localdate()
    if area_count(user, area) > SYNC_MAX_AREAS:
        messages.info(request, _("Địa bàn lớn: hãy dùng nút “Tạo tệp Excel” để tạo tệp ở chế độ nền."))
        return redirect(f"{reverse('dashboards:statistics')}?{request.GET.urlencode()}")
    report = statistics_report(user=user, area=area, period=form.period, today=today)
    buffer = io.BytesIO()
    report_xlsx.write_statistics(
        report, report_xlsx.area_detail_rows(user, area, form.period, today, report.meetings), buffer
    )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report_xlsx.statistics_filename(report)}"'
    return response


@require_GET
@staff_required
def statistics_pdf_view(request: HttpRequest) -> HttpResponse:
    form = _valid_report_form(request)
    report = statistics_report(
        user=request.user, area=form.chosen_area(), period=form.period, today=timezone.localdate()
    )
    response = HttpResponse(
        statistics_pdf(report, issuer=request.user.agency), content_type="application/pdf"
    )
    filename = report_xlsx.statistics_filename(report).replace(".xlsx", ".pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_POST
@staff_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404
    area = form.chosen_area()
    title = _("Thống kê tiếp xúc, đối thoại – %(area)s – %(start)s–%(end)s") % {
        "area": area.name,
        "start": f"{form.period.start:%d/%m/%Y}",
        "end": f"{form.period.end:%d/%m/%Y}",
    }
    return _start_export(
        request,
        exporter_function=report_xlsx.statistics_workbook,
        title=title,
        parameters=report_xlsx.statistics_parameters(area, form.period),
    )


# --- the periodic report -------------------------------------------------------------------


@role_required(*REPORT_WRITERS)
def periodic(request: HttpRequest) -> HttpResponse:
    """The report the heads send to the Fatherland Front: the user types the remaining
    problems and proposals, the numbers come from the records; the answer is the PDF."""
    user = request.user
    initial = {**_initial(user), "signer_name": user.get_full_name()}
    if user.area:
        initial["recipients"] = "\n".join(default_recipients(user.area))
    form = PeriodicReportForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        area = form.chosen_area()
        if "ban_hanh" in request.POST:  # the worker computes the figures of the issued report
            return _periodic_issue(request, form, area)
        report = periodic_report(
            user=user,
            area=area,
            period=form.period,
            today=timezone.localdate(),
            remaining_problems=form.cleaned_data["remaining_problems"],
            proposals=form.cleaned_data["proposals"],
            recipients=form.recipient_lines(),
        )
        signature = Signature(title=form.cleaned_data["signer_title"], name=form.cleaned_data["signer_name"])
        response = HttpResponse(periodic_pdf(report, signature=signature), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="bao-cao-doi-thoai-{form.period.start:%d%m%Y}-{form.period.end:%d%m%Y}.pdf"'
        )
        return response
    context = {
        "form": form,
        "chosen_area": _chosen_area(user, form.data or form.initial),
        "can_issue": user.has_role(Role.LEADER),
        "nav_active": "reports",
    }
    return render(request, "dashboards/reports/periodic_form.html", context)


def _periodic_issue(request: HttpRequest, form: PeriodicReportForm, area: OrgUnit) -> HttpResponse:
    """Issue the report (leaders: it goes out in the name of the People's Committee)."""
    if not request.user.has_role(Role.LEADER):
        raise PermissionDenied
    data = form.cleaned_data
    try:
        report = services.report_issue(
            by=request.user,
            area=area,
            start=form.period.start,
            end=form.period.end,
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            remaining_problems=data["remaining_problems"],
            proposals=data["proposals"],
            recipients=form.recipient_lines(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dashboards:periodic_report")
    messages.success(request, _("Đã ban hành báo cáo số %(label)s.") % {"label": report.register_entry.label})
    return redirect("dashboards:issued_report", pk=report.pk)


@role_required(*REPORT_WRITERS)
def issued_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued periodic report: its number, and its stored file's SHA-256, signatures and
    public check (or that the file is still being made)."""
    report = get_object_or_404(
        IssuedReport.objects.visible_to(request.user).select_related("area", "issuer", "register_entry"),
        pk=pk,
    )
    context = {"report": report, "issued": services.issued_report_document(report), "nav_active": "reports"}
    return render(request, "dashboards/reports/issued_report.html", context)


@role_required(*REPORT_WRITERS)
def issued_report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(
        IssuedReport.objects.visible_to(request.user).select_related("register_entry"), pk=pk
    )
    issued = services.issued_report_document(report)
    if issued is None or not issued.is_stored:
        raise Http404
    name = file_name_of(issued.entry, "bao-cao")
    return FileResponse(open_stored(issued.pdf), filename=name, content_type="application/pdf")


# --- exports -------------------------------------------------------------------------------


def _start_export(request: HttpRequest, **job) -> HttpResponse:
    """Start the job and show it; over the user's limit of jobs at once, say so on the list of
    their files (nothing is queued)."""
    try:
        started = export_start(user=request.user, **job)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return redirect("dashboards:exports")
    return redirect("dashboards:export", pk=started.pk)


def _start_list_export(request: HttpRequest, function, title: str) -> HttpResponse:
    """The list page posts here with its own query string: the file holds what the list shows."""
    return _start_export(
        request, exporter_function=function, title=title, parameters=report_xlsx.list_parameters(request.GET)
    )


@require_POST
@staff_required
def petitions_export(request: HttpRequest) -> HttpResponse:
    title = _("Danh sách ý kiến, kiến nghị – %(day)s") % {"day": f"{timezone.localdate():%d/%m/%Y}"}
    return _start_list_export(request, report_xlsx.petitions_workbook, title)


@require_POST
@staff_required
def assignments_export(request: HttpRequest) -> HttpResponse:
    title = _("Danh sách việc được giao – %(day)s") % {"day": f"{timezone.localdate():%d/%m/%Y}"}
    return _start_list_export(request, report_xlsx.assignments_workbook, title)


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    """Only the user who asked for a file sees it: anyone else gets 404."""
    return get_object_or_404(ExportJob.objects.owned_by(request.user), pk=pk)


@staff_required
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.owned_by(request.user).defer("parameters", "error")
    page = Paginator(jobs, EXPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/reports/export_list.html",
        {"page": page, "keep_days": keep_days(), "nav_active": "exports"},
    )


@staff_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "dashboards/reports/export_detail.html",
        {"job": _own_job(request, pk), "keep_days": keep_days(), "nav_active": "exports"},
    )


@require_GET
@staff_required
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx polls every second while the job runs; once it is finished the
    fragment comes back without its trigger, so the polling stops."""
    return render(request, "dashboards/reports/_export_progress.html", {"job": _own_job(request, pk)})


@require_GET
@staff_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if not job.is_downloadable:
        raise Http404
    return FileResponse(open_stored(job.file), as_attachment=True, filename=job.filename)
