"""Conferences and opinions for the petitions tests (categories come from a data migration)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory

from dialogue.models import Conference, ConferenceBasis
from petitions.models import Category, Petition


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    host_area = None  # pass the ward: conference = ConferenceFactory(host_area=ward)
    title = factory.Sequence(lambda n: f"Hội nghị đối thoại số {n}")
    basis = factory.LazyFunction(lambda: ConferenceBasis.objects.order_by("position").first())
    starts_at = datetime(2026, 3, 20, 14, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    place = "Hội trường UBND phường"
    status = Conference.Status.HELD


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    conference = None  # pass the conference: the area and date follow from it
    area = factory.LazyAttribute(lambda petition: petition.conference.host_area)
    position = factory.Sequence(lambda n: n + 1)
    received_on = factory.LazyAttribute(lambda petition: petition.conference.local_date)
    category = factory.LazyFunction(lambda: Category.objects.get(name="Khác"))
    content = factory.Sequence(lambda n: f"Đề nghị sửa đường ngõ {n}, mưa là ngập.")
    petitioner_name = factory.Faker("name", locale="vi_VN")
    petitioner_address = factory.Sequence(lambda n: f"Tổ dân phố số {n}")
