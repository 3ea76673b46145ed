"""The task count beside "Start" in the menu: read from the session, where the start page left
it, so no other page pays for computing the inbox."""

from .views import SESSION_COUNT


def inbox_count(request) -> dict:
    session = getattr(request, "session", None)
    value = session.get(SESSION_COUNT) if session is not None else None
    if not value:
        return {}
    count, overdue = value
    return {"inbox_count": count, "inbox_overdue": overdue}
