"""Messages claimed once and delivered once, through a real HTTP gateway on loopback."""

import base64
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from messaging import services
from messaging.models import CitizenMessage, MessageOptOut
from petitions import services as petition_services
from petitions.events import CitizenEvent, announce
from petitions.models import Category, Petition
from tests.conftest import login
from tests.factories import OrgUnitFactory, UserFactory
from tests.petitions.written_helpers import DENOUNCER, clerk_of, letter
from tests.workers import celery_workers, forget_queue, private_queue, wait_for

pytestmark = pytest.mark.django_db
CONTACT = {"petitioner_phone": "0912 345 678", "petitioner_email": "hoa@example.vn", "message_consent": True}


@pytest.fixture(autouse=True)
def eager_tasks():
    """The delivery task runs in-process here (the worker tests below use a real worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def clerk(ward):
    return clerk_of(ward)


def logged(ward, clerk, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return letter(ward, clerk, received_on=timezone.localdate(), **{**CONTACT, **fields})


def test_a_letter_with_consent_is_told_received_by_sms_zalo_and_email(
    ward, clerk, channels, gateway, mailoutbox, django_capture_on_commit_callbacks
):
    petition = logged(ward, clerk, django_capture_on_commit_callbacks)
    link = f"https://doithoai.hanoi.gov.vn/cong-khai/tra-cuu/?ma={petition.tracking_code}"
    [sms] = gateway.delivered("/sms")
    message = CitizenMessage.objects.get(channel="sms")
    assert sms == {
        "to": "84912345678",
        "from": "UBND-BODE",
        "text": f"Da tiep nhan y kien cua ban, ma tra cuu {petition.tracking_code}. Theo doi tai {link}",
        "request_id": f"doithoai-{message.pk}",
    }
    request = next(r for r in gateway.requests if r["path"] == "/sms/send")
    assert request["headers"]["authorization"] == "Basic " + base64.b64encode(b"phuong:bi-mat").decode()
    [zalo] = gateway.delivered("/zalo")
    assert zalo["template_id"] == "tpl-received" and zalo["phone"] == "84912345678"
    assert zalo["template_data"]["ma_tra_cuu"] == petition.tracking_code
    assert (
        next(r for r in gateway.requests if r["path"].startswith("/zalo"))["headers"]["access_token"]
        == "zalo-token"
    )
    [mail] = mailoutbox
    assert mail.to == ["hoa@example.vn"] and petition.tracking_code in mail.subject
    token = services.opt_out_token(petition.tracking_code)
    assert f"/cong-khai/ngung-nhan-tin/{petition.tracking_code}/{token}/" in mail.body
    assert set(CitizenMessage.objects.values_list("channel", "status")) == {
        ("sms", "sent"),
        ("zalo", "sent"),
        ("email", "sent"),
    }
    assert message.provider_id == "sms1"


def test_no_consent_no_message_and_nothing_unless_configured(
    ward, clerk, settings, gateway, django_capture_on_commit_callbacks
):
    logged(ward, clerk, django_capture_on_commit_callbacks, message_consent=False)
    settings.CITIZEN_MESSAGE_BACKENDS = {"sms": "off", "zalo": "off", "email": "off"}
    logged(ward, clerk, django_capture_on_commit_callbacks)
    assert not CitizenMessage.objects.exists() and gateway.requests == []


def test_the_same_event_announced_twice_is_sent_once(
    ward, clerk, channels, gateway, django_capture_on_commit_callbacks
):
    petition = logged(ward, clerk, django_capture_on_commit_callbacks)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            announce(kind=CitizenEvent.RECEIVED, petition_ids=[petition.pk])
    assert len(gateway.delivered("/sms")) == 1
    assert CitizenMessage.objects.filter(channel="sms").count() == 1


def test_a_refused_message_is_retried_and_sent_once(
    ward, clerk, channels, gateway, django_capture_on_commit_callbacks
):
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    gateway.fail_next = 1
    logged(ward, clerk, django_capture_on_commit_callbacks)
    assert [r["refused"] for r in gateway.requests] == [True, False]
    message = CitizenMessage.objects.get()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


def test_a_message_given_up_shows_on_the_opinion_page_with_a_retry_button(
    ward, other_ward, clerk, channels, gateway, make_user, django_capture_on_commit_callbacks
):
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    gateway.fail_next = 10
    petition = logged(ward, clerk, django_capture_on_commit_callbacks)
    message = CitizenMessage.objects.get()
    assert (message.status, message.attempts) == ("failed", 3) and "HTTP 503" in message.last_error
    page = login(clerk).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert (
        "Gửi không được" in page
        and "HTTP 503" in page
        and reverse("messaging:retry", args=[message.pk]) in page
    )
    assert "091****678" in page and "0912345678" not in page  # the contact, masked

    retry = reverse("messaging:retry", args=[message.pk])
    assert login(make_user("monitor")).post(retry).status_code == 403  # reads only
    assert login(clerk_of(other_ward)).post(retry).status_code == 404  # another ward's
    gateway.fail_next = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = login(clerk).post(retry)
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "sent" and len(gateway.delivered("/sms")) == 1


def test_the_services_announce_assigned_extended_answered_and_closed(
    ward, clerk, channels, gateway, make_user, django_capture_on_commit_callbacks
):
    from conclusions import services as conclusion_services

    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    leader = make_user("leader")
    complaint = logged(ward, clerk, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        petition_services.petition_accept(
            petition=complaint, by=clerk, accepted_on=timezone.localdate(), complexity="normal"
        )
    complaint.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = conclusion_services.petition_assignment_add(
            petition=complaint, by=clerk, task="Giải quyết khiếu nại", lead_agency=ward.bodies["UBND"]
        )
    request = conclusion_services.extension_request(
        assignment=assignment,
        by=make_user("handler"),
        requested_deadline=assignment.deadline + timedelta(days=10),
        reason="Cần xác minh thêm",
    )
    with django_capture_on_commit_callbacks(execute=True):
        conclusion_services.extension_decide(request=request, by=leader, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            kind=CitizenEvent.ANSWERED,
            petition_ids=[complaint.pk],
            data={"agency": "UBND phường Bồ Đề", "answer": 7},
        )
    declined = logged(ward, clerk, django_capture_on_commit_callbacks, petitioner_phone="0987 654 321")
    with django_capture_on_commit_callbacks(execute=True):
        petition_services.petition_decline(petition=declined, by=clerk, reason="Không thuộc thẩm quyền")

    texts = [body["text"] for body in gateway.delivered("/sms")]
    deadline = f"{assignment.deadline:%d/%m/%Y}"
    extended = f"{request.requested_deadline:%d/%m/%Y}"
    code = complaint.tracking_code
    assert texts[0].startswith(f"Da tiep nhan y kien cua ban, ma tra cuu {code}")
    assert texts[1].startswith(f"Y kien {code} da duoc giao UBND phuong Bo De giai quyet, han {deadline}.")
    assert texts[2].startswith(f"Y kien {code}: han giai quyet duoc gia han den {extended}.")
    assert texts[3].startswith(f"Y kien {code} da co tra loi cua UBND phuong Bo De.")
    assert texts[5].startswith(f"Y kien {declined.tracking_code} khong duoc tiep nhan giai quyet.")
    assert len(texts) == 6 and all(len(text) <= 160 for text in texts)
    assert set(CitizenMessage.objects.values_list("kind", flat=True)) == set(CitizenEvent.ALL) - {
        "closed"
    } | {"closed"}


def test_opt_out_from_the_tracking_page_stops_further_messages(
    ward, clerk, channels, gateway, client, django_capture_on_commit_callbacks
):
    petition = logged(ward, clerk, django_capture_on_commit_callbacks)
    # An address of its own: the lookups are rate-limited per address in the shared cache.
    client.defaults["REMOTE_ADDR"] = "10.17.0.2"
    page = client.get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    link = reverse(
        "public:opt_out", args=[petition.tracking_code, services.opt_out_token(petition.tracking_code)]
    )
    assert link in page
    wrong = reverse("public:opt_out", args=[petition.tracking_code, "0" * 24])
    assert client.get(wrong).status_code == 404 and client.post(wrong).status_code == 404
    assert client.get(link).status_code == 200 and not MessageOptOut.objects.exists()  # a GET only asks
    assert "không nhận thêm tin nhắn" in client.post(link).content.decode()
    assert MessageOptOut.objects.filter(petition=petition).exists()
    before = len(gateway.requests)
    with django_capture_on_commit_callbacks(execute=True):
        announce(kind=CitizenEvent.CLOSED, petition_ids=[petition.pk], data={"reason": "resolved"})
    assert len(gateway.requests) == before
    assert link not in client.get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()


def test_the_api_gives_staff_the_message_log_and_keeps_a_denouncers_contact(
    ward, city, clerk, channels, gateway, django_capture_on_commit_callbacks
):
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    with django_capture_on_commit_callbacks(execute=True):
        case = petition_services.written_petition_create(
            area=ward,
            by=clerk,
            data=petition_services.WrittenPetitionData(
                received_on=timezone.localdate(),
                channel=Petition.Channel.LETTER,
                kind=Petition.Kind.DENUNCIATION,
                category=Category.objects.get(name="Khác"),
                content="Tố cáo cán bộ địa chính nhận tiền.",
                petitioner_name=DENOUNCER,
                **CONTACT,
            ),
        )
    answer = login(clerk).get(f"/api/v1/petitions/{case.pk}/").json()
    assert answer["message_log"]["consent"] is True
    [entry] = answer["message_log"]["messages"]
    assert (entry["kind"], entry["channel"], entry["status"], entry["recipient"]) == (
        "received",
        "sms",
        "sent",
        "091****678",
    )
    city_clerk = UserFactory(
        agency=OrgUnitFactory(parent=city, kind="committee", name="UBND TP"), is_clerk=True
    )
    answer = login(city_clerk).get(f"/api/v1/petitions/{case.pk}/").json()
    assert answer["message_log"]["messages"][0]["recipient"] == ""  # not one of those handling it
    assert "petitioner_email" not in answer and "petitioner_phone" not in answer
    assert DENOUNCER not in str(answer) and "hoa@example.vn" not in str(answer)


def _letters_by_phone(ward, *, series: str, count: int) -> list[Petition]:
    """Letters of `count` citizens who agreed to be told by phone only: 0987000<series>00…"""
    clerk = clerk_of(ward)
    return [
        letter(
            ward,
            clerk,
            received_on=date.today(),
            message_consent=True,
            petitioner_email="",
            petitioner_phone=f"0987000{series}{n:02d}",
        )
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_once(ward, channels, gateway):
    """Two deliveries of one batch in two threads (two connections, real row locks)."""
    import threading

    from django.db import connection

    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "off", "zalo": "off", "email": "off"}  # while logging
    channels.MESSAGES_DELIVERY_CHUNK = 3
    petitions = _letters_by_phone(ward, series="1", count=12)
    # The claim queues its task on a queue nobody serves (removed below): the threads deliver.
    channels.MESSAGES_QUEUE = private_queue("messages")
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    celery_app.conf.task_always_eager = False
    try:
        batch = services.messages_claim(kind="received", petition_ids=[p.pk for p in petitions], data={})
    finally:
        celery_app.conf.task_always_eager = True
        forget_queue(channels.MESSAGES_QUEUE)
    results = []

    def deliver():
        results.append(services.messages_deliver(batch=batch))
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phones = sorted(body["to"] for body in gateway.delivered("/sms"))
    assert phones == sorted(f"849870001{n:02d}" for n in range(12))  # each once
    assert sum(result.sent for result in results) == 12
    assert set(CitizenMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert Petition.objects.count() == 12


@pytest.mark.django_db(transaction=True)
def test_real_celery_workers_send_each_message_once_with_a_retried_and_a_duplicated_task(
    ward, channels, gateway, tmp_path
):
    """Two worker processes on the real Redis broker; the gateway refuses its first request
    (the task retries with backoff) and the task is queued twice: each message arrives once."""
    from messaging.tasks import messages_deliver_batch

    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "off", "zalo": "off", "email": "off"}
    petitions = _letters_by_phone(ward, series="2", count=8)
    queue = private_queue("messages")
    channels.MESSAGES_QUEUE = queue
    channels.CITIZEN_MESSAGE_BACKENDS = {"sms": "http", "zalo": "off", "email": "off"}
    gateway.fail_next = 1
    worker_settings = {
        "MESSAGES_SMS": "http",
        "MESSAGES_ZALO": "off",
        "MESSAGES_EMAIL": "off",
        "SMS_GATEWAY_URL": f"{gateway.url}/sms/send",
        "SMS_GATEWAY_ERROR_FIELD": "status",
        "MESSAGES_RETRY_SECONDS": "1",
        "MESSAGES_DELIVERY_CHUNK": "2",
    }
    celery_app.conf.task_always_eager = False
    try:
        batch = services.messages_claim(kind="received", petition_ids=[p.pk for p in petitions], data={})
        messages_deliver_batch.apply_async(args=[str(batch)], queue=queue)  # a duplicate
        with celery_workers(queue, log_dir=tmp_path, count=2, **worker_settings) as logs:
            delivered = wait_for(
                lambda: (
                    not CitizenMessage.objects.exclude(status="sent").exists()
                    and len(gateway.delivered()) >= 8
                ),
                seconds=40,
            )
            assert delivered, logs[0].read_text()[-3000:]
            # Both tasks (and the retry) have run once the logs say so; nothing more may arrive.
            assert wait_for(lambda: sum(log.read_text().count("succeeded") for log in logs) >= 2, seconds=20)
            phones = sorted(body["to"] for body in gateway.delivered())
            assert phones == sorted(f"849870002{n:02d}" for n in range(8))
            assert [r["refused"] for r in gateway.requests].count(True) == 1
            assert CitizenMessage.objects.filter(attempts=2).count() == 1  # the refused one, retried
    finally:
        celery_app.conf.task_always_eager = True
