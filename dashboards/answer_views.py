"""The supervision board of answers and verdicts, and the list behind each of its numbers."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role
from accounts.permissions import role_required
from dashboards import answers
from petitions.models import CitizenVerdict, Reopening

BOARD_ROLES = (Role.LEADER, Role.CLERK, Role.MONITOR)
PAGE_SIZE = 50
PENDING_SHOWN = 20


class AnswerListFilter(forms.Form):
    agency = forms.IntegerField(required=False, min_value=1)
    area = forms.IntegerField(required=False, min_value=1)
    verdict = forms.ChoiceField(required=False, choices=[("", ""), *CitizenVerdict.Verdict.choices])
    reopening = forms.ChoiceField(required=False, choices=[("", ""), *Reopening.Status.choices])


@role_required(*BOARD_ROLES)
def answers_board(request: HttpRequest) -> HttpResponse:
    user = request.user
    pending = (
        Reopening.objects.visible_to(user)
        .pending()
        .select_related("petition__area", "verdict")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "dashboards/answers_board.html",
        {
            "by_agency": answers.by_agency(user),
            "by_area": answers.by_area(user),
            "pending": list(pending[:PENDING_SHOWN]),
            "nav_active": "boards",
        },
    )


@role_required(*BOARD_ROLES)
def answer_list(request: HttpRequest) -> HttpResponse:
    """The answered opinions a number of the board counts. An agency or area out of the
    user's scope is not found."""
    user = request.user
    form = AnswerListFilter(request.GET)
    if not form.is_valid():
        return render(request, "400.html", {"form": form}, status=400)
    data = form.cleaned_data
    agency = (
        get_object_or_404(OrgUnit.objects.visible_to(user), pk=data["agency"]) if data["agency"] else None
    )
    area = get_object_or_404(OrgUnit.objects.visible_to(user), pk=data["area"]) if data["area"] else None
    opinions = (
        answers.filtered_opinions(
            user, agency=agency, area=area, verdict=data["verdict"], reopening=data["reopening"]
        )
        .select_related("area", "category")
        .prefetch_related(
            Prefetch(
                "verdicts", queryset=CitizenVerdict.objects.order_by("created_at"), to_attr="verdict_list"
            ),
            Prefetch(
                "reopenings", queryset=Reopening.objects.order_by("created_at"), to_attr="reopening_list"
            ),
        )
        .order_by("-resolved_on", "-pk")
    )
    page = Paginator(opinions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboards/answer_list.html",
        {
            "page": page,
            "agency": agency,
            "area": area,
            "verdict": dict(CitizenVerdict.Verdict.choices).get(data["verdict"], ""),
            "reopening": dict(Reopening.Status.choices).get(data["reopening"], ""),
            "title": _("Ý kiến đã có trả lời chính thức"),
            "nav_active": "boards",
        },
    )
