"""Building blocks for the conclusions tests: a held conference with opinions, a draft notice
with assignments, through the same services the pages use."""

from datetime import date

from conclusions import services
from conclusions.models import CommitteeTerm
from tests.factories import UserFactory, conference_for, petition_for

SEED_004_ITEMS = [
    "Văn phòng Đảng ủy, Văn phòng UBND tổng hợp các ý kiến phát biểu tại hội nghị; chậm nhất ngày 10/10/2022 thông báo ý kiến kết luận đến các cơ quan, đơn vị liên quan.",
    "Giao UBND Phường giải quyết kịp thời, hiệu quả những vấn đề dân sinh bức xúc đặt ra; chỉ đạo các bộ phận chuyên môn trả lời các ý kiến, kiến nghị của Nhân dân, xong trước ngày 30/10/2022.",
    "Định kỳ, người đứng đầu cấp ủy, chính quyền báo cáo kết quả giải quyết các ý kiến, kiến nghị và gửi UB MTTQ phường để theo dõi, giám sát.",
    "Ủy ban MTTQ và các đoàn thể chính trị - xã hội giám sát kết quả thực hiện kết luận hội nghị đối thoại.",
]


def leader_of(ward, **fields):
    fields.setdefault("full_name", "Nguyễn Văn Luyện")
    return UserFactory(agency=ward.bodies["UBND"], is_leader=True, **fields)


def handler_of(agency, **fields):
    return UserFactory(agency=agency, is_handler=True, **fields)


def held_conference(ward, opinions: int = 2):
    conference = conference_for(ward, status="held")
    for _ in range(opinions):
        petition_for(conference)
    return conference


def draft_notice(ward, by, *, conference=None, body="UBND", items=None, signer=None):
    return services.notice_draft_create(
        by=by,
        conference=conference,
        issuing_body=ward.bodies[body],
        items=items or SEED_004_ITEMS,
        summary="Kết luận của người đứng đầu cấp ủy, chính quyền tại hội nghị đối thoại",
        recipients="Như trên\nLưu: VT",
        signer=signer or by,
        signer_title="CHỦ TỊCH",
    )


def assign(notice, by, *, agency, petitions=(), rule="date", on=date(2026, 12, 31), days=None, item=0):
    return services.assignment_add(
        notice=notice,
        by=by,
        item=list(notice.items.all())[item],
        task="Trả lời các ý kiến của Nhân dân",
        lead_agency=agency,
        petitions=list(petitions),
        deadline=services.DeadlineSpec(rule=rule, on=on if rule == "date" else None, days=days),
    )


def party_term(body):
    return CommitteeTerm.objects.create(
        body=body, name="2025 – 2030", starts_on=date(2025, 7, 1), ends_on=date(2030, 6, 30)
    )


def ready_notice(ward, clerk, *, opinions=2, **kwargs):
    """A draft whose every opinion is assigned: it can be issued."""
    conference = held_conference(ward, opinions)
    notice = draft_notice(ward, clerk, conference=conference, **kwargs)
    assign(notice, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all())
    return notice
