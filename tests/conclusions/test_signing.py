"""Digital signatures of issued notices (core/signing.py, conclusions/pdf.py): a certificate
chain made here (root CA → signers, PKCS#12 files, a SoftHSM token), the PDF signed by the
store that the Celery task runs, then checked by pyHanko's validator and by poppler's pdfsig."""

import hashlib
import os
import re
import shutil
import subprocess
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from conclusions import pdf
from conclusions.tasks import notice_render_pdf
from core import signing
from core.signing_demo import certificate_chain_write

from .test_pdf import make_notice, page_text, run, write

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu"
SIGNERS = {"person": "Nguyễn Văn Luyện", "seal": "Ủy ban nhân dân phường Bồ Đề"}
needs_pdfsig = pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils' pdfsig missing")
SOFTHSM = next(
    (
        path
        for path in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
        if Path(path).exists()
    ),
    None,
)


@pytest.fixture
def leader(make_user):
    return make_user("leader", full_name="Nguyễn Văn Luyện")


@pytest.fixture
def chain(tmp_path):
    directory = tmp_path / "keys"
    certificate_chain_write(directory, root_name="CA thử nghiệm", signers=SIGNERS, password=PASSWORD)
    return directory


def _images(directory: Path) -> dict:
    from PIL import Image, ImageDraw

    signature = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line([(20, 120), (200, 30), (380, 110)], fill=(20, 40, 160, 255), width=8)
    signature.save(directory / "person.png")
    seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((8, 8, 392, 392), outline=(205, 20, 20, 255), width=14)
    seal.save(directory / "seal.png")
    return {"person": str(directory / "person.png"), "seal": str(directory / "seal.png")}


@pytest.fixture
def pkcs12_signing(chain, settings, tmp_path):
    images = _images(chain)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs12"
    settings.SIGNING_ROLES = {
        role: {"PKCS12_PATH": str(chain / f"{role}.p12"), "PKCS12_PASSWORD": PASSWORD, "IMAGE": images[role]}
        for role in signing.ROLES
    }
    settings.SIGNING_TRUST_ROOTS = [str(chain / "root.pem")]
    return chain


def stored_bytes(notice) -> bytes:
    notice.refresh_from_db()
    with notice.pdf.open("rb") as stored:
        return stored.read()


def pyhanko_statuses(data: bytes, roots: list) -> list:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(data))
    return [
        validate_pdf_signature(signature, ValidationContext(trust_roots=roots, allow_fetching=False))
        for signature in reader.embedded_signatures
    ]


def root_of(chain: Path) -> list:
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(str(chain / "root.pem"))]


def pdfsig(path: Path) -> str:
    # -nocert: poppler checks each signature's bytes and digest; the chain to our test root is
    # pyHanko's to check (pdfsig would need an NSS database holding the root).
    return subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True).stdout


# --- the signed notice -----------------------------------------------------------------------


@needs_pdfsig
def test_the_task_stores_the_signed_pdf_that_pyhanko_and_pdfsig_validate(
    ward, leader, pkcs12_signing, tmp_path
):
    notice = make_notice(ward, leader)
    notice_render_pdf.apply(args=[notice.pk]).get()
    data = stored_bytes(notice)

    # The stored, hashed file is the signed one.
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256

    statuses = pyhanko_statuses(data, root_of(pkcs12_signing))
    assert len(statuses) == 2
    for status in statuses:
        assert status.intact and status.valid and status.trusted and status.bottom_line
    names = [status.signing_cert.subject.native["common_name"] for status in statuses]
    assert names == [SIGNERS["person"], SIGNERS["seal"]]  # the signer first, then the seal

    report = pdfsig(write(tmp_path, data))
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES
    assert SIGNERS["person"] in report and SIGNERS["seal"] in report

    # What the page and the API show, stored when the file was signed.
    assert [(s["role"], s["signer"], s["valid"]) for s in notice.pdf_signatures] == [
        ("person", SIGNERS["person"], True),
        ("seal", SIGNERS["seal"], True),
    ]
    signed_at = datetime.fromisoformat(notice.pdf_signatures[0]["signed_at"])
    assert signed_at.utcoffset().total_seconds() == 7 * 3600
    assert abs((timezone.now() - signed_at).total_seconds()) < 120


def test_the_seal_shows_the_body_and_the_signing_time_in_iso_8601(ward, leader, pkcs12_signing, tmp_path):
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    text = " ".join(page_text(write(tmp_path, stored_bytes(notice)), page=2).split())
    assert "Ủy ban nhân dân phường Bồ Đề" in text
    # Phụ lục I: date, hours, minutes, seconds and Vietnam's zone, ISO 8601.
    shown = re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00", text)
    assert shown, text[-400:]
    assert (
        shown[0] == notice.pdf_signatures[1]["signed_at"][:25]
        or abs(
            datetime.fromisoformat(shown[0]) - datetime.fromisoformat(notice.pdf_signatures[1]["signed_at"])
        ).total_seconds()
        < 60
    )


def test_appearances_sit_in_the_signature_space_the_seal_over_the_left_third(ward, leader, pkcs12_signing):
    from pyhanko.pdf_utils.reader import PdfFileReader

    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    reader = PdfFileReader(BytesIO(stored_bytes(notice)))
    boxes = {}
    for signature in reader.embedded_signatures:
        rect = (
            [float(value) for value in signature.sig_field["/Kids"][0]["/Rect"]]
            if "/Kids" in signature.sig_field
            else [float(value) for value in signature.sig_field["/Rect"]]
        )
        boxes[signature.field_name] = rect
    person = boxes[signing.FIELD_NAMES["person"]]
    seal = boxes[signing.FIELD_NAMES["seal"]]
    person_width = person[2] - person[0]
    seal_centre = (seal[0] + seal[2]) / 2
    diameter = 36 * signing.MM
    # The seal's right edge a third into the signer's image.
    assert seal_centre + diameter / 2 == pytest.approx(person[0] + person_width / 3, abs=0.5)
    # The signer's image in the right half of the page (the signer's column), 20 mm high.
    assert person[0] > 595 / 2 - 10 and person[3] - person[1] == pytest.approx(20 * signing.MM, abs=0.5)


@needs_pdfsig
def test_a_tampered_copy_fails_both_validators(ward, leader, pkcs12_signing, tmp_path):
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    data = bytearray(stored_bytes(notice))
    # Change one character of the content the first signature covers (inside a stream).
    at = data.index(b"stream", 200) + 40
    data[at] = (data[at] + 1) % 256
    tampered = bytes(data)
    statuses = pyhanko_statuses(tampered, root_of(pkcs12_signing))
    assert not any(status.intact for status in statuses)
    report = pdfsig(write(tmp_path, tampered, "tampered.pdf"))
    assert "Signature is Valid" not in report


def test_a_chain_to_an_unconfigured_root_is_not_valid(ward, leader, pkcs12_signing, settings):
    notice = make_notice(ward, leader)
    settings.SIGNING_TRUST_ROOTS = []
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert [s["valid"] for s in notice.pdf_signatures] == [False, False]


def test_only_the_configured_roles_sign(ward, leader, pkcs12_signing, settings):
    settings.SIGNING_ROLES = {**settings.SIGNING_ROLES, "person": {}}
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert [s["role"] for s in notice.pdf_signatures] == ["seal"]


def test_without_keys_the_notice_is_issued_unsigned(ward, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_SIGNING_BACKEND = ""
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf_signatures == []
    assert b"/ByteRange" not in stored_bytes(notice)


# --- PKCS#11: a SoftHSM token ------------------------------------------------------------------


@pytest.fixture
def softhsm_token(chain, tmp_path, monkeypatch):
    """A SoftHSM token in its own directory, the two keys and certificates imported into it."""
    if SOFTHSM is None or not shutil.which("softhsm2-util"):
        pytest.skip("SoftHSM (Debian softhsm2) missing")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        "doithoai-test",
        "--pin",
        "1234",
        "--so-pin",
        "5678",
    )
    import pkcs11
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    lib = pkcs11.lib(SOFTHSM)
    lib.reinitialize()  # SoftHSM reads SOFTHSM2_CONF at initialisation: this test's token
    token = lib.get_token(token_label="doithoai-test")
    with token.open(user_pin="1234", rw=True) as session:
        for index, role in enumerate(signing.ROLES, start=1):
            key = serialization.load_der_private_key((chain / f"{role}.key.der").read_bytes(), password=None)
            traditional = key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.TraditionalOpenSSL,
                serialization.NoEncryption(),
            )
            attributes = decode_rsa_private_key(traditional)
            attributes.update(
                {
                    Attribute.LABEL: role,
                    Attribute.ID: bytes([index]),
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: True,
                    Attribute.SENSITIVE: True,
                    Attribute.SIGN: True,
                }
            )
            session.create_object(attributes)
            certificate = x509.load_der_x509_certificate((chain / f"{role}.cert.der").read_bytes())
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.SUBJECT: certificate.subject.public_bytes(),
                    Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                    Attribute.LABEL: role,
                    Attribute.ID: bytes([index]),
                    Attribute.TOKEN: True,
                }
            )
    return tokens


@needs_pdfsig
def test_a_softhsm_token_signs_and_the_result_validates(
    ward, leader, chain, softhsm_token, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = SOFTHSM
    settings.SIGNING_PKCS11_TOKEN_LABEL = "doithoai-test"
    settings.SIGNING_PKCS11_PIN = "1234"
    settings.SIGNING_ROLES = {role: {"KEY_LABEL": role} for role in signing.ROLES}
    settings.SIGNING_TRUST_ROOTS = [str(chain / "root.pem")]
    assert os.environ["SOFTHSM2_CONF"].startswith(str(tmp_path))

    notice = make_notice(ward, leader)
    notice_render_pdf.apply(args=[notice.pk]).get()
    data = stored_bytes(notice)
    statuses = pyhanko_statuses(data, root_of(chain))
    assert [status.bottom_line for status in statuses] == [True, True]
    assert [s["signer"] for s in notice.pdf_signatures] == [SIGNERS["person"], SIGNERS["seal"]]
    assert pdfsig(write(tmp_path, data)).count("Signature is Valid.") == 2


# --- what the document's page and the API show ---------------------------------------------------


def test_the_page_and_the_api_show_the_hash_and_each_signature(ward, leader, pkcs12_signing):
    from django.urls import reverse

    from tests.conftest import login

    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    client = login(leader)

    page = client.get(reverse("conclusions:notice", args=[notice.pk])).content.decode()
    assert notice.pdf_sha256 in page
    assert page.count("Hợp lệ") == 2 and SIGNERS["person"] in page and SIGNERS["seal"] in page
    assert f'href="/cong-khai/van-ban/{notice.verify_code}/"' in page

    body = client.get(reverse("api:notice-detail", args=[notice.pk])).json()
    assert body["pdf_sha256"] == notice.pdf_sha256
    assert body["pdf_url"].endswith(reverse("api:notice-pdf", args=[notice.pk]))
    assert body["verify_url"] == f"http://127.0.0.1:8000/cong-khai/van-ban/{notice.verify_code}/"
    assert [(s["role"], s["signer"], s["valid"]) for s in body["signatures"]] == [
        ("person", SIGNERS["person"], True),
        ("seal", SIGNERS["seal"], True),
    ]
    assert body["signatures"][0]["signed_at"].endswith("+07:00")

    public = Client().get(reverse("public:document", args=[notice.verify_code])).content.decode()
    assert public.count("Hợp lệ") == 2 and notice.pdf_sha256 in public


def test_an_unsigned_notice_says_so(ward, leader, settings, tmp_path):
    from django.urls import reverse

    from tests.conftest import login

    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_SIGNING_BACKEND = ""
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    client = login(leader)
    page = client.get(reverse("conclusions:notice", args=[notice.pk])).content.decode()
    assert "không có chữ ký số" in page
    assert client.get(reverse("api:notice-detail", args=[notice.pk])).json()["signatures"] == []


def test_the_demo_signs_with_a_certificate_named_as_a_demo(ward, leader, settings, tmp_path):
    import io

    from core import demo as core_demo

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = "demo"
    settings.SIGNING_DEMO_DIR = tmp_path / "demo-signing"
    settings.SIGNING_TRUST_ROOTS = []
    core_demo.seed(stdout=io.StringIO(), scale=0)
    made = sorted(path.name for path in settings.SIGNING_DEMO_DIR.iterdir())
    core_demo.seed(stdout=io.StringIO(), scale=0)  # kept, not made again
    assert sorted(path.name for path in settings.SIGNING_DEMO_DIR.iterdir()) == made

    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert [s["valid"] for s in notice.pdf_signatures] == [True, True]  # the demo root is trusted
    assert all("DEMO — không có giá trị pháp lý" in s["signer"] for s in notice.pdf_signatures)
