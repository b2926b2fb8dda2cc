from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConclusionsConfig(AppConfig):
    name = "conclusions"
    verbose_name = _("Kết luận và việc được giao")

    def ready(self) -> None:
        from conclusions import panels  # noqa: F401 — the notice on a conference's page, home sections
        from conclusions.follow_up import AssignmentFollowUp, NoticesOfConference
        from petitions import ports

        ports.follow_up.fill(AssignmentFollowUp())  # what petitions asks about follow-up
        from conclusions.models import party_term
        from registers import ports as register_ports

        register_ports.party_term.fill(party_term)  # the register numbers Party documents per term
        ports.conference_notices.fill(NoticesOfConference())  # opinions added after the notice
