import base64
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from hlt import idempotency

from . import second_factor as second_factor_module
from . import selectors, services
from .forms import KeyPersonAppointForm, KeyPersonEndForm, SecondFactorForm
from .models import KeyPerson, Sector, Team, Term, UserSession
from .sessions import sessions_end
from .start import start_sections


@login_required
def start(request):
    roles = selectors.user_roles(request.user)  # also read: whether they review the log
    context = {
        "roles": roles,
        # Only its name is shown, which the rule gives without reading the term's row.
        "term": Term.default_for(timezone.localdate()),
        "is_log_reviewer": selectors.is_log_reviewer(request.user),
    }
    context.update(start_sections.context(request))
    if roles.is_process_leader:
        # Plain rows: a region has a few hundred teams, and only their names are shown.
        context["scope_teams"] = Team.objects.filter(roles.process_leader.teams_q()).values(
            "pk", "name", "municipality__name"
        )
    return render(request, "teams/start.html", context)


@login_required
def my_teams(request):
    return render(request, "teams/my_teams.html", {"seats": selectors.my_teams(request.user)})


@login_required
def team_detail(request, pk):
    team = selectors.team_for_user(request.user, pk)
    today = timezone.localdate()
    term = Term.objects.for_day(today)
    members = selectors.team_members_by_sector(team, today)
    context = {
        "team": team,
        "term": term,
        "coordinator": selectors.team_coordinator(team, term),
        "is_member": any(s.user_id == request.user.pk for seats in members.values() for s in seats),
        "sectors": [(label, members.get(value, [])) for value, label in Sector.choices],
    }
    return render(request, "teams/team_detail.html", context)


@login_required
def organisation_key_persons(request):
    """The manager's page: their organisations' seats, and appointing a new key person."""
    organisations = selectors.organisations_managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = KeyPersonAppointForm(
        request.POST or None,
        organisations=organisations,
        teams=selectors.teams_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            seat, created = idempotency.once(
                user=request.user,
                token=form.submit_token,
                create=lambda: services.key_person_appoint(
                    appointed_by=request.user, **form.cleaned_data
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("%(person)s is now a key person in %(team)s.")
                    % {"person": seat.user, "team": seat.team},
                )
            else:
                messages.info(request, _("This form was already sent: here is what it saved."))
            return redirect("teams:organisation_key_persons")
    context = {
        "organisations": organisations,
        "seats": selectors.seats_of_organisations(organisations),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "teams/organisation_key_persons.html", context)


@login_required
def key_person_end(request, pk):
    seat = get_object_or_404(
        KeyPerson.objects.select_related("user", "team", "organisation"), pk=pk
    )
    if not selectors.teams_visible_to(request.user).filter(pk=seat.team_id).exists():
        raise Http404  # the user may not know the team, nor its seats
    if (
        not selectors.organisations_managed_by(request.user)
        .filter(pk=seat.organisation_id)
        .exists()
    ):
        raise PermissionDenied
    form = KeyPersonEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_person_end(
                ended_by=request.user, key_person=seat, active_to=form.cleaned_data["active_to"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(person)s's seat in %(team)s ends on %(day)s.")
                % {"person": seat.user, "team": seat.team, "day": seat.active_to},
            )
            return redirect("teams:organisation_key_persons")
    return render(request, "teams/key_person_end.html", {"seat": seat, "form": form})


@login_required
def my_sessions(request):
    """The person's own logged-in sessions; any of them can be ended here."""
    if request.method == "POST":
        key = request.POST.get("session_key", "")
        # Session keys are short and alphanumeric; anything else names no session of theirs.
        if key.isalnum() and len(key) <= 40 and sessions_end(user=request.user, session_keys=[key]):
            messages.success(request, _("The session was ended."))
        if key == request.session.session_key:
            return redirect("login")
        return redirect("teams:my_sessions")
    sessions = UserSession.objects.filter(user=request.user)
    return render(
        request,
        "teams/my_sessions.html",
        {"sessions": sessions, "current": request.session.session_key},
    )


@login_required
def second_factor(request):
    """Confirm a one-time code; the first time, set up the authenticator app."""
    next_url = second_factor_module.safe_next(request, reverse("teams:start"))
    if second_factor_module.has_second_factor(request):
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "authenticator"}
        )
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("The code is wrong or too old. Try the code shown now."))
    context = {"form": form, "setting_up": setting_up, "next": next_url}
    if setting_up:
        svg = io.BytesIO()
        write_qrcode_image(device.config_url, svg)
        context["qr_svg"] = mark_safe(svg.getvalue().decode())  # noqa: S308 (our own SVG)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "teams/second_factor.html", context)
