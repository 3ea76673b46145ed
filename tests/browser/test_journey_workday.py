"""Journeys of the working day: a key person opens the inbox, follows a task to the case and
completes it; a coordinator finds a child by case number and by reserve number with the
keyboard alone, opens the case and unfolds its detailed history."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from sip.models import FamilyFeedback
from tests.meetings.conftest import waiting_case
from tests.sip.conftest import discussed_case


def test_a_key_person_follows_a_task_from_the_inbox_and_completes_it(
    world, page, log_in, assert_accessible
):
    case = discussed_case(
        world, meeting_day=timezone.localdate() - datetime.timedelta(days=10), to_sip=False
    )
    log_in(world.key_person_health)
    inbox = page.get_by_role("region", name="Att göra")
    expect(inbox).to_contain_text("Försenad")
    # The menu counts the task and the case new to the team.
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Start 2 uppgifter")).to_be_visible()
    inbox.get_by_role("link", name=f"Kontakta familjen: Ärende {case.pk} – Alva Ek").click()
    assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("återkoppling")
    page.get_by_label("Familjen kontaktades").fill(timezone.localdate().isoformat())
    page.get_by_label("Telefonsamtal").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Kontakten med familjen är registrerad.")).to_be_visible()
    assert_accessible()
    assert FamilyFeedback.objects.filter(case=case).exists()

    # Back on the start page the task is done, and the case tells it in its chronology.
    menu.get_by_role("link", name="Start 2 uppgifter").click()
    assert_accessible()
    expect(page.get_by_role("region", name="Att göra")).to_contain_text("Inget att göra")
    expect(menu.get_by_role("link", name="Start 1 uppgift")).to_be_visible()  # the new case
    page.goto(f"/cases/{case.pk}/")
    assert_accessible()
    chronology = page.get_by_role("region", name="Vad som har hänt")
    expect(chronology).to_contain_text("Familjen fick veta vad HLT-mötet beslutade")


def test_find_a_child_by_number_with_the_keyboard_alone(world, page, log_in, assert_accessible):
    case = waiting_case(world, given="Hodan", family="Warsame")
    other = waiting_case(world, given="Viggo", family="Strömberg")
    log_in(world.coordinator)

    def tab_to(locator, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    # By case number, from the start page's search box.
    tab_to(page.get_by_role("searchbox", name="Hitta ett barn"))
    page.keyboard.type(str(case.pk))
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?q=*")
    assert_accessible()
    expect(page.get_by_role("status")).to_contain_text("1 ärende")
    result = page.get_by_role("link", name=f"Ärende {case.pk}")
    tab_to(result)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert_accessible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Hodan Warsame Ärende {case.pk}")

    # The detailed history unfolds with the keyboard (loaded when opened).
    summary = page.locator("details.history summary")
    tab_to(summary, limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("details.history ol.timeline")).to_be_visible()
    assert_accessible()

    # By reserve number, from the case list's own search box.
    page.goto("/cases/")
    assert_accessible()
    tab_to(
        page.get_by_role("searchbox", name="Namn, person- eller reservnummer, eller ärendenummer")
    )
    page.keyboard.type(other.child.reserve_number)
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?q=*")
    assert_accessible()
    expect(page.get_by_role("table")).to_contain_text("Viggo Strömberg")
    expect(page.get_by_role("table")).not_to_contain_text("Hodan")
