"""Operations: the health endpoint, and backup → drop → restore against PostgreSQL."""

import os
import subprocess
from pathlib import Path

import environ
import psycopg
import pytest

from conftest import template_database_name

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_health_endpoint_reports_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "worker": "ok"}


def _admin_connection():
    cfg = environ.Env.db_url_config(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hlt")
    )
    conninfo = {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "password": cfg.get("PASSWORD") or None,
    }
    return conninfo, psycopg.connect(dbname="postgres", autocommit=True, **conninfo)


def scratch_database_name(purpose: str) -> str:
    """A scratch database of this run's own: named after DATABASE_URL's database and the
    pytest-xdist worker, so neither two workers nor two checkouts sharing a server meet."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hlt")
    base = environ.Env.db_url_config(url).get("NAME") or "hlt"
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return "_".join(part for part in (base, purpose, worker) if part)[:63]


def create_scratch_database(admin, name: str) -> None:
    """An empty database whose sessions commit without waiting for the disk, as the test
    databases do (hlt/test_settings.py): it only lives for one test."""
    admin.execute(f"CREATE DATABASE {name}")
    admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")


def create_migrated_scratch_database(admin, name: str) -> None:
    """A scratch database with the migrations applied, if it can be had cheaply: a copy of the
    run's migrated template database (conftest.py), which saves the caller's `migrate` some 15 s
    of CPU (it then applies nothing, or what the copy lacks). Without a template: empty."""
    template = template_database_name()
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
    if not exists:
        create_scratch_database(admin, name)
        return
    # The lock under which workers copy the template: no session may be connected to it.
    admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
    try:
        admin.execute(f'CREATE DATABASE {name} TEMPLATE "{template}"')
    finally:
        admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
    admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")


def test_backup_drop_restore_round_trip(tmp_path):
    conninfo, admin = _admin_connection()
    name = scratch_database_name("backup")
    url = "postgres://{user}{pw}@{host}:{port}/{db}".format(
        user=conninfo["user"],
        pw=f":{conninfo['password']}" if conninfo["password"] else "",
        host=conninfo["host"],
        port=conninfo["port"],
        db=name,
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "hlt.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    create_migrated_scratch_database(admin, name)
    try:
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [os.sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
        with psycopg.connect(url) as conn:
            before = conn.execute(
                "SELECT (SELECT count(*) FROM teams_user), (SELECT count(*) FROM teams_keyperson),"
                " (SELECT string_agg(email, ',' ORDER BY email) FROM teams_user)"
            ).fetchone()
        dump = tmp_path / "hlt.dump"
        subprocess.run(
            [str(ROOT / "scripts/backup.sh"), str(dump)],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert dump.stat().st_size > 0

        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        create_scratch_database(admin, name)
        subprocess.run(
            [str(ROOT / "scripts/restore.sh"), str(dump)],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )

        with psycopg.connect(url) as conn:
            after = conn.execute(
                "SELECT (SELECT count(*) FROM teams_user), (SELECT count(*) FROM teams_keyperson),"
                " (SELECT string_agg(email, ',' ORDER BY email) FROM teams_user)"
            ).fetchone()
            # The append-only trigger on the access log came back with the data.
            triggers = conn.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_accesslog_append_only'"
            ).fetchone()[0]
        assert triggers == 1
        assert after == before
        assert before[0] >= 10
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
