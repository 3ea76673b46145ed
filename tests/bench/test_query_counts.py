"""Pages whose query count must not grow with the data: measured on generated data, where
cases have histories, agendas and plans of every length."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import personas
from cases.models import Case
from cases.selectors import cases_visible_to

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


@pytest.fixture
def key_person():
    call_command("generate_load_data", scale=0.004, verbosity=0)
    persona = personas.choose(1)["key_person"][0]
    persona.client = personas.login(persona.user, real=False)
    return persona


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session may create rows once (the term)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_whatever_the_length_of_the_history(key_person):
    cases = list(
        cases_visible_to(key_person.user)
        .filter(team_id=key_person.team_id)
        .exclude(status="closed")
        .order_by("pk")
    )
    by_history = sorted(cases, key=lambda c: Case.history.filter(id=c.pk).count())
    short, long = by_history[0], by_history[-1]
    assert Case.history.filter(id=long.pk).count() > Case.history.filter(id=short.pk).count() + 2
    counts = {
        _queries(key_person.client, reverse("cases:detail", args=[case.pk]))
        for case in (short, long)
    }
    assert len(counts) == 1 and counts.pop() <= 20


def test_the_case_list_costs_the_same_for_few_or_many_cases(key_person):
    url = reverse("cases:list")
    many = _queries(key_person.client, url)
    other = personas.choose(1)["process_leader"][0]  # sees no case at all
    other.client = personas.login(other.user, real=False)
    none = _queries(other.client, url)
    assert many <= 10 and none <= many


def test_the_permission_union_gives_exactly_guardians_objects(key_person):
    """cases.selectors reads guardian's tables as one UNION (fast at any size): the same rows
    as guardian's own get_objects_for_user."""
    from guardian.shortcuts import get_objects_for_user

    from cases.selectors import _cases_with_permission

    initiator = Case.objects.exclude(team=None).first().initiated_by
    for user in (key_person.user, initiator):
        ours = set(_cases_with_permission(user).values_list("pk", flat=True))
        theirs = get_objects_for_user(
            user, "cases.view_case", klass=Case, accept_global_perms=False, with_superuser=False
        )
        assert ours == set(theirs.values_list("pk", flat=True)) and ours
