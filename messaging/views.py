"""The clerk's retry of a message that could not be sent (the section on the opinion's page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import role_required
from messaging import services
from messaging.models import CitizenMessage


@require_POST
@role_required(Role.CLERK, Role.LEADER)
def message_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(CitizenMessage.objects.visible_to(request.user), pk=pk)
    try:
        services.message_retry(message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã đưa tin nhắn vào hàng gửi lại."))
    return redirect(reverse("petitions:detail", args=[message.petition_id]) + "#citizen-messages")
