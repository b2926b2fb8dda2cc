"""The JSON API: scoping, roles, writes through the services, confidentiality, schema, docs,
query counts."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.api import NO_ROLE, WRITE_NEEDS_EDITOR
from dialogue.api import AREA_NOT_EDITABLE
from dialogue.forms import CHAIRS_REQUIRED
from dialogue.models import Conference
from dialogue.services import CANNOT_HOLD_IN_FUTURE
from petitions.api import CONFERENCE_NOT_EDITABLE
from petitions.models import CONFIDENTIAL_PETITIONER, Petition
from petitions.services import ENTRY_CLOSED, NAME_REQUIRED
from tests.conftest import login
from tests.factories import (
    CategoryFactory,
    ConferenceBasisFactory,
    ConferenceChairFactory,
    ConferenceFactory,
    PetitionFactory,
)

SECRET_NAME = "Nguyễn Văn Bí Mật Zed"
SECRET_ADDRESS = "Số 77 ngõ Kín Đáo"
SECRET_PHONE = "0987000111"

CONFERENCES = reverse("api:conference-list")
PETITIONS = reverse("api:petition-list")
CATEGORIES = reverse("api:category-list")


def conference_url(conference):
    return reverse("api:conference-detail", args=[conference.pk])


def hold_url(conference):
    return reverse("api:conference-hold", args=[conference.pk])


def petition_url(petition):
    return reverse("api:petition-detail", args=[petition.pk])


def conference_petitions_url(conference):
    return reverse("api:conference-petition-list", kwargs={"conference_pk": conference.pk})


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def message_text(response) -> str:
    return str(response.json())


@pytest.fixture
def clerk(make_user):
    return make_user("clerk")


@pytest.fixture
def conference(ward):
    conference = ConferenceFactory(host_area=ward)
    ConferenceChairFactory(conference=conference)
    return conference


@pytest.fixture
def other_conference(other_ward):
    return ConferenceFactory(host_area=other_ward)


def plan_payload(area, **changes):
    payload = {
        "host_area": area.pk,
        "title": "Hội nghị đối thoại quý IV",
        "basis": ConferenceBasisFactory().pk,
        "kind": "scheduled",
        "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
        "place": "Hội trường UBND phường",
        "chairs": [{"full_name": "Nguyễn Thị Thanh Hằng", "title": "Bí thư Đảng ủy phường"}],
    }
    return {**payload, **changes}


def row(category, **changes):
    return {
        "kind": "kien_nghi",
        "channel": "at_conference",
        "category": category.pk,
        "content": "Đề nghị lắp đèn chiếu sáng ngõ 12",
        "petitioner_name": "Lê Thị Hoa",
        "petitioner_address": "Tổ dân phố 3",
        **changes,
    }


# --- scoping and roles -------------------------------------------------------------------


def test_conferences_are_scoped_to_the_users_area(clerk, conference, other_conference):
    client = login(clerk)

    assert ids(client.get(CONFERENCES)) == {conference.pk}
    assert client.get(conference_url(other_conference)).status_code == 404

    detail = client.get(conference_url(conference))
    assert detail.status_code == 200
    assert detail.json()["chairs"] == [
        {"full_name": "Nguyễn Thị Thanh Hằng", "title": "Bí thư Đảng ủy phường"}
    ]
    assert detail.json()["host_area"]["id"] == conference.host_area_id


def test_petitions_are_scoped_to_the_users_area(clerk, conference, other_conference):
    own = PetitionFactory(conference=conference)
    foreign = PetitionFactory(conference=other_conference)
    client = login(clerk)

    assert ids(client.get(PETITIONS)) == {own.pk}
    assert client.get(petition_url(foreign)).status_code == 404
    assert client.get(petition_url(own)).status_code == 200
    assert client.get(conference_petitions_url(other_conference)).status_code == 404
    assert ids(client.get(conference_petitions_url(conference))) == {own.pk}


def test_a_city_user_sees_every_ward(make_user, city, conference, other_conference):
    petitions = [PetitionFactory(conference=conference), PetitionFactory(conference=other_conference)]
    client = login(make_user("monitor", agency=city))

    assert ids(client.get(CONFERENCES)) == {conference.pk, other_conference.pk}
    assert ids(client.get(PETITIONS)) == {petition.pk for petition in petitions}
    assert client.get(conference_url(other_conference)).status_code == 200


def test_a_user_without_a_role_may_not_read(make_user, conference):
    response = login(make_user()).get(CONFERENCES)

    assert response.status_code == 403
    assert response.json()["detail"] == str(NO_ROLE)


def test_an_anonymous_caller_gets_nothing(conference):
    for url in (CONFERENCES, PETITIONS, CATEGORIES, conference_url(conference)):
        response = Client().get(url)
        assert response.status_code == 401
        assert "results" not in response.json()


@pytest.mark.parametrize("role", ["monitor", "handler"])
def test_only_clerks_and_leaders_write(make_user, ward, conference, role):
    client = login(make_user(role))
    category = CategoryFactory()

    responses = [
        client.post(CONFERENCES, plan_payload(ward), content_type="application/json"),
        client.post(
            hold_url(conference),
            {"participant_count": 120, "minutes": "..."},
            content_type="application/json",
        ),
        client.post(
            PETITIONS,
            {"conference": conference.pk, "petitions": [row(category)]},
            content_type="application/json",
        ),
        client.post(
            conference_petitions_url(conference),
            {"petitions": [row(category)]},
            content_type="application/json",
        ),
    ]

    assert [response.status_code for response in responses] == [403] * 4
    assert responses[0].json()["detail"] == str(WRITE_NEEDS_EDITOR)
    assert Conference.objects.count() == 1
    assert not Petition.objects.exists()


# --- conferences ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "leader"])
def test_an_editor_plans_a_conference(make_user, ward, role):
    user = make_user(role)

    response = login(user).post(CONFERENCES, plan_payload(ward), content_type="application/json")

    assert response.status_code == 201, response.content
    conference = Conference.objects.get()
    assert response.json()["id"] == conference.pk
    assert response.json()["status"] == Conference.Status.PLANNED
    assert (conference.host_area, conference.created_by) == (ward, user)
    assert [chair.full_name for chair in conference.chairs.all()] == ["Nguyễn Thị Thanh Hằng"]


def test_a_conference_cannot_be_planned_in_another_ward(clerk, other_ward):
    response = login(clerk).post(CONFERENCES, plan_payload(other_ward), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["host_area"] == [str(AREA_NOT_EDITABLE).format(pk_value=other_ward.pk)]
    assert not Conference.objects.exists()


def test_a_conference_needs_a_chair(clerk, ward):
    response = login(clerk).post(CONFERENCES, plan_payload(ward, chairs=[]), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["chairs"] == [str(CHAIRS_REQUIRED)]


def test_holding_a_conference(clerk, conference):
    response = login(clerk).post(
        hold_url(conference),
        {"participant_count": 120, "minutes": "Biên bản..."},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == Conference.Status.HELD
    conference.refresh_from_db()
    assert (conference.status, conference.participant_count) == (Conference.Status.HELD, 120)


def test_holding_a_future_conference_is_refused_with_the_services_message(clerk, ward):
    conference = ConferenceFactory(host_area=ward, starts_at=timezone.now() + timedelta(days=3))

    response = login(clerk).post(
        hold_url(conference),
        {"participant_count": 120, "minutes": "Biên bản..."},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [str(CANNOT_HOLD_IN_FUTURE)]}
    conference.refresh_from_db()
    assert conference.status == Conference.Status.PLANNED


def test_holding_another_wards_conference_is_not_found(clerk, other_conference):
    response = login(clerk).post(
        hold_url(other_conference),
        {"participant_count": 120, "minutes": "..."},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_conference_filters(make_user, city, ward, other_ward):
    held = ConferenceFactory(
        host_area=ward,
        title="Đối thoại về trật tự đô thị",
        status=Conference.Status.HELD,
        starts_at=timezone.now() - timedelta(days=1),
    )
    planned = ConferenceFactory(host_area=other_ward, starts_at=timezone.now() - timedelta(days=400))
    client = login(make_user("leader", agency=city))

    assert ids(client.get(CONFERENCES, {"host_area": city.pk})) == {held.pk, planned.pk}
    assert ids(client.get(CONFERENCES, {"host_area": ward.pk})) == {held.pk}
    assert ids(client.get(CONFERENCES, {"q": "trat tu do thi"})) == {held.pk}
    assert ids(client.get(CONFERENCES, {"status": "planned"})) == {planned.pk}
    assert ids(client.get(CONFERENCES, {"year": held.local_date.year})) == {held.pk}
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert ids(client.get(CONFERENCES, {"date_from": since})) == {held.pk}


# --- petitions -----------------------------------------------------------------------------


def test_a_clerk_adds_a_batch_of_opinions_to_a_conference(clerk, conference):
    category = CategoryFactory()
    rows = [
        row(category),
        row(category, petitioner_type="anonymous", petitioner_name=""),
        row(category, kind="phan_anh"),
    ]

    response = login(clerk).post(
        conference_petitions_url(conference), {"petitions": rows}, content_type="application/json"
    )

    assert response.status_code == 201, response.content
    saved = response.json()["petitions"]
    assert [petition["position"] for petition in saved] == [1, 2, 3]
    assert all(petition["tracking_code"] for petition in saved)
    assert list(conference.petitions.values_list("created_by", flat=True)) == [clerk.pk] * 3


def test_opinions_can_be_posted_to_the_petitions_endpoint_with_their_conference(clerk, conference):
    PetitionFactory(conference=conference, position=1)

    response = login(clerk).post(
        PETITIONS,
        {"conference": conference.pk, "petitions": [row(CategoryFactory())]},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["petitions"][0]["position"] == 2
    assert conference.petitions.count() == 2


def test_one_bad_row_saves_nothing(clerk, conference):
    category = CategoryFactory()
    rows = [row(category), row(category, petitioner_name=""), row(category)]

    response = login(clerk).post(
        conference_petitions_url(conference), {"petitions": rows}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"petitions": {"1": {"petitioner_name": [str(NAME_REQUIRED)]}}}
    assert not Petition.objects.exists()


def test_an_unknown_category_in_one_row_saves_nothing(clerk, conference):
    category = CategoryFactory()
    rows = [row(category), {**row(category), "category": category.pk + 1000}]

    response = login(clerk).post(
        conference_petitions_url(conference), {"petitions": rows}, content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()["petitions"]) == ["1"]
    assert "category" in response.json()["petitions"]["1"]
    assert not Petition.objects.exists()


def test_a_closed_conference_takes_no_more_opinions(clerk, ward):
    conference = ConferenceFactory(host_area=ward, status=Conference.Status.CLOSED)

    response = login(clerk).post(
        conference_petitions_url(conference),
        {"petitions": [row(CategoryFactory())]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [str(ENTRY_CLOSED)]}
    assert not Petition.objects.exists()


def test_opinions_cannot_be_added_to_another_wards_conference(clerk, other_conference):
    client = login(clerk)
    rows = [row(CategoryFactory())]

    by_id = client.post(
        PETITIONS, {"conference": other_conference.pk, "petitions": rows}, content_type="application/json"
    )
    nested = client.post(
        conference_petitions_url(other_conference), {"petitions": rows}, content_type="application/json"
    )

    assert by_id.status_code == 400
    assert by_id.json()["conference"] == [str(CONFERENCE_NOT_EDITABLE).format(pk_value=other_conference.pk)]
    assert nested.status_code == 404
    assert not Petition.objects.exists()


def test_petition_filters(clerk, conference, ward):
    land = PetitionFactory(conference=conference, content="Lấn chiếm vỉa hè", kind="phan_anh")
    other = PetitionFactory(conference=conference, category=CategoryFactory(name="Môi trường"))
    client = login(clerk)

    assert ids(client.get(PETITIONS, {"q": "lan chiem via he"})) == {land.pk}
    assert ids(client.get(PETITIONS, {"kind": "phan_anh"})) == {land.pk}
    assert ids(client.get(PETITIONS, {"category": other.category_id})) == {other.pk}
    assert ids(client.get(PETITIONS, {"area": ward.pk, "conference": conference.pk})) == {land.pk, other.pk}


def test_categories_lists_the_active_ones(clerk):
    active = CategoryFactory(name="Đất đai")
    inactive = CategoryFactory(name="Cũ", is_active=False)

    response = login(clerk).get(CATEGORIES)

    assert response.status_code == 200
    listed = {category["id"] for category in response.json()}
    assert active.pk in listed and inactive.pk not in listed


# --- confidentiality -----------------------------------------------------------------------


def test_a_denouncers_identity_never_leaves_through_the_api(make_user, conference):
    denunciation = PetitionFactory(
        conference=conference,
        kind=Petition.Kind.DENUNCIATION,
        content="Tố cáo cán bộ địa chính nhận tiền",
        petitioner_name=SECRET_NAME,
        petitioner_address=SECRET_ADDRESS,
        petitioner_phone=SECRET_PHONE,
    )
    # Clerks and leaders see the identity on the web page of the case; the API shows it to no one.
    responses = []
    for role in ("clerk", "leader", "monitor"):
        client = login(make_user(role))
        responses += [
            client.get(PETITIONS),
            client.get(petition_url(denunciation)),
            client.get(conference_petitions_url(conference)),
            client.get(PETITIONS, {"kind": "to_cao"}),
        ]
        for query in ("Bí Mật", "bi mat zed", "Zed", "Kín Đáo"):
            search = client.get(PETITIONS, {"q": query})
            assert search.json()["count"] == 0
            responses.append(search)

    for response in responses:
        assert response.status_code == 200
        text = response.content.decode()
        for secret in (SECRET_NAME, "Bí Mật", "Zed", SECRET_ADDRESS, SECRET_PHONE):
            assert secret not in text
            assert secret not in str(response.json())
    detail = responses[1].json()
    assert detail["petitioner"] == str(CONFIDENTIAL_PETITIONER)
    assert detail["tracking_code"] == denunciation.tracking_code
    assert not {"petitioner_name", "petitioner_address", "petitioner_phone"} & detail.keys()


def test_a_denunciation_posted_through_the_api_is_not_echoed(clerk, conference):
    secret_row = row(
        CategoryFactory(), kind="to_cao", petitioner_name=SECRET_NAME, petitioner_phone=SECRET_PHONE
    )

    response = login(clerk).post(
        conference_petitions_url(conference), {"petitions": [secret_row]}, content_type="application/json"
    )

    assert response.status_code == 201
    assert "Zed" not in response.content.decode() and SECRET_PHONE not in response.content.decode()
    assert Petition.objects.get().petitioner_name == SECRET_NAME  # kept for those who handle it


def test_other_kinds_show_the_petitioner_but_lists_never_show_a_phone(clerk, conference):
    petition = PetitionFactory(
        conference=conference,
        petitioner_name="Trần Văn Dân",
        petitioner_address="Tổ dân phố 5",
        petitioner_phone="0912345678",
    )
    client = login(clerk)

    listed = client.get(PETITIONS)
    detail = client.get(petition_url(petition)).json()

    assert "0912345678" not in listed.content.decode()
    assert listed.json()["results"][0]["petitioner"] == "Trần Văn Dân, Tổ dân phố 5"
    assert (detail["petitioner_name"], detail["petitioner_address"]) == ("Trần Văn Dân", "Tổ dân phố 5")


# --- token authentication --------------------------------------------------------------------


def test_token_authentication(clerk, conference):
    anonymous = Client()

    refused = anonymous.post(reverse("api-token"), {"username": clerk.username, "password": "sai-mat-khau"})
    obtained = anonymous.post(
        reverse("api-token"), {"username": clerk.username, "password": "mat-khau-thu-nghiem-9"}
    )

    assert refused.status_code == 400
    assert obtained.status_code == 200
    token = obtained.json()["token"]
    response = Client().get(CONFERENCES, HTTP_AUTHORIZATION=f"Token {token}")
    assert ids(response) == {conference.pk}
    assert Client().get(CONFERENCES, HTTP_AUTHORIZATION="Token sai").status_code == 401


# --- schema and docs -----------------------------------------------------------------------


def test_the_openapi_schema(clerk):
    response = login(clerk).get(reverse("schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/conferences/", "/api/v1/petitions/", "/api/v1/conferences/{id}/hold/"} <= schema[
        "paths"
    ].keys()


def test_the_docs_load_everything_from_this_server(clerk):
    client = login(clerk)

    page = client.get(reverse("api-docs"))
    script = client.get(reverse("api-docs"), {"script": ""})

    assert page.status_code == 200 and script.status_code == 200
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    assert all(url.startswith("/") and not url.startswith("//") for url in urls), urls
    assert "/static/drf_spectacular_sidecar/" in html
    for text in (html, script.content.decode()):
        assert not re.search(r"https?://", text)


# --- query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_conference_list_queries_do_not_grow(clerk, ward, django_assert_max_num_queries, rows):
    for conference in ConferenceFactory.create_batch(rows, host_area=ward):
        PetitionFactory(conference=conference)
    client = login(clerk)

    with django_assert_max_num_queries(6):
        response = client.get(CONFERENCES)

    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_petition_list_queries_do_not_grow(clerk, conference, django_assert_max_num_queries, rows):
    for index in range(rows):
        PetitionFactory(conference=conference, category=CategoryFactory(name=f"Lĩnh vực {index}"))
    client = login(clerk)

    with django_assert_max_num_queries(6):
        response = client.get(PETITIONS)
    with django_assert_max_num_queries(7):
        client.get(conference_petitions_url(conference))
    # A search: its time limits (savepoints and settings) are statements too, as many for any rows.
    with django_assert_max_num_queries(9):
        searched = client.get(PETITIONS, {"q": "y kien"})

    assert response.json()["count"] == rows
    assert len(searched.json()["results"]) == rows
    assert {row["petitioner"] for row in searched.json()["results"]} == {"Ông Nguyễn Văn An, Tổ dân phố 1"}
