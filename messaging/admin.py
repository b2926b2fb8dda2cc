from django.contrib import admin

from messaging.models import CitizenMessage


@admin.register(CitizenMessage)
class CitizenMessageAdmin(admin.ModelAdmin):
    """Read only, scoped like every page: the log is written by the delivery alone. The
    recipient (a contact, so identity) is left out; the opinion's page shows it masked."""

    list_display = ("created_at", "petition", "kind", "channel", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "kind")
    fields = readonly_fields = [
        field.name for field in CitizenMessage._meta.fields if field.name not in ("id", "recipient")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).select_related("petition")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
