from django.contrib import admin

from .models import EvaluationQuestion


@admin.register(EvaluationQuestion)
class EvaluationQuestionAdmin(admin.ModelAdmin):
    """Administrators edit the questions for the next term; submitted reports keep theirs."""

    list_display = ["text", "order", "is_active"]
    list_editable = ["order", "is_active"]
