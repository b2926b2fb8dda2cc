from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts.admin import TopLevelAdminMixin
from petitions.models import Category


@admin.register(Category)
class CategoryAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]
