"""The statistics report and the periodic report to the Fatherland Front (dashboards/reports.py,
report_views.py, report_xlsx.py, report_pdf.py): numbers equal to the dashboard's metrics,
the workbook read back cell by cell, the PDFs read with poppler, scoping and query counts."""

import io
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import OrgUnit
from conclusions.models import Assignment, ConclusionNotice, NoticeItem
from dashboards import report_views, reports
from dashboards.metrics import Period, assignment_totals, conference_totals, opinion_totals
from dashboards.report_xlsx import SHEET_DETAIL, SHEET_STATISTICS, STATISTICS_TITLE
from petitions.models import Category, Petition
from tests.conftest import login
from tests.factories import OrgUnitFactory, conference_for, petition_for, ward_with_bodies

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)
PERIOD = Period(date(2025, 1, 1), date(2026, 12, 31))
DENOUNCER = "Trần Văn Tốcáo"
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def held(area, day: date, participants: int, **fields):
    starts_at = datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
    conference = conference_for(
        area, status="held", starts_at=starts_at, participant_count=participants, **fields
    )
    conference.chairs.create(full_name="Nguyễn Văn Luyện", title="Chủ tịch UBND phường", position=1)
    return conference


def issued_notice(area, signer, day: date) -> ConclusionNotice:
    notice = ConclusionNotice.objects.create(
        area=area,
        issuing_body=area.bodies["UBND"],
        status=ConclusionNotice.Status.ISSUED,
        number=1,
        number_label="01/TB-UBND",
        issued_on=day,
        summary="Kết luận hội nghị đối thoại",
        recipients="Lưu: VT",
        signer=signer,
        signer_title="CHỦ TỊCH",
    )
    NoticeItem.objects.create(notice=notice, position=1, text="Giải quyết các ý kiến")
    return notice


def assignment(
    notice, agency, deadline: date, status=Assignment.Status.ASSIGNED, reported=None, petitions=()
):
    row = Assignment.objects.create(
        area=notice.area,
        notice=notice,
        item=notice.items.first(),
        task=f"Trả lời ý kiến về {agency.name}",
        lead_agency=agency,
        deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
        deadline=deadline,
        status=status,
        reported_at=datetime(reported.year, reported.month, reported.day, 9, tzinfo=TZ) if reported else None,
    )
    row.petitions.set(petitions)
    return row


@pytest.fixture
def area_tree(city, ward, other_ward, make_user):
    """Hà Nội with a city-level conference (2025), an old district (Long Biên, until 30/6/2025)
    with its own conference and an old ward under it, and two of today's wards."""
    district = OrgUnitFactory(
        parent=city, name="Quận Long Biên", kind=OrgUnit.Kind.DISTRICT, valid_to=date(2025, 6, 30)
    )
    old_ward = ward_with_bodies(district, "Gia Thụy")
    clerk = make_user("clerk")
    category_land = Category.objects.get(name="Khác")
    other_category = Category.objects.exclude(pk=category_land.pk).first()

    city_conference = held(city, date(2025, 3, 10), 300)
    petition_for(city_conference, outcome=Petition.Outcome.ANSWERED, answered_at_conference=True)
    district_conference = held(district, date(2025, 5, 5), 120)
    petition_for(district_conference)
    held(old_ward, date(2025, 4, 1), 80)

    ward_conference = held(ward, date(2026, 9, 30), 150)
    answered = petition_for(ward_conference, outcome=Petition.Outcome.ANSWERED, answered_at_conference=True)
    on_time = petition_for(ward_conference, outcome=Petition.Outcome.IN_AUTHORITY, category=other_category)
    late = petition_for(ward_conference, outcome=Petition.Outcome.IN_AUTHORITY)
    open_overdue = petition_for(
        ward_conference, outcome=Petition.Outcome.IN_AUTHORITY, category=other_category
    )
    petition_for(
        ward_conference,
        kind=Petition.Kind.DENUNCIATION,
        petitioner_name=DENOUNCER,
        petitioner_address="Số 9 ngõ Tố cáo",
    )
    petition_for(ward_conference, outcome=Petition.Outcome.DUPLICATE, duplicate_of=answered)
    Petition.objects.filter(pk=on_time.pk).update(resolved_on=date(2026, 10, 20))
    Petition.objects.filter(pk=late.pk).update(resolved_on=date(2026, 11, 5))

    notice = issued_notice(ward, clerk, date(2026, 10, 5))
    economy = OrgUnitFactory(
        parent=ward, name="Phòng Kinh tế phường Bồ Đề", kind=OrgUnit.Kind.SPECIALISED_OFFICE
    )
    assignment(
        notice,
        ward.bodies["UBND"],
        date(2026, 10, 30),
        Assignment.Status.ACCEPTED,
        date(2026, 10, 20),
        [on_time],
    )
    assignment(
        notice, ward.bodies["UBND"], date(2026, 10, 31), Assignment.Status.ACCEPTED, date(2026, 11, 3), [late]
    )
    assignment(notice, economy, date(2026, 11, 10), petitions=[open_overdue])
    assignment(notice, economy, date(2026, 12, 15))

    other_conference = held(other_ward, date(2026, 8, 1), 60)
    petition_for(other_conference)
    # Outside the period: never counted.
    held(ward, date(2024, 12, 1), 999)
    return {"district": district, "old_ward": old_ward, "economy": economy, "clerk": clerk}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(report_views.timezone, "localdate", lambda: TODAY)


def level(report, key):
    return next(row for row in report.levels if row.level.key == key)


# --- the numbers -----------------------------------------------------------------------------


def city_user(make_user, city, role):
    user = make_user(role)
    user.agency = OrgUnitFactory(
        parent=city, name="Ủy ban MTTQ thành phố", kind=OrgUnit.Kind.FATHERLAND_FRONT
    )
    user.save()
    return user


def test_statistics_equal_the_dashboard_metrics_and_split_by_level(area_tree, city, make_user):
    user = city_user(make_user, city, "monitor")
    report = reports.statistics_report(user=user, area=city, period=PERIOD, today=TODAY)

    conferences = conference_totals(user, city, PERIOD)
    opinions = opinion_totals(user, city, PERIOD, TODAY)
    assert report.total.conferences == conferences["held"] == 5
    assert report.total.participants == conferences["participants"] == 300 + 120 + 80 + 150 + 60
    assert report.total.received == opinions["received"] == 8
    assert report.total.resolved == opinions["resolved"] == 4  # 2 answered, 2 resolved by assignments
    assert (level(report, "city").conferences, level(report, "city").participants) == (1, 300)
    assert (level(report, "district").conferences, level(report, "district").received) == (1, 1)
    assert (level(report, "commune").conferences, level(report, "commune").received) == (3, 6)
    assert level(report, "commune").resolved == 3
    assert level(report, "city").conferences_percent == 20.0
    assert level(report, "commune").resolved_percent == 50.0

    # Areas directly below, each with everything under it, plus the city's own records.
    children = {row.area.name: row for row in report.children}
    assert children["Thành phố Hà Nội"].own and children["Thành phố Hà Nội"].conferences == 1
    assert (children["Quận Long Biên"].conferences, children["Quận Long Biên"].participants) == (2, 200)
    assert (children["Phường Bồ Đề"].received, children["Phường Bồ Đề"].resolved) == (5, 3)
    for field in ("conferences", "participants", "received", "resolved"):
        assert sum(getattr(row, field) for row in report.children) == getattr(report.total, field)
    # The workbook's detail rows (each area's own records) add up to the same total.
    detail = list(reports.area_detail_rows(user, city, PERIOD, TODAY))
    assert sum(row.received for row in detail) == report.total.received
    assert sum(row.conferences for row in detail) == report.total.conferences


def test_a_wards_report_has_only_the_ward_level(area_tree, ward, make_user):
    user = make_user("clerk")
    report = reports.statistics_report(
        user=user, area=ward, period=Period(date(2026, 1, 1), date(2026, 12, 31)), today=TODAY
    )
    assert [row.level.key for row in report.levels] == ["commune"]
    assert report.total.conferences == 1 and report.total.received == 5


def test_periodic_report_numbers(area_tree, ward, make_user):
    user = make_user("leader")
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    report = reports.periodic_report(user=user, area=ward, period=period, today=TODAY)
    assert [c.title for c in report.conferences] == ["Hội nghị đối thoại năm 2026"]
    assert report.conference_totals["participants"] == 150
    assert report.opinion_totals == opinion_totals(user, ward, period, TODAY)
    assert report.assignments == {"done_on_time": 1, "done_late": 1, "open": 2, "overdue": 1}
    assert report.assignments["open"] == assignment_totals(user, ward, period, TODAY)["open"]
    assert [a.lead_agency.name for a in report.overdue] == ["Phòng Kinh tế phường Bồ Đề"]
    assert report.overdue[0].days_overdue_today == 10
    by_category = {row.name: row for row in report.categories}
    assert sum(row.received for row in report.categories) == report.opinion_totals["received"]
    assert by_category["Khác"].answered == 1
    assert report.recipients[-1] == "Lưu: VT"
    assert any("MTTQ" in line for line in report.recipients)


# --- the statistics page ---------------------------------------------------------------------


def statistics_url(area, name="dashboards:statistics", start="01/01/2025", end="31/12/2026"):
    return f"{reverse(name)}?area={area.pk}&start={start}&end={end}"


@pytest.mark.parametrize("role", ["clerk", "leader", "handler", "monitor"])
def test_every_role_reads_the_statistics_of_its_scope(area_tree, ward, make_user, role):
    response = login(make_user(role)).get(statistics_url(ward))
    assert response.status_code == 200
    assert response.context["report"].total.conferences == 1
    assert "Phường Bồ Đề" in response.content.decode()


def test_statistics_page_defaults_to_this_year_and_the_users_area(area_tree, ward, make_user):
    response = login(make_user("clerk")).get(reverse("dashboards:statistics"))
    assert response.status_code == 200 and response.context["report"] is None
    form = response.context["form"]
    assert form.initial == {"area": ward.pk, "start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    assert 'value="Phường Bồ Đề"' in response.content.decode()
    assert reverse("accounts:area_search") in response.content.decode()


@pytest.mark.parametrize(
    "name", ["dashboards:statistics", "dashboards:statistics_xlsx", "dashboards:statistics_pdf"]
)
def test_an_area_out_of_scope_is_404(area_tree, other_ward, make_user, name):
    assert login(make_user("leader")).get(statistics_url(other_ward, name)).status_code == 404


def test_a_reversed_period_is_an_error_on_the_page(area_tree, ward, make_user):
    response = login(make_user("clerk")).get(statistics_url(ward, start="31/12/2026", end="01/01/2026"))
    assert response.status_code == 200 and response.context["report"] is None
    assert str(report_views.PERIOD_REVERSED) in response.content.decode()


@pytest.mark.parametrize("wards", [1, 12])
def test_statistics_page_queries_do_not_grow(
    area_tree, city, make_user, django_assert_max_num_queries, wards
):
    for number in range(wards):
        extra = ward_with_bodies(city, f"Thêm {number}")
        petition_for(held(extra, date(2026, 2, 2), 10))
    client = login(city_user(make_user, city, "monitor"))
    # Constant: the same at 1 and 12 wards (16: one asks whether the city, the only top-level
    # area, is everything: User.sees_everything, then no scope condition on any row).
    with django_assert_max_num_queries(16):
        response = client.get(statistics_url(city))
    assert len(response.context["report"].children) == 3 + wards + 1  # Bồ Đề, Cầu Giấy, Long Biên, the city


def test_the_workbook_of_the_statistics(area_tree, city, ward, make_user):
    response = login(city_user(make_user, city, "clerk")).get(
        statistics_url(city, "dashboards:statistics_xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="thong-ke-doi-thoai-01012025-31122026.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    assert workbook.sheetnames == [SHEET_STATISTICS, SHEET_DETAIL]
    sheet = workbook[SHEET_STATISTICS]
    assert sheet["A1"].value == STATISTICS_TITLE and sheet["A1"].font.bold
    assert sheet["A2"].value == "Địa bàn: Thành phố Hà Nội – Từ ngày 01/01/2025 đến ngày 31/12/2026"
    assert sheet["A3"].value == "Lập ngày 20/11/2026"
    assert "A1:H1" in {str(merged) for merged in sheet.merged_cells.ranges}
    header = [cell.value for cell in sheet[5]]
    assert header == [
        "Cấp, địa bàn",
        "Số hội nghị, cuộc tiếp xúc đã tổ chức",
        "Tỷ lệ số hội nghị (%)",
        "Số lượt người tham dự",
        "Số ý kiến, kiến nghị tiếp nhận",
        "Số ý kiến, kiến nghị đã tiếp thu",
        "Số ý kiến, kiến nghị đã giải quyết",
        "Tỷ lệ giải quyết (%)",
    ]
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.column_dimensions["A"].width == 46
    assert sheet.freeze_panes == "A6"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6, max_row=9)]
    assert rows == [
        ["Cấp thành phố, tỉnh", 1, 20.0, 300, 1, 1, 1, 100.0],
        ["Cấp quận, huyện, thị xã (trước 01/7/2025)", 1, 20.0, 120, 1, 0, 0, 0.0],
        ["Cấp xã, phường, đặc khu, thị trấn", 3, 60.0, 290, 6, 4, 3, 50.0],
        ["Tổng cộng", 5, 100.0, 710, 8, 5, 4, 50.0],
    ]
    assert sheet["A9"].font.bold and sheet["C6"].number_format == "0.0"
    assert sheet["B6"].number_format == sheet["D6"].number_format == "#,##0"
    detail = workbook[SHEET_DETAIL]
    assert [cell.value for cell in detail[5]][:4] == [
        "STT",
        "Địa bàn",
        "Trực thuộc",
        "Số hội nghị đã tổ chức",
    ]
    by_name = {row[1].value: [cell.value for cell in row] for row in detail.iter_rows(min_row=6)}
    assert by_name["Phường Gia Thụy"][2:5] == ["Quận Long Biên", 1, 80]
    assert by_name["Phường Bồ Đề"][2:9] == ["Thành phố Hà Nội", 1, 150, 5, 4, 3, 60.0]
    assert sum(row[5] for row in by_name.values()) == 8


def pdf_text(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_poppler
def test_the_pdf_of_the_statistics(area_tree, ward, make_user, tmp_path):
    response = login(make_user("monitor")).get(statistics_url(ward, "dashboards:statistics_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(tmp_path, response.content)
    flat = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Bồ Đề, ngày 20 tháng 11 năm 2026",
        "BIỂU THỐNG KÊ",
        "(Từ ngày 01/01/2025 đến ngày 31/12/2026)",
        "IV. Hội nghị tiếp xúc, đối thoại theo địa bàn trực thuộc",
    ):
        assert expected in flat, expected
    total_line = next(line for line in text.splitlines() if line.strip().startswith("Tổng cộng"))
    # Vietnamese decimal comma; received 5, acknowledged 4 (the denunciation is not classified yet)
    assert total_line.split()[2:] == ["1", "100%", "150", "5", "4", "3", "60,0%"]


# --- the periodic report ---------------------------------------------------------------------

PROBLEMS = "Việc trả lời một số kiến nghị về đất đai còn chậm."
PROPOSALS = "Đề nghị Ủy ban MTTQ phường tăng cường giám sát."


def periodic_form(area, **extra):
    return {
        "area": area.pk,
        "start": "01/01/2026",
        "end": "31/12/2026",
        "remaining_problems": PROBLEMS,
        "proposals": PROPOSALS,
        "recipients": "",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Luyện",
        **extra,
    }


@needs_poppler
def test_the_periodic_report_in_the_official_layout(area_tree, ward, make_user, tmp_path):
    client = login(make_user("clerk"))
    page = client.get(reverse("dashboards:periodic_report"))
    assert page.status_code == 200
    assert "Ban Thường trực Ủy ban MTTQ Việt Nam phường Bồ Đề" in page.content.decode()
    response = client.post(reverse("dashboards:periodic_report"), periodic_form(ward))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(tmp_path, response.content)
    flat = " ".join(text.split())
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG BỒ ĐỀ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: …/BC-UBND",
        "Bồ Đề, ngày 20 tháng 11 năm 2026",
        "BÁO CÁO",
        "Kết quả tổ chức đối thoại và giải quyết ý kiến, kiến nghị của Nhân dân",
        "I. KẾT QUẢ TỔ CHỨC HỘI NGHỊ ĐỐI THOẠI",
        "đã tổ chức 1 hội nghị đối thoại (1 hội nghị định kỳ, 0 hội nghị đột xuất) với 150 lượt người tham dự",
        "30/09/2026",
        "Nguyễn Văn Luyện",
        "II. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT Ý KIẾN, KIẾN NGHỊ",
        "Tiếp nhận 5 ý kiến, kiến nghị (không kể 1 ý kiến trùng đã gộp)",
        "III. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO",
        "hoàn thành đúng hạn 1; hoàn thành quá hạn 1; đang thực hiện 2, trong đó quá hạn 1",
        "Phòng Kinh tế",
        "IV. TỒN TẠI, HẠN CHẾ VÀ ĐỀ XUẤT, KIẾN NGHỊ",
        PROBLEMS,
        PROPOSALS,
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ):
        assert expected in flat, expected
    assert DENOUNCER not in flat and "ngõ Tố cáo" not in flat


def test_a_monitor_may_not_make_the_periodic_report(area_tree, ward, make_user):
    client = login(make_user("monitor"))
    assert client.get(reverse("dashboards:periodic_report")).status_code == 403
    assert client.post(reverse("dashboards:periodic_report"), periodic_form(ward)).status_code == 403


def test_the_periodic_report_of_an_area_out_of_scope_is_404(area_tree, other_ward, make_user):
    response = login(make_user("leader")).post(
        reverse("dashboards:periodic_report"), periodic_form(other_ward)
    )
    assert response.status_code == 404
