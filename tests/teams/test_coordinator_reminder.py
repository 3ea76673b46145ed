import io

import pytest
from django.core import mail
from django.core.management import call_command

from teams.models import CoordinatorAppointment

pytestmark = pytest.mark.django_db


def test_teams_without_a_coordinator_for_the_term_are_reminded(world):
    out = io.StringIO()
    call_command("remind_coordinator_renewal", stdout=out)
    # Team A has its coordinator; team B has none and is reminded, its key person gets it.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.key_person_other_team.email]
    assert world.team_b.name in mail.outbox[0].body
    assert "samordnare" in mail.outbox[0].subject

    CoordinatorAppointment.objects.all().delete()
    mail.outbox.clear()
    call_command("remind_coordinator_renewal", stdout=out)
    assert len(mail.outbox) == 2
