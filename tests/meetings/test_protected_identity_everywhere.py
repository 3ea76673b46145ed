"""Issue 4: a protected child's name appears in no agenda, minutes, PDF or e-mail for a user
not named on the case."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from meetings import services

from .conftest import make_meeting, waiting_case

pytestmark = pytest.mark.django_db

SECRETS = ["Hemlig", "Skyddadsson"]


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_no_meeting_page_pdf_or_e_mail_names_a_protected_child(world, client):
    case = waiting_case(world, given="Hemlig", family="Skyddadsson", protected=True)
    meeting = make_meeting(world)
    services.agenda_add(meeting=meeting, case=case, by=world.coordinator, version=meeting.version)
    meeting.refresh_from_db()
    services.agenda_publish(
        meeting=meeting, by=world.coordinator, version=meeting.version, meeting_url="/m/"
    )
    for message in mail.outbox:
        for secret in SECRETS:
            assert secret not in message.subject + message.body

    for persona in ["coordinator", "key_person_health", "key_person_social"]:
        client.force_login(getattr(world, persona))
        for name in ["meetings:detail", "meetings:minutes"]:
            page = client.get(reverse(name, args=[meeting.pk])).content.decode()
            for secret in SECRETS:
                assert secret not in page, (persona, name, secret)
        for name in ["meetings:agenda_pdf", "meetings:minutes_pdf"]:
            response = client.get(reverse(name, args=[meeting.pk]))
            assert response.status_code == 200
            text = _pdf_text(response.content)
            for secret in SECRETS:
                assert secret not in text, (persona, name, secret)
