"""Writing the access log. One call per page, however many children the page shows."""

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from .models import AccessLogEntry


def _client_ip(request) -> str | None:
    # Behind the proxy the app trusts (SECURE_PROXY_SSL_HEADER), the first forwarded address.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None


def _role(user) -> str:
    seats = getattr(user, "_audit_role", None)
    if seats is None:
        seats = ", ".join(
            sorted(
                {
                    f"{s.team_id}:{s.profession}"
                    for s in user.key_person_seats.active_on(timezone.localdate())
                }
            )
        )
        user._audit_role = seats or "staff"
    return seats


def access_log_record(
    *, request, cases: Iterable, kind: str, action: str, context: str = ""
) -> int:
    """Record that the request's user was shown `kind` data of each case's child.

    Writes every row in one INSERT, so a list of 50 cases costs one query.
    """
    user = request.user
    role = _role(user)
    ip = _client_ip(request)
    rows = [
        (
            user.pk,
            user.organisation_id,
            role,
            case.child_id,
            case.pk,
            kind,
            action,
            ip,
            context or (str(case.team) if getattr(case, "team_id", None) else ""),
        )
        for case in cases
    ]
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(**dict(zip(_COLUMNS, row, strict=True))) for row in rows
        )
        return len(rows)
    # One INSERT of arrays, written out: building it through the ORM (a model instance per
    # row, then bulk_create's compiler) cost more CPU than the database spends storing it.
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [timezone.now(), *map(list, columns)])
    return len(rows)


_COLUMNS = (
    "user_id",
    "user_organisation_id",
    "user_role",
    "child_id",
    "case_id",
    "kind",
    "action",
    "ip_address",
    "context",
)
# The table's columns and their types, written out (tests/audit checks them against the model).
_INSERT = (
    'INSERT INTO "audit_accesslogentry" (at, user_id, user_organisation_id, user_role, '
    "child_id, case_id, kind, action, ip_address, context) SELECT %s, * FROM unnest("
    "%s::bigint[], %s::bigint[], %s::text[], %s::bigint[], %s::bigint[], %s::text[], "
    "%s::text[], %s::inet[], %s::text[])"
)
