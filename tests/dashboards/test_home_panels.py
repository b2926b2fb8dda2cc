"""The home page's summaries: the leader's most overdue agencies and the monitor's figures,
each linking to the boards and to the lists behind the numbers."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.dashboards.boards_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(city):
    return build(city)


def test_leader_home_names_the_most_overdue_agency(boards):
    page = login(boards.users["leader"]).get(reverse("home"))
    assert reverse("dashboards:overdue") in page.text
    office_items = (
        reverse("conclusions:assignments") + f"?mine=0&amp;agency={boards.office.pk}&amp;show=overdue"
    )
    assert office_items in page.text
    assert page.text.index(boards.office.name) < page.text.index(boards.ward.bodies["UBND"].name + ":")


def test_leader_home_is_quiet_when_nothing_is_late(boards):
    from conclusions.models import Assignment

    Assignment.objects.update(status=Assignment.Status.ACCEPTED)
    page = login(boards.users["leader"]).get(reverse("home"))
    assert reverse("dashboards:overdue") not in page.text.split('id="home-leader"')[1].split("</section>")[0]


def test_monitor_home_loads_the_year_summary(boards):
    client = login(boards.users["monitor"])
    home = client.get(reverse("home"))
    summary_url = reverse("dashboards:home_supervision")
    assert f'hx-get="{summary_url}"' in home.text
    summary = client.get(summary_url)
    assert summary.status_code == 200
    received = summary.context["opinions"]["received"]
    assert received.url.replace("&", "&amp;") in summary.text
    count = client.get(received.url).context["page"].paginator.count
    assert count == received.value
    assert login(boards.users["leader"]).get(summary_url).status_code == 403
