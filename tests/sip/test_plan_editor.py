"""The plan editor: the plan's fields, goals and interventions in one form, saved together;
a failed save keeps every word and shows an error summary linked to the fields."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sip import services
from sip.models import Goal, Intervention, Plan

from .conftest import make_plan


def editor_data(*, fields=None, goals=(), interventions=(), initial_goals=0, initial_iv=0):
    """A POST of the plan editor as the browser sends it."""
    data = {
        "needs": "Alva sover dåligt.",
        "child_view": "Jag vill orka.",
        "measures_by_others": "Inga.",
        "overall_organisation": "",
        "overall_person": "",
        "follow_up_on": "",
        "follow_up_how": "",
        "goals-TOTAL_FORMS": str(len(goals)),
        "goals-INITIAL_FORMS": str(initial_goals),
        "interventions-TOTAL_FORMS": str(len(interventions)),
        "interventions-INITIAL_FORMS": str(initial_iv),
    }
    data.update(fields or {})
    for n, goal in enumerate(goals):
        for key, value in (goal if isinstance(goal, dict) else {"text": goal}).items():
            data[f"goals-{n}-{key}"] = value
    for n, row in enumerate(interventions):
        for key, value in row.items():
            data[f"interventions-{n}-{key}"] = value
    return data


def _intervention(world, what, **extra):
    today = timezone.localdate()
    row = {
        "kind": "treatment",
        "what": what,
        "organisation": world.health.pk,
        "person": world.key_person_health.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
    }
    row.update(extra)
    return row


def test_the_whole_plan_is_saved_in_one_form(world, sip_case, client):
    plan = services.plan_start(case=sip_case, by=world.key_person)
    client.force_login(world.key_person_health)
    data = editor_data(
        fields={"measures_by_others": "Skolan har anpassat schemat."},
        goals=["Alva sover hela nätter", "Alva är i skolan varje dag"],
        interventions=[
            _intervention(world, "Sömnbehandling"),
            _intervention(
                world,
                "Anpassat schema",
                kind="school_adaptations",
                organisation=world.school.pk,
                person=world.key_person.pk,
            ),
        ],
    )
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.measures_by_others == "Skolan har anpassat schemat."
    assert [g.text for g in plan.goals.all()] == [
        "Alva sover hela nätter",
        "Alva är i skolan varje dag",
    ]
    assert [i.what for i in plan.interventions.all()] == ["Sömnbehandling", "Anpassat schema"]


def test_a_failed_save_keeps_every_word_and_saves_nothing(world, sip_case, client):
    """Issue 16 item 4: typing in one part and saving another discarded the text."""
    plan = services.plan_start(case=sip_case, by=world.key_person)
    client.force_login(world.key_person_health)
    today = timezone.localdate()
    data = editor_data(
        fields={"measures_by_others": "Kuratorn träffar Alva varje vecka."},
        goals=["Alva sover hela nätter", "Alva är i skolan varje dag"],
        interventions=[
            _intervention(world, "Sömnbehandling"),
            # Ends before it starts: refused by the service.
            _intervention(
                world, "Föräldrastöd i grupp", ends_on=(today - datetime.timedelta(1)).isoformat()
            ),
        ],
    )
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    for words in (
        "Kuratorn träffar Alva varje vecka.",
        "Alva sover hela nätter",
        "Alva är i skolan varje dag",
        "Sömnbehandling",
        "Föräldrastöd i grupp",
    ):
        assert words in html, words
    # The error summary names the field and links to it; nothing was saved.
    assert "data-error-summary" in html
    assert 'href="#id_interventions-1-ends_on"' in html
    assert "Slutdatum kan inte vara före startdatum." in html or "före" in html
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.measures_by_others == ""
    assert not Goal.objects.filter(plan=plan).exists()
    assert not Intervention.objects.filter(plan=plan).exists()


def test_rows_are_changed_added_and_removed_together(world, sip_case, client):
    plan = make_plan(world, sip_case, goals=2, interventions=2, finalise=False)
    first, second = plan.goals.all()
    iv_first, iv_second = plan.interventions.all()
    client.force_login(world.key_person_health)
    data = editor_data(
        goals=[
            {"id": first.pk, "text": "Alva sover sju timmar"},
            {"id": second.pk, "text": second.text, "DELETE": "on"},
            {"text": "Alva äter frukost"},
            {"text": ""},  # a blank new row is left out, not an error
        ],
        interventions=[
            {**_intervention(world, "Sömnbehandling, ändrad"), "id": iv_first.pk},
            {**_intervention(world, iv_second.what), "id": iv_second.pk, "DELETE": "on"},
        ],
        initial_goals=2,
        initial_iv=2,
    )
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(g.pk, g.text) for g in plan.goals.all()][:1] == [(first.pk, "Alva sover sju timmar")]
    assert [g.text for g in plan.goals.all()] == ["Alva sover sju timmar", "Alva äter frukost"]
    assert [(i.pk, i.what) for i in plan.interventions.all()] == [
        (iv_first.pk, "Sömnbehandling, ändrad")
    ]


def test_another_plans_row_id_is_not_touched(world, sip_case, client):
    """A hostile id (another plan's goal) adds a new goal here; the other plan is unchanged."""
    other = make_plan(world, sip_case, goals=1, interventions=1, finalise=True)
    draft = services.plan_revise(plan=other, by=world.key_person)
    client.force_login(world.key_person_health)
    foreign = other.goals.get()
    data = editor_data(goals=[{"id": foreign.pk, "text": "Kapat"}], initial_goals=1)
    response = client.post(reverse("sip:plan_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert Goal.objects.get(pk=foreign.pk).text != "Kapat"
    assert [g.text for g in draft.goals.all()] == ["Kapat"]


def test_add_a_goal_without_javascript_keeps_the_text_and_adds_a_row(world, sip_case, client):
    plan = services.plan_start(case=sip_case, by=world.key_person)
    client.force_login(world.key_person_health)
    data = editor_data(
        fields={"measures_by_others": "Inga andra insatser."}, goals=["Alva sover hela nätter"]
    )
    data["add"] = "goals"
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302 and response.url.endswith("?add=goals#goals-new")
    assert Plan.objects.get(pk=plan.pk).measures_by_others == "Inga andra insatser."
    page = client.get(response.url).content.decode()
    assert 'name="goals-TOTAL_FORMS" value="2"' in page
    assert 'id="goals-new"' in page


def test_finalising_asks_first(world, sip_case, client):
    plan = make_plan(world, sip_case, finalise=False)
    client.force_login(world.key_person_health)
    response = client.get(reverse("sip:finalise", args=[plan.pk]))
    assert response.status_code == 200
    assert "Ja, fastställ planen" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.DRAFT
    client.post(reverse("sip:finalise", args=[plan.pk]))
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.FINAL


def test_the_signatures_say_how_many_guardians_signed(world, sip_case, client):
    """Issue 16 item 8: the list read "en vårdnadshavare, en vårdnadshavare"."""
    plan = make_plan(world, sip_case)
    services.plan_signature_register(
        plan=plan,
        by=world.key_person_health,
        signed_on=timezone.localdate(),
        guardians=list(services.guardians_of(sip_case)),
        child_signed=True,
    )
    client.force_login(world.key_person_health)
    page = client.get(reverse("sip:plan", args=[plan.pk])).content.decode()
    assert "en vårdnadshavare, en vårdnadshavare" not in page
    assert "2 vårdnadshavare, barnet" in page


def test_a_person_outside_the_consent_is_refused_next_to_the_field(world, sip_case, client):
    """Hostile input: a professional of social services (outside the consent: school and
    health) or an unknown id is not a choice; nothing is saved and the words stay."""
    plan = services.plan_start(case=sip_case, by=world.key_person)
    client.force_login(world.key_person_health)
    for person in (world.key_person_social.pk, 999999, "١٢"):  # Arabic digits too
        data = editor_data(
            goals=["Alva sover hela nätter"],
            interventions=[_intervention(world, "Familjesamtal", person=person)],
        )
        response = client.post(reverse("sip:plan_edit", args=[plan.pk]), data)
        assert response.status_code == 400
        assert 'href="#id_interventions-0-person"' in response.content.decode()
        assert "Familjesamtal" in response.content.decode()
    assert not plan.interventions.exists() and not plan.goals.exists()


def test_two_people_saving_the_same_draft_lose_nothing(world, sip_case, client):
    """The second save, made from a page opened before the first, is refused with a message
    naming who saved; its words are kept, and saving again replaces knowingly."""
    plan = services.plan_start(case=sip_case, by=world.key_person)
    assert plan.edit_version == 0
    client.force_login(world.key_person_health)
    first = editor_data(goals=["Hannas mål"], fields={"measures_by_others": "Hanna skrev"})
    first["edit_version"] = "0"
    assert client.post(reverse("sip:plan_edit", args=[plan.pk]), first).status_code == 302

    client.force_login(world.coordinator)
    second = editor_data(goals=["Coras mål"], fields={"measures_by_others": "Cora skrev"})
    second["edit_version"] = "0"  # opened before Hanna saved
    response = client.post(reverse("sip:plan_edit", args=[plan.pk]), second)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hanna Hälsa sparade planen" in page
    assert "Coras mål" in page and "Cora skrev" in page
    assert 'name="edit_version" value="1"' in page
    assert [g.text for g in Plan.objects.get(pk=plan.pk).goals.all()] == ["Hannas mål"]

    second["edit_version"] = "1"  # saving again, knowingly
    assert client.post(reverse("sip:plan_edit", args=[plan.pk]), second).status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.measures_by_others == "Cora skrev" and plan.edit_version == 2


def test_each_signature_lists_the_professionals_who_signed_it(world, sip_case, client):
    # The signatures and their professionals are read by two prepared queries
    # (sip.selectors.plan_signatures): each signature shows its own people, by name.
    plan = make_plan(world, sip_case)
    day = f"{timezone.localdate():%Y-%m-%d}"
    services.plan_signature_register(
        plan=plan,
        by=world.key_person_health,
        signed_on=timezone.localdate(),
        professionals=[world.key_person_health, world.key_person],
    )
    services.plan_signature_register(
        plan=plan, by=world.key_person_health, signed_on=timezone.localdate(), child_signed=True
    )
    client.force_login(world.key_person_health)
    page = client.get(reverse("sip:plan", args=[plan.pk])).content.decode()
    first, second = sorted([world.key_person_health.full_name, world.key_person.full_name])
    with_people = page.index(f"{day}: , <bdi>{first}</bdi>, <bdi>{second}</bdi>")
    child_only = page.index(f"{day}: barnet")
    assert child_only < with_people  # newest first
    assert "<bdi>" not in page[child_only:with_people]  # nobody else on the newer one
