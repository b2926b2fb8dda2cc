"""The list rows' helpers (core/templatetags/ui.py): the one-line preview filter (clip) and
the rows' links (row_url), and the dates (dmy)."""

import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

from core.templatetags.ui import clip


def test_short_text_is_left_whole():
    assert clip("Đường ngõ 12 bị ngập", 140) == "Đường ngõ 12 bị ngập"
    assert clip("", 10) == ""
    assert clip(None, 10) == ""


def test_long_text_is_cut_to_the_length_with_an_ellipsis():
    text = "Đề nghị phường sớm giải quyết dứt điểm tình trạng lấn chiếm vỉa hè " * 3
    clipped = clip(text, 60)
    assert len(clipped) <= 60
    assert clipped.endswith("…")
    assert text.startswith(clipped[:-1])
    assert not clipped[:-1].endswith(" ")  # no space before the ellipsis


def test_a_combining_mark_is_never_left_without_its_letter():
    text = "đất đai lấn chiếm " * 5
    decomposed = unicodedata.normalize("NFD", text)  # "ấ" is a + two combining marks
    for length in range(2, 40):
        kept = clip(decomposed, length)[:-1]
        # Cut between letters: the kept part, recomposed, is the start of the recomposed text.
        assert text.startswith(unicodedata.normalize("NFC", kept)), (length, kept)


def test_output_is_escaped_in_templates():
    rendered = Template("{% load ui %}{{ text|clip:20 }}").render(Context({"text": "<b>x</b> & y"}))
    assert rendered == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_row_url_is_the_url_tags_answer_reversed_once_a_render(monkeypatch):
    # The rows of a list: {% url %} reverses the pattern for every row; row_url once a render.
    from django.urls import reverse

    from core.templatetags import ui

    calls = []
    monkeypatch.setattr(ui, "reverse", lambda *args, **kwargs: calls.append(args) or reverse(*args, **kwargs))
    keys = [1, 42, 918273, 12345678901]
    rows = Template(
        "{% load ui %}{% for key in keys %}{% row_url 'petitions:detail' key %} {% endfor %}"
    ).render(Context({"keys": keys}))
    urls = "{% for key in keys %}{% url 'petitions:detail' key %} {% endfor %}"
    assert rows == Template(urls).render(Context({"keys": keys}))
    assert len(calls) == 1


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 1, 5),
        date(999, 12, 31),  # Django's Y pads to four digits: so does dmy
        datetime(2026, 3, 9, 8, 30),
        # Aware, 31/12 20:00 UTC: 01/01 03:00 in Hà Nội, the day the page must show.
        datetime(2025, 12, 31, 20, 0, tzinfo=UTC),
        None,
        "",
        "not a date",
    ],
)
def test_dmy_writes_what_djangos_date_filter_writes(value):
    context = Context({"value": value})
    with timezone.override("Asia/Ho_Chi_Minh"):
        ours = Template("{% load ui %}{{ value|dmy }}").render(context)
        djangos = Template('{{ value|date:"d/m/Y" }}').render(context)
    assert ours == djangos


def test_no_template_formats_a_date_the_slow_way():
    """Every page writes dd/mm/yyyy with |dmy (see its docstring), so that a page added later
    does not bring the slow filter back into a list's rows."""
    templates = Path(settings.BASE_DIR) / "templates"
    slow = [
        str(path.relative_to(templates))
        for path in sorted(templates.rglob("*"))
        if path.is_file() and '|date:"d/m/Y"' in path.read_text(encoding="utf-8")
    ]
    assert slow == []
