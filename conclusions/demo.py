"""Demo conclusion notices and assignments, made through the same services as the pages:

- the Bồ Đề conference of 30/9/2022 gets its Party committee's notice with the 4 points of
  seed 004 and their deadlines (10/10/2022 and 30/10/2022); three points are done and
  accepted, the answers to the people (point 2) wait for the ward's acceptance;
- today's Bồ Đề ward and Cầu Giấy ward get notices whose assignments are accepted, on time,
  due soon and overdue.

Idempotent: a conference that already has a notice is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from accounts.models import OrgUnit, User
from conclusions import policies, services
from conclusions.models import CommitteeTerm
from dialogue.demo import BO_DE_2022_TITLE
from dialogue.models import Conference

OLD_BO_DE = "Phường Bồ Đề (quận Long Biên, đến 30/6/2025)"


@dataclass(frozen=True)
class DemoAssignment:
    item: int  # 1-based
    agency: str  # the body's name, in the notice's area
    task: str
    deadline: date | None = None
    working_days: int | None = None
    coordinating: tuple[str, ...] = ()
    answers_open_opinions: bool = False
    progress: str = ""  # "report" | "accept" | "work"


@dataclass(frozen=True)
class DemoNotice:
    area: str
    conference: str
    body_kind: str
    issued_on: date
    summary: str
    items: tuple[str, ...]
    assignments: tuple[DemoAssignment, ...]
    signer: str
    signer_title: str
    extra: dict = field(default_factory=dict)


SEED_004 = DemoNotice(
    area=OLD_BO_DE,
    conference=BO_DE_2022_TITLE,
    body_kind=OrgUnit.Kind.PARTY_COMMITTEE,
    issued_on=date(2022, 10, 5),
    summary="Kết luận của đồng chí Bí thư Đảng ủy phường tại hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với MTTQ, các tổ chức chính trị - xã hội và Nhân dân năm 2022",
    items=(
        "Văn phòng Đảng ủy, Văn phòng UBND tổng hợp các ý kiến phát biểu tại hội nghị; rà soát đối chiếu các ý kiến tổng hợp trước hội nghị, những nội dung đã được trả lời, các ý kiến chưa được trả lời để tham mưu Đảng ủy, UBND Phường chỉ đạo giải quyết và trả lời bằng văn bản sau hội nghị. Đồng thời, chậm nhất ngày 10/10/2022, Văn phòng Đảng ủy, Văn phòng UBND thông báo ý kiến kết luận của người đứng đầu cấp ủy, chính quyền đến các cơ quan, đơn vị có liên quan xem xét, giải quyết kiến nghị của nhân dân tại hội nghị đối thoại.",
        "Giao UBND Phường giải quyết kịp thời, hiệu quả những vấn đề dân sinh bức xúc đặt ra; chỉ đạo các bộ phận chuyên môn trả lời các ý kiến, kiến nghị của Nhân dân, xong trước ngày 30/10/2022. Những vấn đề vượt quá thẩm quyền của phường, thì tổng hợp đề nghị cấp có thẩm quyền xem xét, giải quyết; những vấn đề, nội dung phức tạp, liên quan đến nhiều ngành cần thời gian nghiên cứu xem xét, giải quyết để đảm bảo khách quan, đúng quy trình, trình tự của pháp luật, phải thông báo bằng văn bản cho người có ý kiến tại hội nghị đối thoại biết về thời gian, trách nhiệm của cơ quan giải quyết.",
        "Định kỳ, người đứng đầu cấp ủy, chính quyền báo cáo kết quả tổ chức đối thoại và kết quả giải quyết các ý kiến, kiến nghị và gửi UB MTTQ phường, các tổ chức chính trị xã hội để theo dõi, giám sát.",
        "Ủy ban MTTQ và các đoàn thể chính trị - xã hội: Giám sát kết quả thực hiện kết luận hội nghị đối thoại năm 2022; phát huy vai trò giám sát, phản biện xã hội, tuyên truyền, vận động nhân dân chấp hành và thực hiện tốt các chủ trương, chính sách của đảng, pháp luật Nhà nước.",
    ),
    assignments=(
        DemoAssignment(
            1,
            "Đảng ủy phường Bồ Đề",
            "Tổng hợp ý kiến, thông báo kết luận đến các cơ quan, đơn vị liên quan",
            deadline=date(2022, 10, 10),
            coordinating=("Ủy ban nhân dân phường Bồ Đề",),
            progress="accept",
        ),
        DemoAssignment(
            2,
            "Ủy ban nhân dân phường Bồ Đề",
            "Trả lời bằng văn bản các ý kiến, kiến nghị của Nhân dân tại hội nghị",
            deadline=date(2022, 10, 30),
            answers_open_opinions=True,
            progress="report",
        ),
        DemoAssignment(
            3,
            "Ủy ban nhân dân phường Bồ Đề",
            "Báo cáo kết quả giải quyết ý kiến, gửi Ủy ban MTTQ phường",
            deadline=date(2022, 12, 31),
            progress="accept",
        ),
        DemoAssignment(
            4,
            "Ủy ban MTTQ Việt Nam phường Bồ Đề",
            "Giám sát kết quả thực hiện kết luận hội nghị đối thoại năm 2022",
            deadline=date(2022, 12, 31),
            progress="accept",
        ),
    ),
    signer="hang.ntt.2022",
    signer_title="BÍ THƯ",
)

TODAY_BO_DE = DemoNotice(
    area="Phường Bồ Đề",
    conference="Đối thoại về trật tự đô thị và thoát nước",
    body_kind=OrgUnit.Kind.PEOPLES_COMMITTEE,
    issued_on=date(2026, 10, 22),
    summary="Kết luận của Chủ tịch UBND phường tại buổi đối thoại về trật tự đô thị và thoát nước ngày 15/10/2026",
    items=(
        "Giao Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp Công an phường kiểm tra, xử lý dứt điểm việc lấn chiếm vỉa hè và công trình xây dựng sai phép được phản ánh; trả lời bằng văn bản cho người dân.",
        "Giao Phòng Kinh tế, Hạ tầng và Đô thị nạo vét rãnh thoát nước ngõ 22 phố Bồ Đề trước mùa mưa; báo cáo kết quả.",
        "Đề nghị Ủy ban MTTQ phường giám sát việc thực hiện các nội dung trên.",
    ),
    assignments=(
        DemoAssignment(
            1,
            "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề",
            "Xử lý lấn chiếm vỉa hè phố Nguyễn Văn Cừ và trả lời bà Khổng Thị Liên",
            working_days=10,
            coordinating=("Công an phường Bồ Đề",),
            progress="accept",
        ),
        DemoAssignment(
            1,
            "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề",
            "Kiểm tra, xử lý công trình xây vượt tầng số 18 ngõ 279; trả lời ông Mạc Văn Toàn",
            deadline=date(2026, 11, 14),
            answers_open_opinions=True,
        ),
        DemoAssignment(
            2,
            "Phòng Kinh tế, Hạ tầng và Đô thị phường Bồ Đề",
            "Nạo vét rãnh thoát nước ngõ 22 phố Bồ Đề; trả lời ông Đào Văn Hùng",
            deadline=date(2026, 11, 27),
            progress="work",
        ),
        DemoAssignment(
            3,
            "Ủy ban MTTQ Việt Nam phường Bồ Đề",
            "Giám sát việc thực hiện kết luận",
            deadline=date(2026, 12, 31),
        ),
    ),
    signer="leader",
    signer_title="CHỦ TỊCH",
)

CAU_GIAY = DemoNotice(
    area="Phường Cầu Giấy",
    conference="Đối thoại với Nhân dân về trật tự đô thị và hạ tầng năm 2025",
    body_kind=OrgUnit.Kind.PEOPLES_COMMITTEE,
    issued_on=date(2025, 10, 24),
    summary="Kết luận của Chủ tịch UBND phường tại hội nghị đối thoại về trật tự đô thị và hạ tầng năm 2025",
    items=(
        "Giao Phòng Kinh tế, Hạ tầng và Đô thị xử lý lấn chiếm vỉa hè phố Trần Đăng Ninh và bố trí điểm trông giữ xe khu tập thể Nghĩa Tân; trả lời người dân.",
    ),
    assignments=(
        DemoAssignment(
            1,
            "Phòng Kinh tế, Hạ tầng và Đô thị phường Cầu Giấy",
            "Xử lý lấn chiếm vỉa hè phố Trần Đăng Ninh",
            deadline=date(2025, 11, 30),
            answers_open_opinions=True,
            progress="work",
        ),
    ),
    signer="lanhdao_caugiay",
    signer_title="CHỦ TỊCH",
)


def _historical_people(old_ward: OrgUnit) -> None:
    """The 2022 chairs, as users that cannot log in: they signed and reported at the time."""
    bodies = {body.kind: body for body in old_ward.children.all()}
    for username, full_name, title, kind, flags in [
        ("hang.ntt.2022", "Nguyễn Thị Thanh Hằng", "Bí thư Đảng ủy phường", OrgUnit.Kind.PARTY_COMMITTEE, {"is_leader": True}),
        ("tien.ln.2022", "Lưu Ngọc Tiến", "Phó Chủ tịch UBND phường", OrgUnit.Kind.PEOPLES_COMMITTEE, {"is_leader": True, "is_handler": True}),
    ]:  # fmt: skip
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "title": title, "agency": bodies[kind], **flags},
        )
        if created:
            user.set_unusable_password()
            user.save()


def _issue(demo: DemoNotice, clerk: User) -> None:
    area = OrgUnit.objects.areas().get(name=demo.area)
    conference = Conference.objects.filter(host_area=area, title=demo.conference).first()
    if conference is None or conference.notices.exists():
        return
    bodies = {body.name: body for body in OrgUnit.objects.filter(parent=area)}
    issuing_body = next(body for body in bodies.values() if body.kind == demo.body_kind)
    if demo.body_kind == OrgUnit.Kind.PARTY_COMMITTEE:
        CommitteeTerm.objects.get_or_create(
            body=issuing_body,
            name="2020 – 2025",
            defaults={"starts_on": date(2020, 7, 1), "ends_on": date(2025, 6, 30)},
        )
    signer = User.objects.get(username=demo.signer)
    notice = services.notice_draft_create(
        by=clerk,
        conference=conference,
        issuing_body=issuing_body,
        items=list(demo.items),
        summary=demo.summary,
        preamble=f"Ngày {conference.local_date:%d/%m/%Y}, {area.name.split(' (')[0]} tổ chức {conference.title[0].lower()}{conference.title[1:]}. Sau khi nghe các ý kiến, chủ trì hội nghị kết luận như sau:",
        recipients="Thường trực Đảng ủy, HĐND, UBND phường\nỦy ban MTTQ và các đoàn thể phường\nCác cơ quan, đơn vị liên quan\nLưu: VT",
        signer=signer,
        signer_title=demo.signer_title,
    )
    items = list(notice.items.all())
    open_opinions = list(services.notice_unhandled_opinions(notice))
    made = []
    for spec in demo.assignments:
        rule = "working_days" if spec.working_days else "date"
        made.append(
            services.assignment_add(
                notice=notice,
                by=clerk,
                item=items[spec.item - 1],
                task=spec.task,
                lead_agency=bodies[spec.agency],
                coordinating_agencies=[bodies[name] for name in spec.coordinating],
                petitions=open_opinions if spec.answers_open_opinions else [],
                deadline=services.DeadlineSpec(rule=rule, on=spec.deadline, days=spec.working_days),
            )
        )
    services.notice_issue(notice=notice, by=signer, issued_on=demo.issued_on)
    for spec, assignment in zip(demo.assignments, made, strict=True):
        _follow_up(spec, assignment, clerk)


def _follow_up(spec: DemoAssignment, assignment, clerk: User) -> None:
    if not spec.progress:
        return
    handler = (
        User.objects.filter(agency=assignment.lead_agency, is_handler=True).first()
        or User.objects.filter(agency__area=assignment.area, is_handler=True).first()
    )
    if handler is None:
        return
    if not policies.is_assignee(handler, assignment):
        assignment.responsible_person = handler
        assignment.save(update_fields=["responsible_person"])
    services.assignment_progress(
        assignment=assignment, by=handler, text="Đã kiểm tra hiện trường, đang triển khai."
    )
    if spec.progress in ("report", "accept"):
        services.assignment_report_done(
            assignment=assignment,
            by=handler,
            answer_to_citizen=f"Kính gửi ông (bà): về nội dung “{spec.task}”, cơ quan đã giải quyết xong và trả lời như sau: …",
        )
    if spec.progress == "accept":
        services.assignment_accept(assignment=assignment, by=clerk)


def seed(*, stdout, scale: float = 0) -> None:
    clerk = User.objects.get(username="clerk")
    old_ward = OrgUnit.objects.areas().get(name=OLD_BO_DE)
    _historical_people(old_ward)
    for demo in (SEED_004, TODAY_BO_DE, CAU_GIAY):
        _issue(demo, clerk)
    from conclusions.demo_loop import seed_loop

    seed_loop(clerk)
    from conclusions.models import Assignment, ConclusionNotice

    stdout.write(
        f"Thông báo kết luận: {ConclusionNotice.objects.count()}, việc được giao: {Assignment.objects.count()}."
    )
    if scale > 0:
        from bench.scale import generate  # benchmark data: outside the product, loaded only here

        generate(scale=scale, stdout=stdout)
