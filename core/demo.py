"""Demo data of core: the demo signing certificates, made before any app issues a document.

With DOCUMENT_SIGNING_BACKEND=demo (what `make run` sets), the demo notices are signed with a
certificate named "DEMO — không có giá trị pháp lý", kept under var/demo-signing/.
"""

from django.conf import settings

from core.signing_demo import demo_credentials_ensure


def seed(*, stdout, scale: float) -> None:
    if settings.DOCUMENT_SIGNING_BACKEND != "demo":
        return
    directory = demo_credentials_ensure()
    stdout.write(f"Chứng thư số DEMO (không có giá trị pháp lý) ở {directory}: văn bản ban hành được ký số.")
