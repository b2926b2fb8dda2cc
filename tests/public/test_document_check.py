"""The public check of an issued document (/cong-khai/van-ban/<code>/), opened by the QR code
printed on it: the QR code read back from the rendered page, the original file accepted, a
tampered copy rejected, unknown codes and drafts not found, uploads size-limited, never
stored, and rate-limited per client address."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from conclusions import services as conclusion_services
from conclusions.models import ConclusionNotice
from conclusions.pdf import notice_pdf_store, verify_url
from public_pages import documents
from public_pages import views as public_views
from tests.conclusions.helpers import draft_notice, held_conference, leader_of
from tests.petitions.written_helpers import clerk_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_notice(ward, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = ""
    leader, clerk = leader_of(ward), clerk_of(ward)
    notice = draft_notice(ward, clerk, conference=held_conference(ward, 0), signer=leader)
    conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    notice = ConclusionNotice.objects.select_related("issuing_body").get(pk=notice.pk)
    if not notice.pdf_sha256:
        notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    return notice


def original_bytes(notice) -> bytes:
    with notice.pdf.open("rb") as stored:
        return stored.read()


def page_url(notice) -> str:
    return reverse("public:document", args=[notice.verify_code])


def check(notice, data: bytes, *, ip: str = "203.0.113.7", name: str = "thong-bao.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client(REMOTE_ADDR=ip).post(page_url(notice), {"tep": SimpleUploadedFile(name, data)})


def test_the_qr_code_on_the_last_page_opens_the_public_page(stored_notice, tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode

    pdf_path = tmp_path / "notice.pdf"
    pdf_path.write_bytes(original_bytes(stored_notice))
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf_path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    with Image.open(pages[-1]) as last_page:
        codes = decode(last_page)
    assert [code.data.decode() for code in codes] == [verify_url(stored_notice)]
    address = codes[0].data.decode()
    assert address == f"http://127.0.0.1:8000/cong-khai/van-ban/{stored_notice.verify_code}/"

    # The short code is printed beside it, and the address answers with the document.
    text = subprocess.run(
        ["pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Mã xác thực: {stored_notice.verify_code}" in text
    response = Client().get(address.removeprefix("http://127.0.0.1:8000"))
    page = response.content.decode()
    assert response.status_code == 200
    for shown in (
        stored_notice.number_label,
        stored_notice.issuing_body.name,
        "05/10/2026",
        stored_notice.summary,
        stored_notice.pdf_sha256,
        "không có chữ ký số",
    ):
        assert shown in page


def test_the_original_is_accepted_and_a_tampered_copy_rejected(stored_notice):
    original = original_bytes(stored_notice)
    accepted = check(stored_notice, original)
    assert accepted.status_code == 200 and str(documents.MATCHES) in accepted.content.decode()

    tampered = bytearray(original)
    tampered[len(tampered) // 2] ^= 0x01  # one bit
    rejected = check(stored_notice, bytes(tampered))
    assert rejected.status_code == 200
    assert str(documents.DIFFERS) in rejected.content.decode()
    assert str(documents.MATCHES) not in rejected.content.decode()


def test_the_code_is_read_as_typed_off_paper(stored_notice):
    assert (
        Client().get(reverse("public:document", args=[stored_notice.verify_code.lower()])).status_code == 200
    )


def test_unknown_codes_and_drafts_are_not_found(ward, stored_notice):
    assert Client().get(reverse("public:document", args=["ZZZZZZZZZZ"])).status_code == 404
    assert Client().get(reverse("public:document", args=["SHORT"])).status_code == 404
    draft = draft_notice(ward, clerk_of(ward), conference=held_conference(ward, 0), signer=leader_of(ward))
    ConclusionNotice.objects.filter(pk=draft.pk).update(verify_code="ABCDEFGHJK")
    assert Client().get(reverse("public:document", args=["ABCDEFGHJK"])).status_code == 404
    assert check(draft_with_code := ConclusionNotice.objects.get(pk=draft.pk), b"%PDF").status_code == 404
    assert draft_with_code.verify_code == "ABCDEFGHJK"


def test_a_file_over_the_limit_gets_a_clear_message(stored_notice, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 1000
    # Over the limit but inside the envelope allowance: read, counted, not hashed.
    response = check(stored_notice, b"x" * 5000)
    assert response.status_code == 413
    assert "Tệp lớn hơn" in response.content.decode()
    # Far over it: refused from its Content-Length, before the body is read.
    response = check(stored_notice, b"x" * 200_000, ip="198.51.100.9")
    assert response.status_code == 413 and "Tệp lớn hơn" in response.content.decode()


def test_no_file_is_a_message_next_to_the_field(stored_notice):
    response = Client().post(page_url(stored_notice), {})
    assert response.status_code == 400 and str(documents.NO_FILE) in response.content.decode()


def test_the_uploaded_file_is_never_written_anywhere(stored_notice, settings, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # Django's own handlers would spill to disk at once
    media_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))
    assert check(stored_notice, original_bytes(stored_notice)).status_code == 200
    assert list(uploads.iterdir()) == []
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == media_before


def test_checks_are_rate_limited_per_client_address(stored_notice, monkeypatch):
    monkeypatch.setattr(public_views, "TRACKING_LIMIT", 2)
    original = original_bytes(stored_notice)
    assert [check(stored_notice, original).status_code for _ in range(2)] == [200, 200]
    refused = check(stored_notice, original)
    assert refused.status_code == 429 and str(public_views.TOO_MANY) in refused.content.decode()
    assert check(stored_notice, original, ip="198.51.100.9").status_code == 200
    # The tracking lookup has its own count.
    assert (
        Client(REMOTE_ADDR="203.0.113.7").get(reverse("public:track"), {"ma": "ABCDE-23456"}).status_code
        == 404
    )


def test_the_form_is_protected_against_cross_site_posts(stored_notice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client(enforce_csrf_checks=True)
    response = client.post(page_url(stored_notice), {"tep": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert response.status_code == 403
