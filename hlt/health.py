"""Health endpoint for load balancers and monitoring: the database and the task worker."""

import datetime

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

# A task waiting this long past its start time means no worker is taking tasks.
WORKER_STALL = datetime.timedelta(minutes=5)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure means "unavailable"; details go to the log, not out
        return "unavailable"
    return "ok"


def _worker() -> str:
    from django_tasks_db.models import DBTaskResult

    overdue = DBTaskResult.objects.filter(
        status="READY", run_after__lt=timezone.now() - WORKER_STALL
    ).exists()
    return "stalled" if overdue else "ok"


@never_cache
def health(request):
    checks = {"database": _database()}
    checks["worker"] = _worker() if checks["database"] == "ok" else "unknown"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503
    )
