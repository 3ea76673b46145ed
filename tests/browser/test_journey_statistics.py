"""Journey: a process leader reads the region's term statistics, drills into a team, sees the
charts and downloads Excel; a coordinator submits the term report; the process leader can
open no case."""

from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.cases.conftest import make_case


def _log_out(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/login/")


def test_process_leader_statistics_and_coordinator_term_report(
    world, page, log_in, assert_accessible
):
    case = make_case(world)
    for _ in range(6):
        f.CaseFactory(
            team=world.team_b,
            status="actualised",
            actualised_at=timezone.now(),
            age_at_actualisation=8,
        )

    log_in(world.process_leader)
    page.get_by_role("link", name="Terminsstatistik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terminsstatistik")
    assert_accessible()
    expect(page.get_by_role("img", name="Översikt")).to_be_visible()
    expect(page.get_by_role("row", name=world.team_b.name).first).to_be_visible()

    page.get_by_label("HLT-team").select_option(label=world.team_a.name)
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state("load")
    assert_accessible()
    expect(page.get_by_role("img", name="Ålder")).to_be_visible()
    expect(page.locator("tbody th", has_text=world.team_b.name)).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.path().read_bytes()[:2] == b"PK"

    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404
    assert_accessible()
    _log_out(page)
    assert_accessible()

    log_in(world.coordinator)
    page.get_by_role("link", name="Terminsrapporten").click()
    assert_accessible()
    for group in page.get_by_role("group").all():
        group.get_by_label("4").check()
    page.get_by_label("Terminen i några meningar").fill("Bra närvaro och tydliga möten.")
    page.get_by_role("button", name="Lämna in terminsrapporten").click()
    expect(page.get_by_text("Terminsrapporten är inlämnad.")).to_be_visible()
    assert_accessible()
    _log_out(page)

    log_in(world.process_leader)
    page.get_by_role("link", name="Terminsrapporter").click()
    assert_accessible()
    page.get_by_role("link", name="Inlämnad").click()
    expect(page.get_by_text("Bra närvaro och tydliga möten.")).to_be_visible()
    assert_accessible()
