from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.calendar import public_holiday_name
from core.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    """Every deadline in every area moves with this table: only top-level admins change it
    (the same rule as accounts.admin.TopLevelAdminMixin, which core may not import)."""

    def has_add_permission(self, request):
        return request.user.is_top_level_admin

    def has_change_permission(self, request, obj=None):
        return request.user.is_top_level_admin

    def has_delete_permission(self, request, obj=None):
        return request.user.is_top_level_admin

    list_display = ["day", "kind", "note", "public_holiday"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]

    @admin.display(description="ngày lễ (gói holidays)")
    def public_holiday(self, obj: CalendarOverride) -> str:
        return public_holiday_name(obj.day) or "—"
