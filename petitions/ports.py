"""What `petitions` needs to know from the apps above it, declared here and filled by them.

Imports go one way: `petitions` sits below `conclusions` (assignments, notices), `dashboards`
(exports) and `public_pages` (the tracking page), yet its rules and pages need a few answers about
an opinion's follow-up. They are asked through this module only; the higher app fills the
port in its AppConfig.ready(), the way the panels work (core/panels.py). No model, status or
URL name of a higher app is written in `petitions` (tests/test_layers.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, QuerySet

from core.panels import PanelRegistry
from core.ports import Port


@dataclass(frozen=True)
class OfficialAnswer:
    """An agency's accepted answer to an opinion, as conclusions keeps it (an AnswerVersion)."""

    version_id: int
    assignment_id: int
    agency: str
    answered_on: date
    text: str
    # (id, file name) of the files the handler marked publishable and nobody withheld.
    public_files: list[tuple[int, str]] = field(default_factory=list)


class FollowUp:
    """The follow-up of opinions (filled by conclusions.follow_up). "Started" work is work
    given for a written petition or by an issued notice (a draft's work has not begun);
    "open" work is started and not yet accepted."""

    def assignments_of(self, petition) -> QuerySet:
        """Every assignment answering the petition (drafts' too), for its pages, by deadline."""
        raise NotImplementedError

    def is_open(self, assignment) -> bool:
        raise NotImplementedError

    def has_started_work(self, petition) -> bool:
        raise NotImplementedError

    def has_open_work(self, petition) -> bool:
        raise NotImplementedError

    def handled_by(self, petition, user) -> bool:
        """The user is responsible for, or a handler of the lead agency of, work answering it."""
        raise NotImplementedError

    def kept_in_time(self) -> Exists:
        """Work answering the outer petition (OuterRef "pk") due on or after its resolution."""
        raise NotImplementedError

    def late_work(self, today: date) -> Exists:
        """Open work answering the outer petition (OuterRef "pk") past its deadline today."""
        raise NotImplementedError

    def follow_extension(self, *, petition, extension, by) -> None:
        """The petition's resolution deadline was extended: move the work that followed it."""
        raise NotImplementedError

    def has_official_answer(self, petition) -> bool:
        """Some work answering the petition has an accepted (official) answer."""
        raise NotImplementedError

    def official_answers(self, petition_ids) -> dict[int, list[OfficialAnswer]]:
        """Each petition's official answers, one per accepting agency, oldest first: a fixed
        number of queries for any number of petitions."""
        raise NotImplementedError

    def reopening_url(self, reopening) -> str:
        """The leader's review page of a reopened opinion."""
        raise NotImplementedError

    def assign_url(self, petition) -> str:
        raise NotImplementedError

    def extend_url(self, petition) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class IssuedNotice:
    """What an issued conclusion notice of a conference says to whoever adds opinions to it
    afterwards (filled by conclusions.follow_up): the notice is fixed, so opinions added after
    it are outside it and need their own handling (an assignment without a notice, or an
    amending notice)."""

    label: str  # "số 12/TB-UBND ngày 05/12/2026"
    url: str  # the notice's page


class ConferenceNotices:
    def issued_for(self, conference) -> IssuedNotice | None:
        """The conference's latest issued notice, or None (one query)."""
        raise NotImplementedError


# Filled by conclusions (conclusions/follow_up.py).
follow_up = Port("petitions.follow_up")
conference_notices = Port("petitions.conference_notices")
# The public tracking page's path, printed on receipts: a callable filled by public_pages.
tracking_path = Port("petitions.tracking_path")


def tracking_url() -> str:
    return tracking_path()()


# Actions on the opinions' list that higher apps contribute (the Excel export of dashboards):
# a panel takes (request, None) and returns HTML.
list_actions = PanelRegistry()

# Sections of an opinion's page that higher apps contribute (the messages to the citizen): a
# panel takes (request, petition) and returns HTML.
detail_panels = PanelRegistry()
# The opinion's message log for staff, for the API (filled by messaging): a callable
# (petition, user) -> {"consent", "opted_out", "messages": [...]}.
message_log = Port("petitions.message_log")
