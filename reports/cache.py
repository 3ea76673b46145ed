"""Term statistics as the pages show them, kept for a few minutes.

A region's figures take a few hundred milliseconds of aggregation over tens of thousands of
cases; process leaders open and filter the same selection many times in a row. The figures
are cached per selection of teams, term and language for STATISTICS_CACHE_SECONDS, and the
page says how old they are. The coordinator's term report is never cached: it freezes the
figures as they are when it is submitted (reports.services.frozen_figures).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from teams.models import Team, Term

from . import statistics


def _key(kind: str, team_ids: list[int], term: Term) -> str:
    teams = hashlib.sha256(",".join(map(str, sorted(team_ids))).encode()).hexdigest()[:32]
    return f"reports:{kind}:{term.pk}:{translation.get_language()}:{teams}"


def page_statistics(*, teams, term: Term) -> tuple[statistics.TermStatistics, dict, object]:
    """The term's statistics and six terms' trends for the selection, and when they were
    computed."""
    team_ids = list(teams.values_list("pk", flat=True))
    key = _key("page", team_ids, term)
    found = cache.get(key)
    if found is None:
        stats = statistics.term_statistics(teams=Team.objects.filter(pk__in=team_ids), term=term)
        trends = statistics.trends(team_ids=team_ids, terms=statistics.terms_back(term, 6))
        found = (stats, trends, timezone.now())
        cache.set(key, found, settings.STATISTICS_CACHE_SECONDS)
    return found
