"""Each login shifts the person's "last visit": the start page shows the cases actualised to
their teams since the login before this one, and keeps showing them for the whole session."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .models import InboxPreference


@receiver(user_logged_in, dispatch_uid="workday_login_recorded")
def _login_recorded(sender, request, user, **kwargs):
    preference, _created = InboxPreference.objects.get_or_create(user=user)
    preference.previous_login_at = preference.last_login_at
    preference.last_login_at = timezone.now()
    preference.save(update_fields=["previous_login_at", "last_login_at"])
