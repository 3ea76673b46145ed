import pytest
from django.urls import reverse

from reports.models import EvaluationQuestion, TermReport
from tests import factories as f

pytestmark = pytest.mark.django_db


def _answers():
    data = {"summary": "Ett bra samarbete."}
    for q in EvaluationQuestion.objects.filter(is_active=True):
        data[f"score_{q.pk}"] = "4"
        data[f"comment_{q.pk}"] = "Fungerade"
    return data


def test_the_coordinator_submits_and_the_report_is_frozen(world, client):
    f.CaseFactory(
        team=world.team_a,
        status="actualised",
        actualised_at=__import__("django.utils.timezone").utils.timezone.now(),
        age_at_actualisation=9,
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("reports:term_report")).content.decode()
    assert "Hur väl fungerade samverkan" in page
    response = client.post(reverse("reports:term_report"), _answers())
    report = TermReport.objects.get()
    assert response.url == reverse("reports:term_report_detail", args=[report.pk])
    figures = {t["key"]: t for t in report.figures}
    assert figures["overview"]["cells"][0] == ".."
    # The SIP part is frozen too; a lead time with no cases shows no days.
    assert {"feedback", "intervention_kind", "goals", "lead:meeting_to_sip"} <= set(figures)
    assert figures["lead:meeting_to_sip"]["cells"] == ["–", "–", ".."]
    detail = client.get(response.url).content.decode()
    assert "Ledtid: HLT-möte → SIP-möte (dagar)" in detail
    assert {a["score"] for a in report.answers} == {4}
    # Later data and question changes do not alter the submitted report.
    for _ in range(6):
        f.CaseFactory(
            team=world.team_a,
            status="actualised",
            actualised_at=report.submitted_at,
            age_at_actualisation=9,
        )
    EvaluationQuestion.objects.update(text="Ändrad fråga")
    report.refresh_from_db()
    assert report.figures[0]["key"] == "overview" and report.figures[0]["cells"][0] == ".."
    assert "Ändrad fråga" not in str(report.answers)
    # Submitting twice is not possible.
    assert client.get(reverse("reports:term_report")).status_code == 302
    assert TermReport.objects.count() == 1


def test_a_missing_score_is_explained_next_to_the_question(world, client):
    client.force_login(world.coordinator)
    data = _answers()
    first = EvaluationQuestion.objects.first()
    del data[f"score_{first.pk}"]
    response = client.post(reverse("reports:term_report"), data)
    assert response.status_code == 200
    assert "måste fyllas i" in response.content.decode()
    assert not TermReport.objects.exists()


def test_process_leaders_see_who_submitted_and_read_the_reports(world, client):
    client.force_login(world.coordinator)
    client.post(reverse("reports:term_report"), _answers())
    report = TermReport.objects.get()
    client.force_login(world.process_leader)
    listing = client.get(reverse("reports:term_reports")).content.decode()
    assert world.team_a.name in listing and "Inte inlämnad" in listing
    assert client.get(reverse("reports:term_report_detail", args=[report.pk])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "form", "listing"),
    [
        ("key_person", 403, 403),
        ("manager", 403, 403),
        ("process_leader", 403, 200),
        ("outsider", 403, 403),
        ("coordinator", 200, 403),
    ],
)
def test_who_may_write_and_list_term_reports(world, client, persona, form, listing):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("reports:term_report")).status_code == form
    assert client.get(reverse("reports:term_reports")).status_code == listing


def test_a_report_of_another_region_is_not_found(world, client):
    client.force_login(world.coordinator)
    client.post(reverse("reports:term_report"), _answers())
    stranger = f.ProcessLeaderFactory().user
    client.force_login(stranger)
    report = TermReport.objects.get()
    assert client.get(reverse("reports:term_report_detail", args=[report.pk])).status_code == 404


def test_the_frozen_report_lists_the_tables_in_the_page_order(world, client):
    client.force_login(world.coordinator)
    client.post(reverse("reports:term_report"), _answers())
    report = TermReport.objects.get()
    detail = client.get(reverse("reports:term_report_detail", args=[report.pk]))
    html = detail.content.decode()
    page = client.get(reverse("reports:term")).content.decode()
    # The page's section headings, in order; the report's headings follow the same order.
    titles = [
        "Översikt",
        "Ålder",
        "Kön",
        "Initierande verksamhet",
        "Område för oro",
        "Avslutade ärenden, per orsak",
    ]
    assert [page.index(f">{t}</h2>") for t in titles] == sorted(
        page.index(f">{t}</h2>") for t in titles
    )
    assert [html.index(f">{t}</h2>") for t in titles] == sorted(
        html.index(f">{t}</h2>") for t in titles
    )
    assert [t["key"] for t in report.figures][:4] == [
        "overview",
        "lead:consent_to_meeting",
        "lead:meeting_to_feedback",
        "lead:meeting_to_sip",
    ]
