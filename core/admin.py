from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.calendar import public_holiday_name
from core.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["day", "kind", "note", "public_holiday"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]

    @admin.display(description="ngày lễ (gói holidays)")
    def public_holiday(self, obj: CalendarOverride) -> str:
        return public_holiday_name(obj.day) or "—"
