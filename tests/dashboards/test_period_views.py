"""Issue 19, trap 9: the supervision dashboard's two views of a period's assignments. The old
board counted only work due in the period, so a conference held in November whose work is due
in January showed half of it for November. The default is now the work that arose in the
period (from conferences held in it); the work due in it stays one click away. Numbers by hand;
each equals the count of the list it links to; constant queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dashboards import metrics
from tests.conftest import login
from tests.dashboards.boards_data import assignment, build, held_conference, issued_notice
from tests.dashboards.test_boards import assert_figures_match_lists
from tests.factories import ward_with_bodies

pytestmark = pytest.mark.django_db
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}


@pytest.fixture
def boards(city):
    """A ward of its own: a conference held 20/11/2026 whose notice gives three tasks, due
    28/11/2026, 15/01/2027 and 30/01/2027; an October conference with a task due 25/11/2026;
    and a notice without a conference issued 10/11/2026, with a task due 20/12/2026."""
    boards = build(city)
    ward = ward_with_bodies(city, "Long Biên")
    leader = boards.users["leader"]
    november = held_conference(ward, date(2026, 11, 20))
    notice = issued_notice(ward, leader, conference=november)
    for due in (date(2026, 11, 28), date(2027, 1, 15), date(2027, 1, 30)):
        assignment(notice, ward.bodies["UBND"], due)
    october = issued_notice(ward, leader, conference=held_conference(ward, date(2026, 10, 15)))
    assignment(october, ward.bodies["UBND"], date(2026, 11, 25))
    loose = issued_notice(ward, leader)
    loose.issued_on = date(2026, 11, 10)
    loose.save(update_fields=["issued_on"])
    assignment(loose, ward.bodies["UBND"], date(2026, 12, 20))
    boards.long_bien = ward
    return boards


def board(client, ward, **params):
    return client.get(reverse("dashboards:supervision"), {**NOVEMBER, "area": ward.pk, **params})


def test_the_default_counts_the_work_of_conferences_held_in_the_period(boards):
    client = login(boards.users["city_monitor"])
    page = board(client, boards.long_bien)
    assert page.context["basis"] == metrics.ARISING
    # The November conference's three tasks and the notice issued in November: 4 (the old
    # board: 2, the tasks due in November, one of them from October's conference).
    assert page.context["assignments"]["open"].value == 4
    html = page.content.decode()
    assert "Việc từ hội nghị tổ chức trong kỳ, chưa xong" in html
    assert "Việc từ hội nghị tổ chức trong kỳ; theo dõi yếu nhất" in html  # the rankings say so too
    assert 'value="arising" class="form-check-input" id="id_work_0" checked' in html.replace("required ", "")


def test_work_due_in_the_period_is_the_other_view(boards):
    client = login(boards.users["city_monitor"])
    page = board(client, boards.long_bien, work=metrics.DUE)
    assert page.context["assignments"]["open"].value == 2  # due 25/11 and 28/11
    assert "Việc được giao có hạn trong kỳ, chưa xong" in page.content.decode()


@pytest.mark.parametrize("work", [metrics.ARISING, metrics.DUE])
def test_every_figure_of_either_view_equals_its_list(boards, work):
    client = login(boards.users["city_monitor"])
    page = board(client, boards.long_bien, work=work)
    assert assert_figures_match_lists(client, page.context, ["assignments", "by_agency", "by_area"]) >= 10
    # The whole city too, over a period that covers the boards' own data.
    wide = {"start": (date.today() - timedelta(days=400)).isoformat(), "end": "2027-02-28"}
    page = client.get(reverse("dashboards:supervision"), {**wide, "area": boards.city.pk, "work": work})
    assert assert_figures_match_lists(client, page.context, ["assignments", "by_agency", "by_area"]) >= 10


def test_an_unknown_view_is_refused_not_guessed(boards):
    client = login(boards.users["city_monitor"])
    page = board(client, boards.long_bien, work="everything")
    assert page.status_code == 200
    assert page.context["basis"] == metrics.ARISING  # the form falls back to its defaults
    assert page.context["form"].errors == {}


@pytest.mark.parametrize("extra", [2, 12])
def test_the_arising_view_keeps_a_constant_query_count(boards, extra, django_assert_max_num_queries):
    client = login(boards.users["city_monitor"])
    params = {**NOVEMBER, "area": boards.city.pk, "work": metrics.ARISING}
    before = client.get(reverse("dashboards:supervision"), params).context["assignments"]["open"].value
    for n in range(extra):
        ward = ward_with_bodies(boards.city, f"Thử {n}")
        notice = issued_notice(
            ward, boards.users["leader"], conference=held_conference(ward, date(2026, 11, 2 + n))
        )
        assignment(notice, ward.bodies["UBND"], date(2027, 1, 5))
    client.get(reverse("dashboards:supervision"), params)
    # 24, as the dashboard's own budget: one question whether the area is the only top-level
    # one, one whether the monthly summaries hold it (a regional area).
    with django_assert_max_num_queries(24):
        page = client.get(reverse("dashboards:supervision"), params)
    assert page.context["assignments"]["open"].value == before + extra
