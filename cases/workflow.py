"""The case's status and its legal transitions: the one place that says how a case moves."""

from dataclasses import dataclass

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


# --- What the case page offers -------------------------------------------------------------
# Which actions a case offers follows from its status (and, before consent, from being its
# initiator): the case page lists `available_actions` and holds no status strings itself.


@dataclass(frozen=True)
class CaseAction:
    code: str
    label: str
    url_name: str  # takes the case's pk
    statuses: frozenset[str]
    initiator_only: bool = False


_BEFORE_CONSENT = frozenset(PRE_CONSENT)
_AFTER_CONSENT = frozenset(set(Status) - PRE_CONSENT)

ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("guardians", _("Guardians"), "cases:guardians", _BEFORE_CONSENT, True),
    CaseAction(
        "consent_print", _("Print the consent form"), "cases:consent_print", _BEFORE_CONSENT, True
    ),
    CaseAction(
        "consent_register",
        _("Register the signed consent"),
        "cases:consent_register",
        _BEFORE_CONSENT,
        True,
    ),
    CaseAction(
        "actualise",
        _("Actualise the case"),
        "cases:actualise",
        frozenset({Status.AWAITING_CONSENT}),
        True,
    ),
    CaseAction("sip", _("SIP: feedback, plan and follow-ups"), "sip:case", _AFTER_CONSENT),
    CaseAction(
        "consent_withdraw",
        _("Withdraw consent"),
        "cases:consent_withdraw",
        frozenset(set(Status) - {Status.DRAFT, Status.CLOSED}),
    ),
)


def available_actions(status: str, *, is_initiator: bool) -> list[CaseAction]:
    """The actions a case in `status` offers to a reader (who may see the case)."""
    return [
        action
        for action in ACTIONS
        if status in action.statuses and (is_initiator or not action.initiator_only)
    ]
