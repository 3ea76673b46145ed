"""Finding a child: search within reach by name, identity or reserve number, or case number,
logged as a search; case lists with filters, sorting and pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.lists import search_terms
from cases.workflow import Status
from tests.meetings.conftest import waiting_case

from .conftest import make_case

pytestmark = pytest.mark.django_db
URL = reverse("cases:list")


def found(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", ("case", "12")),
        ("#12", ("case", "12")),
        ("Ärende 12", ("case", "12")),
        ("20140517-2386", ("number", "201405172386")),
        ("201405172386", ("number", "201405172386")),
        ("140517-2386", ("number", "201405172386")),
        ("٢٠١٤٠٥١٧-٢٣٨٦", ("number", "201405172386")),  # Arabic-Indic digits
        ("DEMO-003", ("text", "DEMO-003")),
        ("  Alva   Ek ", ("text", "Alva Ek")),
    ],
)
def test_what_the_search_box_understands(typed, expected):
    assert search_terms(typed) == expected


def test_search_by_name_number_reserve_number_and_case_number(world, login):
    case = make_case(world)  # Alva Ek, 20140517-2386
    other = waiting_case(world, given="Bo", family="Berg")
    client = login(world.key_person)
    for query in ("alva", "Alva Ek", "ek alva", "20140517-2386", str(case.pk), f"#{case.pk}"):
        page = found(client, q=query)
        assert "Alva Ek" in page and "Bo Berg" not in page, query
    page = found(client, q=other.child.reserve_number)
    assert "Bo Berg" in page and "Alva Ek" not in page
    assert f"Ärende {case.pk}" in found(client)  # the case number in the list


def test_a_search_is_written_to_the_access_log_as_a_search(world, login):
    case = make_case(world)
    client = login(world.key_person_health)
    found(client, q="Alva")
    row = AccessLogEntry.objects.get(user=world.key_person_health, case_id=case.pk)
    assert row.action == AccessLogEntry.Action.SEARCH and row.context == "search: text"
    found(client)
    assert AccessLogEntry.objects.filter(
        user=world.key_person_health, case_id=case.pk, action=AccessLogEntry.Action.VIEW
    ).exists()


def test_a_search_never_reaches_outside_my_reach(world, login):
    case = make_case(world, sectors=("school",))
    for person in (world.key_person_health, world.key_person_other_team, world.process_leader):
        client = login(person)
        for query in ("Alva", "20140517-2386", str(case.pk)):
            page = found(client, q=query)
            assert "Alva Ek" not in page and reverse("cases:detail", args=[case.pk]) not in page
    assert (
        not AccessLogEntry.objects.filter(case_id=case.pk).exclude(user=world.key_person).exists()
    )


def test_a_protected_child_is_not_found_by_name_or_number_unless_named(world, login):
    case = waiting_case(world, given="Hemlig", family="Skyddad", protected=True)
    client = login(world.key_person_health)
    for query in ("Hemlig", "Skyddad", case.child.reserve_number):
        assert f"Ärende {case.pk}" not in found(client, q=query), query
    # By case number the reader finds the masked label, never the name.
    page = found(client, q=str(case.pk))
    assert f"Ärende {case.pk}" in page and "Hemlig" not in page
    case.named_people.add(world.key_person_health)
    assert "Hemlig Skyddad" in found(client, q="Hemlig")


def test_filters_by_status_team_responsible_person_and_area(world, login):
    a = waiting_case(world, given="Ada", family="Aspe")
    b = waiting_case(world, given="Bea", family="Björk")
    type(b).objects.filter(pk=b.pk).update(
        status=Status.IN_MEETING, concern_safety=True, initiated_by=world.coordinator
    )
    type(a).objects.filter(pk=a.pk).update(concern_health=True)
    client = login(world.key_person)
    assert "Bea" not in found(client, status="actualised")
    assert "Ada" not in found(client, status="in_meeting")
    assert "Ada" in found(client, area="health") and "Bea" not in found(client, area="health")
    assert "Bea" in found(client, responsible=world.coordinator.pk)
    assert "Ada" not in found(client, responsible=world.coordinator.pk)
    assert "Ada" in found(client, team=world.team_a.pk)
    # Bad input is a message beside the field, not a 500.
    page = found(client, status="nonsense", team="abc", responsible="999999")
    assert 'class="errorlist' in page and "0 ärenden" in page


def test_sorting_and_pages(world, login):
    cases = [waiting_case(world) for _ in range(27)]
    client = login(world.key_person)
    first = found(client, sort="number")
    assert f">Ärende {cases[0].pk}<" in first and f">Ärende {cases[-1].pk}<" not in first
    assert "sida 1 av 2" in first
    second = found(client, sort="number", page=2)
    assert f">Ärende {cases[-1].pk}<" in second
    assert "27 ärenden" in found(client, sort="-number", page="x")  # a bad page is page 1
    # Only the rows of the page are logged.
    assert AccessLogEntry.objects.filter(user=world.key_person).count() <= 25 * 3


def test_the_list_costs_the_same_for_few_or_many_cases(world, login):
    client = login(world.key_person)
    waiting_case(world)

    def queries(**params):
        client.get(URL, params)
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, params)
        return len(captured)

    few = queries(q="Barn")
    for _ in range(30):
        waiting_case(world)
    assert queries(q="Barn") == few
    assert few <= 14, few


@pytest.mark.parametrize(
    "query",
    ["x" * 101, "%", "_", "'; DROP TABLE cases_case; --", "\u202eEk", "Alva\u200b", "٠", "##1"],
)
def test_hostile_searches_answer_with_a_page_never_a_500(world, login, query):
    make_case(world)
    page = found(login(world.key_person_health), q=query)
    if len(query) > 100:
        assert 'class="errorlist' in page  # the limit, said beside the field
        assert "0 ärenden" in page


def test_another_teams_case_number_finds_nothing(world, login):
    other = waiting_case(world, team=world.team_b)
    page = found(login(world.coordinator), q=str(other.pk))
    assert "0 ärenden" in page and reverse("cases:detail", args=[other.pk]) not in page


def test_invisible_characters_and_look_alike_dashes_do_not_hide_a_child(world, login):
    make_case(world)
    client = login(world.key_person)
    for query in ("Alva\u200b", "\u202eAlva", "20140517\u20132386", "２０１４０５１７-２３８６"):
        assert "Alva Ek" in found(client, q=query), query


def test_the_rows_escape_what_they_show(world, login):
    # The table's rows are written in Python (cases.lists.case_rows), not by the template's
    # autoescape: a name with markup is shown as text.
    waiting_case(world, given="<b>Tess</b>", family="O'Neil & Co")
    page = found(login(world.key_person))
    assert "&lt;b&gt;Tess&lt;/b&gt; O&#x27;Neil &amp; Co" in page
    assert "<b>Tess</b>" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ids are read once on PostgreSQL")
def test_a_list_runs_the_confidentiality_rule_once(world, login):
    """The rule (a consent test per case) ran in the two filter choices, the count and the
    page: five times the database work for one list. Once now; the rest read its ids."""
    make_case(world)
    waiting_case(world, given="Bo", family="Berg")
    client = login(world.key_person)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(URL, {"q": "Alva"}).content.decode()
    assert "Alva Ek" in page and "Bo Berg" not in page
    rule_runs = [q["sql"] for q in captured if "consent_consent" in q["sql"]]
    assert len(rule_runs) == 1, rule_runs
