"""The case's status and its legal transitions: the one place that says how a case moves."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
    ACTUALISED = "actualised", _("Actualised")
    IN_MEETING = "in_meeting", _("In HLT meeting")
    SIP_PLANNED = "sip_planned", _("SIP planned")
    PLAN_ACTIVE = "plan_active", _("Plan active")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals met")
    FAMILY_DECLINED = "family_declined", _("The family declined")
    MOVED = "moved", _("Moved")
    REFERRED = "referred", _("Referred onward")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.AWAITING_CONSENT, Status.CLOSED},
    Status.AWAITING_CONSENT: {Status.ACTUALISED, Status.CLOSED},
    Status.ACTUALISED: {Status.IN_MEETING, Status.CLOSED},
    Status.IN_MEETING: {Status.ACTUALISED, Status.SIP_PLANNED, Status.CLOSED},
    Status.SIP_PLANNED: {Status.PLAN_ACTIVE, Status.CLOSED},
    Status.PLAN_ACTIVE: {Status.SIP_PLANNED, Status.CLOSED},
    Status.CLOSED: set(),
}

# Before these, only the initiator sees the case; from them on, a valid consent is needed.
PRE_CONSENT = {Status.DRAFT, Status.AWAITING_CONSENT}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS[from_status]
