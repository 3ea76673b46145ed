"""Property tests for the create forms (issue 17): whatever text is typed, the answer is never
a server error, and either what was typed is stored as hlt.text normalises it, or the form
comes back with a message."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case
from hlt.text import identity_clean, name_clean, text_clean
from meetings.models import Meeting
from tests.cases.test_text_limits import consented_case

from .meetings.conftest import free_day

pytestmark = pytest.mark.django_db

typed = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(
        [
            "\u202eAlva",
            "A\u200bl\u200dva",
            "مهر\u200cنوش",
            "١٩١٢١٢١٢-١٢١٢",
            "Zoe\u0308",
            "x\x00y",
            " ",
            "a" * 5001,
        ]
    ),
)
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _refused_with_a_message(response) -> bool:
    page = response.content.decode()
    return response.status_code == 200 and ("error-summary" in page or "errorlist" in page)


def test_start_a_case(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.key_person)

    @SETTINGS
    @given(given_name=typed, family_name=typed, reserve=typed)
    def run(given_name, family_name, reserve):
        cases = Case.objects.count()
        response = client.post(
            reverse("cases:start"),
            {
                "given_name": given_name,
                "family_name": family_name,
                "personal_number": "",
                "reserve_number": reserve,
                "birth_date": "2015-03-02",
                "sex": "girl",
                "submit_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _refused_with_a_message(response)
            assert Case.objects.count() == cases
            return
        match = resolve(response.url)
        case = Case.objects.get(pk=match.kwargs["pk"])
        assert case.child.reserve_number == identity_clean(reserve)
        if match.url_name != "guardians":
            return  # the child already had an open case of this user: it is shown instead
        if case.registered_child:  # an existing child: the new case keeps what was typed
            shown = (case.registered_child["given_name"], case.registered_child["family_name"])
        else:
            shown = (case.child.given_name, case.child.family_name)
        assert shown == (name_clean(given_name), name_clean(family_name))

    run()


def test_add_a_meeting(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.coordinator)
    url = reverse("meetings:add", args=[world.team_a.pk])
    days = iter(range(1, 400))

    @SETTINGS
    @given(place=typed, starts=st.sampled_from(["09:00", "13:00", "25:00", "x", "13:00:00"]))
    def run(place, starts):
        day = free_day(world.team_a, after=timezone.localdate() + datetime.timedelta(next(days)))
        meetings = Meeting.objects.count()
        response = client.post(
            url,
            {
                "date": day.isoformat(),
                "starts_at": starts,
                "ends_at": "15:00",
                "place": place,
                "submit_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _refused_with_a_message(response)
            assert Meeting.objects.count() == meetings
            return
        assert Meeting.objects.latest("pk").place == text_clean(place).strip()

    run()


def test_actualise(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.key_person)

    case = consented_case(world)
    status = case.status

    @SETTINGS
    @given(description=typed, voice=typed)
    def run(description, voice):
        # Every example starts from the same consented case, not yet actualised.
        Case.objects.filter(pk=case.pk).update(
            status=status, team=None, family_description="", child_voice=""
        )
        response = client.post(
            reverse("cases:actualise", args=[case.pk]),
            {
                "team": world.team_a.pk,
                "concern_health": "on",
                "family_description": description,
                "child_voice": voice,
            },
        )
        assert response.status_code in (200, 302)
        case.refresh_from_db()
        if response.status_code == 200:
            assert _refused_with_a_message(response)
            assert case.family_description == ""
            return
        assert case.family_description == text_clean(description).strip()
        assert case.child_voice == text_clean(voice).strip()

    run()


def test_add_a_guardian(world):
    from cases import services as case_services
    from cases.models import Guardian

    client = Client(raise_request_exception=False)
    client.force_login(world.key_person)
    case, _found = case_services.case_start(
        initiated_by=world.key_person,
        child_data={
            "given_name": "Alva",
            "family_name": "Ek",
            "personal_number": None,
            "reserve_number": "PROP-1",
            "birth_date": datetime.date(2015, 3, 2),
            "sex": "girl",
        },
    )
    url = reverse("cases:guardians", args=[case.pk])

    @SETTINGS
    @given(given_name=typed, family_name=typed, phone=typed)
    def run(given_name, family_name, phone):
        Guardian.objects.filter(case=case).delete()
        response = client.post(
            url,
            {
                "given_name": given_name,
                "family_name": family_name,
                "relation": "parent",
                "custody": "joint",
                "phone": phone,
                "preferred_language": "sv",
                "submit_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _refused_with_a_message(response)
            assert not Guardian.objects.filter(case=case).exists()
            return
        guardian = Guardian.objects.get(case=case)
        assert (guardian.given_name, guardian.family_name, guardian.phone) == (
            name_clean(given_name),
            name_clean(family_name),
            name_clean(phone),
        )

    run()


def test_plan_a_sip_meeting(world):
    from sip.models import SipMeeting
    from tests.sip.conftest import discussed_case

    case = discussed_case(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.key_person)
    url = reverse("sip:meeting_new", args=[case.pk])

    @SETTINGS
    @given(place=typed, when=st.sampled_from(["09:00", "9", "x", ""]))
    def run(place, when):
        meetings = SipMeeting.objects.count()
        response = client.post(
            url,
            {
                "date": timezone.localdate().isoformat(),
                "starts_at": when,
                "place": place,
                "submit_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert _refused_with_a_message(response)
            assert SipMeeting.objects.count() == meetings
            return
        assert SipMeeting.objects.latest("pk").place == text_clean(place).strip()

    run()
