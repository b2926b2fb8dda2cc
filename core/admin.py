from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from core.calendar import public_holiday_name
from core.models import CalendarOverride, ExportJob


class CheckedInitialMixin:
    """The admin's add page fills its form from the query string (?parent=3) without checking
    the values: a foreign key that is not a number (?parent=abc) was a server error. A value
    its field cannot read is dropped, and the form starts empty there. Every admin of the
    project has this mixin (tests/test_fuzz_params.py sends such values to every add page)."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return {name: value for name, value in initial.items() if self._readable(name, value)}

    def _readable(self, name: str, value) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return True  # not a model field: the form's own, read by its code
        values = value if isinstance(value, list) else [value]  # many-to-many: a list of ids
        target = field.target_field if field.is_relation else field
        try:
            for item in values:
                target.to_python(item)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        return True


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CheckedInitialMixin, SimpleHistoryAdmin):
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
class ExportJobAdmin(CheckedInitialMixin, admin.ModelAdmin):
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
