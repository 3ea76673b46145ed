"""Who may see which case. Every list and detail view reads cases through here."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from consent.models import Consent

from .models import Case, Child, Guardian
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


@dataclass
class TimelineEntry:
    at: datetime.datetime
    who: str
    what: str
    changes: list[tuple[str, str, str]]


def _readable(model, field_name: str, value) -> str:
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        # simple-history gives m2m values as rows of the through table.
        target = field.m2m_reverse_field_name()
        ids = [row[target] for row in value or []]
        people = field.related_model._default_manager.filter(pk__in=ids)
        return ", ".join(sorted(str(p) for p in people)) or "–"
    if value in (None, ""):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        # Few changes touch a relation (team, who received a withdrawal): look each one up.
        return str(field.related_model._default_manager.filter(pk=value).first() or value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


# Never shown in a timeline (addresses), or only to those who see a protected identity.
_NEVER_SHOWN = {"address"}
_IDENTITY_FIELDS = {
    "given_name",
    "family_name",
    "personal_number",
    "reserve_number",
    "school",
    "phone",
    "email",
    "birth_date",
}


def case_timeline(
    case: Case, *, shows_identity: bool = True, redact=lambda text: text
) -> list[TimelineEntry]:
    """What changed, who changed it and when, for the case and its child, guardians and
    consents, from django-simple-history; newest first. A fixed number of queries."""
    sources = [
        (Case, _("Case"), Case.history.filter(id=case.pk)),
        (Child, _("Child"), Child.history.filter(id=case.child_id)),
        (Guardian, _("Guardian"), Guardian.history.filter(case_id=case.pk)),
        (Consent, _("Consent"), Consent.history.filter(case_id=case.pk)),
    ]
    entries: list[TimelineEntry] = []
    for model, label, records in sources:
        previous: dict[int, object] = {}
        for record in records.select_related("history_user").order_by("history_date", "pk"):
            who = str(record.history_user) if record.history_user else str(_("the system"))
            before = previous.get(record.id)
            if before is None:
                changes = []
                what = _("Registered: %(thing)s") % {"thing": label}
            else:
                changes = [
                    (
                        str(model._meta.get_field(c.field).verbose_name),
                        *(
                            ("***", "***")
                            if c.field in _NEVER_SHOWN
                            or (not shows_identity and c.field in _IDENTITY_FIELDS)
                            else (
                                redact(_readable(model, c.field, c.old)),
                                redact(_readable(model, c.field, c.new)),
                            )
                        ),
                    )
                    for c in record.diff_against(before).changes
                ]
                what = _("Changed: %(thing)s") % {"thing": label}
            previous[record.id] = record
            if before is None or changes:
                entries.append(TimelineEntry(record.history_date, who, str(what), changes))
    return sorted(entries, key=lambda e: e.at, reverse=True)
