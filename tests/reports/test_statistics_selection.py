"""The statistics page reads the reader's teams, their regions and the terms once and works
out the rest from those rows (reports.views._selection)."""

import pytest
from django.urls import reverse

from reports.views import _terms_back
from teams.models import Term
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_trend_terms_are_the_terms_back_from_the_chosen_one(world):
    current = Term.objects.current()
    stored = Term.objects.back_from(current, 9, ensure=True)
    by_kind_year = {(t.kind, t.year): t for t in Term.objects.all()}
    for term in stored[5:]:  # an autumn and a spring term among them
        assert _terms_back(term, 6, by_kind_year) == Term.objects.back_from(term, 6)


def test_a_missing_earlier_term_is_stored_for_the_page(world, client):
    current = Term.objects.current()
    terms = Term.objects.back_from(current, 6, ensure=True)
    gone = terms[2]
    gone.delete()
    by_kind_year = {(t.kind, t.year): t for t in Term.objects.all()}
    assert _terms_back(terms[-1], 6, by_kind_year) is None
    client.force_login(world.process_leader)
    assert client.get(reverse("reports:term")).status_code == 200
    assert Term.objects.filter(kind=gone.kind, year=gone.year).exists()


def test_a_process_leader_of_a_region_without_teams_sees_that_there_is_nothing(client):
    leader = f.ProcessLeaderFactory(region=f.RegionFactory()).user
    client.force_login(leader)
    response = client.get(reverse("reports:term"))
    assert response.status_code == 200
    assert "reports/term_statistics_empty.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(("other_region", "first"), [("Alfa", "other"), ("Östra", "own")])
def test_a_leader_of_municipalities_in_two_regions_sees_the_first_by_name(
    world, client, other_region, first
):
    other = f.TeamFactory(
        municipality=f.MunicipalityFactory(region=f.RegionFactory(name=other_region))
    )
    leader = f.ProcessLeaderFactory(region=None)
    leader.municipalities.set([world.municipality, other.municipality])
    client.force_login(leader.user)
    page = client.get(reverse("reports:term")).content.decode()
    figures = page[page.index('<nav aria-labelledby="contents-heading"') :]
    shown = {"own": world.team_a.name, "other": other.name}
    assert shown[first] in figures
    assert shown["own" if first == "other" else "other"] not in figures


def test_the_term_before_a_spring_term_is_the_autumn_term_of_the_year_before():
    spring = Term(kind=Term.Kind.SPRING, year=2026)
    autumn = Term(kind=Term.Kind.AUTUMN, year=2026)
    assert Term.keys_back(spring, 3) == [("VT", 2025), ("HT", 2025), ("VT", 2026)]
    assert Term.keys_back(autumn, 2) == [("VT", 2026), ("HT", 2026)]
    assert Term.keys_back(autumn, 1) == [("HT", 2026)]
