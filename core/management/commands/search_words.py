"""Fill the dictionary of the word indexes from the rows (PostgreSQL; idempotent).

The triggers keep the dictionary complete as rows are written. Rows written with triggers
off (a load in replica mode, `pg_restore --data-only`, triggers disabled by hand) would be
missed by a search for rare words until this runs (core.models.SearchQuerySet.narrowed_by_words).
"""

from django.core.management.base import BaseCommand
from django.db import connection

from core.migration_ops import WORD_INDEXED_TABLES, remember_words_sql
from core.models import SearchWord


class Command(BaseCommand):
    help = (
        "Thêm vào từ điển tìm kiếm mọi từ của các bảng có chỉ mục theo từ (chạy lại bao nhiêu lần cũng được)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Chỉ mục theo từ chỉ có trên PostgreSQL: không có gì để làm.")
            return
        before = SearchWord.objects.count()
        with connection.cursor() as cursor:
            for table in WORD_INDEXED_TABLES:
                cursor.execute(remember_words_sql(connection.ops.quote_name(table)))
        added = SearchWord.objects.count() - before
        self.stdout.write(f"Từ điển tìm kiếm: {added:,} từ mới, {before + added:,} từ.")
