from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import TopLevelAdminMixin
from dialogue.models import ConferenceBasis, ConferenceRequirement


@admin.register(ConferenceBasis)
class ConferenceBasisAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["short_name", "name", "position", "is_active", "advance_notice_days", "citation_verified"]
    list_editable = ["position", "is_active"]
    list_filter = ["citation_verified"]


@admin.register(ConferenceRequirement)
class ConferenceRequirementAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """A new version of a requirement: end the old one (valid_to), then add the new one."""

    list_display = ["area_kind", "per_year", "note", "valid_from", "valid_to"]
    filter_horizontal = ["bases"]
