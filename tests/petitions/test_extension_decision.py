"""The denunciation's extension decision issued by the app (petitions/decision.py, Luật Tố cáo
2018 Điều 30): a QĐ number in the body's shared sequence, the PDF rendered by WeasyPrint,
signed by pyHanko with a test chain and validated, stored with its SHA-256 and QR code, found
by the public check; the typed reference of a decision made outside the app still works."""

import hashlib
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from petitions import services
from petitions.decision import stored_decision
from petitions.intake_forms import DECISION_REF_OR_ISSUE
from petitions.models import StatutoryExtension
from petitions.tasks import extension_decision_render_pdf, transfer_slips_render_pending
from public_pages import documents as public_documents
from registers import documents
from registers.models import ALREADY_STORED, IssuedDocument, RegisterEntry
from tests.conclusions.helpers import leader_of
from tests.conclusions.test_signing import (  # noqa: F401 (fixtures)
    SIGNERS,
    chain,
    pkcs12_signing,
    pyhanko_statuses,
    root_of,
)
from tests.conftest import login
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db


def accepted(ward, clerk):
    return services.petition_accept(
        petition=denunciation(ward, clerk), by=clerk, accepted_on=date(2026, 3, 2), complexity="complex"
    )


def issue_by_form(ward, petition, leader):
    return login(leader).post(
        reverse("conclusions:petition_extend", args=[petition.pk]),
        {
            "complexity": "complex",
            "decided_on": "25/03/2026",
            "issue_decision": "on",
            "decision_ref": "",
            "reason": "Phải xác minh tại hai địa điểm",
        },
    )


def stored(extension: StatutoryExtension) -> tuple[IssuedDocument, bytes]:
    extension_decision_render_pdf.apply(args=[extension.pk]).get()
    issued = stored_decision(extension)
    with issued.pdf.open("rb") as file:
        return issued, file.read()


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "decision.pdf"
    path.write_bytes(data)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )


def test_the_leader_has_the_app_issue_a_numbered_decision(ward, unsigned):
    clerk, leader = clerk_of(ward), leader_of(ward, title="Chủ tịch")
    services.petition_transfer(petition=letter(ward, clerk), by=clerk, to="UBND thành phố")  # 01/PC
    petition = accepted(ward, clerk)
    response = issue_by_form(ward, petition, leader)
    assert response.status_code == 302
    extension = StatutoryExtension.objects.get(petition=petition)
    assert extension.decision_entry.label == "02/QĐ-UBND"  # the body's one shared sequence
    assert extension.decision_ref == "02/QĐ-UBND" and extension.decision_entry.document == extension
    assert extension.new_deadline == date(2026, 5, 4)
    issued = stored_decision(extension)
    assert issued is not None and not issued.is_stored
    page = login(leader).get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert "02/QĐ-UBND" in page and "Tệp PDF đang được tạo" in page


def test_the_decision_is_rendered_signed_validated_and_stored_with_its_qr(
    ward,
    pkcs12_signing,  # noqa: F811
    media,
    tmp_path,
):
    from PIL import Image
    from pyzbar.pyzbar import decode

    clerk, leader = clerk_of(ward), leader_of(ward, title="Phó Chủ tịch")
    petition = accepted(ward, clerk)
    issue_by_form(ward, petition, leader)
    extension = StatutoryExtension.objects.get(petition=petition)
    issued, data = stored(extension)
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    statuses = pyhanko_statuses(data, root_of(pkcs12_signing))
    assert len(statuses) == 2 and all(s.intact and s.valid and s.trusted for s in statuses)
    assert [(s["role"], s["signer"], s["valid"]) for s in issued.signatures] == [
        ("person", SIGNERS["person"], True),
        ("seal", SIGNERS["seal"], True),
    ]
    text = pdf_text(tmp_path, data)
    for expected in (
        "QUYẾT ĐỊNH",
        "Về việc gia hạn giải quyết tố cáo",
        "Số: 01/QĐ-UBND",
        "Căn cứ Luật Tố cáo ngày 12 tháng 6 năm 2018",
        "khoản 3 Điều 30 Luật Tố cáo",
        "đến ngày 04/05/2026",
        petition.tracking_code,
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        f"Mã xác thực: {issued.verify_code}",
    ):
        assert expected in text
    assert DENOUNCER not in text and "Bí Mật" not in text  # Luật Tố cáo 2018, Điều 47

    (tmp_path / "d.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "d.pdf"), str(tmp_path / "page")], check=True
    )
    with Image.open(sorted(tmp_path.glob("page-*.png"))[-1]) as last_page:
        assert [code.data.decode() for code in decode(last_page)] == [
            documents.verify_url(issued.verify_code)
        ]

    # Never again: the task and the sweep leave it as it is; the row refuses a change.
    extension_decision_render_pdf.apply(args=[extension.pk]).get()
    assert transfer_slips_render_pending.apply().get() == 0
    again = stored_decision(extension)
    assert (again.pdf.name, again.pdf_sha256) == (issued.pdf.name, issued.pdf_sha256)
    with pytest.raises(ValueError, match=ALREADY_STORED):
        again.save()


def test_the_public_page_checks_the_decision(ward, unsigned):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = accepted(ward, clerk)
    issue_by_form(ward, petition, leader)
    issued, data = stored(StatutoryExtension.objects.get(petition=petition))
    url = reverse("public:document", args=[issued.verify_code])
    page = Client().get(url).content.decode()
    assert "Quyết định" in page and "01/QĐ-UBND" in page and issued.pdf_sha256 in page
    assert DENOUNCER not in page and "Tải bản gốc" not in page
    assert (
        str(public_documents.MATCHES)
        in Client().post(url, {"tep": SimpleUploadedFile("q.pdf", data)}).content.decode()
    )
    tampered = data.replace(b"%%EOF", b"%%EOF\n% sua", 1)
    rejected = Client().post(url, {"tep": SimpleUploadedFile("q.pdf", tampered)}).content.decode()
    assert str(public_documents.DIFFERS) in rejected


def test_the_decision_file_is_scoped(ward, other_ward, unsigned, make_user):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = accepted(ward, clerk)
    issue_by_form(ward, petition, leader)
    extension = StatutoryExtension.objects.get(petition=petition)
    issued, data = stored(extension)
    url = reverse("petitions:extension_decision", args=[petition.pk, extension.pk])
    response = login(leader).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    page = login(leader).get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert issued.pdf_sha256 in page and url in page
    assert login(clerk_of(other_ward)).get(url).status_code == 404
    assert login(make_user("monitor")).get(url).status_code == 403


def test_a_decision_made_outside_the_app_keeps_its_typed_reference(ward, unsigned):
    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = accepted(ward, clerk)
    url = reverse("conclusions:petition_extend", args=[petition.pk])
    data = {"complexity": "complex", "decided_on": "25/03/2026", "reason": "Phức tạp"}
    refused = login(leader).post(url, {**data, "decision_ref": ""})
    assert refused.status_code == 400 and str(DECISION_REF_OR_ISSUE) in refused.content.decode()
    assert login(leader).post(url, {**data, "decision_ref": "12/QĐ-UBND"}).status_code == 302
    extension = StatutoryExtension.objects.get(petition=petition)
    assert extension.decision_ref == "12/QĐ-UBND" and extension.decision_entry is None
    assert stored_decision(extension) is None
    assert not RegisterEntry.objects.filter(doc_type="QĐ").exists()


def test_the_petition_page_queries_do_not_grow_with_the_decisions(ward, unsigned):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk, leader = clerk_of(ward), leader_of(ward)
    petition = services.petition_accept(
        petition=denunciation(ward, clerk),
        by=clerk,
        accepted_on=date(2026, 3, 2),
        complexity="especially_complex",
    )
    client, url = login(leader), reverse("petitions:handle", args=[petition.pk])
    counts = []
    for _ in range(2):
        services.petition_extend_resolution(
            petition=petition, by=leader, decided_on=date(2026, 3, 25), reason="Phức tạp", issue_decision=True
        )
        for extension in StatutoryExtension.objects.filter(petition=petition):
            extension_decision_render_pdf.apply(args=[extension.pk]).get()
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert IssuedDocument.objects.stored().count() == 2
