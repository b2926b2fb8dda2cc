from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The pages for citizens (no login), at /cong-khai/: the top layer, which may import every
    app (it shows opinions with their assignments and the issued notices)."""

    name = "public_pages"
    verbose_name = _("Trang công khai")

    def ready(self) -> None:
        from django.urls import reverse

        from core.ports import document_verify_path
        from messaging import ports as message_ports
        from petitions import ports

        # Receipts print where a citizen looks the code up; petitions may not name our URLs.
        ports.tracking_path.fill(lambda: reverse("public:track"))
        # Documents carry a QR code to their public check; lower apps may not name our URLs.
        document_verify_path.fill(lambda code: reverse("public:document", args=[code]))
        # The e-mails to citizens carry the opt-out link; messaging may not name our URLs.
        message_ports.opt_out_path.fill(lambda code, token: reverse("public:opt_out", args=[code, token]))
