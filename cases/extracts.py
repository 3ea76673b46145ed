"""Register extracts for the data subject (GDPR art. 15): everything held about a child and
its guardians, with history, and who has read the child's data. One function per document."""

from django.apps import apps
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation

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
    later = _later_records(cases)
    for case in cases:
        case.consent_list = by_case.get(case.pk, [])
        case.timeline = selectors.case_timeline(case)
        for name, rows in later.items():
            setattr(case, name, rows.get(case.pk, []))
    return cases


def _by_case(rows, key=lambda r: r.case_id) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(key(row), []).append(row)
    return grouped


def _later_records(cases: list[Case]) -> dict[str, dict[int, list]]:
    """What the later steps hold about the child: the HLT meetings' minutes, the family's
    feedback, SIP meetings, every plan version and the follow-ups. Read by model name: the
    extract must hold everything, and cases comes before meetings and sip in the apps'
    order (README, architecture), so it does not import them."""
    model = apps.get_model
    ids = [c.pk for c in cases]
    items = (
        model("meetings", "AgendaItem")
        .objects.filter(case__in=ids, minutes_recorded_at__isnull=False)
        .select_related("meeting", "contact_person")
        .order_by("meeting__date", "pk")
    )
    feedback = (
        model("sip", "FamilyFeedback")
        .objects.filter(case__in=ids)
        .select_related("recorded_by")
        .order_by("contacted_on", "pk")
    )
    sip_meetings = (
        model("sip", "SipMeeting")
        .objects.filter(case__in=ids)
        .prefetch_related("professionals")
        .order_by("date", "pk")
    )
    plans = (
        model("sip", "Plan")
        .objects.filter(case__in=ids)
        .select_related("overall_person", "overall_organisation")
        .prefetch_related(
            "goals",
            Prefetch(
                "interventions",
                model("sip", "Intervention").objects.select_related("organisation", "person"),
            ),
        )
        .order_by("version")
    )
    follow_ups = (
        model("sip", "FollowUp")
        .objects.filter(plan__case__in=ids)
        .select_related("plan", "recorded_by")
        .prefetch_related("goals__goal", "interventions__intervention")
        .order_by("held_on", "pk")
    )
    return {
        "minutes_list": _by_case(items),
        "feedback_list": _by_case(feedback),
        "sip_meeting_list": _by_case(sip_meetings),
        "plan_list": _by_case(plans),
        "follow_up_list": _by_case(follow_ups, key=lambda f: f.plan.case_id),
    }


def register_extract_pdf(child: Child) -> bytes:
    # The extract is for the family, in Swedish whatever the registrar's language.
    with translation.override("sv"):
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
