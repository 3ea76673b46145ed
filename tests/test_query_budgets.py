"""Every page's SQL query budget, in one place, and flat in the data (issue 15).

Each URL name of the app is either in BUDGETS (who opens it, how its address is built, at
most how many queries one request may make) or in EXEMPT with the reason it is not a page.
A new URL name that is in neither fails `test_every_url_name_has_a_budget_or_a_reason`.

The pages are measured on generated region data at two sizes (bench/generator.py, scales
SMALL and LARGE: three times the teams, staff, cases and history) with the same people's
pages, and each count must be within its budget and the same at both sizes: a count that
grows with the data is a query per row. Counted after one warm-up request, as a page is
served in steady state (the first request of a session may create a term once; the
statistics keep their figures in the cache).
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench import personas
from cases.models import Case
from cases.selectors import cases_visible_to
from consent.models import Consent
from meetings.models import AgendaItem, Meeting
from sip.models import Plan, PlanSignature
from teams.models import KeyPerson, Manager
from tests.test_hostile_input import URLS

SMALL, LARGE = 0.004, 0.012
MAX_QUERIES = 15  # issue 15: no page above this

# url name: (who, at most this many queries). The address comes from ARGS below.
BUDGETS: dict[str, tuple[str, int]] = {
    # teams
    "teams:start": ("coordinator", 15),
    "teams:my_teams": ("key_person", 8),
    "teams:my_sessions": ("key_person", 6),
    "teams:team_detail": ("key_person", 10),
    "teams:organisation_key_persons": ("manager", 11),
    "teams:key_person_end": ("manager", 9),
    "teams:second_factor": ("key_person", 5),
    # cases
    "cases:list": ("key_person", 11),
    "cases:team": ("key_person", 13),
    "cases:start": ("key_person", 6),
    "cases:detail": ("key_person", 15),
    "cases:history": ("key_person", 15),
    "cases:guardians": ("key_person", 10),
    "cases:consent_register": ("key_person", 9),
    "cases:consent_print": ("key_person", 7),
    "cases:consent_withdraw": ("key_person", 7),
    "cases:register_extract": ("reviewer", 7),
    # meetings
    "meetings:index": ("key_person", 7),
    "meetings:calendar": ("key_person", 6),
    "meetings:feed": ("anonymous", 4),
    "meetings:team": ("key_person", 12),
    "meetings:detail": ("coordinator", 15),
    "meetings:add": ("coordinator", 10),
    "meetings:move": ("coordinator", 10),
    "meetings:cancel": ("coordinator", 10),
    "meetings:agenda_pdf": ("coordinator", 15),
    "meetings:minutes_pdf": ("coordinator", 15),
    "meetings:invitation": ("coordinator", 10),
    # SIP
    "sip:case": ("key_person", 15),
    "sip:plan": ("key_person", 15),
    "sip:signatures": ("key_person", 15),
    "sip:follow_up": ("key_person", 14),
    "sip:feedback": ("key_person", 10),
    # reports
    "reports:term": ("process_leader", 8),
    "reports:term_reports": ("process_leader", 13),
    "reports:term_report": ("coordinator", 15),
    "reports:export": ("process_leader", 12),
    # audit
    "audit:list": ("manager", 10),
    "audit:entry": ("manager", 9),
    # workday
    "workday:email_setting": ("key_person", 8),
    # outside the apps
    "login": ("anonymous", 2),
    "health": ("anonymous", 2),
}

EXEMPT: dict[str, str] = {
    "logout": "POST only: ends the session and redirects",
    "set_language": "POST only: sets the language and redirects",
    "cases:protected_identity": "POST only: marks the identity protected and redirects",
    "cases:actualise": "POST only: a status change that redirects to the case",
    "meetings:generate": "POST only: creates the term's meetings and redirects",
    "meetings:publish": "POST only: publishes the agenda and redirects",
    "meetings:close": "POST only: closes the meeting and redirects",
    "meetings:slot": "POST only (htmx): changes the slot length",
    "meetings:agenda_add": "POST only (htmx): adds an item",
    "meetings:agenda_remove": "POST only (htmx): removes an item",
    "meetings:agenda_move": "POST only (htmx): moves an item",
    "meetings:minutes": "POST only: saves the minutes",
    "meetings:item_minutes": "POST only (htmx): saves one item's minutes",
    "meetings:calendar_reset": "POST only: a new feed address",
    "sip:meeting_new": "POST only: books the SIP meeting",
    "sip:plan_edit": "POST only: saves the draft",
    "sip:goal_add": "POST only (htmx): adds a goal",
    "sip:intervention_add": "POST only (htmx): adds an intervention",
    "sip:part_remove": "POST only (htmx): removes a goal or intervention",
    "sip:finalise": "POST only: finalises the plan",
    "sip:revise": "POST only: starts a new version",
    "meetings:attendance": "POST only: saves who attended (the form is on the meeting page)",
    "sip:plan_new": "POST only: starts a draft plan and redirects to it",
    "sip:print": "POST only: queues the PDF job (sip:document shows it)",
    "cases:consent_scan": "the scanned consent form, a file download: the generator uploads "
    "no files (tests/consent/test_scan_checks.py)",
    "sip:signature_scan": "the scanned signed plan, a file download: the generator uploads no "
    "files (tests/sip/test_permissions.py)",
    "audit:export": "the whole selected log as CSV, streamed: one query per 2,000 rows by "
    "design (bounded memory), so it grows with the rows exported",
    "sip:document": "a print job's status page: exists only after printing; a poll of one row "
    "(tests/sip/test_plan_pdf.py)",
    "sip:document_download": "the finished PDF file of a print job (tests/sip/test_plan_pdf.py)",
    "reports:term_report_detail": "a submitted term report: the generator writes none "
    "(tests/reports/test_term_report.py)",
}


# Pages over the 15 today, each with what makes it so: expected to fail until it is
# brought down (strict: the test says so once it passes, and the entry must go).
OVER_BUDGET: dict[str, str] = {}


@dataclass
class World:
    """The people and the objects whose pages are measured, found the same way at each size."""

    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _world() -> World:
    today = timezone.localdate()
    chosen = personas.choose(1)
    world = World()
    for role in ("coordinator", "key_person", "process_leader"):
        world.people[role] = chosen[role][0].user
    coordinator = chosen["coordinator"][0]
    key_person = chosen["key_person"][0]
    manager = (
        Manager.objects.active_on(today)
        .filter(organisation__key_persons__team_id=key_person.team_id)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    world.people["manager"] = manager.user
    reviewer = manager.user
    reviewer.user_permissions.add(
        Permission.objects.get(codename="review_all_access", content_type__app_label="audit")
    )
    world.people["reviewer"] = reviewer
    o = world.objects
    o["team"] = key_person.team_id
    o["coordinator_team"] = coordinator.team_id
    # A case of the key person's team (seen as a member of the team, not as the one who
    # started it: the same road at both sizes) with a consent and a signed plan.
    visible = (
        cases_visible_to(key_person.user)
        .filter(team_id=key_person.team_id)
        .exclude(initiated_by=key_person.user)
    )
    signed = PlanSignature.objects.filter(plan__case__in=visible).order_by("plan__case_id")
    signature = signed.select_related("plan").first()
    o["case"] = signature.plan.case_id
    o["plan"] = signature.plan_id
    o["signature"] = signature.pk
    o["consent"] = Consent.objects.filter(case_id=o["case"]).order_by("pk").first().pk
    o["coming"] = (
        Meeting.objects.filter(team_id=coordinator.team_id, date__gte=today)
        .order_by("date")
        .first()
        .pk
    )
    held = (
        Meeting.objects.filter(team_id=coordinator.team_id, date__lt=today)
        .filter(items__isnull=False)
        .order_by("-date")
        .first()
    )
    o["held"] = held.pk
    o["item"] = AgendaItem.objects.filter(meeting=held).order_by("pk").first().pk
    o["seat"] = (
        KeyPerson.objects.active_on(today)
        .filter(organisation__managers=manager)
        .order_by("pk")
        .first()
        .pk
    )
    assert Case.objects.filter(pk=o["case"]).exists() and Plan.objects.filter(pk=o["plan"])
    return world


def _feed_token(user) -> str:
    from meetings.services import calendar_feed_for

    return calendar_feed_for(user=user).token


def _entry(world) -> int:
    from audit.models import AccessLogEntry

    return (
        AccessLogEntry.objects.filter(user_organisation__managers__user=world.people["manager"])
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )


# url name: the address's arguments from the world (no entry: no arguments).
ARGS = {
    "teams:team_detail": lambda w: [w.objects["team"]],
    "teams:key_person_end": lambda w: [w.objects["seat"]],
    "cases:team": lambda w: [w.objects["team"]],
    "cases:detail": lambda w: [w.objects["case"]],
    "cases:history": lambda w: [w.objects["case"]],
    "cases:guardians": lambda w: [w.objects["case"]],
    "cases:consent_register": lambda w: [w.objects["case"]],
    "cases:consent_print": lambda w: [w.objects["case"]],
    "cases:consent_withdraw": lambda w: [w.objects["case"]],
    "meetings:feed": lambda w: [_feed_token(w.people["key_person"])],
    "meetings:team": lambda w: [w.objects["team"]],
    "meetings:detail": lambda w: [w.objects["coming"]],
    "meetings:add": lambda w: [w.objects["coordinator_team"]],
    "meetings:move": lambda w: [w.objects["coming"]],
    "meetings:cancel": lambda w: [w.objects["coming"]],
    "meetings:agenda_pdf": lambda w: [w.objects["coming"]],
    "meetings:minutes_pdf": lambda w: [w.objects["held"]],
    "meetings:invitation": lambda w: [w.objects["coming"]],
    "sip:case": lambda w: [w.objects["case"]],
    "sip:plan": lambda w: [w.objects["plan"]],
    "sip:signatures": lambda w: [w.objects["plan"]],
    "sip:follow_up": lambda w: [w.objects["plan"]],
    "sip:feedback": lambda w: [w.objects["case"]],
    "reports:export": lambda w: ["csv"],
    "audit:entry": lambda w: [_entry(w)],
}


def _client(world, role):
    if role == "anonymous":
        from django.test import Client

        return Client(headers=personas.HEADERS)
    return personas.login(world.people[role], real=False)


def _measure(world) -> dict[str, tuple[int, list[str]]]:
    """name: (status, the queries) of every budgeted page."""
    clients = {}
    result = {}
    for name, (role, _budget) in BUDGETS.items():
        client = clients.get(role) or clients.setdefault(role, _client(world, role))
        url = reverse(name, args=ARGS[name](world) if name in ARGS else [])
        client.get(url)  # warm-up: a session's first request, the statistics cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result[name] = (response.status_code, [q["sql"] for q in queries])
    return result


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Every budgeted page measured on the small and the large region, each built in a
    transaction that is rolled back afterwards."""
    measured = {}
    # bench.urls: the app's addresses and the benchmark's own, which its personas know.
    with django_db_blocker.unblock(), override_settings(ROOT_URLCONF="bench.urls"):
        for size, scale in (("small", SMALL), ("large", LARGE)):
            with transaction.atomic():
                call_command("generate_load_data", scale=scale, verbosity=0)
                cache.clear()
                measured[size] = _measure(_world())
                transaction.set_rollback(True)
    cache.clear()
    return measured


def test_every_url_name_has_a_budget_or_a_reason():
    names = {name for name, _params in URLS} | {"logout", "set_language"}
    missing = sorted(names - set(BUDGETS) - set(EXEMPT))
    assert not missing, f"Give these pages a query budget (or a reason to exempt): {missing}"
    assert not set(BUDGETS) & set(EXEMPT)
    assert all(reason.strip() for reason in EXEMPT.values())
    assert all(budget <= MAX_QUERIES for _role, budget in BUDGETS.values())
    assert set(ARGS) <= set(BUDGETS)
    assert set(OVER_BUDGET) <= set(BUDGETS)


def _cases():
    for name in sorted(BUDGETS):
        if name in OVER_BUDGET:
            yield pytest.param(name, marks=pytest.mark.xfail(reason=OVER_BUDGET[name], strict=True))
        else:
            yield name


@pytest.mark.django_db  # also what makes pytest-django set up the test database
@pytest.mark.parametrize("name", list(_cases()))
def test_page_stays_within_its_query_budget_whatever_the_size_of_the_region(counts, name):
    _role, budget = BUDGETS[name]
    (small_status, small), (large_status, large) = counts["small"][name], counts["large"][name]
    assert small_status == large_status and small_status < 400, (small_status, large_status)
    listing = "\n".join(q[:300] for q in large)
    assert len(small) <= budget, f"{name}: {len(small)} queries, budget {budget}:\n{listing}"
    assert len(large) == len(small), (
        f"{name}: {len(small)} queries on the small region, {len(large)} on the large:\n{listing}"
    )
