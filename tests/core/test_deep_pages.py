"""A web list's page beyond MAX_LIST_PAGE_NUMBER is not read (OFFSET would read every row
before it): the page answers 200 with a message to narrow the filters and a link back."""

import pytest
from django.urls import reverse

from core.pagination import MAX_LIST_PAGE_NUMBER
from tests.conftest import login

DEEP_MESSAGE = "quá sâu"


@pytest.mark.parametrize(
    "url",
    [
        reverse("petitions:list"),
        reverse("dialogue:list"),
        reverse("conclusions:notices"),
        reverse("conclusions:assignments") + "?mine=0",
        reverse("petitions:list") + "?q=dat+dai",
    ],
)
@pytest.mark.parametrize("page", [MAX_LIST_PAGE_NUMBER + 1, 2000, 10**30])
def test_a_page_too_deep_asks_to_narrow_the_filters(make_user, url, page, django_assert_max_num_queries):
    client = login(make_user("leader"))
    joiner = "&" if "?" in url else "?"

    response = client.get(f"{url}{joiner}page={page}")

    assert response.status_code == 200
    html = response.content.decode()
    assert DEEP_MESSAGE in html
    assert f"page={MAX_LIST_PAGE_NUMBER}" in html  # the way back to the last page that opens


def test_the_last_page_that_opens_is_read(make_user):
    response = login(make_user("leader")).get(reverse("petitions:list"), {"page": MAX_LIST_PAGE_NUMBER})

    assert response.status_code == 200
    assert DEEP_MESSAGE not in response.content.decode()
