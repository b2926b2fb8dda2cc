import factory

from accounts.models import OrgUnit, User


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    kind = OrgUnit.Kind.WARD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-nghiem-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 — factory_boy's signature
        if create:
            obj.save()


def ward_with_bodies(parent: OrgUnit, name: str) -> OrgUnit:
    """A ward with its People's Committee, Party committee and Fatherland Front, reachable as
    `ward.bodies["UBND"]` and so on."""
    ward = OrgUnitFactory(parent=parent, name=f"Phường {name}", kind=OrgUnit.Kind.WARD)
    ward.bodies = {
        symbol: OrgUnitFactory(parent=ward, name=f"{label} phường {name}", kind=kind, symbol=symbol)
        for symbol, label, kind in [
            ("UBND", "Ủy ban nhân dân", OrgUnit.Kind.PEOPLES_COMMITTEE),
            ("ĐU", "Đảng ủy", OrgUnit.Kind.PARTY_COMMITTEE),
            ("MTTQ", "Ủy ban MTTQ Việt Nam", OrgUnit.Kind.FATHERLAND_FRONT),
        ]
    }
    return ward


def conference_for(area: OrgUnit, **fields):
    """A conference planned (or, with status="held", held) in `area`, in the past by default."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from dialogue.models import Conference, ConferenceBasis

    status = fields.pop("status", Conference.Status.PLANNED)
    defaults = {
        "title": "Hội nghị đối thoại năm 2026",
        "basis": ConferenceBasis.objects.order_by("position").first(),
        "starts_at": datetime(2026, 9, 30, 14, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        "place": "Hội trường UBND phường",
    }
    conference = Conference.objects.create(host_area=area, status=status, **{**defaults, **fields})
    if conference.is_held:
        conference.held_on = conference.local_date
        conference.save(update_fields=["held_on"])
    return conference


def petition_for(conference, **fields):
    from petitions.models import Category, Petition

    position = fields.pop("position", None) or conference.petitions.count() + 1
    defaults = {
        "area": conference.host_area,
        "received_on": conference.local_date,
        "category": Category.objects.get(name="Khác"),
        "content": f"Ý kiến số {position}",
        "petitioner_name": "Ông Nguyễn Văn An",
        "petitioner_address": "Tổ dân phố 1",
    }
    return Petition.objects.create(conference=conference, position=position, **{**defaults, **fields})
