"""Who may see which teams' statistics: process leaders their scope, coordinators their team."""

from dataclasses import dataclass

from django.db.models import QuerySet

from teams.models import CoordinatorAppointment, ProcessLeader, Team


def _scope(user) -> tuple[QuerySet[Team], bool] | None:
    """The teams the user may see statistics of, and whether they are a process leader (whose
    scope may be empty: a region without teams yet); None when they may see none at all."""
    if not user.is_authenticated:
        return None
    leader = ProcessLeader.objects.filter(user=user, is_active=True).first()
    if leader is not None:
        return Team.objects.filter(leader.teams_q()), True
    coordinated = (
        CoordinatorAppointment.objects.current().filter(key_person__user=user).values("team_id")
    )
    return Team.objects.filter(pk__in=coordinated), False


def teams_for_statistics(user) -> QuerySet[Team] | None:
    """None when the user may see no statistics at all (→ 403)."""
    scope = _scope(user)
    if scope is None:
        return None
    teams, leader = scope
    return teams if leader or teams.exists() else None


@dataclass
class StatisticsScope:
    teams: QuerySet[Team]
    # (team pk, name, municipality pk, name, region pk, name) by team name: the filter's
    # choices, the scope's team ids and its region, from one query.
    rows: list[tuple[int, str, int, str, int, str]]


def statistics_scope(user) -> StatisticsScope | None:
    """`teams_for_statistics` with the teams' rows read at once (the statistics page needs
    them anyway: asking first whether there are any would be one query more). None → 403."""
    scope = _scope(user)
    if scope is None:
        return None
    teams, leader = scope
    rows = list(
        teams.order_by("name").values_list(
            "pk",
            "name",
            "municipality_id",
            "municipality__name",
            "municipality__region_id",
            "municipality__region__name",
        )
    )
    if not rows and not leader:
        return None
    return StatisticsScope(teams, rows)
