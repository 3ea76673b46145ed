import io

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessLogEntry
from audit.services import access_log_record
from tests import factories as f

from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def registrar(db):
    user = f.UserFactory(organisation=None, full_name="Rita Registrator")
    user.user_permissions.add(Permission.objects.get(codename="review_all_access"))
    return user


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_register_extract_holds_the_child_the_family_and_the_history(world, client, registrar):
    case = make_case(world)
    client.force_login(registrar)
    response = client.get(
        reverse("cases:register_extract"), {"number": "20140517-2386", "document": "register"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    for expected in [
        "Alva Ek",
        "201405172386",
        "Amal Ek",
        "Karim Ek",
        "Aktualiserat",
        "Alva sover dåligt",
        "Historik",
        f"Ärende {case.pk}",
    ]:
        assert expected in text
    assert (
        AccessLogEntry.objects.filter(kind="extract", action="export", user=registrar).count() == 1
    )


def test_the_access_extract_lists_who_read_the_childs_data(world, client, registrar):
    case = make_case(world)
    request = RequestFactory().get("/")
    request.user = world.key_person_health
    access_log_record(request=request, cases=[case], kind="case", action="view")
    client.force_login(registrar)
    response = client.get(
        reverse("cases:register_extract"), {"number": "201405172386", "document": "access"}
    )
    text = _text(response.content)
    assert "Hanna Hälsa" in text
    assert "Öbacka hälsocentral" in text


def test_an_unknown_number_is_explained(world, client, registrar):
    client.force_login(registrar)
    response = client.get(
        reverse("cases:register_extract"), {"number": "19121212-1212", "document": "register"}
    )
    assert response.status_code == 200
    assert "Inget barn med det här numret" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["key_person", "coordinator", "manager", "process_leader", "outsider"]
)
def test_only_the_registrar_makes_extracts(world, client, persona):
    make_case(world)
    client.force_login(getattr(world, persona))
    response = client.get(
        reverse("cases:register_extract"), {"number": "201405172386", "document": "register"}
    )
    assert response.status_code == 403
