"""The periodic report issued as an official document (dashboards.services.report_issue): a BC
number in the People's Committee's shared sequence, the PDF with that number rendered by
WeasyPrint, signed by pyHanko with a test chain and validated, stored with its SHA-256 and QR
code, found by the public check; only leaders issue; the page is scoped; never changed."""

import hashlib
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dashboards.models import IssuedReport
from dashboards.services import issued_report_document
from dashboards.tasks import issued_report_render_pdf, issued_reports_render_pending
from petitions import services as petition_services
from public_pages import documents as public_documents
from registers import documents
from registers.models import ALREADY_STORED
from tests.conclusions.test_signing import (  # noqa: F401 (fixtures)
    SIGNERS,
    chain,
    pkcs12_signing,
    pyhanko_statuses,
    root_of,
)
from tests.conftest import login
from tests.petitions.written_helpers import clerk_of, letter

pytestmark = pytest.mark.django_db


def periodic_form(area, **extra):
    return {
        "area": area.pk,
        "start": "01/01/2026",
        "end": "30/06/2026",
        "remaining_problems": "Việc theo dõi kết luận chưa thật chặt chẽ.",
        "proposals": "Đề nghị tăng cường giám sát.",
        "recipients": "",
        "signer_title": "Chủ tịch",
        "signer_name": "Nguyễn Văn Luyện",
        **extra,
    }


def issue(client, ward):
    return client.post(reverse("dashboards:periodic_report"), periodic_form(ward, ban_hanh="1"))


def stored(report):
    issued_report_render_pdf.apply(args=[report.pk]).get()
    issued = issued_report_document(report)
    with issued.pdf.open("rb") as file:
        return issued, file.read()


def test_a_leader_issues_the_report_with_the_next_number_of_the_shared_sequence(ward, make_user, unsigned):
    clerk = clerk_of(ward)
    petition_services.petition_transfer(petition=letter(ward, clerk), by=clerk, to="UBND thành phố")  # 01/PC
    leader = login(make_user("leader"))
    assert "issue-report" in leader.get(reverse("dashboards:periodic_report")).content.decode()
    response = issue(leader, ward)
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.register_entry.label == "02/BC-UBND" and report.register_entry.document == report
    assert report.issuer == ward.bodies["UBND"]
    page = leader.get(report.get_absolute_url()).content.decode()
    assert "02/BC-UBND" in page and "Tệp PDF đang được tạo" in page


def test_a_clerk_previews_but_does_not_issue(ward, make_user, unsigned):
    clerk = login(make_user("clerk"))
    assert "issue-report" not in clerk.get(reverse("dashboards:periodic_report")).content.decode()
    assert issue(clerk, ward).status_code == 403
    assert not IssuedReport.objects.exists()


def test_the_issued_report_is_numbered_signed_validated_and_stored(
    ward,
    make_user,
    pkcs12_signing,  # noqa: F811
    settings,
    tmp_path,
):
    from PIL import Image
    from pyzbar.pyzbar import decode

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    leader = login(make_user("leader"))
    issue(leader, ward)
    report = IssuedReport.objects.get()
    issued, data = stored(report)
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    statuses = pyhanko_statuses(data, root_of(pkcs12_signing))
    assert len(statuses) == 2 and all(s.intact and s.valid and s.trusted for s in statuses)
    assert [(s["role"], s["valid"]) for s in issued.signatures] == [("person", True), ("seal", True)]
    path = tmp_path / "bc.pdf"
    path.write_bytes(data)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "BÁO CÁO",
        "Số: 01/BC-UBND",
        "TM. ỦY BAN NHÂN DÂN",
        f"Mã xác thực: {issued.verify_code}",
    ):
        assert expected in text, expected
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    with Image.open(sorted(tmp_path.glob("page-*.png"))[-1]) as last_page:
        assert [code.data.decode() for code in decode(last_page)] == [
            documents.verify_url(issued.verify_code)
        ]

    page = leader.get(report.get_absolute_url()).content.decode()
    assert issued.pdf_sha256 in page and SIGNERS["seal"] in page
    download = leader.get(reverse("dashboards:issued_report_pdf", args=[report.pk]))
    assert b"".join(download.streaming_content) == data

    # Never again.
    issued_report_render_pdf.apply(args=[report.pk]).get()
    assert issued_reports_render_pending.apply().get() == 0
    again = issued_report_document(report)
    assert (again.pdf.name, again.pdf_sha256) == (issued.pdf.name, issued.pdf_sha256)
    with pytest.raises(ValueError, match=ALREADY_STORED):
        again.save()


def test_the_public_page_checks_the_report(ward, make_user, unsigned):
    issue(login(make_user("leader")), ward)
    issued, data = stored(IssuedReport.objects.get())
    url = reverse("public:document", args=[issued.verify_code])
    page = Client().get(url).content.decode()
    assert "Báo cáo" in page and "01/BC-UBND" in page and issued.pdf_sha256 in page
    matches = Client().post(url, {"tep": SimpleUploadedFile("bc.pdf", data)}).content.decode()
    assert str(public_documents.MATCHES) in matches
    tampered = data.replace(b"%%EOF", b"%%EOF\n% sua", 1)
    rejected = Client().post(url, {"tep": SimpleUploadedFile("bc.pdf", tampered)}).content.decode()
    assert str(public_documents.DIFFERS) in rejected


def test_the_issued_report_is_scoped(ward, other_ward, make_user, unsigned):
    issue(login(make_user("leader")), ward)
    report = IssuedReport.objects.get()
    stored(report)
    elsewhere = login(clerk_of(other_ward))
    assert elsewhere.get(report.get_absolute_url()).status_code == 404
    assert elsewhere.get(reverse("dashboards:issued_report_pdf", args=[report.pk])).status_code == 404
    monitor = login(make_user("monitor"))
    assert monitor.get(report.get_absolute_url()).status_code == 403
    assert monitor.get(reverse("dashboards:issued_report_pdf", args=[report.pk])).status_code == 403
    assert issued_reports_render_pending.apply().get() == 0
