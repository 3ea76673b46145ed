"""The statistics page at phone width: the page itself never scrolls sideways (wide tables
scroll in their own box), and its contents lead to every section."""

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.mark.parametrize("width", [390, 1280])
def test_the_statistics_page_never_scrolls_sideways(world, page, log_in, assert_accessible, width):
    for team, n in ((world.team_a, 3), (world.team_b, 7)):
        for _ in range(n):
            f.CaseFactory(
                team=team,
                status="actualised",
                actualised_at=timezone.now(),
                age_at_actualisation=8,
            )
    page.set_viewport_size({"width": width, "height": 900})
    log_in(world.process_leader)
    page.goto("/statistics/")
    assert_accessible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
    page.get_by_role("link", name="Område för oro").first.click()
    assert page.evaluate("location.hash") == "#table-area"
    assert_accessible()
