"""The statistics filter writes its fields in Python (StatisticsFilterForm.fields_html): the
same markup as Django's field template, in both languages, with and without errors."""

import pytest
from django.utils import translation

from reports.forms import StatisticsFilterForm
from teams.models import Team, Term

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(
    "data",
    [None, {"municipality": "", "team": ""}, {"term": "abc", "team": "999999"}, {"team": "x"}],
)
def test_the_fields_are_what_django_template_writes(world, language, data):
    current = Term.objects.current()
    Term.objects.back_from(current, 3, ensure=True)
    with translation.override(language):
        form = StatisticsFilterForm(data, teams=Team.objects.all(), term=current)
        form.is_valid()
        assert len(form.fields) == 3  # the region's teams: term, municipality and team
        assert form.fields_html() == "".join(field.as_field_group() for field in form)
