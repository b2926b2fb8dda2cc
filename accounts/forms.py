from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.bounds import SEARCH_CHARS

# Django's own Vietnamese catalogue lacks this message, so the form carries its own.
INVALID_LOGIN = _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường.")
INACTIVE_ACCOUNT = _("Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống của đơn vị.")


class LoginForm(AuthenticationForm):
    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INACTIVE_ACCOUNT}

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False, max_length=SEARCH_CHARS)
    role = forms.ChoiceField(
        label=_("Vai trò"), required=False, choices=[("", _("Mọi vai trò")), *Role.choices]
    )
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))],
    )

    def filter(self, users):
        data = self.cleaned_data
        if data["q"]:
            users = users.search(data["q"])
        if data["role"]:
            users = users.filter(User.role_filter(Role(data["role"])))
        if data["active"]:
            users = users.filter(is_active=data["active"] == "1")
        return users
