"""Journey: a manager filters the access log by a child, opens a row, records a verdict."""

from django.test import RequestFactory
from playwright.sync_api import expect

from audit.models import AccessReview
from audit.services import access_log_record
from tests.cases.conftest import make_case


def test_manager_reviews_a_log_row(world, page, log_in, assert_accessible):
    case = make_case(world)
    request = RequestFactory().get("/")
    request.user = world.key_person
    access_log_record(request=request, cases=[case], kind="case", action="view")

    log_in(world.manager)
    page.get_by_role("link", name="Granska åtkomstloggen för din personal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtkomstlogg")
    assert_accessible()

    page.get_by_label("Barnets personnummer").fill("20140517-2386")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state("load")
    assert_accessible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.key_person.full_name)

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rad i åtkomstloggen")
    assert_accessible()
    page.get_by_label("Motiverad", exact=True).check()
    page.get_by_label("Anteckning").fill("Ärendet togs upp på HLT-mötet.")
    page.get_by_role("button", name="Registrera granskning").click()
    expect(page.get_by_text("Din granskning är registrerad.")).to_be_visible()
    assert_accessible()

    review = AccessReview.objects.get()
    assert (review.reviewer, review.verdict) == (world.manager, "justified")
