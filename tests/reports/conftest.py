"""The default evaluation questions come from a data migration (reports/0002). A test run on
the live server (transaction=True) empties every table when it ends, so they are put back for
the report tests that expect them, whatever ran before."""

import importlib

import pytest


@pytest.fixture(autouse=True)
def default_evaluation_questions(db):
    from reports.models import EvaluationQuestion

    migration = importlib.import_module("reports.migrations.0002_default_questions")
    if not EvaluationQuestion.objects.exists():
        for order, text in enumerate(migration.QUESTIONS, start=1):
            EvaluationQuestion.objects.get_or_create(text=text, defaults={"order": order})
