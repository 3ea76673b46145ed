"""Retention (gallring): purge personal data of cases closed longer than the retention period.

A purged case keeps only what statistics need (team, dates, status and closing reason,
concern areas, initiating organisation, age at actualisation, sex); names, identity
numbers, guardians, free text, consents, uploaded scans and all history rows go; the apps
that hold more about the case (minutes, SIP plans) purge their part on `case_purging`.
The child record is anonymised once none of its cases is left unpurged. What was purged
is logged in `audit.PurgeRecord` as numbers only.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from audit.models import PurgeRecord
from consent.models import Consent, ConsentSignature

from .models import Case, CaseGroupObjectPermission, CaseUserObjectPermission, Child, Guardian
from .signals import case_purging
from .workflow import Status


def _last_entry():
    """The latest trace of a case: its own history or its consents' history."""
    case_history = (
        Case.history.model.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(last=Max("history_date"))
        .values("last")[:1]
    )
    consent_history = (
        Consent.history.model.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(last=Max("history_date"))
        .values("last")[:1]
    )
    return Greatest(
        Coalesce(Subquery(case_history), "closed_at"),
        Coalesce(Subquery(consent_history), "closed_at"),
    )


def purgeable_cases(*, now: datetime.datetime | None = None, years: int | None = None) -> QuerySet:
    now = now or timezone.now()
    years = settings.RETENTION_YEARS if years is None else years
    cutoff = now.replace(year=now.year - years)
    return (
        Case.objects.filter(status=Status.CLOSED, purged_at__isnull=True, closed_at__isnull=False)
        .annotate(last_entry=_last_entry())
        .filter(Q(last_entry__lt=cutoff))
        .order_by("closed_at")
    )


@dataclass
class PurgeResult:
    cases: int = 0
    files: int = 0
    history_rows: int = 0


@transaction.atomic
def case_purge(case: Case, *, now: datetime.datetime | None = None) -> PurgeRecord:
    files = 0
    history = 0
    consents = list(Consent.objects.filter(case=case))
    for consent in consents:
        if consent.scan:
            consent.scan.delete(save=False)
            files += 1
    consent_ids = [c.pk for c in consents]
    # Deleting writes a last history row; the history goes after the rows themselves.
    Consent.objects.filter(pk__in=consent_ids).delete()
    Guardian.objects.filter(case=case).delete()
    history += ConsentSignature.history.model.objects.filter(consent_id__in=consent_ids).delete()[0]
    history += Consent.history.model.objects.filter(case_id=case.pk).delete()[0]
    history += Guardian.history.model.objects.filter(case_id=case.pk).delete()[0]
    CaseUserObjectPermission.objects.filter(content_object=case).delete()
    CaseGroupObjectPermission.objects.filter(content_object=case).delete()
    case.named_people.clear()
    # Meetings' minutes, SIP plans and the like belong to other apps: they purge their own.
    for _receiver, files_removed in case_purging.send(sender=Case, case=case):
        files += files_removed or 0
    history += Case.history.model.objects.filter(id=case.pk).delete()[0]
    Case.objects.filter(pk=case.pk).update(
        family_description="",
        child_voice="",
        ommej_reference="",
        registered_child={},
        purged_at=now or timezone.now(),
    )
    history += Case.history.model.objects.filter(id=case.pk).delete()[0]

    child = case.child
    anonymised = not Case.objects.filter(child=child, purged_at__isnull=True).exists()
    if anonymised:
        history += Child.history.model.objects.filter(id=child.pk).delete()[0]
        Child.objects.filter(pk=child.pk).update(
            given_name="",
            family_name="",
            personal_number=None,
            reserve_number=f"purged-{child.pk}",
            birth_date=datetime.date(child.birth_date.year, 1, 1),
            school=None,
            school_year="",
            home_languages="",
            protected_identity=False,
        )
    return PurgeRecord.objects.create(
        case_id=case.pk,
        child_id=child.pk,
        closed_at=case.closed_at,
        files_removed=files,
        history_rows_removed=history,
        child_anonymised=anonymised,
    )


def cases_purge(*, now: datetime.datetime | None = None, years: int | None = None) -> PurgeResult:
    """Purge every case due. Each case in its own transaction: a failure leaves the
    others done and the failing one untouched, and the next daily run tries again."""
    result = PurgeResult()
    for case in purgeable_cases(now=now, years=years).select_related("child"):
        record = case_purge(case, now=now)
        result.cases += 1
        result.files += record.files_removed
        result.history_rows += record.history_rows_removed
    return result
