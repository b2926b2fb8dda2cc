from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import OrgUnit, SigningKey, User
from core.admin import CheckedInitialMixin


class ScopedAdminMixin(CheckedInitialMixin):
    """Admin pages obey the same scoping as the rest of the site: a ward's admin manages
    the ward, a city's admin the city. Foreign-key choices are scoped the same way, and so are
    the history pages (django-simple-history's own views do not use get_queryset)."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _in_scope_or_404(self, request, object_id) -> None:
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class TopLevelAdminMixin(CheckedInitialMixin):
    """Lists every area shares (calendar overrides, categories, conference bases): readable
    by every admin, changed only by a superuser or the admin of the top-level area."""

    def has_add_permission(self, request, *args):
        return request.user.is_top_level_admin

    def has_change_permission(self, request, obj=None):
        return request.user.is_top_level_admin

    def has_delete_permission(self, request, obj=None):
        return request.user.is_top_level_admin

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is OrgUnit:
            kwargs["queryset"] = OrgUnit.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["indented_name", "symbol", "kind", "code", "valid_from", "valid_to"]
    list_filter = ["kind", "is_remote_area"]
    search_fields = ["name", "symbol", "code", "search_text"]
    autocomplete_fields = ["parent", "successor"]
    fields = [
        "name",
        "symbol",
        "kind",
        "code",
        "parent",
        "successor",
        "valid_from",
        "valid_to",
        "is_remote_area",
        "named_after_person_or_event",
    ]
    ordering = ["path"]
    list_per_page = 100

    @admin.display(description=_("tên"), ordering="path")
    def indented_name(self, obj: OrgUnit) -> str:
        return "— " * obj.depth + obj.name


class AdminUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "agency"]


class AdminUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ScopedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["username", "full_name", "agency", "title", "role_list", "is_active"]
    list_filter = ["is_clerk", "is_leader", "is_handler", "is_monitor", "is_sysadmin", "is_active"]
    search_fields = ["username", "full_name", "email", "search_text"]
    autocomplete_fields = ["agency"]
    ordering = ["full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin cá nhân"), {"fields": ["full_name", "title", "email", "phone", "agency"]}),
        (_("Vai trò"), {"fields": ["is_clerk", "is_leader", "is_handler", "is_monitor", "is_sysadmin"]}),
        (_("Trạng thái"), {"fields": ["is_active", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["username", "full_name", "agency", "password1", "password2"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser makes another superuser: a ward admin cannot escape its scope.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    @admin.display(description=_("vai trò"))
    def role_list(self, obj: User) -> str:
        return ", ".join(str(role.label) for role in obj.roles)


@admin.register(SigningKey)
class SigningKeyAdmin(TopLevelAdminMixin, SimpleHistoryAdmin):
    """The keys documents are signed with (docs/SIGNING.md). Only a superuser or the admin of
    the top-level area sees or changes them: a key names a file or a token object on the
    signing server, and a wrong one would sign a body's documents with another's key."""

    list_display = ["role", "owner_name", "cert_subject", "cert_serial", "valid_until", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__full_name", "body__name", "cert_subject", "cert_serial"]
    autocomplete_fields = ["user", "body"]
    list_select_related = ["user", "body"]
    fields = [
        "role",
        "user",
        "body",
        "pkcs12_path",
        "password_variable",
        "key_label",
        "cert_label",
        "image_path",
        "active",
        "cert_subject",
        "cert_serial",
        "cert_not_before",
        "cert_not_after",
        "cert_error",
    ]
    readonly_fields = ["cert_subject", "cert_serial", "cert_not_before", "cert_not_after", "cert_error"]
    actions = ["certificates_refresh"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_authenticated and request.user.is_top_level_admin

    def has_module_permission(self, request):
        # Asked for every page of the admin, its login page too (an anonymous user).
        return super().has_module_permission(request) and request.user.is_top_level_admin

    @admin.display(description=_("hiệu lực đến"), ordering="cert_not_after")
    def valid_until(self, obj: SigningKey) -> str:
        if obj.cert_not_after is None:
            return obj.cert_error or "—"
        day = f"{timezone.localtime(obj.cert_not_after):%d/%m/%Y}"
        return day if obj.cert_not_after > timezone.now() else _("%(day)s (đã hết hạn)") % {"day": day}

    def save_model(self, request, obj, form, change):
        obj.certificate_refresh()
        super().save_model(request, obj, form, change)
        self._report(request, obj)

    @admin.action(description=_("Đọc lại chứng thư số từ khóa"))
    def certificates_refresh(self, request, queryset):
        for key in queryset.select_related("user", "body"):
            key.certificate_refresh()
            key.save(
                update_fields=[
                    "cert_subject",
                    "cert_serial",
                    "cert_not_before",
                    "cert_not_after",
                    "cert_error",
                    "updated_at",
                ]
            )
            self._report(request, key)

    def _report(self, request, key: SigningKey) -> None:
        if key.cert_error:
            self.message_user(
                request, _("%(key)s: %(error)s") % {"key": key, "error": key.cert_error}, messages.WARNING
            )
        elif key.cert_not_after is not None and key.cert_not_after <= timezone.now():
            self.message_user(
                request, _("%(key)s: chứng thư số đã hết hạn.") % {"key": key}, messages.WARNING
            )
