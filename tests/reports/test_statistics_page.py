"""The statistics page's smaller findings of issue 14, each failing on a52b68d."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.charts import bar_chart_svg
from teams.models import Term
from tests import factories as f

from .test_sip_statistics import sip_data  # noqa: F401 (fixtures used by name)
from .test_term_statistics import data  # noqa: F401

pytestmark = pytest.mark.django_db


def _page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reports:term"), params).content.decode()


def test_the_term_drop_down_shows_the_selected_term_in_date_order(world, client):
    current = Term.objects.current()
    Term.objects.back_from(current, 6, ensure=True)
    page = _page(client, world.process_leader)
    select = re.search(r'<select name="term".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"( selected)?>', select)
    assert [pk for pk, selected in options if selected] == [str(current.pk)]
    shown = [Term.objects.get(pk=pk) for pk, _s in options]
    assert shown == sorted(shown, key=lambda t: t.starts_on, reverse=True)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_filters_offer_all_municipalities_and_teams_in_the_reader_language(
    world, client, language
):
    client.cookies["django_language"] = language
    page = _page(client, world.process_leader)
    assert "Select an option" not in page and "---------" not in page
    assert ("Alla kommuner" if language == "sv" else "All municipalities") in page
    assert ("Alla team" if language == "sv" else "All teams") in page


def _extent(text_element: str) -> tuple[float, float]:
    x = float(re.search(r' x="([\d.]+)"', text_element).group(1))
    size = float(re.search(r'font-size="([\d.]+)"', text_element).group(1))
    shown = re.sub(r"<title>.*?</title>|<[^>]+>", "", text_element)
    width = len(shown) * 0.62 * size
    return (x - width, x) if 'text-anchor="end"' in text_element else (x, x + width)


def test_chart_labels_never_run_into_their_values():
    svg = bar_chart_svg(
        [
            ("Initierande verksamhet: hälso- och sjukvård, kommun", ".."),
            ("Skola", 12),
            ("Socialtjänst och barn- och familjeenheten", 7),
        ],
        title="Initierande verksamhet",
    )
    texts = re.findall(r"<text .*?</text>", svg)
    for label, value in zip(texts[0::2], texts[1::2], strict=True):
        assert _extent(label)[1] <= _extent(value)[0], (label, value)


def test_too_few_cases_is_not_said_beside_enough_cases(world, sip_data, client):  # noqa: F811
    # Nine cases discussed (shown), the share hidden because a count behind it is.
    page = _page(client, world.process_leader, term=sip_data.pk)
    assert "För få ärenden denna termin" not in page
    assert "ett antal bakom den är dolt" in page


def test_the_concern_area_total_is_not_called_a_head_count(world, data, client):  # noqa: F811
    page = _page(client, world.process_leader, term=data.pk)
    section = page[page.index('id="table-area"') :]
    section = section[: section.index("</section>")]
    assert "Markerade totalt (ett barn kan ha flera)" in section
    assert '<th scope="col">Totalt</th>' not in section
    assert "så summan är inte ett antal barn" in section


def test_the_page_has_contents_linking_every_section(world, data, client):  # noqa: F811
    page = _page(client, world.process_leader, term=data.pk)
    nav = page[page.index('<nav aria-labelledby="contents-heading"') :]
    nav = nav[: nav.index("</nav>")]
    targets = re.findall(r'href="#([\w-]+)"', nav)
    assert len(targets) >= 15
    for target in targets:
        assert f'id="{target}"' in page, target


def test_filters_outside_the_scope_show_nothing_of_another_region(world, client):
    stranger = f.TeamFactory(name="HLT Främmande")
    for _ in range(6):
        f.CaseFactory(
            team=stranger, status="actualised", actualised_at=timezone.now(), age_at_actualisation=8
        )
    client.force_login(world.process_leader)
    for params in (
        {"team": stranger.pk},
        {"municipality": stranger.municipality_id},
        {"term": "999999"},
        {"team": "٣"},  # an Arabic digit
        {"municipality": "1 OR 1=1"},
    ):
        response = client.get(reverse("reports:term"), params)
        assert response.status_code == 200, params
        assert "HLT Främmande" not in response.content.decode()
        export = client.get(reverse("reports:export", args=["csv"]), params)
        assert export.status_code == 200 and "HLT Främmande" not in export.content.decode()


def test_a_process_leader_without_teams_gets_a_page_not_an_error(client):
    leader = f.ProcessLeaderFactory()
    client.force_login(leader.user)
    response = client.get(reverse("reports:term"))
    assert response.status_code == 200
    assert "Det finns inget HLT-team" in response.content.decode()


def test_the_nightly_job_refreshes_the_figures_and_warms_the_cache(world, data, client):  # noqa: F811
    from django.core.management import call_command

    from reports.models import TeamTermFigures

    call_command("refresh_statistics")
    current = Term.objects.current()
    assert TeamTermFigures.objects.filter(term=current).count() == 2
    client.force_login(world.process_leader)
    assert client.get(reverse("reports:term")).status_code == 200
