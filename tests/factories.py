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
