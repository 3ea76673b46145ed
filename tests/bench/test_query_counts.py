"""Pages whose query count must not grow with the data: measured on generated data, where
cases have histories, agendas and plans of every length."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
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
    # Cases that have reached SIP: a page shows a SIP meeting's professionals only when there
    # is a meeting (one more query for a case with one, whatever the history's length).
    cases = list(
        cases_visible_to(key_person.user)
        .filter(team_id=key_person.team_id, sip_meetings__isnull=False)
        .exclude(status="closed")
        .distinct()
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


def test_the_gate_query_gives_exactly_the_rule(key_person):
    """cases.access.visible_cases reads the rule as one UNION (fast at any size): the same
    cases as the rule evaluated case by case in Python."""
    from django.utils import timezone

    from cases.access import visible_cases
    from cases.models import CaseUserObjectPermission
    from cases.workflow import PRE_CONSENT
    from consent.models import Consent
    from teams.models import KeyPerson

    today = timezone.localdate()
    initiator = Case.objects.exclude(team=None).first().initiated_by
    for user in (key_person.user, initiator):
        seats = set(
            KeyPerson.objects.active_on(today)
            .filter(user=user)
            .values_list("team_id", "organisation__sector")
        )
        given = set(
            CaseUserObjectPermission.objects.filter(
                user=user, permission__codename="view_case"
            ).values_list("content_object_id", flat=True)
        )
        sector = user.organisation.sector if user.organisation_id else None
        candidates = Case.objects.filter(
            Q(initiated_by=user) | Q(pk__in=given) | Q(team_id__in={t for t, _s in seats})
        )
        in_force: dict[int, list] = {}
        for consent in Consent.objects.in_force(today).filter(case__in=candidates):
            in_force.setdefault(consent.case_id, []).append(consent)
        expected = set()
        for case in candidates:
            consents = in_force.get(case.pk, [])
            if case.status in PRE_CONSENT:
                ok = case.initiated_by_id == user.pk
            else:
                ok = (
                    (case.initiated_by_id == user.pk and consents)
                    or any(c.covers(s) for c in consents for t, s in seats if t == case.team_id)
                    or (case.pk in given and sector and any(c.covers(sector) for c in consents))
                )
            if ok:
                expected.add(case.pk)
        ours = set(visible_cases(user, today).values_list("pk", flat=True))
        assert ours == expected and ours
