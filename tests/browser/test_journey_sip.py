"""Journey: the overall responsible person plans a SIP meeting with a Somali interpreter,
writes and finalises the plan, prints it in Somali and Swedish, registers the signatures,
and at the follow-up evaluates the goals, records the family's answers and closes the case."""

import datetime
import io
import re

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Case
from sip.models import FollowUp, Plan, PlanSignature
from sip.questionnaire import QUESTIONS
from tests.sip.conftest import discussed_case


def test_sip_from_meeting_to_closed_case(world, page, log_in, assert_accessible, settings):
    # The live server runs without the DB worker: PDFs are made at once.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    case = discussed_case(world, to_sip=False)
    today = timezone.localdate()
    iso = lambda days: (today + datetime.timedelta(days=days)).isoformat()  # noqa: E731

    log_in(world.key_person_health)
    page.goto(f"/cases/{case.pk}/")
    assert_accessible()
    page.get_by_role("link", name="SIP: återkoppling, plan och uppföljning").click()
    assert_accessible()

    # --- the SIP meeting, with an interpreter for Somali --------------------------------
    page.get_by_role("link", name="Planera ett SIP-möte").click()
    assert_accessible()
    page.get_by_label("Datum").fill(iso(0))
    page.get_by_label("Tid").fill("09:00")
    page.get_by_label("Plats").fill("Öbacka hälsocentral, rum 3")
    page.get_by_label("Tolk").select_option("so")
    page.get_by_label("Hanna Hälsa, Öbacka hälsocentral").check()
    page.get_by_label("Kim Skola, Solenskolan").check()
    page.get_by_role("button", name="Planera mötet").click()
    expect(page.get_by_text("SIP-mötet är planerat.")).to_be_visible()
    assert_accessible()

    # --- the plan: two goals, three interventions across two agencies --------------------
    page.get_by_role("button", name="Skriv planen").click()
    assert_accessible()
    page.get_by_label("Insatser som andra gör").fill("Inga.")
    page.get_by_label("Verksamhet med övergripande ansvar").select_option(
        label="Öbacka hälsocentral"
    )
    page.get_by_label("Person med övergripande ansvar").select_option(
        label="Hanna Hälsa, Öbacka hälsocentral"
    )
    page.get_by_label("Hur planen följs upp").fill("Uppföljande SIP-möte med familjen.")
    # Goals and interventions are rows of the same editor, saved with the rest.
    for n, goal in enumerate(("Alva sover hela nätter", "Alva är i skolan varje dag")):
        if n:
            page.get_by_role("button", name="Lägg till ett mål").click()
        page.locator(f"#id_goals-{n}-text").fill(goal)
    interventions = [
        ("treatment", "Sömnbehandling", "Öbacka hälsocentral", "Hanna Hälsa, Öbacka hälsocentral"),
        ("school_adaptations", "Anpassat schema", "Solenskolan", "Kim Skola, Solenskolan"),
        (
            "parent_support",
            "Föräldrasamtal",
            "Öbacka hälsocentral",
            "Hanna Hälsa, Öbacka hälsocentral",
        ),
    ]
    for n, (kind, what, agency, person) in enumerate(interventions):
        if n:
            page.get_by_role("button", name="Lägg till en insats").click()
        prefix = f"#id_interventions-{n}-"
        page.locator(prefix + "kind").select_option(kind)
        page.locator(prefix + "what").fill(what)
        page.locator(prefix + "organisation").select_option(label=agency)
        page.locator(prefix + "person").select_option(label=person)
        page.locator(prefix + "starts_on").fill(iso(0))
        page.locator(prefix + "ends_on").fill(iso(90))
    page.get_by_role("button", name="Spara planen").click()
    expect(page.get_by_text("Planen är sparad.")).to_be_visible()
    assert_accessible()

    # Not offered while the follow-up date is missing, and told so.
    expect(page.locator("ul.missing")).to_have_text("datum för uppföljning")
    expect(page.get_by_role("link", name="Fastställ planen")).to_have_count(0)
    assert Plan.objects.get(case=case).state == "draft"
    page.get_by_label("Datum för uppföljning").fill(iso(60))
    page.get_by_role("button", name="Spara planen").click()
    assert_accessible()
    page.get_by_role("link", name="Fastställ planen").click()
    assert_accessible()
    page.get_by_role("button", name="Ja, fastställ planen").click()
    expect(page.get_by_text("Planen är fastställd.", exact=False)).to_be_visible()
    assert_accessible()
    assert Case.objects.get(pk=case.pk).status == "plan_active"

    # --- print in Somali beside Swedish (the job runs at once here) ---------------------
    expect(page.get_by_label("Familjens språk (bredvid svenska)")).to_have_value("so")
    page.get_by_role("button", name="Skriv ut planen (PDF)").click()
    assert_accessible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF:en").click()
    pdf = open(download_info.value.path(), "rb").read()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Samordnad individuell plan (SIP)" in text
    assert "Qorshe shakhsiyeed" in text
    assert "Sömnbehandling" in text and "Anpassat schema" in text

    # --- the signatures ------------------------------------------------------------------
    page.get_by_role("link", name="Tillbaka till planen").click()
    assert_accessible()
    page.get_by_role("link", name="Registrera den underskrivna planen").click()
    assert_accessible()
    page.locator("#id_signed_on").fill(iso(0))
    page.get_by_label("Amal Ek").check()
    page.get_by_label("Karim Ek").check()
    page.get_by_label("Barnet skrev under").check()
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_text("Den underskrivna planen är registrerad.")).to_be_visible()
    assert_accessible()
    assert PlanSignature.objects.get().guardians.count() == 2

    # --- the follow-up: goals, the family's answers, and closing --------------------------
    page.get_by_role("link", name="Registrera en uppföljning").click()
    assert_accessible()
    page.locator("#id_held_on").fill(iso(0))
    for goal in ("Alva sover hela nätter", "Alva är i skolan varje dag"):
        page.get_by_role("group", name=goal).get_by_label("Uppnått", exact=True).check()
    for _kind, what, _agency, _person in interventions:
        page.get_by_role("group", name=re.compile(what)).get_by_label("Klart").check()
    for _code, question in QUESTIONS:
        page.get_by_role("group", name=str(question)).get_by_label("4", exact=True).check()
    page.get_by_label("Familjens egna ord om samarbetet").fill("Bra att alla satt med.")
    page.locator('input[name="decision"][value="close"]').check()
    page.get_by_label("Orsak till avslut (om ärendet avslutas)").select_option("goals_met")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_text("Uppföljningen är registrerad.")).to_be_visible()
    assert_accessible()

    case.refresh_from_db()
    assert (case.status, case.closing_reason) == ("closed", "goals_met")
    follow_up = FollowUp.objects.get()
    assert set(follow_up.family_answers.values()) == {4}
    assert follow_up.goals.filter(result="reached").count() == 2
