import pytest

from accounts.models import OrgUnit
from core.text import fold, search_terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đất đai – GPMB – tái định cư", "dat dai - gpmb - tai dinh cu"),
        ("ĐƯỜNG Ngọc Thụy", "duong ngoc thuy"),
        ("Phường  Văn Miếu -  Quốc Tử Giám", "phuong van mieu - quoc tu giam"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("ữ ỹ ặ ộ", "u y a o"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_handles_decomposed_input():
    # Text pasted from some Word documents arrives decomposed (NFD).
    assert fold("Bo\u0300 \u0110e\u0302\u0300") == "bo de"


def test_search_terms_drop_empty_words():
    assert search_terms("  Đất   đai ") == ["dat", "dai"]
    assert search_terms(None) == []


@pytest.mark.django_db
def test_accent_free_search_on_a_model():
    OrgUnit.objects.create(name="Phường Bồ Đề", kind=OrgUnit.Kind.WARD)
    OrgUnit.objects.create(name="Phường Bạch Mai", kind=OrgUnit.Kind.WARD)
    assert list(OrgUnit.objects.search("bo de").values_list("name", flat=True)) == ["Phường Bồ Đề"]
    assert OrgUnit.objects.search("BỒ ĐỀ").count() == 1
    assert OrgUnit.objects.search("phuong").count() == 2
    assert OrgUnit.objects.search("").count() == 2


@pytest.mark.django_db
def test_search_text_follows_updates():
    unit = OrgUnit.objects.create(name="Phường Bồ Đề", kind=OrgUnit.Kind.WARD)
    unit.name = "Phường Việt Hưng"
    unit.save(update_fields=["name"])
    assert OrgUnit.objects.search("viet hung").get() == unit


@pytest.mark.django_db
def test_search_columns_have_trigram_indexes(django_db_blocker):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
    assert "accounts_orgunit" in definitions
    assert "accounts_user" in definitions
