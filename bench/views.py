from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from meetings.models import Meeting

LEAN_FLOOR_ROWS = 50


@login_required
def baseline(request):
    """A logged-in page that renders only the base layout: every middleware, the session, the
    user and the layout's template, and nothing of any domain app."""
    return render(request, "bench/baseline.html")


@login_required
def lean_floor(request):
    """The cheapest honest page with data: the base layout and a 50-row table from one query
    (meetings with their team, no child data). The app's pages are measured against it: a
    page that costs much more CPU than this does work that the reader does not see."""
    meetings = (
        Meeting.objects.select_related("team")
        .only("date", "starts_at", "ends_at", "place", "state", "team__name")
        .order_by("-date", "pk")[:LEAN_FLOOR_ROWS]
    )
    return render(request, "bench/lean_floor.html", {"meetings": meetings})
