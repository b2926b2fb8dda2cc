"""Conferences and petitions for the API tests (tests/factories.py holds the org units and users)."""

from datetime import timedelta

import factory
from django.utils import timezone

from dialogue.models import Conference, ConferenceBasis, ConferenceChair
from petitions.models import Category, Petition
from tests.factories import OrgUnitFactory


class ConferenceBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceBasis
        django_get_or_create = ("name",)

    name = "Quyết định số 2200-QĐ/TU"
    short_name = "QĐ 2200"


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    host_area = factory.SubFactory(OrgUnitFactory)
    title = factory.Sequence(lambda n: f"Hội nghị đối thoại lần {n}")
    basis = factory.SubFactory(ConferenceBasisFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    place = "Hội trường UBND phường"


class ConferenceChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConferenceChair

    conference = factory.SubFactory(ConferenceFactory)
    full_name = "Nguyễn Thị Thanh Hằng"
    title = "Bí thư Đảng ủy phường"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("name",)

    name = "Đất đai – GPMB"


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    conference = factory.SubFactory(ConferenceFactory)
    area = factory.LazyAttribute(lambda petition: petition.conference.host_area)
    position = factory.Sequence(lambda n: n + 1)
    received_on = factory.LazyFunction(timezone.localdate)
    category = factory.SubFactory(CategoryFactory)
    content = factory.Sequence(lambda n: f"Đề nghị sửa chữa tuyến đường ngõ {n}")
    petitioner_name = "Trần Văn Dân"
    petitioner_address = "Tổ dân phố 5"
    petitioner_phone = "0912345678"
