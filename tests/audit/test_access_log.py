import pytest
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AccessLogEntry, AccessReview
from tests import factories as f
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db


def test_a_case_detail_view_writes_exactly_one_log_row(world, client):
    case = make_case(world)
    client.force_login(world.key_person_health)
    client.get(reverse("cases:detail", args=[case.pk]), REMOTE_ADDR="10.1.2.3")
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.child_id, entry.case_id) == (
        world.key_person_health,
        case.child_id,
        case.pk,
    )
    assert (entry.kind, entry.action, entry.ip_address) == ("case", "view", "10.1.2.3")
    assert entry.user_organisation == world.health
    assert entry.context == world.team_a.name


def test_a_404_writes_no_log_row(world, client):
    case = make_case(world)
    client.force_login(world.key_person_other_team)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_list_of_fifty_cases_logs_in_a_constant_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for _ in range(50):
        child = f.ChildFactory()
        case = f.CaseFactory(
            child=child, initiated_by=world.key_person, team=world.team_a, status="actualised"
        )
        f.ConsentFactory(case=case)
        from cases.services import case_grant_team_access

        case_grant_team_access(case=case)
    client.force_login(world.key_person_health)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    # The list shows (and logs) one page of 25; the next page logs the other 25.
    assert AccessLogEntry.objects.filter(kind="case_list").count() == 25
    client.get(reverse("cases:list"), {"page": 2})
    assert AccessLogEntry.objects.filter(kind="case_list").count() == 50


def test_log_rows_cannot_be_changed_or_deleted(world):
    request = RequestFactory().get("/")
    request.user = world.key_person
    case = make_case(world)
    from audit.services import access_log_record

    access_log_record(request=request, cases=[case], kind="case", action="view")
    entry = AccessLogEntry.objects.get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.update(action="print")
    # Even raw SQL is refused by the database trigger.
    from django.db import connection

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry")
    assert AccessLogEntry.objects.count() == 1


def test_the_admin_offers_no_add_change_or_delete(world, rf):
    superuser = f.UserFactory(is_superuser=True, is_staff=True, organisation=None)
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[AccessLogEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def _log(user, case):
    request = RequestFactory().get("/")
    request.user = user
    from audit.services import access_log_record

    access_log_record(request=request, cases=[case], kind="case", action="view")


def test_a_manager_sees_the_log_of_their_own_organisations_staff_only(world, client):
    case = make_case(world)
    _log(world.key_person, case)  # school, managed by world.manager
    _log(world.key_person_health, case)  # health
    client.force_login(world.manager)
    page = client.get(reverse("audit:list")).content.decode()
    assert world.key_person.full_name in page
    assert world.key_person_health.full_name not in page
    health_entry = AccessLogEntry.objects.get(user=world.key_person_health)
    assert client.get(reverse("audit:entry", args=[health_entry.pk])).status_code == 404
    csv_text = client.get(reverse("audit:export")).content.decode()
    assert world.key_person.email in csv_text
    assert world.key_person_health.email not in csv_text


@pytest.mark.parametrize(
    "persona", ["key_person", "coordinator", "process_leader", "staff", "outsider"]
)
def test_others_may_not_review_the_log(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("audit:list")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_a_designated_log_reviewer_sees_everything(world, client):
    from django.contrib.auth.models import Permission

    case = make_case(world)
    _log(world.key_person_health, case)
    reviewer = f.UserFactory(organisation=None)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_all_access"))
    client.force_login(reviewer)
    assert world.key_person_health.full_name in client.get(reverse("audit:list")).content.decode()


def test_filter_by_child_and_record_a_verdict(world, client):
    case = make_case(world)
    other = f.CaseFactory(initiated_by=world.key_person)
    _log(world.key_person, case)
    _log(world.key_person, other)
    client.force_login(world.manager)
    page = client.get(reverse("audit:list"), {"personal_number": "20140517-2386"}).content.decode()
    # The column names the child by identity number, as the filter does.
    assert page.count("<td>201405172386</td>") == 1
    assert f"<td>{other.child.reserve_number}</td>" not in page
    entry = AccessLogEntry.objects.get(child_id=case.child_id)
    response = client.post(
        reverse("audit:entry", args=[entry.pk]), {"verdict": "justified", "note": "Teammöte"}
    )
    assert response.status_code == 302
    review = AccessReview.objects.get()
    assert (review.entry, review.reviewer, review.verdict) == (entry, world.manager, "justified")


def test_the_written_out_insert_names_every_column_of_the_log_table():
    # audit.services writes log rows with its own INSERT (cheaper than bulk_create): it
    # must name every column the model has, under the table's real name.
    from audit.services import _COLUMNS, _INSERT

    columns = {f.column for f in AccessLogEntry._meta.concrete_fields} - {"id"}
    assert set(_COLUMNS) | {"at"} == columns
    assert f'"{AccessLogEntry._meta.db_table}"' in _INSERT
    for column in columns:
        assert column in _INSERT
