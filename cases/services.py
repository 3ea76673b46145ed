"""Writes to children, guardians and cases. Each function is the only road to its change."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from personnummer import personnummer

from consent import services as consent_services
from consent.models import Consent
from hlt.text import identity_clean, long_text
from teams.models import Sector, Team
from teams.services import team_sector_group

from . import selectors
from .models import (
    REGISTERED_CHILD_FIELDS,
    Case,
    CaseStatusChange,
    Child,
    ConcernReason,
    Guardian,
)
from .workflow import ClosingReason, Status, can_transition

CASE_PERMS = ("view_case", "view_case_notice")


def personal_number_normalise(value: str) -> str:
    """12 ASCII digits (YYYYMMDDNNNN), or ValidationError with a message for the field.
    Digits of any script and full-width digits count as the same number (hlt.text)."""
    try:
        number = personnummer.parse(identity_clean(value))
        normalised = number.format(True)
    except personnummer.PersonnummerException:
        raise ValidationError(
            _(
                "This is not a valid personal identity or coordination number. "
                "Check the digits (YYYYMMDD-NNNN)."
            )
        ) from None
    if birth_date_from_personal_number(normalised) > timezone.localdate():
        raise ValidationError(_("The number gives a birth date in the future. Check the digits."))
    return normalised


def birth_date_from_personal_number(number: str) -> datetime.date:
    born = personnummer.parse(number).get_date()
    return born.date() if isinstance(born, datetime.datetime) else born


def case_transition(
    *, case: Case, to_status: str, by, note: str = "", closing_reason: str = ""
) -> Case:
    """Move a case to a new status, if the workflow allows it; record who and when.
    Closing needs a reason (statistics count cases closed by reason)."""
    if not can_transition(case.status, to_status):
        raise ValidationError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(case.status).label, "to": Status(to_status).label}
        )
    if to_status == Status.CLOSED and closing_reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": _("Choose why the case is closed.")})
    with transaction.atomic():
        CaseStatusChange.objects.create(
            case=case, from_status=case.status, to_status=to_status, changed_by=by, note=note
        )
        case.status = to_status
        if to_status == Status.CLOSED:
            case.closed_at = timezone.now()
            case.closing_reason = closing_reason
        case._change_reason = f"status: {to_status}"
        case.save()
    return case


def _child_key(child_data: dict) -> dict:
    number = child_data.get("personal_number") or None
    if number:
        return {"personal_number": number}
    reserve = child_data.get("reserve_number") or None
    if not reserve:
        raise ValidationError(
            _("Give a personal identity number, a coordination number or a reserve number.")
        )
    return {"reserve_number": reserve}


def _child_get_or_register(child_data: dict) -> tuple[Child, bool]:
    """The one child with this number, locked until the transaction ends; registered from
    `child_data` if it is new. One child per number is the database's unique constraint: when
    two people register the same new number at once, the second insert waits for the first
    and then finds its child."""
    key = _child_key(child_data)
    child = Child.objects.select_for_update().filter(**key).first()
    if child is not None:
        return child, False
    child = Child(**child_data)
    child._change_reason = "registered"
    child.full_clean(validate_unique=False)  # the constraint decides, without a race
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError:
        child = Child.objects.select_for_update().filter(**key).first()
        if child is None:
            raise
        return child, False
    return child, True


@transaction.atomic
def case_start(*, initiated_by, child_data: dict) -> tuple[Case, bool]:
    """Start a case draft after a dialogue with the family.

    Returns (case, True) when the user already has an open case for the child: they are led
    there instead. A child already registered from a case the user cannot see is linked to
    the new case but never changed: the new case keeps what this user typed
    (`Case.registered_child`) and shows only that, so nothing another team registered is
    revealed and the check says nothing about other teams' children.
    """
    if initiated_by.organisation_id is None:
        raise PermissionDenied(_("Only staff of a participating organisation can start a case."))
    child, registered = _child_get_or_register(child_data)
    typed = {}
    if not registered:
        existing = selectors.existing_case_in_reach(initiated_by, child)
        if existing is not None:
            return existing, True
        Child(**child_data).full_clean(exclude=["personal_number", "reserve_number"])
        typed = {field: child_data.get(field) for field in REGISTERED_CHILD_FIELDS}
        typed["birth_date"] = typed["birth_date"].isoformat()
        school = child_data.get("school")
        typed["school"] = school.pk if school else None
    case = Case(
        child=child,
        initiated_by=initiated_by,
        initiating_organisation_id=initiated_by.organisation_id,
        registered_child=typed,
        identity_protected=bool(typed and child_data.get("protected_identity")),
    )
    case._change_reason = "registered"
    case.save()
    for perm in CASE_PERMS:
        assign_perm(f"cases.{perm}", initiated_by, case)
    case.named_people.add(initiated_by)
    return case, False


def _ensure_initiator(case: Case, user) -> None:
    if case.initiated_by_id != user.pk:
        raise PermissionDenied(_("Only the person who started the case can do this."))


@transaction.atomic
def guardian_add(*, case: Case, added_by, data: dict) -> Guardian:
    _ensure_initiator(case, added_by)
    if case.status not in (Status.DRAFT, Status.AWAITING_CONSENT) or case.consents.exists():
        # A guardian added afterwards has not signed the registered consent.
        raise ValidationError(_("Guardians are registered before the consent."))
    others = list(case.guardians.all())
    custody = data.get("custody")
    if custody == Guardian.Custody.SOLE and others:
        raise ValidationError(
            {"custody": _("Sole custody: the child has another guardian already.")}
        )
    if any(g.custody == Guardian.Custody.SOLE for g in others):
        raise ValidationError({"custody": _("Another guardian has sole custody.")})
    if custody == Guardian.Custody.JOINT and len(others) >= 2:
        raise ValidationError({"custody": _("Joint custody is shared by two guardians.")})
    guardian = Guardian(case=case, **data)
    guardian.full_clean()
    guardian.save()
    return guardian


@transaction.atomic
def case_consent_form_printed(
    *, case: Case, by, language: str = "", sectors: list[str] | None = None
) -> Case:
    """Printing the consent form means the case now waits for the signed paper. The
    language and sectors printed are kept to fill in the registration of the signed form."""
    if case.status == Status.DRAFT:
        if not case.guardians.exists():
            raise ValidationError(_("Register the child's guardians before printing the form."))
        case_transition(case=case, to_status=Status.AWAITING_CONSENT, by=by)
    if language or sectors:
        Case.objects.filter(pk=case.pk).update(
            consent_form_language=language, consent_form_sectors=list(sectors or [])
        )
        case.consent_form_language, case.consent_form_sectors = language, list(sectors or [])
    return case


def case_grant_team_access(*, case: Case) -> None:
    """Give the team's key persons (all sectors) the case; the consent decides, at every read,
    which sectors actually see it."""
    for sector in Sector.values:
        group = team_sector_group(team=case.team, sector=sector)
        for perm in CASE_PERMS:
            assign_perm(f"cases.{perm}", group, case)


CHILD_ASSENT_AGE = 12


def consent_register_warnings(
    *, case: Case, child_signed: bool, signed_on: datetime.date, valid_until: datetime.date
) -> list[str]:
    """What to check before registering, though it does not make the form invalid."""
    warnings = []
    if not child_signed and case.child_details.age_on(signed_on) >= CHILD_ASSENT_AGE:
        warnings.append(
            _(
                "The child is %(age)d or older and has not signed. The child's own view "
                "should be part of the consent."
            )
            % {"age": CHILD_ASSENT_AGE}
        )
    if valid_until < timezone.localdate():
        warnings.append(
            _(
                "The end date %(date)s has already passed: the consent will never be in "
                "force, and nothing will be shared."
            )
            % {"date": valid_until.isoformat()}
        )
    return warnings


@transaction.atomic
def case_register_consent(
    *, case: Case, registered_by, warnings_confirmed: bool = False, **consent_data
) -> Consent:
    """Register the signed consent. Unless `warnings_confirmed`, what
    `consent_register_warnings` finds holds the registration back (errors with the code
    "warning"), so the person checks it first."""
    if case.status not in (Status.AWAITING_CONSENT, Status.DRAFT) and case.team_id is None:
        raise ValidationError(_("This case cannot take a consent now."))
    if not selectors.cases_visible_to(registered_by).filter(pk=case.pk).exists():
        raise PermissionDenied
    warnings = (
        []
        if warnings_confirmed
        else consent_register_warnings(
            case=case,
            child_signed=consent_data["child_signed"],
            signed_on=consent_data["signed_on"],
            valid_until=consent_data["valid_until"],
        )
    )
    consent = consent_services.consent_register(
        case=case, registered_by=registered_by, warnings=warnings, **consent_data
    )
    if case.status == Status.DRAFT:
        # Registered without printing the form here first (printed elsewhere, or a form
        # brought back): the case waits for actualisation all the same.
        case_transition(
            case=case, to_status=Status.AWAITING_CONSENT, by=registered_by, note="consent"
        )
    return consent


@transaction.atomic
def case_actualise(
    *,
    case: Case,
    by,
    team: Team,
    concern_health: bool,
    concern_learning: bool,
    concern_safety: bool,
    concern_reasons: list[str],
    family_description: str,
    child_voice: str,
    ommej_reference: str = "",
) -> Case:
    """Register the case with the HLT team serving the child, once consent is valid."""
    _ensure_initiator(case, by)
    errors: dict[str, list[str]] = {}
    if gaps := consent_services.consent_custody_gaps(guardians=list(case.guardians.all())):
        errors.setdefault("__all__", []).extend(gaps)
    elif not Consent.objects.in_force(timezone.localdate()).filter(case=case).exists():
        errors.setdefault("__all__", []).append(
            _("The case has no valid consent. Register the signed consent form first.")
        )
    if not (concern_health or concern_learning or concern_safety):
        errors.setdefault("concern_health", []).append(
            _("Choose at least one area: health, learning or safety.")
        )
    chosen_areas = {
        "health": concern_health,
        "learning": concern_learning,
        "safety": concern_safety,
    }
    for reason in concern_reasons:
        if reason not in ConcernReason.values or not chosen_areas[reason.split("_")[0]]:
            errors.setdefault("concern_reasons", []).append(
                _("“%(reason)s” does not belong to a chosen area.")
                % {"reason": dict(ConcernReason.choices).get(reason, reason)}
            )
    if not team.is_active:
        errors.setdefault("team", []).append(_("The team is no longer active."))
    for name, text in (("family_description", family_description), ("child_voice", child_voice)):
        try:
            long_text(text)  # the same limit as the SIP plan these texts start
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    case.team = team
    case.concern_health = concern_health
    case.concern_learning = concern_learning
    case.concern_safety = concern_safety
    case.concern_reasons = concern_reasons
    case.family_description = family_description
    case.child_voice = child_voice
    case.ommej_reference = ommej_reference
    case.actualised_at = timezone.now()
    case.age_at_actualisation = case.child.age_on(timezone.localdate())
    case_transition(case=case, to_status=Status.ACTUALISED, by=by, note=str(team))
    case_grant_team_access(case=case)
    return case


@transaction.atomic
def case_withdraw_consent(
    *, case: Case, by, withdrawn_on, told_by: str, note: str = ""
) -> list[Consent]:
    """The family withdraws consent: every consent of the case in force that day ends (a
    renewed consent and an older one still running alike), so sharing stops."""
    consents = list(
        Consent.objects.in_force(withdrawn_on).filter(case=case).select_for_update().order_by("pk")
    )
    if not consents:
        raise ValidationError(
            {"withdrawn_on": _("The case has no consent in force on that day to withdraw.")}
        )
    return [
        consent_services.consent_withdraw(
            consent=consent, withdrawn_on=withdrawn_on, told_by=told_by, received_by=by, note=note
        )
        for consent in consents
    ]


def _ensure_named(case: Case, user) -> None:
    if not Case.objects.naming(user).filter(pk=case.pk).exists():
        raise PermissionDenied(_("Only people named on the case can do this."))


@transaction.atomic
def case_name_person(*, case: Case, person, by) -> None:
    """Name a person on the case: they may then see a protected identity."""
    _ensure_named(case, by)
    if not selectors.cases_visible_to(person).filter(pk=case.pk).exists():
        raise ValidationError({"person": _("The person cannot see this case.")})
    case.named_people.add(person)


@transaction.atomic
def child_protected_identity_set(*, case: Case, protected: bool, by) -> Child:
    """Set or remove the protected-identity flag. Only named people may; the change and who
    made it are kept in the child's history."""
    _ensure_named(case, by)
    reason = "protected identity set" if protected else "protected identity removed"
    child = case.child
    if case.registered_child:
        # A child registered from another case is never changed from this one: the mark is
        # this case's (and the child's own mark, if any, still applies).
        if case.identity_protected != protected:
            case.identity_protected = protected
            case._change_reason = reason
            case.save(update_fields=["identity_protected"])
            case.__dict__.pop("child_details", None)
        return child
    if child.protected_identity == protected:
        return child
    child.protected_identity = protected
    child._change_reason = reason
    child.save()
    return child
