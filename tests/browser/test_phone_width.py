"""Issue 16 item 10 (phone width): at 390 px no page scrolls sideways; wide tables scroll
inside their own box. (The statistics page is tested with the statistics journey.)"""

import pytest

from tests import factories as f
from tests.cases.conftest import make_case
from tests.meetings.conftest import make_meeting, waiting_case

WIDTH = 390

OVERFLOW = """() => {
  const doc = document.documentElement;
  const wide = [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1
                 && !e.closest('.table-scroll, .visually-hidden'))
    .slice(0, 5)
    .map(e => e.tagName + '.' + e.className + ' '
              + Math.round(e.getBoundingClientRect().right));
  return {scroll: doc.scrollWidth - doc.clientWidth, wide};
}"""


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": WIDTH, "height": 800})
    return page


def _check(page, assert_accessible, url):
    page.goto(url)
    assert_accessible()
    result = page.evaluate(OVERFLOW)
    return (url, result) if result["scroll"] > 0 else None


def test_no_page_scrolls_sideways_at_phone_width(world, phone, log_in, assert_accessible):
    case = make_case(world)
    waiting_case(world, given="Bo", family="Berg")
    meeting = make_meeting(world)
    admin = f.UserFactory(
        organisation=None, full_name="Ada Admin", is_staff=True, is_superuser=True
    )
    admin.set_password("test-password-123")
    admin.save()
    problems = []
    log_in(world.coordinator)
    for url in (
        "/",
        "/cases/",
        f"/cases/team/{world.team_a.pk}/",
        f"/cases/{case.pk}/",
        "/teams/mine/",
        f"/teams/{world.team_a.pk}/",
        "/meetings/",
        f"/meetings/team/{world.team_a.pk}/",
        f"/meetings/{meeting.pk}/",
    ):
        problems.append(_check(phone, assert_accessible, url))
    phone.context.clear_cookies()
    log_in(world.manager)
    for url in ("/", "/organisation/key-persons/", "/access-log/"):
        problems.append(_check(phone, assert_accessible, url))
    phone.context.clear_cookies()
    phone.goto("/admin/login/")
    assert_accessible()
    phone.fill("#id_username", admin.email)
    phone.fill("#id_password", "test-password-123")
    phone.press("#id_password", "Enter")
    phone.wait_for_url("**/admin/")
    assert_accessible()
    problems.append(_check(phone, assert_accessible, "/admin/"))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(f"{url}: {r}" for url, r in problems)
