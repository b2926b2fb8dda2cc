"""The leader's overdue review and the monitor's supervision dashboard: the numbers (spelled
out by hand), each number equal to the count of the list it links to, scoping (404) and roles
(403), and constant query counts at two data sizes."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.urls import reverse

from dashboards.links import Figure
from tests.conftest import login
from tests.dashboards.boards_data import build, days_ago, held_conference, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(city):
    return build(city)


def period_params(**extra) -> dict:
    return {"start": days_ago(400).isoformat(), "end": (today() + timedelta(days=60)).isoformat(), **extra}


def figures(value):
    """Every Figure in a page's context value (dicts, lists, tuples, nested)."""
    if isinstance(value, Figure):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from figures(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from figures(item)


def list_count(client, url: str, sums: str = "") -> int:
    """How many rows the list at `url` has (or the sum of a column over them)."""
    response = client.get(url)
    assert response.status_code == 200, url
    paginator = response.context["page"].paginator
    if sums:
        return paginator.object_list.aggregate(total=Sum(sums))["total"] or 0
    return paginator.count


def assert_figures_match_lists(client, context, names) -> int:
    checked = 0
    for name in names:
        for figure in figures(context[name]):
            assert list_count(client, figure.url, figure.sums) == figure.value, (name, figure.url)
            checked += 1
    return checked


# --- the leader's overdue review ---------------------------------------------------------


def test_review_groups_by_agency_most_overdue_first(boards):
    page = login(boards.users["leader"]).get(reverse("dashboards:overdue"))
    assert page.status_code == 200
    rows = [
        (g["lead_agency__name"], g["overdue"].value, g["overdue_1_7"].value, g["overdue_8_30"].value,
         g["overdue_over_30"].value, g["due_soon"].value)
        for g in page.context["groups"]
    ]  # fmt: skip
    assert rows == [
        (boards.office.name, 3, 1, 1, 1, 0),
        (boards.ward.bodies["UBND"].name, 1, 1, 0, 0, 1),
    ]
    assert page.context["totals"]["overdue"].value == 4
    assert "Cầu Giấy" not in page.text  # another ward's overdue item is out of scope


def test_review_numbers_equal_their_lists(boards):
    client = login(boards.users["leader"])
    page = client.get(reverse("dashboards:overdue"))
    assert assert_figures_match_lists(client, page.context, ["groups", "totals"]) == 15


def test_review_filters_narrow_the_numbers_and_their_links(boards):
    client = login(boards.users["leader"])
    params = {
        "agency": boards.office.pk,
        "deadline_from": days_ago(12).strftime("%d/%m/%Y"),
        "deadline_to": days_ago(1).strftime("%d/%m/%Y"),
        "conference": boards.conferences["main"].pk,
    }
    page = client.get(reverse("dashboards:overdue"), params)
    assert page.status_code == 200 and not page.context["form"].errors
    [group] = page.context["groups"]
    assert group["overdue"].value == 2  # 3 and 10 days overdue; the 40-day one is outside the range
    assert_figures_match_lists(client, page.context, ["groups", "totals"])


def test_review_category_filter(boards):
    from petitions.models import Category

    client = login(boards.users["leader"])
    other_category = Category.objects.exclude(name="Khác").first()
    page = client.get(reverse("dashboards:overdue"), {"category": other_category.pk})
    assert page.context["groups"] == []
    page = client.get(reverse("dashboards:overdue"), {"category": Category.objects.get(name="Khác").pk})
    [group] = page.context["groups"]  # only the item answering an opinion has a category
    assert group["overdue"].value == 1
    assert_figures_match_lists(client, page.context, ["groups", "totals"])


def test_review_roles(boards):
    url = reverse("dashboards:overdue")
    assert login(boards.users["handler"]).get(url).status_code == 403
    for role in ("leader", "clerk", "monitor"):
        assert login(boards.users[role]).get(url).status_code == 200


def test_review_lists_pending_extensions_for_leaders(boards):
    from conclusions.models import ExtensionRequest

    ExtensionRequest.objects.create(
        assignment=boards.assignments["overdue_3"],
        requested_by=boards.users["handler"],
        requested_deadline=today() + timedelta(days=20),
        reason="Chờ ý kiến của Sở Xây dựng",
    )
    ExtensionRequest.objects.create(
        assignment=boards.assignments["other"],
        requested_by=boards.users["handler"],
        requested_deadline=today() + timedelta(days=20),
        reason="Ngoài phạm vi",
    )
    page = login(boards.users["leader"]).get(reverse("dashboards:overdue"))
    assert [e.assignment for e in page.context["extensions"]] == [boards.assignments["overdue_3"]]
    assert reverse("conclusions:assignment", args=[boards.assignments["overdue_3"].pk]) in page.text
    clerk_page = login(boards.users["clerk"]).get(reverse("dashboards:overdue"))
    assert clerk_page.context["extensions"] == []  # only leaders decide extensions


@pytest.mark.parametrize("extra", [2, 20])
def test_review_query_count_is_constant(boards, extra, django_assert_max_num_queries):
    from tests.dashboards.boards_data import assignment, issued_notice
    from tests.factories import OrgUnitFactory

    notice = issued_notice(boards.ward, boards.users["leader"], conference=boards.conferences["main"])
    for n in range(extra):
        agency = OrgUnitFactory(parent=boards.ward, name=f"Tổ dân phố {n}", kind="other")
        assignment(notice, agency, days_ago(n + 1))
    client = login(boards.users["leader"])
    client.get(reverse("dashboards:overdue"))
    with django_assert_max_num_queries(11):  # +1: the reopened opinions waiting (issue 17)
        page = client.get(reverse("dashboards:overdue"))
    assert len(page.context["groups"]) == 2 + extra


# --- the supervision dashboard -----------------------------------------------------------


def test_supervision_numbers(boards):
    page = login(boards.users["monitor"]).get(reverse("dashboards:supervision"), period_params())
    assert page.status_code == 200
    context = page.context
    assert context["area"] == boards.ward
    assert {k: f.value for k, f in context["conferences"].items()} == {
        "held": 3, "scheduled": 2, "ad_hoc": 1, "participants": 270,
    }  # fmt: skip
    assert {k: f.value for k, f in context["opinions"].items()} == {
        "received": 7, "merged": 1, "answered": 1, "transferred": 1, "rejected": 1, "resolved": 3,
        "resolved_on_time": 2, "resolved_late": 1, "open": 2, "overdue": 1,
    }  # fmt: skip
    assignments = {k: f.value for k, f in context["assignments"].items() if isinstance(f, Figure)}
    assert assignments == {
        "open": 6, "overdue": 4, "due_soon": 1, "overdue_1_7": 2, "overdue_8_30": 1, "overdue_over_30": 1,
    }  # fmt: skip
    by_agency = [(r["lead_agency__name"], r["overdue"].value, r["open"].value, r["accepted"].value)
                 for r in context["by_agency"]]  # fmt: skip
    # office: 3 overdue of 5 due (3 open + 2 accepted) = 60 %; committee: 1 of 3 = 33 %.
    assert by_agency == [(boards.office.name, 3, 3, 2), (boards.ward.bodies["UBND"].name, 1, 3, 0)]
    [own] = context["by_area"]  # a ward has no areas below: only its own agencies
    assert own["own"] and own["overdue"].value == 4
    months = {row["month"]: row for row in context["trend"]}
    held_month = days_ago(90).replace(day=1)
    assert months[held_month]["received"].value == 7
    assert sum(row["held"].value for row in context["trend"]) == 3
    # 1 ward needing 1 conference a year, over 461 days: 461/365 rounds to 1.
    assert context["required"] == 1
    # The requirement (Decision 2200) counts the two scheduled dialogues, not the ad hoc one.
    assert context["counted"].value == 2


def test_the_requirement_counts_scheduled_dialogues_of_its_bases_only(boards):
    """Luật/QĐ 2200's yearly requirement names its bases: a scheduled meeting on another basis
    ("Khác"), an ad hoc one and a voter meeting are held but not counted (issue 14, 6a)."""
    from dialogue.models import Conference, ConferenceBasis

    client = login(boards.users["monitor"])
    before = client.get(reverse("dashboards:supervision"), period_params()).context
    other_basis = ConferenceBasis.objects.get(short_name="Khác")
    held_conference(boards.ward, days_ago(30), basis=other_basis)
    held_conference(boards.ward, days_ago(31), kind=Conference.Kind.AD_HOC)
    held_conference(
        boards.ward,
        days_ago(32),
        meeting_type="voter_meeting",
        deputy_level="commune",
        deputies="Lê Văn B – Đại biểu",
    )
    page = client.get(reverse("dashboards:supervision"), period_params())
    assert page.context["conferences"]["held"].value == before["conferences"]["held"].value + 2
    assert page.context["counted"].value == before["counted"].value == 2
    assert assert_figures_match_lists(client, page.context, ["counted", "conferences"]) == 5
    assert 'data-figure="conferences-counted"' in page.text


def test_supervision_numbers_equal_their_lists(boards):
    client = login(boards.users["monitor"])
    held_before = client.get(reverse("dashboards:supervision"), period_params()).context["conferences"][
        "held"
    ]
    # A voter meeting: its own figures, the dialogues' unchanged.
    held_conference(
        boards.ward,
        days_ago(20),
        participants=40,
        meeting_type="voter_meeting",
        deputy_level="commune",
        deputies="Lê Văn B – Đại biểu HĐND phường",
    )
    page = client.get(reverse("dashboards:supervision"), period_params())
    assert page.context["conferences"]["held"].value == held_before.value
    assert (
        page.context["voter_meetings"]["meetings"].value,
        page.context["voter_meetings"]["participants"].value,
    ) == (
        1,
        40,
    )
    names = [
        "conferences", "counted", "voter_meetings", "opinions", "breakdowns", "assignments", "by_agency", "by_area",
    ]  # fmt: skip
    assert assert_figures_match_lists(client, page.context, [*names, "trend"]) > 40


def test_city_monitor_sees_wards_ranked_and_their_lists_agree(boards):
    client = login(boards.users["city_monitor"])
    page = client.get(reverse("dashboards:supervision"), period_params(area=boards.city.pk))
    assert page.status_code == 200
    ranked = [(row["area"], row["overdue"].value) for row in page.context["by_area"]]
    assert ranked == [(boards.other, 1), (boards.ward, 4)]  # Cầu Giấy: 1 of 1 overdue, weakest
    assert page.context["opinions"]["received"].value == 7 + 0
    names = ["conferences", "opinions", "assignments", "by_agency", "by_area"]
    assert_figures_match_lists(client, page.context, names)


def test_supervision_whole_scope_without_area(boards):
    """A user with no area of their own (a superuser) sees the whole scope; lists agree."""
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True)
    client = login(admin)
    page = client.get(reverse("dashboards:supervision"), period_params())
    assert page.context["area"] is None
    assert page.context["conferences"]["held"].value == 4
    assert_figures_match_lists(client, page.context, ["conferences", "opinions", "assignments", "by_agency"])


def test_supervision_scoping_and_roles(boards):
    url = reverse("dashboards:supervision")
    monitor = login(boards.users["monitor"])
    assert monitor.get(url, period_params(area=boards.other.pk)).status_code == 404
    assert monitor.get(url, period_params(area=boards.city.pk)).status_code == 404
    assert monitor.get(url, period_params(area=boards.office.pk)).status_code == 404  # not an area
    for role in ("leader", "clerk", "handler", "monitor"):
        assert login(boards.users[role]).get(url).status_code == 200
    assert login(boards.users["leader"]).get(url, {"area": boards.other.pk}).status_code == 404


def test_supervision_default_period_is_this_year(boards):
    page = login(boards.users["monitor"]).get(reverse("dashboards:supervision"))
    period = page.context["period"]
    assert (period.start, period.end) == (today().replace(month=1, day=1), today().replace(month=12, day=31))


def test_supervision_rejects_a_reversed_period(boards):
    page = login(boards.users["monitor"]).get(
        reverse("dashboards:supervision"), {"start": "31/12/2026", "end": "01/01/2026"}
    )
    assert page.status_code == 200
    assert page.context["period"].start <= page.context["period"].end  # fell back to this year


@pytest.mark.parametrize("extra", [2, 12])
def test_supervision_query_count_is_constant(boards, extra, django_assert_max_num_queries):
    from tests.dashboards.boards_data import assignment, held_conference, issued_notice
    from tests.factories import petition_for, ward_with_bodies

    for n in range(extra):
        ward = ward_with_bodies(boards.city, f"Thử {n}")
        conference = held_conference(ward, days_ago(10 + n))
        opinion = petition_for(conference)
        notice = issued_notice(ward, boards.users["leader"], conference=conference)
        assignment(notice, ward.bodies["UBND"], days_ago(n), petitions=[opinion])
    client = login(boards.users["city_monitor"])
    params = period_params(area=boards.city.pk)
    client.get(reverse("dashboards:supervision"), params)
    # 23: the ranking by agency groups by the agency's id (the late ones first, then every one
    # when fewer than 30 are late), then reads the names shown; one count of the conferences
    # the yearly requirement counts; whether the city's scope is everything (the only
    # top-level area: User.sees_everything, then no scope condition on any row); whether the
    # monthly summaries hold the city (a regional area: none here, so it is computed live).
    with django_assert_max_num_queries(24):
        page = client.get(reverse("dashboards:supervision"), params)
    assert len(page.context["by_area"]) == 2 + extra


def test_area_search_is_scoped_and_accent_free(boards):
    url = reverse("accounts:area_search")
    ward_monitor = login(boards.users["monitor"])
    assert ward_monitor.get(url, {"q": "cau giay"}).json() == {"results": []}
    assert [r["id"] for r in ward_monitor.get(url, {"q": "bo de"}).json()["results"]] == [boards.ward.pk]
    city_monitor = login(boards.users["city_monitor"])
    found = city_monitor.get(url, {"q": "cau giay"}).json()["results"]
    assert found == [{"id": boards.other.pk, "name": boards.other.name, "parent": boards.city.name}]
    assert city_monitor.get(url, {"q": ""}).json() == {"results": []}
    # Bodies are not areas: the ward's office is never offered.
    assert all(r["id"] != boards.office.pk for r in city_monitor.get(url, {"q": "phong"}).json()["results"])


def test_pages_print_and_the_lists_choose_areas_by_type_ahead(boards):
    client = login(boards.users["city_monitor"])
    for url in (reverse("dashboards:overdue"), reverse("dashboards:supervision")):
        page = client.get(url)
        assert "data-print" in page.text and "css/dashboards.css" in page.text
    for name, field in (("petitions:list", "area"), ("dialogue:list", "host_area")):
        page = client.get(reverse(name), {field: boards.ward.pk})
        assert page.status_code == 200
        # No drop-down of every area in scope: a hidden id and the chosen area's name.
        assert f'name="{field}" value="{boards.ward.pk}"' in page.text
        assert f'value="{boards.ward.name}"' in page.text
        assert f'<option value="{boards.other.pk}"' not in page.text
