import pytest
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db

SECTIONS = {
    "clerk": "Văn phòng: hội nghị và ý kiến",
    "leader": "Lãnh đạo: chỉ đạo và đôn đốc",
    "handler": "Việc được giao",
    "monitor": "Giám sát của Mặt trận Tổ quốc",
    "admin": "Quản trị hệ thống",
}


@pytest.mark.parametrize("role", SECTIONS)
def test_each_role_reaches_its_home(role, make_user):
    page = login(make_user(role)).get(reverse("home"))
    assert page.status_code == 200
    assert SECTIONS[role] in page.text
    others = [other for other in SECTIONS if other != role]
    assert f'id="home-{role}"' in page.text
    assert not any(f'id="home-{other}"' in page.text for other in others)


def test_several_roles_see_several_sections(make_user):
    page = login(make_user("clerk", "handler")).get(reverse("home"))
    assert SECTIONS["clerk"] in page.text and SECTIONS["handler"] in page.text


def test_navigation_follows_roles(make_user):
    clerk_page = login(make_user("clerk")).get(reverse("home")).text
    admin_page = login(make_user("admin")).get(reverse("home")).text
    assert reverse("accounts:user_list") not in clerk_page
    assert reverse("accounts:user_list") in admin_page


def test_user_without_roles_is_told_what_to_do(make_user):
    page = login(make_user()).get(reverse("home"))
    assert "chưa được giao vai trò" in page.text


def test_english_is_available(make_user):
    client = login(make_user("clerk"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("home"))
    assert 'lang="en"' in page.text and "Sign out" in page.text


@pytest.mark.parametrize("role", ["clerk", "admin", "monitor"])
def test_home_query_count_is_constant(role, city, make_user, django_assert_max_num_queries):
    from tests.factories import ward_with_bodies

    client = login(make_user(role))
    client.get(reverse("home"))  # warm the session
    for name in ["Một", "Hai", "Ba"]:
        ward_with_bodies(city, name)
    # Constant: the compliance panel is two queries (the counts, then the five weakest areas).
    with django_assert_max_num_queries(9):
        client.get(reverse("home"))
