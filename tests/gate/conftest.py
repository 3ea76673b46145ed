"""One world for the tests that walk every URL as every persona, built once per module.

Four children, each with something to leak:
- A, Alva Ek: team A, consent school + health, discussed at today's HLT meeting, SIP plan.
- P, Petra Hemligsson: team A, protected identity, consent for every sector, on the agenda;
  named only to Kim Skola (`key_person`, who started the case).
- O, Oskar Utanförsson: team B only (outside every team A persona's reach).
- D, Dora Utkast: a draft of Stina Personal (`staff`), before consent: only she sees it.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.workflow import Status
from consent.models import Consent
from meetings.models import AgendaItem, CalendarFeed
from teams.models import KeyPerson
from tests import factories as f


@dataclass(frozen=True)
class Child:
    key: str
    given: str
    family: str
    numbers: tuple[str, ...]
    birth: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.given} {self.family}"

    def secrets(self) -> list[str]:
        """What identifies the child: names, identity numbers, birth date."""
        return [self.given, self.family, *self.numbers, *self.birth]


CHILDREN = {
    "A": Child("A", "Alva", "Ek", ("201405172386", "20140517-2386"), ("2014-05-17",)),
    "P": Child("P", "Petra", "Hemligsson", ("PROT-0042",), ("2012-03-03",)),
    "O": Child("O", "Oskar", "Utanförsson", ("OUT-0077",), ("2011-09-09",)),
    "D": Child("D", "Dora", "Utkastdotter", ("DRAFT-0099",), ("2016-12-24",)),
}


def _build():
    from tests.sip.conftest import discussed_case, make_plan

    w = SimpleNamespace(**vars(__import__("conftest").build_world()))
    w.admin = f.UserFactory(
        organisation=None, is_superuser=True, is_staff=True, full_name="Ada Administratör"
    )
    w.registrar = f.UserFactory(organisation=None, full_name="Rita Registrator")
    w.registrar.user_permissions.add(Permission.objects.get(codename="review_all_access"))
    # A: started by Kim Skola, consent school + health, discussed today, a finalised plan.
    case_a = discussed_case(w)
    w.plan_a = make_plan(w, case_a)
    w.item_a = AgendaItem.objects.get(case=case_a)
    w.meeting = w.item_a.meeting
    AgendaItem.objects.filter(pk=w.item_a.pk).update(notes="Alva Ek och familjen vill ha stöd.")
    # P: protected, every sector, on the same meeting's agenda; named only to Kim Skola.
    child_p = f.ChildFactory(
        given_name="Petra",
        family_name="Hemligsson",
        reserve_number="PROT-0042",
        birth_date=datetime.date(2012, 3, 3),
        protected_identity=True,
        school=w.school,
    )
    case_p = f.CaseFactory(
        child=child_p,
        initiated_by=w.key_person,
        team=w.team_a,
        status=Status.ACTUALISED,
        actualised_at=timezone.now(),
        family_description="Petra Hemligsson och mamma Greta Hemligsson har flyttat.",
    )
    case_p.named_people.add(w.key_person)
    f.GuardianFactory(case=case_p, given_name="Greta", family_name="Hemligsson")
    f.ConsentFactory(case=case_p, registered_by=w.key_person)
    AgendaItem.objects.create(
        meeting=w.meeting, case=case_p, position=2, minutes=20, added_by=w.coordinator
    )
    # O: team B only.
    child_o = f.ChildFactory(
        given_name="Oskar",
        family_name="Utanförsson",
        reserve_number="OUT-0077",
        birth_date=datetime.date(2011, 9, 9),
    )
    case_o = f.CaseFactory(
        child=child_o,
        initiated_by=w.key_person_other_team,
        team=w.team_b,
        status=Status.ACTUALISED,
        actualised_at=timezone.now(),
    )
    case_o.named_people.add(w.key_person_other_team)
    f.ConsentFactory(case=case_o, registered_by=w.key_person_other_team)
    # D: a draft of the staff member, before consent.
    child_d = f.ChildFactory(
        given_name="Dora",
        family_name="Utkastdotter",
        reserve_number="DRAFT-0099",
        birth_date=datetime.date(2016, 12, 24),
    )
    case_d = f.CaseFactory(child=child_d, initiated_by=w.staff, status=Status.DRAFT)
    case_d.named_people.add(w.staff)
    w.cases = {"A": case_a, "P": case_p, "O": case_o, "D": case_d}
    w.consent_a = Consent.objects.filter(case=case_a).first()
    w.entry = AccessLogEntry.objects.create(
        user=w.key_person,
        user_organisation=w.school,
        child_id=case_a.child_id,
        case_id=case_a.pk,
        kind="case",
        action="view",
    )
    w.feed = CalendarFeed.objects.create(user=w.coordinator)
    w.seat = KeyPerson.objects.filter(user=w.key_person).first()
    return w


@pytest.fixture(scope="module")
def gate_world(django_db_setup, django_db_blocker):
    """Built once per module inside a transaction that is rolled back at the end; each test
    runs in a savepoint of it (pytest-django's `db`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
