from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """Messages to citizens about their opinions (SMS, Zalo, e-mail): above petitions, whose
    events it listens to (petitions/events.py), below conclusions (docs/MESSAGES.md)."""

    name = "messaging"
    verbose_name = _("Tin nhắn cho công dân")

    def ready(self) -> None:
        from messaging import panels, receivers  # noqa: F401 — the opinion page's section, the listener
        from messaging.log import staff_message_log
        from petitions import ports

        ports.message_log.fill(staff_message_log)  # the petition API's `message_log` field
