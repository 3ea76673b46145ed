"""Register extracts for the data subject (GDPR art. 15): everything held about a child and
its guardians, with history, and who has read the child's data. One function per document."""

from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AccessLogEntry
from consent.documents import render_pdf
from consent.models import Consent

from . import selectors
from .models import Case, Child


def _cases_of(child: Child) -> list[Case]:
    cases = list(
        Case.objects.filter(child=child)
        .select_related("team", "initiated_by", "initiating_organisation")
        .prefetch_related("guardians", "status_changes__changed_by")
        .order_by("created_at")
    )
    consents = Consent.objects.filter(case__in=cases).prefetch_related("signatures__guardian")
    by_case: dict[int, list[Consent]] = {}
    for consent in consents:
        by_case.setdefault(consent.case_id, []).append(consent)
    for case in cases:
        case.consent_list = by_case.get(case.pk, [])
        case.timeline = selectors.case_timeline(case)
    return cases


def register_extract_pdf(child: Child) -> bytes:
    html = render_to_string(
        "cases/pdf/register_extract.html",
        {"child": child, "cases": _cases_of(child), "made_at": timezone.localtime()},
    )
    return render_pdf(html)


def access_extract_pdf(child: Child) -> bytes:
    entries = (
        AccessLogEntry.objects.filter(child_id=child.pk)
        .select_related("user", "user_organisation")
        .order_by("at")
    )
    html = render_to_string(
        "cases/pdf/access_extract.html",
        {"child": child, "entries": entries, "made_at": timezone.localtime()},
    )
    return render_pdf(html)
