from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ScopedAdminMixin
from dashboards.models import AgencyReminder, SupervisionRemark


@admin.register(SupervisionRemark)
class SupervisionRemarkAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Remarks are written and answered on the site; the admin reads them (and their history)."""

    list_display = ["text_start", "area", "author", "created_at", "answered_at"]
    list_filter = ["answered_at"]
    list_select_related = ["area", "author"]
    search_fields = ["text", "answer"]
    readonly_fields = [
        "area",
        "conference",
        "assignment",
        "author",
        "text",
        "answer",
        "answered_by",
        "answered_at",
    ]
    date_hierarchy = "created_at"

    @admin.display(description=_("ý kiến giám sát"))
    def text_start(self, remark: SupervisionRemark) -> str:
        return remark.text[:80]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AgencyReminder)
class AgencyReminderAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The log of "nhắc ngay": read only."""

    list_display = ["agency", "sent_by", "sent_at", "item_count", "recipient_count", "emails_sent"]
    list_select_related = ["agency", "sent_by"]
    search_fields = ["agency__name", "sent_by__full_name"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
