"""The register's documents are signed with the keys of whoever signs them and of the body
that issues them (registers.documents.SigningPlan, accounts.SigningKey), as notices are: the
slip by the account the body's settings name, the extension decision by the deciding leader;
a signer without a key leaves the document unsigned with the reason on the staff page, never
signed with another's key."""

import pytest
from django.urls import reverse

from petitions.models import StatutoryExtension
from registers.models import RegisterSettings
from tests.conclusions.helpers import leader_of
from tests.conclusions.test_signing_keys import NAMES, chain, keyed, person_key, seal_key  # noqa: F401
from tests.conftest import login
from tests.petitions.written_helpers import clerk_of

from .test_documents import stored_petition_slip, transferred

pytestmark = pytest.mark.django_db


def signed_by(issued) -> list[tuple[str, str, bool]]:
    return [(s["role"], s["signer"], s["valid"]) for s in issued.signatures]


def test_the_slip_is_signed_by_the_account_the_settings_name_and_the_bodys_seal(
    ward,
    keyed,  # noqa: F811
    media,
):
    chairman = leader_of(ward, full_name=NAMES["chu-tich"])
    other = leader_of(ward, full_name=NAMES["bi-thu"])
    person_key(chairman, keyed, "chu-tich")
    person_key(other, keyed, "bi-thu")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    RegisterSettings.objects.create(
        body=ward.bodies["UBND"], numbering="shared", slip_signer=chairman, slip_signer_title="CHỦ TỊCH"
    )
    clerk = clerk_of(ward)  # the clerk transfers; the chairman signs
    issued = stored_petition_slip(transferred(ward, clerk))
    assert signed_by(issued) == [("person", NAMES["chu-tich"], True), ("seal", NAMES["dau-ubnd"], True)]
    assert issued.unsigned_reason == ""


def test_a_slip_whose_body_names_no_signing_account_goes_out_unsigned_and_says_why(
    ward,
    keyed,  # noqa: F811
    media,
):
    person_key(leader_of(ward, full_name=NAMES["chu-tich"]), keyed, "chu-tich")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    clerk = clerk_of(ward)
    petition = transferred(ward, clerk)
    issued = stored_petition_slip(petition)
    assert issued.is_stored and issued.signatures == []
    assert "chưa có khóa ký số" in issued.unsigned_reason
    page = login(clerk).get(reverse("petitions:handle", args=[petition.pk])).content.decode()
    assert "không có chữ ký số" in page and "chưa có khóa ký số" in page
    public = login(clerk).get(reverse("public:document", args=[issued.verify_code])).content.decode()
    assert "chưa có khóa ký số" not in public  # the public page says unsigned, not why


def test_the_extension_decision_is_signed_by_the_deciding_leader(
    ward,
    keyed,  # noqa: F811
    media,
):
    from tests.petitions.test_extension_decision import accepted, issue_by_form, stored

    deputy = leader_of(ward, full_name=NAMES["bi-thu"], title="Phó Chủ tịch")
    person_key(leader_of(ward, full_name=NAMES["chu-tich"]), keyed, "chu-tich")
    person_key(deputy, keyed, "bi-thu")
    seal_key(ward.bodies["UBND"], keyed, "dau-ubnd")
    petition = accepted(ward, clerk_of(ward))
    issue_by_form(ward, petition, deputy)
    issued, _data = stored(StatutoryExtension.objects.get(petition=petition))
    assert signed_by(issued) == [("person", NAMES["bi-thu"], True), ("seal", NAMES["dau-ubnd"], True)]
