"""Seed 002 rebuilt as data: Hanoi's review of Decision 2200-QĐ/TU from 25/05/2017 to 28/10/2022
counts 18 city-level conferences with more than 2,500 participants and nearly 300 opinions
received, taken up and resolved; 210 district conferences; 2,984 ward and commune conferences;
more than 1,200 voter meetings with National Assembly and city deputies and more than 5,760
with district deputies. The numbers below are built to those totals (the opinions of the
district and ward levels, which the seed does not give, are chosen here), surrounded by noise
the report must leave out: cancelled and planned conferences with opinions, letters (counted
in their own rows), another province, and meetings one day outside the period. Every figure is
checked in the page, the workbook and the PDF."""

import io
import re
import shutil
from datetime import date, datetime, timedelta
from itertools import cycle
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from accounts.models import OrgUnit
from dashboards import report_views
from dashboards.report_xlsx import SHEET_DETAIL, SHEET_STATISTICS
from dialogue.models import Conference, ConferenceBasis
from petitions.models import Category, Petition
from tests.conftest import login
from tests.dashboards.test_reports import pdf_text
from tests.factories import OrgUnitFactory, conference_for, petition_for

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2017, 5, 25), date(2022, 10, 28)
REFORM = date(2025, 7, 1)
TODAY = date(2026, 11, 20)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
Outcome, Channel = Petition.Outcome, Petition.Channel
DIALOGUE, VOTER = Conference.MeetingType.DIALOGUE, Conference.MeetingType.VOTER_MEETING
Deputies = Conference.DeputyLevel


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(report_views.timezone, "localdate", lambda: TODAY)


def days_in_period():
    """Days spread over the whole period, first and last day included."""
    span = (END - START).days
    step = 0
    while True:
        yield START + timedelta(days=(step * 37) % (span + 1))
        step += 1


class Builder:
    """Conferences and petitions made in memory and written with bulk_create."""

    def __init__(self):
        self.basis = ConferenceBasis.objects.order_by("position").first()
        self.category = Category.objects.get(name="Khác")
        self.conferences: list[Conference] = []
        self.days = days_in_period()

    def meeting(self, area, *, participants, day=None, status=Conference.Status.HELD, deputies="", **fields):
        day = day or next(self.days)
        held = status in Conference.HELD_STATUSES
        conference = Conference(
            host_area=area,
            title="Tiếp xúc cử tri" if deputies else "Hội nghị đối thoại",
            basis=self.basis,
            starts_at=datetime(day.year, day.month, day.day, 14, tzinfo=TZ),
            place="Hội trường",
            status=status,
            participant_count=participants if held else None,
            held_on=day if held else None,
            meeting_type=VOTER if deputies else DIALOGUE,
            deputy_level=deputies,
            **fields,
        )
        self.conferences.append(conference)
        return conference

    def save(self):
        Conference.objects.bulk_create(self.conferences, batch_size=2000)


def opinions(conferences, outcomes, *, channel=Channel.AT_CONFERENCE, received_on=None):
    """One petition per outcome, on the conferences in turn."""
    rows = []
    for number, (conference, outcome) in enumerate(zip(cycle(conferences), outcomes, strict=False)):
        resolved = outcome in (Outcome.ANSWERED, "resolved")
        rows.append(
            Petition(
                area=conference.host_area,
                conference=conference,
                position=number + 1,
                channel=channel,
                received_on=received_on or conference.held_on or conference.starts_at.date(),
                category=Category.objects.get(name="Khác"),
                content=f"Ý kiến {number}",
                outcome=Outcome.IN_AUTHORITY if outcome == "resolved" else outcome,
                resolved_on=(conference.held_on or START)
                if resolved and outcome != Outcome.ANSWERED
                else None,
                rejection_reason="Không thuộc thẩm quyền" if outcome == Outcome.REJECTED else "",
                transferred_to="Thường trực HĐND thành phố" if outcome == Outcome.TRANSFERRED else "",
            )
        )
    return rows


def letters(area, outcomes, channel, received_on):
    return [
        Petition(
            area=area,
            channel=channel,
            received_on=received_on,
            category=Category.objects.get(name="Khác"),
            content=f"Đơn {number}",
            outcome=Outcome.IN_AUTHORITY if outcome == "resolved" else outcome,
            resolved_on=received_on if outcome == "resolved" else None,
            rejection_reason="Đơn nặc danh" if outcome == Outcome.REJECTED else "",
        )
        for number, outcome in enumerate(outcomes)
    ]


@pytest.fixture
def hanoi(city, ward, other_ward):
    """Hà Nội before the 2025 reform: 30 districts of two wards each (both until 30/06/2025),
    today's wards (from 01/07/2025), and Bắc Ninh beside it."""
    OrgUnit.objects.filter(pk__in=[ward.pk, other_ward.pk]).update(valid_from=REFORM)
    districts, wards = [], []
    for number in range(30):
        district = OrgUnitFactory(
            parent=city, name=f"Quận {number:02d}", kind=OrgUnit.Kind.DISTRICT, valid_to=REFORM - timedelta(1)
        )
        districts.append(district)
        for half in "AB":
            wards.append(
                OrgUnitFactory(
                    parent=district, name=f"Phường {number:02d}{half}", valid_to=REFORM - timedelta(1)
                )
            )
    province = OrgUnitFactory(name="Tỉnh Bắc Ninh", kind=OrgUnit.Kind.PROVINCE)
    return {
        "districts": districts,
        "wards": wards,
        "province": province,
        "province_ward": OrgUnitFactory(parent=province, name="Phường Vũ Ninh"),
    }


@pytest.fixture
def seed(hanoi, city, ward):
    build = Builder()
    districts, wards = hanoi["districts"], hanoi["wards"]
    # The city level: 18 conferences, 17 × 140 + 150 = 2,530 participants.
    city_level = [build.meeting(city, participants=140 if n else 150) for n in range(18)]
    # Districts: 7 each, 100 participants; wards: 2,984 = 60 × 49 + 44, 50 participants.
    district_level = [build.meeting(d, participants=100) for d in districts for _ in range(7)]
    ward_level = [build.meeting(wards[n % 60], participants=50) for n in range(2984)]
    # Voter meetings: 1,205 with NA and city deputies (80 voters), 5,763 with district deputies (60).
    voters_city = [
        build.meeting(wards[n % 60], participants=80, deputies=Deputies.NATIONAL_CITY, session="Kỳ họp thứ 5")
        for n in range(1205)
    ]
    voters_district = [
        build.meeting(wards[n % 60], participants=60, deputies=Deputies.DISTRICT) for n in range(5763)
    ]
    # Noise: cancelled and planned conferences, one day either side of the period, Bắc Ninh.
    cancelled = build.meeting(city, participants=0, status=Conference.Status.CANCELLED, day=date(2019, 3, 1))
    planned = build.meeting(
        districts[0], participants=0, status=Conference.Status.PLANNED, day=date(2020, 3, 1)
    )
    before = build.meeting(city, participants=999, day=START - timedelta(1))
    after = build.meeting(wards[0], participants=999, day=END + timedelta(1))
    voter_after = build.meeting(
        wards[1], participants=999, day=END + timedelta(1), deputies=Deputies.DISTRICT
    )
    elsewhere = [build.meeting(hanoi["province_ward"], participants=500) for _ in range(5)]
    elsewhere += [build.meeting(hanoi["province"], participants=500, deputies=Deputies.NATIONAL_CITY)]
    build.save()

    rows = []
    # City: 296 received — 250 answered at the conference, 40 resolved, 6 forwarded — of which
    # 20 gathered by the Front before the first conference (received before the period).
    first = min(city_level, key=lambda c: c.held_on)
    rows += opinions(
        [first], [Outcome.ANSWERED] * 20, channel=Channel.BEFORE_CONFERENCE, received_on=START - timedelta(5)
    )
    rows += opinions(city_level, [Outcome.ANSWERED] * 230 + ["resolved"] * 40 + [Outcome.TRANSFERRED] * 6)
    # Districts: 210, half resolved. Wards: 100 answered, 30 declined, 20 waiting.
    rows += opinions(district_level, ["resolved"] * 105 + [Outcome.IN_AUTHORITY] * 105)
    rows += opinions(ward_level, [Outcome.ANSWERED] * 100 + [Outcome.REJECTED] * 30 + [Outcome.PENDING] * 20)
    # Voter petitions: 40 forwarded to the city council's standing body; 25 answered on the spot.
    rows += opinions(voters_city, [Outcome.TRANSFERRED] * 40)
    rows += opinions(voters_district, [Outcome.ANSWERED] * 25)
    # Noise with opinions.
    for conference in (cancelled, planned, before, after, voter_after, *elsewhere):
        rows += opinions([conference], [Outcome.ANSWERED] * 3)
    # Outside meetings: 7 letters (4 resolved), 4 at citizen reception, 2 online (declined).
    rows += letters(wards[3], ["resolved"] * 4 + [Outcome.IN_AUTHORITY] * 3, Channel.LETTER, date(2020, 6, 1))
    rows += letters(districts[2], [Outcome.PENDING] * 4, Channel.RECEPTION, END)
    rows += letters(city, [Outcome.REJECTED] * 2, Channel.ONLINE, START)
    rows += letters(wards[3], ["resolved"], Channel.LETTER, START - timedelta(1))
    rows += letters(wards[4], ["resolved"], Channel.RECEPTION, END + timedelta(1))
    rows += letters(hanoi["province_ward"], ["resolved"] * 3, Channel.LETTER, date(2020, 1, 1))
    Petition.objects.bulk_create(rows, batch_size=2000)
    # A duplicate merged into a city opinion is not received a second time.
    original = Petition.objects.filter(conference=city_level[0]).first()
    petition_for(city_level[0], outcome=Outcome.DUPLICATE, duplicate_of=original)
    # Today's ward holds a conference after the reform (outside the period).
    conference_for(ward, status="held", participant_count=77)
    return hanoi


# (label, conferences, share, participants, received, acknowledged, resolved, resolved %)
LEVELS = {
    "city": ("Cấp thành phố, tỉnh", "18", "0,6%", "2.530", "296", "296", "290", "98,0%"),
    "district": (
        "Cấp quận, huyện, thị xã (trước 01/7/2025)",
        "210",
        "6,5%",
        "21.000",
        "210",
        "210",
        "105",
        "50,0%",
    ),
    "commune": (
        "Cấp xã, phường, đặc khu, thị trấn",
        "2.984",
        "92,9%",
        "149.200",
        "150",
        "100",
        "100",
        "66,7%",
    ),
    "total": ("Tổng cộng", "3.212", "100%", "172.730", "656", "606", "495", "75,5%"),
}
VOTERS = {
    "voter-national_city": ("1.205", "96.400", "40", "40", "0", "0,0%"),
    "voter-district": ("5.763", "345.780", "25", "25", "25", "100,0%"),
    "voter-commune": ("0", "0", "0", "0", "0", ""),
    "voter-total": ("6.968", "442.180", "65", "65", "25", "38,5%"),
}
CHANNELS = {
    "channel-letter": ("7", "7", "4", "57,1%"),
    "channel-reception": ("4", "0", "0", "0,0%"),
    "channel-online": ("2", "0", "0", "0,0%"),
    "channel-total": ("13", "7", "4", "30,8%"),
}


def report_url(name, area, start=START, end=END):
    from django.urls import reverse

    return f"{reverse(name)}?area={area.pk}&start={start:%d/%m/%Y}&end={end:%d/%m/%Y}"


def page_cells(html: str, row: str) -> tuple[str, ...]:
    """The text of the number cells of <tr data-row="row">."""
    match = re.search(rf'<tr[^>]*data-row="{row}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return tuple(" ".join(re.sub(r"<[^>]+>", "", cell).split()) for cell in cells)


def test_the_seed_figures_in_the_page(seed, city, make_user):
    user = make_user("monitor", is_superuser=True)  # sees every province: the area decides
    response = login(user).get(report_url("dashboards:statistics", city))
    html = response.content.decode()
    report = response.context["report"]
    assert [row.level.key for row in report.levels] == ["city", "district", "commune"]
    for key, (_label, *figures) in LEVELS.items():
        assert page_cells(html, key) == tuple(figures), key
    for key, figures in VOTERS.items():
        assert page_cells(html, key) == figures, key
    for key, figures in CHANNELS.items():
        assert page_cells(html, key) == figures, key
    # The areas of the period: the city's own row and the 30 districts, not today's wards.
    names = [row.area.name for row in report.children]
    assert names[0] == "Thành phố Hà Nội" and report.children[0].own
    assert sorted(names[1:]) == [f"Quận {n:02d}" for n in range(30)]
    for field in ("conferences", "participants", "received", "acknowledged", "resolved"):
        assert sum(getattr(row, field) for row in report.children) == getattr(report.total, field)
    # Wards 00A–21B (44 of them) hosted 50 conferences each, the others 49; a district adds 7.
    for row in report.children[1:]:
        district = int(row.area.name.split()[-1])
        conferences = 7 + (2 * 50 if district < 22 else 2 * 49)
        participants = 7 * 100 + conferences * 50 - 350
        assert page_cells(html, f"area-{row.area.pk}")[:2] == (
            str(conferences),
            f"{participants:,}".replace(",", "."),
        )


def test_the_seed_figures_in_the_workbook(seed, city, make_user):
    user = make_user("monitor", is_superuser=True)
    response = login(user).get(report_url("dashboards:statistics_xlsx", city))
    sheet = load_workbook(io.BytesIO(response.content))[SHEET_STATISTICS]

    def number(text: str):
        if text == "":
            return None
        text = text.rstrip("%").replace(".", "").replace(",", ".")
        return float(text) if "." in text else int(text)

    rows = list(sheet.iter_rows(min_row=6, max_row=9))
    for row, (label, *figures) in zip(rows, LEVELS.values(), strict=True):
        assert row[0].value == label
        assert [cell.value for cell in row[1:]] == [number(f) for f in figures], label
        assert row[1].number_format == row[3].number_format == row[4].number_format == "#,##0"
    voters = list(sheet.iter_rows(min_row=12, max_row=15))
    assert [row[0].value for row in voters] == [str(label) for _value, label in Deputies.choices] + [
        "Tổng cộng"
    ]
    for row, (meetings, participants, *opinion_figures) in zip(voters, VOTERS.values(), strict=True):
        expected = [number(meetings), None, number(participants), *map(number, opinion_figures)]
        expected[1] = row[2].value  # the share of the level among voter meetings
        assert [cell.value for cell in row[1:]] == expected
    channels = list(sheet.iter_rows(min_row=18, max_row=21))
    for row, figures in zip(channels, CHANNELS.values(), strict=True):
        assert [cell.value for cell in row[1:]] == [None, None, None, *map(number, figures)]
    detail = load_workbook(io.BytesIO(response.content))[SHEET_DETAIL]
    listed = [row[1].value for row in detail.iter_rows(min_row=6)]
    assert "Phường Bồ Đề" not in listed and len(listed) == 1 + 30 + 60
    assert sum(row[3].value for row in detail.iter_rows(min_row=6)) == 3212


@needs_poppler
def test_the_seed_figures_in_the_pdf(seed, city, make_user, tmp_path):
    user = make_user("monitor", is_superuser=True)
    response = login(user).get(report_url("dashboards:statistics_pdf", city))
    text = pdf_text(tmp_path, response.content)
    flat = " ".join(text.split())
    for _label, *figures in LEVELS.values():
        assert " ".join(figures) in flat, figures
    for figures in VOTERS.values():
        assert " ".join(f for f in figures if f) in flat, figures
    for figures in CHANNELS.values():
        assert " ".join(figures) in flat, figures
    assert "Phường Bồ Đề" not in flat


# --- the areas of the period ------------------------------------------------------------------


@pytest.fixture
def merged(hanoi, ward):
    """Phường 00A was merged into today's Bồ Đề on 01/07/2025: two conferences of its own in
    the period (one with a voter meeting's petitions beside it), one letter."""
    old = hanoi["wards"][0]
    old.successor = ward
    old.save()
    build = Builder()
    held = [build.meeting(old, participants=120, day=date(2019, 5, 5)), build.meeting(old, participants=1200)]
    meeting = build.meeting(old, participants=90, deputies=Deputies.DISTRICT)
    build.save()
    Petition.objects.bulk_create(
        opinions(held, [Outcome.ANSWERED, Outcome.TRANSFERRED, Outcome.PENDING])
        + opinions([meeting], [Outcome.TRANSFERRED])
        + letters(old, ["resolved"], Channel.LETTER, date(2021, 1, 1))
    )
    return old


def test_a_present_day_wards_report_includes_its_predecessor(merged, ward, make_user, tmp_path):
    client = login(make_user("clerk"))  # of today's Bồ Đề
    response = client.get(report_url("dashboards:statistics", ward))
    html = response.content.decode()
    report = response.context["report"]
    assert report.predecessors == [merged]
    assert "Số liệu gồm cả các đơn vị tiền thân" in html and "Phường 00A (đến 30/06/2025)" in html
    # Only the ward level: no empty city or district rows.
    assert [row.level.key for row in report.levels] == ["commune"]
    assert page_cells(html, "commune") == ("2", "100,0%", "1.320", "3", "2", "1", "33,3%")
    assert page_cells(html, "voter-district") == ("1", "90", "1", "1", "0", "0,0%")
    assert page_cells(html, "channel-letter") == ("1", "1", "1", "100,0%")
    assert page_cells(html, f"area-{merged.pk}")[:2] == ("2", "1.320")
    assert "(đơn vị tiền thân)" in html

    workbook = load_workbook(io.BytesIO(client.get(report_url("dashboards:statistics_xlsx", ward)).content))
    sheet = workbook[SHEET_STATISTICS]
    assert sheet["A4"].value == "Gồm cả số liệu của đơn vị tiền thân: Phường 00A"
    assert [cell.value for cell in sheet[7]] == [
        "Cấp xã, phường, đặc khu, thị trấn",
        2,
        100.0,
        1320,
        3,
        2,
        1,
        33.3,
    ]
    listed = [row[1].value for row in workbook[SHEET_DETAIL].iter_rows(min_row=7)]
    assert listed == ["Phường 00A"]  # today's Bồ Đề did not exist in 2017–2022

    if shutil.which("pdftotext"):
        flat = " ".join(
            pdf_text(tmp_path, client.get(report_url("dashboards:statistics_pdf", ward)).content).split()
        )
        assert "Số liệu gồm cả các đơn vị tiền thân: Phường 00A (đến 30/06/2025)" in flat
        assert "2 100,0% 1.320 3 2 1 33,3%" in flat


def test_a_report_after_the_reform_lists_no_abolished_district(hanoi, city, ward, other_ward, make_user):
    conference_for(ward, status="held", participant_count=77)
    user = make_user("monitor", is_superuser=True)
    response = login(user).get(
        report_url("dashboards:statistics", city, date(2026, 1, 1), date(2026, 12, 31))
    )
    report = response.context["report"]
    assert [row.level.key for row in report.levels] == ["city", "commune"]
    assert [row.area.name for row in report.children] == ["Phường Bồ Đề", "Phường Cầu Giấy"]
    assert (report.total.conferences, report.total.participants) == (1, 77)
