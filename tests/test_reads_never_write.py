"""Reads never write (issue 13, finding 12): a GET changes nothing, whatever the page and
whoever asks, and a view that only acts answers 405 to GET. The URLs are read from the URL
configuration, so a new view is covered without touching this file."""

import datetime
import io
import uuid

import pytest
from django.apps import apps
from django.urls import get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services as case_services
from cases.models import Case, Guardian
from cases.workflow import Status
from meetings.models import AgendaItem
from teams.models import KeyPerson, Term
from tests.cases.conftest import make_case
from tests.sip.conftest import discussed_case, make_plan
from tests.test_hostile_input import URLS, row_fingerprints

pytestmark = pytest.mark.django_db

PERSONAS = ["key_person", "coordinator", "key_person_health", "manager", "process_leader", "staff"]

# A GET that redirects is how an action disguised as a link looks. These redirect for a
# reason that changes nothing:
GET_REDIRECTS = {
    "cases:actualise": "the case is already actualised (or has no consent yet): to its page",
    "login": "already logged in: to the start page",
    "teams:second_factor": "the second factor is off in tests: to the start page",
    "sip:plan_new": "a plan exists already: to the plan",
    "sip:finalise": "the plan is finalised already: to the plan",
}
# Rows a read may write: who read what (access log), the session, login throttling, and the
# statistics figures kept per team and term (a cache, reports.store).
MAY_WRITE = {"audit.AccessLogEntry", "reports.TeamTermFigures", "reports.RegionTermFigures"}
# …and, on the statistics page only, the row of a term that nobody has set up: the figures are
# stored per term row (reports.store), so the page stores the term with its default dates.
MAY_WRITE_ON = {"reports:term": {"teams.Term"}, "reports:export": {"teams.Term"}}
WATCHED_APPS = ["hlt", "teams", "consent", "cases", "meetings", "sip", "reports", "audit"]


def _fingerprint():
    models = []
    for label in WATCHED_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        models += [model for model in config.get_models() if model._meta.label not in MAY_WRITE]
    result = row_fingerprints(models)
    result["case_state"] = sorted(Case.objects.values_list("pk", "status", "team_id"))
    result["seats"] = sorted(KeyPerson.objects.values_list("pk", "active_to"))
    return result


def _post_only(view) -> bool:
    """Decorated with require_POST (Django keeps the allowed methods in the closure)."""
    while view is not None:
        for cell in getattr(view, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list) and value == ["POST"]:
                return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.fixture
def rich_world(world):
    case = discussed_case(world)
    plan = make_plan(world, case)
    item = AgendaItem.objects.filter(case=case).select_related("meeting").get()
    ids = {
        ("cases", "pk"): case.pk,
        ("cases", "consent_pk"): case.consents.get().pk,
        ("cases", "team_pk"): world.team_a.pk,
        ("meetings", "pk"): item.meeting_id,
        ("meetings", "item_pk"): item.pk,
        ("meetings", "team_pk"): world.team_a.pk,
        ("meetings", "token"): uuid.uuid4().hex,
        ("sip", "case-pk"): case.pk,
        ("sip", "pk"): plan.pk,
        ("sip", "job_pk"): 999_999,
        ("sip", "signature_pk"): 999_999,
        ("teams", "pk"): world.team_a.pk,
        ("reports", "pk"): 999_999,
        ("reports", "fmt"): "csv",
        ("audit", "pk"): 999_999,
    }
    return world, ids


def _path(name: str, params: tuple, ids: dict) -> str:
    namespace = name.split(":")[0] if ":" in name else ""
    kwargs = {}
    for param in params:
        key = (namespace, param)
        if (
            namespace == "sip"
            and param == "pk"
            and name.split(":")[1]
            in {
                "case",
                "feedback",
                "meeting_new",
                "plan_new",
            }
        ):
            key = ("sip", "case-pk")
        if name == "teams:key_person_end":
            kwargs[param] = 999_999
            continue
        kwargs[param] = ids.get(key, 999_999)
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_get_changes_anything_and_actions_are_post_only(rich_world, client, persona):
    world, ids = rich_world
    client.force_login(getattr(world, persona))
    before = _fingerprint()
    resolver = get_resolver()
    problems = []
    for name, params in URLS:
        path = _path(name, params, ids)
        response = client.get(path)
        view = resolver.resolve(path).func
        if response.status_code >= 500:
            problems.append(f"{name}: {response.status_code}")
        elif _post_only(view) and response.status_code != 405:
            problems.append(f"{name}: POST-only view answered {response.status_code} to GET")
        elif response.status_code in (301, 302, 303) and name not in GET_REDIRECTS:
            problems.append(
                f"{name}: GET redirects to {response.get('Location')} — an action? make it "
                "POST-only (require_POST), or list it in GET_REDIRECTS with the reason"
            )
        after = _fingerprint()
        if after != before:
            changed = {k for k in after if after[k] != before.get(k)}
            if changed - MAY_WRITE_ON.get(name, set()):
                problems.append(f"{name}: GET changed {sorted(changed)}")
            before = after
    assert not problems, "\n".join(problems)


def test_every_post_only_view_is_found_by_the_walk():
    names = {name for name, _params in URLS}
    assert {"cases:protected_identity"} <= names
    view = get_resolver().resolve(reverse("cases:protected_identity", args=[1])).func
    assert _post_only(view)


# --- the findings, one by one -------------------------------------------------------------


def test_printing_the_consent_form_by_get_moves_no_status(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    response = client.get(
        reverse("cases:consent_print", args=[case.pk]), {"language": "sv", "sectors": ["school"]}
    )
    assert response["Content-Type"] == "application/pdf"
    case.refresh_from_db()
    assert case.status == Status.DRAFT
    assert not case.status_changes.exists()


def test_printing_by_post_records_that_the_case_awaits_the_signed_form(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:consent_print", args=[case.pk]), {"language": "ar", "sectors": ["school"]}
    )
    assert response["Content-Type"] == "application/pdf"
    assert "Alva Ek" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CONSENT


def test_a_consent_registered_without_printing_first_can_be_actualised(world, client):
    case = make_case(world, actualise=False)
    client.force_login(world.key_person)
    today = timezone.localdate()
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]),
        {
            "signed_guardians": [g.pk for g in Guardian.objects.filter(case=case)],
            "child_signed": "on",
            "signed_on": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=200)).isoformat(),
            "sectors": ["school", "health"],
            "family_language": "sv",
            "submit_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:actualise", args=[case.pk]),
        {
            "team": world.team_a.pk,
            "concern_health": "on",
            "family_description": "Alva sover dåligt.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACTUALISED and case.team == world.team_a


def test_protected_identity_answers_405_to_get(world, client):
    case = make_case(world)
    client.force_login(world.key_person)
    url = reverse("cases:protected_identity", args=[case.pk])
    assert client.get(url, {"protected": "1"}).status_code == 405
    case_services.child_protected_identity_set(case=case, protected=False, by=world.key_person)
    assert client.post(url, {"protected": "1"}).status_code == 302


def test_the_term_of_a_day_is_a_pure_read(db):
    count = Term.objects.count()
    term = Term.objects.for_day(datetime.date(2031, 3, 1))
    assert (str(term), term.starts_on) == ("VT 2031", datetime.date(2031, 1, 8))
    assert Term.objects.count() == count  # nothing stored
    assert Term.kind_for(datetime.date(2031, 7, 1)) == "HT"
    assert Term.objects.ensure_for_day(datetime.date(2031, 3, 1)).pk is not None
    assert Term.objects.count() == count + 1
