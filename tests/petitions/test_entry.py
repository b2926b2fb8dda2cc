import pytest
from django.urls import reverse

from petitions.forms import NOTHING_ENTERED
from petitions.models import Category, Petition
from petitions.services import ANSWER_REQUIRED, NAME_REQUIRED
from tests.conftest import login
from tests.factories import conference_for, petition_for

pytestmark = pytest.mark.django_db


def rows_payload(rows: list[dict]) -> dict:
    category = Category.objects.get(name="Đất đai – GPMB – tái định cư").pk
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "500",
    }
    defaults = {
        "petitioner_type": "person",
        "petitioner_name": "",
        "petitioner_address": "",
        "channel": "at_conference",
        "category": "",
        "kind": "kien_nghi",
        "content": "",
        "conference_answer": "",
        "answered_by": "",
    }
    for index, row in enumerate(rows):
        values = {**defaults, **({"category": category} if row.get("content") else {}), **row}
        for name, value in values.items():
            if name == "answered_at_conference":
                if value:
                    data[f"rows-{index}-{name}"] = "on"
            else:
                data[f"rows-{index}-{name}"] = value
    return data


def test_clerk_enters_several_opinions_at_once(ward, make_user):
    conference = conference_for(ward, status="held")
    petition_for(conference)  # one already entered: numbering continues after it
    response = login(make_user("clerk")).post(
        reverse("petitions:entry", args=[conference.pk]),
        rows_payload(
            [
                {
                    "petitioner_name": "Ông Trần Văn Bình",
                    "petitioner_address": "Tổ 5",
                    "content": "Đền bù chậm",
                },
                {
                    "petitioner_name": "Hội Phụ nữ",
                    "petitioner_type": "organisation",
                    "content": "Sân chơi trẻ em",
                    "answered_at_conference": True,
                    "conference_answer": "Đã đưa vào kế hoạch",
                },
                {"petitioner_type": "anonymous", "content": "Ngập úng", "channel": "before_conference"},
                {},  # a row added with Enter and never typed in
            ]
        ),
    )
    assert response.status_code == 302
    saved = list(conference.petitions.order_by("position"))
    assert [p.position for p in saved] == [1, 2, 3, 4]
    assert saved[1].petitioner_name == "Ông Trần Văn Bình" and saved[1].outcome == Petition.Outcome.PENDING
    assert (
        saved[2].outcome == Petition.Outcome.ANSWERED and saved[2].conference_answer == "Đã đưa vào kế hoạch"
    )
    assert saved[3].petitioner_name == "" and saved[3].channel == "before_conference"
    assert all(len(p.tracking_code) == 11 for p in saved)


def test_one_bad_row_saves_nothing_and_is_marked(ward, make_user):
    conference = conference_for(ward, status="held")
    page = login(make_user("clerk")).post(
        reverse("petitions:entry", args=[conference.pk]),
        rows_payload(
            [
                {"petitioner_name": "Ông A", "content": "Hợp lệ"},
                {"petitioner_name": "", "content": "Thiếu tên"},
                {"petitioner_name": "Bà B", "content": "Trả lời rồi", "answered_at_conference": True},
            ]
        ),
    )
    assert page.status_code == 200
    assert not Petition.objects.exists()
    assert str(NAME_REQUIRED) in page.text and str(ANSWER_REQUIRED) in page.text
    assert page.text.count("entry-row mb-2 has-errors") == 2
    assert "Hợp lệ</textarea>" in page.text  # typed text is kept


def test_an_empty_grid_is_refused(ward, make_user):
    conference = conference_for(ward, status="held")
    page = login(make_user("clerk")).post(
        reverse("petitions:entry", args=[conference.pk]), rows_payload([{}])
    )
    assert str(NOTHING_ENTERED) in page.text or "bắt buộc" in page.text
    assert not Petition.objects.exists()


def test_entry_is_for_editors_in_scope(ward, other_ward, make_user):
    mine, theirs = conference_for(ward, status="held"), conference_for(other_ward, status="held")
    assert login(make_user("monitor")).get(reverse("petitions:entry", args=[mine.pk])).status_code == 403
    assert login(make_user("clerk")).get(reverse("petitions:entry", args=[theirs.pk])).status_code == 404


def test_closed_conference_takes_no_more_opinions(ward, make_user):
    conference = conference_for(ward, status="cancelled")
    page = login(make_user("clerk")).post(
        reverse("petitions:entry", args=[conference.pk]),
        rows_payload([{"petitioner_name": "Ông A", "content": "X"}]),
        follow=True,
    )
    assert "không nhập thêm ý kiến" in page.text
    assert not Petition.objects.exists()


def test_saving_many_rows_costs_a_constant_number_of_category_lookups(ward, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    conference = conference_for(ward, status="held")
    client = login(make_user("clerk"))
    client.get(reverse("home"))
    payload = rows_payload([{"petitioner_name": f"Ông {n}", "content": f"Ý kiến {n}"} for n in range(30)])
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("petitions:entry", args=[conference.pk]), payload)
    category_queries = [q for q in queries.captured_queries if 'FROM "petitions_category"' in q["sql"]]
    assert conference.petitions.count() == 30
    assert len(category_queries) <= 2
