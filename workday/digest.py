"""The opt-in weekly e-mail of each person's inbox. Case numbers, dates and links only: the
task texts never name a child, and the children's labels are not even computed."""

import datetime
import smtplib

from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .inbox import inbox_for
from .models import InboxPreference


def inbox_digest_send(*, today: datetime.date, base_url: str = "") -> int:
    """One e-mail to each person who asked for it and has something in their inbox.
    Returns how many were sent."""
    messages = []
    preferences = InboxPreference.objects.filter(
        weekly_email=True, user__is_active=True
    ).select_related("user", "user__organisation")
    for preference in preferences:
        user = preference.user
        if not user.email:
            continue
        with translation.override(preference.language):
            inbox = inbox_for(user, today, labels=False)
            if not inbox.count and not inbox.agendas:
                continue
            body = render_to_string(
                "workday/email/weekly.txt",
                {"user": user, "inbox": inbox, "base_url": base_url.rstrip("/")},
            )
            subject = _("HLT: %(count)d task(s), %(overdue)d overdue") % {
                "count": len(inbox.tasks),
                "overdue": inbox.overdue_count,
            }
        messages.append(EmailMessage(subject, body, to=[user.email]))
    if messages:
        try:
            mailers.default.send_messages(messages)
        except (OSError, smtplib.SMTPException) as exc:
            raise RuntimeError(f"The weekly e-mail could not be sent: {exc}") from exc
    return len(messages)
