"""The list filters' short lists (core.filters.ShortListFilter)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petitions.forms import PetitionFilter
from petitions.models import Category, Petition


@pytest.mark.django_db
def test_short_list_select_reads_its_options_with_one_plain_query(ward, make_user):
    category = Category.objects.order_by("position").last()
    user = make_user("clerk")
    filterset = PetitionFilter(
        {"category": category.pk}, queryset=Petition.objects.visible_to(user), user=user
    )
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        html = str(filterset.form["category"])
    assert len(queries) == 1 and queries[0]["sql"].startswith("SELECT")  # no server-side cursor
    assert f'<option value="{category.pk}" selected>{category.name}</option>' in html
    assert html.count("<option") == Category.objects.count() + 1  # and "Mọi lĩnh vực"
