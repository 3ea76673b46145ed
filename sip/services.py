"""Writes for SIP. Each function is the only road to its change; each runs in one
transaction and checks the rule it stands for, and who may make the change (`_may_change`:
write permission is checked in the services, the views only decide what to show)."""

import datetime
import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from cases import access as cases_access
from cases.models import Case, Guardian
from cases.services import case_transition
from cases.workflow import ClosingReason, Status
from consent.models import Consent
from consent.uploads import scan_validate
from teams.models import Organisation, User

from . import access, selectors
from .models import (
    FamilyFeedback,
    FollowUp,
    Goal,
    GoalEvaluation,
    Intervention,
    InterventionEvaluation,
    Plan,
    PlanSignature,
    SipMeeting,
)
from .questionnaire import QUESTION_CODES, SCALE

SIP_STATUSES = (Status.SIP_PLANNED, Status.PLAN_ACTIVE)


def _may_change(*, text: bool = False):
    """Who may change a case's SIP, checked here in the services, the one layer that checks
    write permission (README, architecture): someone who sees the case and works with its SIP
    (`sip.access.may_edit`); for the plan's free text also someone who sees every name in it
    (`may_edit_text`). Views only decide what to show: 404, and whether to offer a form."""

    def wrap(func):
        @functools.wraps(func)
        def checked(*args, **kwargs):
            by = kwargs["by"]
            case = kwargs["case"] if "case" in kwargs else kwargs["plan"].case
            if not (cases_access.may_see(by, case) and access.may_edit(by, case)):
                raise PermissionDenied(_("Only the people working with the SIP can change it."))
            if text and not access.may_edit_text(by, case):
                raise PermissionDenied(
                    _("Only the people named on the case change the text of this plan.")
                )
            return func(*args, **kwargs)

        return checked

    return wrap


def covered_sectors(case: Case, day: datetime.date | None = None) -> list[str]:
    consent = Consent.objects.in_force(day or timezone.localdate()).filter(case=case).first()
    return consent.sectors if consent else []


def agencies_for(case: Case) -> "list[Organisation]":
    """The organisations that may take part: of the sectors the consent covers, in the
    team's municipality."""
    qs = Organisation.objects.filter(sector__in=covered_sectors(case))
    if case.team_id:
        qs = qs.filter(municipality=case.team.municipality_id)
    return qs.order_by("sector", "name")


def professionals_for(case: Case, *, agencies=None):
    agencies = agencies_for(case) if agencies is None else agencies
    return (
        User.objects.filter(is_active=True, organisation__in=agencies)
        .select_related("organisation")
        .order_by("full_name")
    )


def plan_choices(case: Case) -> dict:
    """The agencies and professionals a plan may name, reading the consent once."""
    agencies = agencies_for(case)
    return {"agencies": agencies, "professionals": professionals_for(case, agencies=agencies)}


@_may_change()
@transaction.atomic
def feedback_record(
    *, case: Case, by, contacted_on: datetime.date, method: str, note: str = ""
) -> FamilyFeedback:
    """The family heard back after the HLT meeting: when and how."""
    feedback = selectors.feedback_for_case(case)
    if feedback is None:
        raise ValidationError(_("The case has no HLT meeting with minutes yet."))
    if contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("The date cannot be in the future.")})
    if contacted_on < feedback.item.meeting.date:
        raise ValidationError({"contacted_on": _("The date cannot be before the HLT meeting.")})
    record, _created = FamilyFeedback.objects.update_or_create(
        agenda_item=feedback.item,
        defaults={
            "case": case,
            "contacted_on": contacted_on,
            "method": method,
            "note": note,
            "recorded_by": by,
        },
    )
    return record


@_may_change()
@transaction.atomic
def sip_meeting_schedule(
    *,
    case: Case,
    by,
    date: datetime.date,
    starts_at: datetime.time,
    place: str,
    invite_child: bool,
    invite_guardians: bool,
    interpreter_language: str = "",
    professionals=(),
) -> SipMeeting:
    """Schedule a SIP meeting with the family. From the HLT meeting, the case moves to
    "SIP planned"."""
    if case.status not in (Status.IN_MEETING, *SIP_STATUSES):
        raise ValidationError(_("A SIP meeting is planned after the case's HLT meeting."))
    errors = {}
    if date < timezone.localdate():
        errors["date"] = _("The date cannot be in the past.")
    sectors = set(covered_sectors(case))
    outside = [
        p for p in professionals if not p.organisation_id or p.organisation.sector not in sectors
    ]
    if outside:
        errors["professionals"] = _("The consent does not cover %(names)s.") % {
            "names": ", ".join(str(p) for p in outside)
        }
    if errors:
        raise ValidationError(errors)
    meeting = SipMeeting.objects.create(
        case=case,
        date=date,
        starts_at=starts_at,
        place=place,
        invite_child=invite_child,
        invite_guardians=invite_guardians,
        interpreter_language=interpreter_language,
        created_by=by,
    )
    meeting.professionals.set(professionals)
    if case.status == Status.IN_MEETING:
        case_transition(case=case, to_status=Status.SIP_PLANNED, by=by, note="SIP")
    return meeting


def _lock_draft(plan: Plan) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.state != Plan.State.DRAFT:
        raise ValidationError(
            _("A finalised plan is not changed. Revise it to make a new version.")
        )
    return locked


@_may_change()
@transaction.atomic
def plan_start(*, case: Case, by) -> Plan:
    """The first version of the plan, starting from what the family told at actualisation."""
    # Read the status under the lock: the caller's copy of the case may be out of date.
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in SIP_STATUSES:
        raise ValidationError(_("Plan the SIP meeting before writing the plan."))
    if Plan.objects.filter(case=case).exists():
        raise ValidationError(_("The case already has a plan. Revise it to make a new version."))
    return Plan.objects.create(
        case=case,
        version=1,
        needs=case.family_description,
        child_view=case.child_voice,
        sip_meeting=SipMeeting.objects.filter(case=case).order_by("-date").first(),
        created_by=by,
    )


PLAN_FIELDS = (
    "needs",
    "child_view",
    "measures_by_others",
    "overall_organisation",
    "overall_person",
    "follow_up_on",
    "follow_up_how",
)


def _check_person(organisation, person, field: str) -> dict:
    if organisation and person and person.organisation_id != organisation.pk:
        return {field: _("The person does not work at the chosen agency.")}
    return {}


@_may_change(text=True)
@transaction.atomic
def plan_update(*, plan: Plan, by, **data) -> Plan:
    locked = _lock_draft(plan)
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    errors = _check_person(
        data.get("overall_organisation"), data.get("overall_person"), "overall_person"
    )
    follow_up = data.get("follow_up_on")
    if follow_up and follow_up < timezone.localdate():
        errors["follow_up_on"] = _("The follow-up date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.save()
    return locked


def _intervention_errors(row: dict, prefix: str) -> dict:
    errors = {
        f"{prefix}{k}": v
        for k, v in _check_person(row.get("organisation"), row.get("person"), "person").items()
    }
    if row["ends_on"] < row["starts_on"]:
        errors[f"{prefix}ends_on"] = _("The end date cannot be before the start date.")
    return errors


class PlanEditConflict(Exception):
    """Someone saved the draft after the editor was opened. `current` is their version."""

    def __init__(self, message: str, *, current: Plan):
        super().__init__(message)
        self.message = message
        self.current = current


@_may_change(text=True)
@transaction.atomic
def plan_save(
    *,
    plan: Plan,
    by,
    fields: dict,
    goals: list[dict],
    interventions: list[dict],
    edit_version: int | None = None,
) -> Plan:
    """Save the whole plan editor at once: the plan's own fields, its goals and its
    interventions, in one transaction. A row with the `id` of one of this plan's rows
    changes it; a row without one (or with an id the plan does not have, e.g. one just
    removed by someone else) is added, so nothing typed is lost; the plan's rows not given
    are removed. On bad input nothing is saved: the ValidationError names the field, a
    row's field as `goals-<n>-text` / `interventions-<n>-<field>` (n: the row's place in
    the list given). With `edit_version` (the draft's version when the editor was opened),
    a save over someone else's later save raises PlanEditConflict and saves nothing."""
    locked = _lock_draft(plan)
    if edit_version is not None and edit_version != locked.edit_version:
        who = locked.edited_by.full_name if locked.edited_by else "–"
        when = timezone.localtime(locked.edited_at).strftime("%H:%M") if locked.edited_at else "–"
        raise PlanEditConflict(
            _(
                "%(who)s saved the plan at %(when)s while you were writing. Nothing of yours "
                "was saved, and what you wrote is kept below. Check the plan as it is now "
                "(open it in a new tab), then save again to replace it with what is below."
            )
            % {"who": who, "when": when},
            current=locked,
        )
    errors = {}
    try:
        plan_update(plan=locked, by=by, **fields)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    goal_rows = []
    for n, row in enumerate(goals):
        text = row["text"].strip()
        if not text:
            errors[f"goals-{n}-text"] = _("Write the goal.")
        goal_rows.append((row.get("id"), text))
    for n, row in enumerate(interventions):
        errors.update(_intervention_errors(row, f"interventions-{n}-"))
    if errors:
        raise ValidationError(errors)  # the transaction rolls back the plan's fields too

    existing = {g.pk: g for g in Goal.objects.filter(plan=locked)}
    kept = set()
    for goal_id, text in goal_rows:
        goal = existing.get(goal_id)
        if goal is None:
            Goal.objects.create(plan=locked, text=text)
        else:
            kept.add(goal.pk)
            if goal.text != text:
                goal.text = text
                goal.save(update_fields=["text"])
    Goal.objects.filter(plan=locked).exclude(pk__in=kept).filter(pk__in=existing).delete()

    columns = ("kind", "what", "organisation", "person", "starts_on", "ends_on")
    existing = {i.pk: i for i in Intervention.objects.filter(plan=locked)}
    kept = set()
    for row in interventions:
        values = {c: row[c] for c in columns}
        values["what"] = values["what"].strip()
        intervention = existing.get(row.get("id"))
        if intervention is None:
            Intervention.objects.create(plan=locked, **values)
        else:
            kept.add(intervention.pk)
            for name, value in values.items():
                setattr(intervention, name, value)
            intervention.save()
    Intervention.objects.filter(plan=locked).exclude(pk__in=kept).filter(pk__in=existing).delete()
    Plan.objects.filter(pk=locked.pk).update(
        edit_version=F("edit_version") + 1, edited_at=timezone.now(), edited_by=by
    )
    locked.refresh_from_db(fields=["edit_version", "edited_at", "edited_by"])
    return locked


@_may_change(text=True)
@transaction.atomic
def goal_add(*, plan: Plan, by, text: str) -> Goal:
    locked = _lock_draft(plan)
    if not text.strip():
        raise ValidationError({"text": _("Write the goal.")})
    return Goal.objects.create(plan=locked, text=text.strip())


@_may_change(text=True)
@transaction.atomic
def goal_remove(*, plan: Plan, by, goal_id: int) -> None:
    locked = _lock_draft(plan)
    Goal.objects.filter(plan=locked, pk=goal_id).delete()


@_may_change(text=True)
@transaction.atomic
def intervention_add(
    *,
    plan: Plan,
    by,
    kind: str,
    what: str,
    organisation: Organisation,
    person,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Intervention:
    locked = _lock_draft(plan)
    row = {"organisation": organisation, "person": person}
    errors = _intervention_errors({**row, "starts_on": starts_on, "ends_on": ends_on}, "")
    if errors:
        raise ValidationError(errors)
    return Intervention.objects.create(
        plan=locked,
        kind=kind,
        what=what.strip(),
        organisation=organisation,
        person=person,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@_may_change(text=True)
@transaction.atomic
def intervention_remove(*, plan: Plan, by, intervention_id: int) -> None:
    locked = _lock_draft(plan)
    Intervention.objects.filter(plan=locked, pk=intervention_id).delete()


def plan_missing_parts(plan: Plan) -> list[str]:
    """What the law requires of a SIP and this plan still lacks, in words for the page.
    Empty when the plan may be finalised."""
    missing = []
    if not plan.needs.strip():
        missing.append(_("the needs in the family's own words"))
    if not plan.child_view.strip():
        missing.append(_("the child's own view"))
    if not plan.goals.all():
        missing.append(_("at least one goal"))
    if not plan.interventions.all():
        missing.append(_("at least one intervention"))
    if not plan.measures_by_others.strip():
        missing.append(_("measures taken by others (write “none” if there are none)"))
    if not plan.overall_organisation_id:
        missing.append(_("the agency with the overall responsibility"))
    if not plan.overall_person_id:
        missing.append(_("the person with the overall responsibility"))
    if not plan.follow_up_on:
        missing.append(_("the follow-up date"))
    if not plan.follow_up_how.strip():
        missing.append(_("how the plan is followed up"))
    return missing


def _grant_read(case: Case, users) -> None:
    """The SIP's responsible persons may see the case (within the consent's sectors)."""
    for user in {u for u in users if u is not None}:
        for perm in ("view_case", "view_case_notice"):
            assign_perm(f"cases.{perm}", user, case)


@_may_change()
@transaction.atomic
def plan_finalise(*, plan: Plan, by) -> Plan:
    """Finalise a complete draft. The first finalised plan makes the case's plan active."""
    locked = _lock_draft(plan)
    missing = plan_missing_parts(locked)
    if missing:
        raise ValidationError(
            _("The plan cannot be finalised yet. Missing: %(parts)s.")
            % {"parts": "; ".join(missing)}
        )
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    if case.status not in SIP_STATUSES:
        raise ValidationError(_("The case is not in the SIP stage."))
    locked.state = Plan.State.FINAL
    locked.finalised_at = timezone.now()
    locked.finalised_by = by
    locked.save()
    _grant_read(case, [locked.overall_person, *(i.person for i in locked.interventions.all())])
    if case.status == Status.SIP_PLANNED:
        case_transition(
            case=case, to_status=Status.PLAN_ACTIVE, by=by, note=f"SIP v{locked.version}"
        )
    return locked


@_may_change()
@transaction.atomic
def plan_revise(*, plan: Plan, by) -> Plan:
    """A new draft version copying the finalised plan, its goals and interventions. The
    earlier version stays as it was."""
    source = Plan.objects.select_for_update().get(pk=plan.pk)
    if source.state != Plan.State.FINAL:
        raise ValidationError(_("Only a finalised plan can be revised."))
    if Plan.objects.filter(case=source.case_id, state=Plan.State.DRAFT).exists():
        raise ValidationError(_("A new version is already being written."))
    latest = Plan.objects.filter(case=source.case_id).aggregate(v=Max("version"))["v"]
    if source.version != latest:
        raise ValidationError(_("Only the latest version can be revised."))
    if Case.objects.filter(pk=source.case_id, status=Status.CLOSED).exists():
        raise ValidationError(_("The case is closed."))
    new = Plan.objects.create(
        case_id=source.case_id,
        version=source.version + 1,
        sip_meeting=source.sip_meeting,
        previous=source,
        created_by=by,
        **{name: getattr(source, name) for name in PLAN_FIELDS},
    )
    Goal.objects.bulk_create(Goal(plan=new, text=g.text) for g in source.goals.all())
    Intervention.objects.bulk_create(
        Intervention(
            plan=new,
            kind=i.kind,
            what=i.what,
            organisation_id=i.organisation_id,
            person_id=i.person_id,
            starts_on=i.starts_on,
            ends_on=i.ends_on,
        )
        for i in source.interventions.all()
    )
    return new


@_may_change()
@transaction.atomic
def plan_signature_register(
    *,
    plan: Plan,
    by,
    signed_on: datetime.date,
    guardians=(),
    child_signed: bool = False,
    professionals=(),
    scan=None,
) -> PlanSignature:
    """Register the signed paper plan: when, who signed, and optionally its scan."""
    if plan.state != Plan.State.FINAL:
        raise ValidationError(_("Only a finalised plan is signed."))
    errors = {}
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("The date cannot be in the future.")
    if plan.finalised_at and signed_on < timezone.localtime(plan.finalised_at).date():
        errors["signed_on"] = _("The plan cannot be signed before it was finalised.")
    if any(g.case_id != plan.case_id for g in guardians):
        errors["guardians"] = _("Choose the child's guardians.")
    if not guardians and not child_signed and not professionals:
        errors["guardians"] = _("Choose who signed the plan.")
    content_type = ""
    if scan:
        try:
            content_type = scan_validate(scan)
        except ValidationError as exc:
            errors["scan"] = exc.messages
    if errors:
        raise ValidationError(errors)
    signature = PlanSignature.objects.create(
        plan=plan,
        signed_on=signed_on,
        child_signed=child_signed,
        scan=scan or "",
        scan_content_type=content_type,
        registered_by=by,
    )
    signature.guardians.set(guardians)
    signature.professionals.set(professionals)
    return signature


@_may_change()
@transaction.atomic
def follow_up_record(
    *,
    plan: Plan,
    by,
    held_on: datetime.date,
    goal_results: dict[int, tuple[str, str]],
    intervention_states: dict[int, tuple[str, str]],
    answers: dict[str, int],
    family_comment: str = "",
    decision: str,
    closing_reason: str = "",
    next_follow_up_on: datetime.date | None = None,
    note: str = "",
) -> FollowUp:
    """A follow-up SIP meeting. Every goal and intervention of the plan is evaluated, the
    family's answers are kept, and the decision is carried out: continue (with the next
    follow-up date), revise (a new draft version) or close the case (with a reason)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    case = Case.objects.select_for_update().get(pk=plan.case_id)
    if plan.state != Plan.State.FINAL or case.status != Status.PLAN_ACTIVE:
        raise ValidationError(_("Only a plan in force is followed up."))
    goals = {g.pk for g in plan.goals.all()}
    interventions = {i.pk for i in plan.interventions.all()}
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    elif plan.finalised_at and held_on < timezone.localtime(plan.finalised_at).date():
        errors["held_on"] = _("The follow-up cannot be before the plan was finalised.")
    else:
        # A revised plan's follow-ups continue those of the versions before it.
        last = (
            FollowUp.objects.filter(plan__case_id=plan.case_id)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        if last and held_on < last:
            errors["held_on"] = _("The follow-up cannot be before the previous one (%(day)s).") % {
                "day": last
            }
    if set(goal_results) != goals:
        errors["__all__"] = _("Evaluate every goal.")
    if set(intervention_states) != interventions:
        errors["__all__"] = _("Evaluate every intervention.")
    if set(answers) != set(QUESTION_CODES) or any(v not in SCALE for v in answers.values()):
        errors["__all__"] = _("Answer every question of the questionnaire (1–5).")
    if decision not in FollowUp.Decision.values:
        errors["decision"] = _("Choose a decision.")
    if decision == FollowUp.Decision.CLOSE and closing_reason not in ClosingReason.values:
        errors["closing_reason"] = _("Choose why the case is closed.")
    if decision == FollowUp.Decision.CONTINUE:
        if not next_follow_up_on:
            errors["next_follow_up_on"] = _("Give the date of the next follow-up.")
        elif next_follow_up_on <= held_on:
            errors["next_follow_up_on"] = _("The next follow-up comes after this one.")
    if errors:
        raise ValidationError(errors)
    follow_up = FollowUp.objects.create(
        plan=plan,
        held_on=held_on,
        family_answers={code: int(answers[code]) for code in QUESTION_CODES},
        family_comment=family_comment,
        decision=decision,
        closing_reason=closing_reason if decision == FollowUp.Decision.CLOSE else "",
        next_follow_up_on=next_follow_up_on if decision == FollowUp.Decision.CONTINUE else None,
        note=note,
        recorded_by=by,
    )
    GoalEvaluation.objects.bulk_create(
        GoalEvaluation(follow_up=follow_up, goal_id=pk, result=r, comment=c)
        for pk, (r, c) in sorted(goal_results.items())
    )
    InterventionEvaluation.objects.bulk_create(
        InterventionEvaluation(follow_up=follow_up, intervention_id=pk, state=s, comment=c)
        for pk, (s, c) in sorted(intervention_states.items())
    )
    if decision == FollowUp.Decision.REVISE:
        plan_revise(plan=plan, by=by)
    elif decision == FollowUp.Decision.CLOSE:
        case_transition(
            case=case, to_status=Status.CLOSED, by=by, closing_reason=closing_reason, note="SIP"
        )
    return follow_up


def guardians_of(case: Case):
    return Guardian.objects.filter(case=case).order_by("pk")
