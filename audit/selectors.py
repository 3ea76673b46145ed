"""Who may review which part of the access log."""

from django.db.models import QuerySet

from teams.selectors import organisations_managed_by

from .models import AccessLogEntry


def log_reviewable_by(user) -> QuerySet[AccessLogEntry] | None:
    """All rows for a designated log reviewer; a manager's own organisations' staff's rows;
    None for everyone else (they may not review at all)."""
    if not user.is_authenticated:
        return None
    if user.has_perm("audit.review_all_access"):
        return AccessLogEntry.objects.all()
    organisations = organisations_managed_by(user)
    if organisations.exists():
        return AccessLogEntry.objects.filter(user_organisation__in=organisations)
    return None


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
