"""The register page (every number of the bodies in the user's scope, filtered, printable) and
the form a clerk records a number used outside the app with."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import role_required
from core.forms import show_service_error
from core.once import submit_once
from core.pagination import LargeListPaginator
from registers import services
from registers.forms import OutsideNumberForm, RegisterFilterForm, register_bodies
from registers.models import RegisterEntry

KEEPERS = (Role.CLERK, Role.LEADER)
PAGE_SIZE = 100


@role_required(*KEEPERS)
def register_list(request: HttpRequest) -> HttpResponse:
    bodies = register_bodies(request.user)
    form = RegisterFilterForm(request.GET or None, bodies=bodies)
    entries = RegisterEntry.objects.visible_to(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        entries, status = entries.none(), 400
    elif form.is_bound:
        entries = form.filter(entries)
    entries = entries.select_related("body", "content_type").order_by("-issued_on", "-number", "-pk")
    page = LargeListPaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    # The documents of the page: one query per kind of document (notices, petitions).
    page.object_list = list(page.object_list)
    prefetch_related_objects(page.object_list, "document")
    context = {"form": form, "page": page, "nav_active": "outgoing_register"}
    return render(request, "registers/register_list.html", context, status=status)


@role_required(*KEEPERS)
@submit_once
def outside_number_create(request: HttpRequest) -> HttpResponse:
    form = OutsideNumberForm(request.POST or None, bodies=register_bodies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.register_record_outside(by=request.user, **form.service_arguments())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Đã ghi số %(label)s vào sổ văn bản đi.") % {"label": entry.label})
            return redirect("registers:list")
    return render(
        request, "registers/outside_form.html", {"form": form, "nav_active": "outgoing_register"},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip
