"""Agencies and staff of an area from Excel (upload → preview → confirm, as the opinions'
import in petitions.import_views), the same workbook exported, the one-time password link, and
the page of what an area still lacks."""

import io
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts import readiness, services, staff_excel
from accounts.models import OrgUnit, Role
from accounts.permissions import role_required
from core.workbook import XLSX_CONTENT_TYPE, validate_xlsx_upload

PAYLOAD_SALT = "accounts.staff_import"
READINESS_PAGE_SIZE = 50
PAYLOAD_MAX_AGE = 60 * 60
PAYLOAD_REFUSED = _(
    "Dữ liệu xác nhận không hợp lệ hoặc đã quá 1 giờ. Không có gì được lưu; hãy tải tệp lên lại."
)
ALREADY_IMPORTED = _("Tệp này vừa được nhập rồi: không nhập lại lần thứ hai.")


class StaffUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Theo tệp mẫu: sheet “Cơ quan” và sheet “Cán bộ”; tối đa 2000 dòng, 5 MB."),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    send_email = forms.BooleanField(
        label=_("Gửi đường dẫn đặt mật khẩu qua e-mail cho tài khoản mới"),
        help_text=_("Bỏ chọn nếu đơn vị không dùng e-mail: các đường dẫn sẽ hiện để in và trao tận tay."),
        required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_xlsx_upload(upload)
        return upload


def _chosen_area(request: HttpRequest) -> OrgUnit | None:
    """The area in `?area=` (in the admin's scope, else 404), or the admin's own area."""
    raw = request.GET.get("area") or request.POST.get("area") or ""
    areas = OrgUnit.objects.visible_to(request.user).areas().select_related("parent")
    if raw:
        if not raw.isdigit():
            raise Http404
        return get_object_or_404(areas, pk=int(raw))
    return request.user.area


@role_required(Role.ADMIN)
def staff_import(request: HttpRequest) -> HttpResponse:
    area = _chosen_area(request)
    form = StaffUploadForm(request.POST, request.FILES) if request.method == "POST" else StaffUploadForm()
    if form.is_bound and form.is_valid():
        result = staff_excel.parse_staff_workbook(form.cleaned_data["file"], by=request.user)
        if not result.errors:
            return _preview(request, area, result, send_email=form.cleaned_data["send_email"])
        for error in result.errors:
            form.add_error("file", error)
    return render(request, "accounts/staff_import.html", {"area": area, "form": form, "nav_active": "users"})


def _preview(request, area, result: staff_excel.StaffImport, *, send_email: bool) -> HttpResponse:
    payload = ""
    if result.is_valid:
        payload = signing.dumps(
            {"u": request.user.pk, "k": secrets.token_urlsafe(16), "m": send_email, **result.payload()},
            salt=PAYLOAD_SALT,
            compress=True,
        )
    return render(
        request,
        "accounts/staff_preview.html",
        {
            "area": area,
            "result": result,
            "payload": payload,
            "body_headers": [header for _name, header, _width in staff_excel.BODY_COLUMNS],
            "person_headers": [header for _name, header, _width in staff_excel.PERSON_COLUMNS],
            "body_counts": staff_excel.counts(result.bodies),
            "person_counts": staff_excel.counts(result.people),
            "nav_active": "users",
        },
    )


def _rows(raw, width: int) -> list[tuple[int, list[str]]]:
    rows = []
    for number, cells in raw or []:
        if not isinstance(number, int) or len(cells) != width:
            raise ValueError("malformed row")
        rows.append((number, [str(cell) for cell in cells]))
    return rows


@role_required(Role.ADMIN)
@require_POST
def staff_import_confirm(request: HttpRequest) -> HttpResponse:
    area = _chosen_area(request)
    try:
        payload = signing.loads(request.POST.get("payload", ""), salt=PAYLOAD_SALT, max_age=PAYLOAD_MAX_AGE)
        if payload.get("u") != request.user.pk:
            raise ValueError("payload of another user")
        bodies = _rows(payload.get("bodies"), len(staff_excel.BODY_COLUMNS))
        people = _rows(payload.get("people"), len(staff_excel.PERSON_COLUMNS))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        messages.error(request, PAYLOAD_REFUSED)
        return redirect("accounts:staff_import")
    # Checked again: someone may have taken an e-mail or a unit may have moved since the preview.
    result = staff_excel.validate_staff_rows(bodies, people, by=request.user)
    send_email = bool(payload.get("m"))
    if not result.is_valid:
        return _preview(request, area, result, send_email=send_email)
    once_key = f"{PAYLOAD_SALT}:{payload['k']}"
    if not cache.add(once_key, True, timeout=PAYLOAD_MAX_AGE):
        messages.error(request, ALREADY_IMPORTED)
        return redirect("accounts:staff_import")
    try:
        outcome = services.staff_import(result=result, by=request.user, site_url=settings.SITE_URL)
    except ValidationError as error:
        cache.delete(once_key)
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:staff_import")
    if send_email:
        services.new_accounts_mail(accounts=outcome.new_accounts)
    # Rendered, not redirected: the links to print exist only in this response.
    return render(
        request, "accounts/staff_done.html", {"area": area, "outcome": outcome, "nav_active": "users"}
    )


@role_required(Role.ADMIN)
@require_GET
def staff_workbook(request: HttpRequest, area_pk: int) -> HttpResponse:
    area = get_object_or_404(OrgUnit.objects.visible_to(request.user).areas(), pk=area_pk)
    data = staff_excel.staff_workbook(area, by=request.user)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"can-bo-{area.code or area.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@role_required(Role.ADMIN)
def area_readiness(request: HttpRequest) -> HttpResponse:
    area = _chosen_area(request)
    missing = readiness.area_missing(area) if area else []
    # Below a city or province: the areas that still lack something, a page at a time.
    below = OrgUnit.objects.visible_to(request.user).areas().filter(valid_to__isnull=True)
    below = below.filter(parent=area) if area else below.filter(parent__isnull=True)
    page = Paginator(readiness.areas_missing(below).order_by("name"), READINESS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/readiness.html",
        {"area": area, "missing": missing, "below": page, "nav_active": "users"},
    )


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one-time link a new account gets: Django's reset-confirm, worded for a first password."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")


class PasswordSetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
