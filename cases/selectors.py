"""Who may see which case. Every list and detail view reads cases through here."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from consent.models import Consent

from .models import Case, Child
from .workflow import PRE_CONSENT


def _cases_with_permission(user) -> QuerySet[Case]:
    """Cases the user has been given (as initiator or through a team group): not yet filtered
    by consent. Superusers get no shortcut: administrators never see a child."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return get_objects_for_user(
        user, "cases.view_case", klass=Case, accept_global_perms=False, with_superuser=False
    )


def cases_visible_to(user, day: datetime.date | None = None) -> QuerySet[Case]:
    """The confidentiality rule, as one query.

    - Before consent: the initiator only.
    - With a valid consent: key persons of the case's team (group permission) whose
      organisation's sector the consent covers, and the initiator.
    - Withdrawn or expired consent: nobody (see `case_consent_ended_for_user`).
    """
    day = day or timezone.localdate()
    valid = Consent.objects.valid_on(day).filter(case=OuterRef("pk"))
    sector = user.organisation.sector if getattr(user, "organisation", None) else None
    covering = valid.filter(**{f"covers_{sector}": True}) if sector else valid.none()
    return _cases_with_permission(user).filter(
        Q(status__in=PRE_CONSENT, initiated_by=user)
        | (
            ~Q(status__in=PRE_CONSENT)
            & (Q(Exists(covering)) | (Q(initiated_by=user) & Q(Exists(valid))))
        )
    )


def case_for_user(user, pk: int, day: datetime.date | None = None) -> Case:
    """The case, or 404 when the user may not know it exists."""
    try:
        return (
            cases_visible_to(user, day)
            .select_related("child__school", "team", "initiated_by", "initiating_organisation")
            .get(pk=pk)
        )
    except Case.DoesNotExist:
        raise Http404 from None


def case_consent_ended_for_user(user, pk: int) -> Consent | None:
    """For someone who had access: the consent that was withdrawn or ran out, so they
    can be told sharing has stopped. None (→ 404) for everyone else."""
    case = _cases_with_permission(user).exclude(status__in=PRE_CONSENT).filter(pk=pk).first()
    if case is None:
        return None
    consent = Consent.objects.filter(case=case).order_by("-signed_on", "-pk").first()
    if consent is None or consent.is_valid_on(timezone.localdate()):
        return None  # still in force: the user is simply outside its scope
    sector = user.organisation.sector if user.organisation_id else None
    if case.initiated_by_id == user.pk or (sector and consent.covers(sector)):
        return consent
    return None


def existing_case_in_reach(user, child: Child) -> Case | None:
    """An open case for this child that the user already may see (to avoid a double)."""
    return cases_visible_to(user).filter(child=child).exclude(status="closed").first()
