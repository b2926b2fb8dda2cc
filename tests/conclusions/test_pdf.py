"""The conclusion notice PDF: WeasyPrint really renders, poppler's tools read the result."""

import hashlib
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from accounts.models import OrgUnit
from conclusions import pdf
from conclusions.demo import SEED_004
from conclusions.models import ConclusionNotice, NoticeItem
from conclusions.tasks import notice_render_pdf, notices_render_pending
from core import pdf as core_pdf

pytestmark = pytest.mark.django_db

POPPLER = ("pdftotext", "pdffonts", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in POPPLER),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) missing",
)

SUMMARY = "Kết luận của người đứng đầu cấp ủy, chính quyền tại hội nghị đối thoại năm 2022"
PREAMBLE = (
    "Chiều ngày 30/9/2022, tại Hội trường UBND phường, Đảng ủy, UBND phường Bồ Đề tổ chức hội nghị đối thoại "
    "giữa người đứng đầu cấp ủy, chính quyền với MTTQ, các tổ chức chính trị - xã hội và Nhân dân năm 2022. "
    "Đồng chí Nguyễn Thị Thanh Hằng, Bí thư Đảng ủy phường và đồng chí Nguyễn Văn Luyện, Phó Bí thư Đảng ủy, "
    "Chủ tịch UBND phường chủ trì hội nghị. Đã có 14 ý kiến được gửi tới người đứng đầu cấp ủy, chính quyền "
    "phường tại hội nghị, đi vào 4 nhóm vấn đề: công tác quản lý đất đai và giải phóng mặt bằng; công tác quản "
    "lý trật tự đô thị, trật tự xây dựng, vệ sinh môi trường, hạ tầng dân sinh; công tác bảo đảm an ninh trật "
    "tự; công tác văn hóa - xã hội.\n"
    "Sau khi thống nhất các nội dung, Chủ tọa hội nghị thống nhất kết luận như sau:"
)
# Seed 004's four points, word for word.
ITEMS = list(SEED_004.items)
CLOSING = (
    "Văn phòng UBND phường thông báo ý kiến kết luận của người đứng đầu cấp ủy, chính quyền tại hội nghị để "
    "các cơ quan, đơn vị, tổ chức và cá nhân có liên quan biết, thực hiện./."
)
RECIPIENTS = "Thường trực Quận ủy Long Biên\nBan Dân vận Quận ủy\nThường trực Đảng ủy phường\nUBMTTQ phường\nCác tổ dân phố"


def make_notice(ward, signer, *, body="UBND", **fields) -> ConclusionNotice:
    issuing_body = ward.bodies[body]
    values = {
        "status": ConclusionNotice.Status.ISSUED,
        "number": 15,
        "number_label": "15/TB-UBND" if body == "UBND" else f"15-TB/{body}",
        "issued_on": date(2022, 10, 10),
        "issuing_body": issuing_body,
        "area": issuing_body.area,
        "signer": signer,
        "signer_title": "CHỦ TỊCH" if body == "UBND" else "BÍ THƯ",
        "sign_mode": ConclusionNotice.SignMode.ON_BEHALF,
        "summary": SUMMARY,
        "preamble": PREAMBLE,
        "closing": CLOSING,
        "recipients": RECIPIENTS,
    }
    notice = ConclusionNotice.objects.create(**{**values, **fields})
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, position=position, text=text)
        for position, text in enumerate(ITEMS, start=1)
    )
    return notice


@pytest.fixture
def leader(make_user):
    return make_user("leader", full_name="Nguyễn Văn Luyện")


@pytest.fixture
def notice(ward, leader):
    return make_notice(ward, leader)


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def write(tmp_path: Path, data: bytes, name: str = "notice.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def page_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run("pdftotext", "-layout", *pages, str(path), "-")


def flat(text: str) -> str:
    """Columns and justification add spaces; line ends break phrases."""
    return " ".join(text.split())


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.MULTILINE)[1])


# --- helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2022, 9, 30), "ngày 30 tháng 9 năm 2022"),
        (date(2022, 10, 10), "ngày 10 tháng 10 năm 2022"),
        (date(2025, 1, 1), "ngày 01 tháng 01 năm 2025"),
        (date(2025, 3, 9), "ngày 09 tháng 3 năm 2025"),
        (None, "ngày … tháng … năm …"),
    ],
)
def test_vietnamese_date(day, expected):
    assert pdf.vietnamese_date(day) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Phường Bồ Đề", "Bồ Đề"),
        ("Phường Bồ Đề (quận Long Biên, đến 30/6/2025)", "Bồ Đề"),
        ("Xã Bát Tràng", "Bát Tràng"),
        ("Thị trấn Trâu Quỳ", "Trâu Quỳ"),
        ("Thị xã Sơn Tây", "Sơn Tây"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Đặc khu Phú Quốc", "Phú Quốc"),
        ("Quận Long Biên", "Long Biên"),
        # Decree 30/2020/NĐ-CP, Phụ lục I: a unit named by a number keeps its full name.
        ("Phường 5", "Phường 5"),
        ("Phường 12 (quận 3, đến 30/6/2025)", "Phường 12"),
    ],
)
def test_place_name(name, expected):
    assert core_pdf.place_name(name) == expected


@pytest.mark.parametrize("name", ["Phường Hai Bà Trưng", "Xã Trần Phú", "Phường Điện Biên Phủ"])
def test_place_named_after_a_person_or_event_keeps_its_full_name(name):
    # Which names are a person's or an event's is data (OrgUnit.named_after_person_or_event).
    assert core_pdf.place_name(name, named_after_person_or_event=True) == name
    assert core_pdf.place_name(name) == name.split(" ", 1)[1]


@pytest.mark.django_db
def test_documents_write_the_full_place_of_a_unit_named_after_a_person(city):
    from accounts.models import OrgUnit

    ward = OrgUnit.objects.create(
        name="Phường Hai Bà Trưng", kind=OrgUnit.Kind.WARD, parent=city, named_after_person_or_event=True
    )
    assert ward.place_name == "Phường Hai Bà Trưng"


def test_recipient_lines_end_with_the_office_copy():
    assert pdf.recipient_lines(["UBND quận;", "- Các tổ dân phố."]) == [
        "- UBND quận;",
        "- Các tổ dân phố;",
        "- Lưu: VT.",
    ]
    assert pdf.recipient_lines(["Như trên", "Lưu: VT, VP"]) == ["- Như trên;", "- Lưu: VT, VP."]
    assert pdf.recipient_lines(["Như trên", "Lưu VT"]) == ["- Như trên;", "- Lưu VT."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ủy ban nhân dân phường Bồ Đề", ["ỦY BAN NHÂN DÂN", "PHƯỜNG BỒ ĐỀ"]),
        ("Đảng ủy phường Bồ Đề", ["ĐẢNG ỦY PHƯỜNG BỒ ĐỀ"]),
        ("Ủy ban MTTQ Việt Nam phường Bồ Đề", ["ỦY BAN MTTQ VIỆT NAM", "PHƯỜNG BỒ ĐỀ"]),
        ("Ủy ban nhân dân phường Bồ Đề (quận Long Biên, đến 30/6/2025)", ["ỦY BAN NHÂN DÂN", "PHƯỜNG BỒ ĐỀ"]),
    ],
)
def test_header_lines(name, expected):
    assert pdf.header_lines(name) == expected


def test_signature_lines(notice):
    assert pdf.signature_lines(notice) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    notice.sign_mode, notice.signer_title = ConclusionNotice.SignMode.DEPUTY, "Phó Chủ tịch"
    assert pdf.signature_lines(notice) == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_party_header_of_an_old_ward_names_its_district(city, leader):
    district = OrgUnit.objects.create(name="Quận Long Biên", kind=OrgUnit.Kind.DISTRICT, parent=city)
    old_ward = OrgUnit.objects.create(
        name="Phường Bồ Đề (quận Long Biên, đến 30/6/2025)", kind=OrgUnit.Kind.WARD, parent=district
    )
    committee = OrgUnit.objects.create(
        name="Đảng ủy phường Bồ Đề", kind=OrgUnit.Kind.PARTY_COMMITTEE, parent=old_ward, symbol="ĐU"
    )
    old_ward.bodies = {"ĐU": committee}
    context = pdf.notice_context(make_notice(old_ward, leader, body="ĐU"), draft=False)
    assert context["parent_org"] == "ĐẢNG BỘ QUẬN LONG BIÊN"
    assert context["place_date"] == "Bồ Đề, ngày 10 tháng 10 năm 2022"
    assert context["number_text"] == "Số 15-TB/ĐU"
    assert context["signature_lines"] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]


def test_the_fetcher_reads_local_files_only():
    fetcher = core_pdf.local_url_fetcher()
    for url in ("https://example.com/font.ttf", "http://10.0.0.1/x.css", "ftp://example.com/x"):
        with pytest.raises(ValueError, match="only local files"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_fonts_resolve_to_shipped_files():
    css = core_pdf.font_face_css()
    for name in core_pdf.FONT_FILES.values():
        assert Path(name).name in css
    assert "file://" in css and "http" not in css


# --- the rendered document ---------------------------------------------------------------


@needs_poppler
def test_issued_notice_reads_as_a_state_document(notice, tmp_path):
    path = write(tmp_path, pdf.render_notice_pdf(notice))
    text = page_text(path)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG BỒ ĐỀ",
        "Số: 15/TB-UBND",
        "Bồ Đề, ngày 10 tháng 10 năm 2022",
        "THÔNG BÁO",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "Nguyễn Văn Luyện",
    ):
        assert phrase in text, phrase
    body = flat(text)
    assert SUMMARY in body
    assert "2. Giao UBND Phường giải quyết kịp thời, hiệu quả những vấn đề dân sinh bức xúc đặt ra" in body
    assert "4. Ủy ban MTTQ và các đoàn thể chính trị - xã hội" in body
    assert "DỰ THẢO" not in text


@needs_poppler
def test_font_is_the_shipped_liberation_serif_embedded(notice, tmp_path):
    path = write(tmp_path, pdf.render_notice_pdf(notice))
    # name type encoding emb sub uni object-id; "CID TrueType" is two words
    rows = [line.split() for line in run("pdffonts", str(path)).splitlines()[2:]]
    assert rows
    for row in rows:
        assert "LiberationSerif" in row[0], row
        assert row[-5:-3] == ["yes", "yes"], row  # embedded, subset
    # Our @font-face family, so the shipped files were used, not a system copy.
    assert {row[0].split("+")[-1] for row in rows} == {
        "LiberationSerif-DoiThoai",
        "LiberationSerif-DoiThoai-Bold",
        "LiberationSerif-DoiThoai-Italic",
        "LiberationSerif-DoiThoai-Bold-Italic",
    }


@needs_poppler
def test_a4_two_pages_numbered_from_the_second(notice, tmp_path):
    path = write(tmp_path, pdf.render_notice_pdf(notice))
    info = run("pdfinfo", str(path))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (595, 842)
    assert page_count(path) == 2
    first, second = page_text(path, 1), page_text(path, 2)
    assert next(line.strip() for line in second.splitlines() if line.strip()) == "2"
    assert "1" not in [line.strip() for line in first.splitlines()]
    assert first.lstrip().startswith("ỦY BAN NHÂN DÂN")


@needs_poppler
def test_party_notice_has_the_party_header(ward, leader, tmp_path):
    notice = make_notice(ward, leader, body="ĐU")
    text = page_text(write(tmp_path, pdf.render_notice_pdf(notice)))
    for phrase in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 15-TB/ĐU",
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        "ĐẢNG ỦY PHƯỜNG BỒ ĐỀ",
    ):
        assert phrase in text, phrase
    assert "Số:" not in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text


@needs_poppler
def test_draft_is_marked_and_leaves_number_and_date_blank(ward, leader, tmp_path):
    draft = make_notice(
        ward, leader, status=ConclusionNotice.Status.DRAFT, number=None, number_label="", issued_on=None
    )
    text = page_text(write(tmp_path, pdf.render_notice_pdf(draft)))
    assert "DỰ THẢO" in text
    assert "Số: …/TB-UBND" in text
    assert "Bồ Đề, ngày … tháng … năm …" in text


@needs_poppler
def test_amending_notice_names_the_notice_it_corrects(ward, leader, notice, tmp_path):
    correction = make_notice(ward, leader, number=16, number_label="16/TB-UBND", amends=notice)
    text = flat(page_text(write(tmp_path, pdf.render_notice_pdf(correction))))
    assert "(Đính chính Thông báo số 15/TB-UBND ngày 10/10/2022)" in text


# --- storing -----------------------------------------------------------------------------


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_store_saves_the_file_and_its_hash_once(notice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    updated_at = notice.updated_at
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf.name.endswith("thong-bao-15-TB-UBND.pdf") and notice.pdf.name.startswith(
        "notices/2022/"
    )
    with notice.pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256
    assert notice.updated_at == updated_at  # only pdf and pdf_sha256 were written

    files = stored_files(tmp_path)
    again = ConclusionNotice.objects.get(pk=notice.pk)
    pdf.notice_pdf_store(notice=again)
    again.refresh_from_db()
    assert (again.pdf.name, again.pdf_sha256) == (notice.pdf.name, notice.pdf_sha256)
    assert stored_files(tmp_path) == files


def test_store_refuses_a_draft(ward, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = make_notice(
        ward, leader, status=ConclusionNotice.Status.DRAFT, number=None, number_label="", issued_on=None
    )
    with pytest.raises(ValueError, match="issued"):
        pdf.notice_pdf_store(notice=draft)
    assert stored_files(tmp_path) == []


# --- tasks -------------------------------------------------------------------------------


def test_task_renders_and_is_safe_to_repeat(notice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    notice_render_pdf.apply(args=[notice.pk]).get()
    notice.refresh_from_db()
    assert notice.pdf_sha256 and (tmp_path / notice.pdf.name).exists()
    notice_render_pdf.apply(args=[notice.pk]).get()
    assert len(stored_files(tmp_path)) == 1


def test_task_ignores_a_missing_notice_and_a_draft(ward, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = make_notice(
        ward, leader, status=ConclusionNotice.Status.DRAFT, number=None, number_label="", issued_on=None
    )
    assert notice_render_pdf.apply(args=[987654321]).successful()
    assert notice_render_pdf.apply(args=[draft.pk]).successful()
    assert stored_files(tmp_path) == []


def test_task_retries_an_unexpected_failure(notice, monkeypatch):
    calls = []

    def broken(*, notice):
        calls.append(notice.pk)
        raise OSError("disk full")

    monkeypatch.setattr("conclusions.tasks.notice_pdf_store", broken)
    # Run the retries in-process, as apply() does, and keep the final error in the result.
    monkeypatch.setitem(notice_render_pdf.app.conf, "task_eager_propagates", False)
    result = notice_render_pdf.apply(args=[notice.pk])
    assert result.failed() and isinstance(result.result, OSError)
    assert len(calls) == 1 + notice_render_pdf.max_retries


def test_sweep_renders_every_pending_notice_and_survives_a_failure(
    ward, leader, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    first = make_notice(ward, leader)
    second = make_notice(ward, leader, number=16, number_label="16/TB-UBND")
    make_notice(
        ward, leader, status=ConclusionNotice.Status.DRAFT, number=None, number_label="", issued_on=None
    )
    failing = make_notice(ward, leader, number=17, number_label="17/TB-UBND")
    real_store = pdf.notice_pdf_store

    def store(*, notice):
        if notice.pk == failing.pk:
            raise OSError("disk full")
        real_store(notice=notice)

    monkeypatch.setattr("conclusions.tasks.notice_pdf_store", store)
    assert notices_render_pending() == 2
    pending = ConclusionNotice.objects.issued().filter(pdf_sha256="")
    assert list(pending.values_list("pk", flat=True)) == [failing.pk]
    assert all(ConclusionNotice.objects.get(pk=n.pk).pdf_sha256 for n in (first, second))
    assert notices_render_pending() == 0


# The second demo notice's items: the third fits a line by itself but not after the indent.
DEMO_ITEMS = (
    "Giao Phòng Kinh tế, Hạ tầng và Đô thị nạo vét rãnh thoát nước ngõ 22 phố Bồ Đề trước mùa mưa; báo cáo kết quả.",
    "Đề nghị Ủy ban MTTQ phường giám sát việc thực hiện các nội dung trên.",
    "Đề nghị Ủy ban MTTQ phường giám sát việc thực hiện các nội dung đã nêu ở trên.",
    "Ngắn.",
)


@needs_poppler
def test_every_item_starts_with_its_number_and_its_text_on_one_line(ward, leader, tmp_path):
    """WeasyPrint broke a text-indented paragraph that fits the line only without the indent
    right after "3.", leaving the number alone and the text flush left below (issue 14)."""
    notice = make_notice(ward, leader)
    notice.items.all().delete()
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, position=position, text=text) for position, text in enumerate(DEMO_ITEMS, 1)
    )
    text = page_text(write(tmp_path, pdf.render_notice_pdf(notice)))
    lines = [line.strip() for line in text.splitlines()]
    for position, item in enumerate(DEMO_ITEMS, 1):
        first = next(line for line in lines if line.startswith(f"{position}. "))
        assert item.startswith(first[len(f"{position}. ") :].split()[0]), first
    assert not [line for line in lines if re.fullmatch(r"\d+\.", line)]


PDF_TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").glob("**/pdf/*.html"))


@pytest.mark.parametrize("template", PDF_TEMPLATES, ids=lambda path: path.name)
def test_pdf_paragraphs_start_with_their_text(template):
    # The body's indent is an inline block before the paragraph (static/css/notice-pdf.css):
    # white space after <p> would widen it.
    assert not re.search(r"<p>\s", template.read_text()), template


def _font_sizes_pt(notice) -> dict[str, float]:
    """The laid-out text of a notice, each piece with its computed font size in points."""
    from core.pdf import render_document

    document = render_document(pdf.TEMPLATE, pdf.notice_context(notice, draft=False))
    sizes: dict[str, float] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            text = getattr(box, "text", "").strip()
            if text:
                sizes.setdefault(text, round(box.style["font_size"] * 0.75, 2))  # CSS px → pt
    return sizes


def test_state_notice_title_is_13_to_14_pt(notice):
    # Decree 30/2020/NĐ-CP, Phụ lục I: the kind of document 13–14 pt, bold.
    assert 13 <= _font_sizes_pt(notice)["THÔNG BÁO"] <= 14


def test_party_notice_sizes_follow_guidance_36(ward, leader):
    # Hướng dẫn 36-HD/VPTW, Phụ lục 3.
    sizes = _font_sizes_pt(make_notice(ward, leader, body="ĐU"))
    assert sizes["ĐẢNG CỘNG SẢN VIỆT NAM"] == 15
    assert sizes["ĐẢNG BỘ THÀNH PHỐ HÀ NỘI"] == 14  # the parent body
    assert sizes["ĐẢNG ỦY PHƯỜNG BỒ ĐỀ"] == 14  # the issuing committee
    assert sizes["Số 15-TB/ĐU"] == 14
    assert 15 <= sizes["THÔNG BÁO"] <= 16
    assert sizes["Nơi nhận:"] == 14
    assert sizes["- Lưu: VT."] == 12
