"""Journey: a coordinator logs in, switches to English and back, and opens their team page."""

import re

from playwright.sync_api import expect


def test_coordinator_switches_language_and_opens_team_page(world, page, log_in, assert_accessible):
    log_in(world.coordinator)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(page.get_by_role("heading", name="Du samordnar")).to_be_visible()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="You coordinate")).to_be_visible()
    assert_accessible()

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible()

    page.get_by_role("navigation").get_by_role("link", name="Mina team").click()
    expect(page).to_have_url(re.compile(r"/teams/mine/$"))
    assert_accessible()

    page.get_by_role("link", name=world.team_a.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.team_a.name)
    expect(page.get_by_text("2:a tisdagen i månaden, 13:00–15:00")).to_be_visible()
    for person in [world.coordinator, world.key_person, world.key_person_health]:
        expect(page.get_by_role("cell", name=person.full_name)).to_be_visible()
    assert_accessible()


def test_the_skip_link_is_the_first_stop_for_keyboard_users(world, page, log_in):
    log_in(world.key_person)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
