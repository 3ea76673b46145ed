"""The working day: the task inbox on the start page and the weekly e-mail setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.models import AccessLogEntry as Log
from cases import access

from .forms import InboxPreferenceForm
from .inbox import inbox_for
from .models import InboxPreference

# The menu's count, kept in the session from the last start page (no query on other pages).
SESSION_COUNT = "workday_inbox_count"


def inbox_section(request) -> dict:
    """The start page's inbox (registered with teams.start). The children it names are
    written to the access log as one list read."""
    user = request.user
    if not user.is_authenticated:
        return {}
    inbox = inbox_for(user)
    if inbox.shown_cases:
        access.record_shown(
            request,
            inbox.shown_cases,
            kind=Log.Kind.CASE_LIST,
            action=Log.Action.VIEW,
            context="inbox",
        )
    count = [inbox.count, inbox.overdue_count]
    if request.session.get(SESSION_COUNT) != count:  # no session write when nothing changed
        request.session[SESSION_COUNT] = count
    return {"inbox": inbox}


@login_required
def email_setting(request):
    preference, _created = InboxPreference.objects.get_or_create(user=request.user)
    form = InboxPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        preference = form.save(commit=False)
        preference.language = get_language() or "sv"
        preference.save(update_fields=["weekly_email", "language"])
        messages.success(
            request,
            _("You will get your tasks by e-mail every Monday.")
            if preference.weekly_email
            else _("You will not get your tasks by e-mail."),
        )
        return redirect("teams:start")
    return render(request, "workday/email_setting.html", {"form": form})
