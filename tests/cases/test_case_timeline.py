import pytest
from django.urls import reverse

from cases import services

from .conftest import make_case

pytestmark = pytest.mark.django_db


def test_the_case_shows_what_changed_who_and_when(world, client, django_assert_max_num_queries):
    case = make_case(world)
    services.case_withdraw_consent(
        case=case,
        by=world.key_person_health,
        withdrawn_on=case.consents.get().signed_on,
        told_by="Amal Ek",
    )
    from cases.selectors import case_timeline

    entries = case_timeline(case)
    consent_changes = [set(e.changes) for e in entries if e.what == "Ändring – Samtycke"]
    assert consent_changes == [
        {
            ("återkallat den", "–", str(case.consents.get().signed_on)),
            ("vem som återkallade samtycket", "–", "Amal Ek"),
            ("mottaget av", "–", world.key_person_health.full_name),
        }
    ]
    assert any(e.what == "Registrering – Ärende" for e in entries)
    assert any(
        e.what == "Ändring – Ärende" and ("status", "Utkast", "Väntar på samtycke") in e.changes
        for e in entries
    )
    assert entries == sorted(entries, key=lambda e: e.at, reverse=True)


def test_the_case_page_shows_the_timeline_in_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    case = make_case(world)
    client.force_login(world.key_person)
    # The detailed history is folded below the chronology and read on its own page.
    with django_assert_max_num_queries(30):
        page = client.get(reverse("cases:history", args=[case.pk])).content.decode()
    assert "Detaljerad ändringshistorik" in page
    assert "Registrering – Vårdnadshavare" in page


def test_signatures_are_created_with_their_history_and_the_acting_user(world):
    from consent.models import ConsentSignature

    case = make_case(world)
    signatures = ConsentSignature.objects.filter(consent__case=case)
    assert signatures.count() == 2
    for signature in signatures:
        record = signature.history.get()
        assert record.history_user == world.key_person
