"""Starting a case with the number of a child already registered (issue 13, finding 1;
issue 17, finding 2): the new case links to the same child, never changes it, never shows
what others entered, and there is never a second child for one number."""

import datetime
import uuid

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, Child
from tests.concurrency import Browser, at_once

from .conftest import make_case

# The existing child is Alva Ek, 201405172386, Solenskolan åk 6 (tests/cases/conftest.py).
TYPED = {
    "given_name": "Påhittad",
    "family_name": "Person",
    "personal_number": "20140517-2386",
    "sex": "boy",
    "school_year": "åk 2",
    "home_languages": "finska",
}


def _protected_case(world):
    case = make_case(world)
    services.child_protected_identity_set(case=case, protected=True, by=world.key_person)
    return case


def _start(client, user, data):
    client.force_login(user)
    return client.post(reverse("cases:start"), {**data, "submit_token": str(uuid.uuid4())})


@pytest.mark.django_db
def test_another_teams_coordinator_cannot_rename_or_unprotect_a_child(world, client):
    case = _protected_case(world)
    kramfors = world.key_person_other_team
    response = _start(client, kramfors, TYPED)
    assert response.status_code == 302
    new_case = Case.objects.exclude(pk=case.pk).get()
    assert new_case.child_id == case.child_id  # linked to the same child
    assert Child.objects.count() == 1
    child = Child.objects.get()
    assert (child.given_name, child.family_name, child.protected_identity) == ("Alva", "Ek", True)
    assert child.sex == "girl" and child.school == world.school and child.school_year == "åk 6"
    assert not Child.history.filter(history_change_reason="registered again").exists()


@pytest.mark.django_db
def test_the_new_case_shows_only_what_its_initiator_typed(world, client):
    case = _protected_case(world)
    _start(client, world.key_person_other_team, TYPED)
    new_case = Case.objects.exclude(pk=case.pk).get()
    for url in (
        reverse("cases:detail", args=[new_case.pk]),
        reverse("cases:guardians", args=[new_case.pk]),
        reverse("cases:list"),
    ):
        page = client.get(url).content.decode()
        assert "Påhittad Person" in page, url
        # Nothing the other case registered: name, school, guardians, the protected mark.
        for secret in ("Alva", "Solenskolan", "åk 6", "Amal", "arabiska", "Barnet har skyddade"):
            assert secret not in page, (url, secret)


@pytest.mark.django_db
def test_the_new_cases_timeline_shows_only_its_own_history(world, client):
    case = _protected_case(world)
    _start(client, world.key_person_other_team, TYPED)
    new_case = Case.objects.exclude(pk=case.pk).get()
    page = client.get(reverse("cases:history", args=[new_case.pk])).content.decode()
    timeline = page[page.index("timeline") :]
    for secret in ("Alva", "2014-05-17", "Solenskolan", "Kim Skola"):
        assert secret not in timeline, secret


@pytest.mark.django_db
def test_the_existing_case_still_masks_the_child_for_people_not_named(world, client):
    case = _protected_case(world)
    _start(client, world.key_person_other_team, TYPED)
    client.force_login(world.key_person_health)  # sees the case, not named on it
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Alva" not in page and "Påhittad" not in page


@pytest.mark.django_db
def test_a_child_outside_the_users_consent_scope_is_linked_not_changed(world, client):
    case = make_case(world, sectors=("school", "health"))
    response = _start(client, world.key_person_social, TYPED)  # team_a, but social
    new_case = Case.objects.exclude(pk=case.pk).get()
    assert response.url == reverse("cases:guardians", args=[new_case.pk])
    assert Child.objects.get().given_name == "Alva"
    page = client.get(reverse("cases:detail", args=[new_case.pk])).content.decode()
    assert "Påhittad Person" in page and "Alva" not in page


@pytest.mark.django_db
def test_a_linked_case_marks_protection_for_itself_only(world, client):
    case = make_case(world)
    _start(client, world.key_person_other_team, {**TYPED, "protected_identity": "on"})
    new_case = Case.objects.exclude(pk=case.pk).get()
    assert new_case.identity_is_protected
    assert not Child.objects.get().protected_identity  # the other case is not changed
    services.child_protected_identity_set(
        case=new_case, protected=False, by=world.key_person_other_team
    )
    new_case.refresh_from_db()
    assert not new_case.identity_is_protected


@pytest.mark.django_db
def test_a_reserve_number_with_another_birth_date_is_linked_without_revealing(world, client):
    data = {**TYPED, "personal_number": "", "reserve_number": "DEMO-005"}
    _start(client, world.key_person, {**data, "birth_date": "2016-02-03"})
    _start(client, world.key_person_other_team, {**data, "birth_date": "2017-08-09"})
    assert Child.objects.count() == 1
    assert Child.objects.get().birth_date == datetime.date(2016, 2, 3)
    other = Case.objects.get(initiated_by=world.key_person_other_team)
    page = client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    assert "2017-08-09" in page and "2016-02-03" not in page


@pytest.mark.django_db(transaction=True)
def test_four_tabs_starting_the_same_new_number_make_one_child_and_one_case(world, live_server):
    path = reverse("cases:start")
    tabs = [Browser(live_server.url, world.key_person) for _ in range(4)]
    forms = [{**tab.form_fields(path), **TYPED} for tab in tabs]
    statuses = at_once(
        [
            lambda tab=tab, form=form: tab.post(path, form)
            for tab, form in zip(tabs, forms, strict=True)
        ]
    )
    assert all(status == 302 for status in statuses), statuses
    assert Child.objects.count() == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_four_people_starting_the_same_new_number_at_once_share_one_child(world, live_server):
    path = reverse("cases:start")
    people = [world.key_person, world.key_person_health, world.key_person_social, world.staff]
    tabs = [Browser(live_server.url, person) for person in people]
    forms = [{**tab.form_fields(path), **TYPED} for tab in tabs]
    statuses = at_once(
        [
            lambda tab=tab, form=form: tab.post(path, form)
            for tab, form in zip(tabs, forms, strict=True)
        ]
    )
    assert all(status == 302 for status in statuses), statuses
    assert Child.objects.count() == 1
    assert Case.objects.count() == 4  # each their own draft, each seeing only their own
