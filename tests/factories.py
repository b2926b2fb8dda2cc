"""The one factory system of the tests (factory_boy), with one set of defaults.

Org units and users; conferences (with their basis and chairs) and their opinions. The
reference rows (bases, categories) come from the data migrations. A conference is held
on 30/09/2026 at 14:00 in the ward passed as `host_area`; an opinion is raised there, numbered
after the conference's last one. Tests that need another date, status or petitioner say so.
Workflows (notices, assignments, letters) are built through the services, not here:
tests/conclusions/helpers.py, tests/petitions/written_helpers.py, tests/api/conclusions_factories.py.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from accounts.models import OrgUnit, User
from dialogue.models import Conference, ConferenceBasis, ConferenceChair
from petitions.models import Category, Petition


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


# --- conferences and opinions -------------------------------------------------------------


class ConferenceBasisFactory(factory.django.DjangoModelFactory):
    """A basis of one's own (the data migration's are used by default)."""

    class Meta:
        model = ConferenceBasis
        django_get_or_create = ("name",)

    name = "Quyết định số 2200-QĐ/TU"
    short_name = "QĐ 2200"


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A conference of `host_area` (required), planned by default; status="held" also
    records the day it was held, as the service does."""

    class Meta:
        model = Conference
        skip_postgeneration_save = True

    host_area = None
    title = "Hội nghị đối thoại năm 2026"
    basis = factory.LazyFunction(lambda: ConferenceBasis.objects.order_by("position").first())
    starts_at = datetime(2026, 9, 30, 14, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    place = "Hội trường UBND phường"
    status = Conference.Status.PLANNED

    @factory.post_generation
    def _held_on(obj, create, extracted, **kwargs):  # noqa: N805 — factory_boy's signature
        if create and obj.is_held and obj.held_on is None:
            obj.held_on = obj.local_date
            obj.save(update_fields=["held_on"])


class ConferenceChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceChair

    conference = None
    full_name = "Nguyễn Thị Thanh Hằng"
    title = "Bí thư Đảng ủy phường"


class CategoryFactory(factory.django.DjangoModelFactory):
    """A category of one's own (the data migration's "Khác" is used by default)."""

    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Đất đai – GPMB"


def _next_position(petition) -> int:
    return petition.conference.petitions.count() + 1


class PetitionFactory(factory.django.DjangoModelFactory):
    """An opinion raised at `conference` (required): its area and day follow from it."""

    class Meta:
        model = Petition

    conference = None
    area = factory.LazyAttribute(lambda petition: petition.conference.host_area)
    position = factory.LazyAttribute(_next_position)
    received_on = factory.LazyAttribute(lambda petition: petition.conference.local_date)
    category = factory.LazyFunction(lambda: Category.objects.get(name="Khác"))
    content = factory.LazyAttribute(lambda petition: f"Ý kiến số {petition.position}")
    petitioner_name = "Ông Nguyễn Văn An"
    petitioner_address = "Tổ dân phố 1"


def conference_for(area: OrgUnit, **fields) -> Conference:
    """ConferenceFactory in `area` (the short spelling most tests use)."""
    return ConferenceFactory(host_area=area, **fields)


def petition_for(conference: Conference, **fields) -> Petition:
    """PetitionFactory at `conference` (the short spelling most tests use)."""
    return PetitionFactory(conference=conference, **fields)
