"""Pages for the public (no login), under /cong-khai/: a petition's status by its tracking
code, and each area's conferences with their issued conclusion notices and the opinions
raised there (agency, deadline, status). Never a petitioner's identity, never a draft.

The top layer: it may import every app, so notices and assignments come from conclusions'
own models and querysets (`ConclusionNotice.objects.issued()`, `Assignment.objects.started()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit
from conclusions.models import Assignment, ConclusionNotice
from core.bounds import SEARCH_CHARS
from core.cache import CacheUnavailableError
from core.files import open_stored
from core.net import client_ip
from dialogue.models import Conference
from petitions.intake_forms import TrackingForm
from petitions.models import Petition

# Lookups per client address per window: enough for a family checking its letters, far too
# few to enumerate 32^10 codes. Through Django's cache (Redis in production, so every web
# process shares the count).
TRACKING_LIMIT = getattr(settings, "PUBLIC_TRACKING_LIMIT", 20)
TRACKING_WINDOW_SECONDS = getattr(settings, "PUBLIC_TRACKING_WINDOW", 600)
CONFERENCES_PER_PAGE = 10
OPINIONS_ON_AREA_PAGE = 10  # per conference; the rest on the conference's pages
OPINIONS_PER_PAGE = 50
AREA_RESULTS = 20
TOO_MANY = _("Bạn đã tra cứu quá nhiều lần. Hãy thử lại sau ít phút.")
NOT_FOUND = _("Không tìm thấy đơn, ý kiến nào có mã này. Hãy kiểm tra lại mã trên giấy biên nhận.")


# While the shared cache is down, each web process counts for itself (same limit and
# window): a client then gets at most the limit per process instead of per site, which still
# makes enumerating codes hopeless, and citizens can still look their letters up. Logged by
# the cache (core/cache.py). Refusing every lookup instead would close the page for all.
_local_counts = LocMemCache("public-tracking-fallback", {"TIMEOUT": TRACKING_WINDOW_SECONDS})


def _count_lookup(store, key: str) -> int:
    store.add(key, 0, TRACKING_WINDOW_SECONDS)
    try:
        return store.incr(key)
    except ValueError:  # the key expired between add and incr
        store.set(key, 1, TRACKING_WINDOW_SECONDS)
        return 1


def lookup_allowed(request: HttpRequest) -> bool:
    """Counted per client address (through the trusted proxies, core/net.py) in the shared
    cache, so that every web process and host shares one count."""
    key = f"public-tracking:{client_ip(request) or 'unknown'}"
    try:
        count = _count_lookup(cache, key)
    except CacheUnavailableError:
        count = _count_lookup(_local_counts, key)
    return count <= TRACKING_LIMIT


@dataclass
class PublicStep:
    label: str
    on: date | None = None
    detail: str = ""


def public_steps(petition: Petition, assignments: list) -> list[PublicStep]:
    """What the citizen may know, in order: received, accepted, assigned (agency, deadline),
    answered; or transferred, declined, merged. Nothing about who sent it."""
    steps = [PublicStep(_("Đã tiếp nhận"), petition.received_on)]
    outcome = Petition.Outcome
    if petition.outcome == outcome.DUPLICATE:
        steps.append(
            PublicStep(_("Đã gộp với đơn, ý kiến trước có cùng nội dung"), petition.outcome_decided_on)
        )
        return steps
    if petition.outcome == outcome.REJECTED:
        steps.append(PublicStep(_("Không thụ lý"), petition.outcome_decided_on))
        return steps
    if petition.outcome == outcome.TRANSFERRED:
        steps.append(
            PublicStep(
                _("Đã chuyển đến cơ quan có thẩm quyền"), petition.transferred_on, petition.transferred_to
            )
        )
        return steps
    if petition.accepted_on:
        detail = (
            _("hạn giải quyết %(day)s") % {"day": f"{petition.resolution_deadline:%d/%m/%Y}"}
            if petition.resolution_deadline
            else ""
        )
        steps.append(PublicStep(_("Đã thụ lý"), petition.accepted_on, detail))
    elif petition.acceptance_deadline and petition.outcome == outcome.PENDING:
        steps.append(
            PublicStep(
                _("Chờ thụ lý"),
                None,
                _("hạn thụ lý %(day)s") % {"day": f"{petition.acceptance_deadline:%d/%m/%Y}"},
            )
        )
    for assignment in assignments:
        steps.append(
            PublicStep(
                _("Giao %(agency)s giải quyết") % {"agency": assignment.lead_agency.name},
                None,
                f"{_('hạn')} {assignment.deadline:%d/%m/%Y} · {assignment.get_status_display()}"
                if assignment.deadline
                else assignment.get_status_display(),
            )
        )
    if petition.answered_at_conference:
        steps.append(
            PublicStep(_("Đã trả lời tại hội nghị"), petition.received_on, petition.conference_answer)
        )
    if petition.resolved_on:
        answer = petition.final_answer if petition.answer_is_public else ""
        steps.append(PublicStep(_("Đã giải quyết xong"), petition.resolved_on, answer))
    return steps


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_CHARS]
    areas = list(OrgUnit.objects.areas().search(query).order_by("path")[:AREA_RESULTS]) if query else []
    return render(request, "public/index.html", {"form": TrackingForm(), "query": query, "areas": areas})


def track(request: HttpRequest) -> HttpResponse:
    """A petition's status by its tracking code. Every lookup counts against the client's
    limit, found or not, so codes cannot be enumerated."""
    if "ma" not in request.GET:
        return render(request, "public/track.html", {"form": TrackingForm()})
    if not lookup_allowed(request):
        return render(request, "public/track.html", {"form": TrackingForm(), "error": TOO_MANY}, status=429)
    form = TrackingForm(request.GET)
    if not form.is_valid():
        return render(request, "public/track.html", {"form": form}, status=400)
    petition = (
        Petition.objects.select_related("area", "category")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.started().select_related("lead_agency").order_by("deadline"),
                to_attr="public_assignments",
            )
        )
        .filter(tracking_code=form.cleaned_data["ma"])
        .first()
    )
    if petition is None:
        return render(request, "public/track.html", {"form": form, "error": NOT_FOUND}, status=404)
    return render(
        request,
        "public/track.html",
        {"form": form, "petition": petition, "steps": public_steps(petition, petition.public_assignments)},
    )


def _public_opinions():
    """Opinions as the public sees them: no denunciation, never a draft notice's work."""
    assignments = Assignment.objects.started().select_related("lead_agency").order_by("deadline", "pk")
    return (
        Petition.objects.exclude(kind=Petition.Kind.DENUNCIATION)
        .select_related("category")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="public_assignments"))
        .order_by("position", "pk")
    )


def _public_conferences():
    return Conference.objects.exclude(status=Conference.Status.CANCELLED)


def area(request: HttpRequest, pk: int) -> HttpResponse:
    """An area's conferences, newest first, each with its issued notices (PDF) and its first
    OPINIONS_ON_AREA_PAGE opinions (no names; denunciations are not listed), with for each the
    agency, the deadline and the status; the rest are on the conference's own pages. Bounded
    whatever a conference holds (a conference of 1,000 opinions made this page 709 KB), and a
    fixed number of queries."""
    unit = get_object_or_404(OrgUnit.objects.areas(), pk=pk)
    notices = ConclusionNotice.objects.issued().select_related("issuing_body").order_by("issued_on", "pk")
    conferences = (
        _public_conferences()
        .filter(host_area=unit)
        .annotate(
            public_opinion_count=Count("petitions", filter=~Q(petitions__kind=Petition.Kind.DENUNCIATION))
        )
        .prefetch_related(
            Prefetch("notices", queryset=notices, to_attr="issued_notices"),
            # Sliced per conference (a window function in the one prefetch query).
            Prefetch(
                "petitions", queryset=_public_opinions()[:OPINIONS_ON_AREA_PAGE], to_attr="public_opinions"
            ),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(conferences, CONFERENCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/area.html",
        {
            "area": unit,
            "page": page,
            # After the 2025 merger a new ward's records start afresh: its page links to the
            # records of the wards it took over, and an old ward's page to the new one.
            "predecessors": OrgUnit.objects.areas()
            .filter(successor=unit)
            .only("pk", "name")
            .order_by("name"),
            "successor": OrgUnit.objects.areas().filter(pk=unit.successor_id).only("pk", "name").first()
            if unit.successor_id
            else None,
            "today": timezone.localdate(),
        },
    )


def conference_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """All of a conference's public opinions, OPINIONS_PER_PAGE at a time."""
    conference = get_object_or_404(_public_conferences().select_related("host_area"), pk=pk)
    opinions = _public_opinions().filter(conference=conference)
    page = Paginator(opinions, OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/conference.html",
        {"conference": conference, "page": page, "opinions": page.object_list, "today": timezone.localdate()},
    )


def notice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """An issued notice's stored PDF; a draft, or a PDF still being rendered, is not found."""
    notice = get_object_or_404(ConclusionNotice.objects.issued().exclude(pdf_sha256=""), pk=pk)
    if not notice.pdf:
        raise Http404
    filename = f"thong-bao-{notice.number_label.replace('/', '-')}.pdf"
    return FileResponse(open_stored(notice.pdf), filename=filename, content_type="application/pdf")
