"""Demo register: the demo clerk's People's Committee records one number its office gave on
paper before the app (so the app's numbers continue after it) and signs its transfer slips by a
deputy chair (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH). The notices and the slip the later demo modules
issue take their numbers from the same register."""

from __future__ import annotations

from datetime import date

from accounts.models import OrgUnit, User
from registers.models import RegisterEntry, RegisterSettings, SignMode
from registers.services import area_body, register_record_outside


def seed(*, stdout, scale: float = 0) -> None:
    clerk = User.objects.filter(username="clerk").select_related("agency__area").first()
    if clerk is None or clerk.area is None:
        return
    body = area_body(clerk.area, OrgUnit.Kind.PEOPLES_COMMITTEE)
    if body is None:
        return
    RegisterSettings.objects.get_or_create(
        body=body,
        defaults={
            "numbering": RegisterSettings.default_numbering(body),
            "slip_sign_mode": SignMode.DEPUTY,
            "slip_signer_title": "PHÓ CHỦ TỊCH",
            "slip_signer_name": "Lê Văn Phúc",
        },
    )
    if not RegisterEntry.objects.filter(body=body, origin=RegisterEntry.Origin.OUTSIDE).exists():
        register_record_outside(
            body=body,
            by=clerk,
            doc_type="CV",
            on=date(2026, 1, 5),
            summary="Về việc tăng cường quản lý trật tự đô thị dịp Tết Nguyên đán 2026 (văn bản giấy)",
            number=1,
        )
    stdout.write(f"Sổ văn bản đi: {RegisterEntry.objects.count()} số.")
