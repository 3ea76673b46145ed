"""Bad input gets a clear message next to the field and leaves nothing half-saved."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services
from cases.models import Case, CaseStatusChange, Child
from cases.workflow import Status
from consent.models import Consent, ConsentSignature

from .conftest import make_case

pytestmark = pytest.mark.django_db

CHILD_POST = {
    "given_name": "Alva",
    "family_name": "Ek",
    "personal_number": "20140517-2386",
    "sex": "girl",
    "school_year": "åk 6",
    "home_languages": "arabiska",
    "submit_token": str(uuid.uuid4()),  # each test has its own database: one token will do
}


def test_an_invalid_personal_number_is_explained_and_nothing_is_saved(world, client):
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:start"), {**CHILD_POST, "personal_number": "20140517-2387"}
    )
    assert response.status_code == 200
    assert "inte ett giltigt personnummer" in response.content.decode()
    assert not Child.objects.exists()
    assert not Case.objects.exists()


def test_a_valid_personal_number_starts_a_draft_visible_to_the_initiator(world, client):
    client.force_login(world.key_person)
    response = client.post(reverse("cases:start"), CHILD_POST)
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.status == Status.DRAFT
    assert case.child.personal_number == "201405172386"
    assert case.child.birth_date == datetime.date(2014, 5, 17)


def test_a_child_already_in_reach_leads_to_the_existing_case(world, client):
    case = make_case(world)
    client.force_login(world.key_person_health)
    response = client.post(reverse("cases:start"), CHILD_POST)
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert Case.objects.count() == 1


def test_a_child_outside_reach_is_not_revealed(world, client):
    make_case(world)
    client.force_login(world.key_person_other_team)
    response = client.post(reverse("cases:start"), CHILD_POST)
    new_case = Case.objects.latest("pk")
    # A new draft of their own, for the same child record: nothing about the other case shows.
    assert response.url == reverse("cases:guardians", args=[new_case.pk])
    assert new_case.initiated_by == world.key_person_other_team
    assert Child.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "Amal" not in page


def test_a_missing_guardian_signature_makes_the_consent_invalid_and_says_who(world, client):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    amal = case.guardians.get(given_name="Amal")
    client.force_login(world.key_person)
    today = timezone.localdate()
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]),
        {
            "signed_guardians": [amal.pk],
            "signed_on": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
            "sectors": ["school", "health"],
            "family_language": "ar",
            "submit_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "Karim Ek (gemensam vårdnad) har inte skrivit under." in response.content.decode()
    assert not Consent.objects.exists()
    assert not ConsentSignature.objects.exists()


def _consent_post(case, **extra):
    today = timezone.localdate()
    return {
        "signed_guardians": [g.pk for g in case.guardians.all()],
        "signed_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=300)).isoformat(),
        "sectors": ["school"],
        "family_language": "sv",
        "child_signed": "on",
        "submit_token": str(uuid.uuid4()),
        **extra,
    }


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"),
            "måste vara en inskannad PDF, JPEG eller PNG",
        ),
        (
            SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "image/png"),
            "Bilden är skadad",
        ),
        (
            SimpleUploadedFile(
                "scan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "application/pdf"
            ),
            "Filen är för stor",
        ),
    ],
    ids=["fake-pdf", "broken-png", "oversized"],
)
def test_bad_scans_are_refused_with_a_message_and_nothing_saved(world, client, upload, message):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]), _consent_post(case, scan=upload)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


def test_a_real_scan_is_kept_and_served_only_to_those_who_see_the_case(world, client):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    client.force_login(world.key_person)
    scan = SimpleUploadedFile("Alva Ek samtycke.png", _png_bytes(), "image/png")
    client.post(reverse("cases:consent_register", args=[case.pk]), _consent_post(case, scan=scan))
    consent = Consent.objects.get()
    assert "Alva" not in consent.scan.name
    url = reverse("cases:consent_scan", args=[case.pk, consent.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.key_person_health)
    assert client.get(url).status_code == 404


def test_an_illegal_status_transition_is_refused_and_nothing_changes(world):
    case = make_case(world, actualise=False)
    with pytest.raises(Exception) as exc:
        services.case_transition(case=case, to_status=Status.PLAN_ACTIVE, by=world.key_person)
    assert "kan inte gå från ”Utkast” till ”Plan pågår”" in str(exc.value)
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    assert not CaseStatusChange.objects.filter(to_status=Status.PLAN_ACTIVE).exists()


def test_actualising_without_valid_consent_is_refused_with_a_message(world, client):
    case = make_case(world, actualise=False)
    services.case_consent_form_printed(case=case, by=world.key_person)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:actualise", args=[case.pk]),
        {"team": world.team_a.pk, "concern_health": "on", "family_description": "Oro."},
    )
    assert response.status_code == 200
    assert "inget giltigt samtycke" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CONSENT
    assert case.team is None


def test_every_status_change_is_recorded_with_who(world):
    case = make_case(world)
    changes = list(case.status_changes.values_list("to_status", "changed_by"))
    assert changes == [
        (Status.AWAITING_CONSENT, world.key_person.pk),
        (Status.ACTUALISED, world.key_person.pk),
    ]
    assert case.history.count() >= 3


def test_closing_needs_a_reason_and_records_it(world):
    case = make_case(world)
    with pytest.raises(Exception) as exc:
        services.case_transition(case=case, to_status=Status.CLOSED, by=world.key_person)
    assert "Välj varför ärendet avslutas" in str(exc.value)
    case.refresh_from_db()
    assert case.status == Status.ACTUALISED
    services.case_transition(
        case=case, to_status=Status.CLOSED, by=world.key_person, closing_reason="moved"
    )
    case.refresh_from_db()
    assert (case.status, case.closing_reason) == (Status.CLOSED, "moved")
    assert case.closed_at is not None
