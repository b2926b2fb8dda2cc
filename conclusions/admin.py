from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from conclusions.models import ReminderLog, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "days", "counts_working_days", "repeat_every_days", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    """The sent-log is written by the sweep only: read it here, never edit it."""

    list_display = [
        "subject_type",
        "object_id",
        "rule",
        "deadline",
        "occurrence",
        "recipient",
        "due_on",
        "claimed_at",
        "sent_at",
        "email_sent",
        "attempts",
    ]
    list_filter = ["subject_type", "rule", "email_sent", "due_on"]
    list_select_related = ["rule", "recipient"]
    search_fields = ["object_id", "recipient__username", "recipient__full_name"]
    date_hierarchy = "due_on"
    show_full_result_count = False  # the log grows by the million: no COUNT(*) on each page

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
