"""The outgoing register: one sequence per body per year shared by every kind of document
(Decree 30/2020/NĐ-CP), one per kind per committee term for a Party committee (Hướng dẫn
36-HD/VPTW), numbers used outside the app never given again, gapless under concurrency."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conclusions import services as conclusion_services
from petitions import services as petition_services
from registers.models import RegisterEntry, RegisterSettings
from registers.services import NO_TERM, NUMBER_TAKEN, register_record_outside, register_take
from tests.conclusions.helpers import held_conference, leader_of, party_term, ready_notice
from tests.petitions.written_helpers import letter

pytestmark = pytest.mark.django_db


def take(body, doc_type, on, document, by=None):
    return register_take(
        body=body, doc_type=doc_type, on=on, summary=f"Văn bản {doc_type}", document=document, by=by
    )


def test_one_sequence_shared_by_every_kind_and_restarting_on_new_year(ward):
    body, subject = ward.bodies["UBND"], held_conference(ward, opinions=0)
    labels = [
        take(body, "TB", date(2026, 3, 2), subject).label,
        take(body, "PC", date(2026, 3, 2), subject).label,
        take(body, "BC", date(2026, 12, 31), subject).label,
        take(body, "QĐ", date(2027, 1, 1), subject).label,  # Decree 30: from 01 again on 01/01
        take(body, "TB", date(2027, 1, 4), subject).label,
    ]
    assert labels == ["01/TB-UBND", "02/PC-UBND", "03/BC-UBND", "01/QĐ-UBND", "02/TB-UBND"]


def test_a_body_may_keep_one_sequence_per_kind(ward):
    body, subject = ward.bodies["UBND"], held_conference(ward, opinions=0)
    RegisterSettings.objects.create(body=body, numbering="per_type")
    labels = [take(body, kind, date(2026, 3, 2), subject).label for kind in ("TB", "PC", "TB", "PC", "BC")]
    assert labels == ["01/TB-UBND", "01/PC-UBND", "02/TB-UBND", "02/PC-UBND", "01/BC-UBND"]


def test_a_party_committee_numbers_each_kind_per_term(ward):
    body, subject = ward.bodies["ĐU"], held_conference(ward, opinions=0)
    with pytest.raises(ValidationError) as caught:
        take(body, "TB", date(2026, 3, 2), subject)
    assert caught.value.messages == [NO_TERM % {"body": body.name, "day": "02/03/2026"}]
    party_term(body)  # 01/07/2025 – 30/06/2030: the year's turn does not restart it
    labels = [
        take(body, "TB", date(2026, 12, 30), subject).label,
        take(body, "BC", date(2026, 12, 31), subject).label,
        take(body, "TB", date(2027, 1, 2), subject).label,
    ]
    assert labels == ["01-TB/ĐU", "01-BC/ĐU", "02-TB/ĐU"]
    assert RegisterEntry.objects.filter(body=body).first().period == "Nhiệm kỳ 2025 – 2030"


def test_a_number_used_outside_the_app_is_never_given(ward, make_user):
    body, subject, clerk = ward.bodies["UBND"], held_conference(ward, opinions=0), make_user("clerk")
    assert take(body, "TB", date(2026, 3, 2), subject).number == 1
    # The office's e-office system gave 3 (ahead) and, asked for the next one, 2.
    outside = register_record_outside(
        body=body, by=clerk, doc_type="CV", on=date(2026, 3, 3), summary="Về việc sửa đường", number=3
    )
    assert outside.label == "03/UBND" and outside.origin == "outside"
    assert (
        register_record_outside(
            body=body, by=clerk, doc_type="KH", on=date(2026, 3, 3), summary="Kế hoạch"
        ).number
        == 2
    )
    assert [take(body, "PC", date(2026, 3, 4), subject).number for _ in range(2)] == [4, 5]
    with pytest.raises(ValidationError) as caught:
        register_record_outside(
            body=body, by=clerk, doc_type="QĐ", on=date(2026, 5, 1), summary="Trùng", number=4
        )
    assert caught.value.message_dict["number"] == [
        NUMBER_TAKEN % {"label": "04/PC-UBND", "summary": "Văn bản PC"}
    ]
    with pytest.raises(ValidationError) as caught:
        register_record_outside(
            body=body, by=clerk, doc_type="QĐ", on=date(2026, 5, 1), summary=" ", number=0
        )
    assert set(caught.value.message_dict) == {"summary", "number"}
    numbers = sorted(RegisterEntry.objects.filter(body=body).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]


@pytest.mark.django_db(transaction=True)
def test_fifty_documents_of_three_kinds_at_once_are_gapless_and_unique(ward, make_user):
    """20 notices issued, 20 petitions transferred (their slips) and 10 reports numbered, all
    at the same moment, each in its own thread and PostgreSQL connection."""
    clerk, leader = make_user("clerk"), leader_of(ward)
    body = ward.bodies["UBND"]
    notices = [ready_notice(ward, clerk, opinions=1) for _ in range(20)]
    petitions = [letter(ward, clerk) for _ in range(20)]
    conference = held_conference(ward, opinions=0)
    jobs = (
        [lambda n=n: conclusion_services.notice_issue(notice=n, by=leader) for n in notices]
        + [
            lambda p=p: petition_services.petition_transfer(petition=p, by=clerk, to="UBND thành phố")
            for p in petitions
        ]
        + [lambda: take(body, "BC", date.today(), conference, by=clerk) for _ in range(10)]
    )
    barrier = threading.Barrier(len(jobs))
    failures = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    entries = list(RegisterEntry.objects.filter(body=body).values_list("number", "doc_type", "label"))
    assert sorted(number for number, _type, _label in entries) == list(range(1, 51))
    assert (
        sorted(doc_type for _number, doc_type, _label in entries) == ["BC"] * 10 + ["PC"] * 20 + ["TB"] * 20
    )
    assert len({label for *_rest, label in entries}) == 50
    # The documents carry the numbers their entries hold.
    issued = {n.number for n in type(notices[0]).objects.filter(pk__in=[n.pk for n in notices])}
    slips = {
        p.transfer_entry.number for p in type(petitions[0]).objects.filter(pk__in=[p.pk for p in petitions])
    }
    assert len(issued) == 20 and len(slips) == 20 and not issued & slips
    assert (
        RegisterEntry.objects.filter(body=body, doc_type="TB").values_list("number", flat=True).count() == 20
    )


def test_switching_to_one_sequence_per_kind_never_repeats_a_label_in_the_year(ward):
    body, subject = ward.bodies["UBND"], held_conference(ward, opinions=0)
    shared = [take(body, kind, date(2026, 3, 2), subject).label for kind in ("TB", "PC", "TB")]
    RegisterSettings.objects.create(body=body, numbering="per_type")
    per_kind = [take(body, kind, date(2026, 6, 1), subject).label for kind in ("TB", "TB", "PC")]
    assert shared == ["01/TB-UBND", "02/PC-UBND", "03/TB-UBND"]
    assert per_kind == ["02/TB-UBND", "04/TB-UBND", "01/PC-UBND"]
