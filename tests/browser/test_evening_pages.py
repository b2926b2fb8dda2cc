"""Issue 19 in a real browser: irreversible actions ask first (trap 3), the top menu fits on
office laptops (trap 5), and the main page of each role passes axe-core with no serious or
critical violation, with a screenshot at 1366×768 and 390×844 kept in var/screenshots/
(git-ignored; CI keeps it as an artefact) for a person to look at."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conclusions import services
from conclusions.models import Assignment, ConclusionNotice
from tests.conclusions.helpers import assign, ready_notice
from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"
AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"1366x768": (1366, 768), "390x844": (390, 844)}
BLOCKING = ("serious", "critical")


@pytest.fixture
def office(city):
    """A ward with one user of each role, a draft notice ready to issue and an issued one."""
    ward = ward_with_bodies(city, "Bồ Đề")
    committee = ward.bodies["UBND"]
    clerk = UserFactory(username="clerk", full_name="Trần Thị Thu Hà", agency=committee, is_clerk=True)
    leader = UserFactory(
        username="leader",
        full_name="Nguyễn Văn Luyện Trường Giang Phúc",  # a long name must not push the menu off
        title="Chủ tịch UBND phường",
        agency=committee,
        is_leader=True,
    )
    UserFactory(username="handler", full_name="Lê Quang Huy", agency=committee, is_handler=True)
    UserFactory(username="monitor", full_name="Phạm Thị Mai", agency=ward.bodies["MTTQ"], is_monitor=True)
    draft = ready_notice(ward, clerk, signer=leader)
    issued = ready_notice(ward, clerk, signer=leader)
    services.notice_issue(notice=issued, by=leader)
    return {"ward": ward, "clerk": clerk, "draft": draft, "issued": issued}


def sign_in(page, username):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", name="Xin chào", exact=False)).to_be_visible()


def test_issuing_asks_first_and_escape_changes_nothing(page, office):
    draft = office["draft"]
    sign_in(page, "leader")
    page.goto(f"/ket-luan/thong-bao/{draft.pk}/")
    page.get_by_role("button", name="Ban hành thông báo").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("không sửa được nữa")
    expect(dialog).to_contain_text("không hoàn tác được")
    expect(dialog.get_by_role("button", name="Thôi")).to_be_focused()  # a stray Enter cancels
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    draft.refresh_from_db()
    assert draft.status == ConclusionNotice.Status.DRAFT  # the old page issued it on this click

    # By keyboard: open it again, Tab to the confirming button (focus visible), Enter.
    page.get_by_role("button", name="Ban hành thông báo").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    confirm = dialog.get_by_role("button", name="Ban hành")
    expect(confirm).to_be_focused()
    assert confirm.evaluate(
        "b => getComputedStyle(b).outlineStyle !== 'none' || getComputedStyle(b).boxShadow !== 'none'"
    )
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã ban hành thông báo số", exact=False)).to_be_visible()
    draft.refresh_from_db()
    assert draft.status != ConclusionNotice.Status.DRAFT


def test_removing_an_assignment_asks_first(page, office):
    draft, clerk = office["draft"], office["clerk"]
    extra = assign(draft, clerk, agency=office["ward"].bodies["UBND"], item=2)
    sign_in(page, "clerk")
    page.goto(f"/ket-luan/thong-bao/{draft.pk}/")
    page.get_by_role("button", name="Bỏ").last.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Bỏ việc «Trả lời các ý kiến của Nhân dân» khỏi dự thảo?")
    dialog.get_by_role("button", name="Thôi").click()
    assert Assignment.objects.filter(pk=extra.pk).exists()
    page.get_by_role("button", name="Bỏ").last.click()
    dialog.get_by_role("button", name="Bỏ việc").click()
    expect(page.get_by_text("Đã bỏ việc khỏi dự thảo.")).to_be_visible()
    assert not Assignment.objects.filter(pk=extra.pk).exists()


@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_top_menu_fits_on_office_laptops(page, office, width):
    page.set_viewport_size({"width": width, "height": 768})
    sign_in(page, "leader")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    bar = page.locator(".app-header").bounding_box()
    user_menu = page.locator(".app-header .user-menu").bounding_box()
    assert user_menu["x"] + user_menu["width"] <= bar["x"] + bar["width"]
    assert user_menu["y"] + user_menu["height"] <= bar["y"] + bar["height"]  # on the red bar
    expect(page.locator(".navbar-toggler")).to_be_hidden()


def test_top_menu_collapses_below_992(page, office):
    page.set_viewport_size({"width": 900, "height": 768})
    sign_in(page, "leader")
    expect(page.get_by_role("link", name="Báo cáo")).to_be_hidden()
    page.get_by_role("button", name="Mở menu").click()
    expect(page.get_by_role("link", name="Báo cáo")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 900


def main_pages(office) -> dict[str, list[str]]:
    draft, issued = office["draft"], office["issued"]
    task = issued.assignments.first()
    return {
        "": ["/cong-khai/", "/tai-khoan/dang-nhap/", f"/cong-khai/dia-ban/{office['ward'].pk}/"],
        "clerk": [
            "/",
            "/hoi-nghi/",
            f"/hoi-nghi/{draft.conference_id}/",
            f"/y-kien/hoi-nghi/{draft.conference_id}/nhap/",
            "/y-kien/",
            "/y-kien/don/moi/",
            "/ket-luan/thong-bao/",
            f"/ket-luan/thong-bao/{draft.pk}/",
            "/ket-luan/viec/",
            "/theo-doi/",
            "/theo-doi/bao-cao/",
            # Pages issue 19's second round changed: the notice after issue (its later
            # opinions), the "mark held" form, an opinion's page, the supervision board.
            f"/ket-luan/thong-bao/{issued.pk}/",
            f"/hoi-nghi/{issued.conference_id}/to-chuc/",
            f"/y-kien/{issued.conference.petitions.first().pk}/",
            "/theo-doi/giam-sat/?work=due",
        ],
        "leader": ["/", f"/ket-luan/thong-bao/{draft.pk}/", "/theo-doi/qua-han/"],
        "handler": ["/", f"/ket-luan/viec/{task.pk}/"],
        "monitor": ["/", "/theo-doi/giam-sat/", "/theo-doi/bao-cao/thong-ke/"],
    }


def blocking_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results
        if v["impact"] in BLOCKING
    ]


def shoot(page, role: str, path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = (role or "public") + "_" + (re.sub(r"[^\w.-]+", "_", path.strip("/")) or "home")
    for label, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}_{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def test_main_pages_of_every_role_pass_axe(browser, live_server, office):
    # An opinion typed in after the notice: the notice's and conference's pages show it apart.
    from petitions.models import Category, Petition
    from petitions.services import PetitionDraft, petitions_add_to_conference

    petitions_add_to_conference(
        conference=office["issued"].conference,
        by=office["clerk"],
        drafts=[
            PetitionDraft(
                kind=Petition.Kind.RECOMMENDATION,
                channel=Petition.Channel.AT_CONFERENCE,
                category=Category.objects.first(),
                content="Sửa mặt đường ngõ 45 bị lún sau mưa",
                petitioner_name="Bà Đỗ Thị Lan",
            )
        ],
    )
    found = []
    for role, paths in main_pages(office).items():
        # bypass_csp: axe is injected by the test, never served by the site.
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", bypass_csp=True)
        page = context.new_page()
        page.set_viewport_size({"width": 1366, "height": 768})
        if role:
            sign_in(page, role)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            found += blocking_violations(page)
            shoot(page, role, path)
        context.close()
    assert found == [], "\n".join(found)


def test_returned_work_is_flagged_on_the_handlers_home(page, office):
    """Trap 7: a task sent back for more work looked like any other on the handler's home."""
    issued, clerk = office["issued"], office["clerk"]
    handler = UserFactory._meta.model.objects.get(username="handler")
    task = issued.assignments.first()
    services.assignment_report_done(assignment=task, by=handler, answer_to_citizen="Đã trả lời bằng văn bản.")
    services.assignment_return(assignment=task, by=clerk, reason="Thiếu văn bản trả lời kèm theo")
    sign_in(page, "handler")
    row = page.locator("li", has=page.get_by_role("link", name=task.task))
    expect(row.get_by_text("Bị trả lại")).to_be_visible()


def test_the_notice_names_the_responsible_person(page, office):
    """Trap 7: the item's assignment summary left out who answers for the work."""
    draft = office["draft"]
    handler = UserFactory._meta.model.objects.get(username="handler")
    draft.assignments.update(responsible_person=handler)
    sign_in(page, "clerk")
    page.goto(f"/ket-luan/thong-bao/{draft.pk}/")
    expect(page.get_by_text("Người chịu trách nhiệm: Lê Quang Huy")).to_be_visible()


def test_notice_and_conference_pages_show_their_history(page, office):
    """Trap 11: only opinions and assignments showed their history."""
    draft = office["draft"]
    sign_in(page, "leader")
    page.goto(f"/ket-luan/thong-bao/{draft.pk}/")
    page.get_by_role("button", name="Ban hành thông báo").click()
    page.get_by_role("dialog").get_by_role("button", name="Ban hành").click()
    expect(page.get_by_text("Đã ban hành thông báo số", exact=False)).to_be_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="Lịch sử thay đổi"))
    expect(history).to_contain_text("tạo mới")
    expect(history).to_contain_text("trạng thái: Đã ban hành")
    expect(history).to_contain_text("Nguyễn Văn Luyện Trường Giang Phúc")  # who issued it
    page.goto(f"/hoi-nghi/{draft.conference_id}/")
    expect(page.get_by_role("heading", name="Lịch sử thay đổi")).to_be_visible()
