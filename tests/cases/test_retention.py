"""Retention (gallring) with a clock six years ahead."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from PIL import Image

from audit.models import AccessLogEntry, PurgeRecord
from audit.services import access_log_record
from cases import retention, services
from cases.models import Case, Child, Guardian
from consent.models import Consent

from .conftest import make_case

pytestmark = pytest.mark.django_db


def _term_statistics():
    """The anonymous figures statistics are built from, per team and term."""
    cases = Case.objects.exclude(actualised_at=None)
    return {
        "by_team_status": list(
            cases.values("team_id", "status", "closing_reason")
            .annotate(n=Count("pk"))
            .order_by("team_id", "status")
        ),
        "by_sex_age": list(
            cases.values("child__sex", "age_at_actualisation")
            .annotate(n=Count("pk"))
            .order_by("child__sex")
        ),
        "by_concern": list(
            cases.values(
                "concern_health", "concern_learning", "concern_safety", "initiating_organisation"
            )
            .annotate(n=Count("pk"))
            .order_by("initiating_organisation")
        ),
        "actualised": sorted(c.actualised_at.date() for c in cases),
        "closed": sorted(c.closed_at.date() for c in cases.exclude(closed_at=None)),
    }


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG")
    return SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")


@pytest.fixture
def closed_case(world, rf):
    case = make_case(world)
    consent = case.consents.get()
    consent.scan = _png()
    consent.scan_content_type = "image/png"
    consent.save()
    request = rf.get("/")
    request.user = world.key_person_health
    access_log_record(request=request, cases=[case], kind="case", action="view")
    services.case_transition(
        case=case, to_status="closed", by=world.key_person, closing_reason="goals_met"
    )
    case.refresh_from_db()
    return case


def test_six_years_later_the_case_is_purged_and_statistics_are_unchanged(world, closed_case):
    open_case = make_case(world, initiator=world.key_person_health)  # another child? same: reused
    scan_name = closed_case.consents.get().scan.name
    from django.core.files.storage import default_storage

    assert default_storage.exists(scan_name)
    before = _term_statistics()

    six_years_later = timezone.now() + datetime.timedelta(days=6 * 366)
    result = retention.cases_purge(now=six_years_later)

    assert result.cases == 1
    closed_case.refresh_from_db()
    assert closed_case.purged_at is not None
    assert closed_case.family_description == "" and closed_case.child_voice == ""
    assert not Guardian.objects.filter(case=closed_case).exists()
    assert not Consent.objects.filter(case=closed_case).exists()
    assert not default_storage.exists(scan_name)
    assert not Case.history.filter(id=closed_case.pk).exists()
    assert not Guardian.history.filter(case_id=closed_case.pk).exists()
    assert not Consent.history.filter(case_id=closed_case.pk).exists()
    # The open case of the same child keeps the child record as it is.
    assert Child.objects.get(pk=closed_case.child_id).given_name == "Alva"
    assert Case.objects.get(pk=open_case.pk).purged_at is None
    assert _term_statistics() == before
    record = PurgeRecord.objects.get()
    assert (record.case_id, record.files_removed) == (closed_case.pk, 1)
    assert "Alva" not in str(record.__dict__)
    # The log of who read the child stays.
    assert AccessLogEntry.objects.filter(case_id=closed_case.pk).exists()


def test_the_child_is_anonymised_when_no_case_is_left(world, closed_case):
    retention.cases_purge(now=timezone.now() + datetime.timedelta(days=6 * 366))
    child = Child.objects.get(pk=closed_case.child_id)
    assert (child.given_name, child.family_name, child.personal_number) == ("", "", None)
    assert not Child.history.filter(id=child.pk).exists()
    assert PurgeRecord.objects.get().child_anonymised


def test_nothing_is_purged_before_the_period_and_open_cases_never(world, closed_case):
    make_case(world, initiator=world.key_person_health)
    assert retention.cases_purge(now=timezone.now() + datetime.timedelta(days=4 * 365)).cases == 0
    assert retention.cases_purge(now=timezone.now() + datetime.timedelta(days=6 * 366)).cases == 1
    assert retention.cases_purge(now=timezone.now() + datetime.timedelta(days=6 * 366)).cases == 0


def test_the_dry_run_lists_and_changes_nothing(world, closed_case):
    out = io.StringIO()
    call_command("purge_closed_cases", "--dry-run", "--years", "0", stdout=out)
    assert f"case {closed_case.pk}: closed" in out.getvalue()
    assert "1 cases would be purged" in out.getvalue()
    closed_case.refresh_from_db()
    assert closed_case.purged_at is None
    assert Guardian.objects.filter(case=closed_case).exists()


def test_the_command_purges_when_due(world, closed_case):
    out = io.StringIO()
    call_command("purge_closed_cases", "--years", "0", stdout=out)
    assert "Purged 1 cases" in out.getvalue()
