"""Every admin page, given query strings a person could type or a stale link could carry
(`?team=NaN`, `?user=x`, huge numbers, a NUL byte), answers a page, never a server error
(issue 17 finding 6). The models are read from the admin site, so a new one is covered."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
IDS = [model._meta.label for model in REGISTERED]


def _bad_value(field) -> str:
    text = isinstance(field, models.CharField | models.TextField) and not field.choices
    return "a\x00b" if text else "NaN"


def _fields(model):
    return [field for field in model._meta.get_fields() if field.concrete]


@pytest.fixture
def admin_client(client, world):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    client.raise_request_exception = False  # count the 500s, do not stop at the first
    return client


def test_the_reported_add_pages_answer(admin_client):
    for url in [
        "/admin/teams/keyperson/add/?team=NaN",
        "/admin/teams/keyperson/add/?user=x",
        "/admin/teams/coordinatorappointment/add/?key_person=abc",
    ]:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_an_add_page_with_bad_initial_values_answers(admin_client, model):
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    except NoReverseMatch:
        pytest.skip("no add page")
    fields = _fields(model)
    # Each request sets every field at once: the page must drop what it cannot use.
    for query in [
        {field.name: _bad_value(field) for field in fields},
        {field.name: "99999999999999999999" for field in fields},
        {field.name: "1.5" for field in fields},
        {field.name: "a\x00b" for field in fields},
    ]:
        response = admin_client.get(url, query)
        assert response.status_code in (200, 403), (query, response.status_code)
    good = admin_client.get(url)
    assert good.status_code in (200, 403)


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_a_list_page_with_bad_filters_answers(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    failures = []
    queries = [{field.name: _bad_value(field)} for field in _fields(model)]
    queries += [
        {f"{field.name}__id__exact": "NaN"} for field in _fields(model) if field.is_relation
    ]
    queries += [{"o": "x.y"}, {"p": "-5"}, {"q": "a\x00b"}, {"id__in": "1,x"}]
    for query in queries:
        status = admin_client.get(url, query).status_code
        if status >= 500:
            failures.append((query, status))
    assert not failures


def test_the_admin_stores_names_without_invisible_characters(admin_client):
    from teams.models import Region

    response = admin_client.post(
        reverse("admin:teams_region_add"), {"name": "\u202eRegion\u200b Norr\x07"}
    )
    assert response.status_code == 302
    assert Region.objects.filter(name="Region Norr").exists()


def test_the_admin_adds_a_user_with_a_password(admin_client, world):
    from teams.models import User

    response = admin_client.post(
        reverse("admin:teams_user_add"),
        {
            "email": "ny@example.se",
            "full_name": "Ny\u200b Person",
            "organisation": world.school.pk,
            "password1": "ett-långt-lösenord-2026",
            "password2": "ett-långt-lösenord-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    user = User.objects.get(email="ny@example.se")
    assert user.full_name == "Ny Person"
    assert user.check_password("ett-långt-lösenord-2026")
