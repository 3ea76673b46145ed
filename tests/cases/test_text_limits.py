"""One limit per kind of text (issue 17 finding 10): the family's description and the child's
voice take what the SIP plan they start can hold, in the form, the service and the model."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.workflow import Status
from hlt.text import LONG_TEXT
from sip.models import Plan

from .conftest import make_case

pytestmark = pytest.mark.django_db


def consented_case(world):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    today = timezone.localdate()
    services.case_register_consent(
        case=case,
        registered_by=world.key_person,
        signed_guardian_ids={g.pk for g in case.guardians.all()},
        child_signed=True,
        signed_on=today,
        valid_until=today + datetime.timedelta(days=300),
        sectors=["school", "health"],
        family_language="sv",
    )
    return case


def test_a_million_character_description_is_refused_next_to_the_field(world, client):
    case = consented_case(world)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:actualise", args=[case.pk]),
        {
            "team": world.team_a.pk,
            "concern_health": "on",
            "family_description": "x" * 1_000_000,
            "child_voice": "y" * (LONG_TEXT + 1),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(f"som mest {LONG_TEXT} tecken") >= 2
    assert len(page) < 2_100_000  # the typed text comes back once, in its field
    case.refresh_from_db()
    assert case.status != Status.ACTUALISED and case.family_description == ""


def test_the_service_refuses_what_the_form_would(world):
    case = consented_case(world)
    with pytest.raises(ValidationError) as exc:
        services.case_actualise(
            case=case,
            by=world.key_person,
            team=world.team_a,
            concern_health=True,
            concern_learning=False,
            concern_safety=False,
            concern_reasons=[],
            family_description="x" * (LONG_TEXT + 1),
            child_voice="",
        )
    assert set(exc.value.message_dict) == {"family_description"}
    assert Case.objects.get(pk=case.pk).family_description == ""


def test_a_text_at_the_limit_is_kept_and_fits_the_plan(world):
    case = consented_case(world)
    text = "å" * LONG_TEXT
    services.case_actualise(
        case=case,
        by=world.key_person,
        team=world.team_a,
        concern_health=True,
        concern_learning=False,
        concern_safety=False,
        concern_reasons=[],
        family_description=text,
        child_voice=text,
    )
    assert Case.objects.get(pk=case.pk).family_description == text


def test_the_case_and_the_plan_share_one_limit():
    from cases.forms import ActualiseForm
    from sip.forms import PlanForm

    limits = {
        Case._meta.get_field("family_description").max_length,
        Case._meta.get_field("child_voice").max_length,
        Plan._meta.get_field("needs").max_length,
        Plan._meta.get_field("child_view").max_length,
        ActualiseForm.base_fields["family_description"].max_length,
        ActualiseForm.base_fields["child_voice"].max_length,
        PlanForm.base_fields["needs"].max_length,
        PlanForm.base_fields["child_view"].max_length,
    }
    assert limits == {LONG_TEXT}
