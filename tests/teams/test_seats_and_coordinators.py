import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from teams import services
from teams.models import CoordinatorAppointment, KeyPerson, Term
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_key_persons_history_survives_leaving_the_team(world):
    seat = KeyPerson.objects.get(user=world.key_person)
    today = timezone.localdate()

    services.key_person_end(
        ended_by=world.manager, key_person=seat, active_to=today - datetime.timedelta(days=1)
    )

    seat.refresh_from_db()
    assert KeyPerson.objects.filter(pk=seat.pk).exists()
    assert not seat.is_active_on(today)
    assert seat.history.count() == 2
    assert seat.history.first().active_to == today - datetime.timedelta(days=1)
    assert seat.history.last().active_to is None
    # Leaving the team takes the person out of the team's sector group (and so its cases).
    assert not world.key_person.groups.filter(team_sector__team=world.team_a).exists()


def test_appointing_puts_the_person_in_the_teams_sector_group(world):
    person = f.UserFactory(organisation=world.school)

    seat = services.key_person_appoint(
        appointed_by=world.manager,
        user=person,
        team=world.team_b,
        profession="special_teacher",
        active_from=timezone.localdate(),
    )

    assert seat.organisation == world.school
    group = person.groups.get()
    assert group.team_sector.team == world.team_b
    assert group.team_sector.sector == "school"


def test_a_future_seat_takes_effect_when_the_daily_sync_runs(world):
    person = f.UserFactory(organisation=world.school)
    start = timezone.localdate() + datetime.timedelta(days=10)
    services.key_person_appoint(
        appointed_by=world.manager,
        user=person,
        team=world.team_b,
        profession="special_teacher",
        active_from=start,
    )
    assert not person.groups.exists()

    services.team_groups_sync(day=start)

    assert person.groups.filter(team_sector__team=world.team_b).exists()


def test_a_manager_cannot_appoint_staff_of_another_organisation(world):
    nurse = f.UserFactory(organisation=world.health)
    with pytest.raises(PermissionDenied):
        services.key_person_appoint(
            appointed_by=world.manager,
            user=nurse,
            team=world.team_a,
            profession="counsellor",
            active_from=timezone.localdate(),
        )
    assert not KeyPerson.objects.filter(user=nurse).exists()


def test_the_profession_must_belong_to_the_organisations_sector(world):
    teacher = f.UserFactory(organisation=world.school)
    with pytest.raises(ValidationError) as exc:
        services.key_person_appoint(
            appointed_by=world.manager,
            user=teacher,
            team=world.team_a,
            profession="bvc_nurse",
            active_from=timezone.localdate(),
        )
    assert "profession" in exc.value.message_dict


def test_a_person_cannot_hold_two_overlapping_seats_in_one_team(world):
    with pytest.raises(ValidationError) as exc:
        services.key_person_appoint(
            appointed_by=world.manager,
            user=world.key_person,
            team=world.team_a,
            profession="special_teacher",
            active_from=timezone.localdate(),
        )
    assert "user" in exc.value.message_dict


def test_only_one_coordinator_per_team_and_term(world):
    term = Term.objects.current()
    other_seat = KeyPerson.objects.get(user=world.key_person)

    with pytest.raises(ValidationError) as exc:
        services.coordinator_appoint(appointed_by=None, key_person=other_seat, terms=[term])

    assert "term" in exc.value.message_dict
    assert CoordinatorAppointment.objects.get(team=world.team_a, term=term).key_person == (
        world.coordinator_seat
    )


def test_the_database_refuses_a_second_coordinator_too(world):
    term = Term.objects.current()
    other_seat = KeyPerson.objects.get(user=world.key_person)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorAppointment.objects.create(team=world.team_a, term=term, key_person=other_seat)


def test_a_school_year_appointment_covers_both_terms_or_neither(world):
    seat = KeyPerson.objects.get(user=world.key_person_other_team)
    autumn = f.TermFactory(kind="HT", year=2030)
    spring = f.TermFactory(kind="VT", year=2031)
    f.CoordinatorAppointmentFactory(key_person=f.KeyPersonFactory(team=world.team_b), term=spring)

    with pytest.raises(ValidationError):
        services.coordinator_appoint(appointed_by=None, key_person=seat, terms=[autumn, spring])

    # The autumn appointment made before the failure was rolled back with it.
    assert not CoordinatorAppointment.objects.filter(term=autumn).exists()


def test_term_for_day_puts_the_summer_in_the_autumn_term(db):
    assert str(Term.objects.for_day(datetime.date(2026, 3, 1))) == "VT 2026"
    summer = Term.objects.for_day(datetime.date(2026, 7, 10))
    assert str(summer) == "HT 2026"
    assert not summer.contains(datetime.date(2026, 7, 10))
    assert summer.contains(datetime.date(2026, 9, 1))
    assert Term.objects.ensure_for_day(datetime.date(2026, 7, 10)).pk is not None
    assert Term.objects.filter(kind="HT", year=2026).count() == 1


def test_the_meeting_rule_reads_like_a_sentence(db):
    team = f.TeamFactory()
    with translation.override("en"):
        assert team.meeting_rule == "2nd tuesday of the month, 13:00–15:00"
    with translation.override("sv"):
        assert team.meeting_rule == "2:a tisdagen i månaden, 13:00–15:00"


def test_the_daily_command_ends_access_of_a_seat_that_ended_yesterday(world):
    from django.core.management import call_command

    seat = KeyPerson.objects.get(user=world.key_person)
    KeyPerson.objects.filter(pk=seat.pk).update(
        active_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert world.key_person.groups.exists()

    call_command("sync_team_groups", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not world.key_person.groups.exists()
