from django.contrib import admin

from registers.models import RegisterEntry, RegisterSettings


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "body",
        "numbering",
        "assignments_layout",
        "slip_sign_mode",
        "slip_signer_title",
        "slip_signer_name",
    ]
    # A user list of a whole country is searched, never loaded into one <select>.
    autocomplete_fields = ["body", "slip_signer"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(body__in=_bodies_of(request))


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    """Read-only: numbers are given by the services (issue, transfer, the register page)."""

    list_display = ["label", "issued_on", "doc_type", "summary", "body", "origin"]
    list_filter = ["doc_type", "origin"]

    def get_queryset(self, request):
        return RegisterEntry.objects.visible_to(request.user).select_related("body")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _bodies_of(request):
    from accounts.models import OrgUnit

    return OrgUnit.objects.visible_to(request.user)
