from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.calendar import public_holiday_name
from core.models import CalendarOverride, ExportJob


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


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Export jobs hold files built from scoped data for one user: only superusers look at
    them here (to see why one failed); users have their own page of exports."""

    list_display = ["title", "requested_by", "status", "progress", "rows_done", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["requested_by"]
    search_fields = ["title", "requested_by__username", "requested_by__full_name"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def delete_model(self, request, obj):
        if obj.file:
            obj.file.storage.delete(obj.file.name)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset.exclude(file=""):
            job.file.storage.delete(job.file.name)
        super().delete_queryset(request, queryset)
