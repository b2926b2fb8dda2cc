"""How long a warm worker takes to render a 3-page conclusion notice PDF (budget: 300 ms).

    DEBUG=1 .venv/bin/python bench/notice_pdf.py

Self-contained: it migrates a private in-memory SQLite database, builds the seed-004 notice
there with the ORM (so the render makes its real queries) and never touches var/ or a
configured database. One render warms up fonts, templates and WeasyPrint; ten are timed.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"  # private: the real databases stay untouched
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from accounts.models import OrgUnit, User  # noqa: E402
from conclusions.demo import SEED_004  # noqa: E402
from conclusions.models import ConclusionNotice, NoticeItem  # noqa: E402
from conclusions.pdf import render_notice_pdf  # noqa: E402

BUDGET_MS = 300
RUNS = 10

ITEMS = list(SEED_004.items)
# Seed 004's opinion groups, one direction each, so the notice runs to three pages.
GROUPS = [
    "công tác quản lý đất đai và giải phóng mặt bằng",
    "công tác quản lý trật tự đô thị, trật tự xây dựng, vệ sinh môi trường, hạ tầng dân sinh",
    "công tác bảo đảm an ninh trật tự",
    "công tác văn hóa - xã hội",
]
EXTRA = [
    f"Về {group}: giao các bộ phận chuyên môn của UBND phường rà soát từng ý kiến, kiến nghị của Nhân dân tại "
    "hội nghị, làm rõ nội dung thuộc thẩm quyền, đề xuất phương án giải quyết, báo cáo Chủ tịch UBND phường "
    "trước ngày 20/10/2022; những nội dung vượt thẩm quyền thì tổng hợp, báo cáo cấp có thẩm quyền xem xét, "
    "giải quyết và trả lời bằng văn bản cho người có ý kiến."
    for group in GROUPS
]


def build_notice() -> ConclusionNotice:
    city = OrgUnit.objects.create(name="Thành phố Hà Nội", kind=OrgUnit.Kind.CITY, symbol="TP")
    ward = OrgUnit.objects.create(name="Phường Bồ Đề", kind=OrgUnit.Kind.WARD, parent=city)
    body = OrgUnit.objects.create(
        name="Ủy ban nhân dân phường Bồ Đề", kind=OrgUnit.Kind.PEOPLES_COMMITTEE, parent=ward, symbol="UBND"
    )
    signer = User.objects.create(
        username="bench-leader", full_name="Nguyễn Văn Luyện", agency=body, is_leader=True
    )
    notice = ConclusionNotice.objects.create(
        area=ward,
        issuing_body=body,
        status=ConclusionNotice.Status.ISSUED,
        number=15,
        number_label="15/TB-UBND",
        issued_on=date(2022, 10, 10),
        signer=signer,
        signer_title="CHỦ TỊCH",
        summary="Kết luận của người đứng đầu cấp ủy, chính quyền tại hội nghị đối thoại năm 2022",
        preamble=(
            "Chiều ngày 30/9/2022, tại Hội trường UBND phường, Đảng ủy, UBND phường Bồ Đề tổ chức hội nghị đối "
            "thoại giữa người đứng đầu cấp ủy, chính quyền với MTTQ, các tổ chức chính trị - xã hội và Nhân dân "
            "năm 2022. Đã có 14 ý kiến được gửi tới người đứng đầu cấp ủy, chính quyền phường tại hội nghị.\n"
            "Sau khi thống nhất các nội dung, Chủ tọa hội nghị thống nhất kết luận như sau:"
        ),
        closing="Văn phòng UBND phường thông báo để các cơ quan, đơn vị, cá nhân có liên quan biết, thực hiện./.",
        recipients="Thường trực Quận ủy Long Biên\nThường trực Đảng ủy phường\nUBMTTQ phường\nCác tổ dân phố",
    )
    texts = [*ITEMS, *EXTRA, *ITEMS[1:3]]
    NoticeItem.objects.bulk_create(
        NoticeItem(notice=notice, position=position, text=text)
        for position, text in enumerate(texts, start=1)
    )
    return notice


def page_count(data: bytes) -> str:
    """pdfinfo (poppler-utils) reads it; the PDF's object streams are compressed."""
    if not shutil.which("pdfinfo"):
        return "? (pdfinfo missing)"
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1]


def main() -> int:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        notice_id = build_notice().pk
        # A fresh instance per render, as the task has: queries are part of the cost.
        data = render_notice_pdf(ConclusionNotice.objects.get(pk=notice_id))  # warm-up
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            data = render_notice_pdf(ConclusionNotice.objects.get(pk=notice_id))
            timings.append((time.perf_counter() - started) * 1000)
        transaction.set_rollback(True)
    pages = page_count(data)
    median, worst = statistics.median(timings), max(timings)
    if "--json" in sys.argv:  # for bench/run.py
        name = f"notice PDF, {pages} pages, warm worker"
        print(json.dumps([{"name": name, "budget_ms": BUDGET_MS, "median_ms": median, "max_ms": worst,
                           "queries": None, "note": f"{RUNS} renders"}]))  # fmt: skip
        return 0
    print(f"notice PDF: {pages} pages, {len(data) / 1024:.0f} KiB, {RUNS} warm renders")
    print(f"median {median:.0f} ms, max {worst:.0f} ms (budget {BUDGET_MS} ms)")
    verdict = "within budget" if median <= BUDGET_MS else "OVER BUDGET"
    print(verdict)
    return 0 if median <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
