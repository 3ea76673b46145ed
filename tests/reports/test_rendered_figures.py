"""The statistics page's figures are rendered once and kept (reports.store.rendered) under a
key that names everything they depend on: another scope, language or content never gets
HTML made for someone or something else."""

from pathlib import Path

import pytest
from django.urls import reverse

from reports import store, tables

from .test_term_statistics import data  # noqa: F401 (fixture used by name)

pytestmark = pytest.mark.django_db


def _page(client, user, language="sv", **params):
    """The figures below the filter (the filter names every team of the reader's scope)."""
    client.force_login(user)
    client.cookies["django_language"] = language
    page = client.get(reverse("reports:term"), params).content.decode()
    return page[page.index('<nav aria-labelledby="contents-heading"') :]


@pytest.fixture
def renders(monkeypatch):
    """How many times the page's tables were built (each build renders the figures anew)."""
    calls = []
    build = tables.distribution_tables
    monkeypatch.setattr(tables, "distribution_tables", lambda sel: calls.append(1) or build(sel))
    store.forget_recent()
    return calls


def test_the_figures_are_rendered_once_for_the_same_reader_and_content(
    world,
    data,  # noqa: F811
    client,
    renders,
):
    first = _page(client, world.process_leader, term=data.pk)
    second = _page(client, world.process_leader, term=data.pk)
    assert renders == [1]
    assert first == second


def test_a_reader_of_another_scope_never_gets_the_kept_figures(
    world,
    data,  # noqa: F811
    client,
    renders,
):
    region = _page(client, world.process_leader, term=data.pk)
    assert world.team_a.name in region and world.team_b.name in region
    own = _page(client, world.coordinator, term=data.pk)
    assert world.team_a.name in own and world.team_b.name not in own
    chosen = _page(client, world.process_leader, term=data.pk, team=world.team_b.pk)
    assert world.team_b.name in chosen and world.team_a.name not in chosen
    assert renders == [1, 1, 1]


def test_the_kept_figures_are_in_the_reader_language(world, data, client, renders):  # noqa: F811
    swedish = _page(client, world.process_leader, "sv", term=data.pk)
    english = _page(client, world.process_leader, "en", term=data.pk)
    assert "Ledtider i dagar" in swedish and "Lead times in days" not in swedish
    assert "Lead times in days" in english and "Ledtider i dagar" not in english
    assert renders == [1, 1]


def test_a_renamed_team_is_shown_by_its_new_name(world, data, client, renders):  # noqa: F811
    _page(client, world.process_leader, term=data.pk)
    world.team_a.name = "Teamet med nytt namn"
    world.team_a.save()
    page = _page(client, world.process_leader, term=data.pk)
    assert "Teamet med nytt namn" in page
    assert renders == [1, 1]


def test_another_server_process_reuses_the_figures_one_rendered(
    world,
    data,  # noqa: F811
    client,
    renders,
):
    """Kept in the shared cache too: each set of figures is rendered once for all the server's
    processes, not once in each (a process with an empty memo stands for another process)."""
    first = _page(client, world.process_leader, term=data.pk)
    store.forget_recent()
    second = _page(client, world.process_leader, term=data.pk)
    assert renders == [1]
    assert first == second


def test_another_release_never_gets_html_kept_by_this_one(
    world,
    data,  # noqa: F811
    client,
    renders,
    monkeypatch,
):
    _page(client, world.process_leader, term=data.pk)
    store.forget_recent()
    monkeypatch.setattr(store, "_html_source", lambda: "another-release")
    _page(client, world.process_leader, term=data.pk)
    assert renders == [1, 1]


@pytest.mark.parametrize("edited_file", ["term_statistics.html", "tables.py", "questionnaire.py"])
def test_the_release_fingerprint_covers_what_writes_the_figures(monkeypatch, edited_file):
    """The figures' template and code, and what they read from other apps (the questionnaire's
    questions are the answers table's rows)."""
    store._html_source.cache_clear()
    before = store._html_source()
    read_bytes = Path.read_bytes

    def edited(path):
        content = read_bytes(path)
        return content + b"\n# edited" if path.name == edited_file else content

    store._html_source.cache_clear()
    monkeypatch.setattr(Path, "read_bytes", edited)
    try:
        assert store._html_source() != before
    finally:
        monkeypatch.undo()
        store._html_source.cache_clear()
