import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory, ward_with_bodies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-9"


@pytest.fixture
def people(city):
    ward = ward_with_bodies(city, "Bồ Đề")
    return {
        "clerk": UserFactory(
            username="clerk", full_name="Trần Thị Thu Hà", agency=ward.bodies["UBND"], is_clerk=True
        ),
        "monitor": UserFactory(
            username="monitor", full_name="Phạm Thị Lan", agency=ward.bodies["MTTQ"], is_monitor=True
        ),
    }


def sign_in(page, username):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")


def test_clerk_signs_in_finds_a_body_and_signs_out(page, people):
    sign_in(page, "clerk")
    expect(page.get_by_role("heading", name="Xin chào, Trần Thị Thu Hà")).to_be_visible()
    expect(page.get_by_role("heading", name="Văn phòng: hội nghị và ý kiến")).to_be_visible()

    page.get_by_role("link", name="Cơ quan, đơn vị").first.click()
    page.get_by_placeholder("Tìm theo tên").fill("uy ban mttq")
    page.get_by_placeholder("Tìm theo tên").press("Enter")
    expect(page.get_by_role("link", name="Ủy ban MTTQ Việt Nam phường Bồ Đề")).to_be_visible()

    page.get_by_role("button", name="Trần Thị Thu Hà").click()  # the user menu
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_monitor_home_and_a_forbidden_page(page, people):
    sign_in(page, "monitor")
    expect(page.get_by_role("heading", name="Giám sát của Mặt trận Tổ quốc")).to_be_visible()
    response = page.goto("/tai-khoan/nguoi-dung/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="Bạn không có quyền làm việc này")).to_be_visible()


def test_wrong_password_is_explained_next_to_the_form(page, people):
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("clerk")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")
