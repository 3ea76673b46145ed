"""Journey by keyboard alone (issue 16 item 6): the coordinator reaches a waiting case's
button in a few Tabs, puts two cases on the agenda and publishes it; after each in-place
update the focus is on what changed (the new row, the message), never on the page's body,
and the page's header says the agenda is published."""

import re

from playwright.sync_api import expect

from meetings.models import AgendaItem
from tests.cases.conftest import make_case
from tests.meetings.conftest import make_meeting, waiting_case


def _tabs_until(page, name: str, limit: int = 40) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.innerText || ''")
        if name in " ".join(label.split()):
            return n
    raise AssertionError(f"{name!r} not reached in {limit} Tabs")


def test_the_agenda_by_keyboard(world, page, log_in, assert_accessible):
    make_case(world)
    waiting_case(world, given="Bo", family="Berg")
    meeting = make_meeting(world)
    log_in(world.coordinator)
    page.goto(f"/meetings/{meeting.pk}/")
    assert_accessible()
    expect(page.locator("#agenda-state")).to_have_text("inte publicerad ännu")

    # The skip link leads to the waiting list: the second case's button is a few Tabs away.
    tabs = _tabs_until(page, "Gå till väntelistan")
    page.keyboard.press("Enter")
    tabs += 1 + _tabs_until(page, "Lägg på dagordningen Bo Berg")
    assert tabs <= 16, tabs

    page.keyboard.press("Enter")
    expect(page.locator("table.agenda")).to_contain_text("Bo Berg")
    item = AgendaItem.objects.get(meeting=meeting, case__child__given_name="Bo")
    expect(page.locator(f"#item-{item.pk}")).to_be_focused()
    assert_accessible()

    # The next case's button is the next Tab stop after its minutes.
    _tabs_until(page, "Lägg på dagordningen Alva Ek")
    page.keyboard.press("Enter")
    expect(page.locator("table.agenda")).to_contain_text("Alva Ek")
    alva = AgendaItem.objects.get(meeting=meeting, case__child__given_name="Alva")
    expect(page.locator(f"#item-{alva.pk}")).to_be_focused()

    # Moving keeps the focus on the row's button (or the row).
    page.locator(f"#up-{alva.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#builder-done")).to_have_text("Flyttat upp.")
    expect(page.locator(f"#item-{alva.pk}")).to_be_focused()

    # Publishing: the message has the focus and the header is updated in place.
    page.get_by_role("button", name="Publicera dagordningen och mejla medlemmarna").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#builder-done")).to_be_focused()
    expect(page.locator("#agenda-state")).to_have_text(re.compile(r"^publicerad \d{4}-"))
    assert_accessible()
