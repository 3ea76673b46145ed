"""Who may open and who may change a case's SIP: the one access helper of the app.

- **Reading** (plan, versions, PDF, follow-ups, feedback): exactly the people who may see
  the case (`cases.selectors.case_for_user`); everyone else gets 404.
- **Writing** (schedule, edit, finalise, revise, print, register signatures, follow up,
  record the family's feedback): among those who see the case, its initiator, the current
  key persons of the case's HLT team, and the person with the overall responsibility for
  any version of the plan. Others who see the case (e.g. a professional responsible for
  one intervention) read only: 403.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.access import case_for_user
from cases.models import Case, Guardian
from hlt.prepared import Prepared

from . import selectors
from .models import Goal, Intervention, Plan


def may_edit(user, case: Case, day: datetime.date | None = None) -> bool:
    """Works with the case's SIP: its initiator, a current key person of its team, or the
    person with the overall responsibility for any version of the plan."""
    cache = case.__dict__.setdefault("_sip_may_edit", {})
    if user.pk in cache:
        return cache[user.pk]
    day = day or timezone.localdate()
    allowed = (
        case.initiated_by_id == user.pk
        # A current key person of the team: the seats the gate read for this request.
        or (
            case.team_id is not None
            and case.team_id in {team for team, _sector in access.active_seats(user, day)}
        )
        or any(plan.overall_person_id == user.pk for plan in plan_versions(case))
    )
    cache[user.pk] = allowed
    return allowed


def plan_versions(case: Case) -> list[Plan]:
    """The case's plan versions, newest first, read once per case object (the pages list
    them, and `may_edit` asks who holds the overall responsibility for any of them)."""
    if "_sip_versions" not in case.__dict__:
        case._sip_versions = _versions(case.pk)
    return case._sip_versions


# The plan page's fixed-shape reads, compiled once per process (hlt.prepared): compiling
# them cost about a fifth of the page's CPU, more than PostgreSQL spends running them.
_versions = Prepared(lambda case_pk: selectors.plan_versions(case_pk), (int,))
_plan_row = Prepared(
    lambda pk: Plan.objects.select_related(
        "overall_organisation", "overall_person", "finalised_by", "sip_meeting"
    ).filter(pk=pk),
    (int,),
)
_goals = Prepared(lambda plan_pk: Goal.objects.filter(plan=plan_pk), (int,))
_interventions = Prepared(
    lambda plan_pk: Intervention.objects.filter(plan=plan_pk).select_related(
        "organisation", "person"
    ),
    (int,),
)
_guardians = Prepared(lambda case_pk: Guardian.objects.filter(case=case_pk), (int,))


def may_edit_text(user, case: Case) -> bool:
    """Free text about the family (the plan's needs, goals, interventions) is changed only by
    a reader who sees every name in it: for a protected child or guardian, the people named
    on the case. Anyone else would be editing masked text."""
    return access.sees_every_name(case, user)


def sip_case_for_user(user, pk: int, *, write: bool = False) -> Case:
    """The case (404 when the user may not see it; 403 when they may see but not write)."""
    if not user.is_authenticated:
        raise Http404
    case = case_for_user(user, pk)
    if write and not may_edit(user, case):
        raise PermissionDenied(_("Only the people working with the SIP can change it."))
    return case


def plan_for_user(user, pk: int, *, write: bool = False, text: bool = False) -> Plan:
    """A plan version, through its case's access rule; `text` for changes to its free text
    (403 for a reader who sees it masked)."""
    # The plan's row first (one query instead of its case number, then the plan): nothing of
    # it is used before the case's access rule has answered.
    rows = _plan_row(int(pk))
    if not rows:
        raise Http404
    plan = rows[0]
    case = sip_case_for_user(user, plan.case_id, write=write)
    if text and not may_edit_text(user, case):
        raise PermissionDenied(_("Only the people named on the case change the text of this plan."))
    prefetched(plan, "goals", Goal.objects.filter(plan=plan), "plan", rows=_goals(plan.pk))
    prefetched(
        plan,
        "interventions",
        Intervention.objects.filter(plan=plan).select_related("organisation", "person"),
        "plan",
        rows=_interventions(plan.pk),
    )
    plan.case = case
    return plan


def prefetched(obj, name: str, queryset, back: str, *, rows: list | None = None) -> None:
    """What `prefetch_related(name)` leaves on one object, without its machinery (a tenth
    of the plan page's CPU for a few short lists): `obj.<name>.all()` answers the rows of
    `queryset` (the relation's rows), each with `back` pointing at `obj`. `rows`: those
    rows already read (by a prepared query), so `queryset` is not run."""
    if rows is None:
        rows = list(queryset)
    else:
        queryset._result_cache = rows
    back_field = queryset.model._meta.get_field(back)
    for row in rows:
        back_field.set_cached_value(row, obj)
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def guardians_prefetched(case: Case) -> None:
    """The case's guardians read once (the redaction and the family's language both read
    them), by a prepared query."""
    if "guardians" not in getattr(case, "_prefetched_objects_cache", {}):
        prefetched(
            case, "guardians", Guardian.objects.filter(case=case), "case", rows=_guardians(case.pk)
        )
