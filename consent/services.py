"""Writes to consent: registering a signed form and withdrawing it."""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .models import Consent, ConsentSignature, consent_longest_end
from .uploads import scan_validate


def consent_missing_signatures(*, guardians, signed_guardian_ids: set[int]) -> list[str]:
    """Why a consent would not be valid: every guardian with custody must sign.

    With joint custody that is both guardians; with sole custody the one who has it.
    """
    return [
        _("%(name)s (%(custody)s) has not signed.")
        % {"name": g.full_name, "custody": g.get_custody_display().lower()}
        for g in guardians
        if g.pk not in signed_guardian_ids
    ]


def consent_custody_gaps(*, guardians) -> list[str]:
    """Why no consent can be valid with the guardians on record: with joint custody both
    guardians hold it and both must sign, so both must be registered."""
    joint = [g for g in guardians if g.custody == "joint"]
    if joint and len(joint) < 2:
        return [
            _(
                "%(name)s has joint custody: register the other guardian too. With joint "
                "custody both guardians must sign the consent."
            )
            % {"name": joint[0].full_name}
        ]
    return []


def consent_period_errors(*, signed_on: datetime.date, valid_until: datetime.date) -> list[str]:
    """The end date against the longest validity the printed form promises."""
    longest = consent_longest_end(signed_on)
    if valid_until > longest:
        return [
            _(
                "A consent runs at most %(months)d months from its signing: until "
                "%(date)s at the latest."
            )
            % {"months": settings.CONSENT_MAX_MONTHS, "date": longest.isoformat()}
        ]
    return []


@transaction.atomic
def consent_register(
    *,
    case,
    registered_by,
    signed_guardian_ids: set[int],
    child_signed: bool,
    signed_on: datetime.date,
    valid_until: datetime.date,
    sectors: list[str],
    organisations=(),
    family_language: str = "sv",
    scan=None,
    warnings: list[str] = (),
) -> Consent:
    """Register a signed consent form. Refuses, and says why, a form that is not complete.
    `warnings` (not yet confirmed by the person) hold it back too, as errors with the code
    "warning", beside any other errors."""
    guardians = list(case.guardians.all())
    errors: dict[str, list] = {}
    for warning in warnings:
        errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(warning, code="warning"))
    if not guardians:
        errors.setdefault("signed_guardians", []).append(
            _("Register the child's guardians before the consent.")
        )
    if gaps := consent_custody_gaps(guardians=guardians):
        errors.setdefault("signed_guardians", []).extend(gaps)
    if missing := consent_missing_signatures(
        guardians=guardians, signed_guardian_ids=signed_guardian_ids
    ):
        errors.setdefault("signed_guardians", []).extend(missing)
    if unknown := signed_guardian_ids - {g.pk for g in guardians}:
        errors.setdefault("signed_guardians", []).append(
            _("%(count)d signer(s) are not guardians of this child.") % {"count": len(unknown)}
        )
    if not sectors:
        errors.setdefault("sectors", []).append(
            _("Choose at least one sector that may share information.")
        )
    if valid_until < signed_on:
        errors.setdefault("valid_until", []).append(
            _("The end date cannot be before the signing date.")
        )
    elif too_long := consent_period_errors(signed_on=signed_on, valid_until=valid_until):
        errors.setdefault("valid_until", []).extend(too_long)
    if signed_on > timezone.localdate():
        errors.setdefault("signed_on", []).append(_("The signing date cannot be in the future."))
    content_type = ""
    if scan:
        try:
            content_type = scan_validate(scan)
        except ValidationError as exc:
            errors.setdefault("scan", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    consent = Consent(
        case=case,
        covers_health="health" in sectors,
        covers_school="school" in sectors,
        covers_social="social" in sectors,
        family_language=family_language,
        signed_on=signed_on,
        valid_until=valid_until,
        child_signed=child_signed,
        registered_by=registered_by,
        scan_content_type=content_type,
    )
    if scan:
        consent.scan = scan
    consent._change_reason = "registered"
    consent.save()
    consent.organisations.set(organisations)
    # The history-aware bulk helper: no row is written without its history.
    bulk_create_with_history(
        [ConsentSignature(consent=consent, guardian_id=pk) for pk in sorted(signed_guardian_ids)],
        ConsentSignature,
        default_user=registered_by,
        default_change_reason="registered",
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, withdrawn_on: datetime.date, told_by: str, received_by, note: str = ""
) -> Consent:
    """Record that the family withdrew consent. Sharing stops from that day."""
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("The consent is already withdrawn.")})
    if withdrawn_on < consent.signed_on:
        raise ValidationError(
            {"withdrawn_on": _("The consent cannot be withdrawn before it was signed.")}
        )
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_told_by = told_by
    consent.withdrawal_received_by = received_by
    consent.withdrawal_note = note
    consent._change_reason = "withdrawn"
    consent.save()
    return consent
