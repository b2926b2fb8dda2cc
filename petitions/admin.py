from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import ScopedAdminMixin, TopLevelAdminMixin
from core.admin import CheckedInitialMixin
from petitions.deadlines import RULE_DEFAULTS
from petitions.models import Category, IdentityDisclosure, ReceptionSession, StatutoryRule, VerdictWindow


@admin.register(Category)
class CategoryAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


class StatutoryRuleForm(forms.ModelForm):
    # The code is how the software finds a rule: one of the codes it knows, never free text.
    code = forms.ChoiceField(label=_("mã"), choices=[(code, code) for code in RULE_DEFAULTS])

    class Meta:
        model = StatutoryRule
        fields = ["code", "name", "step", "days", "counts_working_days", "basis", "valid_from", "valid_to"]


@admin.register(StatutoryRule)
class StatutoryRuleAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """The statutory deadlines; a change applies to steps taken afterwards only.

    A law amended from a date (Luật 136/2025/QH15 from 01/07/2026): open the rule, set "áp
    dụng đến hết ngày" to the day before, save; then "Lưu thành bản mới" from it, with the new
    days, basis and "áp dụng từ ngày". Nothing of the amendment is shipped: its text was not
    checked here, so the office enters it from the promulgated text."""

    list_display = ["name", "code", "step", "days", "counts_working_days", "basis", "valid_from", "valid_to"]
    list_filter = ["step"]
    save_as = True  # a new version of a rule starts as a copy of the old one
    form = StatutoryRuleForm


@admin.register(VerdictWindow)
class VerdictWindowAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """How many days after an answer its citizen may say whether the problem was solved
    (30 without a row). A change: end the old row the day before, add the new one."""

    list_display = ["days", "valid_from", "valid_to"]


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
