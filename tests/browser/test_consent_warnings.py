"""Registering a consent that needs a second look, in the browser: the warning shows at the
top, a confirm box appears, everything typed stays, and confirming registers it
(issue 13, finding 4). Set HLT_SCREENSHOTS=dir to keep screenshots of the page."""

import os

import pytest

from consent.models import Consent
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("HLT_SCREENSHOTS")


def test_a_child_of_twelve_who_has_not_signed_asks_for_confirmation(
    world, page, log_in, assert_accessible
):
    case = make_case(world, actualise=False)  # Alva is 12
    log_in(world.key_person)
    for language, width in (("sv", 1280), ("sv", 390), ("en", 1280), ("en", 390)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/cases/{case.pk}/consent/register/")
        if language == "en" and page.locator("html[lang=sv]").count():
            page.locator("button[name=language][value=en]").click()
            page.wait_for_load_state("load")
        assert_accessible()
        for box in page.locator("input[name=signed_guardians]").all():
            box.check()
        page.locator("input[name=sectors][value=school]").check()
        page.locator("form[enctype] button[type=submit]").click()
        page.wait_for_load_state("load")
        assert_accessible()
        summary = page.locator(".error-summary")
        assert "12" in summary.inner_text()
        assert page.locator("input[name=confirm_warnings][type=checkbox]").is_visible()
        assert page.locator("input[name=sectors][value=school]").is_checked()  # kept
        help_text = "12 months after" if language == "en" else "12 månader efter"
        assert help_text in page.locator("form[enctype]").inner_text()
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/consent-warning-{language}-{width}.png", full_page=True)
        assert not Consent.objects.exists()
    page.locator("input[name=confirm_warnings]").check()
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_load_state("load")
    assert_accessible()
    assert Consent.objects.filter(case=case, child_signed=False).count() == 1
