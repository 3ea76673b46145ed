"""The coordinator's schedule and agenda builder, the members' agendas, minutes and calendar.

Every change is a plain form POST that redirects (works without JavaScript); the agenda
builder's forms also carry htmx attributes, and for an htmx request the view renders only
the builder partial (`meeting_detail.html#builder`).
"""

import calendar
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.models import AccessLogEntry as Log
from cases import access
from hlt import idempotency

from . import documents, ics, schedule, selectors, services
from .forms import (
    AgendaAddForm,
    AttendanceForm,
    CancelForm,
    GenerateForm,
    MeetingAddForm,
    MeetingMoveForm,
    MinutesForm,
    MoveForm,
    SlotForm,
    VersionForm,
)
from .models import CalendarFeed, Meeting


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _month(request) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


# --- the team's schedule ---------------------------------------------------------------------


@login_required
def index(request):
    """The user's teams and their coming meetings."""
    today = timezone.localdate()
    meetings = (
        selectors.meetings_of_member(request.user, today)
        .filter(date__gte=today, state=Meeting.State.PLANNED)
        .order_by("date", "starts_at")[:20]
    )
    teams = {s.team for s in request.user.key_person_seats.active_on(today).select_related("team")}
    return render(
        request,
        "meetings/index.html",
        {"meetings": meetings, "teams": sorted(teams, key=lambda t: t.name)},
    )


@login_required
@require_GET
def team_meetings(request, team_pk):
    team = selectors.team_for_member(request.user, team_pk)
    year, month = _month(request)
    first = datetime.date(year, month, 1)
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in selectors.month_meetings(team, year, month):
        by_day.setdefault(meeting.date, []).append(meeting)
    weeks = [
        [(day, day.month == month, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]
    today = timezone.localdate()
    context = {
        "team": team,
        "month": first,
        "weeks": weeks,
        "previous": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next": (first + datetime.timedelta(days=32)).strftime("%Y-%m"),
        # From two months back to the end of next year: the generated terms are all there.
        "meetings": selectors.team_meetings(
            team, today - datetime.timedelta(days=60), datetime.date(today.year + 1, 12, 31)
        ),
        "generate_form": GenerateForm(),
        "today": today,
    }
    return render(request, "meetings/team_meetings.html", context)


def _outside_message(day, why: str, term) -> str:
    """Why a month of the term got no meeting from the rule: said, never silently dropped."""
    values = {
        "month": capfirst(date_format(day, "F Y")),
        "day": date_format(day, "l j F"),
        "first": date_format(term.starts_on, "j F"),
        "last": date_format(term.ends_on, "j F"),
    }
    if why == "before_term":
        text = _(
            "%(month)s: no meeting, because the rule's day (%(day)s) comes before the term's "
            "first teaching day (%(first)s). Add a single meeting if the team should meet."
        )
    elif why == "after_term":
        text = _(
            "%(month)s: no meeting, because the rule's day (%(day)s) comes after the term's "
            "last teaching day (%(last)s). Add a single meeting if the team should meet."
        )
    else:
        text = _("%(month)s: no meeting, because the rule's day (%(day)s) has already passed.")
    return text % values


@login_required
def generate(request, team_pk):
    team = selectors.team_for_member(request.user, team_pk, manage=True)
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = form.cleaned_data["term"]
        result = services.meetings_generate(
            team=team, term=term, by=request.user, from_day=timezone.localdate()
        )
        messages.success(
            request,
            _("%(term)s: %(created)d meetings created, %(already)d already there.")
            % {"term": term, "created": len(result.created), "already": result.already},
        )
        if result.skipped:
            language = translation.get_language()
            messages.info(
                request,
                _("No meeting on public holidays: %(days)s.")
                % {
                    "days": "; ".join(
                        f"{d} ({schedule.holiday_name(d, language) or name})"
                        for d, name in result.skipped
                    )
                },
            )
        for day, why in result.outside:
            messages.info(request, _outside_message(day, why, term))
        return redirect("meetings:team", team.pk)
    return render(
        request,
        "meetings/form_page.html",
        {
            "team": team,
            "form": form,
            "title": _("Generate the term's meetings"),
            "submit": _("Generate meetings"),
        },
    )


@login_required
def add(request, team_pk):
    team = selectors.team_for_member(request.user, team_pk, manage=True)
    initial = {
        "starts_at": team.meeting_starts_at,
        "ends_at": team.meeting_ends_at,
        "place": team.meeting_place,
    }
    form = MeetingAddForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting, created = idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.meeting_add(
                    team=team, by=request.user, **form.cleaned_data
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if not created:
                messages.info(request, _("This form was already sent: here is the meeting."))
                if meeting is None:
                    return redirect("meetings:team", team.pk)
            else:
                messages.success(
                    request, _("The meeting on %(date)s was added.") % {"date": meeting.date}
                )
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form_page.html",
        {"team": team, "form": form, "title": _("Add a meeting"), "submit": _("Add meeting")},
    )


@login_required
def move(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    initial = {
        "date": meeting.date,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "version": meeting.version,
    }
    form = MeetingMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.EditConflict as exc:
            messages.error(request, exc.message)
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting was changed."))
            return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form_page.html",
        {
            "meeting": meeting,
            "team": meeting.team,
            "form": form,
            "title": _("Move or change the meeting"),
            "submit": _("Save"),
        },
    )


@login_required
def cancel(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    form = CancelForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.EditConflict as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("The meeting was cancelled; its cases wait again."))
        return redirect("meetings:detail", meeting.pk)
    return render(
        request,
        "meetings/form_page.html",
        {
            "meeting": meeting,
            "team": meeting.team,
            "form": form,
            "title": _("Cancel the meeting on %(date)s") % {"date": meeting.date},
            "intro": _("The cases on its agenda go back to the waiting list."),
            "submit": _("Cancel the meeting"),
        },
    )


# --- the agenda ------------------------------------------------------------------------------


_ITEM = 987_654_321  # stands for an agenda item's id in a reversed URL


def _builder_context(request, meeting: Meeting) -> dict:
    today = timezone.localdate()
    waiting = []
    if meeting.user_is_coordinator and meeting.is_open:
        waiting = selectors.waiting_list(meeting.team, today)
    # The waiting list's children are labelled with the agenda's, in one query.
    agenda = selectors.agenda_for(meeting, request.user, today, also=waiting)
    context = {"meeting": meeting, "agenda": agenda, "is_coordinator": meeting.user_is_coordinator}
    if waiting:
        for case in waiting:
            case.label = agenda.labels[case.pk]
    if meeting.user_is_coordinator and meeting.is_open:
        # The builder's forms: each URL reversed once, not once per row and attribute.
        move = reverse("meetings:agenda_move", args=[meeting.pk, _ITEM])
        remove = reverse("meetings:agenda_remove", args=[meeting.pk, _ITEM])
        for row in agenda.rows:
            row.move_url = move.replace(str(_ITEM), str(row.item.pk))
            row.remove_url = remove.replace(str(_ITEM), str(row.item.pk))
        context["add_url"] = reverse("meetings:agenda_add", args=[meeting.pk])
        context["publish_url"] = reverse("meetings:publish", args=[meeting.pk])
        context["slot_url"] = reverse("meetings:slot", args=[meeting.pk])
        context["slot_form"] = SlotForm(
            initial={"slot_minutes": meeting.slot_minutes, "version": meeting.version}
        )
    context["waiting"] = waiting
    return context


def _shown_on_agenda(context) -> list:
    return context["agenda"].shown_cases + [c for c in context["waiting"] if c.label.shows_name]


@login_required
@require_GET
def detail(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk)
    context = _builder_context(request, meeting)
    access.record_shown(
        request,
        _shown_on_agenda(context),
        kind=Log.Kind.AGENDA,
        action=Log.Action.VIEW,
        context=str(meeting),
    )
    return render(request, "meetings/meeting_detail.html", context)


def _agenda_changed(request, meeting_pk, *, done: str = "", error: str = "", focus: str = ""):
    """After a change: the builder alone for htmx, otherwise back to the page (PRG).

    `focus`: ids (space separated, the first one found wins) of what takes the focus after
    the in-place update, e.g. the row just added; by default the message. Without it the
    focus fell to the page's body and a keyboard user had to start over."""
    if request.htmx:
        meeting = selectors.meeting_for_user(request.user, meeting_pk, manage=True)
        context = _builder_context(request, meeting)
        focus = "builder-error" if error else (focus + " builder-done").strip()
        context.update({"done": done, "error": error, "focus": focus})
        access.record_shown(
            request,
            _shown_on_agenda(context),
            kind=Log.Kind.AGENDA,
            action=Log.Action.VIEW,
            context=str(meeting),
        )
        return render(request, "meetings/meeting_detail.html#builder", context)
    if error:
        messages.error(request, error)
    elif done:
        messages.success(request, done)
    return redirect(reverse("meetings:detail", args=[meeting_pk]) + "#agenda")


def _run(request, meeting_pk, call, done: str, focus=None):
    try:
        result = call()
    except services.EditConflict as exc:
        return _agenda_changed(request, meeting_pk, error=exc.message)
    except ValidationError as exc:
        return _agenda_changed(request, meeting_pk, error=" ".join(_errors(exc)))
    return _agenda_changed(request, meeting_pk, done=done, focus=focus(result) if focus else "")


def _invalid(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@login_required
@require_POST
def slot(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _agenda_changed(request, pk, error=_invalid(form))
    return _run(
        request,
        pk,
        lambda: services.meeting_set_slot(meeting=meeting, by=request.user, **form.cleaned_data),
        _("Minutes per case: %(n)d.") % {"n": form.cleaned_data["slot_minutes"]},
    )


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    form = AgendaAddForm(request.POST)
    if not form.is_valid():
        return _agenda_changed(request, pk, error=_invalid(form))
    case = selectors.waiting_cases(meeting.team).filter(pk=form.cleaned_data["case"]).first()
    if case is None:
        return _agenda_changed(
            request, pk, error=_("The case no longer waits for a meeting of this team.")
        )
    return _run(
        request,
        pk,
        lambda: services.agenda_add(
            meeting=meeting,
            case=case,
            by=request.user,
            version=form.cleaned_data["version"],
            minutes=form.cleaned_data["minutes"],
        ),
        _("The case was put on the agenda."),
        focus=lambda item: f"item-{item.pk}",
    )


@login_required
@require_POST
def agenda_remove(request, pk, item_pk):
    item = selectors.agenda_item_for_user(request.user, pk, item_pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _agenda_changed(request, pk, error=_invalid(form))
    return _run(
        request,
        pk,
        lambda: services.agenda_remove(item=item, by=request.user, **form.cleaned_data),
        _("The case was taken off the agenda and waits again."),
    )


@login_required
@require_POST
def agenda_move(request, pk, item_pk):
    item = selectors.agenda_item_for_user(request.user, pk, item_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _agenda_changed(request, pk, error=_invalid(form))
    done = _("Moved up.") if form.cleaned_data["direction"] == "up" else _("Moved down.")
    return _run(
        request,
        pk,
        lambda: services.agenda_move(item=item, by=request.user, **form.cleaned_data),
        done,
        # The same button again; at the top or bottom it is gone, so the row.
        focus=lambda _meeting: f"{form.cleaned_data['direction']}-{item.pk} item-{item.pk}",
    )


@login_required
@require_POST
def publish(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _agenda_changed(request, pk, error=_invalid(form))
    url = request.build_absolute_uri(reverse("meetings:detail", args=[pk]))
    try:
        sent = services.agenda_publish(
            meeting=meeting, by=request.user, meeting_url=url, **form.cleaned_data
        )
    except services.EditConflict as exc:
        return _agenda_changed(request, pk, error=exc.message)
    except ValidationError as exc:
        return _agenda_changed(request, pk, error=" ".join(_errors(exc)))
    done = _("The agenda was published: %(n)d key persons were e-mailed.") % {"n": sent}
    return _agenda_changed(request, pk, done=done)


@login_required
@require_GET
def agenda_pdf(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk)
    agenda = selectors.agenda_for(meeting, request.user)
    pdf = documents.agenda_pdf(agenda)
    access.record_shown(
        request,
        agenda.shown_cases,
        kind=Log.Kind.AGENDA,
        action=Log.Action.PRINT,
        context=str(meeting),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dagordning-{meeting.date}.pdf"'
    return response


# --- minutes ---------------------------------------------------------------------------------


def _attendance(meeting: Meeting) -> list[tuple]:
    recorded = {a.user_id: a.present for a in meeting.attendance.all()}
    return [(m, recorded.get(m.pk)) for m in selectors.team_members(meeting.team, meeting.date)]


@login_required
@require_GET
def minutes(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk)
    agenda = selectors.agenda_for(meeting, request.user, with_minutes=True)
    attendance = _attendance(meeting)
    # Minutes are offered from the meeting's day on, not refused on save (issue 16 item 5).
    started = meeting.date <= timezone.localdate()
    context = {"meeting": meeting, "agenda": agenda, "attendance": attendance, "started": started}
    if meeting.user_is_coordinator and started:
        members = [m for m, _present in attendance]
        context["attendance_form"] = AttendanceForm(
            members=members,
            initial={
                "version": meeting.version,
                "present": [str(m.pk) for m, present in attendance if present],
            },
        )
    access.record_shown(
        request,
        agenda.shared_cases,
        kind=Log.Kind.MINUTES,
        action=Log.Action.VIEW,
        context=str(meeting),
    )
    return render(request, "meetings/minutes.html", context)


@login_required
@require_POST
def attendance(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    form = AttendanceForm(request.POST, members=selectors.team_members(meeting.team, meeting.date))
    if form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting,
                by=request.user,
                version=form.cleaned_data["version"],
                present_user_ids=form.cleaned_data["present"],
            )
        except services.EditConflict as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("Attendance was saved."))
    else:
        messages.error(request, _invalid(form))
    return redirect("meetings:minutes", pk)


def _minutes_initial(item) -> dict:
    return {
        "version": item.version,
        "notes": item.notes,
        "meeting_sectors": item.meeting_sectors,
        "contact_person": item.contact_person_id,
        "contact_by": item.contact_by,
        "planning_meeting_on": item.planning_meeting_on,
        "sip_meeting_on": item.sip_meeting_on,
        "next_status": item.next_status,
        "closing_reason": item.closing_reason,
    }


@login_required
def item_minutes(request, pk, item_pk):
    item = selectors.agenda_item_for_user(request.user, pk, item_pk)
    meeting = item.meeting
    if meeting.date > timezone.localdate():
        messages.info(request, _("Minutes are recorded from the meeting's day on."))
        return redirect("meetings:minutes", pk)
    members = selectors.team_members(meeting.team, meeting.date)
    kwargs = {
        "members": members,
        "status_locked": item.has_minutes,
        "initial": _minutes_initial(item),
    }
    form = MinutesForm(request.POST or None, **kwargs)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(item=item, by=request.user, **form.cleaned_data)
        except services.EditConflict as exc:
            # Keep what this user wrote, show what the other person saved, and let them
            # save again on top of it deliberately.
            conflict = exc.current
            data = request.POST.copy()
            data["version"] = conflict.version
            kwargs.update(status_locked=conflict.has_minutes, initial=_minutes_initial(conflict))
            form = MinutesForm(data, **kwargs)
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The minutes were saved and the case moved on."))
            return redirect(reverse("meetings:minutes", args=[pk]) + f"#item-{item.pk}")
    label = selectors.child_labels([item.case], request.user)[item.case_id]
    if conflict is not None:
        conflict.label = label
    if label.shows_name:
        access.record_shown(
            request,
            [item.case],
            kind=Log.Kind.MINUTES,
            action=Log.Action.VIEW,
            context=str(meeting),
        )
    return render(
        request,
        "meetings/item_minutes.html",
        {"meeting": meeting, "item": item, "label": label, "form": form, "conflict": conflict},
    )


@login_required
def close(request, pk):
    """A confirmation step (GET) before the meeting is marked as held (POST)."""
    meeting = selectors.meeting_for_user(request.user, pk, manage=True)
    if request.method == "GET":
        if not meeting.is_open or meeting.date > timezone.localdate():
            return redirect("meetings:minutes", pk)
        without_minutes = meeting.items.filter(is_open=True, minutes_recorded_at__isnull=True)
        context = {"meeting": meeting, "without_minutes": without_minutes.count()}
        return render(request, "meetings/close_confirm.html", context)
    if request.method != "POST":
        return HttpResponse(status=405)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_close(meeting=meeting, by=request.user, **form.cleaned_data)
        except services.EditConflict as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("The meeting is marked as held."))
    return redirect("meetings:minutes", pk)


@login_required
@require_GET
def minutes_pdf(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk)
    agenda = selectors.agenda_for(meeting, request.user, with_minutes=True)
    pdf = documents.minutes_pdf(agenda, _attendance(meeting))
    access.record_shown(
        request,
        agenda.shared_cases,
        kind=Log.Kind.MINUTES,
        action=Log.Action.PRINT,
        context=str(meeting),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.date}.pdf"'
    return response


# --- calendar --------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def invitation(request, pk):
    meeting = selectors.meeting_for_user(request.user, pk)
    content = ics.meetings_calendar(
        [meeting],
        name=str(meeting.team),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk])),
    )
    return _ics_response(content, f"hlt-{meeting.date}.ics")


@login_required
def calendar_page(request):
    # A read: the address is made by the button (POST), never by opening the page.
    feed = CalendarFeed.objects.filter(user=request.user.pk).first()
    url = feed and request.build_absolute_uri(reverse("meetings:feed", args=[feed.token]))
    return render(request, "meetings/calendar.html", {"feed_url": url})


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address. Subscribe again with it; the old one no longer works."),
    )
    return redirect("meetings:calendar")


@require_GET
def feed(request, token):
    """The private feed: no login (calendar programs cannot log in), the token is the key."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=180)
    meetings = selectors.meetings_of_member(feed.user).filter(date__gte=since)
    content = ics.meetings_calendar(
        meetings,
        name=_("HLT meetings"),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk])),
    )
    return _ics_response(content, "hlt.ics")
