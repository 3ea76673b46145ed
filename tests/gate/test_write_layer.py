"""Writes check permission in one layer: the services (README, architecture). Views decide
only what to show (404, and whether to offer a form); a service refuses whoever may not make
the change, whichever road the call came by."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sip import services
from tests.sip.conftest import discussed_case, make_plan

pytestmark = pytest.mark.django_db


def test_sip_services_refuse_someone_outside_the_case(world):
    case = discussed_case(world)
    plan = make_plan(world, case)
    for outsider in (world.key_person_other_team, world.staff, world.manager):
        with pytest.raises(PermissionDenied):
            services.feedback_record(
                case=case, by=outsider, contacted_on=timezone.localdate(), method="phone"
            )
        with pytest.raises(PermissionDenied):
            services.sip_meeting_schedule(
                case=case,
                by=outsider,
                date=timezone.localdate() + datetime.timedelta(days=3),
                starts_at=datetime.time(9, 0),
                place="Rum 1",
                invite_child=True,
                invite_guardians=True,
            )
        with pytest.raises(PermissionDenied):
            services.plan_revise(plan=plan, by=outsider)


def test_the_social_key_person_outside_the_consent_cannot_write(world):
    case = discussed_case(world)  # consent: school and health
    with pytest.raises(PermissionDenied):
        services.plan_start(case=case, by=world.key_person_social)
