"""The load-data generator: proportional counts, rows that pass the models' own validation,
people who can log in, and a command that never writes a second region."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from audit.models import AccessLogEntry
from bench import generator, personas
from cases.models import Case, Child
from meetings.models import AgendaItem
from sip.models import Plan
from teams.models import KeyPerson, Municipality, Region, Team, User

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

TINY = 0.002
DOMAIN_APPS = ("teams", "consent", "audit", "cases", "meetings", "sip", "reports", "otp_totp")
# simple-history leaves these empty in every row it writes (no request, no reason given).
HISTORY_FIELDS = ["history_user", "history_change_reason"]


@pytest.fixture
def load_data():
    call_command("generate_load_data", scale=TINY, verbosity=0)
    return generator.Spec.for_scale(TINY)


def test_the_scale_sets_every_count_proportionally():
    one, two = generator.Spec.for_scale(1), generator.Spec.for_scale(2)
    assert (one.municipalities, one.teams, one.staff) == (15, 200, 3000)
    assert (one.children, one.cases_with_consent, one.cases) == (60000, 50000, 62000)
    for name in ("teams", "staff", "children", "cases_with_consent", "cases_without_consent"):
        assert getattr(two, name) == 2 * getattr(one, name)
    tenth = generator.Spec.for_scale(0.1)
    assert (tenth.teams, tenth.cases, tenth.children) == (20, 6200, 6000)


def test_a_tiny_region_has_the_counts_of_its_scale_and_realistic_proportions(load_data):
    spec = load_data
    assert Team.objects.count() == spec.teams == 1
    assert Municipality.objects.count() == spec.municipalities
    assert Case.objects.count() == spec.cases
    assert Child.objects.count() == spec.children
    with_consent = Case.objects.exclude(team=None).count()
    assert with_consent == spec.cases_with_consent
    # Per case that reached a team: discussed about twice, a plan for most, a long read log.
    assert 1.2 <= AgendaItem.objects.count() / with_consent <= 3.5
    assert 0.4 <= Plan.objects.count() / with_consent <= 1.2
    assert 25 <= AccessLogEntry.objects.count() / spec.cases <= 90
    assert KeyPerson.objects.filter(active_to=None).count() == 6 * spec.teams
    assert User.objects.count() >= 6 * spec.teams


def test_a_sample_of_every_model_passes_full_clean(load_data):
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        exclude = HISTORY_FIELDS if hasattr(model, "history_type") else []
        for obj in model._default_manager.order_by("?")[:25]:
            obj.full_clean(exclude=exclude)
            checked += 1
    assert checked > 500


def test_every_child_has_a_valid_identity_number(load_data):
    for child in Child.objects.all():
        child.full_clean(exclude=["school"])


def test_a_generated_key_person_logs_in_with_password_and_one_time_code(load_data, settings):
    settings.REQUIRE_SECOND_FACTOR = True
    seat = KeyPerson.objects.filter(active_to=None).select_related("user").first()
    client = personas.login(seat.user, real=True)
    page = client.get("/cases/")
    assert page.status_code == 200
    assert page.context["table"].paginator.count, "a key person of a team sees the team's cases"


def test_each_role_opens_its_pages_and_is_refused_the_others(load_data):
    people = personas.choose(1)
    personas.log_in_all(people)
    expected = {
        "coordinator": {"start", "case_list", "case_detail", "team_agenda", "sip_plan"}
        | {"search_by_name"},
        "key_person": {"start", "case_list", "case_detail", "team_agenda", "sip_plan"}
        | {"search_by_name"},
        "process_leader": {"start", "case_list", "term_statistics", "search_by_name"},
    }
    for role, pages in expected.items():
        persona = people[role][0]
        for page in personas.PAGES:
            if page in personas.MISSING_PAGES or not persona.urls.get(page):
                continue
            status = persona.client.get(persona.urls[page][0]).status_code
            if page in pages:
                assert status == 200, (role, page)
            elif role == "process_leader":
                assert status == 404, (role, page)  # never sees a case, an agenda or a plan


def test_running_again_at_the_same_scale_changes_nothing(load_data, capsys):
    cases = Case.objects.count()
    call_command("generate_load_data", scale=TINY)
    assert "nothing to do" in capsys.readouterr().out
    assert Case.objects.count() == cases
    assert Region.objects.count() == 1


def test_it_refuses_another_scale_in_the_same_database(load_data):
    with pytest.raises(CommandError, match="already holds load data at scale 0.002"):
        call_command("generate_load_data", scale=0.004)


def test_it_refuses_a_database_with_real_regions():
    Region.objects.create(name="Region Västernorrland")
    with pytest.raises(CommandError, match="not load data"):
        call_command("generate_load_data", scale=TINY)
    assert not Team.objects.exists()
