"""Personas for every test: the people of two teams in one region, and some outsiders.

team_a (school, health and social key persons, a coordinator), team_b in the same
region, a manager of team_a's school, a process leader of the region, a staff
member with no seat and an outsider with no organisation at all.
"""

import os
from types import SimpleNamespace

import pytest

from tests import factories as f


def pytest_sessionstart(session):
    """Fail in one clear line when PostgreSQL does not answer, instead of many errors."""
    if session.config.option.collectonly:
        return
    import environ
    import psycopg

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hlt")
    cfg = environ.Env.db_url_config(url)
    try:
        psycopg.connect(
            host=cfg.get("HOST") or None,
            port=cfg.get("PORT") or None,
            user=cfg.get("USER"),
            password=cfg.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        pytest.exit(
            f"PostgreSQL does not answer at {cfg.get('HOST')}:{cfg.get('PORT')} "
            "– start it or set DATABASE_URL.",
            returncode=3,
        )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    """A module that builds a module-scoped fixture (a generated region, the demo) runs on one
    pytest-xdist worker, so the fixture is built once per run rather than once per worker."""
    for item in items:
        definitions = item._fixtureinfo.name2fixturedefs.values()
        if any(defs and defs[-1].scope in ("module", "package") for defs in definitions):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> SimpleNamespace:
    """The personas (also built once per module by tests that walk every URL)."""
    region = f.RegionFactory(name="Region Testland")
    muni = f.MunicipalityFactory(region=region, name="Testköping")
    school = f.OrganisationFactory(name="Solenskolan", sector="school", municipality=muni)
    health = f.OrganisationFactory(name="Öbacka hälsocentral", sector="health", municipality=muni)
    social = f.OrganisationFactory(name="Barn och familj", sector="social", municipality=muni)
    team_a = f.TeamFactory(name="HLT Centrum", municipality=muni)
    team_b = f.TeamFactory(name="HLT Norr", municipality=muni)
    coordinator_seat = f.KeyPersonFactory(
        team=team_a, user__organisation=school, user__full_name="Cora Samordnare"
    )
    f.CoordinatorAppointmentFactory(key_person=coordinator_seat)
    key_person = f.KeyPersonFactory(
        team=team_a, user__organisation=school, user__full_name="Kim Skola"
    ).user
    key_person_health = f.KeyPersonFactory(
        team=team_a,
        user__organisation=health,
        profession="counsellor",
        user__full_name="Hanna Hälsa",
    ).user
    key_person_social = f.KeyPersonFactory(
        team=team_a,
        user__organisation=social,
        profession="social_worker",
        user__full_name="Sam Social",
    ).user
    key_person_other_team = f.KeyPersonFactory(
        team=team_b, user__organisation=school, user__full_name="Olle Annatteam"
    ).user
    manager = f.ManagerFactory(user__organisation=school, user__full_name="Maja Chef").user
    process_leader = f.ProcessLeaderFactory(region=region, user__full_name="Per Processledare").user
    staff = f.UserFactory(organisation=school, full_name="Stina Personal")
    outsider = f.UserFactory(organisation=None, full_name="Otto Utomstående")
    from teams.services import team_groups_sync

    team_groups_sync()
    return SimpleNamespace(
        region=region,
        municipality=muni,
        school=school,
        health=health,
        social=social,
        team_a=team_a,
        team_b=team_b,
        coordinator=coordinator_seat.user,
        coordinator_seat=coordinator_seat,
        key_person=key_person,
        key_person_health=key_person_health,
        key_person_social=key_person_social,
        key_person_other_team=key_person_other_team,
        manager=manager,
        process_leader=process_leader,
        staff=staff,
        outsider=outsider,
    )


@pytest.fixture
def login(client):
    """Log a persona in on the test client: `login(world.coordinator)`."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (reports.cache keeps statistics per process)."""
    from django.core.cache import cache

    cache.clear()
