from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import TopLevelAdminMixin
from accounts.models import OrgUnit
from conclusions.models import CommitteeTerm, ReminderLog, ReminderRule
from core.admin import CheckedInitialMixin


@admin.register(ReminderRule)
class ReminderRuleAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """A new version of a rule: end the old one (valid_to), then "Lưu thành bản mới" from it."""

    list_display = [
        "name", "code", "kind", "days", "counts_working_days", "repeat_every_days", "is_active", "valid_from", "valid_to",
    ]  # fmt: skip
    save_as = True
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "code"]


@admin.register(ReminderLog)
class ReminderLogAdmin(CheckedInitialMixin, admin.ModelAdmin):
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

    def has_view_permission(self, request, obj=None) -> bool:
        # The log spans every area: it is for the top-level admins who run the sweep.
        return request.user.is_top_level_admin


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(CheckedInitialMixin, SimpleHistoryAdmin):
    """Party notices are numbered per committee term: an admin enters each committee's terms,
    for the committees of their own scope."""

    list_display = ["body", "name", "starts_on", "ends_on"]
    list_filter = ["name"]
    search_fields = ["body__name", "name"]
    autocomplete_fields = ["body"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(body__in=OrgUnit.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = OrgUnit.objects.visible_to(request.user).filter(
                kind=OrgUnit.Kind.PARTY_COMMITTEE
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
