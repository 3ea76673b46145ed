"""Who may see which case. Every list and detail view reads cases through here."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from consent.models import Consent
from hlt.prepared import prepared

from . import access
from .models import Case, Child, ConcernReason, Guardian

# The rule lives in the gate; these names stay for the modules that read cases.
cases_visible_to = access.visible_cases
case_for_user = access.case_for_user
case_consent_ended_for_user = access.case_consent_ended_for_user


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
    if value in (None, "") or value == []:
        return "–"
    if isinstance(value, list):  # a JSON list of codes, e.g. the concern reasons
        labels = dict(ConcernReason.choices) if field.name == "concern_reasons" else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, str) and field.get_internal_type() == "DateTimeField":
        value = datetime.datetime.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return str(related.get(field.related_model, {}).get(value) or value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
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


# The history's reads, each compiled once per process (hlt.prepared).
def _history(records):
    return records.select_related("history_user").order_by("history_date", "pk")


@prepared(int)
def _case_history(case_id):
    return _history(Case.history.filter(id=case_id))


@prepared(int)
def _child_history(child_id):
    return _history(
        Child.history.filter(id=child_id).exclude(history_change_reason="registered again")
    )


@prepared(int)
def _guardian_history(case_id):
    return _history(Guardian.history.filter(case_id=case_id))


@prepared(int)
def _consent_history(case_id):
    return _history(Consent.history.filter(case_id=case_id))


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
    sources = [
        (Case, _("Case"), _case_history(case.pk)),
        (Child, _("Child"), [] if case.registered_child else _child_history(case.child_id)),
        (Guardian, _("Guardian"), _guardian_history(case.pk)),
        (Consent, _("Consent"), _consent_history(case.pk)),
    ]
    diffs = []  # (model, label, record, the changes; None for the registration)
    for model, label, records in sources:
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
