"""The consent rules (issue 13, findings 2–4): withdrawal ends every consent in force, joint
custody needs both guardians, and one configured longest validity."""

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from cases.models import Guardian
from cases.workflow import Status
from consent.models import Consent
from tests import factories as f

from .conftest import make_case

pytestmark = pytest.mark.django_db


def _consent_post(case, **extra):
    today = timezone.localdate()
    return {
        "signed_guardians": [g.pk for g in case.guardians.all()],
        "child_signed": "on",
        "signed_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "sectors": ["school", "health"],
        "family_language": "sv",
        "submit_token": str(uuid.uuid4()),
        **extra,
    }


def _one_joint_guardian_case(world):
    case = make_case(world, actualise=False)
    Guardian.objects.filter(case=case, given_name="Karim").delete()
    return case


# --- 2: withdrawal ----------------------------------------------------------------------


def test_withdrawal_ends_the_renewed_and_the_older_consent(world, client):
    case = make_case(world)
    today = timezone.localdate()
    Consent.objects.filter(case=case).update(signed_on=today - datetime.timedelta(days=200))
    services.case_register_consent(  # renewed, both in force
        case=case,
        registered_by=world.key_person,
        signed_guardian_ids={g.pk for g in case.guardians.all()},
        child_signed=True,
        signed_on=today,
        valid_until=today + datetime.timedelta(days=200),
        sectors=["school", "health"],
    )
    assert Consent.objects.filter(case=case, withdrawn_on=None).count() == 2
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:consent_withdraw", args=[case.pk]),
        {"withdrawn_on": today.isoformat(), "told_by": "Amal Ek"},
    )
    assert response.status_code == 302
    assert not Consent.objects.filter(case=case, withdrawn_on=None).exists()
    assert Consent.objects.filter(case=case, withdrawn_on=today).count() == 2
    client.force_login(world.key_person_health)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Alva" not in page  # only the notice that consent has ended


def test_withdrawal_without_a_consent_in_force_that_day_says_so(world, client):
    case = make_case(world)
    client.force_login(world.key_person)
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    response = client.post(
        reverse("cases:consent_withdraw", args=[case.pk]),
        {"withdrawn_on": long_ago.isoformat(), "told_by": "Amal Ek"},
    )
    assert response.status_code == 200
    assert "inget samtycke som gällde den dagen" in response.content.decode()


# --- 3: joint custody -------------------------------------------------------------------


def test_joint_custody_with_one_guardian_on_record_gets_no_consent(world, client):
    case = _one_joint_guardian_case(world)
    client.force_login(world.key_person)
    response = client.post(reverse("cases:consent_register", args=[case.pk]), _consent_post(case))
    assert response.status_code == 200
    assert "registrera även den andra vårdnadshavaren" in response.content.decode()
    assert not Consent.objects.exists()


def test_joint_custody_with_one_guardian_cannot_be_actualised(world, client):
    case = _one_joint_guardian_case(world)
    services.case_consent_form_printed(case=case, by=world.key_person)
    # A consent registered before the rule (one signature) does not let the case through.
    consent = f.ConsentFactory(case=case, covers_school=True, registered_by=world.key_person)
    consent.signatures.create(guardian=case.guardians.get())
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:actualise", args=[case.pk]),
        {
            "team": world.team_a.pk,
            "concern_health": "on",
            "family_description": "Alva sover dåligt.",
        },
    )
    assert response.status_code == 200
    assert "registrera även den andra vårdnadshavaren" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CONSENT and case.team is None


def test_no_guardian_is_added_after_the_consent_is_registered(world):
    case = make_case(world, actualise=False)
    f.ConsentFactory(case=case, covers_school=True, registered_by=world.key_person)
    Guardian.objects.filter(case=case, given_name="Karim").delete()
    with pytest.raises(Exception, match="före samtycket|before the consent"):
        services.guardian_add(
            case=case,
            added_by=world.key_person,
            data={
                "given_name": "Karim",
                "family_name": "Ek",
                "relation": "parent",
                "custody": "joint",
            },
        )


def test_the_printed_form_has_both_guardians_signature_blocks(world, client):
    case = _one_joint_guardian_case(world)
    client.force_login(world.key_person)
    response = client.get(
        reverse("cases:consent_print", args=[case.pk]),
        {"language": "sv", "sectors": ["school", "health"]},
    )
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert text.count("Vårdnadshavare") == 2  # Amal's block and a block for the other parent
    assert text.count("Underskrift") == 3  # two guardians and the child (12)


# --- 4: the longest validity -------------------------------------------------------------


def test_a_consent_for_five_years_is_refused(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    today = timezone.localdate()
    five_years = today.replace(year=today.year + 5)
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]),
        _consent_post(case, valid_until=five_years.isoformat()),
    )
    assert response.status_code == 200
    assert "längst 12 månader" in response.content.decode()
    assert not Consent.objects.exists()


def test_the_longest_validity_is_one_setting_for_the_rule_and_the_form(world, client, settings):
    from consent.models import consent_longest_end

    settings.CONSENT_MAX_MONTHS = 6
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    signed = datetime.date(2026, 1, 31)
    assert consent_longest_end(signed) == datetime.date(2026, 7, 30)
    url = reverse("cases:consent_register", args=[case.pk])
    today = timezone.localdate()
    too_long = consent_longest_end(today) + datetime.timedelta(days=1)
    assert (
        client.post(url, _consent_post(case, valid_until=too_long.isoformat())).status_code == 200
    )
    assert not Consent.objects.exists()
    longest = consent_longest_end(today).isoformat()
    assert client.post(url, _consent_post(case, valid_until=longest)).status_code == 302
    pdf = client.get(
        reverse("cases:consent_print", args=[case.pk]), {"language": "fi", "sectors": ["school"]}
    ).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "längst 6 månader" in text and "enintään 6 kuukautta" in text


def test_registering_warns_about_a_child_of_twelve_who_has_not_signed(world, client):
    case = make_case(world, actualise=False)  # Alva, born 2014-05-17
    client.force_login(world.key_person)
    url = reverse("cases:consent_register", args=[case.pk])
    data = _consent_post(case)
    del data["child_signed"]
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "har inte skrivit under" in page and 'type="checkbox" name="confirm_warnings"' in page
    assert not Consent.objects.exists()
    response = client.post(url, {**data, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert Consent.objects.get().child_signed is False


def test_registering_warns_about_an_end_date_already_passed(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    today = timezone.localdate()
    data = _consent_post(
        case,
        signed_on=(today - datetime.timedelta(days=60)).isoformat(),
        valid_until=(today - datetime.timedelta(days=1)).isoformat(),
    )
    response = client.post(reverse("cases:consent_register", args=[case.pk]), data)
    assert "har redan passerat" in response.content.decode()
    assert not Consent.objects.exists()
