"""The building blocks every statistics module shares: a distribution of counts per team,
and lead times summarised as median and 90th percentile."""

import datetime
import math
import statistics as pystats
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet, Value

LeadTime = tuple[float | None, float | None, int]  # median, 90th percentile, number of cases


@dataclass
class Distribution:
    """Counts per category (columns) per team (rows)."""

    key: str
    title: str
    columns: list[tuple[str, str]]  # (code, label)
    by_team: dict[int, list[int]] = field(default_factory=dict)


def nearest_rank(ordered: list[int], share: float) -> int:
    """The nearest-rank percentile: the smallest value with at least `share` of the values
    at or below it, i.e. the ⌈share·n⌉-th smallest (Hyndman & Fan's definition 1; no
    interpolation, so it is always one of the cases' own values)."""
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[max(rank, 1) - 1]


def percentiles(values: list[int]) -> LeadTime:
    """The median (the middle value, or the mean of the two middle ones) and the 90th
    percentile by nearest rank."""
    if not values:
        return None, None, 0
    ordered = sorted(values)
    median = pystats.median(ordered)
    return float(median), float(nearest_rank(ordered, 0.9)), len(ordered)


def as_days(value) -> int:
    """A date difference from the database: an interval on PostgreSQL, a number elsewhere."""
    return value.days if isinstance(value, datetime.timedelta) else int(value)


def counts_per_team(counted: dict[str, tuple[QuerySet, str]]) -> dict[str, dict[int, int]]:
    """Several per-team counts from different tables in one query: a UNION ALL of one
    grouped count per table. {name: (queryset, path to the team's id)} → {name: {team: n}}."""
    parts = [
        queryset.order_by()
        .values(team_field)
        .annotate(kind=Value(name), n=Count("pk"))
        .values_list(team_field, "kind", "n")
        .order_by()
        for name, (queryset, team_field) in counted.items()
    ]
    result: dict[str, dict[int, int]] = {name: {} for name in counted}
    for team_id, kind, n in parts[0].union(*parts[1:], all=True).order_by():
        result[kind][team_id] = n
    return result
