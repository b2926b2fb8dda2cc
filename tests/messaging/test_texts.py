"""Every event's SMS is one GSM-7 segment of at most 160 characters, with worst-case values;
the full text keeps the Vietnamese marks."""

from datetime import date

import pytest

from messaging.texts import SMS_LIMIT, compose, cut, is_one_segment, short_name, unaccented
from petitions.events import CitizenEvent

LONG_AGENCY = (
    "Ủy ban nhân dân phường Hoàng Văn Thụ thuộc Ban Quản lý dự án đầu tư xây dựng công trình "
    "dân dụng và công nghiệp thành phố Hà Nội – Phòng Kinh tế, Hạ tầng và Đô thị (chủ trì)"
)
URL = "https://doithoai.hanoi.gov.vn/cong-khai/tra-cuu/?ma=ABCDE-23456"
CASES = [
    (CitizenEvent.RECEIVED, {}),
    (CitizenEvent.ASSIGNED, {"agency": LONG_AGENCY, "deadline": "2026-12-31"}),
    (CitizenEvent.EXTENDED, {"deadline": "2027-01-30"}),
    (CitizenEvent.ANSWERED, {"agency": LONG_AGENCY}),
    (CitizenEvent.CLOSED, {"reason": "resolved"}),
    (CitizenEvent.CLOSED, {"reason": "transferred", "transferred_to": LONG_AGENCY}),
    (CitizenEvent.CLOSED, {"reason": "duplicate"}),
    (CitizenEvent.CLOSED, {"reason": "rejected"}),
]


@pytest.mark.parametrize(("kind", "data"), CASES)
def test_every_sms_is_one_gsm7_segment_with_worst_case_values(kind, data):
    message = compose(kind=kind, code="ABCDE-23456", url=URL, data=data)
    assert len(message.sms) <= SMS_LIMIT, (len(message.sms), message.sms)
    assert is_one_segment(message.sms)
    assert message.sms.isascii()
    assert "ABCDE-23456" in message.sms and URL in message.sms  # the code and the link survive
    assert "ABCDE-23456" in message.text and message.subject


def test_the_assigned_message_names_the_agency_and_the_deadline_as_offices_write_them():
    message = compose(
        kind=CitizenEvent.ASSIGNED,
        code="ABCDE-23456",
        url=URL,
        data={"agency": "Ủy ban nhân dân phường Bồ Đề", "deadline": date(2026, 3, 5).isoformat()},
    )
    assert (
        message.text
        == f"Ý kiến ABCDE-23456 đã được giao UBND phường Bồ Đề giải quyết, hạn 05/03/2026. Xem {URL}"
    )
    assert (
        message.sms
        == f"Y kien ABCDE-23456 da duoc giao UBND phuong Bo De giai quyet, han 05/03/2026. Xem {URL}"
    )
    assert message.params == {
        "ma_tra_cuu": "ABCDE-23456",
        "co_quan": "UBND phường Bồ Đề",
        "han": "05/03/2026",
        "duong_dan": URL,
    }


def test_a_long_agency_is_shortened_at_a_word_with_an_ellipsis():
    message = compose(kind=CitizenEvent.ANSWERED, code="ABCDE-23456", url=URL, data={"agency": LONG_AGENCY})
    assert "UBND phuong Hoang Van Thu" in message.sms and "..." in message.sms
    assert len(message.sms) == SMS_LIMIT or len(message.sms) >= SMS_LIMIT - 15  # used, not wasted
    assert short_name(LONG_AGENCY) in message.text  # the full text keeps it whole
    assert short_name(LONG_AGENCY).startswith("UBND phường") and "TP Hà Nội" in short_name(LONG_AGENCY)


def test_folding_vietnamese_to_gsm7():
    assert (
        unaccented("Đã tiếp nhận ý kiến – Phường Ồ Ề “đẹp” 😀 [x]")
        == 'Da tiep nhan y kien - Phuong O E "dep"  x'
    )
    assert short_name("Ủy ban Mặt trận Tổ quốc Việt Nam phường") == "UBMTTQ phường"
    assert cut("Phòng Kinh tế Hạ tầng", 12) == "Phòng..."  # never half a word
    assert cut("Phòng Kinh tế Hạ tầng", 13) == "Phòng Kinh..."
    assert cut("ngắn", 12) == "ngắn"
