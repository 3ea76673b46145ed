"""Printed documents name the child: they are removed a day after they were made."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from consent.models import DocumentJob
from tests import factories as f

pytestmark = pytest.mark.django_db


def _job(hours_ago: float, status="done"):
    job = DocumentJob.objects.create(
        kind="sip_plan", params={}, requested_by=f.UserFactory(), status=status
    )
    if status == "done":
        job.result.save("plan.pdf", ContentFile(b"%PDF-1.7 Alva"), save=False)
    job.finished_at = timezone.now() - datetime.timedelta(hours=hours_ago)
    job.save()
    return job


def test_documents_older_than_a_day_are_removed_with_their_files(settings):
    settings.DOCUMENT_KEEP_HOURS = 24
    old, failed, fresh = _job(25), _job(30, status="failed"), _job(2)
    queued = DocumentJob.objects.create(kind="sip_plan", params={}, requested_by=f.UserFactory())
    old_file = old.result.name
    assert default_storage.exists(old_file)

    call_command("expire_documents", verbosity=0)

    assert set(DocumentJob.objects.values_list("pk", flat=True)) == {fresh.pk, queued.pk}
    assert not default_storage.exists(old_file)
    assert default_storage.exists(fresh.result.name)
    assert failed.pk not in DocumentJob.objects.values_list("pk", flat=True)
