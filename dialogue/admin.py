from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import TopLevelAdminMixin
from dialogue.models import ConferenceBasis, ConferenceRequirement


@admin.register(ConferenceBasis)
class ConferenceBasisAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["short_name", "name", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ConferenceRequirement)
class ConferenceRequirementAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["area_kind", "per_year", "note"]
