"""The printed plan, read back as text in every language, long plans, and the job."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessLogEntry
from consent.models import DocumentJob, FamilyLanguage
from sip.documents import plan_pdf_data, sip_plan_pdf
from sip.plan_texts import KINDS, TEXTS

from .conftest import make_plan


def _pages(pdf: bytes) -> list[str]:
    # Whitespace normalised: a title may wrap inside its column.
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def data(world, plan):
    plan.case.child.refresh_from_db()
    return plan_pdf_data(plan, world.key_person_health)


@pytest.mark.parametrize("language", FamilyLanguage.values)
def test_the_plan_reads_in_swedish_beside_the_family_language(data, language):
    text = "\n".join(_pages(sip_plan_pdf(data, language)))
    assert "Samordnad individuell plan (SIP)" in text
    assert "Alva Ek" in text
    assert "Mål 1: Alva går till skolan varje dag" in text
    assert "Hanna Hälsa" in text and "Öbacka hälsocentral" in text
    assert "Vårdnadshavare" in text and "Underskrift" in text
    if language in ("en", "so", "fi"):  # scripts pypdf reads back in logical order
        assert TEXTS[language]["title"] in text
        assert KINDS[language]["treatment"] in text


def test_a_long_plan_numbers_its_pages_and_names_the_child_on_each(world, sip_case):
    plan = make_plan(world, sip_case, goals=25, interventions=30, what="En längre insats " * 3)
    pdf = sip_plan_pdf(plan_pdf_data(plan, world.key_person), "so")
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {len(pages)}" in text
        assert "Alva Ek" in text


def test_a_protected_child_is_masked_for_someone_not_named(world, plan):
    child = plan.case.child
    child.protected_identity = True
    child.save()
    plan.case.refresh_from_db()
    text = "\n".join(_pages(sip_plan_pdf(plan_pdf_data(plan, world.coordinator), "sv")))
    assert "Alva" not in text
    assert f"Protected identity (case {plan.case_id})" in text or "Skyddad identitet" in text


def test_print_runs_a_job_and_the_download_is_logged(
    world, plan, login, immediate_tasks, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.key_person_health)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sip:print", args=[plan.pk]), {"language": "so"})
    job = DocumentJob.objects.get(kind="sip_plan")
    assert response.url == reverse("sip:document", args=[plan.pk, job.pk])
    assert job.status == "done"
    page = client.get(response.url)
    assert reverse("sip:document_download", args=[plan.pk, job.pk]) in page.content.decode()
    download = client.get(reverse("sip:document_download", args=[plan.pk, job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    pdf = b"".join(download.streaming_content)
    assert "Qorshe shakhsiyeed" in "\n".join(_pages(pdf))
    assert AccessLogEntry.objects.filter(kind="sip_plan", action="print").count() == 1
    # Another user cannot fetch someone else's job.
    other = login(world.coordinator)
    assert other.get(reverse("sip:document_download", args=[plan.pk, job.pk])).status_code == 404
