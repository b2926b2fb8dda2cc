"""Issued documents that stand on their own (registers/documents.py), through the transfer
slip: numbered in the body's shared sequence, rendered by WeasyPrint with its QR code and code,
signed by pyHanko with a test chain and validated, stored with its SHA-256, never changed;
found by the public check (the original accepted, a tampered copy rejected); shown on the
petition's page and in the API, scoped; a slip transferred before this keeps working."""

import hashlib
import subprocess
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conclusions import services as conclusion_services
from petitions import services as petition_services
from petitions.models import Petition
from petitions.slip import stored_slip, transfer_slip_store
from petitions.tasks import transfer_slip_render_pdf, transfer_slips_render_pending
from public_pages import documents as public_documents
from registers import documents
from registers.models import ALREADY_STORED, IssuedDocument
from tests.conclusions.helpers import leader_of, ready_notice
from tests.conclusions.test_signing import (  # noqa: F401 (fixtures)
    SIGNERS,
    chain,
    pkcs12_signing,
    pyhanko_statuses,
    root_of,
)
from tests.conftest import login
from tests.factories import UserFactory
from tests.petitions.written_helpers import DENOUNCER, clerk_of, denunciation, letter

pytestmark = pytest.mark.django_db


def transferred(ward, clerk, **fields) -> Petition:
    petition = letter(ward, clerk, **fields)
    return petition_services.petition_transfer(
        petition=petition, by=clerk, to="UBND thành phố Hà Nội", on=date(2026, 2, 10)
    )


def stored_petition_slip(petition: Petition) -> IssuedDocument:
    transfer_slip_render_pdf.apply(args=[petition.pk]).get()
    issued = stored_slip(petition)
    issued.refresh_from_db()
    return issued


def stored_bytes(issued: IssuedDocument) -> bytes:
    with issued.pdf.open("rb") as stored:
        return stored.read()


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )


# --- numbering and storing ------------------------------------------------------------------


def test_the_slip_takes_the_next_number_of_the_shared_sequence_and_its_code(ward, unsigned):
    clerk, leader = clerk_of(ward), leader_of(ward)
    notice = conclusion_services.notice_issue(notice=ready_notice(ward, clerk), by=leader)
    petition = transferred(ward, clerk)
    assert notice.number_label == "01/TB-UBND"
    assert petition.transfer_entry.label == "02/PC-UBND"  # one sequence for every kind
    issued = stored_slip(petition)
    assert issued.entry == petition.transfer_entry and len(issued.verify_code) == 10
    assert not issued.is_stored  # the file is the worker's


def test_the_stored_slip_is_the_hashed_file_with_its_number_qr_and_code(ward, unsigned, tmp_path):
    from PIL import Image
    from pyzbar.pyzbar import decode

    petition = transferred(ward, clerk_of(ward))
    issued = stored_petition_slip(petition)
    data = stored_bytes(issued)
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    assert issued.signatures == [] and issued.stored_at is not None
    text = pdf_text(tmp_path, data)
    for expected in (
        "PHIẾU CHUYỂN ĐƠN",
        "Số: 01/PC-UBND",
        f"Mã xác thực: {issued.verify_code}",
        "Bà Lê Thị Hoa",
    ):
        assert expected in text

    (tmp_path / "slip.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "slip.pdf"), str(tmp_path / "page")], check=True
    )
    with Image.open(sorted(tmp_path.glob("page-*.png"))[-1]) as last_page:
        codes = [code.data.decode() for code in decode(last_page)]
    assert codes == [f"http://127.0.0.1:8000/cong-khai/van-ban/{issued.verify_code}/"]
    assert codes[0] == documents.verify_url(issued.verify_code)


def test_the_slip_is_signed_with_the_chain_and_validated(ward, pkcs12_signing, media):  # noqa: F811
    petition = transferred(ward, clerk_of(ward))
    issued = stored_petition_slip(petition)
    data = stored_bytes(issued)
    assert hashlib.sha256(data).hexdigest() == issued.pdf_sha256
    statuses = pyhanko_statuses(data, root_of(pkcs12_signing))
    assert len(statuses) == 2
    assert all(status.intact and status.valid and status.trusted for status in statuses)
    assert [(s["role"], s["signer"], s["valid"]) for s in issued.signatures] == [
        ("person", SIGNERS["person"], True),
        ("seal", SIGNERS["seal"], True),
    ]


def test_an_issued_document_never_changes(ward, unsigned):
    petition = transferred(ward, clerk_of(ward))
    issued = stored_petition_slip(petition)
    first, name = stored_bytes(issued), issued.pdf.name

    # The task and the store run again: nothing is rendered or written.
    transfer_slip_render_pdf.apply(args=[petition.pk]).get()
    again = transfer_slip_store(petition=Petition.objects.get(pk=petition.pk))
    assert again.pdf.name == name and again.pdf_sha256 == issued.pdf_sha256
    assert stored_bytes(again) == first
    assert transfer_slips_render_pending.apply().get() == 0

    issued.signatures = [{"role": "person", "signer": "Giả mạo", "valid": True}]
    with pytest.raises(ValueError, match=ALREADY_STORED):
        issued.save()
    issued.refresh_from_db()
    assert issued.signatures == []


def test_the_sweep_makes_a_slip_whose_task_was_lost(ward, unsigned):
    petition = transferred(ward, clerk_of(ward))
    assert transfer_slips_render_pending.apply().get() == 1
    assert stored_slip(petition).is_stored


def test_a_denunciation_slip_never_names_the_denouncer(ward, unsigned, tmp_path):
    clerk = clerk_of(ward)
    petition = petition_services.petition_transfer(
        petition=denunciation(ward, clerk), by=clerk, to="Thanh tra thành phố", on=date(2026, 2, 10)
    )
    text = pdf_text(tmp_path, stored_bytes(stored_petition_slip(petition)))
    assert "PHIẾU CHUYỂN ĐƠN" in text
    assert DENOUNCER not in text and "Bí Mật" not in text


# --- the public check -----------------------------------------------------------------------


def test_the_public_page_finds_the_slip_by_its_code_and_checks_copies(ward, unsigned):
    issued = stored_petition_slip(transferred(ward, clerk_of(ward)))
    url = reverse("public:document", args=[issued.verify_code.lower()])
    page = Client().get(url).content.decode()
    for shown in ("Phiếu chuyển", "01/PC-UBND", ward.bodies["UBND"].name, "10/02/2026", issued.pdf_sha256):
        assert shown in page
    assert "Tải bản gốc" not in page  # a slip carries personal data: checked, never handed out
    assert "Bà Lê Thị Hoa" not in page

    original = stored_bytes(issued)
    accepted = Client().post(url, {"tep": SimpleUploadedFile("phieu.pdf", original)})
    assert str(public_documents.MATCHES) in accepted.content.decode()
    tampered = bytearray(original)
    tampered[len(tampered) // 2] ^= 0x01
    rejected = Client().post(url, {"tep": SimpleUploadedFile("phieu.pdf", bytes(tampered))})
    assert str(public_documents.DIFFERS) in rejected.content.decode()
    assert str(public_documents.MATCHES) not in rejected.content.decode()


# --- the petition's page and the API, scoped ------------------------------------------------


def test_the_petition_page_links_the_stored_slip_with_its_hash_and_signatures(ward, unsigned):
    clerk = clerk_of(ward)
    petition = transferred(ward, clerk)
    client = login(clerk)
    pending = client.get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert "Tệp PDF đang được tạo" in pending

    issued = stored_petition_slip(petition)
    page = client.get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert issued.pdf_sha256 in page and "không có chữ ký số" in page
    assert issued.verify_path in page
    response = client.get(reverse("petitions:transfer_slip", args=[petition.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(issued)


def test_the_api_gives_the_slips_address_hash_and_signatures(ward, pkcs12_signing, media):  # noqa: F811
    clerk = clerk_of(ward)
    petition = transferred(ward, clerk)
    client = login(clerk)
    detail = reverse("api:petition-detail", args=[petition.pk])
    slip = client.get(detail).json()["transfer_slip"]
    assert slip["number"] == "01/PC-UBND" and slip["pdf_url"] is None and slip["pdf_sha256"] == ""
    assert client.get(reverse("api:petition-transfer-slip", args=[petition.pk])).status_code == 404

    issued = stored_petition_slip(petition)
    slip = client.get(detail).json()["transfer_slip"]
    assert slip["pdf_sha256"] == issued.pdf_sha256
    assert slip["verify_url"] == documents.verify_url(issued.verify_code)
    assert [(s["role"], s["valid"]) for s in slip["signatures"]] == [("person", True), ("seal", True)]
    response = client.get(slip["pdf_url"])
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == issued.pdf_sha256


def test_the_slip_is_scoped(ward, other_ward, unsigned):
    petition = transferred(ward, clerk_of(ward))
    stored_petition_slip(petition)
    elsewhere = login(clerk_of(other_ward))
    assert elsewhere.get(reverse("petitions:transfer_slip", args=[petition.pk])).status_code == 404
    assert elsewhere.get(reverse("api:petition-transfer-slip", args=[petition.pk])).status_code == 404
    monitor = login(UserFactory(agency=ward.bodies["UBND"], is_monitor=True))
    assert monitor.get(reverse("petitions:transfer_slip", args=[petition.pk])).status_code == 403


def test_a_slip_transferred_before_this_keeps_working(ward, unsigned):
    clerk = clerk_of(ward)
    petition = transferred(ward, clerk)
    IssuedDocument.objects.filter(entry=petition.transfer_entry).delete()  # as before issue 18
    client = login(clerk)
    response = client.get(reverse("petitions:transfer_slip", args=[petition.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("api:petition-detail", args=[petition.pk])).json()["transfer_slip"] is None
    assert (
        'data-testid="transfer-slip"'
        not in client.get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    )
    assert transfer_slip_render_pdf.apply(args=[petition.pk]).get() is None
