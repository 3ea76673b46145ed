"""Idempotent creates (issue 17, finding 1): a form sent twice — double click, the browser's
"send again" — creates one row and shows it (hlt.idempotency)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Child, Guardian
from consent.models import Consent, ConsentSignature

from .conftest import make_case

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


def _hidden_fields(client, url) -> dict:
    """What the browser sends with the form besides the typed fields."""
    page = client.get(url).content.decode()
    return {name: value for name, value in HIDDEN.findall(page) if name != "csrfmiddlewaretoken"}


def _twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data)
    return first, second


def test_guardian_form_sent_twice_stores_one_guardian(world, client):
    case = make_case(world, actualise=False)
    url = reverse("cases:guardians", args=[case.pk])
    client.force_login(world.key_person)
    data = {
        **_hidden_fields(client, url),
        "given_name": "Nour",
        "family_name": "Ek",
        "relation": "appointed",
        "custody": "joint",
        "preferred_language": "sv",
    }
    Guardian.objects.filter(case=case, given_name="Karim").delete()
    first, second = _twice(client, url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == url  # the second submit shows the guardians, the new one among them
    assert Guardian.objects.filter(case=case, given_name="Nour").count() == 1
    assert "redan skickat" in client.get(url).content.decode()


def test_consent_form_sent_twice_stores_one_consent(world, client):
    case = make_case(world, actualise=False)
    url = reverse("cases:consent_register", args=[case.pk])
    client.force_login(world.key_person)
    today = timezone.localdate()
    data = {
        **_hidden_fields(client, url),
        "signed_guardians": [g.pk for g in case.guardians.all()],
        "signed_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "sectors": ["school"],
        "family_language": "sv",
        "child_signed": "on",
    }
    first, second = _twice(client, url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Consent.objects.filter(case=case).count() == 1
    assert ConsentSignature.objects.count() == 2


def test_start_form_sent_twice_starts_one_case(world, client):
    url = reverse("cases:start")
    client.force_login(world.key_person)
    data = {
        **_hidden_fields(client, url),
        "given_name": "Alva",
        "family_name": "Ek",
        "reserve_number": "RES-77",
        "birth_date": "2015-03-02",
        "sex": "girl",
    }
    first, second = _twice(client, url, data)
    assert first.status_code == second.status_code == 302
    case = Case.objects.get()
    assert first.url == second.url == reverse("cases:guardians", args=[case.pk])
    assert Child.objects.count() == 1


def test_a_form_without_its_token_is_refused_and_comes_back_ready_to_send(world, client):
    case = make_case(world, actualise=False)
    url = reverse("cases:guardians", args=[case.pk])
    Guardian.objects.filter(case=case, given_name="Karim").delete()
    client.force_login(world.key_person)
    typed = {
        "given_name": "Nour",
        "family_name": "Ek",
        "relation": "appointed",
        "custody": "joint",
        "preferred_language": "sv",
    }
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Formuläret hade gått ut" in page and 'value="Nour"' in page
    assert not Guardian.objects.filter(given_name="Nour").exists()
    fresh = dict(HIDDEN.findall(page))["submit_token"]
    assert client.post(url, {**typed, "submit_token": fresh}).status_code == 302
    assert Guardian.objects.filter(given_name="Nour").count() == 1


def test_a_failed_create_does_not_use_up_the_token(world, client):
    url = reverse("cases:start")
    client.force_login(world.key_person)
    data = {**_hidden_fields(client, url), "given_name": "Alva", "family_name": "Ek", "sex": "girl"}
    assert client.post(url, {**data, "personal_number": "20140517-2387"}).status_code == 200
    response = client.post(url, {**data, "personal_number": "20140517-2386"})
    assert response.status_code == 302
    assert Case.objects.count() == 1
