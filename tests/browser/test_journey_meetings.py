"""Journey: the coordinator plans the term, builds and publishes an agenda, a key person
reads it (pseudonyms outside their consent scope), and the coordinator records minutes."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.workflow import Status
from meetings.models import Meeting
from meetings.schedule import holiday_name
from tests.cases.conftest import make_case
from tests.meetings.conftest import waiting_case


def _log_out(page, assert_accessible):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/")
    assert_accessible()


def test_coordinator_plans_builds_publishes_and_records_minutes(
    world, page, log_in, assert_accessible
):
    # Three waiting cases with three different children. Alva's consent covers school and
    # health only; Cilla's covers social services too.
    alva = make_case(world)
    bo = waiting_case(world, given="Bo", family="Berg")
    cilla = waiting_case(
        world, given="Cilla", family="Cederlund", sectors=("school", "health", "social")
    )

    # --- the coordinator generates the coming autumn term's meetings ---------------------
    log_in(world.coordinator)
    page.get_by_role("navigation").get_by_role("link", name="Möten").click()
    assert_accessible()
    page.get_by_role("link", name=f"Möten i {world.team_a.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Möten i {world.team_a.name}")
    assert_accessible()

    today = timezone.localdate()
    year = today.year + 1 if today.month >= 7 else today.year  # wholly in the future
    page.get_by_label("Termin").select_option(f"HT-{year}")
    page.get_by_role("button", name="Skapa möten").click()
    expect(page.get_by_text(re.compile(r"HT \d{4}: \d+ möten skapade"))).to_be_visible()
    assert_accessible()

    meetings = list(Meeting.objects.filter(team=world.team_a).order_by("date"))
    assert len(meetings) >= 4
    for meeting in meetings:
        assert holiday_name(meeting.date) is None
        assert meeting.term.contains(meeting.date)  # never in the summer break
        assert meeting.date.month not in (7, 1)  # summer; the first week of January
        assert (meeting.date.year, meeting.date.weekday()) == (year, 1)  # Tuesdays
    first = meetings[0]

    # --- builds the agenda of the first meeting with the three waiting cases -------------
    page.get_by_role("link", name=re.compile(first.date.strftime("%Y"))).first.click()
    expect(page.get_by_role("heading", name="Väntar på ett möte")).to_be_visible()
    assert_accessible()
    for name in ("Alva Ek", "Bo Berg", "Cilla Cederlund"):
        page.get_by_role("button", name=f"Lägg på dagordningen {name}").click()
        # htmx swaps the builder in place. The waiting list has a cell with the same name, so
        # wait for the name in the agenda and its button gone: only then does the next button
        # carry the agenda's new version (an older one is refused as a concurrent change).
        expect(
            page.locator("table.agenda").get_by_role("cell", name=name, exact=True)
        ).to_be_visible()
        expect(page.get_by_role("button", name=f"Lägg på dagordningen {name}")).to_have_count(0)
    expect(page.get_by_text("Ärendena tar 60 av mötets 120 minuter.")).to_be_visible()
    assert_accessible()

    # Reorder: Cilla first, then Alva down below Bo.
    page.get_by_role("button", name="Flytta upp Cilla Cederlund").click()
    expect(page.get_by_role("status")).to_contain_text("Flyttat upp.")
    page.get_by_role("button", name="Flytta upp Cilla Cederlund").click()
    expect(page.get_by_role("button", name="Flytta upp Cilla Cederlund")).to_have_count(0)
    page.get_by_role("button", name="Flytta ned Alva Ek").click()
    expect(page.get_by_role("button", name="Flytta ned Alva Ek")).to_have_count(0)
    assert_accessible()
    order = page.locator("table.agenda tbody tr td:nth-child(2)").all_inner_texts()
    assert [text.strip() for text in order] == ["Cilla Cederlund", "Bo Berg", "Alva Ek"]
    assert list(first.items.order_by("position").values_list("case_id", flat=True)) == [
        cilla.pk,
        bo.pk,
        alva.pk,
    ]

    # Publish: every key person is e-mailed the meeting and the number of cases, no names.
    page.get_by_role("button", name="Publicera dagordningen och mejla medlemmarna").click()
    expect(page.get_by_text("Dagordningen är publicerad.")).to_be_visible()
    assert_accessible()
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        for word in ("Alva", "Bo Berg", "Cilla", "Cederlund"):
            assert word not in message.subject + message.body
    _log_out(page, assert_accessible)

    # --- a key person of social services reads the agenda --------------------------------
    log_in(world.key_person_social)
    page.goto(f"/meetings/{first.pk}/")
    assert_accessible()
    agenda = page.locator("table.agenda")
    expect(agenda).to_contain_text("Cilla Cederlund")  # the consent covers social services
    expect(agenda).not_to_contain_text("Alva")
    expect(agenda).not_to_contain_text("Bo Berg")
    expect(agenda).to_contain_text(alva.child.pseudonym(today))  # initials, age, school year
    expect(page.get_by_role("button", name=re.compile("Flytta"))).to_have_count(0)
    _log_out(page, assert_accessible)

    # --- the meeting day comes: the coordinator records the minutes -----------------------
    Meeting.objects.filter(pk=first.pk).update(date=today)  # time passes; nothing frozen
    log_in(world.coordinator)
    page.goto(f"/meetings/{first.pk}/")
    assert_accessible()
    page.get_by_role("link", name="Protokoll och närvaro").click()
    assert_accessible()
    page.get_by_label(world.key_person_health.full_name, exact=False).check()
    page.get_by_label(world.coordinator.full_name, exact=False).check()
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_text("Närvaron har sparats.")).to_be_visible()
    assert_accessible()

    page.get_by_role("link", name="För protokoll Alva Ek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll: Alva Ek")
    assert_accessible()
    page.get_by_label("Anteckningar").fill("Skolan och hälsocentralen träffar familjen.")
    page.get_by_label("Skola", exact=True).check()
    page.get_by_label("Hälso- och sjukvård").check()
    page.get_by_label(re.compile(r"^Kontaktar familjen:?$")).select_option(
        label=f"{world.key_person.full_name} ({world.school})"
    )
    page.get_by_label("Kontaktar familjen senast").fill(
        (today + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_label("Planeringsmöte").fill((today + datetime.timedelta(days=10)).isoformat())
    page.get_by_label("Planerat SIP-möte").fill((today + datetime.timedelta(days=24)).isoformat())
    page.get_by_label("Ett SIP-möte planeras").check()
    page.get_by_role("button", name="Spara protokollet").click()
    expect(page.get_by_text("Protokollet har sparats och ärendet har gått vidare.")).to_be_visible()
    expect(page.get_by_text("Skolan och hälsocentralen träffar familjen.")).to_be_visible()
    assert_accessible()

    alva = Case.objects.get(pk=alva.pk)
    assert alva.status == Status.SIP_PLANNED
    assert list(alva.status_changes.values_list("to_status", flat=True))[-2:] == [
        Status.IN_MEETING,
        Status.SIP_PLANNED,
    ]
