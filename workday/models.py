"""A person's own settings for the working day: the weekly e-mail of their tasks, and when
they logged in before (what "new since your last visit" is measured from)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboxPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_preference"
    )
    weekly_email = models.BooleanField(
        _("e-mail me my tasks every week"),
        default=False,
        help_text=_(
            "Case numbers and dates only: the e-mail never names a child. "
            "Open HLT to see who it is about."
        ),
    )
    # The language the person chose the e-mail in (the interface language at that moment).
    language = models.CharField(max_length=10, default="sv", editable=False)
    last_login_at = models.DateTimeField(null=True, blank=True, editable=False)
    previous_login_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inbox setting")
        verbose_name_plural = _("inbox settings")

    def __str__(self):
        return f"inbox of {self.user_id}"
