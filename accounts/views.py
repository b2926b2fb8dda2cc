from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm, UserFilterForm
from accounts.models import Notification, OrgUnit, Role, User
from accounts.panels import home_panels
from accounts.permissions import role_required, staff_required
from accounts.services import notifications_mark_read
from core.bounds import SEARCH_CHARS

PAGE_SIZE = 50
MAX_INDENT = 5


@dataclass(frozen=True)
class HomeSection:
    """One role's section of the home page (accounts/_home_section.html): what the role does
    here, the panels other apps contribute for it, and what shows while there are none.
    `before`/`after` name a small template drawn around the panels."""

    role: Role
    title: Promise
    intro: Promise
    empty: Promise
    before: str = ""
    after: str = ""


HOME_SECTIONS = (
    HomeSection(
        Role.CLERK,
        _("Văn phòng: hội nghị và ý kiến"),
        _(
            "Lên kế hoạch hội nghị đối thoại, nhập biên bản và ý kiến của Nhân dân ngay sau hội nghị, "
            "dự thảo thông báo kết luận, vào sổ đơn thư."
        ),
        _(
            "Chưa có hội nghị nào được lên kế hoạch ở địa bàn của bạn. Hội nghị sắp tới, hội nghị chờ "
            "nhập ý kiến và thông báo chờ ban hành sẽ hiện ở đây."
        ),
        after="accounts/_home_clerk_actions.html",
    ),
    HomeSection(
        Role.LEADER,
        _("Lãnh đạo: chỉ đạo và đôn đốc"),
        _("Ban hành thông báo kết luận, xem việc quá hạn, quyết định gia hạn và giao lại."),
        _(
            "Không có thông báo nào chờ ban hành, không có việc quá hạn. Việc quá hạn và sắp đến hạn "
            "của địa bàn sẽ hiện ở đây, theo từng cơ quan."
        ),
    ),
    HomeSection(
        Role.HANDLER,
        _("Việc được giao"),
        _("Báo cáo tiến độ, đính kèm kết quả và trả lời người dân cho các việc giao cơ quan của bạn."),
        _(
            "Cơ quan của bạn chưa được giao việc nào. Việc được giao sẽ hiện ở đây, việc gần hạn nhất lên đầu."
        ),
    ),
    HomeSection(
        Role.MONITOR,
        _("Giám sát của Mặt trận Tổ quốc"),
        _(
            "Theo dõi việc tổ chức hội nghị đối thoại và thực hiện kết luận ở địa bàn và các đơn vị "
            "trực thuộc (chỉ xem)."
        ),
        _(
            "Chưa có số liệu hội nghị và ý kiến để giám sát. Số hội nghị đã tổ chức, ý kiến đã giải "
            "quyết, việc quá hạn theo từng cơ quan sẽ hiện ở đây."
        ),
        before="accounts/_home_monitored_areas.html",
    ),
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page per user, with a section for each role they hold (a clerk who is also a
    handler sees both). Sections show what exists now and say what will come."""
    user = request.user
    held = set(user.roles)
    sections = [
        (section, home_panels.render(request, None, slot=section.role.value))
        for section in HOME_SECTIONS
        if section.role in held
    ]
    context = {"roles": user.roles, "area": user.area, "sections": sections}
    if user.has_role(Role.ADMIN):
        visible_units = OrgUnit.objects.visible_to(user)
        context["admin_stats"] = visible_units.aggregate(
            areas=Count("pk", filter=Q(kind__in=OrgUnit.AREA_KINDS)),
            bodies=Count("pk", filter=~Q(kind__in=OrgUnit.AREA_KINDS)),
        )
        context["admin_stats"]["users"] = User.objects.visible_to(user).filter(is_active=True).count()
    if user.has_role(Role.MONITOR):
        area = user.area
        context["monitored_areas"] = (
            OrgUnit.objects.visible_to(user).areas().filter(parent=area).order_by("name")[:12] if area else []
        )
    return render(request, "accounts/home.html", context)


@staff_required
def orgunit_list(request: HttpRequest) -> HttpResponse:
    """The directory of areas and bodies the user can see, as an indented tree."""
    query = request.GET.get("q", "").strip()[:SEARCH_CHARS]
    units = OrgUnit.objects.visible_to(request.user).select_related("parent")
    if query:
        units = units.search(query)
    page = Paginator(units.order_by("path"), PAGE_SIZE).get_page(request.GET.get("page"))
    # Indent by depth below the user's own area; search results are a flat list.
    base_depth = request.user.area.depth if request.user.area else 0
    rows = [(unit, 0 if query else max(0, min(unit.depth - base_depth, MAX_INDENT))) for unit in page]
    return render(
        request,
        "accounts/orgunit_list.html",
        {"page": page, "rows": rows, "query": query, "nav_active": "orgunits"},
    )


@staff_required
def orgunit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(
        OrgUnit.objects.visible_to(request.user).select_related("parent", "successor"), pk=pk
    )
    children = unit.children.order_by("kind", "name")
    staff = unit.users.filter(is_active=True).order_by("full_name")
    # Ancestors above the user's own scope stay out of the breadcrumbs: they cannot open them.
    visible_ancestors = unit.ancestors().visible_to(request.user)
    return render(
        request,
        "accounts/orgunit_detail.html",
        {
            "unit": unit,
            "children": children,
            "staff": staff,
            "ancestors": visible_ancestors,
            "predecessors": unit.predecessors.order_by("name"),
            "nav_active": "orgunits",
        },
    )


@role_required(Role.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    """Users of the admin's scope, for finding who holds which role in which agency."""
    form = UserFilterForm(request.GET or None)
    users = User.objects.visible_to(request.user)
    if form.is_valid():
        users = form.filter(users)
    page = Paginator(users.order_by("full_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "form": form, "nav_active": "users"})


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page": page, "nav_active": "notifications"})


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one (`id`), several, or all (no `id`) of the user's notifications read."""
    ids = [int(pk) for pk in request.POST.getlist("id") if pk.isdigit()]
    notifications_mark_read(user=request.user, ids=ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("accounts:notifications")


AREA_SEARCH_LIMIT = 20  # suggestions of the area type-ahead


@staff_required
def area_search(request: HttpRequest) -> JsonResponse:
    """The area chooser's type-ahead (templates/includes/area_chooser.html: the lists, the
    supervision dashboard, the reports): areas in the user's scope whose folded name matches."""
    query = request.GET.get("q", "").strip()[:SEARCH_CHARS]
    if not query:
        return JsonResponse({"results": []})
    areas = (
        OrgUnit.objects.visible_to(request.user)
        .areas()
        .search(query)
        .select_related("parent")
        .order_by("depth", "name")[:AREA_SEARCH_LIMIT]
    )
    results = [
        {"id": area.pk, "name": area.name, "parent": area.parent.name if area.parent_id else ""}
        for area in areas
    ]
    return JsonResponse({"results": results})
