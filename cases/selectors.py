"""Who may see which case. Every list and detail view reads cases through here."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import Consent

from .models import (
    Case,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Child,
    ConcernReason,
    Guardian,
)
from .workflow import PRE_CONSENT


def _cases_with_permission(user) -> QuerySet[Case]:
    """Cases the user has been given (as initiator, as a SIP's responsible person, or through
    a team sector group): not yet filtered by consent. Superusers get no shortcut:
    administrators never see a child.

    The same rows as guardian's `get_objects_for_user(user, "cases.view_case", Case,
    accept_global_perms=False, with_superuser=False)`, read from the direct-FK permission
    tables as one UNION: guardian's `id IN (user's) OR id IN (groups')` makes PostgreSQL test
    every case of the region against both lists, a time that grows with the data, while the
    union starts from the user's few hundred permissions and looks the cases up by key.
    """
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    view_case = {
        "permission__codename": "view_case",
        "permission__content_type__app_label": "cases",
    }
    direct = CaseUserObjectPermission.objects.filter(user=user.pk, **view_case)
    through_groups = CaseGroupObjectPermission.objects.filter(group__user=user.pk, **view_case)
    return Case.objects.filter(
        pk__in=direct.values("content_object_id").union(
            through_groups.values("content_object_id"), all=True
        )
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


def _readable(model, field_name: str, value, related: dict) -> str:
    """A history value in words. `related` holds the objects of every relation the changes
    name, looked up beforehand ({model: {pk: object}})."""
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        # The values are rows of the history's m2m table.
        target = field.m2m_reverse_field_name()
        objects = related.get(field.related_model, {})
        names = [str(objects.get(row[target], row[target])) for row in value or []]
        return ", ".join(sorted(names)) or "–"
    if value in (None, "", [], {}):
        return "–"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(related.get(field.related_model, {}).get(value) or value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    # Plain words, never Python's notation: lists as their labels, times in local time.
    if isinstance(value, list | tuple):
        labels = dict(ConcernReason.choices) if field_name == "concern_reasons" else {}
        return "; ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


@dataclass
class _Change:
    field: str
    old: object
    new: object


def _m2m_rows(records: list) -> dict[tuple[int, str], list[dict]]:
    """Every record's rows of its m2m history tables, one query per m2m field.

    simple-history's `diff_against` reads them with two queries per record and field, so
    a case with a long history would cost ever more queries.
    """
    rows: dict[tuple[int, str], list[dict]] = {}
    if not records:
        return rows
    history_model = type(records[0])
    for field in history_model._history_m2m_fields:
        through = getattr(history_model, field.name).model  # the history's m2m table
        compared = [
            f.name
            for f in through._meta.fields
            if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        for row in (
            through.objects.filter(history__in=[r.pk for r in records])
            .order_by(field.m2m_reverse_field_name())
            .values("history_id", *compared)
        ):
            history_id = row.pop("history_id")
            rows.setdefault((history_id, field.name), []).append(row)
    return rows


def _diff(record, before, m2m_rows: dict) -> list[_Change]:
    m2m_names = [f.name for f in type(record)._history_m2m_fields]
    hidden = [f for f in _NOT_IN_TIMELINE if hasattr(record, f)]
    changes = [
        _Change(c.field, c.old, c.new)
        for c in record.diff_against(before, excluded_fields=m2m_names + hidden).changes
    ]
    for name in m2m_names:
        old = m2m_rows.get((before.pk, name), [])
        new = m2m_rows.get((record.pk, name), [])
        if old != new:
            changes.append(_Change(name, old, new))
    return sorted(changes, key=lambda c: c.field)


def _related_objects(diffs) -> dict:
    """The objects the changes refer to, one query per related model."""
    wanted: dict = {}
    for model, _label, _record, changes in diffs:
        for change in changes or []:
            field = model._meta.get_field(change.field)
            if field.many_to_many:
                target = field.m2m_reverse_field_name()
                ids = {row[target] for rows in (change.old, change.new) for row in rows or []}
            elif field.is_relation:
                ids = {v for v in (change.old, change.new) if v not in (None, "")}
            else:
                continue
            wanted.setdefault(field.related_model, set()).update(ids)
    return {
        model: model._default_manager.in_bulk(sorted(ids)) for model, ids in wanted.items() if ids
    }


# Internal to a case: a linked case's own copy of the child is set once, at registration.
_NOT_IN_TIMELINE = ("registered_child",)

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
    consents, from django-simple-history; newest first. A fixed number of queries, however
    long the history."""
    # Only this case's own history. A case linked to a child registered from another case
    # shows none of the child's record; the case that registered it shows the record's
    # history, but not what another case once wrote over it ("registered again", before
    # linked cases kept their own copy).
    child_history = (
        Child.history.none()
        if case.registered_child
        else Child.history.filter(id=case.child_id).exclude(
            history_change_reason="registered again"
        )
    )
    sources = [
        (Case, _("Case"), Case.history.filter(id=case.pk)),
        (Child, _("Child"), child_history),
        (Guardian, _("Guardian"), Guardian.history.filter(case_id=case.pk)),
        (Consent, _("Consent"), Consent.history.filter(case_id=case.pk)),
    ]
    diffs = []  # (model, label, record, the changes; None for the registration)
    for model, label, records in sources:
        records = list(records.select_related("history_user").order_by("history_date", "pk"))
        m2m_rows = _m2m_rows(records)
        previous: dict[int, object] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if before is None:
                diffs.append((model, label, record, None))
            elif changes := _diff(record, before, m2m_rows):
                diffs.append((model, label, record, changes))
            # (a save that changed nothing visible is left out)
    related = _related_objects(diffs)
    entries: list[TimelineEntry] = []
    for model, label, record, changes in diffs:
        who = str(record.history_user) if record.history_user else str(_("the system"))
        what = _("Registered: %(thing)s") if changes is None else _("Changed: %(thing)s")
        shown = [
            (
                str(model._meta.get_field(c.field).verbose_name),
                *(
                    ("***", "***")
                    if c.field in _NEVER_SHOWN
                    or (not shows_identity and c.field in _IDENTITY_FIELDS)
                    else (
                        redact(_readable(model, c.field, c.old, related)),
                        redact(_readable(model, c.field, c.new, related)),
                    )
                ),
            )
            for c in changes or []
        ]
        entries.append(TimelineEntry(record.history_date, who, str(what % {"thing": label}), shown))
    return sorted(entries, key=lambda e: e.at, reverse=True)
