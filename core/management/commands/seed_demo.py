"""Load the demo data: `manage.py seed_demo` (idempotent), `--scale N` for benchmarks.

Each app that has demo data provides `<app>/demo.py` with a function
`seed(*, stdout, scale: int) -> None`. They run in INSTALLED_APPS order, which is the layer
order, so conferences find their wards and notices find their conferences. `core` sits at the
bottom and imports none of them: it finds them through the app registry.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (Hà Nội hiện nay và lát cắt năm 2022) cùng các tài khoản demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=0,
            help=(
                "0: demo data only; N > 0: also generate national-scale data for benchmarks "
                "(1 = about 10,000 wards, 2 million petitions, 1 million assignments; 0.01 = a hundredth). "
                "PostgreSQL only."
            ),
        )

    def handle(self, *args, scale: float, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(stdout=self.stdout, scale=scale)
