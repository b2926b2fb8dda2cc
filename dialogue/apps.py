from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Hội nghị đối thoại")

    def ready(self) -> None:
        from dialogue import panels  # noqa: F401 — registers the home page's sections
