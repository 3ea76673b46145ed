"""A failure halfway through a multi-row write leaves nothing behind."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatusChange
from consent import services as consent_services
from consent.models import Consent
from teams import services as team_services
from teams.models import KeyPerson
from tests import factories as f

from .conftest import make_case

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _explode(*args, **kwargs):
    raise Boom


def test_consent_registration_failing_at_the_signatures_saves_no_consent(world, monkeypatch):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    monkeypatch.setattr(consent_services, "bulk_create_with_history", _explode)
    today = timezone.localdate()
    with pytest.raises(Boom):
        services.case_register_consent(
            case=case,
            registered_by=world.key_person,
            signed_guardian_ids={g.pk for g in case.guardians.all()},
            child_signed=True,
            signed_on=today,
            valid_until=today + datetime.timedelta(days=30),
            sectors=["school"],
        )
    assert not Consent.objects.exists()
    assert not Consent.history.exists()


def test_actualisation_failing_at_the_permissions_leaves_the_case_waiting(world, monkeypatch):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    today = timezone.localdate()
    services.case_register_consent(
        case=case,
        registered_by=world.key_person,
        signed_guardian_ids={g.pk for g in case.guardians.all()},
        child_signed=True,
        signed_on=today,
        valid_until=today + datetime.timedelta(days=30),
        sectors=["school"],
    )
    monkeypatch.setattr(services, "case_grant_team_access", _explode)
    with pytest.raises(Boom):
        services.case_actualise(
            case=case,
            by=world.key_person,
            team=world.team_a,
            concern_health=True,
            concern_learning=False,
            concern_safety=False,
            concern_reasons=[],
            family_description="Oro",
            child_voice="",
        )
    case = Case.objects.get(pk=case.pk)
    assert case.status == "awaiting_consent"
    assert case.team is None
    assert not CaseStatusChange.objects.filter(case=case, to_status="actualised").exists()


def test_appointing_a_key_person_failing_at_the_group_leaves_no_seat(world, monkeypatch):
    person = f.UserFactory(organisation=world.school)
    monkeypatch.setattr(team_services, "_sync_membership", _explode)
    with pytest.raises(Boom):
        team_services.key_person_appoint(
            appointed_by=world.manager,
            user=person,
            team=world.team_b,
            profession="special_teacher",
            active_from=timezone.localdate(),
        )
    assert not KeyPerson.objects.filter(user=person).exists()
    assert not KeyPerson.history.filter(user_id=person.pk).exists()
