"""The messages' section on an opinion's page (registered with petitions.ports.detail_panels)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.models import Role
from messaging.log import messages_of
from messaging.models import MessageOptOut
from petitions.ports import detail_panels


@detail_panels.register(order=10)
def messages_panel(request: HttpRequest, petition) -> str:
    rows = messages_of(petition)
    if not rows and not petition.message_consent:
        return ""
    identity = petition.identity_visible_to(request.user)
    return render_to_string(
        "messaging/panel.html",
        {
            "petition": petition,
            "rows": [(row, row.masked_recipient if identity else "") for row in rows],
            "opted_out": MessageOptOut.objects.filter(petition=petition).exists(),
            "can_retry": request.user.has_role(Role.CLERK, Role.LEADER),
            "attention": sum(row.can_retry for row in rows),
        },
        request=request,
    )
