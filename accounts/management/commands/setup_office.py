"""`manage.py setup_office`: the first run of a real office. Loads its province's units
(load_areas), gives its ward the standard bodies, creates its first admin and loads the
default reference data of every app (`<app>/defaults.py: load_defaults()`). Interactive, or
with flags for scripts; safe to run again."""

import os
from getpass import getpass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from accounts import areas, services
from accounts.models import OrgUnit
from core.text import fold


class Command(BaseCommand):
    help = (
        "Thiết lập cho một đơn vị dùng thật: nạp địa bàn của tỉnh, tạo các cơ quan của phường/xã, "
        "tài khoản quản trị đầu tiên và danh mục mặc định."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Tỉnh, thành phố: mã (01) hoặc tên (Hà Nội).")
        parser.add_argument("--ward", help="Phường, xã, đặc khu: mã (00070) hoặc tên (Phường Hoàn Kiếm).")
        parser.add_argument("--username", help="Tên đăng nhập của quản trị đầu tiên.")
        parser.add_argument("--full-name", help="Họ và tên của quản trị đầu tiên.")
        parser.add_argument("--email", default="", help="E-mail của quản trị đầu tiên.")
        parser.add_argument(
            "--password",
            help="Mật khẩu (tránh ghi trên dòng lệnh: để trống thì được hỏi, hoặc đặt SETUP_ADMIN_PASSWORD).",
        )
        parser.add_argument("--no-input", action="store_true", help="Không hỏi: thiếu gì thì dừng và báo.")

    def handle(self, *args, **options):
        self.interactive = not options["no_input"]
        provinces = areas.current_provinces()
        province = self._province(provinces, options["province"])
        self.stdout.write(f"1. Nạp địa bàn của {areas.province_full_name(province)}…")
        report = areas.areas_load(records=areas.records_from_package(str(province["code"])))
        for line in report.lines():
            self.stdout.write(f"   {line}")
        ward = self._ward(province, options["ward"])
        with transaction.atomic():
            created = services.area_bodies_ensure(area=ward)
            self.stdout.write(f"2. {ward.name} (mã {ward.code}): tạo {created} cơ quan còn thiếu.")
            admin = self._admin(ward, options)
        self.stdout.write(f"3. Quản trị: {admin.username} – {admin.full_name}, {admin.agency.name}.")
        if not admin.has_usable_password():
            link = settings.SITE_URL.rstrip("/") + services.password_set_path(admin)
            self.stdout.write(f"   Chưa có mật khẩu: mở đường dẫn này để đặt (dùng một lần, 3 ngày): {link}")
        self.stdout.write("4. Danh mục mặc định:")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.defaults"
            if find_spec(module_name) is None:
                continue
            load = getattr(import_module(module_name), "load_defaults", None)
            if load is not None:
                with transaction.atomic():
                    self.stdout.write(f"   {load()}")
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong. Đăng nhập tại {site}{reverse('accounts:login')}, rồi mở {site}{reverse('accounts:readiness')} "
                "(Việc còn thiếu) và làm theo mục “Ngày đầu tiên” trong README."
            )
        )

    # --- the questions ---------------------------------------------------------------------

    def _ask(self, prompt: str, given: str | None, what: str) -> str:
        if given:
            return given.strip()
        if not self.interactive:
            raise CommandError(f"Thiếu {what} (chạy với --no-input thì phải ghi đủ tham số).")
        answer = ""
        while not answer:
            answer = input(prompt).strip()
        return answer

    def _province(self, provinces: list[dict], given: str | None) -> dict:
        if not given and self.interactive:
            for province in provinces:
                self.stdout.write(f"  {province['code']:02d}  {areas.province_full_name(province)}")
        wanted = self._ask("Tỉnh, thành phố (mã hoặc tên): ", given, "--province")
        try:
            return areas.find_province(provinces, wanted)
        except areas.UnknownProvinceError:
            raise CommandError(f"Không có tỉnh, thành phố “{wanted}”.") from None

    def _ward(self, province: dict, given: str | None) -> OrgUnit:
        top = OrgUnit.objects.get(code=f"{province['code']:02d}", parent=None, valid_to__isnull=True)
        wards = OrgUnit.objects.areas().filter(parent=top, valid_to__isnull=True)
        while True:
            wanted = self._ask("Phường, xã, đặc khu (mã hoặc tên, không cần dấu): ", given, "--ward")
            found = wards.filter(code=wanted) if wanted.isdigit() else wards.search(wanted)
            exact = [unit for unit in found if fold(unit.name) == fold(wanted) or unit.code == wanted]
            matches = exact or list(found[:10])
            if len(matches) == 1:
                return matches[0]
            if not self.interactive or given:
                names = ", ".join(f"{unit.name} ({unit.code})" for unit in matches) or "không có"
                raise CommandError(f"“{wanted}” không chỉ ra đúng một phường, xã của {top.name}: {names}.")
            for unit in matches:
                self.stdout.write(f"  {unit.code}  {unit.name}")
            given = None

    def _admin(self, ward: OrgUnit, options):
        username = self._ask("Tên đăng nhập của quản trị: ", options["username"], "--username")
        full_name = self._ask("Họ và tên: ", options["full_name"], "--full-name")
        password = options["password"] or self._env_password()
        if not password and self.interactive:
            password = self._ask_password()
        try:
            if password:
                validate_password(password)
            return services.office_admin_ensure(
                area=ward, username=username, full_name=full_name, email=options["email"], password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None

    @staticmethod
    def _env_password() -> str | None:
        return os.environ.get("SETUP_ADMIN_PASSWORD") or None

    def _ask_password(self) -> str:
        while True:
            first = getpass("Mật khẩu: ")
            if first and first == getpass("Nhập lại mật khẩu: "):
                return first
            self.stderr.write("Hai lần không khớp (hoặc để trống), hãy nhập lại.")
