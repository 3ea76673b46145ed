"""Many submits at once against the live server on PostgreSQL (issue 17, findings 1 and 2):
exactly one row, and no server error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Guardian
from consent.models import Consent
from tests.concurrency import Browser, at_once

from .conftest import make_case

pytestmark = pytest.mark.django_db(transaction=True)

TABS = 4


def test_add_guardian_clicked_four_times_at_once_stores_one(world, live_server):
    case = make_case(world, actualise=False)
    Guardian.objects.filter(case=case, given_name="Karim").delete()
    path = reverse("cases:guardians", args=[case.pk])
    tab = Browser(live_server.url, world.key_person)
    data = {
        **tab.form_fields(path),
        "given_name": "Nour",
        "family_name": "Ek",
        "relation": "appointed",
        "custody": "joint",
        "preferred_language": "sv",
    }
    statuses = at_once([lambda: tab.post(path, data)] * TABS)
    assert statuses == [302] * TABS
    assert Guardian.objects.filter(case=case, given_name="Nour").count() == 1


def test_register_consent_clicked_four_times_at_once_stores_one(world, live_server):
    case = make_case(world, actualise=False)
    path = reverse("cases:consent_register", args=[case.pk])
    tab = Browser(live_server.url, world.key_person)
    today = timezone.localdate()
    data = {
        **tab.form_fields(path),
        "signed_guardians": [g.pk for g in case.guardians.all()],
        "signed_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "sectors": ["school"],
        "family_language": "sv",
        "child_signed": "on",
    }
    statuses = at_once([lambda: tab.post(path, data)] * TABS)
    assert statuses == [302] * TABS
    assert Consent.objects.filter(case=case).count() == 1
