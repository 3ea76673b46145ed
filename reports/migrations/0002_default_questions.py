from django.db import migrations

QUESTIONS = [
    "Hur väl fungerade samverkan mellan skola, hälso- och sjukvård och socialtjänst i teamet?",
    "Hur väl nådde teamet familjerna i tid (återkoppling inom en vecka)?",
    "Hur väl fungerade HLT-mötenas struktur (dagordning, tider, närvaro)?",
    "Hur väl kom barnens och familjernas egna röster fram i arbetet?",
]


def add(apps, schema_editor):
    Question = apps.get_model("reports", "EvaluationQuestion")
    for order, text in enumerate(QUESTIONS, start=1):
        Question.objects.get_or_create(text=text, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
