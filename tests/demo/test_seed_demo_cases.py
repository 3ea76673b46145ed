"""The demo cases: the whole path on top of seed_demo, made once, and pages that render."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Child
from cases.workflow import Status
from meetings.models import AgendaItem, Attendance, Meeting
from sip.models import FamilyFeedback, FollowUp, Plan, PlanSignature, SipMeeting
from teams.models import CoordinatorAppointment, User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_cases", stdout=out)
    return out.getvalue()


def _case(number: int) -> Case:
    return Case.objects.select_related("child", "team").get(
        child__reserve_number=f"DEMO-{number:03d}"
    )


def _user(local: str) -> User:
    return User.objects.get(email=f"{local}@demo.hlt.example")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, made once for the module (the services run some 7,000 queries), inside a
    transaction that is rolled back afterwards: every test runs in a savepoint within it, and
    nothing stays in the (reused) test database."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def test_it_walks_a_case_through_every_step_of_the_path(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values) - {Status.DRAFT}

    started = _case(1)
    assert started.status == Status.AWAITING_CONSENT and not started.consents.exists()
    assert started.child.family_name.endswith("(demo)")

    waiting = _case(2)
    item = AgendaItem.objects.get(case=waiting, is_open=True)
    assert waiting.status == Status.ACTUALISED and item.meeting.state == Meeting.State.PLANNED
    assert item.meeting.date >= timezone.localdate()

    hodan = _case(3)
    assert hodan.status == Status.PLAN_ACTIVE
    discussed = AgendaItem.objects.get(case=hodan)
    assert discussed.meeting.state == Meeting.State.HELD and discussed.has_minutes
    assert discussed.meeting.date < timezone.localdate()
    feedback = FamilyFeedback.objects.get(case=hodan)
    assert (feedback.contacted_on - discussed.meeting.date).days <= 7
    assert SipMeeting.objects.get(case=hodan).interpreter_language == "so"
    plan = Plan.objects.get(case=hodan)
    assert plan.state == Plan.State.FINAL and plan.overall_person == _user("halsa")
    assert plan.goals.count() == 2 and plan.interventions.count() == 3
    assert len({i.organisation_id for i in plan.interventions.all()}) == 2
    signature = PlanSignature.objects.get(plan=plan)
    assert signature.guardians.count() == 2

    closed = _case(4)
    assert closed.status == Status.CLOSED and closed.closing_reason == "goals_met"
    decisions = list(
        FollowUp.objects.filter(plan__case=closed)
        .order_by("held_on")
        .values_list("decision", flat=True)
    )
    assert decisions == [FollowUp.Decision.CONTINUE, FollowUp.Decision.CLOSE]

    assert _case(5).child.protected_identity

    # Statistics get something to count in every demo team but Sollefteå (no staff there).
    counts = {c.team.name for c in Case.objects.filter(team__isnull=False).select_related("team")}
    assert counts == {"HLT Härnösand centrum", "HLT Härnösand norr", "HLT Kramfors"}
    assert 30 <= Case.objects.count() <= 40
    assert Meeting.objects.filter(state=Meeting.State.HELD).exists()
    assert Attendance.objects.exists()


def test_a_second_run_creates_nothing(demo):
    models = [
        Child,
        Case,
        Meeting,
        AgendaItem,
        Attendance,
        FamilyFeedback,
        SipMeeting,
        Plan,
        FollowUp,
        CoordinatorAppointment,
    ]
    before = {m.__name__: m.objects.count() for m in models}
    assert "nothing was created" in _seed()
    assert {m.__name__: m.objects.count() for m in models} == before


def test_the_demo_users_pages_render(demo, client):
    client.force_login(_user("samordnare"))
    start = client.get(reverse("teams:start"))
    assert start.status_code == 200
    hodan = _case(3)
    assert client.get(reverse("sip:case", args=[hodan.pk])).status_code == 200
    upcoming = AgendaItem.objects.get(case=_case(2), is_open=True).meeting
    page = client.get(reverse("meetings:detail", args=[upcoming.pk]))
    assert page.status_code == 200 and "Ali" in page.content.decode()

    client.force_login(_user("processledare"))
    statistics = client.get(reverse("reports:term"))
    assert statistics.status_code == 200
    assert "Warsame" not in statistics.content.decode()


def test_it_asks_for_seed_demo_first_when_its_data_is_missing(demo):
    User.objects.filter(email="halsa@demo.hlt.example").update(email="gone@demo.hlt.example")
    with pytest.raises(CommandError, match=r"halsa@demo\.hlt\.example.*Run .*seed_demo"):
        call_command("seed_demo_cases", stdout=StringIO())
