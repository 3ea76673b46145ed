"""The error summary (GOV.UK pattern) on every form: at the top, focused, each message a
link to its field (issue 16 item 4)."""

import re
from pathlib import Path

from django import forms
from django.urls import reverse

from teams.templatetags.form_tags import error_items

ROOT = Path(__file__).resolve().parent.parent


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)


def test_each_error_links_to_its_field():
    form = _Form(data={})
    form.add_error(None, "Something else")
    items = error_items(form)
    assert ("", "Something else") in items
    assert ("id_name", "Name: Detta fält måste fyllas i.") in items
    assert ("id_kind_0", "Kind: Detta fält måste fyllas i.") in items  # the first option
    assert error_items(_Form()) == []  # an unbound form has nothing to say


def test_every_template_with_form_fields_shows_the_error_summary():
    missing = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"as_field_group|\{\{ *form\b|for field in", text) and not re.search(
            r"form_errors|error_summary", text
        ):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, missing


def test_a_failed_login_shows_the_summary_first(client, world):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    page = response.content.decode()
    assert "data-error-summary" in page
    assert page.index("data-error-summary") < page.index('name="password"')
    assert 'href="#id_username"' in page
