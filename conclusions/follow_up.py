"""The ports of petitions (petitions/ports.py) that conclusions fills: the follow-up of
opinions, answered from the assignments, and a conference's issued notice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from conclusions.models import AnswerFile, AnswerVersion, Assignment, ConclusionNotice
from petitions.ports import ConferenceNotices, FollowUp, IssuedNotice, OfficialAnswer


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
        # The handlers the agency gave the case, by office: this decides who sees a denouncer
        # (Petition.identity_visible_to), so a superuser is not a handler here.
        if user.holds_role(Role.HANDLER) and user.agency_id:
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

    def has_official_answer(self, petition) -> bool:
        return AnswerVersion.objects.filter(
            status=AnswerVersion.Status.ACCEPTED, assignment__petitions=petition
        ).exists()

    def official_answers(self, petition_ids) -> dict[int, list[OfficialAnswer]]:
        return official_answers(petition_ids)

    def reopening_url(self, reopening) -> str:
        return reverse("conclusions:reopening", args=[reopening.pk])

    def assign_url(self, petition) -> str:
        return reverse("conclusions:petition_assign", args=[petition.pk])

    def extend_url(self, petition) -> str:
        return reverse("conclusions:petition_extend", args=[petition.pk])


def official_answers(petition_ids) -> dict[int, list[OfficialAnswer]]:
    """The accepted answer versions of the assignments answering these petitions, with the
    lead agency, the day of acceptance and the published files: two queries in all."""
    links = Assignment.petitions.through.objects.filter(petition_id__in=list(petition_ids))
    published = AnswerFile.objects.filter(publishable=True, withheld_reason="").order_by("pk")
    versions = (
        AnswerVersion.objects.filter(
            status=AnswerVersion.Status.ACCEPTED, assignment__in=links.values("assignment_id")
        )
        .select_related("assignment__lead_agency")
        .prefetch_related(Prefetch("files", queryset=published, to_attr="published_files"))
        .order_by("decided_at", "pk")
    )
    by_assignment = defaultdict(list)
    for link in links.values_list("assignment_id", "petition_id"):
        by_assignment[link[0]].append(link[1])
    answers: dict[int, list[OfficialAnswer]] = defaultdict(list)
    for version in versions:
        answer = OfficialAnswer(
            version_id=version.pk,
            assignment_id=version.assignment_id,
            agency=version.assignment.lead_agency.name,
            answered_on=timezone.localdate(version.decided_at) if version.decided_at else None,
            text=version.text,
            public_files=[(item.pk, item.filename) for item in version.published_files],
        )
        for petition_id in by_assignment[version.assignment_id]:
            answers[petition_id].append(answer)
    return answers


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
