"""Term statistics computed once per team and term, protected once per region and term.

- `TeamTermFigures` holds each team's raw figures for a term. A row is computed when first
  needed, deleted when something it counts changes (reports.signals) and replaced every
  night (`manage.py refresh_statistics`).
- `published(region, term)` builds the region's cube from those rows and runs the
  disclosure step on it. The result is kept in the shared cache (CACHE_URL) under a key made
  from the rows' time stamps, so every server process publishes the same figures, and a
  change to any team gives a new key at once.
- `RegionTermFigures` keeps the same protected figures under the same key in the database,
  so a page with an empty cache (expired, emptied, a new server) reads them instead of
  running the disclosure step again; only the first reader after a change protects anew.
"""

import functools
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from teams.models import Municipality, Region, Team, Term

from . import disclosure, statistics, tables
from .models import RegionTermFigures, TeamTermFigures


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


# The two reads every page makes to name the cubes it wants, as plain SQL: compiling the
# same ORM queries (joins, aggregates) on every request cost more than running them.
_STRUCTURE_SQL = f"""
    SELECT t.id, t.name, t.municipality_id, m.name
    FROM {Team._meta.db_table} t
    JOIN {Municipality._meta.db_table} m ON m.id = t.municipality_id
    WHERE m.region_id = %s
"""  # noqa: S608 (table names from the models; the region is a parameter)
_STAMPS_SQL = f"""
    SELECT f.term_id, COUNT(f.id), SUM(f.id), MIN(f.computed_at), MAX(f.computed_at)
    FROM {TeamTermFigures._meta.db_table} f
    JOIN {Team._meta.db_table} t ON t.id = f.team_id
    JOIN {Municipality._meta.db_table} m ON m.id = t.municipality_id
    WHERE m.region_id = %s AND f.term_id = ANY(%s)
    GROUP BY f.term_id
"""  # noqa: S608 (table names from the models; the values are parameters)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _structure(region: Region) -> list[disclosure.Node]:
    """The fixed hierarchy of the region, in one query."""
    nodes = [disclosure.Node("region", region.pk, region.name, None)]
    munis: dict[int, int] = {}
    rows = _rows(_STRUCTURE_SQL, [region.pk])
    for pk, name, muni_pk, muni_name in sorted(rows, key=lambda r: (r[3], r[2], r[1], r[0])):
        if muni_pk not in munis:
            munis[muni_pk] = len(nodes)
            nodes[0].children.append(len(nodes))
            nodes.append(disclosure.Node("municipality", muni_pk, muni_name, 0))
        parent = munis[muni_pk]
        nodes[parent].children.append(len(nodes))
        nodes.append(disclosure.Node("team", pk, name, parent))
    return nodes


_recent: OrderedDict[str, disclosure.Published] = OrderedDict()
RECENT_CUBES = 32


def _remember(key: str, published: disclosure.Published) -> disclosure.Published:
    _recent[key] = published
    _recent.move_to_end(key)
    while len(_recent) > RECENT_CUBES:
        _recent.popitem(last=False)
    return published


def _stamps(region: Region, term_ids: list[int]) -> dict[int, tuple]:
    """Per term, what names the content of the region's team rows: how many, the sum of their
    ids and their first and last time stamps. A row recomputed after a change is a new row
    (new id: the sum grows), and the nightly job gives every row a new time stamp."""
    return {row[0]: row[1:] for row in _rows(_STAMPS_SQL, [region.pk, list(term_ids)])}


def published(*, region: Region, term: Term) -> disclosure.Published:
    """The region's protected figures for the term, the same for every reader and process."""
    return published_terms(region=region, terms=[term])[term.pk]


def published_terms(
    *,
    region: Region,
    terms: list[Term],
    groups: list[str] | None = None,
    whole: Term | None = None,
) -> dict[int, disclosure.Published]:
    """The region's protected figures for several terms (the page's term and its trends): a
    fixed number of queries when they are cached, one batch per term that isn't. With
    `groups`, only those groups are protected (and may be read) – except for the `whole`
    term – giving the same cells as the whole cube would."""
    if whole is not None and whole not in terms:
        terms = [*terms, whole]

    def groups_of(term):
        return None if whole is not None and term.pk == whole.pk else groups

    nodes = _structure(region)
    team_ids = [n.pk for n in nodes if n.kind == "team"]
    term_ids = [t.pk for t in terms]
    stamps = _stamps(region, term_ids)
    for term in terms:
        if stamps.get(term.pk, (0,))[0] < len(team_ids):
            have = set(
                TeamTermFigures.objects.filter(term=term, team_id__in=team_ids).values_list(
                    "team_id", flat=True
                )
            )
            figures_refresh(term=term, team_ids=[t for t in team_ids if t not in have])
            stamps.update(_stamps(region, [term.pk]))
        stamps.setdefault(term.pk, (0, 0, None, None))  # a region without teams
    shape = [(n.kind, n.pk, n.name, n.parent) for n in nodes]
    keys = {
        term.pk: "reports:published:{}:{}:{}".format(
            region.pk,
            term.pk,
            disclosure.fingerprint(
                [
                    settings.STATISTICS_THRESHOLD,
                    sorted(groups_of(term)) if groups_of(term) else None,
                    shape,
                    [str(part) for part in stamps[term.pk]],
                ]
            ),
        )
        for term in terms
    }
    # A process keeps the last few cubes it read: a key names one content (it is made from
    # every row's time stamp), so this can't differ from the shared cache, and it saves
    # unpickling a region's cube on every request.
    found = {key: _recent[key] for key in keys.values() if key in _recent}
    wanted = [key for key in keys.values() if key not in found]
    if wanted:
        found.update(cache.get_many(wanted))
    wanted = [key for key in keys.values() if key not in found]
    if wanted:
        # Not in the cache (it expired, or was emptied): the stored protected figures. Only
        # _store writes these bytes, as trusted as the cache's own pickles (Django's caches
        # pickle too).
        stored = {
            key: pickle.loads(data)  # noqa: S301
            for key, data in RegionTermFigures.objects.filter(key__in=wanted).values_list(
                "key", "published"
            )
        }
        if stored:
            cache.set_many(stored, settings.STATISTICS_CACHE_SECONDS)
            found.update(stored)
    result = {}
    for term in terms:
        key = keys[term.pk]
        if key in found:
            result[term.pk] = _remember(key, found[key])
            result[term.pk].key = key
            continue
        figures = dict(
            TeamTermFigures.objects.filter(term=term, team_id__in=team_ids).values_list(
                "team_id", "figures"
            )
        )
        protected = disclosure.protect(
            disclosure.Cube(nodes, figures, groups_of(term)), groups=groups_of(term)
        )
        protected.computed_at = stamps[term.pk][3] or timezone.now()
        cache.set(key, protected, settings.STATISTICS_CACHE_SECONDS)
        _store(region, term, groups_of(term), key, protected)
        result[term.pk] = _remember(key, protected)
        protected.key = key
    return result


def _store(region, term, groups, key, protected) -> None:
    """Keep the protected figures for the next reader with an empty cache (one row per region,
    term and part, replaced)."""
    RegionTermFigures.objects.bulk_create(
        [
            RegionTermFigures(
                region=region,
                term=term,
                part=",".join(sorted(groups)) if groups else "",
                key=key,
                published=pickle.dumps(protected, protocol=pickle.HIGHEST_PROTOCOL),
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["region", "term", "part"],
        update_fields=["key", "published", "computed_at"],
    )


_rendered: OrderedDict[str, str] = OrderedDict()
_rendered_lock = threading.Lock()
RENDERED_CHARS = 8_000_000  # a region's figures are ~100,000 characters, a team's ~20,000


@functools.cache
def _html_source() -> str:
    """A fingerprint of everything that writes the figures' HTML besides its key: the
    project's own code and templates (this app's tables and charts, and what they read from
    other apps: the questionnaire's questions, the terms' names), the compiled translations and
    Django's version. Read once per process. In the shared cache's keys, it keeps one release's
    HTML from ever being served by another (a deploy changes the fingerprint; servers running
    the same release share)."""
    digest = hashlib.sha256(django.get_version().encode())
    base = Path(settings.BASE_DIR).resolve()
    paths = []
    for app in apps.get_app_configs():
        folder = Path(app.path).resolve()
        if folder.is_relative_to(base) and ".venv" not in folder.relative_to(base).parts:
            paths += [*folder.rglob("*.py"), *folder.rglob("*.html")]
    for directory in settings.LOCALE_PATHS:
        paths.extend(Path(directory).rglob("*.mo"))
    for path in sorted(set(paths)):
        if "migrations" in path.parts:
            continue
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rendered(key: list, render: Callable[[], str]) -> str:
    """HTML made from protected figures only, kept under `key`, which must name everything
    the HTML depends on: the cubes' keys (each names one content), the reader's nodes, the
    language. The page's tables are most of its CPU, and the same few sets of figures are
    read again and again between two changes.

    Kept by this process first, then in the shared cache (CACHE_URL), so each set is
    rendered once for all server processes rather than once in each: with many readers'
    scopes, a process that rendered each for itself spent most of the page's CPU doing so
    (a process leader's page cost twice as much with ten times the teams). The HTML holds
    protected figures only, as the cached cubes do."""
    name = disclosure.fingerprint(key)
    with _rendered_lock:  # a threaded server (runserver) shares the memo between requests
        html = _rendered.get(name)
        if html is not None:
            _rendered.move_to_end(name)
            return html
    shared_name = f"statistics-html:{_html_source()}:{name}"
    html = cache.get(shared_name)
    if html is None:
        html = render()
        cache.set(shared_name, html, settings.STATISTICS_CACHE_SECONDS)
    with _rendered_lock:
        _rendered[name] = html
        size = sum(map(len, _rendered.values()))
        while size > RENDERED_CHARS and len(_rendered) > 1:
            size -= len(_rendered.popitem(last=False)[1])
    return html


def forget_recent() -> None:
    """Empty this process's memo of cubes and rendered figures (a cold measurement:
    bench/measure.py)."""
    _recent.clear()
    _rendered.clear()


def refresh_all(*, terms: list[Term] | None = None) -> int:
    """The nightly job: recompute every team's figures for the current and the previous term
    (older terms change only through late edits, which reports.signals catches), then protect
    each region's figures for the page's seven terms into the shared cache, so the first
    reader of the day doesn't wait for it."""
    current = Term.objects.ensure_current()  # figures are stored per term row
    if terms is None:
        terms = Term.objects.back_from(current, 2, ensure=True)
    team_ids = list(Team.objects.values_list("pk", flat=True))
    for term in terms:
        figures_refresh(term=term, team_ids=team_ids)
    page_terms = Term.objects.back_from(current, 7, ensure=True)
    for region in Region.objects.filter(municipalities__teams__isnull=False).distinct():
        published_terms(
            region=region,
            terms=page_terms[:-1],
            groups=[key for key, _title in tables.TRENDS],
            whole=current,
        )
    return len(team_ids) * len(terms)
