"""Printable agenda and minutes (PDF/UA through WeasyPrint): one function per document.

The caller gives the agenda as the user may see it (`selectors.agenda_for`), so the PDF
names exactly the children the page would.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from consent.documents import render_pdf

from .selectors import Agenda


def agenda_pdf(agenda: Agenda) -> bytes:
    html = render_to_string(
        "meetings/pdf/agenda.html", {"agenda": agenda, "made_at": timezone.localtime()}
    )
    return render_pdf(html)


def minutes_pdf(agenda: Agenda, attendance: list) -> bytes:
    html = render_to_string(
        "meetings/pdf/minutes.html",
        {"agenda": agenda, "attendance": attendance, "made_at": timezone.localtime()},
    )
    return render_pdf(html)
