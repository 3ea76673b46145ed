"""The weekly e-mail digest of what is overdue in SIP. Case numbers and dates only: no
child's name, so the e-mail may pass through ordinary mail servers."""

import datetime
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .selectors import digest_recipients, overdue_for


def digest_send(*, today: datetime.date, base_url: str = "") -> int:
    """One e-mail per person with something overdue. Returns how many were sent."""
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in digest_recipients(today):
            overdue = overdue_for(user, today)
            if not overdue.total or not user.email:
                continue
            body = render_to_string(
                "sip/email/digest.txt",
                {"user": user, "overdue": overdue, "base_url": base_url.rstrip("/")},
            )
            subject = _("HLT: %(count)d overdue in SIP") % {"count": overdue.total}
            messages.append(EmailMessage(subject, body, to=[user.email]))
    if messages:
        try:
            mailers.default.send_messages(messages)
        except (OSError, smtplib.SMTPException) as exc:
            raise RuntimeError(f"The digest could not be sent: {exc}") from exc
    return len(messages)
