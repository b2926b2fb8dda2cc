"""A citizen scans the QR code on a notice, lands on its public check and drops the file they
were given: the original is confirmed, an altered copy is not (issue 18)."""

from datetime import date

import pytest

from conclusions import services as conclusion_services
from conclusions.models import ConclusionNotice
from conclusions.pdf import notice_pdf_store
from tests.conclusions.helpers import draft_notice, held_conference, leader_of
from tests.petitions.written_helpers import clerk_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_checks_a_file_against_the_original(page, ward, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = ""
    leader = leader_of(ward)
    notice = draft_notice(ward, clerk_of(ward), conference=held_conference(ward, 0), signer=leader)
    conclusion_services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 10, 5))
    notice = ConclusionNotice.objects.get(pk=notice.pk)
    if not notice.pdf_sha256:
        notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    with notice.pdf.open("rb") as stored:
        original = stored.read()
    (tmp_path / "ban-goc.pdf").write_bytes(original)
    (tmp_path / "ban-sua.pdf").write_bytes(original.replace(b"%PDF-1.7", b"%PDF-1.6", 1))

    page.goto(f"/cong-khai/van-ban/{notice.verify_code.lower()}/")
    assert page.get_by_text(notice.pdf_sha256).is_visible()
    page.get_by_label("Tệp cần kiểm tra").set_input_files(str(tmp_path / "ban-goc.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert "đúng là bản gốc" in page.get_by_test_id("check-result").inner_text()

    page.get_by_label("Tệp cần kiểm tra").set_input_files(str(tmp_path / "ban-sua.pdf"))
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    assert "KHÔNG phải bản gốc" in page.get_by_test_id("check-result").inner_text()
