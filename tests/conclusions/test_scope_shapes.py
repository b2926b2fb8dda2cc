"""Assignment.visible_to has two shapes (a UNION of lookups per unit for a small scope, OR-ed
conditions for a large one, chosen by User.scope_is_small for speed): they must find the
same rows, every way an assignment reaches a scope."""

import pytest

from accounts.models import User
from conclusions.models import Assignment
from tests.api.conclusions_factories import issued_notice
from tests.conclusions.helpers import handler_of


@pytest.mark.parametrize("small_scope_units", [0, 10**6], ids=["large shape", "small shape"])
def test_both_shapes_see_the_same_assignments(ward, other_ward, make_user, monkeypatch, small_scope_units):
    monkeypatch.setattr(User, "SMALL_SCOPE_UNITS", small_scope_units)
    mine = issued_notice(ward, make_user("clerk")).assignments.get()
    theirs = issued_notice(other_ward, make_user("clerk", agency=other_ward.bodies["UBND"]))
    elsewhere = list(theirs.assignments.all())
    # Given by the other ward's notice to my ward: as lead, as coordinator, through a person.
    led, coordinated, person, unrelated = (
        Assignment.objects.create(
            area=other_ward, notice=theirs, item=theirs.items.first(), task=f"Việc {n}",
            lead_agency=other_ward.bodies["UBND"], deadline=mine.deadline,
        )
        for n in range(4)
    )  # fmt: skip
    Assignment.objects.filter(pk=led.pk).update(lead_agency=ward.bodies["UBND"])
    coordinated.coordinating_agencies.set([ward.bodies["MTTQ"]])
    Assignment.objects.filter(pk=person.pk).update(responsible_person=handler_of(ward.bodies["UBND"]))
    viewer = make_user("leader")

    visible = set(Assignment.objects.visible_to(viewer, for_page=True).values_list("pk", flat=True))
    everything = set(Assignment.objects.visible_to(viewer).values_list("pk", flat=True))

    assert viewer.scope_is_small is (small_scope_units > 0)
    assert visible == everything == {mine.pk, led.pk, coordinated.pk, person.pk}
    assert not visible & {unrelated.pk, *(a.pk for a in elsewhere)}


def test_narrowing_the_branches_finds_what_narrowing_the_scope_finds(ward, other_ward, make_user):
    """visible_to(among=…) filters each branch of the UNION first: the same rows as the
    scope then the filter, every way an assignment reaches the scope."""
    mine = issued_notice(ward, make_user("clerk")).assignments.get()
    theirs = issued_notice(other_ward, make_user("clerk", agency=other_ward.bodies["UBND"]))
    led, coordinated, person, closed, coordinated_closed = (
        Assignment.objects.create(
            area=other_ward, notice=theirs, item=theirs.items.first(), task=f"Việc {n}",
            lead_agency=other_ward.bodies["UBND"], deadline=mine.deadline,
        )
        for n in range(5)
    )  # fmt: skip
    Assignment.objects.filter(pk__in=[led.pk, closed.pk]).update(lead_agency=ward.bodies["UBND"])
    Assignment.objects.filter(pk__in=[closed.pk, coordinated_closed.pk]).update(
        status=Assignment.Status.ACCEPTED
    )
    for work in (coordinated, coordinated_closed):
        work.coordinating_agencies.set([ward.bodies["MTTQ"]])
    Assignment.objects.filter(pk=person.pk).update(responsible_person=handler_of(ward.bodies["UBND"]))
    viewer = make_user("leader")
    open_work = Assignment.objects.open()

    narrowed = set(Assignment.objects.visible_to(viewer, among=open_work).values_list("pk", flat=True))
    then_filtered = set(Assignment.objects.visible_to(viewer).open().values_list("pk", flat=True))

    assert narrowed == then_filtered == {mine.pk, led.pk, coordinated.pk, person.pk}

    superuser = User.objects.create(username="root-viewer", full_name="Toàn quyền", is_superuser=True)
    everything = set(Assignment.objects.visible_to(superuser, among=open_work).values_list("pk", flat=True))
    assert everything == set(open_work.values_list("pk", flat=True))
