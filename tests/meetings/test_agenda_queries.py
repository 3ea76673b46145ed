"""The agenda page runs in a constant number of queries, however many cases it shows."""

import pytest
from django.urls import reverse

from meetings import services

from .conftest import waiting_case

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20  # measured: 19 for the coordinator (builder and waiting list)


def _fill(world, meeting, n):
    for _i in range(n):
        meeting.refresh_from_db()
        services.agenda_add(
            meeting=meeting,
            case=waiting_case(world, sectors=("school",)),
            by=world.coordinator,
            version=meeting.version,
        )
    for _i in range(n):
        waiting_case(world)  # and as many on the waiting list


@pytest.mark.parametrize("n", [3, 15])
@pytest.mark.parametrize("persona", ["coordinator", "key_person_health"])
def test_agenda_page_query_count_is_constant(
    world, client, meeting, django_assert_max_num_queries, n, persona
):
    _fill(world, meeting, n)
    client.force_login(getattr(world, persona))
    url = reverse("meetings:detail", args=[meeting.pk])
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["agenda"].rows) == n


def test_exactly_the_same_number_of_queries_for_3_and_15_cases(
    world, client, meeting, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    url = reverse("meetings:detail", args=[meeting.pk])
    counts = []
    for n in (3, 12):
        _fill(world, meeting, n)
        client.get(url)  # warm up (session, term row)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts.append(len(ctx))
    assert counts[0] == counts[1]
