"""The deadline calculator: the page "Tính thời hạn" and GET /api/v1/deadlines/compute/,
answered by the functions that compute every stored deadline (cases counted by hand)."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.petitions.written_helpers import clerk_of

pytestmark = pytest.mark.django_db

API = "/api/v1/deadlines/compute/"


@pytest.mark.parametrize(
    ("query", "deadline"),
    [
        # Luật Khiếu nại 2011 Đ.27: 10 days from Friday 06/02/2026 end in Tết → Monday 23/02.
        ("rule=complaint-acceptance&start=2026-02-06", "2026-02-23"),
        # Đ.36, across 30/4–1/5/2026: the tenth day is 30/04 → Monday 04/05.
        ("rule=complaint-second-acceptance&start=2026-04-20", "2026-05-04"),
        # Đ.28: 45 days for a complex case from 13/02/2026: 28/02 is day 15, Monday 30/03 day 45.
        ("rule=complaint-first&start=2026-02-13&complex=1", "2026-03-30"),
        ("rule=complaint-second&start=2026-02-13&complex=1&remote=1", "2026-04-24"),
        # Luật Tố cáo 2018 Đ.24 k.1: 10 working days from 06/02/2026 across Tết → 27/02.
        ("rule=denunciation-acceptance&start=2026-02-06&multi_place=1", "2026-02-27"),
        ("rule=denunciation-acceptance&start=2026-02-06&multi_place=0", "2026-02-24"),
        # Đ.30: 30 + 30 + 30 days from Thursday 12/02/2026 → Wednesday 13/05/2026.
        ("rule=denunciation-resolution&start=2026-02-12&extensions=2", "2026-05-13"),
        ("rule=denunciation-resolution&start=2026-02-12", "2026-03-16"),
        # The make-up Saturday 22/08/2026 is a working day.
        ("rule=working-days&start=2026-08-21&n=1", "2026-08-22"),
        ("rule=calendar-days&start=2024-12-22&n=10", "2025-01-02"),
    ],
)
def test_api_answers_the_deadline_with_its_count(ward, query, deadline):
    response = login(clerk_of(ward)).get(f"{API}?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"deadline", "rule", "explanation"}
    assert body["deadline"] == deadline
    assert body["explanation"] and all(isinstance(line, str) for line in body["explanation"])


def test_api_explains_the_days_skipped_and_the_article(ward):
    body = login(clerk_of(ward)).get(f"{API}?rule=complaint-acceptance&start=2026-02-06").json()
    text = "\n".join(body["explanation"])
    assert "16/02/2026" in text and "Tết Nguyên Đán" in text and "Điều 27" in body["rule"] + text


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("rule=complaint-fourth&start=2026-02-06", "rule", "complaint-acceptance"),
        ("rule=complaint-acceptance&start=2026-02-31", "start", "Ngày không có thật"),
        ("rule=working-days&start=2026-02-06&n=-1", "n", "từ 0 trở lên"),
        ("rule=working-days&start=2026-02-06", "n", "từ 0 trở lên"),
        ("rule=denunciation-resolution&start=2026-02-06&extensions=3", "extensions", "nhiều nhất 2 lần"),
        ("rule=complaint-acceptance", "start", ""),
    ],
)
def test_api_bad_input_is_a_400_with_a_clear_message(ward, query, field, words):
    response = login(clerk_of(ward)).get(f"{API}?{query}")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_api_needs_a_login(client):
    assert client.get(f"{API}?rule=complaint-acceptance&start=2026-02-06").status_code == 401


def test_api_is_in_the_schema(ward):
    schema = login(clerk_of(ward)).get("/api/schema/").content.decode()
    assert "/api/v1/deadlines/compute/" in schema and "deadlines_compute" in schema


def test_page_shows_the_deadline_and_how_it_was_counted(ward, django_assert_max_num_queries):
    client = login(clerk_of(ward))
    url = reverse("petitions:deadline_calculator")
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(url, {"rule": "complaint-acceptance", "start": "06/02/2026"}).content.decode()
    assert "23/02/2026" in page and "Điều 27" in page and "Giao thừa Tết Nguyên Đán" in page
    bad = client.get(url, {"rule": "working-days", "start": "31/02/2026", "n": "-1"}).content.decode()
    assert "Ngày không có thật" in bad and "từ 0 trở lên" in bad


def test_page_is_for_signed_in_staff(client, ward):
    url = reverse("petitions:deadline_calculator")
    assert client.get(url).status_code == 302  # to the login page
    assert "tinh-thoi-han" in login(clerk_of(ward)).get(reverse("petitions:register")).content.decode()
