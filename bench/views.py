from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def baseline(request):
    """A logged-in page that renders only the base layout: every middleware, the session, the
    user and the layout's template, and nothing of any domain app."""
    return render(request, "bench/baseline.html")
