"""Every SIP view × every persona: 404 for people who may not see the case, 403 for people
who see it but may not change the SIP, and the access log for every opening of a plan."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from consent.models import DocumentJob
from sip import services
from tests import factories as f

from .conftest import make_plan

PERSONAS = [
    "coordinator",
    "key_person",  # the initiator
    "key_person_health",  # the overall responsible person
    "key_person_social",  # outside the consent (school and health)
    "key_person_other_team",
    "manager",
    "process_leader",
    "staff",
    "outsider",
    "intervention_only",  # responsible for one intervention: reads, does not write
]
SEES = {"coordinator", "key_person", "key_person_health", "intervention_only"}
WRITES = {"coordinator", "key_person", "key_person_health"}

# (url name, which object, method, needs write)
VIEWS = [
    ("sip:case", "case", "get", False),
    ("sip:feedback", "case", "get", True),
    ("sip:meeting_new", "case", "get", True),
    ("sip:plan_new", "case", "post", True),
    ("sip:plan", "plan", "get", False),
    ("sip:plan_edit", "draft", "post", True),
    ("sip:finalise", "draft", "post", True),
    ("sip:finalise", "draft", "get", True),
    ("sip:revise", "plan", "post", True),
    ("sip:print", "plan", "post", False),
    ("sip:document", "job", "get", False),
    ("sip:document_download", "job", "get", False),
    ("sip:signatures", "plan", "get", True),
    ("sip:signature_scan", "scan", "get", False),
    ("sip:follow_up", "plan", "get", True),
]


def expected(persona, write):
    if persona not in SEES:
        return 404
    if write and persona not in WRITES:
        return 403
    return None  # allowed: 200 or a redirect


@pytest.fixture
def sip_world(world, sip_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.intervention_only = f.UserFactory(organisation=world.school, full_name="Ivar Insats")
    plan = make_plan(world, sip_case, finalise=False)
    services.intervention_add(
        plan=plan,
        by=world.key_person,
        kind="other",
        what="Läxhjälp",
        organisation=world.school,
        person=world.intervention_only,
        starts_on=plan.follow_up_on,
        ends_on=plan.follow_up_on,
    )
    plan = services.plan_finalise(plan=plan, by=world.key_person)
    signature = services.plan_signature_register(
        plan=plan,
        by=world.key_person,
        signed_on=plan.finalised_at.date(),
        child_signed=True,
        scan=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return world, plan, signature


def _url(name, target, world, plan, signature, persona_user):
    if target == "case":
        return reverse(name, args=[plan.case_id])
    if target in ("plan", "draft"):
        return reverse(name, args=[plan.pk])
    if target == "scan":
        return reverse(name, args=[plan.pk, signature.pk])
    job = DocumentJob.objects.create(
        kind="sip_plan",
        params={"plan_id": plan.pk, "language": "sv", "user_id": persona_user.pk},
        requested_by=persona_user,
        status="done",
    )
    job.result.save("x.pdf", ContentFile(b"%PDF"))
    return reverse(name, args=[plan.pk, job.pk])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "target", "method", "write"), VIEWS, ids=[v[0] for v in VIEWS])
def test_permission_table(sip_world, client, persona, name, target, method, write):
    world, plan, signature = sip_world
    if target == "draft":
        plan = services.plan_revise(plan=plan, by=world.key_person)
    user = getattr(world, persona)
    client.force_login(user)
    url = _url(name, target, world, plan, signature, user)
    response = getattr(client, method)(url)
    want = expected(persona, write)
    if want is None:
        assert response.status_code in (200, 302, 400), (persona, name, response.status_code)
    else:
        assert response.status_code == want, (persona, name, response.status_code)


def test_anonymous_users_are_sent_to_log_in(sip_world, client):
    _world, plan, _signature = sip_world
    response = client.get(reverse("sip:plan", args=[plan.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_every_sip_view_has_a_row():
    from sip.urls import urlpatterns

    assert {f"sip:{p.name}" for p in urlpatterns} == {v[0] for v in VIEWS}


def test_opening_the_plan_and_its_scan_is_logged(sip_world, client):
    world, plan, signature = sip_world
    client.force_login(world.coordinator)
    client.get(reverse("sip:plan", args=[plan.pk]))
    client.get(reverse("sip:signature_scan", args=[plan.pk, signature.pk]))
    rows = AccessLogEntry.objects.filter(user=world.coordinator, kind="sip_plan")
    assert sorted(rows.values_list("action", flat=True)) == ["download", "view"]
    assert {r.case_id for r in rows} == {plan.case_id}


def test_the_plan_page_queries_do_not_grow_with_goals_and_interventions(
    world, django_assert_max_num_queries, client
):
    from .conftest import discussed_case, make_plan

    small = make_plan(world, discussed_case(world), goals=1, interventions=1)
    client.force_login(world.key_person_health)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(reverse("sip:plan", args=[small.pk])).status_code == 200
    # A second child with a big plan (make_case always registers the same child, so close it).
    from cases.models import Case

    Case.objects.filter(pk=small.case_id).update(status="closed")
    # Another day's HLT meeting: a team meets once a day (a unique index).
    big_case = discussed_case(world, meeting_day=timezone.localdate() - datetime.timedelta(days=1))
    big = make_plan(world, big_case, goals=12, interventions=15)
    with django_assert_max_num_queries(len(small_queries)):
        assert client.get(reverse("sip:plan", args=[big.pk])).status_code == 200
    draft = services.plan_revise(plan=big, by=world.key_person_health)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("sip:plan", args=[draft.pk])).status_code == 200
