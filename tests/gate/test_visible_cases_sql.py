"""The visible cases as SQL compiled once per process (`access.visible_cases_sql`, for the
case lists) answer exactly as `access.visible_cases`: for every user of the gate's world,
on days before, during and after the consents, for all their cases and each team's."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from cases import access


def _pks(sql_params) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(*sql_params)
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_lists_visible_cases_sql_answers_as_visible_cases(gate_world):
    today = timezone.localdate()
    compared = 0
    for day in (today, today - datetime.timedelta(days=800), today + datetime.timedelta(days=800)):
        for user in get_user_model().objects.all():
            user = get_user_model().objects.get(pk=user.pk)  # no seats cached from another day
            ready = access.visible_cases_sql(user, day)
            if ready is None:  # nobody's cases, or a database the markers do not suit
                assert connection.vendor != "postgresql" or access._nobody(user)
                continue
            assert _pks(ready) == set(access.visible_cases(user, day).values_list("pk", flat=True))
            for team, _sector in access.active_seats(user, day):
                ready = access.visible_cases_sql(user, day, team=team)
                expected = access.visible_cases(user, day).filter(team=team)
                assert _pks(ready) == set(expected.values_list("pk", flat=True))
            compared += 1
    assert compared or connection.vendor != "postgresql"
