"""Demo opinions: the 14 opinions of the Bồ Đề conference of 30/9/2022 in the four groups of
seed 004, and a few for the other demo conferences, some still open. Entered through the same
services a clerk uses; idempotent (a conference that has opinions is left alone)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from dialogue.demo import BO_DE_2022_TITLE, BO_DE_VOTER_MEETING_TITLE
from dialogue.models import Conference
from petitions.models import Category, Petition
from petitions.services import PetitionDraft, petition_set_outcome, petitions_add_to_conference

Kind, Outcome, Type = Petition.Kind, Petition.Outcome, Petition.PetitionerType

LAND = "Đất đai – GPMB – tái định cư"
URBAN = "Quy hoạch – xây dựng – trật tự đô thị"
INFRA = "Giao thông – hạ tầng"
ENVIRONMENT = "Tài nguyên – môi trường"
SECURITY = "An ninh trật tự"
SOCIETY = "Văn hóa – xã hội"
EDUCATION = "Giáo dục"


@dataclass(frozen=True)
class DemoOpinion:
    who: str
    where: str
    category: str
    kind: str
    content: str
    answer: str = ""  # answered at the conference
    outcome: str = Outcome.IN_AUTHORITY
    transferred_to: str = ""
    duplicate_of: int | None = None  # 1-based index in the same list
    who_type: str = Type.PERSON


BO_DE_2022 = [
    # 1. Quản lý đất đai và giải phóng mặt bằng
    DemoOpinion("Ông Nguyễn Văn Thành", "Tổ dân phố 5", LAND, Kind.RECOMMENDATION,
                "Đề nghị phường đẩy nhanh việc chi trả tiền hỗ trợ cho các hộ đã bàn giao mặt bằng dự án mở rộng đường Nguyễn Văn Cừ đoạn qua tổ 5."),
    DemoOpinion("Bà Lê Thị Hoa", "Tổ dân phố 12", LAND, Kind.RECOMMENDATION,
                "Đề nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho các hộ sử dụng đất ở ổn định từ trước năm 1993 tại ngõ 279 Ngọc Lâm.",
                outcome=Outcome.TRANSFERRED, transferred_to="UBND quận Long Biên (Phòng Tài nguyên và Môi trường)"),
    DemoOpinion("Ông Trần Đức Hải", "Tổ dân phố 3", LAND, Kind.REFLECTION,
                "Phản ánh tình trạng lấn chiếm đất công tại khu đất trống cạnh trường mầm non để trông giữ xe trái phép.",
                answer="Phường đã lập biên bản, yêu cầu trả lại hiện trạng; Đội trật tự xây dựng kiểm tra hằng tuần.", outcome=Outcome.ANSWERED),
    DemoOpinion("Ông Phạm Văn Dũng", "Tổ dân phố 8", LAND, Kind.RECOMMENDATION,
                "Đề nghị thông tin tiến độ bố trí tái định cư cho các hộ thuộc dự án đường Long Biên - Cầu Đuống.",
                outcome=Outcome.TRANSFERRED, transferred_to="Ban Quản lý dự án đầu tư xây dựng quận Long Biên"),
    # 2. Trật tự đô thị, trật tự xây dựng, vệ sinh môi trường, hạ tầng dân sinh
    DemoOpinion("Bà Ngô Thị Lan", "Tổ dân phố 10", URBAN, Kind.REFLECTION,
                "Phản ánh công trình xây dựng sai phép tại ngõ 22 phố Bồ Đề kéo dài nhiều tháng chưa được xử lý dứt điểm."),
    DemoOpinion("Ông Hoàng Minh Tuấn", "Tổ dân phố 15", INFRA, Kind.PROPOSAL,
                "Đề nghị lắp đặt bổ sung đèn chiếu sáng trong ngõ 110 Nguyễn Sơn, buổi tối rất tối, mất an toàn.",
                answer="UBND phường đưa vào kế hoạch chiếu sáng ngõ xóm quý IV/2022.", outcome=Outcome.ANSWERED),
    DemoOpinion("Bà Đỗ Thị Mai", "Tổ dân phố 6", ENVIRONMENT, Kind.REFLECTION,
                "Phản ánh rác thải tập kết không đúng giờ tại điểm đầu ngõ 58 Ngọc Lâm, gây mùi và mất vệ sinh."),
    DemoOpinion("Ông Vũ Quang Huy", "Tổ dân phố 1", INFRA, Kind.RECOMMENDATION,
                "Đề nghị cải tạo hệ thống thoát nước ngõ 192 Nguyễn Văn Cừ, mỗi khi mưa to nước ngập sâu vào nhà dân."),
    DemoOpinion("Hội Cựu chiến binh phường", "", URBAN, Kind.RECOMMENDATION,
                "Đề nghị xử lý tình trạng lấn chiếm vỉa hè, lòng đường để kinh doanh trên phố Nguyễn Văn Cừ.",
                answer="Phường giao Đội trật tự đô thị ra quân xử lý theo kế hoạch từ tháng 10/2022.", outcome=Outcome.ANSWERED,
                who_type=Type.ORGANISATION),
    # 3. Bảo đảm an ninh trật tự
    DemoOpinion("Ông Bùi Văn Nam", "Tổ dân phố 9", SECURITY, Kind.REFLECTION,
                "Phản ánh tình trạng thanh thiếu niên tụ tập, chạy xe lạng lách ban đêm ở khu vực bãi giữa sông Hồng.",
                answer="Công an phường tăng cường tuần tra vào các buổi tối cuối tuần.", outcome=Outcome.ANSWERED),
    DemoOpinion("Bà Trịnh Thị Thu", "Tổ dân phố 14", SECURITY, Kind.PROPOSAL,
                "Đề nghị lắp camera an ninh và tăng cường tuần tra tại các ngõ nhỏ, nơi thường xảy ra mất trộm xe máy."),
    # 4. Văn hóa - xã hội
    DemoOpinion("Hội Liên hiệp Phụ nữ phường", "", SOCIETY, Kind.PROPOSAL,
                "Đề nghị quan tâm xây dựng sân chơi cho trẻ em tại khu đất trống tổ dân phố 7.", who_type=Type.ORGANISATION),
    DemoOpinion("Ông Lý Văn Khoa", "Tổ dân phố 11", SOCIETY, Kind.RECOMMENDATION,
                "Kiến nghị rà soát, bảo đảm chế độ cho người cao tuổi và các hộ cận nghèo trên địa bàn.",
                answer="Phường đã rà soát, danh sách được niêm yết tại nhà văn hóa các tổ dân phố.", outcome=Outcome.ANSWERED),
    DemoOpinion("Bà Phan Thị Hạnh", "Tổ dân phố 2", INFRA, Kind.RECOMMENDATION,
                "Ngõ 192 Nguyễn Văn Cừ ngập nặng mỗi khi mưa, đề nghị sớm cải tạo rãnh thoát nước.",
                outcome=Outcome.DUPLICATE, duplicate_of=8),
]  # fmt: skip

OTHERS = {
    "Đối thoại về trật tự đô thị và thoát nước": [
        DemoOpinion("Ông Đào Văn Hùng", "Tổ dân phố 10", INFRA, Kind.RECOMMENDATION,
                    "Đề nghị nạo vét rãnh thoát nước ngõ 22 phố Bồ Đề, mưa lớn nước tràn vào nhà."),
        DemoOpinion("Bà Khổng Thị Liên", "Tổ dân phố 12", URBAN, Kind.REFLECTION,
                    "Phản ánh hàng quán lấn chiếm vỉa hè phố Nguyễn Văn Cừ, người đi bộ phải xuống lòng đường."),
        DemoOpinion("Ông Mạc Văn Toàn", "Tổ dân phố 9", URBAN, Kind.REFLECTION,
                    "Phản ánh công trình nhà ở số 18 ngõ 279 xây vượt số tầng được cấp phép."),
    ],
    "Đối thoại với Nhân dân về trật tự đô thị và hạ tầng năm 2025": [
        DemoOpinion("Ông Đinh Công Tráng", "Tổ dân phố 20", URBAN, Kind.REFLECTION,
                    "Phản ánh các quán ăn lấn chiếm vỉa hè phố Trần Đăng Ninh sau 22 giờ."),
        DemoOpinion("Bà Mai Thị Yến", "Tổ dân phố 17", INFRA, Kind.RECOMMENDATION,
                    "Đề nghị khắc phục điểm ngập tại ngã tư Trần Thái Tông - Dương Đình Nghệ.",
                    outcome=Outcome.TRANSFERRED, transferred_to="Sở Xây dựng Hà Nội"),
        DemoOpinion("Ông Tạ Quang Vinh", "Tổ dân phố 3", INFRA, Kind.PROPOSAL,
                    "Đề xuất bố trí điểm trông giữ xe cho khu tập thể Nghĩa Tân."),
    ],
    "Hội nghị đối thoại năm 2026": [
        DemoOpinion("Bà Chu Thị Ngân", "Tổ dân phố 8", ENVIRONMENT, Kind.REFLECTION,
                    "Phản ánh bụi và tiếng ồn từ công trường xây dựng chung cư trên phố Việt Hưng."),
        DemoOpinion("Ông Kiều Văn Lâm", "Tổ dân phố 2", EDUCATION, Kind.RECOMMENDATION,
                    "Đề nghị bổ sung phòng học cho trường tiểu học Việt Hưng, sĩ số lớp quá đông.",
                    outcome=Outcome.TRANSFERRED, transferred_to="UBND thành phố Hà Nội (Sở Giáo dục và Đào tạo)"),
    ],
    "Đối thoại về chỉnh trang đô thị khu phố cổ": [
        DemoOpinion("Ông Lương Văn Phúc", "Tổ dân phố 12", URBAN, Kind.PROPOSAL,
                    "Đề xuất hạ ngầm cáp viễn thông trên phố Hàng Bạc.",
                    answer="Phường đã đưa vào kế hoạch hạ ngầm năm 2026.", outcome=Outcome.ANSWERED),
        DemoOpinion("Bà Tô Thị Hằng", "Tổ dân phố 5", URBAN, Kind.RECOMMENDATION,
                    "Đề nghị sửa chữa mặt đường ngõ Tạm Thương bị bong tróc.",
                    answer="Đã giao Ban Quản lý dự án sửa trong tháng 7/2026.", outcome=Outcome.ANSWERED),
    ],
    BO_DE_VOTER_MEETING_TITLE: [
        DemoOpinion("Ông Vũ Văn Khải", "Tổ dân phố 7", INFRA, Kind.RECOMMENDATION,
                    "Cử tri kiến nghị thành phố sớm khởi công cầu Tứ Liên và tuyến đường nối với phường Bồ Đề.",
                    outcome=Outcome.TRANSFERRED, transferred_to="Thường trực HĐND thành phố Hà Nội"),
        DemoOpinion("Bà Đinh Thị Nga", "Tổ dân phố 9", ENVIRONMENT, Kind.RECOMMENDATION,
                    "Cử tri kiến nghị xử lý ô nhiễm mùi từ trạm trung chuyển rác gần bãi giữa sông Hồng."),
        DemoOpinion("Ông Mai Xuân Trường", "Tổ dân phố 2", EDUCATION, Kind.PROPOSAL,
                    "Cử tri đề xuất xây thêm trường trung học cơ sở công lập cho khu vực Bồ Đề.",
                    answer="Đại biểu tiếp thu, sẽ chất vấn tại kỳ họp; UBND phường đã đề xuất quỹ đất.",
                    outcome=Outcome.ANSWERED),
    ],
    "Đối thoại đột xuất về ngập úng sau mưa lớn": [
        DemoOpinion("Ông Cao Văn Sơn", "Tổ dân phố 4", INFRA, Kind.RECOMMENDATION,
                    "Đề nghị nạo vét mương thoát nước phía sau tổ dân phố 4, mương tắc gây ngập kéo dài."),
    ],
}  # fmt: skip


def _draft(opinion: DemoOpinion, categories: dict[str, Category]) -> PetitionDraft:
    return PetitionDraft(
        kind=opinion.kind,
        channel=Petition.Channel.AT_CONFERENCE,
        category=categories[opinion.category],
        content=opinion.content,
        petitioner_type=opinion.who_type,
        petitioner_name=opinion.who,
        petitioner_address=opinion.where,
        answered_at_conference=bool(opinion.answer),
        conference_answer=opinion.answer,
        answered_by="Chủ tọa hội nghị" if opinion.answer else "",
    )


def _enter(conference: Conference, opinions: list[DemoOpinion], clerk: User, categories) -> None:
    saved = petitions_add_to_conference(
        conference=conference, by=clerk, drafts=[_draft(opinion, categories) for opinion in opinions]
    )
    for petition, opinion in zip(saved, opinions, strict=True):
        if opinion.outcome == Outcome.ANSWERED:
            continue  # already so from the conference answer
        petition_set_outcome(
            petition=petition,
            by=clerk,
            outcome=opinion.outcome,
            transferred_to=opinion.transferred_to,
            duplicate_of=saved[opinion.duplicate_of - 1] if opinion.duplicate_of else None,
        )


def seed(*, stdout, scale: int = 0) -> None:
    clerk = User.objects.filter(username="clerk").first()
    categories = {category.name: category for category in Category.objects.all()}
    batches = [(BO_DE_2022_TITLE, BO_DE_2022), *OTHERS.items()]
    for title, opinions in batches:
        for conference in Conference.objects.filter(title=title, status__in=Conference.HELD_STATUSES):
            if not conference.petitions.exists():
                _enter(conference, opinions, clerk, categories)
    if clerk is not None:
        _written_demo(clerk, categories)
    stdout.write(f"Ý kiến, kiến nghị: {Petition.objects.count()}.")


def _written_demo(clerk: User, categories: dict[str, Category]) -> None:
    """A citizen reception and three letters in the clerk's ward (idempotent: once only):
    one complaint received before Tết 2026 and accepted, one waiting, one declined."""
    from datetime import date

    from petitions.services import (
        WrittenPetitionData,
        petition_accept,
        petition_decline,
        petition_transfer,
        reception_create,
        written_petition_create,
    )

    area = clerk.area
    leader = User.objects.filter(username="leader").first()
    if area is None or leader is None or Petition.objects.written().filter(area=area).exists():
        return
    session = reception_create(
        area=area,
        by=clerk,
        held_on=date(2026, 3, 10),
        receiving_leader=leader,
        place="Trụ sở UBND phường",
        people_count=2,
    )

    def log(day, kind, category, name, content, **extra):
        data = WrittenPetitionData(
            received_on=day, channel=extra.pop("channel", Petition.Channel.LETTER), kind=kind,
            category=categories[category], content=content, petitioner_name=name,
            petitioner_address=extra.pop("address", "Tổ dân phố 5"), **extra,
        )  # fmt: skip
        return written_petition_create(area=area, by=clerk, data=data)

    # Citizens who asked to be told of each step (issue 17): demo contacts, written to files
    # by `make run` (MESSAGES_SMS=file), never sent (messaging/demo.py).
    complaint = log(date(2026, 2, 6), Kind.COMPLAINT, LAND, "Bà Nguyễn Thị Hạnh",
                    "Khiếu nại quyết định thu hồi đất làm đường ngõ 12, mức bồi thường chưa thỏa đáng.",
                    petitioner_id_number="001180012345", petitioner_phone="0912000111",
                    petitioner_email="hanh.nguyen@example.vn", message_consent=True)  # fmt: skip
    petition_accept(petition=complaint, by=clerk, accepted_on=date(2026, 2, 13), complexity="normal")
    log(date(2026, 3, 10), Kind.RECOMMENDATION, INFRA, "Ông Phạm Văn Tâm",
        "Đề nghị lắp đèn chiếu sáng ngõ 30 phố Bồ Đề.", channel=Petition.Channel.RECEPTION,
        petitioner_phone="0987000333", message_consent=True)  # fmt: skip
    Petition.objects.filter(channel=Petition.Channel.RECEPTION, area=area).update(reception=session)
    declined = log(date(2026, 3, 12), Kind.COMPLAINT, URBAN, "Ông Đỗ Văn Lực",
                   "Khiếu nại việc hàng xóm xây nhà lấn sang phần đất chung.",
                   petitioner_phone="0903000444", message_consent=True)  # fmt: skip
    petition_decline(petition=declined, by=clerk, reason="Tranh chấp dân sự, hướng dẫn gửi Tòa án.")
    # Beyond the ward's authority: transferred, with a numbered transfer slip (sổ văn bản đi).
    transferred = log(date(2026, 3, 13), Kind.RECOMMENDATION, INFRA, "Bà Trần Thị Mai",
                      "Đề nghị cải tạo tuyến đường Nguyễn Văn Cừ do thành phố quản lý.",
                      address="Số 15 ngõ 12 phố Bồ Đề")  # fmt: skip
    petition_transfer(petition=transferred, by=clerk, to="Sở Xây dựng thành phố Hà Nội", on=date(2026, 3, 16))
