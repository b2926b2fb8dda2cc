import pytest
from django.test import Client
from django.urls import reverse

from accounts.forms import INVALID_LOGIN
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-9"
LOGIN = reverse("accounts:login")


def attempt(username, password, ip="10.0.0.5"):
    return Client(REMOTE_ADDR=ip).post(LOGIN, {"username": username, "password": password})


def test_login_page_is_vietnamese(client):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'lang="vi"' in page.text and "Tên đăng nhập" in page.text and "Mật khẩu" in page.text


def test_login_and_logout(ward, make_user):
    make_user("clerk", username="thuha")
    client = Client()
    response = client.post(LOGIN, {"username": "thuha", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_says_so_in_vietnamese(ward, make_user):
    make_user("clerk", username="thuha")
    page = attempt("thuha", "sai-mat-khau")
    assert page.status_code == 200
    assert str(INVALID_LOGIN) in page.text


def test_throttling_locks_username_and_ip_pair(ward, make_user, settings):
    make_user("clerk", username="thuha")
    make_user("leader", username="minh")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("thuha", "sai-mat-khau")
    locked = attempt("thuha", PASSWORD)
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.text
    # A colleague behind the same office NAT address still logs in...
    assert attempt("minh", PASSWORD).status_code == 302
    # ...and so does the same person from another machine.
    assert attempt("thuha", PASSWORD, ip="10.0.0.9").status_code == 302


def test_password_change_applies_validators(ward, make_user):
    user = make_user("clerk", username="thuha")
    client = Client()
    client.post(LOGIN, {"username": "thuha", "password": PASSWORD})
    url = reverse("accounts:password_change")
    page = client.post(url, {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert page.status_code == 200
    assert "is-invalid" in page.text and "quá ngắn" in page.text
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Bo-De-doi-thoai-2026",
            "new_password2": "Bo-De-doi-thoai-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Bo-De-doi-thoai-2026")


def test_security_headers(client):
    response = client.get(LOGIN)
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_superuser_flag_follows_admin_role(ward):
    admin = UserFactory(agency=ward.bodies["UBND"], is_sysadmin=True)
    clerk = UserFactory(agency=ward.bodies["UBND"], is_clerk=True)
    assert admin.is_staff and not clerk.is_staff
