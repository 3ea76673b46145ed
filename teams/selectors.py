"""Reads about teams and people that need care: who may see which team, and each user's roles."""

import datetime
import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.models import Permission
from django.db.models import CharField, IntegerField, Prefetch, Q, QuerySet, Subquery, Value
from django.http import Http404
from django.utils import timezone

from hlt.prepared import Prepared, prepared

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


@prepared(int, datetime.date)
def _active_seats(user_id: int, day: datetime.date) -> QuerySet[KeyPerson]:
    return (
        KeyPerson.objects.active_on(day)
        .filter(user=user_id)
        .select_related("team__municipality", "organisation")
    )


def active_seats_of(user, day: datetime.date) -> list[KeyPerson]:
    """The user's key-person seats active on `day`, with their team and organisation: read
    once per request (the start page's roles and its inbox both ask); its SQL compiled once
    per process."""
    cache = user.__dict__.setdefault("_active_seats_of", {})
    if day not in cache:
        cache[day] = _active_seats(user.pk, day)
    return cache[day]


def seats_read(user, day: datetime.date) -> list[KeyPerson] | None:
    """The seats `active_seats_of` has read for this request, or None (no query)."""
    return user.__dict__.get("_active_seats_of", {}).get(day)


def _coordinated_team_ids_query(user, day: datetime.date) -> QuerySet:
    return (
        CoordinatorAppointment.objects.current(day)
        .filter(key_person__user=user.pk)
        .values_list("team_id", flat=True)
    )


def coordinated_team_ids(user, day: datetime.date) -> frozenset[int]:
    """The teams the user is the current coordinator of on `day`: read once per request (the
    start page's roles and its inbox both ask)."""
    cache = user.__dict__.setdefault("_coordinated_team_ids", {})
    if day not in cache:
        cache[day] = frozenset(_coordinated_team_ids_query(user, day))
    return cache[day]


def _managed_query(user, day: datetime.date) -> QuerySet:
    return Manager.objects.active_on(day).filter(user=user.pk)


def managed_organisations(user, day: datetime.date) -> list[Organisation]:
    """The organisations the user manages on `day`: read once per request (the start page's
    roles and its inbox both ask)."""
    cache = user.__dict__.setdefault("_managed_organisations", {})
    if day not in cache:
        cache[day] = [
            m.organisation for m in _managed_query(user, day).select_related("organisation")
        ]
    return cache[day]


def _process_leader(user) -> ProcessLeader | None:
    return (
        ProcessLeader.objects.filter(user=user.pk, is_active=True)
        .select_related("region")
        .prefetch_related("municipalities")
        .first()
    )


def _review_permissions(user) -> QuerySet[Permission]:
    """The permission making a log reviewer, held by the user directly or through a group."""
    return Permission.objects.filter(
        codename="review_all_access", content_type__app_label="audit"
    ).filter(Q(user=user.pk) | Q(group__user=user.pk))


def _kind_rows(queryset: QuerySet, kind: str, number=None, text=None) -> QuerySet:
    """Rows (kind, number, text) of a role query, for one UNION of every role."""
    return queryset.order_by().values_list(
        Value(kind, output_field=CharField()),
        number if number is not None else Value(None, output_field=IntegerField()),
        text if text is not None else Value(None, output_field=CharField()),
    )


def _roles_query(day: datetime.date, user_id: int, organisation_id: int | None) -> QuerySet:
    user = SimpleNamespace(pk=user_id)
    parts = [
        _kind_rows(_coordinated_team_ids_query(user, day), "coordinates", "team_id"),
        _kind_rows(_managed_query(user, day), "manages", "organisation_id"),
        _kind_rows(ProcessLeader.objects.filter(user=user_id, is_active=True), "leads", "pk"),
        _kind_rows(_review_permissions(user), "reviews"),
    ]
    if organisation_id is not None:
        own = Organisation.objects.filter(pk=organisation_id)
        parts.append(_kind_rows(own, "own_sector", text="sector"))
    return parts[0].union(*parts[1:], all=True)


# The roles query of each shape, compiled once per process and day: the day is not a
# parameter of its SQL (the coordinator's term is the day's kind and year, read in Python).
_roles_prepared: dict[tuple[datetime.date, bool], Prepared] = {}


def _roles_beside_seats(user, day: datetime.date) -> list[tuple]:
    """What the user is on `day` besides their seats, in one query: the teams they
    coordinate, the organisations they manage, their process-leader row, whether they review
    the log, and their own organisation's sector (which the case gate needs). Each part is
    the query its own function runs alone (one definition of each rule)."""
    with_own = bool(user.organisation_id)
    query = _roles_prepared.get((day, with_own))
    if query is None:
        if len(_roles_prepared) > 8:  # yesterday's are not needed any more
            _roles_prepared.clear()
        if with_own:
            query = Prepared(functools.partial(_roles_query, day), (int, int))
        else:
            query = Prepared(lambda user_id: _roles_query(day, user_id, None), (int,))
        _roles_prepared[(day, with_own)] = query
    if with_own:
        return query(user.pk, user.organisation_id)
    return query(user.pk)


def user_roles(user, day: datetime.date | None = None) -> Roles:
    """The user's roles on `day` in two queries (their seats; everything else), which also
    fill the per-request caches of `coordinated_team_ids`, `managed_organisations`,
    `is_log_reviewer` and `own_sector`, so the rest of the page reads none of them again."""
    day = day or timezone.localdate()
    if not user.is_authenticated:
        return Roles()
    seats = active_seats_of(user, day)
    rows = _roles_beside_seats(user, day)
    coordinated = frozenset(number for kind, number, _t in rows if kind == "coordinates")
    user.__dict__.setdefault("_coordinated_team_ids", {})[day] = coordinated
    # Managers and process leaders are few: only they pay a query for the details.
    if any(kind == "manages" for kind, _n, _t in rows):
        managed = managed_organisations(user, day)
    else:
        managed = user.__dict__.setdefault("_managed_organisations", {})[day] = []
    leads = any(kind == "leads" for kind, _n, _t in rows)
    process_leader = _process_leader(user) if leads else None
    if not user.is_superuser and user.is_active:
        user.__dict__["_is_log_reviewer"] = any(kind == "reviews" for kind, _n, _t in rows)
    if user.organisation_id:
        user.__dict__["_own_sector"] = next(
            (text for kind, _n, text in rows if kind == "own_sector"), None
        )
    return Roles(seats, set(coordinated), managed, process_leader)


def own_sector(user) -> str | None:
    """The sector of the user's own organisation; no query when the roles were read."""
    if not user.organisation_id:
        return None
    if "_own_sector" not in user.__dict__:
        if user._meta.get_field("organisation").is_cached(user):
            user.__dict__["_own_sector"] = user.organisation.sector
        else:
            user.__dict__["_own_sector"] = (
                Organisation.objects.filter(pk=user.organisation_id)
                .values_list("sector", flat=True)
                .first()
            )
    return user.__dict__["_own_sector"]


def is_log_reviewer(user) -> bool:
    """A named log reviewer: a person given "Can review the whole access log" (directly or
    through a group). Never an administrator as such: `has_perm` lets every superuser
    through, so the permission is read from the tables, and superusers are refused."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    if "_is_log_reviewer" in user.__dict__:  # read with the roles, this request
        return user.__dict__["_is_log_reviewer"]
    return _review_permissions(user).exists()


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
