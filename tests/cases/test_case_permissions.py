"""The confidentiality rules as a table: every case view × every persona × expected status.

The case is started by `key_person` (school) in team A and the consent covers school and
health: key persons of those sectors in team A see it, social services and other teams don't.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services

from .conftest import make_case

pytestmark = pytest.mark.django_db

PERSONAS = [
    "key_person",
    "coordinator",
    "key_person_health",
    "key_person_social",
    "key_person_other_team",
    "manager",
    "process_leader",
    "staff",
    "outsider",
]
SEES_ACTUALISED = {"key_person", "coordinator", "key_person_health"}
CASE_VIEWS = [
    "detail",
    "guardians",
    "consent_print",
    "consent_register",
    "consent_withdraw",
    "actualise",
]


def _status(persona, sees):
    return 200 if persona in sees else 404


@pytest.mark.parametrize("view", CASE_VIEWS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_actualised_case(world, client, view, persona):
    case = make_case(world)
    client.force_login(getattr(world, persona))
    response = client.get(reverse(f"cases:{view}", args=[case.pk]))
    expected = _status(persona, SEES_ACTUALISED)
    if view == "actualise" and expected == 200:
        expected = 302  # already actualised: sent back to the case
    assert response.status_code == expected


@pytest.mark.parametrize("view", CASE_VIEWS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_is_visible_to_its_initiator_only(world, client, view, persona):
    case = make_case(world, actualise=False)
    client.force_login(getattr(world, persona))
    response = client.get(reverse(f"cases:{view}", args=[case.pk]))
    expected = 200 if persona == "key_person" else 404
    if view == "actualise" and expected == 200:
        expected = 302  # a draft is actualised only once it awaits consent
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_after_withdrawal_only_the_notice_remains(world, client, persona):
    case = make_case(world)
    services.case_withdraw_consent(
        case=case, by=world.key_person, withdrawn_on=timezone.localdate(), told_by="Amal Ek"
    )
    client.force_login(getattr(world, persona))
    response = client.get(reverse("cases:detail", args=[case.pk]))
    if persona in SEES_ACTUALISED:
        assert response.status_code == 200
        page = response.content.decode()
        assert "återkallade" in page
        assert "Alva" not in page
    else:
        assert response.status_code == 404
    for view in ["guardians", "consent_print", "consent_withdraw"]:
        assert client.get(reverse(f"cases:{view}", args=[case.pk])).status_code == 404


def test_expired_consent_stops_sharing_without_any_job(world, client):
    case = make_case(world)
    case.consents.update(
        signed_on=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(world.key_person_health)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Samtycket upphörde" in page
    assert "Alva" not in page


def test_leaving_the_team_ends_access(world, client):
    from teams.models import KeyPerson
    from teams.services import key_person_end

    case = make_case(world)
    health_manager = (
        __import__("tests.factories", fromlist=["x"])
        .ManagerFactory(user__organisation=world.health)
        .user
    )
    key_person_end(
        ended_by=health_manager,
        key_person=KeyPerson.objects.get(user=world.key_person_health),
        active_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    client.force_login(world.key_person_health)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "count"),
    [
        ("key_person", 3),
        ("key_person_health", 3),
        ("key_person_social", 0),
        ("key_person_other_team", 0),
        ("process_leader", 0),
        ("outsider", 0),
    ],
)
def test_lists_show_only_what_the_user_may_see_in_constant_queries(
    world, client, persona, count, django_assert_max_num_queries
):
    for _ in range(3):
        case = make_case(world)
        # Each case needs its own child: give the next one another number.
        case.child.personal_number = None
        case.child.reserve_number = f"R-{case.pk}"
        case.child.save()
    client.force_login(getattr(world, persona))
    # Constant: session, user, permissions, the cases, the log INSERT, the session save,
    # and for the search form the teams and people to filter by and the pages' count.
    with django_assert_max_num_queries(13):
        page = client.get(reverse("cases:list")).content.decode()
    assert page.count("Alva Ek") == count


def test_team_case_list_is_for_the_teams_key_persons(world, client):
    make_case(world)
    url = reverse("cases:team", args=[world.team_a.pk])
    client.force_login(world.key_person_health)
    assert "Alva Ek" in client.get(url).content.decode()
    client.force_login(world.key_person_other_team)
    assert client.get(url).status_code == 404
    client.force_login(world.process_leader)
    assert client.get(url).status_code == 404


def test_administrators_see_no_child(world, client):
    from tests.factories import UserFactory

    case = make_case(world)
    admin = UserFactory(organisation=None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
