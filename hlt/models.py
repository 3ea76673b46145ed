"""Project-wide tables that belong to no part of the domain."""

from django.conf import settings
from django.db import models


class SubmitToken(models.Model):
    """A create form's one-time token, kept once the create it guarded has committed.

    See `hlt.idempotency`: the unique constraint lets exactly one submit of a form create.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    # What the first submit created ("cases.Guardian", "17"): the second submit shows it.
    object_model = models.CharField(max_length=100, blank=True)
    object_pk = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submit_token_used_once")
        ]

    def __str__(self):
        return f"{self.token} ({self.object_model} {self.object_pk})"
