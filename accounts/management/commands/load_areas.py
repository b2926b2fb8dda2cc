"""`manage.py load_areas [--province CODE_OR_NAME]`: Vietnam's provinces and communes since the
2025 reform, with their official codes (accounts.areas). Idempotent; never deletes."""

import time

from django.core.management.base import BaseCommand, CommandError

from accounts import areas


class Command(BaseCommand):
    help = (
        "Nạp danh mục đơn vị hành chính Việt Nam sau sắp xếp 1/7/2025 (34 tỉnh, thành phố; "
        "3.321 phường, xã, đặc khu) với mã chính thức. Chạy lại nhiều lần không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            help="Chỉ nạp một tỉnh, thành phố: mã (01, 79) hoặc tên (“Hà Nội”, “Cao Bang”).",
        )

    def handle(self, *args, province=None, **options):
        started = time.monotonic()
        try:
            records = areas.records_from_package(province)
        except areas.UnknownProvinceError as error:
            raise CommandError(
                f"Không có tỉnh, thành phố “{error}” trong danh mục. Ghi mã 2 chữ số (01 là Hà Nội) hoặc tên."
            ) from None
        self.stdout.write(f"Nguồn: {areas.package_version()}; {len(records)} đơn vị.")
        if not areas.legacy_available():
            self.stdout.write(
                "Gói dữ liệu đã cài không có danh mục trước 1/7/2025: chưa ghi đơn vị tiền thân "
                "(bản 2026 trở lên có, cần Python 3.12)."
            )
        report = areas.areas_load(records=records)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Xong trong {time.monotonic() - started:.1f} giây."))
