"""A protected-identity child's name appears nowhere for a user not named on the case."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from cases import services

from .conftest import make_case

pytestmark = pytest.mark.django_db

SECRETS = ["Alva", "201405172386", "20140517", "Amal", "Karim"]


@pytest.fixture
def protected_case(world):
    case = make_case(world)
    services.child_protected_identity_set(case=case, protected=True, by=world.key_person)
    return case


def _urls(world, case):
    return [
        reverse("cases:list"),
        reverse("cases:team", args=[world.team_a.pk]),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:guardians", args=[case.pk]),
        reverse("cases:consent_print", args=[case.pk]),
        reverse("cases:consent_register", args=[case.pk]),
        reverse("cases:consent_withdraw", args=[case.pk]),
        reverse("teams:start"),
        reverse("teams:team_detail", args=[world.team_a.pk]),
    ]


def test_no_page_or_pdf_names_the_child_for_someone_not_named(world, client, protected_case):
    client.force_login(world.key_person_health)  # sees the case, is not named on it
    for url in _urls(world, protected_case):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in SECRETS:
            assert secret not in page, (url, secret)
    pdf = client.get(
        reverse("cases:consent_print", args=[protected_case.pk]),
        {"language": "ar", "sectors": ["school", "health"]},
    ).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for secret in ["Alva", "Amal", "Karim"]:
        assert secret not in text
    assert f"ärende {protected_case.pk}" in text


def test_the_log_review_shows_no_name_either(world, client, protected_case):
    client.force_login(world.key_person)
    client.get(reverse("cases:detail", args=[protected_case.pk]))
    client.force_login(world.manager)
    page = client.get(reverse("audit:list")).content.decode()
    for secret in SECRETS:
        assert secret not in page


def test_named_people_see_the_identity(world, client, protected_case):
    client.force_login(world.key_person)  # the initiator is named
    page = client.get(reverse("cases:detail", args=[protected_case.pk])).content.decode()
    assert "Alva Ek" in page
    assert "Amal Ek" in page
    services.case_name_person(
        case=protected_case, person=world.key_person_health, by=world.key_person
    )
    client.force_login(world.key_person_health)
    assert (
        "Alva Ek" in client.get(reverse("cases:detail", args=[protected_case.pk])).content.decode()
    )


def test_a_protected_guardian_is_masked_on_its_own(world, client):
    case = make_case(world)
    amal = case.guardians.get(given_name="Amal")
    amal.protected_identity = True
    amal.save()
    client.force_login(world.key_person_health)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Alva Ek" in page
    assert "Amal" not in page
    assert "Karim Ek" in page


def test_the_address_is_never_shown(world, client):
    case = make_case(world)
    karim = case.guardians.get(given_name="Karim")
    karim.address = "Hemliga gatan 7"
    karim.save()
    karim.address = "Nya vägen 1"
    karim.save()
    client.force_login(world.key_person)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Hemliga gatan" not in page and "Nya vägen" not in page


def test_removing_the_flag_is_logged_with_who(world, protected_case):
    services.child_protected_identity_set(case=protected_case, protected=False, by=world.key_person)
    latest = protected_case.child.history.first()
    assert latest.history_change_reason == "protected identity removed"
    assert latest.protected_identity is False


def test_only_named_people_may_change_the_flag(world, client, protected_case):
    with pytest.raises(PermissionDenied):
        services.child_protected_identity_set(
            case=protected_case, protected=False, by=world.key_person_health
        )
    client.force_login(world.key_person_health)
    response = client.post(
        reverse("cases:protected_identity", args=[protected_case.pk]), {"protected": "0"}
    )
    assert response.status_code == 403
    protected_case.child.refresh_from_db()
    assert protected_case.child.protected_identity
