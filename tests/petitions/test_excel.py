import html
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.text import fold
from petitions import excel
from petitions.import_views import ALREADY_IMPORTED, FILE_NOT_XLSX, FILE_TOO_LARGE, PAYLOAD_REFUSED
from petitions.models import CONFIDENTIAL_PETITIONER, Category, Petition
from tests.conftest import login
from tests.factories import ConferenceFactory, PetitionFactory

pytestmark = pytest.mark.django_db

HEADERS = [column.header for column in excel.COLUMNS]
SECRET_NAME = "Nguyễn Văn Bí Mật Zed"


def workbook_bytes(rows, header=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows] if header else rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(content="Đề nghị lắp đèn ngõ 7.", category="Khác", name="Trần Thị Hoa", **overrides):
    values = {
        "": "1",
        "petitioner_type": "Cá nhân",
        "petitioner_name": name,
        "petitioner_address": "Tổ dân phố 3",
        "channel": "Phát biểu tại hội nghị",
        "category": category,
        "kind": "Kiến nghị",
        "content": content,
        "answered_at_conference": "Không",
        "conference_answer": "",
        "answered_by": "",
        "petitioner_phone": "",
        "petitioner_email": "",
        "message_consent": "",
        **overrides,
    }
    return [values[field] for field in excel.FIELDS]


def upload(client, conference, data: bytes, name="y-kien.xlsx"):
    return client.post(
        reverse("petitions:import", args=[conference.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def payload_of(response) -> str:
    match = re.search(r'name="payload" value="([^"]+)"', response.content.decode())
    assert match, "the preview offers no confirmation"
    return match.group(1)


def confirm(client, conference, payload):
    return client.post(reverse("petitions:import_confirm", args=[conference.pk]), {"payload": payload})


def page_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def row_html(response, number: int) -> str:
    html = response.content.decode()
    start = html.index(f'id="row-{number}"')
    return html[start : html.index("</tr>", start)]


@pytest.fixture
def conference(ward):
    return ConferenceFactory(host_area=ward, status="held")


@pytest.fixture
def clerk(make_user):
    return make_user("clerk")


# --- template ------------------------------------------------------------------------------


def test_template_has_the_header_drop_downs_and_a_hidden_list_sheet(clerk):
    response = login(clerk).get(reverse("petitions:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == [excel.SHEET_OPINIONS, excel.SHEET_HELP, excel.SHEET_LISTS]
    sheet = workbook[excel.SHEET_OPINIONS]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert HEADERS[:3] == ["STT", "Người nêu (Cá nhân/Tổ chức/Ẩn danh)", "Họ tên / tổ chức"]
    assert sheet.freeze_panes == "A2"
    validated = {
        str(validation.sqref).split(":")[0]: validation
        for validation in sheet.data_validations.dataValidation
    }
    # type, channel, category, kind, answered, consent to messages
    assert set(validated) == {"B2", "E2", "F2", "G2", "I2", "N2"}
    assert all(
        validation.type == "list" and "Danh mục" in validation.formula1 for validation in validated.values()
    )
    lists = workbook[excel.SHEET_LISTS]
    assert lists.sheet_state == "hidden"
    listed = {cell.value for column in lists.iter_cols() for cell in column}
    assert {"Cá nhân", "Tổ chức", "Ẩn danh", "Khác", "Tố cáo", "Có", "Không", "Đơn, thư"} <= listed


def test_the_template_as_downloaded_has_no_rows_to_import(clerk, conference):
    response = upload(login(clerk), conference, excel.template_workbook())
    assert str(excel.NO_ROWS) in response.content.decode()


# --- round trip ----------------------------------------------------------------------------


def test_export_then_import_into_another_conference_copies_the_opinions(ward, clerk, conference):
    traffic = Category.objects.get(name="Giao thông – hạ tầng")
    PetitionFactory(
        conference=conference, position=1, category=traffic, content="Đường ngõ 12 bị lún.\nMưa là ngập."
    )
    PetitionFactory(
        conference=conference,
        position=2,
        petitioner_type=Petition.PetitionerType.ORGANISATION,
        petitioner_name="Chi hội Cựu chiến binh tổ 4",
        channel=Petition.Channel.BEFORE_CONFERENCE,
        kind=Petition.Kind.PROPOSAL,
        content="=Đề xuất lắp camera an ninh",  # text, never a formula, both ways
        answered_at_conference=True,
        conference_answer="Phường đồng ý, lắp trong quý III.",
        answered_by="Chủ tịch UBND phường",
        outcome=Petition.Outcome.ANSWERED,
    )
    PetitionFactory(
        conference=conference,
        position=3,
        petitioner_type=Petition.PetitionerType.ANONYMOUS,
        petitioner_name="",
        petitioner_address="",
        content="Quán karaoke hát quá 22 giờ.",
    )
    client = login(clerk)
    exported = client.get(reverse("petitions:export", args=[conference.pk]))
    assert exported.status_code == 200
    data = b"".join(exported.streaming_content)

    sheet = load_workbook(io.BytesIO(data))[excel.SHEET_OPINIONS]
    assert [cell.value for cell in sheet[1]] == [*HEADERS, "Mã tra cứu", "Hướng xử lý"]
    assert sheet["H3"].data_type == "s"

    other = ConferenceFactory(host_area=ward, status="held")
    preview = upload(client, other, data)
    assert preview.status_code == 200
    assert "3 dòng hợp lệ, 0 dòng lỗi" in preview.content.decode()
    assert Petition.objects.filter(conference=other).count() == 0  # nothing saved before confirming

    response = confirm(client, other, payload_of(preview))
    assert response.status_code == 302 and response["Location"] == reverse("dialogue:detail", args=[other.pk])
    assert "Đã nhập 3 ý kiến từ tệp Excel." in page_messages(response)

    fields = [
        "position",
        "category_id",
        "content",
        "kind",
        "channel",
        "petitioner_type",
        "petitioner_name",
        "petitioner_address",
        "answered_at_conference",
        "conference_answer",
        "answered_by",
        "outcome",
    ]
    original = list(conference.petitions.order_by("position").values(*fields))
    copied = list(other.petitions.order_by("position").values(*fields))
    assert copied == original
    assert not set(other.petitions.values_list("tracking_code", flat=True)) & set(
        conference.petitions.values_list("tracking_code", flat=True)
    )


def test_labels_are_read_without_case_or_accents_and_blank_choices_take_the_defaults(clerk, conference):
    data = workbook_bytes(
        [
            row(
                petitioner_type="TO CHUC",
                channel="",
                kind="de xuat",
                category="giao thong - ha tang",
                name="Hội Phụ nữ",
            ),
            row(
                petitioner_type="",
                channel="don, thu",
                kind="",
                answered_at_conference="co",
                conference_answer="Đã rõ.",
            ),
        ]
    )
    result = excel.parse_workbook(data)
    assert result.is_valid, [row.errors for row in result.rows]
    first, second = result.drafts()
    assert (first.petitioner_type, first.channel, first.kind) == ("organisation", "at_conference", "de_xuat")
    assert first.category.name == "Giao thông – hạ tầng"
    assert (second.petitioner_type, second.channel, second.kind) == ("person", "letter", "kien_nghi")
    assert second.answered_at_conference is True
    assert result.rows[0].values["petitioner_type"] == "Tổ chức"  # the preview shows what will be saved


# --- errors --------------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_its_errors_sit_next_to_it(clerk, conference):
    data = workbook_bytes(
        [
            row(),
            [],  # a blank row is skipped, and the numbers stay those Excel shows
            row(category="Vũ trụ bao la"),
            row(content=""),
        ]
    )
    response = upload(login(clerk), conference, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 dòng hợp lệ, 2 dòng lỗi" in html
    assert (
        'name="payload"' not in html and "Xác nhận nhập" not in html.split("</h1>", 1)[1].split("<table")[0]
    )
    assert "chưa lưu ý kiến nào" in html
    assert "table-danger" in row_html(response, 4) and "table-danger" not in row_html(response, 2)
    assert "Không có lĩnh vực" in row_html(response, 4) and "Vũ trụ bao la" in row_html(response, 4)
    with translation.override("vi"):
        required = str(forms.Field.default_error_messages["required"])
    assert required in row_html(response, 5)
    assert "Nội dung" in row_html(response, 5)
    assert Petition.objects.count() == 0


def test_row_errors_use_the_fast_entry_rules(conference):
    result = excel.parse_workbook(
        workbook_bytes(
            [
                row(name=""),  # a person needs a name
                row(name="", petitioner_type="Ẩn danh"),  # unless anonymous
                row(answered_at_conference="Có"),  # answered needs the answer
                row(answered_at_conference="chắc vậy"),
                row(kind="Khen ngợi"),
                row(name="x" * 300),
                row(name="", category="Vũ trụ"),  # every problem of the row at once
            ]
        )
    )
    errors = {row.number: row.errors for row in result.rows}
    assert "petitioner_name" in errors[2]
    assert errors[3] == {}
    assert "conference_answer" in errors[4]
    assert errors[5] == {"answered_at_conference": [str(excel.NOT_YES_NO)]}
    assert "Khen ngợi" in errors[6]["kind"][0] and "Tố cáo" in errors[6]["kind"][0]
    assert "petitioner_name" in errors[7]
    assert set(errors[8]) == {"category", "petitioner_name"}
    assert (result.valid_count, result.error_count, result.is_valid) == (1, 6, False)


def _zip_bytes(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"garbage bytes, not a spreadsheet", excel.NOT_A_WORKBOOK),
        (b"", excel.NOT_A_WORKBOOK),
        (excel.OLE_MAGIC + b"\0" * 600, excel.OLD_OR_PROTECTED),  # .xls renamed, or a password
        (_zip_bytes(["word/document.xml", "[Content_Types].xml"]), excel.NOT_A_WORKBOOK),
        (_zip_bytes(["xl/workbook.xml"]), excel.UNREADABLE),
        (excel.ZIP_MAGIC + b"\0" * 100, excel.NOT_A_WORKBOOK),
    ],
)
def test_unreadable_files_give_a_file_error_and_never_raise(data, message):
    result = excel.parse_workbook(data)
    assert result.errors == [str(message)] and result.rows == []


def test_an_empty_sheet_has_no_rows():
    assert excel.parse_workbook(workbook_bytes([], header=None)).errors == [str(excel.NO_ROWS)]


def test_a_truncated_workbook_gives_a_file_error():
    data = workbook_bytes([row()])
    assert excel.parse_workbook(data[: len(data) // 2]).errors


def test_formulas_dates_and_numbers_are_read_as_text(conference):
    data = workbook_bytes(
        [
            [
                1,
                "Cá nhân",
                "Lê Văn Số",
                datetime(2026, 3, 1, 8, 30),
                None,
                "Khác",
                None,
                12345,
                True,
                "=1+1",
                date(2026, 3, 2),
            ],
            [2.0, "Cá nhân", 42, 3.5, None, "Khác", None, "Nội dung", False, None, None],
        ]
    )
    result = excel.parse_workbook(data)
    assert not result.errors
    first, second = result.rows
    # The answer is a formula never calculated (no cached value): read as empty, so the rule
    # "answered needs an answer" catches it instead of saving "=1+1".
    assert first.values["petitioner_address"] == "01/03/2026 08:30"
    assert first.values["content"] == "12345" and first.values["answered_by"] == "02/03/2026"
    assert first.values["conference_answer"] == "" and list(first.errors) == ["conference_answer"]
    assert (
        second.is_valid
        and second.values["petitioner_name"] == "42"
        and second.values["petitioner_address"] == "3.5"
    )


def test_a_wrong_header_or_a_title_row_is_refused():
    title_row = workbook_bytes([["Danh sách ý kiến hội nghị"], HEADERS, row()], header=None)
    errors = excel.parse_workbook(title_row).errors
    assert len(errors) == 1 and "Dòng tiêu đề" in errors[0]
    shuffled = workbook_bytes([row()], header=[HEADERS[0], HEADERS[2], HEADERS[1], *HEADERS[3:]])
    assert "cột B" in excel.parse_workbook(shuffled).errors[0]
    # The same header typed without accents, in capitals, without the hints in brackets.
    plain = workbook_bytes(
        [row()], header=["stt", "NGUOI NEU", *(fold(header).upper() for header in HEADERS[2:])]
    )
    assert excel.parse_workbook(plain).is_valid


def test_more_than_a_thousand_rows_are_refused(conference):
    data = workbook_bytes([row() for _ in range(excel.MAX_ROWS + 1)])
    assert excel.parse_workbook(data).errors == [str(excel.TOO_MANY_ROWS % {"limit": excel.MAX_ROWS})]
    assert excel.parse_workbook(workbook_bytes([row() for _ in range(excel.MAX_ROWS)])).is_valid


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("y-kien.xlsx", b"garbage bytes, not a spreadsheet", excel.NOT_A_WORKBOOK),
        ("y-kien.xlsx", excel.OLE_MAGIC + b"\0" * 100, excel.OLD_OR_PROTECTED),
        ("y-kien.csv", b"STT,Noi dung\n1,abc\n", FILE_NOT_XLSX),
        ("y-kien.xls", excel.OLE_MAGIC + b"\0" * 100, FILE_NOT_XLSX),
    ],
)
def test_a_non_xlsx_upload_is_refused_next_to_the_file_field(clerk, conference, name, data, message):
    response = upload(login(clerk), conference, data, name=name)
    assert response.status_code == 200
    html = response.content.decode()
    errors = html[html.index('id="id_file_errors"') :].split("</div>", 2)
    assert str(message).split("“")[0][:40] in "".join(errors)
    assert 'aria-invalid="true"' in html


def test_an_oversized_upload_is_refused(clerk, conference):
    data = excel.ZIP_MAGIC + b"\0" * (5 * 1024 * 1024)
    response = upload(login(clerk), conference, data)
    assert response.status_code == 200
    assert str(FILE_TOO_LARGE).split("(")[0] in response.content.decode()
    assert Petition.objects.count() == 0


# --- permissions and scope ------------------------------------------------------------------


def test_a_monitor_may_export_but_not_import(make_user, conference):
    client = login(make_user("monitor"))
    assert client.get(reverse("petitions:import", args=[conference.pk])).status_code == 403
    assert client.get(reverse("petitions:import_template")).status_code == 403
    assert upload(client, conference, workbook_bytes([row()])).status_code == 403
    assert confirm(client, conference, "x").status_code == 403
    assert client.get(reverse("petitions:export", args=[conference.pk])).status_code == 200


def test_a_conference_of_another_ward_is_not_found(clerk, other_ward):
    elsewhere = ConferenceFactory(host_area=other_ward, status="held")
    client = login(clerk)
    assert client.get(reverse("petitions:import", args=[elsewhere.pk])).status_code == 404
    assert upload(client, elsewhere, workbook_bytes([row()])).status_code == 404
    assert confirm(client, elsewhere, "x").status_code == 404
    assert client.get(reverse("petitions:export", args=[elsewhere.pk])).status_code == 404


def test_a_closed_conference_takes_no_import(clerk, ward):
    closed = ConferenceFactory(host_area=ward, status="closed")
    response = login(clerk).get(reverse("petitions:import", args=[closed.pk]))
    assert response.status_code == 302


# --- export privacy -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clerk", "leader", "monitor"])
def test_the_export_never_names_a_denouncer(make_user, conference, role):
    PetitionFactory(
        conference=conference,
        kind=Petition.Kind.DENUNCIATION,
        petitioner_name=SECRET_NAME,
        petitioner_address="Số 9 ngõ Kín Đáo",
        content="Tố cáo cán bộ địa chính nhận tiền.",
    )
    PetitionFactory(conference=conference, petitioner_name="Phạm Văn Công Khai")
    response = login(make_user(role)).get(reverse("petitions:export", args=[conference.pk]))
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # Character references (&#7841;, written when lxml is installed) read as the letters.
        text = html.unescape(
            "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        )
    assert "Bí Mật Zed" not in text and "Kín Đáo" not in text
    assert "Phạm Văn Công Khai" in text
    sheet = load_workbook(io.BytesIO(data))[excel.SHEET_OPINIONS]
    denunciation = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[6] == "Tố cáo")
    assert denunciation[2] == str(CONFIDENTIAL_PETITIONER) and denunciation[3] is None


# --- confirmation ---------------------------------------------------------------------------


def test_a_tampered_payload_is_refused(clerk, conference):
    client = login(clerk)
    payload = payload_of(upload(client, conference, workbook_bytes([row()])))
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    response = confirm(client, conference, tampered)
    assert response.status_code == 302 and response["Location"] == reverse(
        "petitions:import", args=[conference.pk]
    )
    assert str(PAYLOAD_REFUSED) in page_messages(response)
    assert confirm(client, conference, "").status_code == 302
    assert Petition.objects.count() == 0


def test_a_payload_only_serves_its_own_conference_and_only_once(ward, clerk, conference):
    client = login(clerk)
    payload = payload_of(upload(client, conference, workbook_bytes([row(), row()])))
    other = ConferenceFactory(host_area=ward, status="held")
    assert str(PAYLOAD_REFUSED) in page_messages(confirm(client, other, payload))
    assert confirm(client, conference, payload).status_code == 302
    again = confirm(client, conference, payload)  # a double click
    assert str(ALREADY_IMPORTED) in page_messages(again)
    assert conference.petitions.count() == 2


def test_rows_are_checked_again_on_confirmation(clerk, conference):
    client = login(clerk)
    payload = payload_of(upload(client, conference, workbook_bytes([row(category="Y tế")])))
    Category.objects.filter(name="Y tế").update(is_active=False)
    response = confirm(client, conference, payload)
    assert response.status_code == 200
    assert "0 dòng hợp lệ, 1 dòng lỗi" in response.content.decode()
    assert conference.petitions.count() == 0
