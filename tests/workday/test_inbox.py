"""The task inbox on the start page, per role: what each person must do, with due dates and
what is overdue, and nothing about a child outside the person's reach."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases.services import case_grant_team_access
from cases.workflow import Status
from meetings.models import AgendaItem
from sip import services as sip_services
from tests import factories as f
from tests.cases.conftest import make_case
from tests.meetings.conftest import make_meeting, waiting_case
from tests.sip.conftest import discussed_case, make_plan
from workday.inbox import Kind, inbox_for
from workday.models import InboxPreference

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def kinds(user, today=None) -> dict[str, list]:
    result: dict[str, list] = {}
    for task in inbox_for(user, today).tasks:
        result.setdefault(task.kind, []).append(task)
    return result


def case_ids(user, today=None) -> set[int]:
    inbox = inbox_for(user, today)
    return {t.case_id for t in inbox.tasks if t.case_id} | {c.case_id for c in inbox.new_cases}


# --- key persons -----------------------------------------------------------------------------


def test_the_contact_person_is_asked_to_contact_the_family_by_the_deadline(world):
    case = discussed_case(world, meeting_day=TODAY(), to_sip=False)
    task = kinds(world.key_person_health)[Kind.CONTACT_FAMILY][0]
    assert task.case_id == case.pk
    assert task.due == days(7) and not task.overdue
    assert task.child_label == "Alva Ek"
    assert task.url == reverse("sip:feedback", args=[case.pk])
    # Eight days on, it is overdue, and the coordinator is told too.
    later = days(8)
    assert kinds(world.key_person_health, later)[Kind.CONTACT_FAMILY][0].overdue
    watched = kinds(world.coordinator, later)[Kind.FEEDBACK_OVERDUE][0]
    assert watched.case_id == case.pk and "Hanna Hälsa" in watched.text
    # Once the family heard back, both tasks are gone.
    sip_services.feedback_record(
        case=case, by=world.key_person_health, contacted_on=TODAY(), method="phone"
    )
    assert Kind.CONTACT_FAMILY not in kinds(world.key_person_health, later)
    assert Kind.FEEDBACK_OVERDUE not in kinds(world.coordinator, later)


def test_a_sip_meeting_to_plan_then_to_hold_then_a_plan_to_write_and_finalise(world):
    case = discussed_case(world)
    AgendaItem.objects.filter(case=case).update(sip_meeting_on=days(10))
    task = kinds(world.key_person_health)[Kind.PLAN_SIP_MEETING][0]
    assert task.case_id == case.pk and task.due == days(10)
    assert task.url == reverse("sip:meeting_new", args=[case.pk])
    assert Kind.PLAN_SIP_MEETING in kinds(world.coordinator)
    assert Kind.PLAN_SIP_MEETING not in kinds(world.key_person)  # neither contact nor coordinator

    sip_services.sip_meeting_schedule(
        case=case,
        by=world.key_person_health,
        date=days(3),
        starts_at=datetime.time(9, 0),
        place="Hälsocentralen",
        invite_child=True,
        invite_guardians=True,
        professionals=[world.key_person],
    )
    assert Kind.PLAN_SIP_MEETING not in kinds(world.key_person_health)
    hold = kinds(world.key_person)[Kind.HOLD_SIP_MEETING][0]  # invited
    assert hold.due == days(3) and "Hälsocentralen" in hold.text
    # After the day, without a plan: write it.
    write = kinds(world.key_person_health, days(4))[Kind.WRITE_PLAN][0]
    assert write.overdue and write.case_id == case.pk
    plan = make_plan(world, case, finalise=False)
    assert Kind.WRITE_PLAN not in kinds(world.key_person_health, days(4))
    draft = kinds(world.key_person_health)[Kind.FINALISE_PLAN][0]
    assert draft.url == reverse("sip:plan", args=[plan.pk])


def test_a_follow_up_due_soon_and_one_past_its_date(world):
    case = discussed_case(world)
    plan = make_plan(world, case)  # follow-up in 60 days
    assert Kind.FOLLOW_UP not in kinds(world.key_person_health)
    soon = kinds(world.key_person_health, days(50))[Kind.FOLLOW_UP][0]
    assert soon.due == days(60) and not soon.overdue
    late = kinds(world.key_person_health, days(61))[Kind.FOLLOW_UP][0]
    assert late.overdue and late.url == reverse("sip:follow_up", args=[plan.pk])


def test_cases_i_started_wait_for_consent(world):
    draft = make_case(world, actualise=False)
    task = kinds(world.key_person)[Kind.AWAITING_CONSENT][0]
    assert task.case_id == draft.pk and task.due is None
    assert Kind.AWAITING_CONSENT not in kinds(world.coordinator)  # a draft is the initiator's


def test_a_consent_that_runs_out_within_30_days_and_one_that_ran_out(world):
    case = waiting_case(world)  # initiated by key_person, consent school + health
    case.consents.update(valid_until=days(20))
    ending = kinds(world.key_person)[Kind.CONSENT_ENDING][0]
    assert ending.due == days(20) and ending.case_id == case.pk
    assert Kind.CONSENT_ENDING in kinds(world.coordinator)
    assert Kind.CONSENT_ENDING not in kinds(world.key_person_health)  # neither role

    ran_out = kinds(world.key_person, days(25))[Kind.CONSENT_ENDED][0]
    assert ran_out.overdue and ran_out.case_id == case.pk
    assert ran_out.child_label == ""  # nobody sees the child any more: the number only
    assert Kind.CONSENT_ENDED in kinds(world.coordinator, days(25))  # school is covered
    assert Kind.CONSENT_ENDED not in kinds(world.key_person_social, days(25))


def test_new_cases_since_my_last_visit(world, client):
    case = waiting_case(world)
    assert [c.case_id for c in inbox_for(world.key_person_health).new_cases] == [case.pk]
    assert inbox_for(world.key_person).new_cases == []  # their own case
    # Two logins later, the case is no longer new.
    client.force_login(world.key_person_health)
    client.force_login(world.key_person_health)
    assert inbox_for(world.key_person_health).new_cases == []
    preference = InboxPreference.objects.get(user=world.key_person_health)
    assert preference.previous_login_at <= preference.last_login_at


def test_the_published_agendas_of_my_coming_meetings(world):
    meeting = make_meeting(world, published_at=timezone.now())
    for n, case in enumerate([waiting_case(world), waiting_case(world)], start=1):
        AgendaItem.objects.create(
            meeting=meeting, case=case, position=n, minutes=20, added_by=world.coordinator
        )
    make_meeting(world)  # not published: not listed
    agendas = inbox_for(world.key_person_social).agendas
    assert [(m.pk, m.case_count) for m in agendas] == [(meeting.pk, 2)]
    assert inbox_for(world.key_person_other_team).agendas == []


# --- coordinators and managers --------------------------------------------------------------


def test_the_coordinator_sees_the_waiting_list_the_next_meeting_and_a_long_wait(world):
    recent = waiting_case(world)
    old = waiting_case(world)
    old_day = timezone.now() - datetime.timedelta(days=40)
    type(old).objects.filter(pk=old.pk).update(actualised_at=old_day)
    meeting = make_meeting(world)
    inbox = inbox_for(world.coordinator)
    [waiting] = inbox.waiting
    assert waiting.count == 2 and waiting.long_wait and waiting.next_meeting.pk == meeting.pk
    task = next(t for t in inbox.tasks if t.kind == Kind.WAITING_LIST)
    assert task.overdue and task.url == reverse("meetings:detail", args=[meeting.pk])
    assert inbox_for(world.key_person).waiting == []  # not a coordinator
    assert recent.pk  # (both counted)


def test_the_manager_sees_seats_that_end_soon(world):
    seat = world.key_person.key_person_seats.get()
    seat.active_to = days(10)
    seat.save()
    far = f.KeyPersonFactory(team=world.team_b, user__organisation=world.school)
    far.active_to = days(100)
    far.save()
    tasks = kinds(world.manager)[Kind.SEAT_ENDING]
    assert [t.due for t in tasks] == [days(10)] and "Kim Skola" in tasks[0].text
    assert Kind.SEAT_ENDING not in kinds(world.coordinator)


# --- reach --------------------------------------------------------------------------------------


def test_nothing_appears_for_a_child_outside_my_reach(world):
    # Consent for school and health only; minutes name the social key person as contact.
    case = discussed_case(world, meeting_day=TODAY() - datetime.timedelta(days=10))
    AgendaItem.objects.filter(case=case).update(contact_person=world.key_person_social)
    make_plan(world, case, finalise=False)
    for outsider in (
        world.key_person_social,
        world.key_person_other_team,
        world.manager,
        world.process_leader,
        world.staff,
        world.outsider,
    ):
        assert case.pk not in case_ids(outsider), outsider
    # Another team's case never reaches team A's coordinator.
    other = waiting_case(world, team=world.team_b)
    assert other.pk not in case_ids(world.coordinator)


def test_a_withdrawn_consent_takes_the_tasks_away(world):
    case = discussed_case(world, meeting_day=TODAY(), to_sip=False)
    case.consents.update(withdrawn_on=TODAY())
    assert case.pk not in case_ids(world.key_person_health)
    assert case.pk not in case_ids(world.coordinator)


def test_a_protected_child_is_masked_for_those_not_named(world):
    case = waiting_case(world, given="Hemlig", family="Person", protected=True)
    [new] = inbox_for(world.key_person_health).new_cases
    assert new.case_id == case.pk and "Hemlig" not in new.child_label


# --- the page -----------------------------------------------------------------------------------


def test_the_start_page_shows_the_inbox_first_logs_the_read_and_counts_in_the_menu(world, login):
    case = discussed_case(world, meeting_day=TODAY() - datetime.timedelta(days=10), to_sip=False)
    client = login(world.key_person_health)
    page = client.get(reverse("teams:start")).content.decode()
    assert page.index('id="inbox-heading"') < page.index("key-person-heading")
    assert "Alva Ek" in page and f"Ärende {case.pk}" in page
    assert reverse("sip:feedback", args=[case.pk]) in page
    assert AccessLogEntry.objects.filter(
        user=world.key_person_health, case_id=case.pk, context="inbox"
    ).exists()
    other = client.get(reverse("cases:list")).content.decode()
    assert 'class="menu-count"' in other


def _start_page_queries(client) -> int:
    client.get(reverse("teams:start"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("teams:start")).status_code == 200
    return len(queries)


def _busy_team(world, n: int) -> None:
    """n cases in every state the inbox reads: waiting, discussed, planned, in force."""
    meeting = make_meeting(world, published_at=timezone.now())
    for i in range(n):
        waiting_case(world)
        case = waiting_case(world)
        AgendaItem.objects.create(
            meeting=meeting,
            case=case,
            position=i + 1,
            minutes=20,
            added_by=world.coordinator,
            is_open=False,
            minutes_recorded_at=timezone.now(),
            contact_person=world.coordinator,
        )
        type(case).objects.filter(pk=case.pk).update(status=Status.SIP_PLANNED)
        f.CaseFactory(initiated_by=world.coordinator)  # a draft
        case_grant_team_access(case=case)


@pytest.mark.parametrize("persona", ["coordinator", "key_person_health", "manager"])
def test_the_start_page_costs_the_same_whatever_the_data(world, login, persona):
    client = login(getattr(world, persona))
    _busy_team(world, 1)
    few = _start_page_queries(client)
    _busy_team(world, 4)
    many = _start_page_queries(client)
    assert few == many, (few, many)
    assert many <= 40, many
