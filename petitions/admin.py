from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ScopedAdminMixin, TopLevelAdminMixin
from core.admin import CheckedInitialMixin
from petitions.models import Category, IdentityDisclosure, ReceptionSession, StatutoryRule


@admin.register(Category)
class CategoryAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


@admin.register(StatutoryRule)
class StatutoryRuleAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """The statutory deadlines; a change applies to steps taken afterwards only."""

    list_display = ["name", "step", "days", "counts_working_days", "basis"]
    list_filter = ["step"]
    readonly_fields = ["code"]

    def get_readonly_fields(self, request, obj=None):
        # The code is how the software finds a rule: fixed once created.
        return ["code"] if obj else []


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["held_on", "area", "receiving_leader", "people_count"]
    list_filter = ["held_on"]
    raw_id_fields = ["area", "receiving_leader"]
    date_hierarchy = "held_on"


@admin.register(IdentityDisclosure)
class IdentityDisclosureAdmin(CheckedInitialMixin, admin.ModelAdmin):
    """Who saw a denouncer's identity, when, on which petition and where: for the top-level
    admins only, and nobody changes it."""

    list_display = ["at", "user", "petition_id", "where"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__full_name", "where"]
    date_hierarchy = "at"
    fields = ["at", "user", "petition_id", "where"]
    readonly_fields = fields

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_top_level_admin

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_top_level_admin

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
