"""Excel template, import (upload → preview → confirm) and export of a conference's opinions.

The rows read on upload travel to the confirmation signed, in a hidden field, so nothing is
kept on the server between the two steps; they are checked again before being saved.
"""

import io
import secrets

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.permissions import role_required, staff_required
from core.cache import CacheUnavailableError
from core.workbook import FILE_NOT_XLSX, FILE_TOO_LARGE, XLSX_CONTENT_TYPE, validate_xlsx_upload  # noqa: F401
from dialogue.models import Conference
from petitions import excel, services
from petitions.views import warn_if_after_notice

EDITORS = (Role.CLERK, Role.LEADER)
IMPORT_MAX_BYTES = 5 * 1024 * 1024
PAYLOAD_SALT = "petitions.import"
PAYLOAD_MAX_AGE = 60 * 60

PAYLOAD_REFUSED = _(
    "Dữ liệu xác nhận không hợp lệ hoặc đã quá 1 giờ. Không có ý kiến nào được lưu; hãy tải tệp lên lại."
)
ALREADY_IMPORTED = _("Tệp này vừa được nhập rồi: không nhập lại lần thứ hai.")
# The once-only mark lives in the cache: without it a double click could import twice, so
# the import waits for the cache to come back (core/cache.py).
IMPORT_UNAVAILABLE = _(
    "Tạm thời chưa nhập được (hệ thống bộ nhớ đệm không phản hồi). Hãy thử lại sau ít phút."
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Theo tệp mẫu; tối đa 1000 dòng, 5 MB."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload, limit=IMPORT_MAX_BYTES)
        return upload


def _editable_conference(request: HttpRequest, conference_pk: int) -> Conference:
    return get_object_or_404(
        Conference.objects.editable_by(request.user).select_related("host_area"), pk=conference_pk
    )


def _xlsx_response(data: bytes, filename: str) -> FileResponse:
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@role_required(*EDITORS)
@require_GET
def petition_import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(excel.template_workbook(), "mau-nhap-y-kien.xlsx")


@role_required(*EDITORS)
def petition_import(request: HttpRequest, conference_pk: int) -> HttpResponse:
    conference = _editable_conference(request, conference_pk)
    if not conference.is_open_for_entry:
        messages.error(request, services.ENTRY_CLOSED)
        return redirect("dialogue:detail", pk=conference.pk)
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        result = excel.parse_workbook(form.cleaned_data["file"])
        if not result.errors:
            return _preview(request, conference, result)
        for error in result.errors:
            form.add_error("file", error)
    return render(
        request,
        "petitions/import_upload.html",
        {
            "conference": conference,
            "form": form,
            "issued_notice": services.conference_notice_issued(conference=conference),
            "nav_active": "conferences",
        },
    )


def _preview(request: HttpRequest, conference: Conference, result: excel.ImportResult) -> HttpResponse:
    payload = ""
    if result.is_valid:
        # Bound to this conference and user, and to a one-time key against a double submit.
        payload = signing.dumps(
            {
                "c": conference.pk,
                "u": request.user.pk,
                "k": secrets.token_urlsafe(16),
                "rows": result.payload_rows(),
            },
            salt=PAYLOAD_SALT,
            compress=True,
        )
    return render(
        request,
        "petitions/import_preview.html",
        {
            "conference": conference,
            "result": result,
            "headers": [column.header for column in excel.COLUMNS],
            "payload": payload,
            "issued_notice": services.conference_notice_issued(conference=conference),
            "nav_active": "conferences",
        },
    )


def _payload_rows(request: HttpRequest, conference: Conference) -> tuple[str, list[tuple[int, list[str]]]]:
    """The one-time key and the rows of a signed payload; ValueError if it is not ours."""
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature as error:  # tampered, or older than an hour
        raise ValueError("bad payload") from error
    if (
        not isinstance(payload, dict)
        or payload.get("c") != conference.pk
        or payload.get("u") != request.user.pk
    ):
        raise ValueError("payload of another conference or user")
    rows = [_payload_row(number, cells) for number, cells in payload.get("rows") or []]
    if not rows:
        raise ValueError("no rows")
    return str(payload["k"]), rows


def _payload_row(number, cells) -> tuple[int, list[str]]:
    if not isinstance(number, int) or len(cells) != len(excel.COLUMNS):
        raise ValueError("malformed row")
    return number, [str(cell) for cell in cells]


@role_required(*EDITORS)
@require_POST
def petition_import_confirm(request: HttpRequest, conference_pk: int) -> HttpResponse:
    conference = _editable_conference(request, conference_pk)
    try:
        key, rows = _payload_rows(request, conference)
    except (ValueError, TypeError, KeyError):
        messages.error(request, PAYLOAD_REFUSED)
        return redirect("petitions:import", conference_pk=conference.pk)
    # Checked again: a category may have been retired since the preview.
    result = excel.validate_rows(rows)
    if not result.is_valid:
        return _preview(request, conference, result)
    once_key = f"{PAYLOAD_SALT}:{key}"
    try:
        first_time = cache.add(once_key, True, timeout=PAYLOAD_MAX_AGE)
    except CacheUnavailableError:
        messages.error(request, IMPORT_UNAVAILABLE)
        return _preview(request, conference, result)
    if not first_time:
        messages.error(request, ALREADY_IMPORTED)
        return redirect("dialogue:detail", pk=conference.pk)
    try:
        saved = services.petitions_add_to_conference(
            conference=conference, by=request.user, drafts=result.drafts()
        )
    except ValidationError as error:
        cache.delete(once_key)
        messages.error(request, " ".join(error.messages))
        return redirect("petitions:import", conference_pk=conference.pk)
    messages.success(
        request,
        ngettext(
            "Đã nhập %(count)d ý kiến từ tệp Excel.", "Đã nhập %(count)d ý kiến từ tệp Excel.", len(saved)
        )
        % {"count": len(saved)},
    )
    warn_if_after_notice(request, conference, saved)
    return redirect("dialogue:detail", pk=conference.pk)


@staff_required
@require_GET
def petition_export(request: HttpRequest, conference_pk: int) -> HttpResponse:
    conference = get_object_or_404(
        Conference.objects.visible_to(request.user).select_related("host_area"), pk=conference_pk
    )
    petitions = conference.petitions.select_related("category").order_by("position", "pk")
    return _xlsx_response(
        excel.export_workbook(conference, petitions), f"y-kien-hoi-nghi-{conference.pk}.xlsx"
    )
