"""Every figure for a small hand-built data set, worked out by hand below."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from meetings.models import AgendaItem, Meeting
from reports import statistics, tables
from reports.disclosure import HIDDEN_MARK as HIDDEN
from teams.models import Team, Term
from tests import factories as f

pytestmark = pytest.mark.django_db


def _at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day + "T10:00"))


@pytest.fixture
def data(world):
    """Team A: three new cases in VT 2026 and one still active from HT 2025.
    Team B: six new cases, all girls of 8 from school about learning."""
    org = {"school": world.school, "health": world.health, "social": world.social}

    def case(
        team,
        *,
        actualised,
        age,
        sex,
        sector,
        areas,
        reasons=(),
        consent=None,
        discussed=None,
        closed=None,
        reason="",
    ):
        c = f.CaseFactory(
            child=f.ChildFactory(sex=sex),
            team=team,
            initiated_by=world.key_person,
            initiating_organisation=org[sector],
            status="closed" if closed else "actualised",
            actualised_at=_at(actualised),
            age_at_actualisation=age,
            concern_health="health" in areas,
            concern_learning="learning" in areas,
            concern_safety="safety" in areas,
            concern_reasons=list(reasons),
            closed_at=_at(closed) if closed else None,
            closing_reason=reason,
        )
        if consent:
            f.ConsentFactory(
                case=c,
                signed_on=datetime.date.fromisoformat(consent),
                valid_until=datetime.date(2027, 12, 31),
            )
        if discussed:
            meeting = Meeting.objects.get_or_create(
                team=team,
                date=datetime.date.fromisoformat(discussed),
                defaults={
                    "term": Term.objects.ensure_for_day(datetime.date.fromisoformat(discussed)),
                    "starts_at": datetime.time(13),
                    "ends_at": datetime.time(15),
                    "place": "Rum 2",
                    "state": Meeting.State.HELD,
                },
            )[0]
            AgendaItem.objects.create(
                meeting=meeting,
                case=c,
                position=meeting.items.count() + 1,
                minutes=20,
                is_open=False,
                added_by=world.coordinator,
                minutes_recorded_at=_at(discussed),
            )
        return c

    a, b = world.team_a, world.team_b
    case(
        a,
        actualised="2026-02-10",
        age=7,
        sex="girl",
        sector="school",
        areas=("health", "learning"),
        reasons=("health_mental", "learning_absence"),
        consent="2026-02-01",
        discussed="2026-02-17",
    )
    case(
        a,
        actualised="2026-03-05",
        age=14,
        sex="boy",
        sector="health",
        areas=("safety",),
        reasons=("safety_family",),
        consent="2026-03-01",
        discussed="2026-03-17",
        closed="2026-05-20",
        reason="goals_met",
    )
    case(a, actualised="2025-10-01", age=10, sex="girl", sector="social", areas=("safety",))
    case(
        a,
        actualised="2026-04-01",
        age=3,
        sex="other",
        sector="school",
        areas=("learning",),
        consent="2026-03-20",
        discussed="2026-04-14",
    )
    for _ in range(6):
        case(
            b,
            actualised="2026-05-05",
            age=8,
            sex="girl",
            sector="school",
            areas=("learning",),
            reasons=("learning_achievement",),
            consent="2026-05-01",
            discussed="2026-05-12",
        )
    return Term.objects.ensure_for_day(datetime.date(2026, 3, 1))


def _stats(world, term):
    return statistics.term_statistics(
        teams=Team.objects.filter(pk__in=[world.team_a.pk, world.team_b.pk]), term=term
    )


def test_the_raw_figures_match_the_hand_count(world, data):
    stats = _stats(world, data)
    a, b = world.team_a.pk, world.team_b.pk
    assert stats.overview[a] == {
        "new": 3,
        "active": 4,
        "meetings_held": 3,
        "cases_discussed": 3,
        "sip_meetings": 0,
        "follow_ups": 0,
        "closed": 1,
    }
    assert stats.overview[b] == {
        "new": 6,
        "active": 6,
        "meetings_held": 1,
        "cases_discussed": 6,
        "sip_meetings": 0,
        "follow_ups": 0,
        "closed": 0,
    }
    by = {d.key: d for d in stats.distributions}
    # 0–5, 6–9, 10–12, 13–15, 16+, not recorded
    assert by["age"].by_team[a] == [1, 1, 0, 1, 0, 0]
    assert by["age"].by_team[b] == [0, 6, 0, 0, 0, 0]
    assert by["sex"].by_team[a] == [1, 1, 1]  # girl, boy, other
    assert by["sector"].by_team[a] == [1, 2, 0]  # health, school (two), social
    assert by["sector"].by_team[b] == [0, 6, 0]
    assert by["area"].by_team[a] == [1, 2, 1]  # health, learning, safety
    reasons = dict(zip([c for c, _l in by["reason"].columns], by["reason"].by_team[a], strict=True))
    assert reasons["health_mental"] == 1 and reasons["safety_family"] == 1
    assert reasons["learning_achievement"] == 0
    assert (
        by["reason"].by_team[b][
            by["reason"].columns.index(
                ("learning_achievement", dict(by["reason"].columns)["learning_achievement"])
            )
        ]
        == 6
    )
    closed = dict(zip([c for c, _l in by["closed"].columns], by["closed"].by_team[a], strict=True))
    assert closed["goals_met"] == 1 and sum(closed.values()) == 1
    # Lead times: 16, 16, 25 days in team A and 11 days six times in team B: the 90th
    # percentile by nearest rank is the ⌈0.9 × 9⌉ = 9th, 25.
    assert stats.lead_times["consent_to_meeting"] == (11.0, 25.0, 9)


def test_the_90th_percentile_is_the_nearest_rank():
    from reports.figures import percentiles

    # ⌈0.9 × 8⌉ = 8: the 8th of 8 (a52b68d gave the 7th, 25).
    assert percentiles([2, 5, 9, 12, 15, 20, 25, 30]) == (13.5, 30.0, 8)
    assert percentiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == (5.5, 9.0, 10)  # 9th of 10
    assert percentiles([7]) == (7.0, 7.0, 1)


def _region(world, term):
    from reports import store

    published = store.published(region=world.team_a.municipality.region, term=term)
    return tables.Selection(published, [0], term)


def test_the_overview_hides_small_numbers_and_what_would_reveal_them(world, data):
    table = tables.overview_table(_region(world, data))
    rows = dict(table.rows)
    new, active = 0, 1
    assert rows[world.team_a.name][new] == HIDDEN  # 3
    assert rows[world.team_b.name][new] == HIDDEN  # 6, or 9 − 6 would give team A's 3 away
    assert table.total[new] == 9 and table.total[active] == 10
    assert rows[world.team_a.name][active] == HIDDEN and rows[world.team_b.name][active] == HIDDEN


def test_figures_at_or_above_the_threshold_are_the_hand_count(world, data):
    sel = _region(world, data)
    by_key = {t.key: t for t in tables.distribution_tables(sel)}
    # The region's age row: 6–9 has team A's 1 and team B's 6; the rest are small.
    assert by_key["age"].total == [HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, 9]
    assert by_key["sector"].total[-1] == 9
    # Zeros are hidden too: a hidden figure beside zeros would mean "at least one".
    assert by_key["closed"].total[-1] == HIDDEN


def test_no_count_under_the_threshold_is_shown_anywhere(world, data):
    sel = _region(world, data)
    for table in [tables.overview_table(sel), *tables.distribution_tables(sel)]:
        for _name, cells in [*table.rows, ("total", table.total or [])]:
            assert not any(isinstance(v, int) and v < 5 for v in cells), (table.key, cells)


def test_statistics_for_a_region_take_a_fixed_number_of_queries(
    world, data, django_assert_max_num_queries
):
    # The teams with their meeting and SIP counts, the case counts, three lead times,
    # interventions, goals and the answers: nine, whatever the number of teams and cases.
    with django_assert_max_num_queries(9):
        _stats(world, data)


def test_the_page_and_exports_show_only_suppressed_figures(world, data, client):
    client.force_login(world.process_leader)
    params = {"term": data.pk}
    page = client.get(reverse("reports:term"), params).content.decode()
    assert ">..<" in page and "<svg" in page
    xlsx = client.get(reverse("reports:export", args=["xlsx"]), params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert HIDDEN in values
    assert not any(isinstance(v, int) and 0 <= v <= 4 for v in values)
    csv_text = client.get(reverse("reports:export", args=["csv"]), params).content.decode()
    assert ".." in csv_text
    for line in csv_text.splitlines():
        for value in line.split(",")[1:]:
            assert value not in {"0", "1", "2", "3", "4"}, line


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("process_leader", 200),
        ("coordinator", 200),
        ("key_person", 403),
        ("manager", 403),
        ("staff", 403),
        ("outsider", 403),
        ("key_person_other_team", 403),
    ],
)
def test_who_sees_statistics(world, client, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("reports:term")).status_code == status
    assert client.get(reverse("reports:export", args=["csv"])).status_code == status


def test_a_coordinator_sees_only_their_own_team(world, data, client):
    client.force_login(world.coordinator)
    page = client.get(reverse("reports:term"), {"term": data.pk}).content.decode()
    assert world.team_a.name in page
    assert world.team_b.name not in page


def test_an_empty_cache_reads_the_stored_protection_instead_of_protecting_again(
    world, data, monkeypatch
):
    """Issue 14: the region's protected figures are kept per term (RegionTermFigures), so a
    reader after the cache expired (or a new server) does not run the disclosure step again."""
    from django.core.cache import cache

    from reports import disclosure, store
    from reports.models import RegionTermFigures

    region = world.team_a.municipality.region
    before = tables.overview_table(_region(world, data))
    assert RegionTermFigures.objects.filter(region=region, term=data).exists()

    def protect_again(*args, **kwargs):
        raise AssertionError("the stored protected figures were not read")

    cache.clear()
    store.forget_recent()
    monkeypatch.setattr(disclosure, "protect", protect_again)
    after = tables.overview_table(_region(world, data))
    assert after.rows == before.rows and after.total == before.total


def test_a_changed_team_is_protected_anew_not_read_from_the_stored_row(world, data, monkeypatch):
    """A counted change drops the team's figures (reports.signals): the stored protection of
    the old figures must not be published for the new ones."""
    from django.core.cache import cache

    from reports import disclosure, store
    from reports.models import TeamTermFigures

    before = tables.overview_table(_region(world, data))
    calls = []
    protect = disclosure.protect
    monkeypatch.setattr(disclosure, "protect", lambda *a, **k: calls.append(1) or protect(*a, **k))
    TeamTermFigures.objects.filter(team=world.team_a).delete()  # what the signal does
    cache.clear()
    store.forget_recent()
    after = tables.overview_table(_region(world, data))
    assert calls, "the figures of the changed team were not protected again"
    assert after.rows == before.rows and after.total == before.total


def test_the_cube_key_names_the_region_rows_and_only_them(world, data):
    """The key under which the protected figures are kept changes when one of the region's
    team rows is recomputed, and not when another region's is."""
    from reports import store

    region = world.team_a.municipality.region
    key = store.published(region=region, term=data).key
    elsewhere = f.TeamFactory(
        municipality=f.MunicipalityFactory(region=f.RegionFactory(name="Region Annanstans"))
    )
    store.figures_refresh(term=data, team_ids=[elsewhere.pk])
    assert store.published(region=region, term=data).key == key
    store.figures_refresh(term=data, team_ids=[world.team_b.pk])
    assert store.published(region=region, term=data).key != key
