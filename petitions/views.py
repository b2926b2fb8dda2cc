from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.vary import vary_on_headers

from accounts.models import Role
from accounts.permissions import role_required, staff_required
from core.forms import show_service_error
from core.once import submit_once
from core.pagination import CountWords, filtered_listing
from dialogue.models import Conference
from petitions import ports, services
from petitions.forms import OutcomeForm, PetitionFilter, PetitionRowFormSet
from petitions.models import Petition

PAGE_SIZE = 50
EDITORS = (Role.CLERK, Role.LEADER)
# What a row of the opinion list shows (petitions/petition_list.html): 50 rows of every column
# and of four joined tables cost more to read and build than the rest of the page.
LIST_ROW_FIELDS = (
    "received_on",
    "content",
    "kind",
    "outcome",
    "petitioner_type",
    "petitioner_name",
    "petitioner_address",
    "category__name",
    "area__name",
    "conference__title",
)
PETITION_COUNT = CountWords(
    exact=ngettext_lazy("%(count)s ý kiến", "%(count)s ý kiến", "n"),
    more_than=ngettext_lazy("Hơn %(count)s ý kiến", "Hơn %(count)s ý kiến", "n"),
    about=ngettext_lazy("Khoảng %(count)s ý kiến", "Khoảng %(count)s ý kiến", "n"),
)


@role_required(*EDITORS)
@submit_once
def petition_entry(request: HttpRequest, conference_pk: int) -> HttpResponse:
    """Fast entry: many opinions of one conference on one page, typed with the keyboard
    (Enter adds a row), saved together or not at all."""
    conference = get_object_or_404(
        Conference.objects.editable_by(request.user).select_related("host_area"), pk=conference_pk
    )
    formset = PetitionRowFormSet(request.POST or None, prefix="rows")
    if request.method == "POST" and formset.is_valid():
        try:
            saved = services.petitions_add_to_conference(
                conference=conference, by=request.user, drafts=formset.drafts()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext("Đã lưu %(count)d ý kiến.", "Đã lưu %(count)d ý kiến.", len(saved))
                % {"count": len(saved)},
            )
            warn_if_after_notice(request, conference, saved)
            return redirect("dialogue:detail", pk=conference.pk)
    return render(
        request,
        "petitions/entry.html",
        {
            "conference": conference,
            "formset": formset,
            "existing_count": conference.petitions.count(),
            # Trap: typing opinions in after the notice was issued, unwarned (issue 19).
            "issued_notice": services.conference_notice_issued(conference=conference),
            "nav_active": "conferences",
        },
    )


def warn_if_after_notice(request: HttpRequest, conference: Conference, saved: list[Petition]) -> None:
    """After a save by any page: say again that opinions typed in after the notice need their
    own handling (the entry pages warned before)."""
    if any(petition.after_notice for petition in saved):
        messages.warning(request, services.after_notice_warning(conference=conference))


@staff_required
@vary_on_headers("HX-Request")  # the page, or its count line for htmx (ListPagination)
def petition_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filterset, listing = filtered_listing(
        request,
        PetitionFilter,
        Petition.objects.visible_to(user),
        rows=lambda petitions: petitions.select_related("category", "conference", "area").only(
            *LIST_ROW_FIELDS
        ),
        ordering=("-received_on", "-pk"),
        per_page=PAGE_SIZE,
        words=PETITION_COUNT,
    )
    valid = filterset.is_valid()  # False when unbound (no filter given)
    if listing.is_count_request:
        return listing.count_response()
    page = listing.page
    conference = None
    if valid and filterset.form.cleaned_data.get("conference"):
        conference = (
            Conference.objects.visible_to(user).filter(pk=filterset.form.cleaned_data["conference"]).first()
        )
    return render(
        request,
        "petitions/petition_list.html",
        {
            "page": page,
            "listing": listing,
            "filter": filterset,
            "conference": conference,
            "list_actions": ports.list_actions.render(request),
            "nav_active": "petitions",
        },
    )


def _outcome_initial(petition: Petition) -> dict:
    return {
        "outcome": petition.outcome,
        # A voter's petition goes, by default, to the body its meeting forwards petitions to.
        "transferred_to": petition.transferred_to
        or (petition.conference.forwarded_to if petition.conference_id else ""),
        "transferred_on": petition.transferred_on,
        "duplicate_of": petition.duplicate_of_id,
        "rejection_reason": petition.rejection_reason,
        "conference_answer": petition.conference_answer,
    }


def _outcome_saved(request: HttpRequest, petition: Petition, form: OutcomeForm) -> bool:
    """Whether the posted outcome went through the service (its refusal lands on the form)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        services.petition_set_outcome(petition=petition, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        show_service_error(form, error)
        return False
    return True


def _follow_up_context(request: HttpRequest, petition: Petition, *, can_edit: bool) -> dict:
    """What conclusions (above this app) did about the petition, through the port."""
    follow_up = ports.follow_up()
    return {
        "assignments": follow_up.assignments_of(petition),
        # The official answers (a denunciation's: for those who may see its case only), what
        # the citizen said of them and the reopenings that caused (issue 17).
        "official_answers": follow_up.official_answers([petition.pk]).get(petition.pk, [])
        if petition.identity_visible_to(request.user)
        else [],
        "reopenings": [
            (reopening, follow_up.reopening_url(reopening))
            for reopening in petition.reopenings.select_related("decided_by").order_by("created_at")
        ],
        "assign_url": follow_up.assign_url(petition)
        if petition.after_notice and can_edit and petition.is_open
        else "",
    }


@staff_required
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = get_object_or_404(
        Petition.objects.visible_to(request.user).select_related(
            "category", "conference__host_area", "area", "duplicate_of"
        ),
        pk=pk,
    )
    can_edit = request.user.has_role(*EDITORS)
    if not can_edit and request.method == "POST":
        raise PermissionDenied  # a monitor reads only
    form = (
        OutcomeForm(request.POST or None, petition=petition, initial=_outcome_initial(petition))
        if can_edit
        else None
    )
    if form is not None and _outcome_saved(request, petition, form):
        messages.success(request, _("Đã cập nhật hướng xử lý."))
        return redirect("petitions:detail", pk=petition.pk)
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            # A denouncer's identity, when shown, is logged (who, when, which petition, where).
            "petitioner": services.petitioner_shown_to(
                petition=petition, user=request.user, where=request.get_full_path()
            ),
            "repeats": petition.repeats.select_related("conference").order_by("received_on", "pk"),
            **_follow_up_context(request, petition, can_edit=can_edit),
            "verdicts": petition.verdicts.order_by("created_at"),
            "form": form,
            "history": petition.history.select_related("history_user").order_by("-history_date")[:20],
            "detail_panels": ports.detail_panels.render(request, petition),
            "nav_active": "petitions",
        },
    )
