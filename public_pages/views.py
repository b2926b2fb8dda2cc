"""Pages for the public (no login), under /cong-khai/: a petition's status by its tracking
code, and each area's conferences with their issued conclusion notices and the opinions
raised there (agency, deadline, status). Never a petitioner's identity, never a draft.

The top layer: it may import every app, so notices and assignments come from conclusions'
own models and querysets (`ConclusionNotice.objects.issued()`, `Assignment.objects.started()`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import OrgUnit
from conclusions.follow_up import official_answers
from conclusions.models import AnswerFile, AnswerVersion, Assignment, ConclusionNotice, ExtensionRequest
from core.bounds import SEARCH_CHARS
from core.cache import CacheUnavailableError
from core.files import open_stored
from core.forms import show_service_error
from core.net import client_ip
from dialogue.models import Conference
from messaging import services as message_services
from messaging.models import MessageOptOut
from petitions import services as petition_services
from petitions.intake_forms import TrackingForm
from petitions.models import CitizenVerdict, Petition, Reopening
from public_pages.forms import VerdictForm

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


def lookup_allowed(request: HttpRequest, scope: str = "tracking") -> bool:
    """Counted per client address (through the trusted proxies, core/net.py) and per kind of
    lookup in the shared cache, so that every web process and host shares one count."""
    key = f"public-{scope}:{client_ip(request) or 'unknown'}"
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
    # The official answer's published files: (id, name), downloaded with the tracking code.
    files: list = field(default_factory=list)
    kind: str = ""


def _sorted_steps(steps: list[PublicStep]) -> list[PublicStep]:
    """In the order things happened; a step without a day (what is still awaited) last.
    Steps of one day keep the order they were built in (received before classified...)."""
    return sorted(steps, key=lambda step: step.on or date.max)


def _outcome_steps(petition: Petition) -> list[PublicStep] | None:
    """Received, then classified (or "being classified"); a petition closed without work
    (merged, declined, transferred) ends there."""
    outcome = Petition.Outcome
    steps = [PublicStep(_("Đã tiếp nhận"), petition.received_on, kind="received")]
    decided_on = petition.outcome_decided_on or petition.accepted_on
    if petition.outcome == outcome.DUPLICATE:
        steps.append(
            PublicStep(_("Đã gộp với đơn, ý kiến trước có cùng nội dung"), decided_on, kind="merged")
        )
        return steps
    if petition.outcome == outcome.REJECTED:
        # The reason is the office's; a denunciation's may speak of the case: not shown then.
        reason = "" if petition.is_confidential else petition.rejection_reason
        steps.append(PublicStep(_("Không thụ lý"), decided_on, reason, kind="declined"))
        return steps
    if petition.outcome == outcome.TRANSFERRED:
        steps.append(
            PublicStep(
                _("Đã chuyển đến cơ quan có thẩm quyền"),
                petition.transferred_on,
                petition.transferred_to,
                kind="transferred",
            )
        )
        return steps
    if petition.outcome == outcome.PENDING and not petition.accepted_on:
        detail = (
            _("hạn thụ lý %(day)s") % {"day": f"{petition.acceptance_deadline:%d/%m/%Y}"}
            if petition.acceptance_deadline
            else ""
        )
        steps.append(PublicStep(_("Đang phân loại"), None, detail, kind="classifying"))
        return steps
    classified = _("Đã phân loại: %(kind)s, lĩnh vực %(category)s") % {
        "kind": petition.get_kind_display(),
        "category": petition.category.name,
    }
    steps.append(PublicStep(classified, decided_on, kind="classified"))
    if petition.accepted_on:
        detail = (
            _("hạn giải quyết %(day)s") % {"day": f"{petition.resolution_deadline:%d/%m/%Y}"}
            if petition.resolution_deadline
            else ""
        )
        steps.append(PublicStep(_("Đã thụ lý"), petition.accepted_on, detail, kind="accepted"))
    return steps


def _work_steps(petition: Petition, assignments: list, answers: list) -> list[PublicStep]:
    """Assigned (agency, deadline), extended (new deadline), answered (official answer and its
    public files: the text only for kiến nghị, phản ánh, đề xuất)."""
    steps = []
    for assignment in assignments:
        first_deadline = (
            assignment.approved_extensions[0].previous_deadline
            if assignment.approved_extensions
            else assignment.deadline
        )
        steps.append(
            PublicStep(
                _("Giao %(agency)s giải quyết") % {"agency": assignment.lead_agency.name},
                assignment.deadline_from or (assignment.notice.issued_on if assignment.notice_id else None),
                _("hạn %(day)s") % {"day": f"{first_deadline:%d/%m/%Y}"} if first_deadline else "",
                kind="assigned",
            )
        )
        for extension in assignment.approved_extensions:
            steps.append(
                PublicStep(
                    _("Gia hạn giải quyết"),
                    timezone.localdate(extension.decided_at) if extension.decided_at else None,
                    _("hạn mới %(day)s") % {"day": f"{extension.requested_deadline:%d/%m/%Y}"},
                    kind="extended",
                )
            )
    for extension in petition.statutory_extensions.all():
        steps.append(
            PublicStep(
                _("Gia hạn giải quyết"),
                extension.decided_on,
                _("hạn mới %(day)s") % {"day": f"{extension.new_deadline:%d/%m/%Y}"},
                kind="extended",
            )
        )
    for answer in answers:
        public = petition.answer_text_is_public
        steps.append(
            PublicStep(
                _("%(agency)s đã trả lời") % {"agency": answer.agency},
                answer.answered_on,
                answer.text if public else str(OUTCOME_ONLY),
                answer.public_files if public else [],
                kind="answered",
            )
        )
    return steps


OUTCOME_ONLY = _(
    "Đã có kết quả giải quyết. Quyết định, kết luận được gửi trực tiếp cho người khiếu nại, tố cáo; "
    "nội dung vụ việc không công khai."
)


def _verdict_steps(petition: Petition) -> list[PublicStep]:
    """What the citizen said of each answer, and what the leader decided on a reopening (the
    comment is not shown: it may name people)."""
    steps = []
    for verdict in petition.public_verdicts:
        steps.append(
            PublicStep(
                _("Người dân đánh giá: %(verdict)s") % {"verdict": verdict.get_verdict_display()},
                timezone.localdate(verdict.created_at),
                kind="verdict",
            )
        )
    for reopening in petition.public_reopenings:
        if reopening.status == Reopening.Status.KEPT:
            steps.append(
                PublicStep(
                    _("Lãnh đạo xem xét lại, giữ nguyên kết quả"),
                    reopening.decided_on,
                    reopening.explanation,
                    kind="kept",
                )
            )
        elif reopening.status == Reopening.Status.REASSIGNED:
            steps.append(
                PublicStep(_("Lãnh đạo giao giải quyết lại"), reopening.decided_on, kind="reassigned")
            )
        else:
            steps.append(
                PublicStep(
                    _("Đã mở lại, chờ lãnh đạo xem xét"),
                    timezone.localdate(reopening.created_at),
                    kind="reopened",
                )
            )
    return steps


def public_steps(petition: Petition, assignments: list, answers: list | None = None) -> list[PublicStep]:
    """The story of the opinion as the citizen may know it: received; classified (or being
    classified); assigned (agency, deadline); extended; answered (the official answer and its
    public files); the citizen's verdict and a reopening; closed. Or transferred (to whom),
    merged, declined (with the reason). Nothing about who sent it."""
    steps = _outcome_steps(petition)
    if petition.outcome in (
        Petition.Outcome.DUPLICATE,
        Petition.Outcome.REJECTED,
        Petition.Outcome.TRANSFERRED,
    ):
        return steps
    if steps[-1].kind == "classifying":
        return steps
    steps += _work_steps(petition, assignments, answers or [])
    if petition.answered_at_conference:
        steps.append(
            PublicStep(
                _("Đã trả lời tại hội nghị"),
                petition.received_on,
                petition.conference_answer,
                kind="answered",
            )
        )
    if petition.final_answer_on and petition.final_answer:
        public = petition.answer_is_public and petition.answer_text_is_public
        steps.append(
            PublicStep(
                _("Đã có văn bản trả lời, quyết định"),
                petition.final_answer_on,
                petition.final_answer if public else str(OUTCOME_ONLY),
                kind="answered",
            )
        )
    steps += _verdict_steps(petition)
    if petition.resolved_on:
        steps.append(PublicStep(_("Đã giải quyết xong"), petition.resolved_on, kind="closed"))
    return _sorted_steps(steps)


def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_CHARS]
    areas = list(OrgUnit.objects.areas().search(query).order_by("path")[:AREA_RESULTS]) if query else []
    return render(request, "public/index.html", {"form": TrackingForm(), "query": query, "areas": areas})


def _tracked_petition(code: str) -> Petition | None:
    """The petition with everything its timeline shows, in a fixed number of queries."""
    extensions = ExtensionRequest.objects.filter(status=ExtensionRequest.Status.APPROVED).order_by(
        "decided_at"
    )
    assignments = (
        Assignment.objects.started()
        .select_related("lead_agency", "notice")
        .prefetch_related(Prefetch("extensions", queryset=extensions, to_attr="approved_extensions"))
        .order_by("deadline")
    )
    return (
        Petition.objects.select_related("area", "category")
        .prefetch_related(
            Prefetch("assignments", queryset=assignments, to_attr="public_assignments"),
            "statutory_extensions",
            Prefetch(
                "verdicts", queryset=CitizenVerdict.objects.order_by("created_at"), to_attr="public_verdicts"
            ),
            Prefetch(
                "reopenings", queryset=Reopening.objects.order_by("created_at"), to_attr="public_reopenings"
            ),
        )
        .filter(tracking_code=code)
        .first()
    )


def _track_page(request, form, petition, *, verdict_form=None, status=200):
    answers = official_answers([petition.pk]).get(petition.pk, [])
    asks_verdict = petition_services.verdict_open_for(petition)
    if asks_verdict and verdict_form is None:
        verdict_form = VerdictForm(initial={"ma": petition.tracking_code})
    return render(
        request,
        "public/track.html",
        {
            "form": form,
            "petition": petition,
            "steps": public_steps(petition, petition.public_assignments, answers),
            "verdict_form": verdict_form if asks_verdict else None,
            "verdict_closes_on": petition_services.verdict_closes_on(petition) if asks_verdict else None,
            "opt_out_url": _opt_out_url(petition),
        },
        status=status,
    )


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
    petition = _tracked_petition(form.cleaned_data["ma"])
    if petition is None:
        return render(request, "public/track.html", {"form": form, "error": NOT_FOUND}, status=404)
    return _track_page(request, form, petition)


@require_POST
def verdict(request: HttpRequest) -> HttpResponse:
    """The citizen's verdict, posted from the tracking page. Counted against the same limit as
    the lookup (the code is the key); bad input changes nothing and says why."""
    if not lookup_allowed(request):
        return render(request, "public/track.html", {"form": TrackingForm(), "error": TOO_MANY}, status=429)
    verdict_form = VerdictForm(request.POST)
    code_form = TrackingForm({"ma": request.POST.get("ma", "")})
    if not code_form.is_valid():
        return render(request, "public/track.html", {"form": code_form}, status=400)
    petition = _tracked_petition(code_form.cleaned_data["ma"])
    if petition is None:
        return render(request, "public/track.html", {"form": code_form, "error": NOT_FOUND}, status=404)
    try:  # unanswered, already judged, or the window has closed: the service says which
        petition_services.verdict_check(petition=petition)
    except ValidationError as error:
        return render(
            request, "public/track.html", {"form": code_form, "error": " ".join(error.messages)}, status=400
        )
    if not verdict_form.is_valid():
        return _track_page(request, code_form, petition, verdict_form=verdict_form, status=400)
    try:
        given = petition_services.verdict_give(
            petition=petition,
            verdict=verdict_form.cleaned_data["verdict"],
            comment=verdict_form.cleaned_data["comment"],
        )
    except ValidationError as error:
        show_service_error(verdict_form, error)
        return _track_page(request, code_form, petition, verdict_form=verdict_form, status=400)
    messages.success(
        request, THANKS_REOPENED if given.verdict == CitizenVerdict.Verdict.NOT_RESOLVED else THANKS
    )
    return redirect(f"{reverse('public:track')}?{urlencode({'ma': petition.tracking_code})}")


THANKS = _("Cảm ơn bạn đã cho biết đánh giá.")
THANKS_REOPENED = _("Cảm ơn bạn. Ý kiến đã được mở lại để lãnh đạo xem xét; kết quả sẽ hiện trên trang này.")


def answer_file(request: HttpRequest, pk: int) -> FileResponse:
    """A published result file of an official answer, for the holder of the tracking code of
    an opinion it answers (kiến nghị, phản ánh, đề xuất only). Counted like a lookup."""
    if not lookup_allowed(request):
        raise Http404
    form = TrackingForm(request.GET)
    if not form.is_valid():
        raise Http404
    petition = get_object_or_404(
        Petition.objects.filter(kind__in=Petition.PUBLIC_ANSWER_KINDS), tracking_code=form.cleaned_data["ma"]
    )
    published = get_object_or_404(
        AnswerFile.objects.filter(
            publishable=True,
            withheld_reason="",
            version__status=AnswerVersion.Status.ACCEPTED,
            version__assignment__petitions=petition,
        ),
        pk=pk,
    )
    return FileResponse(open_stored(published.file), as_attachment=True, filename=published.filename)


def _public_opinion_condition(prefix: str = "") -> Q:
    """Opinions as the public sees them on the area's pages: classified (not those still
    waiting to be classified, as typed), not a duplicate typed by mistake, no denunciation.
    `prefix` reaches them through a relation ("petitions__")."""
    outcome, kind = f"{prefix}outcome", f"{prefix}kind"
    unclassified = Q(**{outcome: Petition.Outcome.PENDING, f"{prefix}accepted_on__isnull": True})
    return (
        ~Q(**{kind: Petition.Kind.DENUNCIATION}) & ~unclassified & ~Q(**{outcome: Petition.Outcome.DUPLICATE})
    )


def _opt_out_url(petition: Petition) -> str:
    """The link that stops the messages about this opinion, while there are any to stop."""
    if not petition.message_consent or MessageOptOut.objects.filter(petition=petition).exists():
        return ""
    return reverse(
        "public:opt_out",
        args=[petition.tracking_code, message_services.opt_out_token(petition.tracking_code)],
    )


def opt_out(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """Stop the messages about one opinion: the link on its tracking page (and in its e-mails)
    carries a key made from the code, so no login is needed and nobody can stop another's.
    A GET only asks (mail scanners open links); the button POSTs."""
    if not constant_time_compare(token, message_services.opt_out_token(code)):
        raise Http404
    petition = get_object_or_404(Petition.objects.only("pk", "tracking_code"), tracking_code=code)
    done = MessageOptOut.objects.filter(petition=petition).exists()
    if request.method == "POST" and not done:
        message_services.messages_opt_out(petition=petition)
        done = True
    return render(request, "public/opt_out.html", {"petition": petition, "done": done})


# The columns the public opinions table shows (templates/public/_opinions.html), and the
# conference an opinion is prefetched for: not each opinion's search text, petitioner and
# answers, nor every column of its assignments and their agencies (the busiest ward's page:
# 100 opinions, 52 assignments, built into models and their dates parsed, to show a few).
# The category's and the lead agency's names come as values (`category_name`,
# `lead_agency_name`), not as models joined in: 152 fewer models built on that page.
PUBLIC_OPINION_FIELDS = (
    "position",
    "content",
    "outcome",
    "transferred_to",
    "resolved_on",
    "answered_at_conference",
    "conference",
)
PUBLIC_ASSIGNMENT_FIELDS = ("deadline", "status")


def _public_opinions():
    """Opinions as the public sees them: classified; their work with `_public_work`."""
    return (
        Petition.objects.filter(_public_opinion_condition())
        .only(*PUBLIC_OPINION_FIELDS)
        .annotate(category_name=F("category__name"))
        .order_by("position", "pk")
    )


def _public_work(through: str = "assignments") -> Prefetch:
    """The work given for each opinion (`public_assignments`), never a draft notice's, from
    opinions reached by `through`. The area page asks it beside its opinions' prefetch, not
    inside it: Django went over a prefetch nested in another a second time, building a
    related manager for each of the page's 100 opinions to throw it away."""
    assignments = (
        Assignment.objects.started()
        .only(*PUBLIC_ASSIGNMENT_FIELDS)
        .annotate(lead_agency_name=F("lead_agency__name"))
        .order_by("deadline", "pk")
    )
    return Prefetch(through, queryset=assignments, to_attr="public_assignments")


def promise_ledger(unit: OrgUnit, today: date) -> list[dict]:
    """For each ward of the area (the area itself, or the wards below it), the promises made
    at its conferences (the assignments of its issued notices) and how they were kept, and what
    the citizens said of the answers. Two aggregate queries whatever the area holds."""
    promises = Assignment.objects.filter(
        notice__status=ConclusionNotice.Status.ISSUED,
        notice__conference__isnull=False,
        notice__conference__host_area__path__startswith=unit.path,
    )
    accepted = Q(status=Assignment.Status.ACCEPTED)
    on_time = accepted & Q(accepted_at__date__lte=F("deadline"))
    rows = (
        promises.order_by()
        .values("notice__conference__host_area", "notice__conference__host_area__name")
        .annotate(
            made=Count("pk"),
            kept_on_time=Count("pk", filter=on_time),
            kept_late=Count("pk", filter=accepted & ~Q(accepted_at__date__lte=F("deadline"))),
            open=Count("pk", filter=~accepted & Q(deadline__gte=today)),
            overdue=Count("pk", filter=~accepted & Q(deadline__lt=today)),
        )
        .order_by("notice__conference__host_area__name")
    )
    verdicts = (
        CitizenVerdict.objects.filter(petition__assignments__in=promises.values("pk"))
        .order_by()
        .values("petition__area", "verdict")
        .annotate(count=Count("pk", distinct=True))
    )
    said: dict = {}
    for row in verdicts:
        said.setdefault(row["petition__area"], {})[row["verdict"]] = row["count"]
    return [
        {
            "area": row["notice__conference__host_area__name"],
            **{key: row[key] for key in ("made", "kept_on_time", "kept_late", "open", "overdue")},
            "verdicts": [
                (label, said.get(row["notice__conference__host_area"], {}).get(value, 0))
                for value, label in CitizenVerdict.Verdict.choices
            ],
        }
        for row in rows
    ]


# A province's or the country's ledger sums the promises of hundreds of wards (a province of
# the generated national data: 29,760 assignments, 19,113 buffers, ~100 ms) for a page that
# anyone may open: it is kept DASHBOARD_CACHE_SECONDS, as the dashboards' regional figures
# are. A ward's (or a district's) is computed afresh: a few dozen promises.
LEDGER_CACHED_KINDS = frozenset({OrgUnit.Kind.NATION, OrgUnit.Kind.CITY, OrgUnit.Kind.PROVINCE})


def area_ledger(unit: OrgUnit, today: date) -> str:
    """The area page's promise ledger, rendered ("" when the area has made no promises).

    A province's or the country's is kept rendered, not as rows: its hundreds of rows (a
    generated province: 294 wards, ~5,300 values) took ~40 ms of template on every view,
    the same HTML for everyone until the figures change. Per language (the labels)."""

    def rendered() -> str:
        rows = promise_ledger(unit, today)
        return mark_safe(render_to_string("public/_ledger.html", {"rows": rows}).strip()) if rows else ""

    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds or unit.kind not in LEDGER_CACHED_KINDS:
        return rendered()
    return cache.get_or_set(ledger_cache_key(unit, today), rendered, seconds)


def ledger_cache_key(unit: OrgUnit, today: date) -> str:
    # v2: the rendered section (v1 held its rows).
    return f"public-ledger:v2:{unit.pk}:{today.isoformat()}:{get_language()}"


def _public_conferences():
    return Conference.objects.exclude(status=Conference.Status.CANCELLED)


def area(request: HttpRequest, pk: int) -> HttpResponse:
    """An area's conferences, newest first, each with its issued notices (PDF) and its first
    OPINIONS_ON_AREA_PAGE opinions (no names; denunciations are not listed), with for each the
    agency, the deadline and the status; the rest are on the conference's own pages. Bounded
    whatever a conference holds (a conference of 1,000 opinions made this page 709 KB), and a
    fixed number of queries."""
    unit = get_object_or_404(OrgUnit.objects.areas(), pk=pk)
    notices = (
        ConclusionNotice.objects.issued()
        .only("number_label", "issued_on", "summary", "pdf_sha256", "conference")
        .order_by("issued_on", "pk")
    )
    conferences = (
        _public_conferences()
        .filter(host_area=unit)
        .only("title", "starts_at", "place", "status")
        .annotate(public_opinion_count=Count("petitions", filter=_public_opinion_condition("petitions__")))
        .prefetch_related(
            Prefetch("notices", queryset=notices, to_attr="issued_notices"),
            # Sliced per conference (a window function in the one prefetch query).
            Prefetch(
                "petitions", queryset=_public_opinions()[:OPINIONS_ON_AREA_PAGE], to_attr="public_opinions"
            ),
            _public_work("public_opinions__assignments"),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(conferences, CONFERENCES_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
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
            "today": today,
            "ledger": area_ledger(unit, today),
        },
    )


def conference_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """All of a conference's public opinions, OPINIONS_PER_PAGE at a time."""
    conference = get_object_or_404(_public_conferences().select_related("host_area"), pk=pk)
    opinions = _public_opinions().filter(conference=conference).prefetch_related(_public_work())
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
