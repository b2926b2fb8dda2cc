"""Ports: what a low layer needs to know from an app above it, filled by that app.

Imports go one way (docs/ARCHITECTURE.md), yet `petitions` must know whether an opinion's
follow-up has started, and `dialogue` how many opinions a conference holds. The low layer
declares a Port (and, for several answers, the class they come in); the higher app fills it
in its AppConfig.ready(), as it registers panels (core/panels.py). Asking an unfilled port is
a configuration error, never a silent default.
"""

from django.core.exceptions import ImproperlyConfigured


class Port:
    def __init__(self, name: str) -> None:
        self.name = name
        self._implementation = None

    def fill(self, implementation) -> None:
        self._implementation = implementation

    def __call__(self):
        if self._implementation is None:
            raise ImproperlyConfigured(
                f"The port {self.name!r} is not filled: is the app filling it installed?"
            )
        return self._implementation


# The public page where anyone checks an issued document by its short code
# ("/cong-khai/van-ban/<code>/"): printed as a QR code on the documents of lower apps, served
# by public_pages, which fills this port with a function of the code.
document_verify_path = Port("document_verify_path")
