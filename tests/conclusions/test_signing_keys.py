"""Signing keys as data (accounts.SigningKey): each notice is signed with its own signer's key
and its issuing body's seal, on PKCS#12 files (password in a named environment variable) or on
a SoftHSM token; a missing or expired key issues the notice unsigned, with the reason on its
page, never signed with another's key; the admin reads each key's certificate."""

import logging
import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SigningKey
from conclusions import pdf
from conclusions.tasks import notice_render_pdf
from core import signing
from core.signing_demo import certificate_chain_write
from tests.conftest import login
from tests.factories import UserFactory

from .test_pdf import make_notice, run
from .test_signing import SOFTHSM, pyhanko_statuses, root_of, stored_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-khoa"
VARIABLE = "DOITHOAI_TEST_KEY_PASSWORD"
NAMES = {
    "chu-tich": "Nguyễn Văn Luyện",
    "bi-thu": "Trần Thị Hòa",
    "dau-ubnd": "Ủy ban nhân dân phường Bồ Đề",
    "dau-dang-uy": "Đảng ủy phường Bồ Đề",
    "het-han": "Lê Văn Hết Hạn",
}


@pytest.fixture
def chain(tmp_path):
    directory = tmp_path / "keys"
    certificate_chain_write(
        directory, root_name="CA thử nghiệm", signers=NAMES, password=PASSWORD, expired=("het-han",)
    )
    return directory


@pytest.fixture
def keyed(chain, settings, tmp_path, monkeypatch):
    """PKCS#12 signing, no deployment-wide keys: only the database's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs12"
    settings.SIGNING_ROLES = {}
    settings.SIGNING_TRUST_ROOTS = [str(chain / "root.pem")]
    monkeypatch.setenv(VARIABLE, PASSWORD)
    return chain


def person_key(user, chain, stem: str, **fields) -> SigningKey:
    return SigningKey.objects.create(
        role="person",
        user=user,
        pkcs12_path=str(chain / f"{stem}.p12"),
        password_variable=VARIABLE,
        **fields,
    )


def seal_key(body, chain, stem: str, **fields) -> SigningKey:
    return SigningKey.objects.create(
        role="seal",
        body=body,
        pkcs12_path=str(chain / f"{stem}.p12"),
        password_variable=VARIABLE,
        **fields,
    )


def signer_names(notice) -> list[tuple[str, str, bool]]:
    notice.refresh_from_db()
    return [(s["role"], s["signer"], s["valid"]) for s in notice.pdf_signatures]


# --- two bodies, two signers ----------------------------------------------------------------------


def test_each_notice_is_signed_by_its_own_signer_and_its_own_body(ward, make_user, keyed):
    chairman = make_user("leader", full_name=NAMES["chu-tich"])
    secretary = make_user("leader", full_name=NAMES["bi-thu"], agency=ward.bodies["ĐU"])
    person_key(chairman, keyed, "chu-tich")
    person_key(secretary, keyed, "bi-thu")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    seal_key(ward.bodies["ĐU"], keyed, "dau-dang-uy")

    state = make_notice(ward, chairman)
    party = make_notice(ward, secretary, body="ĐU")
    for notice in (state, party):
        notice_render_pdf.apply(args=[notice.pk]).get()

    for notice, person, body in ((state, "chu-tich", "dau-ubnd"), (party, "bi-thu", "dau-dang-uy")):
        statuses = pyhanko_statuses(stored_bytes(notice), root_of(keyed))
        assert [status.bottom_line for status in statuses] == [True, True]
        assert [status.signing_cert.subject.native["common_name"] for status in statuses] == [
            NAMES[person],
            NAMES[body],
        ]
        assert signer_names(notice) == [("person", NAMES[person], True), ("seal", NAMES[body], True)]
        assert notice.pdf_unsigned_reason == ""


def test_a_signer_without_a_key_is_never_signed_for_with_another_key(ward, make_user, keyed, caplog):
    chairman = make_user("leader", full_name=NAMES["chu-tich"])
    deputy = make_user("leader", full_name="Phạm Văn Phó")
    person_key(chairman, keyed, "chu-tich")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")

    notice = make_notice(ward, deputy, signer_title="PHÓ CHỦ TỊCH", sign_mode="KT.")
    with caplog.at_level(logging.WARNING, logger="conclusions.pdf"):
        pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf_signatures == []
    assert b"/ByteRange" not in stored_bytes(notice)  # no signature at all, the seal's neither
    assert "Phạm Văn Phó chưa có khóa ký số đang dùng" in notice.pdf_unsigned_reason
    assert "issued unsigned" in caplog.text

    page = login(chairman).get(reverse("conclusions:notice", args=[notice.pk])).content.decode()
    assert "không có chữ ký số" in page and "Phạm Văn Phó chưa có khóa ký số đang dùng" in page


def test_an_expired_certificate_issues_the_notice_unsigned_and_says_why(ward, make_user, keyed):
    leader = make_user("leader", full_name=NAMES["het-han"])
    person_key(leader, keyed, "het-han")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    notice = make_notice(ward, leader)
    notice_render_pdf.apply(args=[notice.pk]).get()
    notice.refresh_from_db()
    assert notice.pdf_sha256 and notice.pdf_signatures == []
    assert b"/ByteRange" not in stored_bytes(notice)
    yesterday = timezone.localdate() - timedelta(days=1)
    assert notice.pdf_unsigned_reason == (
        f"chứng thư số của {NAMES['het-han']} đã hết hạn ngày {yesterday:%d/%m/%Y}"
    )
    page = login(leader).get(reverse("conclusions:notice", args=[notice.pk])).content.decode()
    assert "đã hết hạn" in page
    # The public page says it is unsigned, not why.
    public = login(leader).get(reverse("public:document", args=[notice.verify_code])).content.decode()
    assert "không có chữ ký số" in public and "hết hạn" not in public


def test_a_password_variable_that_is_not_set_issues_the_notice_unsigned(ward, make_user, keyed, monkeypatch):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    person_key(leader, keyed, "chu-tich")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    monkeypatch.delenv(VARIABLE)
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf_signatures == []
    assert "mật khẩu" in notice.pdf_unsigned_reason and VARIABLE not in notice.pdf_unsigned_reason


def test_a_role_without_keys_in_the_database_falls_back_to_the_settings(ward, make_user, keyed, settings):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    person_key(leader, keyed, "chu-tich")
    settings.SIGNING_ROLES = {
        "seal": {"PKCS12_PATH": str(keyed / "dau-dang-uy.p12"), "PKCS12_PASSWORD": PASSWORD}
    }
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    assert signer_names(notice) == [("person", NAMES["chu-tich"], True), ("seal", NAMES["dau-dang-uy"], True)]


def test_an_inactive_key_does_not_sign(ward, make_user, keyed):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    other = make_user("leader", full_name=NAMES["bi-thu"])
    person_key(other, keyed, "bi-thu")
    person_key(leader, keyed, "chu-tich", active=False)
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf_signatures == [] and "chưa có khóa ký số" in notice.pdf_unsigned_reason


# --- PKCS#11: keys of two signers and two bodies on one SoftHSM token -------------------------------


@pytest.fixture
def token(chain, tmp_path, monkeypatch):
    if SOFTHSM is None or not shutil.which("softhsm2-util"):
        pytest.skip("SoftHSM (Debian softhsm2) missing")
    import pkcs11
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key

    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    run(
        "softhsm2-util", "--init-token", "--free", "--label", "keys-test", "--pin", "1234", "--so-pin", "5678"
    )
    library = pkcs11.lib(SOFTHSM)
    # SoftHSM reads SOFTHSM2_CONF when the library is initialised: once per process unless
    # told again (another test's token would be found instead).
    library.reinitialize()
    with library.get_token(token_label="keys-test").open(user_pin="1234", rw=True) as session:
        for index, stem in enumerate(NAMES, start=1):
            key = serialization.load_der_private_key((chain / f"{stem}.key.der").read_bytes(), password=None)
            attributes = decode_rsa_private_key(
                key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.TraditionalOpenSSL,
                    serialization.NoEncryption(),
                )
            )
            common = {Attribute.LABEL: stem, Attribute.ID: bytes([index]), Attribute.TOKEN: True}
            attributes.update(
                {**common, Attribute.PRIVATE: True, Attribute.SENSITIVE: True, Attribute.SIGN: True}
            )
            session.create_object(attributes)
            certificate = x509.load_der_x509_certificate((chain / f"{stem}.cert.der").read_bytes())
            session.create_object(
                {
                    **common,
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.SUBJECT: certificate.subject.public_bytes(),
                    Attribute.VALUE: certificate.public_bytes(serialization.Encoding.DER),
                }
            )
    return tokens


@pytest.fixture
def on_token(chain, token, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs11"
    settings.SIGNING_PKCS11_MODULE = SOFTHSM
    settings.SIGNING_PKCS11_TOKEN_LABEL = "keys-test"
    settings.SIGNING_PKCS11_PIN = "1234"
    settings.SIGNING_ROLES = {}
    settings.SIGNING_TRUST_ROOTS = [str(chain / "root.pem")]
    return chain


def test_on_a_token_each_notice_is_signed_by_its_labels(ward, make_user, on_token):
    chairman = make_user("leader", full_name=NAMES["chu-tich"])
    secretary = make_user("leader", full_name=NAMES["bi-thu"], agency=ward.bodies["ĐU"])
    SigningKey.objects.create(role="person", user=chairman, key_label="chu-tich")
    SigningKey.objects.create(role="person", user=secretary, key_label="bi-thu")
    SigningKey.objects.create(role="seal", body=ward.bodies["UBND"], key_label="dau-ubnd")
    SigningKey.objects.create(role="seal", body=ward.bodies["ĐU"], key_label="dau-dang-uy")
    state = make_notice(ward, chairman)
    party = make_notice(ward, secretary, body="ĐU")
    for notice in (state, party):
        notice_render_pdf.apply(args=[notice.pk]).get()
    assert signer_names(state) == [("person", NAMES["chu-tich"], True), ("seal", NAMES["dau-ubnd"], True)]
    assert signer_names(party) == [("person", NAMES["bi-thu"], True), ("seal", NAMES["dau-dang-uy"], True)]
    statuses = pyhanko_statuses(stored_bytes(party), root_of(on_token))
    assert [status.bottom_line for status in statuses] == [True, True]


def test_a_label_missing_from_the_token_issues_the_notice_unsigned(ward, make_user, on_token):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    SigningKey.objects.create(role="person", user=leader, key_label="khong-co")
    SigningKey.objects.create(role="seal", body=ward.bodies["UBND"], key_label="dau-ubnd")
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    notice.refresh_from_db()
    assert notice.pdf_signatures == []
    assert notice.pdf_unsigned_reason == f"không tìm thấy khóa của {NAMES['chu-tich']} trên thiết bị ký số"


def test_the_certificate_on_the_token_is_read_for_the_admin(ward, make_user, on_token):
    key = SigningKey(role="seal", body=ward.bodies["UBND"], key_label="dau-ubnd")
    key.certificate_refresh()
    assert f"Common Name: {NAMES['dau-ubnd']}" in key.cert_subject
    assert key.cert_not_before < timezone.now() < key.cert_not_after and not key.cert_error


# --- the admin ------------------------------------------------------------------------------------


def test_the_admin_reads_the_certificate_when_a_key_is_saved(ward, city, make_user, keyed):
    from cryptography import x509

    leader = make_user("leader", full_name=NAMES["chu-tich"])
    admin = login(UserFactory(agency=city, is_sysadmin=True))
    response = admin.post(
        reverse("admin:accounts_signingkey_add"),
        {
            "role": "person",
            "user": leader.pk,
            "pkcs12_path": str(keyed / "chu-tich.p12"),
            "password_variable": VARIABLE,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    key = SigningKey.objects.get(user=leader)
    certificate = x509.load_der_x509_certificate((keyed / "chu-tich.cert.der").read_bytes())
    assert key.cert_serial == format(certificate.serial_number, "X")
    assert NAMES["chu-tich"] in key.cert_subject
    assert key.cert_not_after == certificate.not_valid_after_utc
    listing = admin.get(reverse("admin:accounts_signingkey_changelist")).content.decode()
    assert key.cert_serial in listing and f"{timezone.localtime(key.cert_not_after):%d/%m/%Y}" in listing


def test_the_admin_says_when_a_certificate_has_expired_or_cannot_be_read(ward, city, make_user, keyed):
    leader = make_user("leader", full_name=NAMES["het-han"])
    other = make_user("leader", full_name=NAMES["bi-thu"])
    admin = login(UserFactory(agency=city, is_sysadmin=True))
    form = {"role": "person", "password_variable": VARIABLE, "active": "on"}
    expired = admin.post(
        reverse("admin:accounts_signingkey_add"),
        {**form, "user": leader.pk, "pkcs12_path": str(keyed / "het-han.p12")},
        follow=True,
    ).content.decode()
    assert "chứng thư số đã hết hạn" in expired
    missing = admin.post(
        reverse("admin:accounts_signingkey_add"),
        {**form, "user": other.pk, "pkcs12_path": str(keyed / "khong-co.p12")},
        follow=True,
    ).content.decode()
    assert f"không có tệp khóa của {NAMES['bi-thu']}" in missing
    assert SigningKey.objects.get(user=other).cert_error


def test_the_password_itself_is_refused_as_a_variable_name(ward, city, make_user, keyed):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    admin = login(UserFactory(agency=city, is_sysadmin=True))
    response = admin.post(
        reverse("admin:accounts_signingkey_add"),
        {
            "role": "person",
            "user": leader.pk,
            "pkcs12_path": str(keyed / "chu-tich.p12"),
            "password_variable": PASSWORD,
        },
    )
    assert response.status_code == 200 and not SigningKey.objects.exists()


def test_only_top_level_admins_see_the_keys(ward, make_user):
    ward_admin = login(make_user("admin"))
    assert ward_admin.get(reverse("admin:accounts_signingkey_changelist")).status_code == 403
    assert ward_admin.get(reverse("admin:accounts_signingkey_add")).status_code == 403


# --- keys kept per process ------------------------------------------------------------------------


def test_a_pkcs12_file_is_read_once_and_again_when_it_changes(keyed, tmp_path):
    import os

    copy = tmp_path / "copy.p12"
    shutil.copy(keyed / "chu-tich.p12", copy)
    spec = signing.KeySpec(owner="x", pkcs12_path=str(copy), password=PASSWORD)
    first = signing._pkcs12_signer(spec)
    assert signing._pkcs12_signer(spec) is first
    shutil.copy(keyed / "bi-thu.p12", copy)  # the certificate renewed in place
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    renewed = signing._pkcs12_signer(spec)
    assert renewed is not first
    assert renewed.signing_cert.subject.native["common_name"] == NAMES["bi-thu"]


def test_each_signature_is_made_once_with_the_key_loaded_once(ward, make_user, keyed, monkeypatch):
    """No dummy signature to measure the container (its room is reserved), and the private
    key is not loaded again from DER at each signature (docs/SIGNING.md, "Speed")."""
    from cryptography.hazmat.primitives import serialization

    leader = make_user("leader", full_name=NAMES["chu-tich"])
    person_key(leader, keyed, "chu-tich")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    kept = signing._kept_key_signer_class()
    calls = {"sign": 0, "load": 0}
    sign_raw, load = kept.sign_raw, serialization.load_der_private_key

    def counted_sign(self, data, digest_algorithm):
        calls["sign"] += 1
        return sign_raw(self, data, digest_algorithm)

    def counted_load(*args, **kwargs):
        calls["load"] += 1
        return load(*args, **kwargs)

    monkeypatch.setattr(kept, "sign_raw", counted_sign)
    monkeypatch.setattr(serialization, "load_der_private_key", counted_load)
    signing._PKCS12_SIGNERS.clear()
    for number in (15, 16):
        notice = make_notice(ward, leader, number=number, number_label=f"{number}/TB-UBND")
        pdf.notice_pdf_store(notice=notice)
        assert [valid for _role, _name, valid in signer_names(notice)] == [True, True]
    assert calls == {"sign": 4, "load": 2}  # two notices × two signatures; two keys loaded once


def test_without_an_image_the_signer_s_appearance_is_the_certificate_s_name(ward, make_user, keyed, tmp_path):
    from .test_pdf import page_text, write

    leader = make_user("leader", full_name=NAMES["chu-tich"])
    person_key(leader, keyed, "bi-thu")  # a certificate named otherwise than the user: only it shows it
    notice = make_notice(ward, leader)
    pdf.notice_pdf_store(notice=notice)
    text = " ".join(page_text(write(tmp_path, stored_bytes(notice)), page=2).split())
    assert NAMES["bi-thu"] in text


def test_a_seal_key_needs_a_body_and_a_person_key_a_signer(ward, city, make_user, keyed):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    admin = login(UserFactory(agency=city, is_sysadmin=True))
    form = {"pkcs12_path": str(keyed / "dau-ubnd.p12"), "password_variable": VARIABLE, "active": "on"}
    for wrong in ({"role": "seal", "user": leader.pk}, {"role": "person", "body": ward.bodies["UBND"].pk}):
        response = admin.post(reverse("admin:accounts_signingkey_add"), {**form, **wrong})
        assert response.status_code == 200
    assert not SigningKey.objects.exists()


def test_the_keys_of_a_document_take_two_queries(ward, make_user, keyed, django_assert_num_queries):
    leader = make_user("leader", full_name=NAMES["chu-tich"])
    person_key(leader, keyed, "chu-tich")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    with django_assert_num_queries(2):
        found = SigningKey.for_document(signer=leader, body=ward.bodies["UBND"])
    assert found.problem == ""
    assert found.keys["person"].pkcs12_path.endswith("chu-tich.p12")
    assert found.keys["seal"].pkcs12_path.endswith("dau-ubnd.p12")
    assert found.keys["person"].password is None and found.keys["person"].password_variable == VARIABLE


def test_the_admin_s_login_page_and_index_list_the_keys_only_for_top_level_admins(ward, city, make_user):
    from django.test import Client

    assert Client().get("/quan-tri/login/").status_code == 200
    index = reverse("admin:index")
    assert (
        reverse("admin:accounts_signingkey_changelist")
        not in login(make_user("admin")).get(index).content.decode()
    )
    city_admin = login(UserFactory(agency=city, is_sysadmin=True))
    assert reverse("admin:accounts_signingkey_changelist") in city_admin.get(index).content.decode()
