"""Journey: the overall responsible person writes a plan with two goals and two
interventions in one editor. A failed save keeps every word and puts the focus on an error
summary whose links lead to the fields; leaving with unsaved changes asks first; the plan
is finalised after a confirmation step."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from sip import services
from sip.models import Plan
from tests.sip.conftest import discussed_case


def test_a_plan_written_in_one_editor_loses_no_word(world, page, log_in, assert_accessible):
    case = discussed_case(world)
    plan = services.plan_start(case=case, by=world.key_person_health)
    today = timezone.localdate()
    iso = lambda days: (today + datetime.timedelta(days=days)).isoformat()  # noqa: E731

    log_in(world.key_person_health)
    page.goto(f"/sip/plan/{plan.pk}/")
    assert_accessible()

    page.get_by_label("Insatser som andra gör").fill("Skolkuratorn träffar Alva varje vecka.")
    page.get_by_label("Verksamhet med övergripande ansvar").select_option(
        label="Öbacka hälsocentral"
    )
    page.get_by_label("Person med övergripande ansvar").select_option(
        label="Hanna Hälsa, Öbacka hälsocentral"
    )
    page.get_by_label("Datum för uppföljning").fill(iso(60))
    page.get_by_label("Hur planen följs upp").fill("Uppföljande SIP-möte med familjen.")

    # Two goals: the second row is added in place, the first one's words stay.
    page.locator("#id_goals-0-text").fill("Alva sover hela nätter")
    page.get_by_role("button", name="Lägg till ett mål").click()
    expect(page.locator("#id_goals-1-text")).to_be_focused()
    page.locator("#id_goals-1-text").fill("Alva är i skolan varje dag")
    expect(page.locator("#id_goals-0-text")).to_have_value("Alva sover hela nätter")

    # Two interventions; the second ends before it starts (a mistake).
    rows = [
        ("treatment", "Sömnbehandling", "Öbacka hälsocentral", "Hanna Hälsa, Öbacka hälsocentral"),
        ("school_adaptations", "Anpassat schema", "Solenskolan", "Kim Skola, Solenskolan"),
    ]
    for n, (kind, what, agency, person) in enumerate(rows):
        if n:
            page.get_by_role("button", name="Lägg till en insats").click()
        prefix = f"#id_interventions-{n}-"
        page.locator(prefix + "kind").select_option(kind)
        page.locator(prefix + "what").fill(what)
        page.locator(prefix + "organisation").select_option(label=agency)
        page.locator(prefix + "person").select_option(label=person)
        page.locator(prefix + "starts_on").fill(iso(0))
        page.locator(prefix + "ends_on").fill(iso(90 if n == 0 else -1))
    assert_accessible()

    # Leaving now asks first (beforeunload); staying keeps everything.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Tillbaka till SIP").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    page.remove_listener("dialog", stay)
    expect(page.locator("#id_goals-1-text")).to_have_value("Alva är i skolan varje dag")

    # The failed save: nothing saved, every word still there, the summary has the focus.
    page.get_by_role("button", name="Spara planen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Insats 2, Till: Slutdatumet kan inte vara före startdatumet.")
    assert_accessible()
    assert not plan.goals.exists() and not plan.interventions.exists()
    for selector, words in (
        ("#id_measures_by_others", "Skolkuratorn träffar Alva varje vecka."),
        ("#id_goals-0-text", "Alva sover hela nätter"),
        ("#id_goals-1-text", "Alva är i skolan varje dag"),
        ("#id_interventions-0-what", "Sömnbehandling"),
        ("#id_interventions-1-what", "Anpassat schema"),
        ("#id_interventions-1-starts_on", iso(0)),
    ):
        expect(page.locator(selector)).to_have_value(words)
    # The summary's link leads to the field.
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_interventions-1-ends_on")).to_be_focused()
    page.locator("#id_interventions-1-ends_on").fill(iso(120))
    page.get_by_role("button", name="Spara planen").click()
    expect(page.get_by_text("Planen är sparad.")).to_be_visible()
    assert_accessible()

    plan = Plan.objects.get(pk=plan.pk)
    assert [g.text for g in plan.goals.all()] == [
        "Alva sover hela nätter",
        "Alva är i skolan varje dag",
    ]
    assert [i.what for i in plan.interventions.all()] == ["Sömnbehandling", "Anpassat schema"]
    assert plan.measures_by_others == "Skolkuratorn träffar Alva varje vecka."

    # Finalising asks first.
    page.get_by_role("link", name="Fastställ planen").click()
    assert_accessible()
    page.get_by_role("button", name="Ja, fastställ planen").click()
    expect(page.get_by_text("Planen är fastställd.", exact=False)).to_be_visible()
    assert_accessible()
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.FINAL
