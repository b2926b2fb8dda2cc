"""The navigation bar, built from the user's roles (only entries they may open), and the roles
the templates ask about, decided by `User.has_role` (superusers let in there, once)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def navigation(request: HttpRequest) -> dict:
    """Once per request: a page's panels are rendered with the request too (render_to_string
    runs every context processor again), and the bell's count is a query."""
    if (known := getattr(request, "_navigation", None)) is not None:
        return known
    request._navigation = _navigation(request)
    return request._navigation


def _navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "acts_as": {}}
    items = [(_("Trang chủ"), reverse("home"), "home")]
    if user.has_role(*Role):
        # Resolved by name: the apps above accounts own these pages.
        items += [
            (_("Hội nghị"), reverse("dialogue:list"), "conferences"),
            (_("Ý kiến, kiến nghị"), reverse("petitions:list"), "petitions"),
            (_("Đơn thư"), reverse("petitions:register"), "register"),
            (_("Thông báo kết luận"), reverse("conclusions:notices"), "notices"),
            (_("Việc được giao"), reverse("conclusions:assignments"), "assignments"),
            (_("Cơ quan, đơn vị"), reverse("accounts:orgunit_list"), "orgunits"),
        ]
    if user.has_role(Role.CLERK, Role.LEADER):
        items.append((_("Sổ văn bản đi"), reverse("registers:list"), "outgoing_register"))
    if user.has_role(Role.ADMIN):
        items.append((_("Người dùng"), reverse("accounts:user_list"), "users"))
    return {
        "acts_as": acting_roles(user),
        # One small indexed count per page for the bell.
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
        "nav_items": [{"label": label, "url": url, "key": key} for label, url, key in items],
        "nav_admin_url": reverse("admin:index") if user.is_staff else None,
    }


def acting_roles(user) -> dict[str, bool]:
    """`{% if acts_as.clerk or acts_as.leader %}`: whether the user may act in each role, and
    `acts_as.any` in at least one. Templates ask this and never spell `is_superuser or …`."""
    roles = {role.value: user.has_role(role) for role in Role}
    roles["any"] = user.has_role(*Role)
    return roles
