"""The ports of petitions (petitions/ports.py) that conclusions fills: the follow-up of
opinions, answered from the assignments, and a conference's issued notice."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from conclusions.models import Assignment, ConclusionNotice
from petitions.ports import ConferenceNotices, FollowUp, IssuedNotice


class AssignmentFollowUp(FollowUp):
    def assignments_of(self, petition) -> QuerySet:
        return petition.assignments.select_related("lead_agency", "notice").order_by("deadline", "pk")

    def is_open(self, assignment: Assignment) -> bool:
        return assignment.is_open

    def has_started_work(self, petition) -> bool:
        return Assignment.objects.started().filter(petitions=petition).exists()

    def has_open_work(self, petition) -> bool:
        return Assignment.objects.open().filter(petitions=petition).exists()

    def handled_by(self, petition, user) -> bool:
        handling = Q(responsible_person=user)
        if user.has_role(Role.HANDLER) and user.agency_id:
            handling |= Q(lead_agency=user.agency_id)
        return Assignment.objects.filter(handling, petitions=petition).exists()

    def kept_in_time(self) -> Exists:
        return Exists(
            Assignment.objects.filter(petitions=OuterRef("pk"), deadline__gte=OuterRef("resolved_on"))
        )

    def late_work(self, today: date) -> Exists:
        return Exists(Assignment.objects.open().filter(petitions=OuterRef("pk"), deadline__lt=today))

    def follow_extension(self, *, petition, extension, by) -> None:
        from conclusions.services import move_deadlines_with_extension

        move_deadlines_with_extension(petition=petition, extension=extension, by=by)

    def assign_url(self, petition) -> str:
        return reverse("conclusions:petition_assign", args=[petition.pk])

    def extend_url(self, petition) -> str:
        return reverse("conclusions:petition_extend", args=[petition.pk])


class NoticesOfConference(ConferenceNotices):
    def issued_for(self, conference) -> IssuedNotice | None:
        notice = (
            ConclusionNotice.objects.issued()
            .filter(conference=conference)
            .only("pk", "number_label", "issued_on")
            .order_by("-issued_on", "-pk")
            .first()
        )
        if notice is None:
            return None
        return IssuedNotice(
            label=_("số %(number)s ngày %(day)s")
            % {"number": notice.number_label, "day": f"{notice.issued_on:%d/%m/%Y}"},
            url=reverse("conclusions:notice", args=[notice.pk]),
        )
