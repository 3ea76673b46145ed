"""Who may see which teams' statistics: process leaders their scope, coordinators their team."""

from django.db.models import QuerySet

from teams.models import CoordinatorAppointment, ProcessLeader, Team


def teams_for_statistics(user) -> QuerySet[Team] | None:
    """None when the user may see no statistics at all (→ 403)."""
    if not user.is_authenticated:
        return None
    leader = ProcessLeader.objects.filter(user=user, is_active=True).first()
    if leader is not None:
        return Team.objects.filter(leader.teams_q())
    coordinated = (
        CoordinatorAppointment.objects.current().filter(key_person__user=user).values("team_id")
    )
    teams = Team.objects.filter(pk__in=coordinated)
    return teams if teams.exists() else None
