"""At phone width (390 px) the start page, the case list and the case page never scroll
sideways: wide tables scroll inside their own box."""

import datetime

import pytest
from django.utils import timezone

from tests.meetings.conftest import waiting_case
from tests.sip.conftest import discussed_case


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_working_days_pages_fit_a_phone(world, page, log_in, assert_accessible, language):
    case = discussed_case(
        world, meeting_day=timezone.localdate() - datetime.timedelta(days=10), to_sip=False
    )
    for _ in range(3):
        waiting_case(world)
    page.set_viewport_size({"width": 390, "height": 800})
    log_in(world.coordinator)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state("load")
        assert_accessible()
    for url in ("/", "/cases/", f"/cases/{case.pk}/", f"/cases/{case.pk}/history/"):
        page.goto(url)
        assert_accessible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
