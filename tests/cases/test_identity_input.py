"""What people type into "Start a case": digits of any script, future dates, invisible
characters (issue 17 findings 7, 8, 9)."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Child

pytestmark = pytest.mark.django_db

CHILD = {
    "given_name": "Alva",
    "family_name": "Ek",
    "personal_number": "19121212-1212",
    "sex": "girl",
}


def start(client, **changes):
    return client.post(
        reverse("cases:start"), {**CHILD, **changes, "submit_token": str(uuid.uuid4())}
    )


@pytest.mark.parametrize(
    "typed",
    [
        "١٩١٢١٢١٢-١٢١٢",  # Arabic-Indic digits
        "۱۹۱۲۱۲۱۲-۱۲۱۲",  # Extended Arabic-Indic (Persian) digits
        "１９１２１２１２－１２１２",  # full-width digits and hyphen
        "19121212\u20131212",  # en dash
        " 1912 1212-1212 ",
    ],
    ids=["arabic-indic", "persian", "full-width", "en-dash", "spaces"],
)
def test_a_number_in_other_digits_finds_the_existing_child(world, client, typed):
    client.force_login(world.key_person)
    assert start(client).status_code == 302
    client.force_login(world.key_person_health)
    response = start(client, personal_number=typed)
    assert response.status_code == 302
    assert Child.objects.count() == 1
    assert Child.objects.get().personal_number == "191212121212"


def test_a_reserve_number_in_other_digits_finds_the_existing_child(world, client):
    client.force_login(world.key_person)
    data = {"personal_number": "", "reserve_number": "res-77", "birth_date": "2015-03-02"}
    assert start(client, **data).status_code == 302
    client.force_login(world.key_person_health)
    assert start(client, **{**data, "reserve_number": "ＲＥＳ－٧٧"}).status_code == 302
    assert list(Child.objects.values_list("reserve_number", flat=True)) == ["RES-77"]


def test_a_personal_number_with_a_future_birth_date_is_refused(world, client):
    client.force_login(world.key_person)
    response = start(client, personal_number="20271231-1238")
    assert response.status_code == 200
    assert "födelsedatum i framtiden" in response.content.decode()
    assert not Child.objects.exists() and not Case.objects.exists()


def test_a_reserve_number_with_a_future_birth_date_is_refused(world, client):
    client.force_login(world.key_person)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = start(
        client, personal_number="", reserve_number="RES-1", birth_date=tomorrow.isoformat()
    )
    assert response.status_code == 200
    assert "Födelsedatumet kan inte vara i framtiden" in response.content.decode()
    assert not Child.objects.exists() and not Case.objects.exists()


def test_invisible_and_direction_characters_are_taken_out_of_names(world, client):
    client.force_login(world.key_person)
    response = start(
        client,
        given_name="\u202eAl\u200bva\u2066",
        family_name="E\u200dk\x07  \u200f",
    )
    assert response.status_code == 302
    child = Child.objects.get()
    assert (child.given_name, child.family_name) == ("Alva", "Ek")
    page = client.get(response.url).content.decode()
    assert "\u202e" not in page and "\u200b" not in page


def test_a_name_of_only_invisible_characters_is_missing(world, client):
    client.force_login(world.key_person)
    response = start(client, given_name="\u200b\u202e\u200f")
    assert response.status_code == 200
    assert not Child.objects.exists()


def test_a_persian_name_keeps_its_zero_width_non_joiner(world, client):
    client.force_login(world.key_person)
    start(client, given_name="مهر\u200cنوش")
    assert Child.objects.get().given_name == "مهر\u200cنوش"
