"""Sections of a conference's page that higher apps contribute (see core.panels)."""

from core.panels import PanelRegistry

conference_panels = PanelRegistry()


def _register_home_panels() -> None:
    """The conference sections of the home page (accounts may not import dialogue)."""
    from django.db.models import Q
    from django.template.loader import render_to_string
    from django.utils import timezone

    from accounts.models import OrgUnit
    from accounts.panels import home_panels
    from dialogue.models import Conference
    from dialogue.services import conference_compliance

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
        rows = conference_compliance(areas=OrgUnit.objects.visible_to(request.user), year=year)
        if not rows:
            return ""
        return render_to_string(
            "dialogue/home_compliance.html",
            {
                "year": year,
                "met": sum(row.met for row in rows),
                "total": len(rows),
                "lacking": [r for r in rows if not r.met][:5],
            },
            request=request,
        )

    for slot in ("clerk", "leader"):
        home_panels.register(order=10, slot=slot)(active_conferences)
    home_panels.register(order=10, slot="monitor")(compliance)


_register_home_panels()
