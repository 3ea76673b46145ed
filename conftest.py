"""Personas for every test: the people of two teams in one region, and some outsiders.

team_a (school, health and social key persons, a coordinator), team_b in the same
region, a manager of team_a's school, a process leader of the region, a staff
member with no seat and an outsider with no organisation at all.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
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


# pytest-xdist (`make test`: -n $(TEST_WORKERS) --dist loadgroup). Two things its own
# loadgroup mode does not do here:
# - Groups: a module that builds a module-scoped fixture (a generated region, the demo) must run
#   on one worker, so the fixture is built once per run rather than once per worker. pytest-xdist
#   3.8 marks a group by appending "@group" to the test's node id, which pytest 9.2 no longer
#   lets a plugin change (pytest-dev/pytest-xdist#1386): every group was spread over all workers
#   and the query budgets' two regions and the demo were each built on every worker.
# - Order: the longest work goes first, so that no worker starts a 40-second test when the
#   others are about to finish (longest processing time first).
# Each worker writes its tests' groups to a file of the run's (the scheduler runs in the
# controlling process, which collects nothing), and the scheduler below reads it.

# Seconds on a quiet 2-core machine of the tests (or the module's shared fixture, counted once
# per unit of work) that take long; the rest count DEFAULT_SECONDS each. Only the order of the
# work depends on these figures.
SLOW_SECONDS = {
    "tests/demo/test_make_run_on_sqlite.py": 40,
    "tests/test_operations.py::test_backup_drop_restore_round_trip": 31,
    "tests/test_faults.py": 31,
    "tests/test_query_budgets.py": 30,
    "tests/demo/test_seed_demo_cases.py": 10,
    "tests/gate/test_every_url.py": 10,
    "tests/test_reads_never_write.py::test_no_get_changes_anything": 3,
    "tests/browser/test_journey_register_child.py": 10,
    "tests/browser/test_journey_meetings.py": 10,
    "tests/browser/test_journey_sip.py": 8,
    "tests/browser/test_journey_statistics.py": 6,
    "tests/browser/test_phone_width.py": 6,
    "tests/reports/test_attacker.py::test_no_count_from_one_to_four": 6,
}
DEFAULT_SECONDS = 0.5
BROWSER_SECONDS = 5  # a live server and Chromium


def _group(item) -> str | None:
    """The module's name if the test uses a module-scoped fixture, else an xdist_group mark's."""
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    if any(defs and defs[-1].scope in ("module", "package") for defs in definitions):
        return item.module.__name__
    mark = item.get_closest_marker("xdist_group")
    return mark and str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))


def pytest_collection_modifyitems(config, items):
    groups_file = getattr(config, "workerinput", {}).get("hlt_groups_file")
    if groups_file:
        groups = {item.nodeid: _group(item) for item in items}
        Path(groups_file).write_text(json.dumps(groups))


def pytest_configure(config):
    if (
        config.pluginmanager.hasplugin("xdist")
        and getattr(config, "workerinput", None) is None
        and config.getvalue("dist") == "loadgroup"
    ):
        config.hlt_groups_dir = tempfile.mkdtemp(prefix="hlt-xdist-groups-")


def pytest_unconfigure(config):
    if getattr(config, "hlt_groups_dir", None):
        shutil.rmtree(config.hlt_groups_dir, ignore_errors=True)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    folder = getattr(node.config, "hlt_groups_dir", None)
    if folder:
        node.workerinput["hlt_groups_file"] = str(Path(folder) / f"{node.gateway.id}.json")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if getattr(config, "hlt_groups_dir", None):
        from xdist.scheduler import LoadScopeScheduling

        class LongestFirstInGroups(LoadScopeScheduling):
            """Units of work: a group's tests together, every other test alone; the units in
            order of their expected seconds, longest first."""

            groups: dict[str, str | None] | None = None

            def _split_scope(self, nodeid: str) -> str:
                if self.groups is None:
                    first = next(Path(config.hlt_groups_dir).glob("*.json"))
                    self.groups = json.loads(first.read_text())
                return self.groups.get(nodeid) or nodeid

            def schedule(self) -> None:
                # LoadScopeScheduling.schedule, with the units in this order.
                assert self.collection_is_completed
                if self.collection is not None:
                    for node in self.nodes:
                        self._reschedule(node)
                    return
                if not self._check_nodes_have_same_collection():
                    self.log("**Different tests collected, aborting run**")
                    return
                self.collection = list(next(iter(self.registered_collections.values())))
                units: dict[str, dict[str, bool]] = {}
                for nodeid in self.collection:
                    units.setdefault(self._split_scope(nodeid), {})[nodeid] = False
                for unit in sorted(units, key=lambda unit: -_expected_seconds(units[unit])):
                    self.workqueue[unit] = units[unit]
                for _ in range(len(self.nodes) - len(self.workqueue)):
                    self.assigned_work.popitem()[0].shutdown()
                for node in self.nodes:
                    self._assign_work_unit(node)
                for node in self.nodes:
                    self._reschedule(node)
                if not self.workqueue:
                    for node in self.nodes:
                        node.shutdown()

        return LongestFirstInGroups(config, log)
    return None


def _expected_seconds(nodeids: list[str]) -> float:
    total = sum(
        BROWSER_SECONDS if nodeid.startswith("tests/browser/") else DEFAULT_SECONDS
        for nodeid in nodeids
    )
    for prefix, seconds in SLOW_SECONDS.items():
        if any(nodeid.startswith(prefix) for nodeid in nodeids):
            total += seconds
    return total


# The test databases of pytest-xdist's workers: one worker migrates a template database
# (test_<name>_template) while the others wait, and every worker's database is a copy of it
# (CREATE DATABASE … TEMPLATE, about a second), instead of each worker running every migration
# itself (some 17 s of CPU each). With --create-db the template is made anew once per run (its
# comment names the run); with --reuse-db alone an existing worker database is used as it is.
# Either way pytest-django's own setup then runs `migrate` on the worker's database, which
# applies any migration the copy lacks.


@pytest.fixture(scope="session")
def django_db_createdb(request):
    """Under pytest-xdist the worker's database is made fresh below, by copying the template."""
    return request.config.getvalue("create_db") and not hasattr(request.config, "workerinput")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings, request, django_db_blocker, django_db_keepdb
):
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is not None and django_db_keepdb:
        with django_db_blocker.unblock():
            _copy_the_template_database(
                run=workerinput["testrunuid"],
                fresh=request.config.getvalue("create_db"),
                worker=workerinput["workerid"],
            )


def template_database_name() -> str:
    """test_<name>_template: the migrated database the workers' databases are copied from."""
    from django.db import connection

    test = (
        connection.settings_dict["TEST"].get("NAME") or f"test_{connection.settings_dict['NAME']}"
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return f"{test.removesuffix(f'_{worker}') if worker else test}_template"


def _copy_the_template_database(*, run: str, fresh: bool, worker: str) -> None:
    from django.conf import settings
    from django.db import connection

    creation = connection.creation
    name = connection.settings_dict["NAME"]
    target = connection.settings_dict["TEST"]["NAME"]  # test_<name>_<worker>
    template = template_database_name()
    quote = connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [target]
        )  # --reuse-db without --create-db: keep the worker's database
        if cursor.fetchone() and not fresh:
            return
        # One worker at a time, across processes: a lock held by this session.
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
        try:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [template],
            )
            row = cursor.fetchone()
            if row is None or (fresh and row[0] != run):
                connection.settings_dict["TEST"]["NAME"] = template
                try:
                    creation.create_test_db(verbosity=0, autoclobber=True)
                finally:
                    connection.close()
                    connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = name
                    connection.settings_dict["TEST"]["NAME"] = target
                assert run.isalnum()  # pytest-xdist's uuid4().hex
                cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS '{run}'")
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])


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
