"""Who the benchmark is and what they open: coordinators, key persons and process leaders of
the synthetic region, each logged in with their password and TOTP code, and the addresses of
the pages each of them would open (their own team's cases, agenda and plans)."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.selectors import cases_visible_to
from meetings.models import Meeting
from sip.models import Plan
from teams.models import CoordinatorAppointment, KeyPerson, ProcessLeader, Region, Term, User

from .generator import PASSWORD, REGION_MARKER

ROLES = ("coordinator", "key_person", "process_leader")
PAGES = (
    "start",
    "case_list",
    "case_detail",
    "team_agenda",
    "sip_plan",
    "term_statistics",
    "search_by_name",
)
# Pages the app does not have (yet): reported, not measured.
MISSING_PAGES: dict[str, str] = {}
HEADERS = {"X-Forwarded-Proto": "https"}  # as behind the TLS-terminating proxy
URLS_PER_PAGE = 10


@dataclass
class Persona:
    role: str
    user: User
    cookie: str = ""
    client: Client | None = None
    urls: dict[str, list[str]] = field(default_factory=dict)


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def login(user: User, *, real: bool) -> Client:
    """A logged-in client with the second factor confirmed.

    `real`: through the login page and the one-time-code page, exactly as a person does.
    Otherwise the session is made the way those views make it (auth.login, then django-otp's
    device in the session): a person can log in only once per 30-second code, and the
    benchmark needs several sessions for some people.
    """
    # A page that fails is a figure of the benchmark (status 500), not the end of the run.
    client = Client(headers=HEADERS, raise_request_exception=False)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    if real:
        response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"Login failed for {user.email}: {response.status_code}")
        response = client.post(reverse("teams:second_factor"), {"token": _code(device)})
        if response.status_code != 302 or not client.session.get(DEVICE_ID_SESSION_KEY):
            raise RuntimeError(f"The one-time code was refused for {user.email}")
    else:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    assert client.session.get(BACKEND_SESSION_KEY)
    return client


def _case_urls(user, team_id: int) -> tuple[list[str], list[str]]:
    """Up to ten of the user's team's cases they may see, and plans of those cases."""
    visible = list(
        cases_visible_to(user)
        .filter(team_id=team_id)
        .order_by("pk")
        .values_list("pk", flat=True)[: URLS_PER_PAGE * 5]
    )
    cases = visible[:: max(1, len(visible) // URLS_PER_PAGE)][:URLS_PER_PAGE]
    plans = list(
        Plan.objects.filter(case_id__in=visible)
        .order_by("-pk")
        .values_list("pk", flat=True)[:URLS_PER_PAGE]
    )
    return (
        [reverse("cases:detail", args=[pk]) for pk in cases],
        [reverse("sip:plan", args=[pk]) for pk in plans],
    )


def _search_urls(user, team_id: int | None = None) -> list[str]:
    """Searches of the case list by a child's name (given and family name, as typed in the
    search box) from cases the user may see, preferring their own team's; none if they see
    no case."""
    visible = cases_visible_to(user).filter(child__protected_identity=False)
    if team_id is not None and visible.filter(team_id=team_id).exists():
        visible = visible.filter(team_id=team_id)
    names = list(
        visible.order_by("pk").values_list("child__given_name", "child__family_name")[
            : URLS_PER_PAGE * 5
        ]
    )
    names = names[:: max(1, len(names) // URLS_PER_PAGE)][:URLS_PER_PAGE]
    list_url = reverse("cases:list")
    return [f"{list_url}?{urlencode({'q': f'{given} {family}'})}" for given, family in names]


def _agenda_urls(team_id: int, today: datetime.date) -> list[str]:
    """The team's coming meeting (the agenda being built) and the last one held."""
    coming = (
        Meeting.objects.filter(team_id=team_id, date__gte=today, state=Meeting.State.PLANNED)
        .order_by("date")
        .first()
    )
    held = (
        Meeting.objects.filter(team_id=team_id, date__lt=today, state=Meeting.State.HELD)
        .order_by("-date")
        .first()
    )
    return [reverse("meetings:detail", args=[m.pk]) for m in (coming, held) if m]


def _common_urls() -> dict[str, list[str]]:
    return {
        "start": [reverse("teams:start")],
        "case_list": [reverse("cases:list")],
        "term_statistics": [reverse("reports:term")],
        "baseline": [reverse("bench_baseline")],
        "lean_floor": [reverse("bench_lean_floor")],
    }


def choose(count: int) -> dict[str, list[Persona]]:
    """Up to `count` people per role, each in a different team, with their addresses."""
    today = timezone.localdate()
    region = Region.objects.get(name__startswith=REGION_MARKER)
    term = Term.objects.ensure_for_day(today)
    active = KeyPerson.objects.active_on(today).filter(team__municipality__region=region)
    appointments = (
        CoordinatorAppointment.objects.filter(term=term, key_person__in=active)
        .select_related("key_person__user")
        .order_by("team_id")
    )
    coordinators, teams_taken = [], set()
    for appointment in appointments[:count]:
        persona = Persona("coordinator", appointment.key_person.user)
        persona.team_id = appointment.team_id
        coordinators.append(persona)
        teams_taken.add(appointment.team_id)
    coordinator_users = set(
        CoordinatorAppointment.objects.filter(term=term).values_list("key_person__user", flat=True)
    )
    key_persons, teams_used = [], set()
    # Round the sectors so that health, school and social services are all measured.
    seats = list(
        active.exclude(user__in=coordinator_users)
        .select_related("user", "organisation")
        .order_by("team_id", "organisation__sector")
    )
    for sector in ("health", "school", "social") * count:
        if len(key_persons) >= count:
            break
        for seat in seats:
            if seat.organisation.sector == sector and seat.team_id not in teams_used:
                persona = Persona("key_person", seat.user)
                persona.team_id = seat.team_id
                key_persons.append(persona)
                teams_used.add(seat.team_id)
                break
        else:
            teams_used = set()  # fewer teams than people: a team may have two
    leaders = [
        Persona("process_leader", leader.user)
        for leader in ProcessLeader.objects.filter(region=region, is_active=True)
        .select_related("user")
        .order_by("pk")
    ]
    personas = {"coordinator": coordinators, "key_person": key_persons}
    # A region has few regional process leaders: they share out the clients.
    personas["process_leader"] = [
        Persona("process_leader", leaders[i % len(leaders)].user) for i in range(count)
    ]
    any_case, any_plan = None, None
    for persona in coordinators + key_persons:
        cases, plans = _case_urls(persona.user, persona.team_id)
        persona.urls = {
            **_common_urls(),
            "case_detail": cases,
            "sip_plan": plans,
            "team_agenda": _agenda_urls(persona.team_id, today),
            "search_by_name": _search_urls(persona.user, persona.team_id),
        }
        any_case = any_case or (cases[:1] or None)
        any_plan = any_plan or (plans[:1] or None)
    for persona in personas["process_leader"]:
        # Staff's addresses: the process leader is refused them (never sees a case).
        persona.urls = {
            **_common_urls(),
            "case_detail": any_case or [],
            "sip_plan": any_plan or [],
            "team_agenda": coordinators[0].urls["team_agenda"] if coordinators else [],
            # Names from the first coordinator's cases: a leader's search finds no child.
            "search_by_name": _search_urls(persona.user)
            or (coordinators[0].urls["search_by_name"] if coordinators else []),
        }
    return personas


def log_in_all(personas: dict[str, list[Persona]], *, real_first: bool = True) -> None:
    """The first person of each role logs in through the real pages (unless not
    `real_first`: a code is good once per 30 seconds); every other session is made as those
    pages make it."""
    seen: set[int] = set()
    for role in ROLES:
        for index, persona in enumerate(personas[role]):
            real = real_first and index == 0 and persona.user.pk not in seen
            seen.add(persona.user.pk)
            persona.client = login(persona.user, real=real)
            persona.cookie = f"sessionid={persona.client.cookies['sessionid'].value}"
