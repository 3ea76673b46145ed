"""The building blocks every statistics module shares: a distribution of counts per team,
and lead times summarised as median and 90th percentile."""

import datetime
import statistics as pystats
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

LeadTime = tuple[float | None, float | None, int]  # median, 90th percentile, number of cases


@dataclass
class Distribution:
    """Counts per category (columns) per team (rows)."""

    key: str
    title: str
    columns: list[tuple[str, str]]  # (code, label)
    by_team: dict[int, list[int]] = field(default_factory=dict)


def percentiles(values: list[int]) -> LeadTime:
    if not values:
        return None, None, 0
    ordered = sorted(values)
    median = pystats.median(ordered)
    p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]
    return float(median), float(p90), len(ordered)


def as_days(value) -> int:
    """A date difference from the database: an interval on PostgreSQL, a number elsewhere."""
    return value.days if isinstance(value, datetime.timedelta) else int(value)


def count_for_team(queryset, team_field: str):
    """A per-team count as a subquery for annotating the teams themselves, so counts from
    several tables come back in the one query that lists the teams."""
    counted = (
        queryset.filter(**{team_field: OuterRef("pk")})
        .order_by()
        .values(team_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
