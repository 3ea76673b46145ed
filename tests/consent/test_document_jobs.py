"""Background PDF jobs: the worker runs them, and retries one that fails."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consent import jobs
from consent.models import DocumentJob
from tests import factories as f

# The worker closes database connections between tasks, as in production: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def flaky_renderer(monkeypatch):
    calls = {"n": 0}

    def render(params):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("font cache locked")
        return b"%PDF-1.7 " + params["text"].encode()

    jobs.register("test_flaky", render)
    monkeypatch.setattr(jobs, "RETRY_DELAYS", [datetime.timedelta(0)])
    return calls


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_the_worker_retries_a_failed_pdf_job(flaky_renderer):
    user = f.UserFactory()
    job = jobs.document_job_request(kind="test_flaky", params={"text": "hej"}, requested_by=user)
    _run_worker()
    job.refresh_from_db()
    assert flaky_renderer["n"] == 2
    assert job.status == DocumentJob.Status.DONE
    assert job.attempts == 2
    assert job.result.read() == b"%PDF-1.7 hej"


def test_a_job_that_keeps_failing_is_marked_failed(monkeypatch):
    def broken(params):
        raise RuntimeError("renderer down")

    jobs.register("test_broken", broken)
    monkeypatch.setattr(jobs, "RETRY_DELAYS", [datetime.timedelta(0)])
    job = jobs.document_job_request(kind="test_broken", params={}, requested_by=f.UserFactory())
    _run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentJob.Status.FAILED, jobs.MAX_ATTEMPTS)
    assert "renderer down" in job.last_error


def test_health_reports_a_stalled_worker(
    client, flaky_renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        jobs.document_job_request(
            kind="test_flaky", params={"text": "x"}, requested_by=f.UserFactory()
        )
    assert client.get("/health/").json()["worker"] == "ok"
    DBTaskResult.objects.update(run_after=timezone.now() - datetime.timedelta(minutes=10))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"] == "stalled"


def test_without_a_worker_a_failed_pdf_job_is_retried_at_once(
    flaky_renderer, settings, django_capture_on_commit_callbacks
):
    # Development (`make run`): the immediate backend runs tasks in the request and cannot
    # run one later, so a retry runs at once instead of failing the request.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.document_job_request(
            kind="test_flaky", params={"text": "nu"}, requested_by=f.UserFactory()
        )
    job.refresh_from_db()
    assert (job.status, job.attempts) == (DocumentJob.Status.DONE, 2)
    assert job.result.read() == b"%PDF-1.7 nu"
