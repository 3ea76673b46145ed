"""One readable case chronology on the case page, the detailed history folded below it, the
protected-identity section once, the actions from the workflow, and the case number."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AccessLogEntry
from cases import services as case_services
from cases.workflow import Status, available_actions
from meetings.models import AgendaItem, Meeting
from sip import services as sip_services
from tests.cases.conftest import make_case
from tests.sip.conftest import discussed_case, make_plan
from workday.chronology import case_chronology

pytestmark = pytest.mark.django_db


def page(client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


@translation.override("en")
def test_the_whole_path_in_time_order_and_plain_words(world):
    case = discussed_case(world)
    # The meeting late today: at 13:00 it came before "Case started" (now) in the afternoon,
    # and the test failed after 13:00.
    Meeting.objects.filter(items__case=case).update(
        starts_at=datetime.time(23, 30), ends_at=datetime.time(23, 59)
    )
    AgendaItem.objects.filter(case=case).update(
        notes="Alva mår bättre men behöver stöd.",
        meeting_sectors=["health", "school"],
        sip_meeting_on=timezone.localdate() + datetime.timedelta(days=10),
        next_status=Status.SIP_PLANNED,
    )
    sip_services.feedback_record(
        case=case, by=world.key_person_health, contacted_on=timezone.localdate(), method="phone"
    )
    sip_services.sip_meeting_schedule(
        case=case,
        by=world.key_person_health,
        date=timezone.localdate() + datetime.timedelta(days=10),
        starts_at=datetime.time(9, 0),
        place="Hälsocentralen",
        invite_child=True,
        invite_guardians=True,
        interpreter_language="ar",
        professionals=[world.key_person],
    )
    make_plan(world, case)
    titles = [e.title for e in case_chronology(case)]
    assert titles[:3] == ["Case started", "Consent form printed", "Consent registered"]
    for expected in (
        "Actualised",
        "HLT meeting",
        "Feedback to the family",
        "SIP meeting",
        "Plan started",
        "Plan finalised",
    ):
        assert expected in titles, expected
    # Time order, whatever the kind.
    keys = [e.sort_key for e in case_chronology(case)]
    assert keys == sorted(keys)
    text = " ".join(f"{e.text} {e.quote}" for e in case_chronology(case))
    assert "health care and school may share information until" in text
    assert "Health care and school will meet the family." in text
    assert "Hanna Hälsa contacts the family" in text and "Decided: SIP planned." in text
    assert "SIP meeting at Hälsocentralen with the child, the guardians, an interpreter" in text
    assert "Alva mår bättre" in text


def test_the_case_page_tells_it_in_swedish_in_local_time_without_raw_values(world, login):
    case = make_case(world)
    client = login(world.key_person)
    html = (
        page(client, case) + client.get(reverse("cases:history", args=[case.pk])).content.decode()
    )
    assert "Vad som har hänt" in html and "Ärendet startades" in html
    # Never Python's notation or UTC with microseconds.
    assert "[]" not in html and "['" not in html
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", html) and "+00:00" not in html
    assert "Lärande: frånvaro från skolan" in html  # the reason's label, never its code
    local = timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M")
    assert local in html


def test_the_detailed_history_is_folded_below_and_loaded_when_opened(world, login):
    case = make_case(world)
    client = login(world.key_person)
    html = page(client, case)
    assert html.index('id="chronology-heading"') < html.index("<details")
    assert f'hx-get="{reverse("cases:history", args=[case.pk])}"' in html
    partial = client.get(reverse("cases:history", args=[case.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert AccessLogEntry.objects.filter(case_id=case.pk, context="history").count() == 1
    # Someone outside the consent gets "page not found", as on the case page.
    assert (
        login(world.key_person_social).get(reverse("cases:history", args=[case.pk])).status_code
        == 404
    )


def test_a_protected_familys_names_are_masked_in_the_chronology(world, login):
    case = discussed_case(world, to_sip=False)
    case_services.child_protected_identity_set(case=case, protected=True, by=world.key_person)
    AgendaItem.objects.filter(case=case).update(notes="Alva och Amal Ek kom till mötet.")
    html = page(login(world.key_person_health), case)
    assert "kom till mötet" in html and "Amal" not in html and "Alva" not in html


@pytest.mark.parametrize(
    ("status", "initiator", "expected"),
    [
        ("draft", True, ["guardians", "consent_print", "consent_register"]),
        ("draft", False, []),
        (
            "awaiting_consent",
            True,
            ["guardians", "consent_print", "consent_register", "actualise", "consent_withdraw"],
        ),
        ("actualised", False, ["sip", "consent_withdraw"]),
        ("plan_active", True, ["sip", "consent_withdraw"]),
        ("closed", True, ["sip"]),
    ],
)
def test_the_actions_come_from_the_workflow(status, initiator, expected):
    assert [a.code for a in available_actions(status, is_initiator=initiator)] == expected


def test_the_case_page_offers_the_workflows_actions_and_holds_no_status_strings(world, login):
    case = make_case(world)
    html = page(login(world.key_person_health), case)
    assert reverse("sip:case", args=[case.pk]) in html
    assert reverse("cases:consent_register", args=[case.pk]) not in html
    template = Path(settings.BASE_DIR, "cases/templates/cases/case_detail.html").read_text()
    assert "case.status ==" not in template and "case.status !=" not in template
