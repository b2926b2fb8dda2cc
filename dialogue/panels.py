"""Sections of a conference's page that higher apps contribute (see core.panels)."""

from core.panels import PanelRegistry

conference_panels = PanelRegistry()


def _register_home_panels() -> None:
    """The conference sections of the home page (accounts may not import dialogue)."""
    from django.db.models import Q
    from django.template.loader import render_to_string
    from django.utils import timezone

    from accounts.panels import home_panels
    from dialogue.models import Conference
    from dialogue.services import compliance_summary_for

    def active_conferences(request, _obj):
        conferences = (
            Conference.objects.visible_to(request.user)
            .filter(Q(status=Conference.Status.PLANNED) | Q(status=Conference.Status.HELD))
            .select_related("host_area")
            .order_by("-starts_at")[:6]
        )
        conferences = list(conferences)
        if not conferences:
            return ""
        return render_to_string(
            "dialogue/home_conferences.html",
            {"conferences": conferences, "now": timezone.now()},
            request=request,
        )

    def compliance(request, _obj):
        year = timezone.localdate().year
        summary = compliance_summary_for(request.user, year=year, lacking=5)
        if not summary.total:
            return ""
        return render_to_string(
            "dialogue/home_compliance.html",
            {
                "year": year,
                "met": summary.met,
                "total": summary.total,
                "lacking": summary.lacking,
            },
            request=request,
        )

    for slot in ("clerk", "leader"):
        home_panels.register(order=10, slot=slot)(active_conferences)
    home_panels.register(order=10, slot="monitor")(compliance)


_register_home_panels()
