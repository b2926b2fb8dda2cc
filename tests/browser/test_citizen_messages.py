"""Issue 17, in a real browser: a clerk logs a letter with the citizen's phone, e-mail and
consent; the fake SMS gateway (a real HTTP server on loopback) receives the "received" SMS,
and the opinion's page shows the message log."""

import pytest
from playwright.sync_api import expect

from config.celery import app as celery_app
from messaging.models import CitizenMessage
from petitions.models import Petition
from tests.browser import test_written_petition as written
from tests.messaging import conftest as messaging_fixtures

# The fixtures of those modules, used here too.
ward, contexts = written.ward, written.contexts
channels, gateway = messaging_fixtures.channels, messaging_fixtures.gateway
open_as = written.open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def test_a_logged_letter_reaches_the_citizen_by_sms(
    browser, live_server, ward, contexts, channels, gateway, eager_tasks, mailoutbox
):
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "django"}
    clerk = open_as(browser, live_server, contexts, "clerk")
    clerk.goto("/y-kien/don/moi/")
    clerk.get_by_label("Loại đơn").select_option(label="Kiến nghị")
    clerk.get_by_label("Lĩnh vực").select_option(label="Giao thông – hạ tầng")
    clerk.get_by_label("Họ tên / tên tổ chức").fill("Ông Phạm Văn Dân")
    clerk.get_by_label("Điện thoại", exact=True).fill("0912 345 6")  # a digit short
    clerk.get_by_label("E-mail", exact=True).fill("dan.pham@example.vn")
    clerk.get_by_label("Đồng ý nhận tin nhắn", exact=False).check()
    clerk.get_by_label("Nội dung đơn").fill("Đề nghị sửa đèn chiếu sáng ngõ 7 bị hỏng đã hai tháng.")
    clerk.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(clerk.get_by_text("Số điện thoại không đúng", exact=False)).to_be_visible()
    assert not Petition.objects.exists() and gateway.requests == []

    clerk.get_by_label("Điện thoại", exact=True).fill("0912 345 678")
    clerk.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(clerk.get_by_text("Đã vào sổ đơn.", exact=False)).to_be_visible()
    petition = Petition.objects.get()
    assert petition.petitioner_phone == "0912345678" and petition.message_consent

    [sms] = gateway.delivered("/sms")
    assert sms["to"] == "84912345678"
    assert sms["text"].startswith(f"Da tiep nhan y kien cua ban, ma tra cuu {petition.tracking_code}.")
    assert len(sms["text"]) <= 160 and sms["text"].isascii()
    assert [mail.to for mail in mailoutbox] == [["dan.pham@example.vn"]]

    clerk.goto(f"/y-kien/{petition.pk}/")
    log = clerk.locator("#citizen-messages")
    expect(log).to_contain_text("Người nêu đồng ý nhận tin.")
    expect(log.get_by_role("row").filter(has_text="SMS")).to_contain_text("Đã gửi")
    expect(log).to_contain_text("091****678")
    assert CitizenMessage.objects.filter(status="sent").count() == 2
