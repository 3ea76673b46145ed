"""Background PDF jobs: enqueue, run with retries, and the renderer registry.

Apps register a renderer per document kind (`register("sip_plan", render)`); the worker
runs `document_job_run`, and a failure is retried with a growing delay up to
MAX_ATTEMPTS before the job is marked failed (the user is then told to try again).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import DocumentJob

MAX_ATTEMPTS = 3
RETRY_DELAYS = [datetime.timedelta(seconds=10), datetime.timedelta(seconds=60)]

_renderers: dict[str, Callable[[dict], bytes]] = {}


def register(kind: str, renderer: Callable[[dict], bytes]) -> None:
    _renderers[kind] = renderer


def document_job_request(*, kind: str, params: dict, requested_by) -> DocumentJob:
    if kind not in _renderers:
        raise ValueError(f"No renderer for document kind {kind!r}")
    job = DocumentJob.objects.create(kind=kind, params=params, requested_by=requested_by)
    # Enqueue only once the job row is committed, or the worker may not find it.
    transaction.on_commit(lambda: document_job_run.enqueue(job_id=job.pk))
    return job


@task()
def document_job_run(job_id: int) -> str:
    job = DocumentJob.objects.get(pk=job_id)
    if job.status != DocumentJob.Status.QUEUED:
        return job.status
    job.attempts += 1
    try:
        pdf = _renderers[job.kind](job.params)
    except Exception as exc:  # any failure: record it, retry later, never lose the job
        job.last_error = f"{type(exc).__name__}: {exc}"[:300]
        if job.attempts >= MAX_ATTEMPTS:
            job.status = DocumentJob.Status.FAILED
            job.finished_at = timezone.now()
            job.save()
            return job.status
        job.save()
        retry = document_job_run
        if retry.get_backend().supports_defer:
            delay = RETRY_DELAYS[min(job.attempts - 1, len(RETRY_DELAYS) - 1)]
            retry = retry.using(run_after=timezone.now() + delay)
        # else: the immediate backend of development (no worker) cannot wait; retry now.
        retry.enqueue(job_id=job.pk)
        return "retrying"
    job.result.save(f"{job.kind}.pdf", ContentFile(pdf), save=False)
    job.status = DocumentJob.Status.DONE
    job.finished_at = timezone.now()
    job.last_error = ""
    job.save()
    return job.status


def documents_expire(*, now: datetime.datetime | None = None, hours: int | None = None) -> int:
    """Remove finished jobs and their PDFs after `hours` (settings.DOCUMENT_KEEP_HOURS): a
    printed document names the child and is only needed long enough to be downloaded."""
    hours = settings.DOCUMENT_KEEP_HOURS if hours is None else hours
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    expired = DocumentJob.objects.filter(
        status__in=[DocumentJob.Status.DONE, DocumentJob.Status.FAILED], finished_at__lt=cutoff
    )
    removed = 0
    for job in expired.iterator():
        with transaction.atomic():
            if job.result:
                job.result.delete(save=False)
            job.delete()
        removed += 1
    return removed
