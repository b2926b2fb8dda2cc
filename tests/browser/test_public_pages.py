"""A citizen on the public area page follows a conference's "all opinions" link and pages
through them (issue 20: the area page lists only each conference's first opinions)."""

import pytest
from playwright.sync_api import expect

from public_pages import views as public_views
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of
from tests.public.test_public import _issued_conference

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_pages_through_a_conferences_opinions(page, ward, monkeypatch):
    monkeypatch.setattr(public_views, "OPINIONS_ON_AREA_PAGE", 2)
    monkeypatch.setattr(public_views, "OPINIONS_PER_PAGE", 3)
    _issued_conference(ward, leader_of(ward), clerk_of(ward), opinions=5)
    page.goto(f"/cong-khai/dia-ban/{ward.pk}/")
    assert page.locator("[data-testid=public-opinions] tbody tr").count() == 2
    # After a click, Playwright's expect waits for the next page; count() and is_visible()
    # read the page as it is at that instant (CI once read the old page: 0 rows).
    page.get_by_role("link", name="Xem tất cả 5 ý kiến").click()
    expect(page.get_by_text("Trang 1/2")).to_be_visible()
    expect(page.locator("[data-testid=public-opinions] tbody tr")).to_have_count(3)
    page.get_by_role("link", name="Sau").click()
    expect(page.get_by_text("Trang 2/2")).to_be_visible()
    expect(page.locator("[data-testid=public-opinions] tbody tr")).to_have_count(2)
