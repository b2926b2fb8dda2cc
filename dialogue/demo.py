"""Demo conferences: the Bồ Đề ward conference of 30/9/2022 (seed 004), an upcoming one in
today's Bồ Đề ward, a voter meeting of the city deputies elected in Bồ Đề, and a few in other
wards and years. Idempotent by (area, title)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from accounts.models import OrgUnit, User
from dialogue.models import Conference, ConferenceBasis
from dialogue.services import Chair, conference_hold, conference_plan

HANOI_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
BO_DE_2022_TITLE = "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với MTTQ, các tổ chức chính trị - xã hội và Nhân dân năm 2022"
BO_DE_2022_MINUTES = """Chiều ngày 30/9/2022, phường Bồ Đề tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với MTTQ, các tổ chức chính trị - xã hội và Nhân dân trên địa bàn phường.

Dự hội nghị có đồng chí Nguyễn Quốc Long - Ủy viên Ban Thường vụ Quận ủy, Trưởng Ban Dân vận Quận ủy; các đồng chí thường trực Đảng ủy - UBND - UBMTTQ phường, trưởng các ban ngành đoàn thể phường, ban lãnh đạo các tổ dân phố và đại diện Nhân dân.

Đồng chí Lưu Ngọc Tiến - Đảng ủy viên, Phó Chủ tịch UBND phường trình bày báo cáo tóm tắt công tác xây dựng Đảng và hệ thống chính trị, kết quả thực hiện nhiệm vụ KTXH, ANQP 9 tháng đầu năm 2022.

Có 14 ý kiến gửi tới người đứng đầu cấp ủy, chính quyền phường, thuộc 4 nhóm vấn đề: quản lý đất đai và giải phóng mặt bằng; quản lý trật tự đô thị, trật tự xây dựng, vệ sinh môi trường, hạ tầng dân sinh; bảo đảm an ninh trật tự; văn hóa - xã hội. Chủ tọa tiếp thu, trực tiếp trao đổi, trả lời các nội dung phản ánh tại hội nghị."""


BO_DE_VOTER_MEETING_TITLE = "Tiếp xúc cử tri trước kỳ họp cuối năm 2026 của HĐND thành phố"


@dataclass(frozen=True)
class DemoConference:
    area: str
    title: str
    basis: str
    kind: str
    starts_at: datetime
    place: str
    chairs: tuple[Chair, ...]
    held: tuple[int, str] | None = None  # (participants, minutes) when it has taken place
    guests: str = ""
    summary: str = ""
    voter_meeting: dict | None = None  # a voter meeting's fields (services.VOTER_MEETING_FIELDS)


def _at(year, month, day, hour=8, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HANOI_TIME)


def demo_conferences() -> list[DemoConference]:
    scheduled, ad_hoc = Conference.Kind.SCHEDULED, Conference.Kind.AD_HOC
    secretary = Chair("Nguyễn Thị Thanh Hằng", "Quận ủy viên, Bí thư Đảng ủy phường")
    chair = Chair("Nguyễn Văn Luyện", "Phó Bí thư Đảng ủy, Chủ tịch UBND phường")
    return [
        DemoConference(
            area="Phường Bồ Đề (quận Long Biên, đến 30/6/2025)",
            title=BO_DE_2022_TITLE,
            basis="QĐ 2200-QĐ/TU",
            kind=scheduled,
            starts_at=_at(2022, 9, 30, 14),
            place="Hội trường UBND phường Bồ Đề",
            chairs=(secretary, chair),
            guests="Đồng chí Nguyễn Quốc Long - Ủy viên Ban Thường vụ Quận ủy, Trưởng Ban Dân vận Quận ủy; thường trực Đảng ủy - UBND - UBMTTQ phường; trưởng các ban ngành, đoàn thể; ban lãnh đạo các tổ dân phố; đại diện Nhân dân.",
            held=(150, BO_DE_2022_MINUTES),
            summary="Báo cáo tóm tắt công tác xây dựng Đảng, hệ thống chính trị và kết quả thực hiện nhiệm vụ KTXH, ANQP 9 tháng đầu năm 2022 (đồng chí Lưu Ngọc Tiến, Phó Chủ tịch UBND phường).",
        ),
        DemoConference(
            area="Phường Bồ Đề",
            title="Hội nghị đối thoại năm 2026",
            basis="QĐ 2200-QĐ/TU",
            kind=scheduled,
            starts_at=_at(2026, 12, 10, 8, 30),
            place="Hội trường Trung tâm Phục vụ hành chính công phường Bồ Đề",
            chairs=(Chair("Nguyễn Văn Minh", "Chủ tịch UBND phường"),),
            guests="Thường trực Đảng ủy, HĐND, UBND, Ủy ban MTTQ phường; đại diện các tổ dân phố.",
        ),
        DemoConference(
            area="Phường Bồ Đề",
            title="Đối thoại về trật tự đô thị và thoát nước",
            basis="Khác",
            kind=ad_hoc,
            starts_at=_at(2026, 10, 15, 19),
            place="Nhà văn hóa tổ dân phố 10",
            chairs=(Chair("Nguyễn Văn Minh", "Chủ tịch UBND phường"),),
            held=(85, "Người dân phản ánh ngập úng, lấn chiếm vỉa hè và xây dựng sai phép trên địa bàn."),
        ),
        DemoConference(
            area="Phường Cầu Giấy",
            title="Đối thoại với Nhân dân về trật tự đô thị và hạ tầng năm 2025",
            basis="Luật TCCQĐP 2025, Đ.43",
            kind=scheduled,
            starts_at=_at(2025, 10, 15, 14),
            place="Hội trường UBND phường Cầu Giấy",
            chairs=(
                Chair("Trần Quốc Bảo", "Bí thư Đảng ủy phường"),
                Chair("Lê Thu Trang", "Chủ tịch UBND phường"),
            ),
            held=(120, "Hội nghị nghe 3 ý kiến về trật tự đô thị, ngập úng và điểm trông giữ xe."),
        ),
        DemoConference(
            area="Phường Việt Hưng",
            title="Hội nghị đối thoại năm 2026",
            basis="QĐ 2200-QĐ/TU",
            kind=scheduled,
            starts_at=_at(2026, 9, 20, 8),
            place="Nhà văn hóa phường Việt Hưng",
            chairs=(Chair("Đặng Hữu Phước", "Chủ tịch UBND phường"),),
            held=(90, "Hội nghị nghe 2 ý kiến về môi trường và giáo dục."),
        ),
        DemoConference(
            area="Phường Hoàn Kiếm",
            title="Đối thoại về chỉnh trang đô thị khu phố cổ",
            basis="QĐ 2200-QĐ/TU",
            kind=scheduled,
            starts_at=_at(2026, 6, 12, 14),
            place="Trụ sở UBND phường Hoàn Kiếm",
            chairs=(Chair("Phạm Tuấn Long", "Chủ tịch UBND phường"),),
            held=(110, "Các ý kiến về chỉnh trang đô thị được trả lời ngay tại hội nghị."),
        ),
        DemoConference(
            area="Phường Phúc Lợi",
            title="Đối thoại đột xuất về ngập úng sau mưa lớn",
            basis="Khác",
            kind=ad_hoc,
            starts_at=_at(2026, 3, 5, 19),
            place="Nhà văn hóa tổ dân phố 4",
            chairs=(Chair("Vũ Đức Thịnh", "Chủ tịch UBND phường"),),
            held=(60, "Người dân phản ánh tình trạng ngập úng kéo dài tại tổ dân phố 4."),
        ),
        DemoConference(
            area="Phường Bồ Đề",
            title=BO_DE_VOTER_MEETING_TITLE,
            basis="TXCT",
            kind=scheduled,
            starts_at=_at(2026, 11, 25, 8, 30),
            place="Nhà văn hóa tổ dân phố 7, phường Bồ Đề",
            chairs=(Chair("Lê Thị Thu Hương", "Chủ tịch Ủy ban MTTQ Việt Nam phường Bồ Đề"),),
            held=(
                135,
                "Các đại biểu báo cáo dự kiến nội dung kỳ họp; 3 cử tri phát biểu về hạ tầng, môi trường và giáo dục.",
            ),
            voter_meeting={
                "deputy_level": Conference.DeputyLevel.NATIONAL_CITY,
                "deputies": "Nguyễn Thị Thu Hà – Đại biểu HĐND thành phố Hà Nội\n"
                "Trần Văn Nam – Đại biểu HĐND thành phố Hà Nội",
                "session": "Kỳ họp thường lệ cuối năm 2026, HĐND thành phố Hà Nội",
                "session_timing": Conference.SessionTiming.BEFORE,
                "forwarded_to": "Thường trực HĐND thành phố Hà Nội",
            },
        ),
    ]


def seed(*, stdout, scale: int = 0) -> None:
    clerk = User.objects.filter(username="clerk").first()
    bases = {basis.short_name: basis for basis in ConferenceBasis.objects.all()}
    created = 0
    for demo in demo_conferences():
        area = OrgUnit.objects.areas().get(name=demo.area)
        if Conference.objects.filter(host_area=area, title=demo.title).exists():
            continue
        conference = conference_plan(
            by=clerk,
            host_area=area,
            title=demo.title,
            basis=bases[demo.basis],
            kind=demo.kind,
            starts_at=demo.starts_at,
            place=demo.place,
            invited_guests=demo.guests,
            chairs=list(demo.chairs),
            **(
                {"meeting_type": Conference.MeetingType.VOTER_MEETING, **demo.voter_meeting}
                if demo.voter_meeting
                else {}
            ),
        )
        if demo.held:
            participants, minutes = demo.held
            conference_hold(
                conference=conference,
                by=clerk,
                participant_count=participants,
                minutes=minutes,
                report_summary=demo.summary,
            )
        created += 1
    stdout.write(f"Hội nghị đối thoại: {Conference.objects.count()} ({created} mới).")
