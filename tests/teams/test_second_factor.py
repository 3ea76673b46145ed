"""A password user without a verified second factor cannot open a case."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from teams.oidc import HLTOIDCBackend
from tests import factories as f
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


@pytest.fixture(autouse=True)
def _require_second_factor(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_password_user_must_set_up_and_confirm_a_code_before_a_case(world, client):
    case = make_case(world)
    url = reverse("cases:detail", args=[case.pk])
    client.post(LOGIN, {"username": world.key_person.email, "password": f.PASSWORD})

    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("teams:second_factor"))
    setup = client.get(response.url)
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=world.key_person, confirmed=False)

    wrong = client.post(reverse("teams:second_factor"), {"token": "000000", "next": url})
    assert "Koden är fel" in wrong.content.decode()
    assert client.get(url).status_code == 302
    # django-otp throttles after a wrong code (1 s, doubling); time passes for the user.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()

    ok = client.post(reverse("teams:second_factor"), {"token": _code(device), "next": url})
    assert ok.status_code == 302 and ok.url == url
    assert client.get(url).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_team_pages_without_child_data_need_no_second_factor(world, client):
    client.force_login(world.key_person)
    assert client.get(reverse("teams:start")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 302


def test_a_confirmed_device_asks_only_for_the_code(world, client):
    device = TOTPDevice.objects.create(user=world.key_person, name="app", confirmed=True)
    client.force_login(world.key_person)
    page = client.get(reverse("teams:second_factor")).content.decode()
    assert "<svg" not in page
    client.post(reverse("teams:second_factor"), {"token": _code(device)})
    assert client.get(reverse("cases:list")).status_code == 200


def test_an_unsafe_next_address_is_ignored(world, client):
    device = TOTPDevice.objects.create(user=world.key_person, name="app", confirmed=True)
    client.force_login(world.key_person)
    response = client.post(
        reverse("teams:second_factor"), {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("teams:start")


def test_single_sign_on_counts_as_the_strong_login(world, client, rf):
    from django.contrib.auth.signals import user_logged_in

    client.force_login(world.key_person)
    assert client.get(reverse("cases:list")).status_code == 302
    # What mozilla-django-oidc's login does: the user arrives through the OIDC backend.
    request = rf.get("/")
    request.session = client.session
    world.key_person.backend = "teams.oidc.HLTOIDCBackend"
    user_logged_in.send(sender=type(world.key_person), request=request, user=world.key_person)
    request.session.save()
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_password_login_is_not_a_strong_login(world, client, rf):
    from django.contrib.auth.signals import user_logged_in

    client.force_login(world.key_person)
    request = rf.get("/")
    request.session = client.session
    world.key_person.backend = "django.contrib.auth.backends.ModelBackend"
    user_logged_in.send(sender=type(world.key_person), request=request, user=world.key_person)
    request.session.save()
    assert client.get(reverse("cases:list")).status_code == 302


def test_the_identity_provider_user_is_mapped_by_hsa_id_then_e_mail(world):
    backend = HLTOIDCBackend.__new__(HLTOIDCBackend)  # no IdP endpoints needed for mapping
    world.key_person.hsa_id = "SE2321000230-ABC1"
    world.key_person.save()
    by_hsa = backend.filter_users_by_claims({"hsa_id": "SE2321000230-ABC1", "email": "x@y.se"})
    assert list(by_hsa) == [world.key_person]
    by_email = backend.filter_users_by_claims({"email": world.key_person_health.email.upper()})
    assert list(by_email) == [world.key_person_health]
    assert not backend.filter_users_by_claims({"email": "unknown@example.se"}).exists()
    world.key_person_health.is_active = False
    world.key_person_health.save()
    assert not backend.filter_users_by_claims({"email": world.key_person_health.email}).exists()
