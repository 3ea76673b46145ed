"""Reads about teams and people that need care: who may see which team, and each user's roles."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from .models import (
    CoordinatorAppointment,
    KeyPerson,
    Manager,
    Organisation,
    ProcessLeader,
    Team,
    Term,
)


@dataclass
class Roles:
    """What a user is in the HLT structure on one day; drives the start page and navigation."""

    seats: list[KeyPerson] = field(default_factory=list)
    coordinated_team_ids: set[int] = field(default_factory=set)
    managed_organisations: list[Organisation] = field(default_factory=list)
    process_leader: ProcessLeader | None = None

    @property
    def is_key_person(self) -> bool:
        return bool(self.seats)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinated_team_ids)

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_organisations)

    @property
    def is_process_leader(self) -> bool:
        return self.process_leader is not None


def active_seats_of(user, day: datetime.date) -> list[KeyPerson]:
    """The user's key-person seats active on `day`, with their team and organisation: read
    once per request (the start page's roles and its inbox both ask)."""
    cache = user.__dict__.setdefault("_active_seats_of", {})
    if day not in cache:
        cache[day] = list(
            KeyPerson.objects.active_on(day)
            .filter(user=user.pk)
            .select_related("team__municipality", "organisation")
        )
    return cache[day]


def coordinated_team_ids(user, day: datetime.date) -> frozenset[int]:
    """The teams the user is the current coordinator of on `day`: read once per request (the
    start page's roles and its inbox both ask)."""
    cache = user.__dict__.setdefault("_coordinated_team_ids", {})
    if day not in cache:
        cache[day] = frozenset(
            CoordinatorAppointment.objects.current(day)
            .filter(key_person__user=user.pk)
            .values_list("team_id", flat=True)
        )
    return cache[day]


def managed_organisations(user, day: datetime.date) -> list[Organisation]:
    """The organisations the user manages on `day`: read once per request (the start page's
    roles and its inbox both ask)."""
    cache = user.__dict__.setdefault("_managed_organisations", {})
    if day not in cache:
        cache[day] = [
            m.organisation
            for m in Manager.objects.active_on(day)
            .filter(user=user.pk)
            .select_related("organisation")
        ]
    return cache[day]


def user_roles(user, day: datetime.date | None = None) -> Roles:
    day = day or timezone.localdate()
    if not user.is_authenticated:
        return Roles()
    seats = active_seats_of(user, day)
    coordinated = set(coordinated_team_ids(user, day))
    managed = managed_organisations(user, day)
    process_leader = (
        ProcessLeader.objects.filter(user=user, is_active=True)
        .select_related("region")
        .prefetch_related("municipalities")
        .first()
    )
    return Roles(seats, coordinated, managed, process_leader)


def is_log_reviewer(user) -> bool:
    """A named log reviewer: a person given "Can review the whole access log" (directly or
    through a group). Never an administrator as such: `has_perm` lets every superuser
    through, so the permission is read from the tables, and superusers are refused."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    return (
        Permission.objects.filter(codename="review_all_access", content_type__app_label="audit")
        .filter(Q(user=user.pk) | Q(group__user=user.pk))
        .exists()
    )


def teams_visible_to(user) -> QuerySet[Team]:
    """Teams a user may know about: those of their own region, or of their process-leader scope.

    Team structure is not confidential within a region (staff must find the
    team to contact); users outside every participating organisation see none.
    """
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    q = Q(pk__in=[])
    if user.organisation_id:
        own_region = Organisation.objects.filter(pk=user.organisation_id).values(
            "municipality__region_id"
        )
        q |= Q(municipality__region_id=Subquery(own_region[:1]))
    leader = ProcessLeader.objects.filter(user=user, is_active=True).first()
    if leader:
        q |= leader.teams_q()
    return Team.objects.filter(q)


def team_for_user(user, pk: int) -> Team:
    """The team, or 404 when the user may not know it exists."""
    try:
        return teams_visible_to(user).select_related("municipality").get(pk=pk)
    except Team.DoesNotExist:
        raise Http404 from None


def team_members_by_sector(team: Team, day: datetime.date) -> dict[str, list[KeyPerson]]:
    seats = (
        KeyPerson.objects.active_on(day)
        .filter(team=team)
        .select_related("user", "organisation")
        .order_by("organisation__sector", "user__full_name")
    )
    grouped: dict[str, list[KeyPerson]] = {}
    for seat in seats:
        grouped.setdefault(seat.organisation.sector, []).append(seat)
    return grouped


def team_coordinator(team: Team, term: Term) -> CoordinatorAppointment | None:
    return (
        CoordinatorAppointment.objects.filter(team=team, term__kind=term.kind, term__year=term.year)
        .select_related("key_person__user", "key_person__organisation")
        .first()
    )


def organisations_managed_by(user, day: datetime.date | None = None) -> QuerySet[Organisation]:
    day = day or timezone.localdate()
    return Organisation.objects.filter(
        managers__in=Manager.objects.active_on(day).filter(user=user)
    ).distinct()


def seats_of_organisations(organisations) -> QuerySet[KeyPerson]:
    """Every seat, current and past, of the given organisations (for the manager's page)."""
    return (
        KeyPerson.objects.filter(organisation__in=organisations)
        .select_related("user", "team", "organisation")
        .order_by("active_to", "team__name", "user__full_name")
    )


def my_teams(user, day: datetime.date | None = None) -> list[KeyPerson]:
    day = day or timezone.localdate()
    return list(
        KeyPerson.objects.active_on(day)
        .filter(user=user)
        .select_related("team__municipality", "organisation")
        .prefetch_related(
            Prefetch(
                "team__coordinator_appointments",
                queryset=CoordinatorAppointment.objects.filter(
                    term__in=Term.objects.of_day(day)
                ).select_related("key_person__user"),
                to_attr="current_coordinators",
            )
        )
    )
