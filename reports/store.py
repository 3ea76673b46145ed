"""Term statistics computed once per team and term, protected once per region and term.

- `TeamTermFigures` holds each team's raw figures for a term. A row is computed when first
  needed, deleted when something it counts changes (reports.signals) and replaced every
  night (`manage.py refresh_statistics`).
- `published(region, term)` builds the region's cube from those rows and runs the
  disclosure step on it. The result is kept in the shared cache (CACHE_URL) under a key made
  from the rows' time stamps, so every server process publishes the same figures, and a
  change to any team gives a new key at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from teams.models import Municipality, Region, Team, Term

from . import disclosure, statistics
from .models import TeamTermFigures


def figures_refresh(*, term: Term, team_ids: list[int]) -> dict[int, dict]:
    """Compute and store the raw figures of some teams for a term (one batch of aggregate
    queries, whatever the number of teams)."""
    if not team_ids:
        return {}
    stats = statistics.term_statistics(teams=Team.objects.filter(pk__in=team_ids), term=term)
    figures = statistics.team_figures(stats)
    now = timezone.now()
    with transaction.atomic():
        TeamTermFigures.objects.bulk_create(
            [
                TeamTermFigures(team_id=t, term=term, figures=f, computed_at=now)
                for t, f in figures.items()
            ],
            update_conflicts=True,
            unique_fields=["team", "term"],
            update_fields=["figures", "computed_at"],
        )
    return figures


def figures_forget(*, team_id: int) -> None:
    """Something a team's figures count has changed: recompute them when next needed."""
    TeamTermFigures.objects.filter(team_id=team_id).delete()


def _structure(region: Region) -> list[disclosure.Node]:
    nodes = [disclosure.Node("region", region.pk, region.name, None)]
    munis = {}
    for muni in Municipality.objects.filter(region=region).order_by("name", "pk"):
        munis[muni.pk] = len(nodes)
        nodes[0].children.append(len(nodes))
        nodes.append(disclosure.Node("municipality", muni.pk, muni.name, 0))
    for team in Team.objects.filter(municipality__region=region).order_by("name", "pk"):
        parent = munis[team.municipality_id]
        nodes[parent].children.append(len(nodes))
        nodes.append(disclosure.Node("team", team.pk, team.name, parent))
    return nodes


def published(*, region: Region, term: Term) -> disclosure.Published:
    """The region's protected figures for the term, the same for every reader and process."""
    nodes = _structure(region)
    team_ids = [n.pk for n in nodes if n.kind == "team"]
    stamps = dict(
        TeamTermFigures.objects.filter(term=term, team_id__in=team_ids).values_list(
            "team_id", "computed_at"
        )
    )
    missing = [t for t in team_ids if t not in stamps]
    fresh = figures_refresh(term=term, team_ids=missing) if missing else {}
    if fresh:
        stamps.update(
            TeamTermFigures.objects.filter(term=term, team_id__in=missing).values_list(
                "team_id", "computed_at"
            )
        )
    key = "reports:published:{}:{}:{}".format(
        region.pk,
        term.pk,
        disclosure.fingerprint(
            [
                settings.STATISTICS_THRESHOLD,
                [(n.kind, n.pk, n.name, n.parent) for n in nodes],
                sorted((t, s.isoformat()) for t, s in stamps.items()),
            ]
        ),
    )
    found = cache.get(key)
    if found is not None:
        return found
    figures = dict(
        TeamTermFigures.objects.filter(term=term, team_id__in=team_ids).values_list(
            "team_id", "figures"
        )
    )
    result = disclosure.protect(disclosure.Cube(nodes, figures))
    result.computed_at = max(stamps.values(), default=timezone.now())
    cache.set(key, result, settings.STATISTICS_CACHE_SECONDS)
    return result


def refresh_all(*, terms: list[Term] | None = None) -> int:
    """The nightly job: recompute every team's figures for the current and the previous term
    (older terms change only through late edits, which reports.signals catches)."""
    if terms is None:
        current = Term.objects.current()
        terms = Term.objects.back_from(current, 2)
    team_ids = list(Team.objects.values_list("pk", flat=True))
    for term in terms:
        figures_refresh(term=term, team_ids=team_ids)
    return len(team_ids) * len(terms)
