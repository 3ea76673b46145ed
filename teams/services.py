"""Writes to the HLT structure. Each function is the only road to its change."""

import datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    PROFESSIONS_BY_SECTOR,
    CoordinatorAppointment,
    KeyPerson,
    Manager,
    Organisation,
    Team,
    TeamSectorGroup,
    Term,
    User,
)


def team_sector_group(*, team: Team, sector: str) -> Group:
    """The auth group holding the team's current key persons of one sector."""
    try:
        return TeamSectorGroup.objects.select_related("group").get(team=team, sector=sector).group
    except TeamSectorGroup.DoesNotExist:
        with transaction.atomic():
            group = Group.objects.create(name=f"team-{team.pk}-{sector}")
            TeamSectorGroup.objects.create(team=team, sector=sector, group=group)
        return group


def _sync_membership(*, user: User, team: Team, sector: str, day: datetime.date) -> None:
    group = team_sector_group(team=team, sector=sector)
    seated = (
        KeyPerson.objects.active_on(day)
        .filter(user=user, team=team, organisation__sector=sector)
        .exists()
    )
    if seated:
        user.groups.add(group)
    else:
        user.groups.remove(group)


def _ensure_manages(user: User, organisation: Organisation, day: datetime.date) -> None:
    if user.is_superuser:
        return
    if not Manager.objects.active_on(day).filter(user=user, organisation=organisation).exists():
        raise PermissionDenied(_("You are not a manager of %(org)s.") % {"org": organisation})


@transaction.atomic
def key_person_appoint(
    *,
    appointed_by: User,
    user: User,
    team: Team,
    profession: str,
    active_from: datetime.date,
) -> KeyPerson:
    """A manager gives one of their organisation's staff a seat in a team."""
    today = timezone.localdate()
    organisation = user.organisation
    if organisation is None:
        raise ValidationError({"user": _("The person does not belong to an organisation.")})
    _ensure_manages(appointed_by, organisation, today)
    if profession not in PROFESSIONS_BY_SECTOR[organisation.sector]:
        raise ValidationError(
            {
                "profession": _("This profession does not belong to the sector of %(org)s.")
                % {"org": organisation}
            }
        )
    if not team.is_active:
        raise ValidationError({"team": _("The team is no longer active.")})
    overlapping = KeyPerson.objects.filter(user=user, team=team).exclude(active_to__lt=active_from)
    if overlapping.exists():
        raise ValidationError({"user": _("The person already has a seat in this team.")})
    seat = KeyPerson(
        user=user,
        team=team,
        organisation=organisation,
        profession=profession,
        active_from=active_from,
        appointed_by=appointed_by,
    )
    seat._change_reason = "appointed"
    seat.full_clean()
    seat.save()
    _sync_membership(user=user, team=team, sector=organisation.sector, day=today)
    return seat


@transaction.atomic
def key_person_end(*, ended_by: User, key_person: KeyPerson, active_to: datetime.date) -> KeyPerson:
    """End a seat. The seat and its history stay; access through the team ends with it."""
    today = timezone.localdate()
    _ensure_manages(ended_by, key_person.organisation, today)
    if active_to < key_person.active_from:
        raise ValidationError({"active_to": _("The end date cannot be before the start date.")})
    if key_person.active_to is not None and key_person.active_to <= today:
        raise ValidationError({"active_to": _("This seat has already ended.")})
    key_person.active_to = active_to
    key_person._change_reason = "ended"
    key_person.save(update_fields=["active_to"])
    _sync_membership(
        user=key_person.user, team=key_person.team, sector=key_person.sector, day=today
    )
    return key_person


@transaction.atomic
def coordinator_appoint(
    *, appointed_by: User | None, key_person: KeyPerson, terms: list[Term]
) -> list[CoordinatorAppointment]:
    """Make a key person the team's coordinator for one term, or two (a school year)."""
    appointments = []
    for term in terms:
        if not (key_person.is_active_on(term.starts_on) or key_person.is_active_on(term.ends_on)):
            raise ValidationError(
                {
                    "key_person": _("%(person)s has no seat in the team during %(term)s.")
                    % {"person": key_person.user, "term": term}
                }
            )
        if CoordinatorAppointment.objects.filter(team=key_person.team, term=term).exists():
            raise ValidationError(
                {
                    "term": _("%(team)s already has a coordinator for %(term)s.")
                    % {"team": key_person.team, "term": term}
                }
            )
        try:
            with transaction.atomic():
                appointments.append(
                    CoordinatorAppointment.objects.create(
                        team=key_person.team,
                        term=term,
                        key_person=key_person,
                        appointed_by=appointed_by,
                    )
                )
        except IntegrityError:  # a concurrent appointment won the race
            raise ValidationError(
                {
                    "term": _("%(team)s already has a coordinator for %(term)s.")
                    % {"team": key_person.team, "term": term}
                }
            ) from None
    return appointments


@transaction.atomic
def team_groups_sync(*, day: datetime.date | None = None) -> int:
    """Bring every team group in line with the seats active on `day`.

    Seats can be given future start or end dates; this daily job makes them
    take effect. Returns how many memberships changed.
    """
    day = day or timezone.localdate()
    changed = 0
    wanted: dict[int, set[int]] = {}
    for seat in KeyPerson.objects.active_on(day).select_related("organisation"):
        group = team_sector_group(team=seat.team, sector=seat.organisation.sector)
        wanted.setdefault(group.pk, set()).add(seat.user_id)
    for tsg in TeamSectorGroup.objects.select_related("group"):
        members = set(tsg.group.user_set.values_list("pk", flat=True))
        should = wanted.get(tsg.group_id, set())
        if add := should - members:
            tsg.group.user_set.add(*add)
        if remove := members - should:
            tsg.group.user_set.remove(*remove)
        changed += len(add) + len(remove)
    return changed
