"""Who may review which part of the access log."""

from django.db.models import QuerySet

from teams.selectors import is_log_reviewer, organisations_managed_by

from .models import AccessLogEntry

__all__ = ["child_numbers", "is_log_reviewer", "log_filter", "log_reviewable_by"]


def log_reviewable_by(user) -> QuerySet[AccessLogEntry] | None:
    """All rows for a designated log reviewer; a manager's own organisations' staff's rows;
    None for everyone else (they may not review at all)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    if is_log_reviewer(user):
        return AccessLogEntry.objects.all()
    organisations = organisations_managed_by(user)
    if organisations.exists():
        return AccessLogEntry.objects.filter(user_organisation__in=organisations)
    return None


def child_numbers(entries) -> dict[int, str]:
    """Each row's child by identity number (what the filter asks for), in one query. A
    child with protected identity shows as such; a purged child as "–"."""
    from django.apps import apps
    from django.utils.translation import gettext as _

    ids = {e.child_id for e in entries}
    numbers = {}
    for pk, personal, reserve, protected in (
        apps.get_model("cases", "Child")
        .objects.filter(pk__in=ids)
        .values_list("pk", "personal_number", "reserve_number", "protected_identity")
    ):
        numbers[pk] = str(_("protected identity")) if protected else (personal or reserve or "–")
    return numbers


def log_filter(entries, *, user=None, child_id=None, date_from=None, date_to=None, action=None):
    if user:
        entries = entries.filter(user=user)
    if child_id is not None:
        entries = entries.filter(child_id=child_id)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if action:
        entries = entries.filter(action=action)
    return entries
