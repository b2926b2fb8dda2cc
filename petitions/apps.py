from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Ý kiến, kiến nghị")

    def ready(self) -> None:
        # The conference page shows the opinions through panels this app registers with
        # dialogue (which may not import petitions: imports go one way).
        from dialogue import ports
        from petitions import panels  # noqa: F401
        from petitions.conference_opinions import ConferenceOpinions

        ports.opinions.fill(ConferenceOpinions())  # what dialogue asks about a conference's opinions
