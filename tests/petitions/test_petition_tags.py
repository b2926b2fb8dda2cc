"""The outcome badge tag: the markup the included template wrote, escaped."""

from django.template import Context, Template

from petitions.models import Petition


def test_outcome_badge_writes_the_outcome_and_its_label():
    petition = Petition(outcome=Petition.Outcome.ANSWERED)
    html = Template("{% load petition_tags %}{% outcome_badge petition %}").render(
        Context({"petition": petition})
    )
    assert html == f'<span class="badge outcome-answered">{petition.get_outcome_display()}</span>'


def test_outcome_badge_escapes_what_it_writes():
    petition = Petition(outcome='<b>"x"')
    html = Template("{% load petition_tags %}{% outcome_badge petition %}").render(
        Context({"petition": petition})
    )
    assert "<b>" not in html and "&lt;b&gt;&quot;x&quot;" in html
