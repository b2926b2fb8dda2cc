"""Building blocks for the written-petition tests: letters logged through the services the
pages use."""

from datetime import date

from petitions import services
from petitions.models import Category, Petition
from tests.factories import UserFactory

DENOUNCER = "Trịnh Bảo Mật Xyzzy"  # distinctive: found by a plain substring search


def clerk_of(ward, **fields):
    return UserFactory(agency=ward.bodies["UBND"], is_clerk=True, **fields)


def letter(ward, by, *, kind=Petition.Kind.COMPLAINT, received_on=date(2026, 2, 6), **fields):
    data = {
        "received_on": received_on,
        "channel": Petition.Channel.LETTER,
        "kind": kind,
        "category": Category.objects.get(name="Đất đai – GPMB – tái định cư"),
        "content": "Khiếu nại việc thu hồi đất làm đường ngõ 12 không bồi thường thỏa đáng.",
        "petitioner_name": "Bà Lê Thị Hoa",
        "petitioner_address": "Tổ dân phố 3",
        "petitioner_phone": "0912345678",
        "petitioner_id_number": "001190012345",
        **fields,
    }
    return services.written_petition_create(area=ward, by=by, data=services.WrittenPetitionData(**data))


def denunciation(ward, by, **fields):
    return letter(
        ward,
        by,
        kind=Petition.Kind.DENUNCIATION,
        petitioner_name=DENOUNCER,
        petitioner_address="Số 9 ngõ Bí Mật",
        petitioner_phone="0987000111",
        petitioner_id_number="001099900001",
        content="Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
        **fields,
    )
