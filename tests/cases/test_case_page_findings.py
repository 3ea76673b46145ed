"""Issue 16 findings on the case page, each failing on a52b68d: raw values and UTC
microseconds in "what changed", the protected-identity section twice, no case number."""

import re

import pytest
from django.urls import reverse

from .conftest import make_case

pytestmark = pytest.mark.django_db


def detail(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_shows_no_python_lists_or_utc_microseconds(world, login):
    case = make_case(world)
    html = detail(login(world.key_person), case)
    assert "[]" not in html and "['" not in html
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", html) and "+00:00" not in html


def test_the_protected_identity_section_is_on_the_case_page_once(world, login):
    case = make_case(world)  # the initiator is named on the case
    html = detail(login(world.key_person), case)
    assert html.count(reverse("cases:protected_identity", args=[case.pk])) == 1


def test_the_case_page_shows_the_case_number(world, login):
    case = make_case(world)
    assert f"Ärende {case.pk}" in detail(login(world.key_person_health), case)
